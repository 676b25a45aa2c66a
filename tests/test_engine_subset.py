"""Probe which Excel features LibreOffice (headless), `formulas`, IronCalc and formualizer all
compute correctly.

One workbook is written with openpyxl (no cached values), recalculated by every engine
and every formula cell is compared with the value Excel would give (tolerance 1e-9).
Known disagreements are recorded in ``KNOWN_DEVIATIONS`` and asserted as the engine's
actual behaviour, so a change in either engine makes this test fail loudly.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from xlcoop.engines.formulas_engine import (
    ExcelError,
    FormulasWorkbook,
    formula_cells,
    missing_cells,
)
from xlcoop.engines.libreoffice import LibreOfficeError, find_soffice, recalculate

needs_soffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice not installed")

INPUT = "Invoer"
CALC = "Berekening"
EXTRA = "Extra blad"  # a sheet name that needs quoting

# Workbook-level defined names -> cell or range on the input sheet.
NAMES = {
    "aantal": "$B$1",
    "prijs": "$B$2",
    "methode": "$B$3",
    "leeg": "$B$4",  # deliberately left empty
    "vlag": "$B$5",
    "jaar": "$B$6",
    "reeks": "$D$1:$D$4",
    "labels": "$E$1:$E$4",
    "jaren": "$F$1:$F$4",
    "tarieven": "$G$1:$G$4",
    "categorie": "$H$1:$H$4",
}
INPUT_VALUES = {
    "B1": 4,
    "B2": 2.5,
    "B3": "residueel",
    "B5": True,
    "B6": 2027,
}
COLUMNS = {
    "D": [1, 2, 3, 4],
    "E": ["a", "b", "c", "d"],
    "F": [2020, 2025, 2030, 2035],
    "G": [0.1, 0.2, 0.3, 0.4],
    "H": ["x", "y", "x", "y"],
}


def _pmt(rate: float, nper: int, pv: float) -> float:
    growth = (1 + rate) ** nper
    return -pv * rate * growth / (growth - 1)


# (label, formula on the CALC sheet, value Excel gives)
CASES: list[tuple[str, str, object]] = [
    ("add", "=aantal+prijs", 6.5),
    ("subtract", "=aantal-prijs", 1.5),
    ("multiply", "=aantal*prijs", 10.0),
    ("divide", "=aantal/prijs", 1.6),
    ("power", "=prijs^2", 6.25),
    ("precedence", "=1+aantal*prijs^2/5-3", 3.0),
    ("unary_minus_power", "=-prijs^2", 6.25),  # Excel: negation binds tighter than ^
    ("sum_named_range", "=SUM(reeks)", 10.0),
    ("min", "=MIN(reeks)", 1.0),
    ("max", "=MAX(reeks, aantal*2)", 8.0),
    ("round", "=ROUND(2.345, 2)", 2.35),
    ("round_half_away", "=ROUND(-2.5, 0)", -3.0),
    ("round_negative_digits", "=ROUND(1234.5, -2)", 1200.0),
    ("abs", "=ABS(aantal-10)", 6.0),
    ("if_string_eq", '=IF(methode="residueel",1,0)', 1.0),
    ("if_string_case_insensitive", '=IF(methode="RESIDUEEL",1,0)', 1.0),
    ("if_string_ne", '=IF(methode="lineair",1,0)', 0.0),
    ("and", "=AND(aantal>1, prijs<3)", True),
    ("or", "=OR(aantal>10, prijs>3)", False),
    ("not", "=NOT(vlag)", False),
    ("cmp_ge", "=aantal>=4", True),
    ("cmp_ne", "=aantal<>4", False),
    ("cmp_lt", "=prijs<aantal", True),
    ("cmp_text", '="a"<"b"', True),
    ("isblank_empty", "=ISBLANK(leeg)", True),
    ("isblank_filled", "=ISBLANK(aantal)", False),
    ("if_empty_eq_blank", '=IF(leeg="","leeg","vol")', "leeg"),
    ("if_filled_eq_blank", '=IF(methode="","leeg","vol")', "vol"),
    ("empty_in_arithmetic", "=leeg+1", 1.0),
    ("index_match_exact", '=INDEX(tarieven, MATCH("c", labels, 0))', 0.3),
    ("index_match_sorted", "=INDEX(tarieven, MATCH(jaar, jaren, 1))", 0.2),
    ("match_sorted_position", "=MATCH(jaar, jaren, 1)", 2.0),
    ("sumproduct", "=SUMPRODUCT(reeks, tarieven)", 3.0),
    ("sumifs_one", '=SUMIFS(reeks, categorie, "x")', 4.0),
    ("sumifs_two", '=SUMIFS(reeks, categorie, "y", reeks, ">2")', 4.0),
    ("countif_text", '=COUNTIF(categorie, "x")', 2.0),
    ("countif_number", '=COUNTIF(reeks, ">=2")', 3.0),
    ("iferror_div0", "=IFERROR(1/0, -1)", -1.0),
    ("iferror_na", '=IFERROR(MATCH("z", labels, 0), 0)', 0.0),
    ("iferror_no_error", "=IFERROR(aantal*2, -1)", 8.0),
    ("cross_sheet", f"={INPUT}!B1*2", 8.0),
    ("cross_sheet_range", f"=SUM({INPUT}!D1:D4)", 10.0),
    ("pmt", "=PMT(0.05/12, 360, -200000)", _pmt(0.05 / 12, 360, -200000)),
    ("pmt_sign", "=PMT(0.04, 10, 1000)", _pmt(0.04, 10, 1000)),
    ("ref_true", "=vlag", True),
    ("ref_true_direct", f"={INPUT}!B5", True),
    ("if_on_true", "=IF(vlag, 1, 2)", 1.0),
    ("true_plus_zero", "=vlag+0", 1.0),
    ("div0_error", "=1/0", ExcelError("#DIV/0!")),
    # Features `formulas` is known to get wrong (see KNOWN_DEVIATIONS).
    ("ipmt_positive", "=IPMT(0.05/12, 1, 360, -200000)", 200000 * 0.05 / 12),
    ("ipmt_negative", "=IPMT(0.05/12, 1, 360, 200000)", -200000 * 0.05 / 12),
    ("double_negation", "=SUMPRODUCT(--(reeks>2), reeks)", 7.0),
    ("sheet_scoped_name", f"={INPUT}!lokaal*2", 8.0),
    ("constant_name", "=rente*100", 5.0),
    ("constant_name_times_input", "=aantal*rente", 0.2),
]
FIRST_ROW = 2  # row 1 holds headers
CELLS = {label: f"B{FIRST_ROW + i}" for i, (label, _, _) in enumerate(CASES)}
EXPECTED = {label: expected for label, _, expected in CASES}

# A cell on a third sheet whose name needs quoting, chaining two sheets.
EXTRA_FORMULA = f"='{CALC}'!{CELLS['multiply']}+{INPUT}!B1"
EXTRA_EXPECTED = 14.0

# (engine, label) -> the value that engine actually produces where it differs from Excel.
KNOWN_DEVIATIONS: dict[tuple[str, str], object] = {
    ("formulas", "ipmt_positive"): ExcelError("#NUM!"),
    ("formulas", "double_negation"): 0.0,  # --(bool array) is not coerced to 1/0
    ("formulas", "sheet_scoped_name"): ExcelError("#REF!"),  # only global names load
    # IronCalc 0.9 parses no sheet-qualified name and knows no name holding a constant;
    # formualizer 0.13 resolves no sheet-qualified name. The workbook uses neither.
    ("IronCalc", "sheet_scoped_name"): ExcelError("#ERROR!"),
    ("IronCalc", "constant_name"): ExcelError("#NAME?"),
    ("IronCalc", "constant_name_times_input"): ExcelError("#NAME?"),
    ("formualizer", "sheet_scoped_name"): ExcelError("#NAME?"),
}


def build_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = INPUT
    for addr, value in INPUT_VALUES.items():
        ws[addr] = value
    for column, values in COLUMNS.items():
        for row, value in enumerate(values, start=1):
            ws[f"{column}{row}"] = value
    for name, ref in NAMES.items():
        wb.defined_names[name] = DefinedName(name, attr_text=f"{INPUT}!{ref}")

    calc = wb.create_sheet(CALC)
    calc["A1"], calc["B1"] = "label", "formula"
    for label, formula, _ in CASES:
        addr = CELLS[label]
        calc[f"A{addr[1:]}"] = label
        calc[addr] = formula

    extra = wb.create_sheet(EXTRA)
    extra["A1"] = EXTRA_FORMULA
    wb.defined_names["rente"] = DefinedName("rente", attr_text="0.05")
    ws.defined_names["lokaal"] = DefinedName("lokaal", attr_text=f"{INPUT}!$B$1")
    wb.save(path)
    return path


def same(actual: object, expected: object) -> bool:
    if isinstance(expected, bool):
        return isinstance(actual, bool) and actual == expected
    if isinstance(expected, str):  # openpyxl reads LibreOffice's error cells as plain str
        return isinstance(actual, str) and actual == expected
    if isinstance(actual, bool) or not isinstance(actual, (int, float)):
        return False
    return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9)


def expected_for(engine: str, label: str) -> object:
    return KNOWN_DEVIATIONS.get((engine, label), EXPECTED[label])


@pytest.fixture(scope="module")
def probe_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_workbook(tmp_path_factory.mktemp("probe") / "probe.xlsx")


@pytest.fixture(scope="module")
def formulas_results(probe_xlsx: Path) -> dict:
    return FormulasWorkbook(probe_xlsx).calculate()


@pytest.fixture(scope="module")
def libreoffice_results(probe_xlsx: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = recalculate([probe_xlsx], tmp_path_factory.mktemp("lo-out"))[probe_xlsx]
    wb = openpyxl.load_workbook(out, data_only=True)
    return {
        (ws.title, cell.coordinate): cell.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
    }


# -- formulas -------------------------------------------------------------------------


def test_formulas_computes_every_formula_cell(probe_xlsx: Path, formulas_results: dict) -> None:
    assert len(formula_cells(probe_xlsx)) == len(CASES) + 1
    assert missing_cells(formulas_results, probe_xlsx) == set()


@pytest.mark.parametrize("label", list(EXPECTED))
def test_formulas_agrees(label: str, formulas_results: dict) -> None:
    actual = formulas_results[(CALC, CELLS[label])]
    expected = expected_for("formulas", label)
    assert same(actual, expected), f"{label}: formulas gave {actual!r}, expected {expected!r}"
    assert isinstance(actual, ExcelError) == isinstance(expected, ExcelError)


def test_formulas_cross_sheet_quoted(formulas_results: dict) -> None:
    assert same(formulas_results[(EXTRA, "A1")], EXTRA_EXPECTED)


def test_formulas_inputs_override_and_do_not_stick(probe_xlsx: Path) -> None:
    book = FormulasWorkbook(probe_xlsx)
    changed = book.calculate({(INPUT, "B1"): 5, (INPUT, "$B$4"): "x", (INPUT, "D1"): 11})
    assert same(changed[(CALC, CELLS["multiply"])], 12.5)
    assert same(changed[(CALC, CELLS["isblank_empty"])], False)
    assert same(changed[(CALC, CELLS["if_empty_eq_blank"])], "vol")
    assert same(changed[(CALC, CELLS["sum_named_range"])], 20.0)
    assert same(changed[(EXTRA, "A1")], 17.5)
    again = book.calculate()
    assert same(again[(CALC, CELLS["multiply"])], 10.0)
    assert same(again[(CALC, CELLS["sum_named_range"])], 10.0)
    emptied = book.calculate({(INPUT, "B1"): None})
    assert same(emptied[(CALC, CELLS["multiply"])], 0.0)


def test_formulas_compile_matches_calculate(probe_xlsx: Path) -> None:
    book = FormulasWorkbook(probe_xlsx)
    inputs = [(INPUT, "B1"), (INPUT, "B4"), (INPUT, "B6")]
    outputs = [(CALC, CELLS[label]) for label in EXPECTED] + [(EXTRA, "A1")]
    fn = book.compile(inputs, outputs)
    assert fn.compiled
    # formulas' own compile() crashes on an output that depends on an input and on a
    # name holding a constant (rente); our tolerant copy of it takes over.
    assert fn.mode == "tolerant"
    only_inputs = book.compile(inputs, [(CALC, CELLS["multiply"])])
    assert only_inputs.mode == "formulas"
    assert same(only_inputs(3, None, 2027)[(CALC, CELLS["multiply"])], 7.5)
    for values in [(4, None, 2027), (7, "x", 2031), (1, None, 2020)]:
        fast = fn(*values)
        slow = book.calculate(dict(zip(inputs, values, strict=True)))
        for cell in outputs:
            assert fast[cell] == slow[cell] or same(fast[cell], slow[cell]), cell


def test_formulas_unknown_cell_is_an_error(probe_xlsx: Path) -> None:
    with pytest.raises(KeyError):
        FormulasWorkbook(probe_xlsx).calculate({(INPUT, "Z99"): 1})


# -- IronCalc and formualizer ----------------------------------------------------------


@pytest.fixture(scope="module")
def rust_results(probe_xlsx: Path) -> dict[str, dict]:
    from xlcoop.engines.batch import RUST_ENGINES, evaluate

    return {engine: evaluate(engine, probe_xlsx) for engine in RUST_ENGINES}


@pytest.mark.parametrize("engine", ["IronCalc", "formualizer"])
@pytest.mark.parametrize("label", list(EXPECTED))
def test_rust_engine_agrees(engine: str, label: str, rust_results: dict) -> None:
    results = rust_results[engine]
    assert not isinstance(results, str), results
    actual = results[(CALC, CELLS[label])]
    expected = expected_for(engine, label)
    assert same(actual, expected), f"{label}: {engine} gave {actual!r}, expected {expected!r}"
    assert isinstance(actual, ExcelError) == isinstance(expected, ExcelError)


@pytest.mark.parametrize("engine", ["IronCalc", "formualizer"])
def test_rust_engine_cross_sheet_quoted(engine: str, rust_results: dict) -> None:
    assert same(rust_results[engine][(EXTRA, "A1")], EXTRA_EXPECTED)


# -- LibreOffice ----------------------------------------------------------------------


@needs_soffice
def test_libreoffice_computes_every_formula_cell(
    probe_xlsx: Path, libreoffice_results: dict
) -> None:
    empty = {cell for cell in formula_cells(probe_xlsx) if libreoffice_results.get(cell) is None}
    assert empty == set()


@needs_soffice
@pytest.mark.parametrize("label", list(EXPECTED))
def test_libreoffice_agrees(label: str, libreoffice_results: dict) -> None:
    actual = libreoffice_results[(CALC, CELLS[label])]
    expected = expected_for("libreoffice", label)
    assert same(actual, expected), f"{label}: LibreOffice gave {actual!r}, expected {expected!r}"


@needs_soffice
def test_libreoffice_cross_sheet_quoted(libreoffice_results: dict) -> None:
    assert same(libreoffice_results[(EXTRA, "A1")], EXTRA_EXPECTED)


@needs_soffice
def test_libreoffice_many_files_in_one_call(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    paths = []
    for i in range(3):
        wb = openpyxl.Workbook()
        wb.active["A1"] = i
        wb.active["A2"] = "=A1*10"
        wb.save(src / f"book{i}.xlsx")
        paths.append(src / f"book{i}.xlsx")
    start = time.perf_counter()
    mapping = recalculate(paths, tmp_path / "out")
    assert time.perf_counter() - start < 120
    assert set(mapping) == set(paths)
    for i, path in enumerate(paths):
        assert mapping[path].parent == (tmp_path / "out").resolve()
        assert openpyxl.load_workbook(mapping[path], data_only=True).active["A2"].value == i * 10


def test_libreoffice_refuses_input_folder_as_outdir(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "a.xlsx")
    with pytest.raises(ValueError, match="folder of input"):
        recalculate([tmp_path / "a.xlsx"], tmp_path)


def test_libreoffice_refuses_colliding_outputs(tmp_path: Path) -> None:
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        openpyxl.Workbook().save(tmp_path / folder / "same.xlsx")
    with pytest.raises(ValueError, match="both be written"):
        recalculate([tmp_path / "x" / "same.xlsx", tmp_path / "y" / "same.xlsx"], tmp_path / "o")


@needs_soffice
def test_libreoffice_names_missing_outputs(tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    openpyxl.Workbook().save(good)
    bad = tmp_path / "bad.xlsx"  # a truncated zip: soffice prints an error, exits 0
    bad.write_bytes(good.read_bytes()[:300])
    with pytest.raises(LibreOfficeError, match=r"bad\.xlsx") as info:
        recalculate([good, bad], tmp_path / "out")
    assert "good.xlsx" not in str(info.value).splitlines()[0]
