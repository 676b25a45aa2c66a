"""`xlcoop audit`: untouched workbooks audit clean; tampered copies are reported at the right
defined name and address; lint; the command line and its reports. The copies saved by
LibreOffice are audited in test_audit_libreoffice.py (that module waits for LibreOffice, this one
runs while it works)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, example_scenario, libreoffice_batch
from test_audit_corpus import (
    alter_formula,
    edit_cell,
    insert_col_like_excel,
    insert_row_like_excel,
    overwrite_with_number,
    set_value,
    sheet_part,
    where,
    write_zip,
    zip_parts,
)

from xlcoop.audit import audit
from xlcoop.audit.findings import CRITICAL, ERROR, INFO, WARNING, Report
from xlcoop.cli import main
from xlcoop.layout import SHEETS, all_items, get_column_letter, layout
from xlcoop.norms import NORMS
from xlcoop.workbook.writer import write_workbook

FINDING_LEVELS = (CRITICAL, ERROR, WARNING)


def serious(report: Report) -> list[str]:
    return [f"{f.code} {f.name} {f.where}: {f.params}" for f in report.findings
            if f.severity in FINDING_LEVELS]


def formula_of(name: str) -> str:
    item = next(i for i in all_items() if i.name == name)
    assert item.formula
    return item.formula[1:]


# The template and example A (nl and en), B and C are the session's cases (their LibreOffice
# copies come from its run); only the English template is written here.
AUDIT_CASES = ("template", "stappenplan-a", "stappenplan-b", "stappenplan-c", "stappenplan-a-en")


@libreoffice_batch("audit")
def audit_books(folder: Path) -> dict[str, Path]:
    """The English template, which is not among the session's cases."""
    return {"template-en": write_workbook(folder / "audit-template-en.xlsx", None, "en")}


@pytest.fixture(scope="module")
def books(session_books: Any) -> dict[str, Path]:
    return {**{name: session_books.cases[name].path for name in AUDIT_CASES},
            **session_books.extras["audit"]}


# -- clean ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["template", "template-en", "stappenplan-a", "stappenplan-b",
                                  "stappenplan-c", "stappenplan-a-en"])
def test_untouched_workbooks_audit_clean(name: str, books: dict[str, Path]) -> None:
    report = audit(books[name])
    assert report.status == "clean", serious(report)
    assert report.exit_code == 0
    assert report.fingerprint_actual == report.fingerprint_expected == \
        report.fingerprint_claimed
    assert {"safety", "integrity", "lint"} <= set(report.checked)
    if name.startswith("stappenplan"):
        assert report.inputs_state == "complete"
        assert report.figures and report.computed == {
            k: v for k, v in report.figures.items() if k in report.computed}


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "workbooks").glob("*.xlsx")))
def test_committed_workbooks_audit_clean(name: str) -> None:
    report = audit(ROOT / "workbooks" / name)
    assert report.status == "clean", serious(report)


def test_inputs_are_read_as_the_workbook_reader_reads_them(books: dict[str, Path]) -> None:
    """The audit's own input reading equals workbook.reader.read_scenario (no drift)."""
    from xlcoop.audit import integrity
    from xlcoop.audit.package import read_package
    from xlcoop.audit.recompute import scenario_data
    from xlcoop.audit.reference import reference
    from xlcoop.audit.safety import scan
    from xlcoop.scenario import validate
    from xlcoop.workbook.reader import read_scenario

    for name in ("stappenplan-a", "stappenplan-b", "stappenplan-c", "stappenplan-a-en"):
        report = Report(name)
        pkg = read_package(scan(books[name], report).parts)
        alignment = integrity.check(pkg, reference("en" if name.endswith("en") else "nl"),
                                    report)
        assert validate(scenario_data(alignment)) == read_scenario(books[name])


# -- tampered ------------------------------------------------------------------------------------
def only(report: Report, code: str) -> list:
    found = report.by_code(code)
    assert found, (code, serious(report))
    return found


