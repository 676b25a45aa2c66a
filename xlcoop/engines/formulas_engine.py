"""Recalculate an .xlsx file in-process with the `formulas` package.

Cells are addressed as ``(sheet, address)`` tuples: the sheet name exactly as in the
workbook and an upper-case A1-style address without ``$`` (e.g. ``("Invoer", "B3")``).
Values are plain Python objects: float/int/str/bool, None for an empty cell, or an
:class:`ExcelError` (a ``str`` such as ``"#REF!"``) for Excel errors.

Inside `formulas` a cell is the reference key ``'[<file name>]<SHEET IN UPPER CASE>'!A1``
(always quoted, sheet not escaped, file name as given, e.g. ``'[model.xlsx]INVOER'!B3``);
workbook-scoped defined names are ``'[<file name>]'!NAME``. This module hides that.

Known limitations of `formulas` (measured): only workbook-scoped, non-hidden defined
names are loaded (sheet-scoped/hidden ones give #REF!); a name defined as a constant
(``=12``) crashes ``ExcelModel.compile()`` (worked around in ``FormulasWorkbook.compile``);
IPMT returns #NUM! when the result is positive; ``--(cond)`` evaluates to 0.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

os.environ.setdefault("TQDM_DISABLE", "1")

import formulas
import numpy as np
import openpyxl
import schedula as sh
from formulas.ranges import Ranges
from formulas.tokens.operand import Error, XlError

from xlcoop.engines.cells import ExcelError  # one error type for every engine

__all__ = [
    "Cell",
    "ExcelError",
    "FormulasWorkbook",
    "formula_cells",
    "missing_cells",
    "normalize_address",
]

Cell = tuple[str, str]

_CELL_KEY = re.compile(r"^'\[(?P<book>[^\]]+)\](?P<sheet>.+)'!(?P<addr>[A-Z]{1,3}[0-9]+)$")
_ADDRESS = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]+)$")


def normalize_address(address: str) -> str:
    """``"$b$3"`` -> ``"B3"``; raises ValueError for anything that is not a single cell."""
    m = _ADDRESS.match(address.strip())
    if not m:
        raise ValueError(f"not a single-cell A1 address: {address!r}")
    return f"{m.group(1).upper()}{int(m.group(2))}"


def _to_python(value: Any) -> Any:
    """Unwrap formulas' Ranges / numpy arrays / numpy scalars / tokens to a plain value."""
    if isinstance(value, Ranges):
        value = value.value
    if isinstance(value, np.ndarray):
        if value.size != 1:
            raise ValueError(f"expected a single value, got an array of shape {value.shape}")
        value = value.reshape(-1)[0]
    if value is sh.EMPTY or value is None:
        return None
    if isinstance(value, XlError):
        return ExcelError(str(value))
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value


def _to_formulas(value: Any) -> Any:
    """Convert a plain Python input value to what `formulas` expects."""
    if value is None or value is sh.EMPTY:
        # An empty cell is [[EMPTY]] in formulas: None gives #VALUE! and a bare EMPTY
        # is read by schedula as "no value" (dependent cells silently not computed).
        return [[sh.EMPTY]]
    if isinstance(value, XlError):
        return value
    if isinstance(value, ExcelError):
        try:
            return Error.errors[str(value).upper()]
        except KeyError:
            raise ValueError(f"unknown Excel error value: {value!r}") from None
    if isinstance(value, np.generic):
        return value.item()
    return value


