"""One rounding rule for displayed figures: a figure that fails its norm never displays as equal
to it ("<1.050" beside a norm of 1.050), and rows for one amortisation form show n.v.t.

Read from the generated workbooks (openpyxl's view of the conditional formats), evaluated in
spreadsheet engines (the rule's own formula text in a cell of a tiny workbook), and rendered
by LibreOffice to PDF."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, require_soffice
from openpyxl.workbook.defined_name import DefinedName

from xlcoop.engines.cells import EngineError
from xlcoop.inputs import INPUT_BY_NAME
from xlcoop.layout import CHECK_VALUE_COL, SHEET_BY_KEY, all_items, get_column_letter, layout
from xlcoop.model import compute
from xlcoop.objections import OBJECTIONS
from xlcoop.scenario import validate
from xlcoop.timeline import FIRST_YEAR_COL, LAST_YEAR_COL, START_COL, TOTAL_COL
from xlcoop.workbook import styles as st
from xlcoop.workbook.norm_display import decimals, strict_format
from xlcoop.workbook.writer import build_workbook, skeleton, workbook_bytes

# The decimals each display format shows, written out (not derived by the code under test).
DECIMALS = {"0.000": 3, "0.00%": 4, "#,##0": 0, "#,##0.00": 2, st.EUR: 0,
            st.NUMBER_FORMATS["eur_maand"]: 2}
SIGN = {"below": "<", "above": ">"}
FIRST, LAST = get_column_letter(FIRST_YEAR_COL), get_column_letter(LAST_YEAR_COL)
ITEMS = {item.name: item for item in all_items()}


def near_norm_doc(**financing: object) -> dict:
    """Example A at an agreed price with costs such that the weakest DSCR is 1.0496 against a
    norm of 1.05: it fails the norm and shows as 1.050."""
    doc = tomllib.loads((ROOT / "examples" / "stappenplan-a.toml").read_text("utf-8"))
    doc["exploitatie"]["exploitatielasten"] = 14486
    doc["financiering"].update({"verkoopprijs_afgesproken": 800000, **financing})
    return doc


@pytest.fixture(scope="module")
def books() -> dict[str, openpyxl.Workbook]:
    near = validate(near_norm_doc())
    return {name: openpyxl.load_workbook(io.BytesIO(workbook_bytes(build_workbook(s, lang))))
            for name, s, lang in (("template", None, "nl"), ("near", near, "nl"),
                                  ("near-en", near, "en"))}


def rules_of(ws, ref: str) -> list:
    found = [cf.rules for cf in ws.conditional_formatting if str(cf.sqref) == ref]
    assert len(found) == 1, (ws.title, ref, "one conditional format per range")
    return sorted(found[0], key=lambda r: r.priority)


def assert_strict_first(ws, ref: str, norm: str, fails: str, when: str | None = None) -> None:
    """The range's first rule: red, its cell's format with the sign, and the condition
    'fails and rounds to the norm' with ROUND to the format's decimals on both sides."""
    cell = ref.split(":")[0]
    fmt = ws[cell].number_format
    d = DECIMALS[fmt]
    rules = rules_of(ws, ref)
    first = rules[0]
    assert first.type == "expression", (ws.title, ref)
    condition = f"{cell}{'<' if fails == 'below' else '>'}{norm}"
    parts = [when, condition] if when else [condition]
    assert first.formula == [f"AND({','.join(parts)},ROUND({cell},{d})=ROUND({norm},{d}))"]
    code = first.dxf.numFmt.formatCode
    assert code.startswith(f'"{SIGN[fails]}'), (ws.title, ref, code)
    assert decimals(code) == d and code.replace(SIGN[fails], "").replace('""', "") == fmt
    assert first.dxf.fill.bgColor.rgb.endswith(st.RED_FILL)
    assert first.dxf.font.color.rgb.endswith(st.RED_TEXT)
    red = rules[1]  # then the plain red rule
    assert red.dxf.fill.bgColor.rgb.endswith(st.RED_FILL)
    if when is None:
        assert (red.type, red.operator, red.formula) == (
            "cellIs", "lessThan" if fails == "below" else "greaterThan", [norm])
    else:
        assert red.formula == [f"AND({','.join(parts)})"]


