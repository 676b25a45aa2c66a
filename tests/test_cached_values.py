"""Cached values: every formula cell of every workbook carries the value the formulas give.

The writer stores the reference model's value beside each formula, so Excel's Protected View,
previews and readers such as python-calamine show the numbers without recalculating. These
tests prove each stored value equal to LibreOffice's recalculation of the same file, for every
generated workbook (examples in both languages, the template, the random scenarios) and every
committed one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Case
from python_calamine import CalamineWorkbook
from test_three_engines import UNIT, agree

from xlcoop.layout import SHEETS, formula_cells, get_column_letter, value_sources
from xlcoop.scenario import excel_serial

Values = dict[tuple[str, int, int], Any]


def _plain(value: Any) -> Any:
    """Calamine's dates and times as Excel serials, like the values the writer stores."""
    if isinstance(value, dt.datetime):
        return excel_serial(value.date()) + (value - dt.datetime.combine(
            value.date(), dt.time())).total_seconds() / 86400
    if isinstance(value, dt.date):
        return excel_serial(value)
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86400
    return value


def formula_values(path: Path, lang: str) -> Values:
    """The value stored for every registry formula cell, by (sheet key, row, col)."""
    book = CalamineWorkbook.from_path(str(path))
    out: Values = {}
    grids = {s.key: book.get_sheet_by_name(s.title(lang)).to_python(skip_empty_area=False)
             for s in SHEETS}
    for sheet, row, col in formula_cells():
        grid = grids[sheet]
        value = grid[row - 1][col - 1] if row <= len(grid) and col <= len(grid[row - 1]) \
            else None
        out[(sheet, row, col)] = _plain(value)
    return out


def _name(cell: tuple[str, int, int]) -> str:
    source = value_sources()[cell]
    return source[0] if isinstance(source, tuple) else source


def disagreements(cached: Values, recalculated: Values) -> list[str]:
    out = []
    for cell, want in recalculated.items():
        got = cached[cell]
        if want == "" and got == "":
            continue
        if not agree(_name(cell), want, got):
            sheet, row, col = cell
            out.append(f"{sheet}!{get_column_letter(col)}{row} ({_name(cell)}): cached {got!r}, "
                       f"LibreOffice {want!r}")
    return out


def test_cached_values_equal_libreoffice(lo_cases: dict[str, Case]) -> None:
    problems: list[str] = []
    for case in lo_cases.values():
        bad = disagreements(formula_values(case.path, case.lang),
                            formula_values(case.recalculated, case.lang))
        problems += [f"{case.name}: {line}" for line in bad[:5]]
    assert problems == [], "\n".join(problems)


# The committed workbooks are the generated ones byte for byte (test_workbook proves it, and
# the fixture below checks it again): LibreOffice's copy of the session case is their copy.
COMMITTED_CASE = {"xlcoop-template.xlsx": "template"}


@pytest.fixture(scope="module")
def committed_recalculated(lo_cases: dict[str, Case]) -> dict[Path, Path]:
    out = {}
    for path in sorted((ROOT / "workbooks").glob("*.xlsx")):
        case = lo_cases[COMMITTED_CASE.get(path.name, path.stem)]
        assert path.read_bytes() == case.path.read_bytes(), \
            f"{path.name} is not the generated workbook: run python -m xlcoop.artifacts"
        out[path] = case.recalculated
    return out


def test_committed_workbooks_cache_what_libreoffice_computes(
        committed_recalculated: dict[Path, Path]) -> None:
    assert len(committed_recalculated) >= 5
    problems = []
    for path, recalculated in committed_recalculated.items():
        bad = disagreements(formula_values(path, "nl"), formula_values(recalculated, "nl"))
        problems += [f"{path.name}: {line}" for line in bad[:5]]
    assert problems == [], "\n".join(problems)


def test_calamine_reads_example_a_max_price_from_the_committed_file() -> None:
    """What a bank's script sees without any spreadsheet: the maximum price 882,000."""
    book = CalamineWorkbook.from_path(str(ROOT / "workbooks" / "stappenplan-a.xlsx"))
    rows = book.get_sheet_by_name("Financiering").to_python()
    shown = {row[3]: row[2] for row in rows if len(row) > 3 and isinstance(row[3], str)}
    assert shown["max_aankoopprijs"] == 882_000


def test_every_formula_cell_has_a_cached_value() -> None:
    """Every formula in the committed workbooks stores a value (`<v></v>` only as an empty
    text result, typed str), and no empty cell is typed as a number."""
    import re
    import zipfile

    for path in sorted((ROOT / "workbooks").glob("*.xlsx")):
        with zipfile.ZipFile(path) as z:
            for part in z.namelist():
                if part.startswith("xl/worksheets/sheet"):
                    xml = z.read(part).decode()
                    formulas = len(re.findall(r"<f>", xml))
                    values = len(re.findall(r"</f><v>[^<]+</v>", xml))
                    empty_texts = len(re.findall(r'<c [^>]*t="str"><f>[^<]*</f><v></v>', xml))
                    assert formulas == values + empty_texts, (path.name, part, formulas, values)
                    assert not re.search(r'<c [^>]*t="n"[^>]*/>', xml), (path.name, part)


def test_the_comparison_can_fail() -> None:
    """A changed cached value is caught (money to half a cent, ratios to 1e-6)."""
    cell = next(c for c in formula_cells() if _name(c) == "max_aankoopprijs")
    assert UNIT["max_aankoopprijs"] == "eur"
    assert disagreements({cell: 882_000.01}, {cell: 882_000.0})
    assert not disagreements({cell: 882_000.004}, {cell: 882_000.0})