def test_output_overwritten_with_a_number(books: dict[str, Path], tmp_path: Path) -> None:
    path = overwrite_with_number(books["stappenplan-a"], tmp_path / "t.xlsx",
                                 "max_aankoopprijs", 950_000)
    report = audit(path)
    _, title, addr = where("max_aankoopprijs")
    (f,) = only(report, "formula_overwritten")
    assert (f.name, f.sheet, f.address) == ("max_aankoopprijs", title, addr)
    assert f.params["value"] == 950_000 and f.params["formula"] == "=" + formula_of(
        "max_aankoopprijs")
    assert report.exit_code == 1
    assert report.computed["max_aankoopprijs"] == 950_000
    assert report.figures["max_aankoopprijs"] != 950_000
    # The sale price follows the overwritten cell: reported with the chain that leads there.
    (sale,) = [d for d in only(report, "result_differs") if d.name == "verkoopprijs"]
    assert sale.params["workbook"] == 950_000
    assert sale.chain[-1]["name"] == "max_aankoopprijs" and sale.chain[-1]["cause"]


def test_formula_altered(books: dict[str, Path], tmp_path: Path) -> None:
    old = formula_of("max_lening_ltv")
    path = alter_formula(books["stappenplan-a"], tmp_path / "t.xlsx", "max_lening_ltv",
                         f"({old})*1.1")
    report = audit(path)
    _, title, addr = where("max_lening_ltv")
    (f,) = only(report, "formula_altered")
    assert (f.name, f.sheet, f.address) == ("max_lening_ltv", title, addr)
    assert f.params["old"] == "=" + old and f.params["new"] == f"=({old})*1.1"
    lint = [x for x in only(report, "constant_in_formula") if x.name == "max_lening_ltv"]
    assert lint and "1.1" in lint[0].params["constants"]
    (diff,) = [d for d in only(report, "result_differs") if d.name == "max_lening_ltv"]
    assert diff.params["workbook"] == pytest.approx(diff.params["standard"] * 1.1)


def test_norm_changed_reports_old_and_new_value(books: dict[str, Path], tmp_path: Path) -> None:
    norm = next(n for n in NORMS if n.table is None and n.value)
    name = norm.name + "_standaard"
    path = set_value(books["stappenplan-a"], tmp_path / "t.xlsx", name, norm.value * 1.5)
    report = audit(path)
    _, title, addr = where(name)
    (f,) = only(report, "norm_changed")
    assert (f.name, f.sheet, f.address) == (name, title, addr)
    assert f.params["old"] == norm.value and f.params["new"] == pytest.approx(norm.value * 1.5)
    assert report.exit_code == 1


def test_reference_table_value_changed(books: dict[str, Path], tmp_path: Path) -> None:
    from xlcoop.norms import TABLES

    table = TABLES[0]
    sheet, col, first = _range_start(f"{table.name}_waarde")
    parts = zip_parts(books["stappenplan-a"])
    part = sheet_part(parts, sheet)
    addr = f"{get_column_letter(col)}{first}"
    parts[part] = re.sub(rf'(<c r="{addr}"[^>]*>)<v>[^<]*</v>', r"\g<1><v>0.5</v>",
                         parts[part].decode(), count=1).encode()
    report = audit(write_zip(tmp_path / "t.xlsx", parts))
    (f,) = only(report, "norm_changed")
    assert f.address == addr and f.params["old"] == table.rows[0].value
    assert f.params["new"] == 0.5 and f.params["label"].startswith(f"{table.name}_waarde")


def _range_start(name: str) -> tuple[str, int, int]:
    """(sheet key, column, first row) of a range name, from the written template's names."""
    from xlcoop.audit.reference import reference

    pos = reference("nl").names[name]
    return pos.key, pos.c1, pos.r1


