"""The command line as a user runs it: good input writes a workbook, bad input gets one clear
message naming the key, exit status 2, no traceback, and no file written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from xlcoop.cli import main
from xlcoop.scenario import ScenarioError
from xlcoop.workbook.reader import read_scenario

GOOD = (ROOT / "examples" / "stappenplan-a.toml").read_text(encoding="utf-8")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed console entry point, in a fresh interpreter."""
    return subprocess.run([sys.executable, "-m", "xlcoop.cli", *args], capture_output=True,
                          text=True, timeout=120)


def test_new_writes_a_workbook_that_calc_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "a.xlsx"
    done = run("new", str(ROOT / "examples" / "stappenplan-a.toml"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.is_file()
    calc = run("calc", str(out), "--json")
    assert calc.returncode == 0, calc.stderr
    figures = json.loads(calc.stdout)
    assert figures["outputs"]["max_aankoopprijs"] == 882_000
    assert figures["outputs"]["maatschappelijk_kapitaal"] == 618_000
    assert figures["checks"]["controle_lening_binnen_max"] is True
    required = ("netto_cashflow", "max_lening_cashflow", "max_lening_ltv", "max_lening", "buffer",
                "max_aankoopprijs", "verkoopprijs", "maatschappelijk_kapitaal",
                "maatschappelijk_kapitaal_pct", "huur_zonder_korting", "controles_ok")
    assert set(required) <= set(figures["outputs"])


def test_calc_of_scenario_and_of_its_workbook_agree(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("stappenplan-b", "stappenplan-c"):
        scenario = ROOT / "examples" / f"{name}.toml"
        assert main(["calc", str(scenario), "--json"]) == 0
        from_scenario = json.loads(capsys.readouterr().out)
        assert main(["calc", str(ROOT / "workbooks" / f"{name}.xlsx"), "--json"]) == 0
        from_workbook = json.loads(capsys.readouterr().out)
        for key in ("outputs", "checks", "norms"):
            assert from_scenario[key] == from_workbook[key]


def test_calc_prints_a_readable_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calc", str(ROOT / "examples" / "stappenplan-a.toml")]) == 0
    text = capsys.readouterr().out
    assert "Maximale aankoopprijs" in text and "€ 882.000" in text and "41,20%" in text


def test_new_without_scenario_writes_the_empty_template(tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "leeg.xlsx"
    assert main(["new", "-o", str(out)]) == 0
    assert out.read_bytes() == (ROOT / "workbooks" / "xlcoop-template.xlsx").read_bytes()
    out_en = tmp_path / "empty.xlsx"
    assert main(["new", "-o", str(out_en), "--lang", "en"]) == 0
    assert openpyxl.load_workbook(out_en).sheetnames == [
        "Cover", "Summary", "Inputs", "Norms", "Financing", "Rent", "New build", "Operations",
        "Loan", "Balance sheet", "Verdict", "Sensitivity", "Checks", "Promising", "Programme"]


def _scenario(tmp_path: Path, text: str, suffix: str = ".toml") -> Path:
    path = tmp_path / f"scenario{suffix}"
    path.write_text(text, encoding="utf-8")
    return path


BAD_INPUT = [
    ("missing", GOOD.replace("rente = 0.04", ""), "financiering.rente", "ontbreekt"),
    ("negative", GOOD.replace("exploitatielasten = 12000", "exploitatielasten = -12000"),
     "exploitatie.exploitatielasten", "minimaal 0"),
    ("non-numeric", GOOD.replace("exploitatielasten = 12000", 'exploitatielasten = "veel"'),
     "exploitatie.exploitatielasten", "verwacht een getal"),
    ("unknown key", GOOD.replace("rente = 0.04", "rente = 0.04\nrentee = 0.05"),
     "financiering.rentee", "onbekende sleutel"),
    ("unknown section", GOOD + "\n[extra]\nx = 1\n", "extra", "onbekende sectie"),
    ("percent as whole number", GOOD.replace("rente = 0.04", "rente = 4"), "financiering.rente",
     "0.01 = 1%"),
    ("bad choice", GOOD.replace('regio = "Amsterdam"', 'regio = "Utrecht"'), "project.regio",
     "'Den Haag'"),
    ("negative dwellings", GOOD.replace("aantal = 10", "aantal = -10"), "woningen[1].aantal",
     "minimaal 0"),
    ("fractional dwellings", GOOD.replace("aantal = 10", "aantal = 10.5"),
     "woningen[1].aantal", "geheel getal"),
    ("no dwellings", GOOD.split("[[woningen]]")[0] + GOOD.split("marktwaarde_leeg = 150000")[1],
     "woningen", "ontbreekt"),
    ("unknown norm", GOOD + "\nltv = 0.8\n", "normen.ltv", "onbekende norm"),
    ("boolean as number", GOOD.replace("rente = 0.04", "rente = true"), "financiering.rente",
     "verwacht een getal"),
    ("toml syntax", GOOD.replace("rente = 0.04", "rente = = 0.04"), "scenario.toml",
     "geen geldige TOML"),
]


@pytest.mark.parametrize(("case", "text", "key", "expected"), BAD_INPUT,
                         ids=[b[0] for b in BAD_INPUT])
def test_bad_scenario_is_refused_clearly(tmp_path: Path, case: str, text: str, key: str,
                                         expected: str) -> None:
    path = _scenario(tmp_path, text)
    out = tmp_path / "out.xlsx"
    done = run("new", str(path), "-o", str(out))
    assert done.returncode == 2, (case, done.stdout, done.stderr)
    assert key in done.stderr and expected in done.stderr, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [path]  # not even a temporary file left behind


def test_json_scenarios_are_validated_too(tmp_path: Path) -> None:
    path = _scenario(tmp_path, '{"project": {"regio": "Amsterdam"}, "woningen": "veel"}', ".json")
    done = run("calc", str(path))
    assert done.returncode == 2
    assert "woningen: verwacht een lijst" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("content", [b"", b"\x89PNG\r\n\x1a\n" + b"0" * 64, b"PK\x03\x04junk"],
                         ids=["empty", "png", "truncated-zip"])
def test_garbage_workbook_gets_a_message_not_a_traceback(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "ontvangen.xlsx"
    path.write_bytes(content)
    done = run("calc", str(path))
    assert done.returncode == 2
    assert "geen leesbare .xlsx-werkmap" in done.stderr and "Traceback" not in done.stderr
    assert path.read_bytes() == content


def test_missing_file_and_wrong_type(tmp_path: Path) -> None:
    done = run("calc", str(tmp_path / "weg.toml"))
    assert done.returncode == 2 and "bestand bestaat niet" in done.stderr
    done = run("new", str(ROOT / "README.md"), "-o", str(tmp_path / "x.xlsx"))
    assert done.returncode == 2 and "onbekend bestandstype .md" in done.stderr
    done = run("new", "-o", str(tmp_path / "geen-map" / "x.xlsx"))
    assert done.returncode == 2 and "bestaat niet" in done.stderr


def test_template_calc_names_what_is_missing() -> None:
    done = run("calc", str(ROOT / "workbooks" / "xlcoop-template.xlsx"))
    assert done.returncode == 2
    assert "project.regio: ontbreekt" in done.stderr and "Traceback" not in done.stderr


def test_text_in_a_number_cell_of_a_workbook(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(ROOT / "workbooks" / "stappenplan-a.xlsx")
    (sheet, ref), = wb.defined_names["rente"].destinations
    wb[sheet][ref.replace("$", "")] = "vier procent"
    path = tmp_path / "a.xlsx"
    wb.save(path)
    with pytest.raises(ScenarioError, match=r"financiering\.rente: verwacht een getal"):
        read_scenario(path)
    done = run("calc", str(path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
