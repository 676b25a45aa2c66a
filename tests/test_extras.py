"""Optional engines: a command whose engine is not installed names the extra to install (exit 2,
no traceback, no file), and the Lite add-in runs with none of them importable.

Each case runs in a fresh interpreter with an import blocker on sys.meta_path, which is what an
install without the extra looks like to Python."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, example_scenario

from xlcoop.addin import lite, xlsx
from xlcoop.extras import EXTRA_OF, MissingExtra, installed, missing_extra
from xlcoop.workbook.writer import write_workbook

BLOCKER = textwrap.dedent("""
    import importlib.abc, sys
    BLOCKED = set(sys.argv.pop(1).split(","))

    class Blocker(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, Blocker())
""")
CLI = BLOCKER + "from xlcoop.cli import main\nsys.exit(main(sys.argv[1:]))\n"
# What the add-in must never need: the engines of the extras and formulas' dependencies.
ENGINES = sorted(set(EXTRA_OF) | {"lxml", "ezodf"})


def xlcoop_without(blocked: list[str], *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CLI, ",".join(blocked), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_workbook(tmp_path_factory.mktemp("extras") / "a.xlsx",
                          example_scenario("stappenplan-a"))


@pytest.mark.parametrize("command", ["audit", "extract"])
def test_audit_without_formulas_names_the_extra(workbook: Path, command: str) -> None:
    args = [command, str(workbook)] + (["-o", "out.csv"] if command == "extract" else [])
    done = xlcoop_without(["formulas"], *args, cwd=workbook.parent)
    assert done.returncode == 2, done.stderr
    assert "'formulas'" in done.stderr and "pip install 'xlcoop[audit]'" in done.stderr
    assert "Traceback" not in done.stderr and not (workbook.parent / "out.csv").exists()
    assert len(done.stderr.strip().splitlines()) == 1


def test_new_without_openpyxl_names_the_extra_and_writes_nothing(tmp_path: Path) -> None:
    scenario = ROOT / "examples" / "stappenplan-a.toml"
    done = xlcoop_without(["openpyxl"], "new", str(scenario), "-o", "a.xlsx", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == f"xlcoop new: {MissingExtra('openpyxl')}"
    assert "xlcoop[workbook]" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "a.xlsx").exists()


def test_commands_without_engines_still_work(tmp_path: Path) -> None:
    """The pure-Python commands run on the base install alone."""
    scenario = str(ROOT / "examples" / "stappenplan-a.toml")
    for args in (["calc", scenario, "--json"], ["check", scenario],
                 ["solve", scenario, "--target", "max-price"],
                 ["programme"]):
        done = xlcoop_without(ENGINES, *args, cwd=tmp_path)
        assert done.returncode == 0, (args, done.stderr)
    assert "882" in xlcoop_without(ENGINES, "solve", scenario, "--target", "max-price",
                                   cwd=tmp_path).stdout


def test_a_real_bug_is_not_reported_as_a_missing_extra() -> None:
    assert missing_extra(ModuleNotFoundError("No module named 'xlcoop.nope'",
                                             name="xlcoop.nope")) is None
    assert missing_extra(ModuleNotFoundError("x", name="formulas.ranges")).extra == "audit"
    assert installed("openpyxl") and not installed("xlcoop_no_such_module")


def test_the_lite_addin_runs_with_no_engine_importable(workbook: Path, tmp_path: Path) -> None:
    """`from xlcoop.addin.lite import *` (main.py) and every script, with every engine of the
    extras blocked: the add-in's import closure needs none of them (nor does xlwings)."""
    (tmp_path / "payload.json").write_text(json.dumps(xlsx.payload_from_xlsx(workbook)),
                                           encoding="utf-8")
    code = BLOCKER + textwrap.dedent(f"""
        import json
        exec({lite.MAIN_PY!r})
        from xlcoop.addin.jsonbook import Book
        payload = json.load(open("payload.json", encoding="utf-8"))
        written = {{}}
        for name in {lite.__all__!r}:
            book = Book(payload)
            report = globals()[name](book)
            written[name] = bool(report.written)
        value = xlcoop_max_aankoopprijs(Book(payload)).solution.value
        print(json.dumps({{"written": written, "value": value,
                          "modules": sorted({{m.split(".")[0] for m in sys.modules}})}}))
    """)
    done = subprocess.run([sys.executable, "-c", code, ",".join(ENGINES)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert all(out["written"].values()), out["written"]
    assert out["value"] == pytest.approx(882_000, abs=0.005)
    assert set(ENGINES).isdisjoint(out["modules"])
