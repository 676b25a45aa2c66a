"""The Lite channel for real: build the wheel, install it with micropip in Pyodide under Node
(the npm package's own files, every wheel from a local file, every network request refused) and
run each script of ``main.py`` on a payload of a generated workbook, as xlwings Lite does.

With XLWINGS_LICENSE_KEY set the scripts go through xlwings' own runner
(``xlwings.server.custom_scripts_meta`` / ``custom_scripts_call``, licensed like its JSON Book)
on xlwings' JSON Book and on the licence-free stand-in, whose actions must agree; without it they
run on the stand-in only. On CI (``CI`` set) a missing Node or npm is a failure, not a skip.

The npm package and the downloaded wheels are cached in ~/.cache/xlcoop-pyodide (or
XLCOOP_PYODIDE_CACHE), so a warm run needs no network at all.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, example_scenario

import xlcoop
from xlcoop.addin import jsonbook, lite, owned, xlsx
from xlcoop.workbook.writer import write_workbook

PYODIDE_VERSION = "314.0.8"  # Python 3.14, the Pyodide line xlwings Lite runs on
CACHE = Path(os.environ.get("XLCOOP_PYODIDE_CACHE", Path.home() / ".cache" / "xlcoop-pyodide"))
RUNNER = Path(__file__).with_name("pyodide_runner.mjs")
# Never to be imported by the add-in: too heavy for Pyodide, or not installable there at all.
HEAVY = {"formulas", "numpy", "scipy", "lxml", "schedula", "openpyxl", "et_xmlfile", "ezodf"}
PRICE = 1_500_000.0
# script -> (owned value cell, arguments, expected value for example A or None: no solution)
SCRIPTS: dict[str, tuple[str, list[Any], float | None]] = {
    "xlcoop_controleer": ("addin_fouten", [], None),
    "xlcoop_max_aankoopprijs": ("oplossing_max_aankoopprijs", [], 882_000.0),
    # at the market value the LTV limit binds whatever the rent: no solution (checked below)
    "xlcoop_min_huur": ("oplossing_min_huur", [PRICE], None),
    "xlcoop_tekort": ("oplossing_tekort", [PRICE], 618_000.0),
    "xlcoop_max_rente": ("oplossing_max_rente", [], None),
    "xlcoop_max_huurderving": ("oplossing_max_huurderving", [], None),
}


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; scripts/install-test-deps installs nodejs "
                        "and npm from Debian packages")
        pytest.skip(f"{name} not installed (apt-get install nodejs npm)")
    return found


def _run(cmd: list[str], timeout: float = 300, **kw: Any) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    assert done.returncode == 0, f"{cmd[:4]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def pyodide_dir() -> Path:
    """The npm package `pyodide`, installed once into the cache (its files only: no CDN)."""
    target = CACHE / "npm" / "node_modules" / "pyodide"
    manifest = target / "package.json"
    if not (manifest.exists() and
            json.loads(manifest.read_text(encoding="utf-8"))["version"] == PYODIDE_VERSION):
        (CACHE / "npm").mkdir(parents=True, exist_ok=True)
        _run([_tool("npm"), "install", "--prefix", str(CACHE / "npm"), "--no-audit", "--no-fund",
              "--no-save", f"pyodide@{PYODIDE_VERSION}"])
    return target


def downloaded_wheel(name: str, wanted: str) -> Path:
    """A pure-Python wheel from PyPI, downloaded once into the cache."""
    folder = CACHE / "wheels"
    stem = name.replace("-", "_")
    hits = sorted(folder.glob(f"{stem}-{wanted}-py3-none-any.whl"))
    if not hits:
        _run([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "-q",
              "--no-deps", "--only-binary=:all:", "--platform", "any", "--implementation", "py",
              "--abi", "none", "--python-version", "3.14", "-d", str(folder),
              f"{name}=={wanted}"])
        hits = sorted(folder.glob(f"{stem}-{wanted}-py3-none-any.whl"))
    assert hits, f"no pure-Python wheel of {name} {wanted}"
    return hits[-1]


def build_wheel(out: Path) -> Path:
    """xlcoop's wheel, built from a clean copy of the sources (no build/ in the work tree) and
    checked by twine as PyPI would."""
    src = out / "src"
    shutil.copytree(ROOT / "xlcoop", src / "xlcoop",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, src / name)
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
          str(out / "dist"), str(src)])
    wheel, = (out / "dist").glob("xlcoop-*-py3-none-any.whl")
    _run([sys.executable, "-m", "twine", "check", "--strict", str(wheel)])
    return wheel


def probe_wheel(folder: Path) -> Path:
    """A one-module wheel that requires formulas[excel], as xlcoop's base install once did."""
    path = folder / "needs_formulas-1.0-py3-none-any.whl"
    info = "needs_formulas-1.0.dist-info"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("needs_formulas.py", "")
        zf.writestr(f"{info}/METADATA", "Metadata-Version: 2.1\nName: needs-formulas\n"
                    "Version: 1.0\nRequires-Dist: formulas[excel]>=1.3\n")
        zf.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\n"
                    "Root-Is-Purelib: true\nTag: py3-none-any\n")
        zf.writestr(f"{info}/RECORD", "")
    return path


