"""openpyxl bridges for the command line and the tests (not needed inside Excel).

- ``payload_from_xlsx``: a workbook file as the JSON payload xlwings Lite hands a script (every
  sheet's values, every workbook-level defined name), so the command line runs the very same
  scripts as the add-in, on ``jsonbook.Book``;
- ``write_solution_copy``: a solver's answer written into a copy of the workbook (its input
  cells, found by name, and the add-in's own cells where the workbook has them).
"""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from pathlib import Path
from typing import Any

from xlcoop.addin import owned
from xlcoop.addin.jsonbook import parse_range
from xlcoop.inputs import DWELLING_COLUMNS
from xlcoop.scenario import ScenarioError
from xlcoop.solve import Solution

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def load(path: str | Path, data_only: bool) -> Any:
    """openpyxl's workbook, or ScenarioError with one clear line (never a traceback)."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    if not path.is_file():
        raise ScenarioError(["bestand bestaat niet / file does not exist"], str(path))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # data-validation extensions openpyxl cannot keep
            return openpyxl.load_workbook(path, data_only=data_only,
                                          keep_vba=path.suffix.lower() == ".xlsm")
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError,
            TypeError, IndexError, AttributeError) as exc:
        raise ScenarioError([f"geen leesbare .xlsx-werkmap / not a readable workbook "
                             f"({type(exc).__name__}: {exc})"], str(path)) from None


def _json_value(value: Any) -> Any:
    """A cell value as Office.js sends it: '' for empty, ISO text for dates."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%dT00:00:00.000Z")
    if isinstance(value, (dt.time, dt.timedelta)):
        return str(value)
    return value


def _destination(wb: Any, name: str) -> tuple[str, str] | None:
    defined = wb.defined_names.get(name)
    if defined is None:
        return None
    try:
        (sheet, ref), = list(defined.destinations)
    except (ValueError, TypeError, AttributeError):
        return None
    return (sheet, ref.replace("$", "").upper()) if sheet in wb.sheetnames else None


def payload_from_xlsx(path: str | Path) -> dict[str, Any]:
    """The workbook in xlwings' JSON Book format, as the one reader (``workbook.reader``) reads
    it: only the cells the registry names (cached values, as Excel last saved them), on sheets
    sized to those cells. Raises ScenarioError (one message) for a damaged or unsafe file."""
    from xlcoop.layout import get_column_letter
    from xlcoop.workbook.reader import read_workbook

    data = read_workbook(path, strict=False)  # a missing name is the add-in's finding
    grids: dict[str, dict[tuple[int, int], Any]] = {}
    for (sheet, r1, c1, _r2, _c2), values in data.blocks.values():
        grid = grids.setdefault(sheet, {})
        for dr, row in enumerate(values):
            for dc, value in enumerate(row):
                grid[(r1 + dr, c1 + dc)] = value
    sheets, index = [], {}
    for title, grid in grids.items():
        height = max(r for r, _ in grid)
        width = max(c for _, c in grid)
        values = [[_json_value(grid.get((r, c))) for c in range(1, width + 1)]
                  for r in range(1, height + 1)]
        index[title] = len(sheets)
        sheets.append({"name": title, "values": values, "pictures": [], "shapes": [],
                       "charts": [], "notes": [], "tables": [], "pivot_tables": [],
                       "print_area": None, "visibility": "Visible", "show_gridlines": True})
    names = []
    for name, ((sheet, r1, c1, r2, c2), _values) in data.blocks.items():
        address = f"{get_column_letter(c1)}{r1}" + (
            f":{get_column_letter(c2)}{r2}" if (r1, c1) != (r2, c2) else "")
        quoted = sheet.replace("'", "''")
        names.append({"name": name, "refers_to": f"='{quoted}'!{address}",
                      "sheet_index": index[sheet], "address": address, "book_scope": True,
                      "scope_sheet_name": None, "scope_sheet_index": None})
    for name, text in data.broken.items():  # present but pointing nowhere: '#REF!' in Excel
        names.append({"name": name, "refers_to": "=" + text, "sheet_index": None,
                      "address": None, "book_scope": True, "scope_sheet_name": None,
                      "scope_sheet_index": None})
    return {"client": "Office.js", "version": "xlcoop-reader",
            "book": {"name": Path(path).name, "active_sheet_index": 0, "selection": "A1"},
            "sheets": sheets, "names": names}


def _cells(wb: Any, name: str) -> list[list[Any]] | None:
    where = _destination(wb, name)
    if where is None:
        return None
    r1, c1, r2, c2 = parse_range(where[1])
    ws = wb[where[0]]
    return [[ws.cell(row=r, column=c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]


def _dwelling_row_cells(wb: Any) -> list[Any]:
    """The rent cells of the filled rows of the dwellings table (the reader's rule)."""
    columns = [_cells(wb, col.name) for col in DWELLING_COLUMNS]
    rent = _cells(wb, "woning_huur")
    if rent is None or any(c is None for c in columns):
        raise ScenarioError(["woningtabel niet gevonden / dwellings table not found"])
    height = len(rent)
    filled = [i for i in range(height) if any(
        i < len(col) and col[i][0].value not in (None, "") for col in columns if col)]
    return [rent[i][0] for i in filled]


def write_solution_copy(source: str | Path, out: str | Path, solution: Solution,
                        writes: owned.Writes | None = None) -> Path:
    """Write a solver's answer into a copy of ``source`` (never into ``source`` itself): the
    inputs it changed, by defined name, and, where the workbook has them, the add-in's cells."""
    source, out = Path(source), Path(out)
    if out.resolve() == source.resolve() or (out.exists() and out.samefile(source)):
        raise ScenarioError(["-o/--output: mag het invoerbestand niet overschrijven / must not "
                             "overwrite the input file"])
    if not solution.ok:
        raise ScenarioError(["geen oplossing om te schrijven / no solution to write"])
    wb = load(source, data_only=False)
    for name, value in solution.inputs.items():
        if name == "woning_huur":
            for cell, rent in zip(_dwelling_row_cells(wb), value, strict=True):
                cell.value = rent
            continue
        block = _cells(wb, name)
        if block is None:
            raise ScenarioError([f"{name}: naam ontbreekt / name missing"], str(source))
        block[0][0].value = value
    if writes and all(_cells(wb, name) is not None for name in writes):
        for name, values in writes.items():
            for row_cells, row_values in zip(_cells(wb, name) or [], values, strict=True):
                for cell, value in zip(row_cells, row_values, strict=True):
                    cell.value = value
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        wb.save(tmp)
        tmp.replace(out)  # never leave a half-written workbook behind
    finally:
        tmp.unlink(missing_ok=True)
    return out
