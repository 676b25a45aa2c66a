"""What every engine adapter speaks: cells as ``(sheet, address)``, values as plain Python.

Also a fast reader of an .xlsx file's own cells (formula text and cached value) straight from
its sheet XML: openpyxl needs ~0.5 s for a workbook of this size, this ~30 ms, which matters
when the tests compare every formula cell of ~80 workbooks in five engines.
"""

from __future__ import annotations

import importlib
import os
import posixpath
import zipfile
from dataclasses import dataclass
from types import ModuleType
from typing import Any
from xml.etree import ElementTree as ET

__all__ = ["Cell", "EngineError", "ExcelError", "SheetCell", "defined_names", "read_cells",
           "sheet_order"]

Cell = tuple[str, str]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                     "#GETTING_DATA", "#SPILL!", "#CALC!",
                     "#ERROR!", "#N/IMPL!", "#CIRC!"})  # the last three: IronCalc's own


class ExcelError(str):
    """An Excel error value such as ``"#REF!"`` (compares equal to the plain string)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"ExcelError({str(self)!r})"


class EngineError(RuntimeError):
    """An engine could not load or evaluate a workbook (the message names the engine)."""


def engine_module(module: str, engine: str) -> ModuleType:
    """The engine's Python package, or :class:`EngineError` naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        raise EngineError(f"{engine}: not installed (pip install 'xlcoop[test]')") from exc


def as_error(value: Any) -> Any:
    """A string that is an Excel error literal as :class:`ExcelError`, anything else as is."""
    if isinstance(value, str) and not isinstance(value, ExcelError) and value in _ERRORS:
        return ExcelError(value)
    return value


@dataclass(frozen=True, slots=True)
class SheetCell:
    formula: str | None  # with its leading "=", or None for a constant
    cached: Any  # the value stored in the file (for a formula: what the writer cached)


def _part(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def sheet_order(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet title, part name) of every worksheet, in workbook order."""
    book = ET.fromstring(zf.read("xl/workbook.xml"))
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
    return [(s.get("name", ""), _part("xl/workbook.xml", target[s.get(f"{_REL}id")]))
            for s in book.iter(f"{_MAIN}sheet")]


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    try:
        root = ET.fromstring(zf.read("xl/sharedStrings.xml"))
    except KeyError:
        return []
    return ["".join(t.text or "" for t in si.iter(f"{_MAIN}t")) for si in root.iter(f"{_MAIN}si")]


def _value(kind: str, raw: str | None, has_value: bool, cell: ET.Element,
           strings: list[str]) -> Any:
    if kind == "inlineStr":
        inline = cell.find(f"{_MAIN}is")
        return None if inline is None else "".join(t.text or "" for t in inline.iter(f"{_MAIN}t"))
    if kind == "str" and has_value:
        return raw or ""  # a formula's text result, possibly empty
    if not raw:
        return None
    if kind == "s":
        return strings[int(raw)]
    if kind == "b":
        return raw == "1"
    if kind == "e":
        return ExcelError(raw)
    return float(raw)


def read_cells(path: str | os.PathLike[str]) -> dict[Cell, SheetCell]:
    """Every cell of the workbook that holds a formula or a value, from its sheet XML."""
    out: dict[Cell, SheetCell] = {}
    with zipfile.ZipFile(path) as zf:
        strings = _shared_strings(zf)
        for title, part in sheet_order(zf):
            root = ET.fromstring(zf.read(part))
            for c in root.iter(f"{_MAIN}c"):
                f = c.find(f"{_MAIN}f")
                v = c.find(f"{_MAIN}v")
                formula = None
                if f is not None:
                    text = f.text or ""
                    if f.get("t") == "shared" and not text:  # LibreOffice: text on the first
                        text = f"<shared {f.get('si', '')}>"  # cell only, shifted for the rest
                    formula = "=" + text
                value = _value(c.get("t", "n"), None if v is None else v.text, v is not None, c,
                               strings)
                if formula is None and value is None:
                    continue
                out[(title, c.get("r", ""))] = SheetCell(formula, value)
    return out


def defined_names(path: str | os.PathLike[str]) -> dict[str, Cell]:
    """Every workbook-level name that points at one cell: name -> (sheet title, 'C8')."""
    with zipfile.ZipFile(path) as zf:
        book = ET.fromstring(zf.read("xl/workbook.xml"))
    out: dict[str, Cell] = {}
    for dn in book.iter(f"{_MAIN}definedName"):
        if dn.get("localSheetId") is not None or not dn.text or "!" not in dn.text:
            continue
        sheet, _, ref = dn.text.rpartition("!")
        ref = ref.replace("$", "")
        if ":" in ref or "," in sheet:
            continue
        if sheet.startswith("'") and sheet.endswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        out[dn.get("name", "")] = (sheet, ref)
    return out


def row_col(address: str) -> tuple[int, int]:
    """'C8' -> (8, 3): the 1-based row and column the Rust engines address cells by."""
    letters = address.rstrip("0123456789")
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(address[len(letters):]), col


def formula_cells_of(path: str | os.PathLike[str]) -> list[Cell]:
    """Every cell of the file that holds a formula (an engine's default set to evaluate)."""
    return [cell for cell, sc in read_cells(path).items() if sc.formula is not None]
