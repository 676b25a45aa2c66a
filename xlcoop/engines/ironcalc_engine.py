"""Recalculate an .xlsx file with IronCalc (Rust, `ironcalc` on PyPI): path -> every cell.

A third independent spreadsheet engine for the proof: ~0.6 s to load a workbook of this size
(most of it parsing formulas: IronCalc looks a defined name up by a linear scan, and the template
has ~700), 0.06 s to evaluate it. :class:`Reloaded` therefore loads a workbook once and, for
each further workbook with the same formulas and names, sets its constants and evaluates again.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from collections.abc import Iterable
from typing import Any

from xlcoop.engines.cells import (
    Cell,
    EngineError,
    ExcelError,
    SheetCell,
    as_error,
    engine_module,
    formula_cells_of,
    read_cells,
    row_col,
)

__all__ = ["NAME", "Reloaded", "recalculate"]

NAME = "IronCalc"


def recalculate(path: str | os.PathLike[str],
                cells: Iterable[Cell] | None = None) -> dict[Cell, Any]:
    """Load and evaluate the workbook; the value of each of ``cells`` (default: every formula
    cell of the file). Raises :class:`EngineError` naming IronCalc when it cannot."""
    if cells is None:
        cells = formula_cells_of(path)
    try:
        model = _load(path)
        model.evaluate()
        return _values(model, cells)
    except Exception as exc:  # a Rust panic or a WorkbookError: report, never a traceback
        raise EngineError(f"{NAME} could not evaluate {os.fspath(path)}: {exc}") from exc


def _load(path: str | os.PathLike[str]) -> Any:
    return engine_module("ironcalc", NAME).load_from_xlsx(os.fspath(path), "en", "UTC")


def _values(model: Any, cells: Iterable[Cell]) -> dict[Cell, Any]:
    index = {p["name"]: i for i, p in enumerate(model.get_worksheets_properties())}
    out: dict[Cell, Any] = {}
    for sheet, address in cells:
        row, col = row_col(address)
        out[(sheet, address)] = as_error(model.get_cell_value(index[sheet], row, col))
    return out


# Array formulas and data tables are not in read_cells' formula text: a file with one is loaded.
_NOT_PLAIN = re.compile(rb'<(?:\w+:)?f\b[^>]*\bt="(?:array|dataTable)"')


def _signature(path: str | os.PathLike[str], found: dict[Cell, SheetCell]) -> str | None:
    """What fixes every formula's meaning: the workbook part (sheets, defined names) and each
    formula cell's text. None: not reusable (an array formula or data table)."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(path) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/") and
                  n.endswith(".xml")]
        if any(_NOT_PLAIN.search(zf.read(name)) for name in sheets):
            return None
        digest.update(zf.read("xl/workbook.xml"))
    for (sheet, address), sc in found.items():
        if sc.formula is not None:
            digest.update(f"\0{sheet}\0{address}\0{sc.formula}".encode())
    return digest.hexdigest()


class Reloaded:
    """One IronCalc model per set of formulas, reused for every workbook that has them.

    A workbook with the same sheets, defined names and formula text in the same cells as one
    already loaded differs from it only in constants (inputs, norms, labels): those are set
    cell by cell and the model evaluated again (~0.15 s instead of ~0.65 s). The values equal a
    fresh load of the file (tests/test_ironcalc_reloaded.py) as long as IronCalc reads every
    constant as the file states it; the one known exception, a typed empty cell read as 0, has
    its reproducer in tests/test_engine_agreement.py and the writer never writes one.
    Anything else is loaded afresh.
    """

    def __init__(self) -> None:
        self._models: dict[str, tuple[Any, dict[Cell, Any]]] = {}  # signature -> model, consts
        self.loads = 0  # files loaded afresh (the rest reused a model)

    def recalculate(self, path: str | os.PathLike[str],
                    cells: Iterable[Cell] | None = None) -> dict[Cell, Any]:
        try:
            found = read_cells(path)
            if cells is None:
                cells = [c for c, sc in found.items() if sc.formula is not None]
            constants = {c: sc.cached for c, sc in found.items() if sc.formula is None}
            signature = _signature(path, found)
            if any(isinstance(v, ExcelError) for v in constants.values()):
                signature = None  # an error typed as a constant: IronCalc's own reading
            # Taken out while in use: a model that fails half-way is never reused.
            held = self._models.pop(signature, None) if signature is not None else None
            if held is None:
                model = _load(path)
                self.loads += 1
            else:
                model, current = held
                _set_constants(model, current, constants)
            model.evaluate()
            values = _values(model, cells)
            if signature is not None:
                self._models[signature] = (model, constants)
            return values
        except Exception as exc:  # a Rust panic or a WorkbookError: report, never a traceback
            raise EngineError(f"{NAME} could not evaluate {os.fspath(path)}: {exc}") from exc


def _set_constants(model: Any, current: dict[Cell, Any], wanted: dict[Cell, Any]) -> None:
    """Make the model's constants ``wanted`` (it holds ``current``): set, change or clear."""
    index = {p["name"]: i for i, p in enumerate(model.get_worksheets_properties())}
    for cell, value in wanted.items():
        old = current.get(cell)
        if old is not None and type(old) is type(value) and old == value:
            continue
        sheet, (row, col) = index[cell[0]], row_col(cell[1])
        if isinstance(value, bool):
            model.update_cell_with_bool(sheet, row, col, value)
        elif isinstance(value, (int, float)):
            model.update_cell_with_number(sheet, row, col, float(value))
        else:
            model.update_cell_with_text(sheet, row, col, str(value))
    for cell in current.keys() - wanted.keys():
        model.clear_cell_contents(index[cell[0]], *row_col(cell[1]))
