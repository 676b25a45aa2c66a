"""One set of CLI conventions: every command with every kind of bad path gets one clear message,
exit status 2, and leaves no file behind (README, "Command line"). Run in-process: the same
``main`` a fresh process runs, without paying ~0.5 s of start-up per case."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

from xlcoop.cli import main

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "workbooks" / "stappenplan-a.xlsx"
SCENARIO = ROOT / "examples" / "stappenplan-a.toml"

# Each command with its input in the place where {src} stands.
COMMANDS: dict[str, list[str]] = {
    "new": ["new", "{src}", "-o", "{out}.xlsx"],
    "calc": ["calc", "{src}"],
    "check": ["check", "{src}"],
    "solve": ["solve", "{src}", "--target", "max-price"],
    "audit": ["audit", "{src}"],
    "extract": ["extract", "{src}", "-o", "{out}.csv", "--no-progress"],
    "pdf": ["pdf", "{src}", "-o", "{out}.pdf"],
}
# kind of bad input path -> (how to make it, the one message expected)
BAD_INPUTS = {
    "missing": (lambda d: d / "nergens.xlsx", "bestand bestaat niet"),
    "directory": (lambda d: _folder(d), "is een map"),
    "not_a_workbook": (lambda d: _text(d), "onbekend bestandstype"),
}


def _folder(d: Path) -> Path:
    folder = d / "map.xlsx"
    folder.mkdir()
    return folder


def _text(d: Path) -> Path:
    path = d / "notities.txt"
    path.write_text("geen werkmap\n", encoding="utf-8")
    return path


def _listing(d: Path) -> set[str]:
    return {str(p.relative_to(d)) for p in d.rglob("*")}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("kind", sorted(BAD_INPUTS))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_bad_input_path(command: str, kind: str, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    make, message = BAD_INPUTS[kind]
    src = make(tmp_path)
    if command in ("audit", "extract") and kind == "directory":
        message = "map zonder werkmappen"  # they read folders: an empty one is the error
    argv = [a.format(src=src, out=tmp_path / "uit") for a in COMMANDS[command]]
    before = _listing(tmp_path)
    code, out, err = run(argv, capsys)
    assert code == 2, (command, kind, out, err)
    assert message in err, (command, kind, err)
    assert err.count("xlcoop:") == 1 and "Traceback" not in err
    assert _listing(tmp_path) == before, "a file appeared"


OUTPUT_COMMANDS = {  # commands that write a file: (argv with {out}, suffix)
    "new": (["new", str(SCENARIO), "-o", "{out}"], ".xlsx"),
    "solve": (["solve", str(BOOK), "--target", "max-price", "-o", "{out}"], ".xlsx"),
    "extract": (["extract", str(BOOK), "-o", "{out}", "--no-progress", "-j", "1"], ".csv"),
    "audit": (["audit", str(BOOK), "-o", "{out}"], ".html"),
    "docs": (["docs", "-o", "{out}"], ".md"),
    "pdf": (["pdf", str(BOOK), "-o", "{out}"], ".pdf"),
}
BAD_OUTPUTS = {
    "exists": ("bestaat al", lambda d, sfx: _existing(d, sfx)),
    "directory": ("is een map", lambda d, sfx: _folder_named(d, sfx)),
    "no_folder": ("bestaat niet", lambda d, sfx: d / "geen-map" / f"uit{sfx}"),
}


def _existing(d: Path, suffix: str) -> Path:
    path = d / f"bestaand{suffix}"
    path.write_text("van de gebruiker", encoding="utf-8")
    return path


def _folder_named(d: Path, suffix: str) -> Path:
    folder = d / f"map{suffix}"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("kind", sorted(BAD_OUTPUTS))
@pytest.mark.parametrize("command", sorted(OUTPUT_COMMANDS))
def test_bad_output_path(command: str, kind: str, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    argv, suffix = OUTPUT_COMMANDS[command]
    message, make = BAD_OUTPUTS[kind]
    out = make(tmp_path, suffix)
    if command == "audit" and kind == "directory":
        pytest.skip("audit -o takes a folder for its reports (one file: <name>.audit.html)")
    before = _listing(tmp_path)
    snapshot = out.read_bytes() if out.is_file() else None
    code, _, err = run([a.format(out=out) for a in argv], capsys)
    assert code == 2, (command, kind, err)
    assert message in err and "Traceback" not in err, (command, kind, err)
    assert _listing(tmp_path) == before, "a file appeared (a stray .tmp?)"
    if snapshot is not None:
        assert out.read_bytes() == snapshot, "an existing file was overwritten"


def test_force_overwrites_and_leaves_no_temporary_file(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = _existing(tmp_path, ".xlsx")
    code, _, err = run(["new", str(SCENARIO), "-o", str(out), "--force"], capsys)
    assert code == 0, err
    assert out.read_bytes()[:2] == b"PK"
    assert _listing(tmp_path) == {out.name}


def test_no_arguments_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([], capsys)
    assert code == 0 and "usage: xlcoop" in out and "calc" in out and not err


@pytest.mark.parametrize("command", ["new", "calc", "check", "solve", "audit", "extract", "pdf",
                                     "docs", "programme"])
def test_every_command_takes_json_and_lang(command: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = capsys.readouterr().out
    assert "--json" in text and "--lang" in text, command
    if command in ("new", "solve", "audit", "extract", "pdf", "docs"):
        assert "-o FILE, --output FILE" in text and "--force" in text, command


@pytest.mark.parametrize("value", [1, 1.0, 5])
def test_percentage_of_100_or_more_is_refused_with_the_hint(value: float, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    doc = tomllib.loads(SCENARIO.read_text(encoding="utf-8"))
    doc.setdefault("exploitatie", {})["huurderving"] = value
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc, default=str), encoding="utf-8")
    for argv in (["calc", str(path)], ["new", str(path), "-o", str(tmp_path / "x.xlsx")]):
        code, _, err = run(argv, capsys)
        assert code == 2 and "huurderving" in err and "0.01 = 1%" in err, err
    assert not (tmp_path / "x.xlsx").exists()
    code, out, _ = run(["check", str(path), "--json"], capsys)
    assert code == 1
    found = [f for f in json.loads(out)["findings"] if f["name"] == "huurderving"]
    assert found and "0.01 = 1%" in found[0]["message_en"]


def test_calc_counts_warnings_as_check_does(capsys: pytest.CaptureFixture[str]) -> None:
    _, calc, _ = run(["calc", str(BOOK), "--json"], capsys)
    _, check, _ = run(["check", str(BOOK), "--json"], capsys)
    assert json.loads(calc)["findings"] == json.loads(check)["counts"]
    _, text, _ = run(["calc", str(BOOK), "--lang", "en"], capsys)
    assert "Findings (as xlcoop check)" in text
    assert "1,00" not in text.split("peiljaar")[0]  # years and counts are not "1,00"


def test_solve_verdicts(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """LTV binds at this price whatever the rent: no solution, its reason, exit 1; the headline
    and the rounded value agree; --price is refused for max-price."""
    code, out, _ = run(["solve", str(BOOK), "--target", "min-rent", "--price", "1500000",
                        "--json"], capsys)
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    assert data["solution"]["binding"] == "LTV" and "LTV" in data["reason_nl"]
    code, out, _ = run(["solve", str(BOOK), "--target", "min-rent", "--price", "1500000"],
                       capsys)
    assert code == 1 and "(bindend: kasstroom)" not in out and "LTV" in out.splitlines()[0]
    code, out, _ = run(["solve", str(BOOK), "--target", "max-price", "--json"], capsys)
    sol = json.loads(out)["solution"]
    assert code == 0 and sol["rounded"] == 882_000
    assert "882.000" in sol["summary_nl"]
    code, _, err = run(["solve", str(BOOK), "--target", "max-price", "--price", "5"], capsys)
    assert code == 2 and "--price" in err


def test_audit_takes_a_folder_with_a_summary(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "ontvangen"
    folder.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        shutil.copy(BOOK, folder / name)
    code, out, err = run(["audit", str(folder), "--no-progress"], capsys)
    assert code == 0, err
    assert out.count("xlcoop audit:") == 2
    assert "2 werkmappen: 2 schoon" in err
    assert "Businesscase" in out and "controles_ok: ja" in out