def test_row_inserted_is_one_finding_not_hundreds(books: dict[str, Path],
                                                  tmp_path: Path) -> None:
    key, row, _ = layout().cells["max_lening"]
    path = insert_row_like_excel(books["stappenplan-a"], tmp_path / "t.xlsx", key, row)
    report = audit(path)
    title = next(s for s in SHEETS if s.key == key).title("nl")
    (f,) = only(report, "rows_inserted")
    assert (f.sheet, f.address, f.params["before"]) == (title, f"{row}:{row}", "max_lening")
    assert serious(report) == [serious(report)[0]], "nothing but the insertion"
    assert report.exit_code == 1


def test_column_inserted(books: dict[str, Path], tmp_path: Path) -> None:
    key, _, _ = layout().cells["max_lening"]
    path = insert_col_like_excel(books["stappenplan-a"], tmp_path / "t.xlsx", key, 2)
    report = audit(path)
    (f,) = only(report, "cols_inserted")
    assert f.address == "B:B"
    assert len(serious(report)) == 1, serious(report)


def test_renamed_and_shadowed_names(books: dict[str, Path], tmp_path: Path) -> None:
    parts = zip_parts(books["stappenplan-a"])
    book = parts["xl/workbook.xml"].decode()
    book = book.replace('name="lening"', 'name="lening_oud"', 1)
    shadow = '<definedName name="rente" localSheetId="0">0.001</definedName>'
    book = book.replace("</definedNames>", shadow + "</definedNames>", 1)
    parts["xl/workbook.xml"] = book.encode()
    report = audit(write_zip(tmp_path / "t.xlsx", parts))
    (f,) = only(report, "name_renamed")
    assert (f.name, f.params["new"]) == ("lening", "lening_oud")
    assert only(report, "name_shadowed")[0].name == "rente"


def test_english_workbook_is_reported_in_its_own_sheet_titles(books: dict[str, Path],
                                                              tmp_path: Path) -> None:
    src = books["stappenplan-a-en"]
    parts = zip_parts(src)
    key, row, col = layout().cells["netto_cashflow"]
    part = sheet_part(parts, key, "en")
    addr = f"{get_column_letter(col)}{row}"
    parts[part] = re.sub(rf'<c r="{addr}"[^>]*>.*?</c>', f'<c r="{addr}"><v>1</v></c>',
                         parts[part].decode(), count=1, flags=re.S).encode()
    report = audit(write_zip(tmp_path / "t.xlsx", parts))
    (f,) = only(report, "formula_overwritten")
    title = next(s for s in SHEETS if s.key == key).title("en")
    assert (f.name, f.sheet, f.address, report.lang) == ("netto_cashflow", title, addr, "en")