def test_formats_give_their_decimals_and_their_sign() -> None:
    assert [decimals(f) for f in DECIMALS] == list(DECIMALS.values())
    assert strict_format("0.000", "below") == '"<"0.000'
    assert strict_format("0.00%", "above") == '">"0.00%'
    assert strict_format(st.EUR, "below") == '"<€" #,##0;[Red]"<"-"€" #,##0'


def test_every_flagged_timeline_row_has_the_strict_rule_first(books) -> None:
    lay = layout()
    seen = 0
    for lang, book in (("nl", books["near"]), ("en", books["near-en"])):
        for key, rows in lay.timeline_rows.items():
            ws = book[SHEET_BY_KEY[key].title(lang)]
            for row, line in rows:
                for norm, fails in ((line.flag_below, "below"), (line.flag_above, "above")):
                    if not norm:
                        continue
                    refs = [f"{FIRST}{row}:{LAST}{row}"]
                    refs += [f"{get_column_letter(START_COL)}{row}"] if line.start else []
                    if line.total and line.total != "sum":
                        refs.append(f"{get_column_letter(TOTAL_COL)}{row}")
                    for ref in refs:
                        assert_strict_first(ws, ref, norm, fails)
                        green = rules_of(ws, ref)[2]
                        assert green.dxf.fill.bgColor.rgb.endswith(st.GREEN_FILL)
                        seen += 1
    assert seen > 40


def test_the_sensitivity_overview_has_the_strict_rule_first(books) -> None:
    lay = layout()
    ws = books["near"][SHEET_BY_KEY["gevoeligheid"].title("nl")]
    for row, _variant in lay.variant_rows:
        assert_strict_first(ws, f"C{row}", "dscr_min_netto", "below")
        assert_strict_first(ws, f"E{row}", "ltv_max", "above")
        assert len(rules_of(ws, f"C{row}")) == 2  # no green there, as before


def test_every_objection_and_check_figure_has_the_strict_rule_first(books) -> None:
    lay = layout()
    col = get_column_letter(CHECK_VALUE_COL)
    numeric = {"factor", "pct", "eur", "eur_jaar", "eur_maand", "aantal"}
    for o in OBJECTIONS:  # the direction is given wherever figure and norm are numbers
        units = {ITEMS[o.value_ref].unit if o.value_ref in ITEMS else
                 INPUT_BY_NAME[o.value_ref].unit}
        assert bool(o.fails) == (bool(o.norm_ref) and units <= numeric), o.name
    shown = 0
    for key in ("oordeel", "controles"):
        ws = books["near"][SHEET_BY_KEY[key].title("nl")]
        for row, item in lay.item_rows[key]:
            if not item.fails:
                continue
            when = item.name if key == "oordeel" else f"NOT({item.name})"
            assert_strict_first(ws, f"{col}{row}", item.norm_ref, item.fails, when)
            shown += 1
    assert shown == sum(1 for o in OBJECTIONS if o.fails) + sum(
        1 for _, item in lay.item_rows["controles"] if item.fails)


def test_rows_for_one_amortisation_form_show_not_applicable(books) -> None:
    lay = layout()
    choices = INPUT_BY_NAME["aflossingsvorm"].choices
    rows = [(row, line) for row, line in lay.timeline_rows["lening"] if line.applies_if]
    assert {line.name for _, line in rows} == {"jr_be_mid", "jr_be_lo", "jr_be_hi",
                                               "jr_be_rente_lineair"}
    for lang, text in (("nl", "n.v.t."), ("en", "n/a")):
        ws = books["near" if lang == "nl" else "near-en"][SHEET_BY_KEY["lening"].title(lang)]
        for row, line in rows:
            assert set(re.findall(r'"([^"]*)"', line.applies_if)) <= set(choices)
            (rule,) = rules_of(ws, f"{get_column_letter(START_COL)}{row}:{LAST}{row}")
            assert rule.formula == [f"NOT({line.applies_if})"]
            assert rule.dxf.numFmt.formatCode == ";".join([f'"{text}"'] * 3)
            assert rule.dxf.font.color.rgb.endswith(st.GREY)