def base_requirements(wheel: Path) -> list[str]:
    """The wheel's Requires-Dist without an extra: what `pip install xlcoop` (and micropip)
    installs."""
    with zipfile.ZipFile(wheel) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        lines = zf.read(meta).decode().splitlines()
    return [line.split(":", 1)[1].strip() for line in lines
            if line.startswith("Requires-Dist:") and "extra ==" not in line]


@pytest.fixture(scope="module")
def lite_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    node = _tool("node")
    tmp = tmp_path_factory.mktemp("pyodide")
    started = time.perf_counter()
    package = pyodide_dir()
    lock = json.loads((package / "pyodide-lock.json").read_text(encoding="utf-8"))
    micropip = downloaded_wheel("micropip", lock["packages"]["micropip"]["version"])
    xlwings = downloaded_wheel("xlwings", version("xlwings"))  # xlwings Lite's own package
    wheel = build_wheel(tmp)
    wheels = tmp / "wheels"  # one folder, mounted into Pyodide: xlwings first, then xlcoop
    wheels.mkdir()
    for w in (xlwings, wheel):
        shutil.copy(w, wheels / w.name)
    probe = probe_wheel(wheels)
    data = tmp / "data"
    data.mkdir()
    payload = xlsx.payload_from_xlsx(write_workbook(tmp / "a.xlsx",
                                                    example_scenario("stappenplan-a")))
    (data / "payload.json").write_text(json.dumps(payload), encoding="utf-8")
    key = os.environ.get("XLWINGS_LICENSE_KEY")
    config = {
        "pyodide_dir": str(package), "micropip_wheel": str(micropip),
        "wheels": [str(wheels / xlwings.name), str(wheels / wheel.name)],
        "data_dir": str(data), "main_py": lite.MAIN_PY,
        "mode": "xlwings" if key else "standin",
        # xlwings reads these before its import: server mode (real @script) and the licence
        "env": {"XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": key} if key else {},
        "calls": [[name, args] for name, (_cell, args, _value) in SCRIPTS.items()],
        "probe_wheel": str(probe),
    }
    (tmp / "config.json").write_text(json.dumps(config), encoding="utf-8")
    prepared = time.perf_counter()
    done = subprocess.run([node, str(RUNNER), str(tmp / "config.json")], capture_output=True,
                          text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-6000:]
    runner = json.loads((data / "runner.json").read_text(encoding="utf-8"))
    result = json.loads((data / "result.json").read_text(encoding="utf-8"))
    host = {"prepare": round(prepared - started, 1),
            "node": round(time.perf_counter() - prepared, 1)}
    result.update(payload=payload, wheel=wheel, runner=runner, key=bool(key), host=host)
    print(f"\nPyodide test: wheel {wheel.stat().st_size} bytes, installed "
          f"{result['installed']}, seconds {host} (in node since start: {runner['times']}; "
          f"in Pyodide: { {k: round(v, 2) for k, v in result['seconds'].items()} })")
    return result


def _cell(payload: dict[str, Any], name: str) -> tuple[int, int, int]:
    entry = next(n for n in payload["names"] if n["name"] == name)
    row, col, _, _ = jsonbook.parse_range(entry["address"])
    return entry["sheet_index"], row - 1, col - 1


def written(actions: list[dict[str, Any]], payload: dict[str, Any], name: str) -> Any:
    """The value the actions write into the one-cell range ``name`` (KeyError: not written)."""
    sheet, row, col = _cell(payload, name)
    for a in actions:
        i, j = row - a["start_row"], col - a["start_column"]
        if a["sheet_position"] == sheet and 0 <= i < a["row_count"] and \
                0 <= j < a["column_count"]:
            return a["values"][i][j]
    raise KeyError(name)