class FormulasWorkbook:
    """A workbook loaded into a `formulas` model, ready for repeated calculation."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.model = formulas.ExcelModel().loads(str(self.path)).finish()
        self._nodes = self.model.dsp.data_nodes
        books = {m.group("book") for k in self._nodes if (m := _CELL_KEY.match(str(k)))}
        self.book = books.pop() if len(books) == 1 else self.path.name
        self.sheetnames: list[str] = self._sheetnames()
        self._sheet_by_upper = {name.upper(): name for name in self.sheetnames}

    def _sheetnames(self) -> list[str]:
        wb = openpyxl.load_workbook(self.path, read_only=True)
        try:
            return list(wb.sheetnames)
        finally:
            wb.close()

    # -- keys ------------------------------------------------------------------------

    def key(self, cell: Cell) -> str:
        """The `formulas` reference key of ``(sheet, address)``, e.g. ``'[f.xlsx]S'!A1``."""
        sheet, address = cell
        if sheet.upper() not in self._sheet_by_upper:
            raise KeyError(f"no sheet {sheet!r} in {self.path.name}: {self.sheetnames}")
        return f"'[{self.book}]{sheet.upper()}'!{normalize_address(address)}"

    def _model_key(self, cell: Cell) -> str:
        key = self.key(cell)
        if key not in self._nodes:
            raise KeyError(
                f"cell {cell!r} is empty and referenced by no formula in {self.path.name}; "
                "overriding or reading it would have no effect"
            )
        return key

    def _cell(self, key: Any) -> Cell | None:
        m = _CELL_KEY.match(str(key))
        if not m or m.group("book") != self.book:
            return None
        sheet = self._sheet_by_upper.get(m.group("sheet"), m.group("sheet"))
        return sheet, m.group("addr")

    # -- calculation -----------------------------------------------------------------

    def calculate(self, inputs: Mapping[Cell, Any] | None = None) -> dict[Cell, Any]:
        """Calculate the workbook, with ``inputs`` overriding cell values (formula or not).

        Returns every single cell known to the model (values and formulas); defined
        names and multi-cell ranges are left out.
        """
        given = {self._model_key(c): _to_formulas(v) for c, v in (inputs or {}).items()}
        solution = self.model.calculate(inputs=given) if given else self.model.calculate()
        results: dict[Cell, Any] = {}
        for key, value in solution.items():
            cell = self._cell(key)
            if cell is not None:
                results[cell] = _to_python(value)
        return results

    def compile(
        self, inputs: Iterable[Cell], outputs: Iterable[Cell]
    ) -> Callable[..., dict[Cell, Any]]:
        """Return ``fn(*values) -> {output cell: value}`` for fast repeated evaluation.

        ``values`` are given in the order of ``inputs``. Uses ``ExcelModel.compile``; when
        that crashes (formulas 1.3.4: an output depending on both an input and a defined
        name holding a constant) a tolerant copy of it is used, and as a last resort
        :meth:`calculate`. ``fn.mode`` is "formulas", "tolerant" or "calculate";
        ``fn.compiled`` is False only for "calculate".
        """
        inputs, outputs = list(inputs), list(outputs)
        in_keys = [self._model_key(c) for c in inputs]
        out_keys = [self._model_key(c) for c in outputs]
        builders = {
            "formulas": lambda: self.model.compile(in_keys, out_keys),
            "tolerant": lambda: _compile(self.model, in_keys, out_keys),
        }
        pipe, mode = None, "calculate"
        for name, build in builders.items():
            try:
                pipe, mode = build(), name
            except (AttributeError, KeyError, TypeError, ValueError):
                continue
            break

        def evaluate(*values: Any) -> dict[Cell, Any]:
            if len(values) != len(inputs):
                raise TypeError(f"expected {len(inputs)} input values, got {len(values)}")
            if pipe is None:
                res = self.calculate(dict(zip(inputs, values, strict=True)))
                return {cell: res[cell] for cell in outputs}
            result = pipe(*(_to_formulas(v) for v in values))
            if len(outputs) == 1:  # schedula returns a lone output unwrapped
                result = [result]
            return {cell: _to_python(v) for cell, v in zip(outputs, result, strict=True)}

        evaluate.mode = mode  # type: ignore[attr-defined]
        evaluate.compiled = pipe is not None  # type: ignore[attr-defined]
        return evaluate


def _compile(model: Any, inputs: list[str], outputs: list[str]) -> Any:
    """``formulas.ExcelModel.compile`` (1.3.4) minus its crash on non-Ranges values.

    Defined names holding a constant are plain numbers in the solution, where the
    original calls ``.value`` on every value.
    """
    dsp = model.dsp.shrink_dsp(inputs=inputs, outputs=outputs)
    inp = set(inputs)
    nodes = dsp.nodes
    for i in inputs:
        inp.update(nodes.get(i, {}).get("inv-data", ()))
    dsp.default_values = {k: v for k, v in dsp.default_values.items() if k not in inp}
    res = dsp()
    dsp = dsp.get_sub_dsp_from_workflow(
        outputs, graph=dsp.dmap, reverse=True, blockers=res, wildcard=False
    )
    for k, v in res.items():
        if k in dsp.data_nodes and k not in dsp.default_values:
            dsp.set_default_value(k, v.value if isinstance(v, Ranges) else v)
    return model.compile_class(dsp=dsp, function_id=model.dsp.name, inputs=inputs, outputs=outputs)


def formula_cells(path: str | os.PathLike[str]) -> set[Cell]:
    """All ``(sheet, address)`` cells of the workbook that hold a formula (per openpyxl)."""
    wb = openpyxl.load_workbook(path)
    try:
        found: set[Cell] = set()
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    value = cell.value
                    text = getattr(value, "text", value)  # ArrayFormula keeps it in .text
                    if isinstance(text, str) and text.startswith("="):
                        found.add((ws.title, cell.coordinate))
        return found
    finally:
        wb.close()


def missing_cells(results: Mapping[Cell, Any], path: str | os.PathLike[str]) -> set[Cell]:
    """Formula cells of ``path`` absent from ``results`` (silently dropped by the engine)."""
    return formula_cells(path) - set(results)