def test_the_rule_is_written_on_the_sheets(books) -> None:
    for lang in ("nl", "en"):
        book = books["near" if lang == "nl" else "near-en"]
        for key in ("oordeel", "controles", "lening", "gevoeligheid"):
            note = book[SHEET_BY_KEY[key].title(lang)]["A3"].value
            assert "<1,050" in note if lang == "nl" else "<1.050" in note, (lang, key)
        loan = book[SHEET_BY_KEY["lening"].title(lang)]["A3"].value
        assert ("n.v.t." if lang == "nl" else "n/a") in loan


def test_dxf_number_formats_have_ids_of_their_own_and_the_file_is_stable() -> None:
    near = validate(near_norm_doc())
    data = workbook_bytes(build_workbook(near))
    assert workbook_bytes(build_workbook(near)) == data
    skeleton.cache_clear()  # laid out again, as in a new process: the same bytes
    assert workbook_bytes(build_workbook(near)) == data
    styles = zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml").decode()
    cell_formats = dict(re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"/>',
                                   styles.split("<dxfs")[0]))
    dxf_formats = re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"/>',
                             styles.split("<dxfs")[1])
    assert len(dxf_formats) >= 5
    for fid, code in dxf_formats:  # the id names the same code everywhere in the file
        assert int(fid) >= 164 and cell_formats.get(fid) == code, (fid, code)
    cell_xf_ids = set(re.findall(r'<xf numFmtId="(\d+)"', styles))
    strict_ids = {fid for fid, code in dxf_formats if code.startswith(("&quot;&lt;",
                                                                      "&quot;&gt;"))}
    assert not strict_ids & cell_xf_ids  # no cell is formatted with a strict format


# -- the rule's own formula, evaluated by spreadsheet engines ---------------------------------
def _rule_formula(book, key: str, ref: str) -> str:
    return rules_of(book[SHEET_BY_KEY[key].title("nl")], ref)[0].formula[0]


CASES = {  # figure -> does the strict rule hold? (norm 1.05; LTV norm 70%)
    "dscr": ("lening", "jr_dscr", "dscr_min_netto", 1.05, (1.0496, 1.048, 1.05)),
    "ltv": ("lening", "jr_ltv", "ltv_max", 0.70, (0.70004, 0.7001, 0.70)),
}


def _engines():
    from xlcoop.engines import formualizer_engine, ironcalc_engine

    return [formualizer_engine, ironcalc_engine]


@pytest.mark.parametrize("engine", _engines(), ids=lambda e: e.NAME)
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_strict_condition_in_a_spreadsheet_engine(books, engine, case, tmp_path) -> None:
    key, row_name, norm, norm_value, figures = CASES[case]
    row = next(r for r, line in layout().timeline_rows[key] if line.name == row_name)
    formula = _rule_formula(books["near"], key, f"{FIRST}{row}:{LAST}{row}")
    cell = f"{FIRST}{row}"
    assert cell in formula and norm in formula
    wb = openpyxl.Workbook()
    names = wb.active
    names.title = "namen"
    names["A1"] = norm_value
    wb.defined_names[norm] = DefinedName(norm, attr_text="namen!$A$1")
    sheets = []
    for i, figure in enumerate(figures):
        ws = wb.create_sheet(f"geval{i}")
        ws[cell] = figure
        ws["A1"] = "=" + formula
        sheets.append(ws.title)
    path = tmp_path / f"{case}.xlsx"
    wb.save(path)
    try:
        got = engine.recalculate(path, [(s, "A1") for s in sheets])
    except EngineError as exc:
        pytest.skip(str(exc))
    assert [got[(s, "A1")] for s in sheets] == [True, False, False], formula


