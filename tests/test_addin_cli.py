"""`xlcoop check` and `xlcoop solve` as a user runs them: findings as a table or JSON, exit 1 on
an error-level finding, hostile workbooks give findings (no traceback), and `-o` writes a
copy, never the input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, example_scenario

from xlcoop.addin.xlsx import _destination
from xlcoop.cli import main
from xlcoop.workbook.reader import read_scenario
from xlcoop.workbook.writer import write_workbook

EXAMPLE = ROOT / "examples" / "stappenplan-a.toml"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_workbook(tmp_path_factory.mktemp("cli") / "a.xlsx",
                          example_scenario("stappenplan-a"))


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main([*args, "--json"])
    captured = capsys.readouterr()
    assert captured.err == ""
    return code, json.loads(captured.out)


def spoil(src: Path, out: Path, change: Any) -> Path:
    import openpyxl

    wb = openpyxl.load_workbook(src)
    change(wb)
    wb.save(out)
    return out


def set_name(wb: Any, name: str, value: Any) -> None:
    sheet, ref = _destination(wb, name)
    wb[sheet][ref.split(":")[0]].value = value


def test_check_a_workbook_and_its_scenario_agree(workbook: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, from_book = run_json(capsys, "check", str(workbook), "--today", "2026-01-15")
    assert code == 0 and from_book["ok"] and from_book["counts"]["error"] == 0
    code, from_file = run_json(capsys, "check", str(EXAMPLE), "--today", "2026-01-15")
    assert code == 0
    assert [f["rule"] for f in from_book["findings"]] == [f["rule"] for f in from_file["findings"]]
    f = from_book["findings"][0]
    assert {"rule", "severity", "name", "label_nl", "label_en", "message_nl", "message_en",
            "value", "norm", "norm_name", "source"} <= set(f)
    assert main(["check", str(workbook)]) == 0
    text = capsys.readouterr().out
    assert "xlcoop check" in text and "waarschuwing" in text
    assert main(["check", str(workbook), "--lang", "en"]) == 0
    assert "warning" in capsys.readouterr().out


HOSTILE = [
    ("text", lambda wb: set_name(wb, "rente", "vier"), "invoer_tekst"),
    ("blank", lambda wb: set_name(wb, "exploitatielasten", None), "invoer_ontbreekt"),
    ("error", lambda wb: set_name(wb, "huurderving", "#DIV/0!"), "invoer_foutwaarde"),
    ("missing-name", lambda wb: wb.defined_names.pop("rente"), "naam_ontbreekt"),
    ("renamed-sheet", lambda wb: setattr(wb[_destination(wb, "rente")[0]], "title", "Andere"),
     "naam_ongeldig"),
]


@pytest.mark.parametrize(("what", "change", "rule"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_workbooks_give_findings_not_tracebacks(
        workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], what: str,
        change: Any, rule: str) -> None:
    bad = spoil(workbook, tmp_path / f"{what}.xlsx", change)
    code, out = run_json(capsys, "check", str(bad))
    assert code == 1 and not out["ok"]
    assert rule in {f["rule"] for f in out["findings"]}
    target = tmp_path / "out.xlsx"
    code, out = run_json(capsys, "solve", str(bad), "--target", "max-price", "-o",
                         str(target))
    assert code == 1 and out["solution"] is None and out["findings"]
    assert not target.exists()


def test_a_renamed_sheet_with_its_names_updated_still_works(workbook: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture) -> None:
    """What Excel does on a rename: the names follow the sheet."""
    def rename(wb: Any) -> None:
        old = _destination(wb, "rente")[0]
        wb[old].title = "Mijn invoer"
        for defined in wb.defined_names.values():
            defined.attr_text = defined.attr_text.replace(f"'{old}'!", "'Mijn invoer'!")

    renamed = spoil(workbook, tmp_path / "renamed.xlsx", rename)
    code, out = run_json(capsys, "solve", str(renamed), "--target", "max-price")
    assert code == 0 and out["solution"]["value"] == pytest.approx(882_000, abs=0.01)


def test_solve_prints_the_answer_and_writes_a_copy(workbook: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_json(capsys, "solve", str(workbook), "--target", "max-price")
    s = out["solution"]
    assert code == 0 and s["value"] == pytest.approx(882_000) and s["binding"] == "kasstroom"
    assert s["figures"]["verkoopprijs"] == pytest.approx(882_000)
    copy = tmp_path / "huur.xlsx"
    before = workbook.read_bytes()
    # At the market value the LTV limit binds whatever the rent: no solution, nothing written.
    assert main(["solve", str(workbook), "--target", "min-rent", "--price", "1.500.000",
                 "-o", str(copy)]) == 1
    text = capsys.readouterr().out
    assert "geen oplossing" in text and "LTV" in text.splitlines()[0] and not copy.exists()
    assert main(["solve", str(workbook), "--target", "min-rent", "--price", "1.000.000",
                 "-o", str(copy)]) == 0
    text = capsys.readouterr().out
    assert "kasstroom" in text and "geschreven" in text
    assert workbook.read_bytes() == before  # the input is never touched
    written = read_scenario(copy)
    assert written.inputs["verkoopprijs_afgesproken"] == 1_000_000
    code, out = run_json(capsys, "solve", str(copy), "--target", "min-rent")
    assert code == 0 and out["solution"]["value"] == pytest.approx(
        written.dwellings[0]["huur_per_maand"], abs=0.01)
    code, out = run_json(capsys, "solve", str(workbook), "--target", "gap", "--price",
                         "1500000")  # at the rent of example A
    assert code == 0 and out["solution"]["value"] == pytest.approx(618_000, abs=0.01)


def test_solve_refuses_to_overwrite_and_reports_no_solution(
        workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = workbook.read_bytes()
    assert main(["solve", str(workbook), "--target", "max-price", "-o",
                 str(workbook)]) == 2
    assert "overschrijven" in capsys.readouterr().err and workbook.read_bytes() == before
    assert main(["solve", str(workbook), "--target", "max-price", "-o",
                 str(tmp_path / "nope" / "x.xlsx")]) == 2
    assert main(["solve", str(workbook), "--target", "max-price", "-o",
                 str(tmp_path / "x.csv")]) == 2
    capsys.readouterr()
    none = tmp_path / "none.xlsx"
    code, out = run_json(capsys, "solve", str(workbook), "--target", "max-huurderving",
                         "-o", str(none))
    assert code == 1 and out["solution"]["status"] == "infeasible" and not none.exists()


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("geen werkmap", encoding="utf-8")
    assert main(["check", str(fake)]) == 2
    assert main(["check", str(tmp_path / "missing.xlsx")]) == 2
    assert main(["check", str(tmp_path / "a.csv")]) == 2
    assert "xlcoop:" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["solve", str(EXAMPLE), "--target", "max-price", "--price", "veel"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit):
        main(["solve", str(EXAMPLE), "--target", "everything"])


def test_a_hostile_scenario_file_gives_findings(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace("rente = 0.04", 'rente = "vier"'),
                   encoding="utf-8")
    code, out = run_json(capsys, "check", str(bad))
    assert code == 1 and out["findings"][0]["rule"] == "invoer_tekst"
    code, out = run_json(capsys, "solve", str(bad), "--target", "max-price")
    assert code == 1 and out["solution"] is None


def test_the_console_entry_point(workbook: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "xlcoop.cli", "solve", str(workbook),
                           "--target", "max-price"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "882.000" in done.stdout and done.stderr == ""