def assert_only_owned(actions: list[dict[str, Any]], payload: dict[str, Any]) -> None:
    rects = []
    for entry in payload["names"]:
        if entry["name"] in owned.OWNED_BY_NAME:
            r1, c1, r2, c2 = jsonbook.parse_range(entry["address"])
            rects.append((entry["sheet_index"], r1 - 1, c1 - 1, r2 - 1, c2 - 1))
    for a in actions:
        assert a["func"] == "setValues", a
        top, left = a["start_row"], a["start_column"]
        bottom, right = top + a["row_count"] - 1, left + a["column_count"] - 1
        assert any(s == a["sheet_position"] and r1 <= top and bottom <= r2 and c1 <= left and
                   right <= c2 for s, r1, c1, r2, c2 in rects), a


def test_the_base_install_is_what_the_addin_imports(lite_run: dict[str, Any]) -> None:
    assert base_requirements(lite_run["wheel"]) == ["xlwings>=0.33"]
    with zipfile.ZipFile(lite_run["wheel"]) as zf:
        tops = {n.split("/")[0] for n in zf.namelist()}
    assert tops == {"xlcoop", f"xlcoop-{xlcoop.__version__}.dist-info"}
    # micropip installed exactly the two local wheels; nothing came from an index or a CDN
    assert set(lite_run["installed"]) == {"micropip", "xlwings", "xlcoop"}
    assert not [u for u in lite_run["fetched"] if "://" in u and not u.startswith("file:")], \
        lite_run["fetched"]
    assert lite_run["platform"] == "emscripten"
    assert HEAVY.isdisjoint(lite_run["modules"]), HEAVY & set(lite_run["modules"])


def test_every_lite_script_writes_its_cells_in_pyodide(lite_run: dict[str, Any]) -> None:
    payload, results = lite_run["payload"], lite_run["results"]
    assert set(results) == set(lite.__all__) == set(SCRIPTS)
    for name, (cell, _args, expected) in SCRIPTS.items():
        actions = results[name]["actions"]
        assert actions, f"{name} wrote nothing:\n{results[name]['stdout']}"
        assert_only_owned(actions, payload)
        value = written(actions, payload, cell)
        if expected is not None:
            assert value == pytest.approx(expected, abs=0.005), (name, value)
        written(actions, payload, "addin_status")
    # example A's maximum purchase price in its owned cell, and the answer in the output pane
    assert written(results["xlcoop_max_aankoopprijs"]["actions"], payload,
                   "oplossing_max_aankoopprijs") == pytest.approx(882_000, abs=0.005)
    assert "Maximale aankoopprijs: € 882.000" in results["xlcoop_max_aankoopprijs"]["stdout"]
    assert written(results["xlcoop_controleer"]["actions"], payload, "addin_fouten") == 0
    # min-rent at the market value: LTV binds, so the value cell is emptied and LTV named
    assert written(results["xlcoop_min_huur"]["actions"], payload, "oplossing_min_huur") == ""
    assert str(written(results["xlcoop_min_huur"]["actions"], payload,
                       "oplossing_min_huur_grens")).startswith("LTV")
    # no solution (year 1 already misses the DSCR norm): the value cell is emptied
    assert written(results["xlcoop_max_rente"]["actions"], payload, "oplossing_max_rente") == ""


def test_xlwings_own_runner_registers_and_runs_every_script(lite_run: dict[str, Any]) -> None:
    if not lite_run["key"]:
        pytest.skip("set XLWINGS_LICENSE_KEY to run the scripts through xlwings' own runner "
                    "(xlwings.server is xlwings PRO: PolyForm Noncommercial or a paid licence)")
    assert lite_run["xlwings_pro"]
    meta = {m["function_name"]: m for m in lite_run["meta"]}
    assert set(meta) == set(lite.__all__)
    assert meta["xlcoop_max_aankoopprijs"]["name"] == "xlcoop: Maximale aankoopprijs"
    for name, result in lite_run["results"].items():
        # xlwings' JSON Book and the stand-in emit the same actions for the same script
        assert json.dumps(result["actions"], sort_keys=True) == \
            json.dumps(result["standin_actions"], sort_keys=True), name


def test_the_same_micropip_refuses_a_wheel_that_needs_formulas(lite_run: dict[str, Any]) -> None:
    """This setup can fail: a wheel requiring formulas[excel] (xlcoop's old base install) is
    refused, as its dependencies are neither installed nor reachable without an index."""
    assert lite_run["refused"] and "formulas" in lite_run["refused"], lite_run["refused"]
    assert any("formulas" in u for u in lite_run["runner"]["requested"])