# -- lint ----------------------------------------------------------------------------------------
def test_lint_on_a_workbook_of_unknown_shape(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    for col in range(2, 9):
        ws.cell(1, col, 2020 + col)
        ws.cell(2, col, f"={get_column_letter(col)}1*1.21")  # a rate typed into formulas
        ws.cell(3, col, f"={get_column_letter(col)}2+{get_column_letter(col)}1")
    ws["F3"] = "=F2-F1"  # one year computed differently
    ws["B5"] = "=Z99+1"  # refers to nothing
    ws["B6"] = "=B7+1"
    ws["B7"] = "=B6+1"  # circular
    wb.save(tmp_path / "plan.xlsx")
    report = audit(tmp_path / "plan.xlsx")
    codes = {f.code for f in report.findings}
    assert {"not_xlcoop", "constant_in_formula", "inconsistent_row", "empty_reference",
            "circular_reference"} <= codes, codes
    (row,) = report.by_code("inconsistent_row")
    assert row.params["cells"] == ["F3"]
    assert report.exit_code == 1


def test_cached_values_of_any_workbook_are_checked_by_its_own_formulas(tmp_path: Path) -> None:
    """No template, no model: every cached value against `formulas`, including a lookup in a
    one-cell table (a range of one cell must stay a range) and a stale cached value."""
    import openpyxl
    from openpyxl.workbook.defined_name import DefinedName

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws["A1"], ws["B1"], ws["A3"] = "x", 0.21, 100
    ws["C1"] = '=IFERROR(INDEX(tarief,MATCH("x",sleutel,0)),0)'
    ws["C2"] = "=A3*tarief"
    ws["C3"] = "=C2+A3"
    wb.defined_names["sleutel"] = DefinedName("sleutel", attr_text="Data!$A$1")
    wb.defined_names["tarief"] = DefinedName("tarief", attr_text="Data!$B$1")
    wb.save(tmp_path / "plain.xlsx")
    parts = zip_parts(tmp_path / "plain.xlsx")
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for addr, cached in (("C1", "0.21"), ("C2", "21"), ("C3", "999")):  # C3 is stale
        xml = re.sub(rf'(<c r="{addr}"[^>]*>\s*<f>[^<]*</f>)\s*<v>\s*</v>',
                     rf"\g<1><v>{cached}</v>", xml)
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    report = audit(write_zip(tmp_path / "cached.xlsx", parts))
    wrong = report.by_code("cached_differs")
    assert [(f.address, f.params["computed"]) for f in wrong] == [("C3", 121)], serious(report)


def test_unused_input_and_circular_reference(books: dict[str, Path], tmp_path: Path) -> None:
    """Every formula that reads an input made not to: the input is reported unused."""
    from xlcoop.inputs import INPUTS
    from xlcoop.layout import formula_cells

    target = next(s.name for s in INPUTS if s.kind == "number" and s.default == 0.0 and
                  sum(1 for f in formula_cells().values() if re.search(rf"\b{s.name}\b", f))
                  <= 3)
    parts = zip_parts(books["stappenplan-a"])
    pattern = re.compile(rf"(<f>[^<]*)\b{target}\b")
    for name in list(parts):
        if name.startswith("xl/worksheets/"):
            xml = parts[name].decode()
            while pattern.search(xml):
                xml = pattern.sub(r"\g<1>0", xml)
            parts[name] = xml.encode()
    path = write_zip(tmp_path / "unused.xlsx", parts)
    path = alter_formula(path, tmp_path / "t.xlsx", "baten",
                         formula_of("baten") + "+netto_cashflow*0")
    report = audit(path)
    assert [f.params["input"] for f in only(report, "unused_input")] == [target]
    assert only(report, "circular_reference")


# -- command line and reports -------------------------------------------------------------------
@pytest.mark.parametrize(("name", "shift", "reported"), [
    ("dscr_min", 5e-7, False), ("dscr_min", 5e-6, True),  # a factor: to 1e-6
    ("max_aankoopprijs", 0.004, False), ("max_aankoopprijs", 0.02, True),  # money: to a cent
])
def test_cached_values_are_held_to_their_unit_s_tolerance(books: dict[str, Path],
                                                            tmp_path: Path, name: str,
                                                            shift: float, reported: bool) -> None:
    """A spreadsheet's last digits are no difference; beyond the unit's tolerance there is one."""
    def nudge(addr: str, old: str) -> str:
        value = float(re.search(r"<v>([^<]*)</v>", old).group(1))
        return re.sub(r"<v>[^<]*</v>", f"<v>{value + shift!r}</v>", old, count=1)

    report = audit(edit_cell(books["stappenplan-a"], tmp_path / "t.xlsx", name, nudge))
    found = [(f.name, f.params["root"]) for f in report.by_code("cached_differs")]
    assert found == ([(name, True)] if reported else []), serious(report)


def test_cli_exit_status_json_and_html(books: dict[str, Path], tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    clean = books["stappenplan-b"]
    assert main(["audit", str(clean)]) == 0
    assert "SCHOON" in capsys.readouterr().out
    bad = overwrite_with_number(clean, tmp_path / "bad.xlsx", "lening", 1)
    before = (bad.read_bytes(), bad.stat().st_mtime_ns)
    html = tmp_path / "rapport.html"
    assert main(["audit", str(bad), "--json", "-o", str(html), "--lang", "en"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["status"] == "findings" and payload["exit_code"] == 1
    assert any(f["code"] == "formula_overwritten" and f["name"] == "lening"
               for f in payload["findings"])
    assert (bad.read_bytes(), bad.stat().st_mtime_ns) == before
    text = html.read_text(encoding="utf-8")
    assert "<script" not in text and "http" not in text.replace("http-equiv", "")
    assert "Formula overwritten" in text and "lening" in text
    assert main(["audit", str(bad), "-o", str(bad)]) == 2  # never over the input
    assert (bad.read_bytes(), bad.stat().st_mtime_ns) == before
    (tmp_path / "not.xlsx").write_bytes(b"hello")
    assert main(["audit", str(tmp_path / "not.xlsx"), str(clean)]) == 2


def test_html_escapes_what_comes_from_the_file(tmp_path: Path) -> None:
    from xlcoop.audit.html import html_report

    scenario = example_scenario("stappenplan-a")
    scenario.inputs["projectnaam"] = '<script>alert("x")</script>'
    path = write_workbook(tmp_path / "x.xlsx", scenario)
    text = html_report(audit(path))
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_extract_many_files_one_row_each(books: dict[str, Path], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    import csv

    import openpyxl

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("stappenplan-a", "stappenplan-b", "stappenplan-c"):
        shutil.copy(books[name], folder / f"{name}.xlsx")
    overwrite_with_number(books["stappenplan-a"], folder / "tampered.xlsx", "lening", 1)
    (folder / "photo.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (folder / "empty.xlsx").write_bytes(b"")
    evil = '=HYPERLINK("http://evil.example","klik")'.replace('"', "&quot;")
    edit_cell(books["stappenplan-b"], folder / "injection.xlsx", "projectnaam",
              lambda addr, old: f'<c r="{addr}" t="inlineStr"><is><t>{evil}</t></is></c>')
    out = tmp_path / "portefeuille.csv"
    assert main(["extract", str(folder), "-o", str(out), "-j", "2"]) == 0
    err = capsys.readouterr().err
    assert "100.0%" in err and "7 werkmappen" in err
    with out.open(encoding="utf-8") as fh:
        rows = {Path(r["bestand"]).name: r for r in csv.DictReader(fh)}
    assert len(rows) == 7
    assert rows["stappenplan-a.xlsx"]["status"] == "clean"
    assert float(rows["stappenplan-a.xlsx"]["max_aankoopprijs"]) == 882_000
    assert rows["tampered.xlsx"]["status"] == "findings"
    assert rows["photo.xlsx"]["status"] == "unreadable" and "PNG" in rows["photo.xlsx"]["melding"]
    assert rows["empty.xlsx"]["status"] == "unreadable"
    assert rows["injection.xlsx"]["projectnaam"].startswith("'=")
    xlsx = tmp_path / "portefeuille.xlsx"
    assert main(["extract", str(folder), "-o", str(xlsx), "-j", "1", "--no-progress"]) == 0
    ws = openpyxl.load_workbook(xlsx).active
    header = [c.value for c in ws[1]]
    values = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2,
                                                                          values_only=True)}
    injected = values[str(folder / "injection.xlsx")]["projectnaam"]
    assert injected.startswith("=HYPERLINK")  # kept as text: openpyxl reads no formula here
    assert len(values) == 7
    assert main(["extract", str(folder / "photo.xlsx"), "-o",
                 str(folder / "photo.xlsx")]) == 2  # never over an input


def test_notes_do_not_make_a_workbook_unclean(books: dict[str, Path]) -> None:
    report = audit(books["stappenplan-a"])  # the guide's examples set their own transfer tax
    assert report.status == "clean"
    assert all(f.severity == INFO for f in report.findings)