@pytest.mark.parametrize("engine", _engines(), ids=lambda e: e.NAME)
def test_the_objection_and_not_applicable_conditions_in_an_engine(books, engine,
                                                                 tmp_path) -> None:
    lay = layout()
    row = next(r for r, item in lay.item_rows["oordeel"] if item.name == "bezwaar_dscr")
    objection = _rule_formula(books["near"], "oordeel", f"D{row}")
    be_row = next(r for r, line in lay.timeline_rows["lening"] if line.name == "jr_be_lo")
    na = _rule_formula(books["near"], "lening", f"{get_column_letter(START_COL)}{be_row}:"
                                                f"{LAST}{be_row}")
    wb = openpyxl.Workbook()
    names = wb.active
    names.title = "namen"
    values = {"dscr_min_netto": 1.05, "bezwaar_dscr": True, "aflossingsvorm": "lineair"}
    for i, (name, value) in enumerate(values.items(), start=1):
        names.cell(row=i, column=1, value=value)
        wb.defined_names[name] = DefinedName(name, attr_text=f"namen!$A${i}")
    ws = wb.create_sheet("oordeel")
    ws[f"D{row}"] = 1.0496
    ws["A1"] = "=" + objection
    ws["A2"] = "=" + na
    path = tmp_path / "objection.xlsx"
    wb.save(path)
    try:
        got = engine.recalculate(path, [("oordeel", "A1"), ("oordeel", "A2")])
    except EngineError as exc:
        pytest.skip(str(exc))
    assert got[("oordeel", "A1")] is True and got[("oordeel", "A2")] is True, (objection, na)


# -- LibreOffice renders it --------------------------------------------------------------------
def _pages(pdf: Path) -> dict[str, str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    out: dict[str, str] = {}
    for page in text.split("\f"):
        footer = re.search(r"^\s*(.+?) — \d+ / \d+\s*$", page, re.M)
        if footer:
            out[footer[1].strip()] = out.get(footer[1].strip(), "") + page
    return out


def test_libreoffice_shows_the_sign_and_not_applicable(tmp_path: Path) -> None:
    from xlcoop.commands.pdf import export_pdf
    from xlcoop.workbook.writer import write_workbook

    require_soffice()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    linear, annuity = validate(near_norm_doc()), validate(near_norm_doc(
        aflossingsvorm="annuitair"))
    r = compute(linear)
    assert 1.0495 < r["dscr_min"] < r["dscr_min_netto"] == 1.05 and r["bezwaar_dscr"]
    (tmp_path / "in").mkdir()
    books = [write_workbook(tmp_path / "in" / "lineair.xlsx", linear),
             write_workbook(tmp_path / "in" / "annuitair-en.xlsx", annuity, "en")]
    made = export_pdf(books, tmp_path / "pdf")
    nl, en = _pages(made[books[0]]), _pages(made[books[1]])
    verdict = nl[SHEET_BY_KEY["oordeel"].title("nl")]
    line = next(x for x in verdict.splitlines() if "DSCR bank (netto) onder de norm" in x)
    assert re.search(r"<1[.,]050\s+1[.,]050", line), line  # the figure, then the norm
    loan = nl[SHEET_BY_KEY["lening"].title("nl")]
    assert re.search(r"<1[.,]050", loan)
    loan_rows = {x.split("  ")[0]: x for x in loan.splitlines()}
    assert "n.v.t." in loan_rows["Alleen bij annuïtair: hoogste rente die past"]
    assert "n.v.t." not in loan_rows["Alleen bij lineair: rente waarbij DSCR = 1 (per jaar)"]
    loan_en = {x.split("  ")[0]: x for x in en[SHEET_BY_KEY["lening"].title("en")]
               .splitlines()}
    assert "n/a" in loan_en["Linear only: rate at which DSCR = 1 (per year)"]
    assert "n/a" not in loan_en["Annuity only: highest rate that fits"]
