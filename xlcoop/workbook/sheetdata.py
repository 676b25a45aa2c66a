"""The cells of a sheet, serialised straight to `<sheetData>` XML, with cached formula values.

openpyxl has no API for a formula cell's cached value and builds a Python object per cell, which
made generation slow. The writer keeps each sheet's cells here instead (value, style id, whether
a string is a formula) and lets openpyxl write everything else of the sheet: columns, views,
conditional formatting, validations, print setup, drawings. This module writes the rows:
- a formula cell carries the value the reference model computes (`<v>`), typed `str` for text
  and `b` for booleans, so Excel's Protected View, previews and readers show the numbers;
- an empty styled cell is written without a type (`t="n"` without a value is read as 0 by
  IronCalc, which flips every ISBLANK);
- text is an inline string, as openpyxl writes it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from xlcoop.layout import get_column_letter
from xlcoop.scenario import excel_serial

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed anywhere in XML 1.0


def escape(text: str) -> str:
    return _ILLEGAL.sub("", text).translate(_ESCAPES)


@dataclass
class Grid:
    """One sheet's cells: (row, col) -> (value, style id, is a formula)."""

    cells: dict[tuple[int, int], tuple[Any, int, bool]] = field(default_factory=dict)

    def put(self, row: int, col: int, value: Any, style: int, formula: bool) -> None:
        self.cells[(row, col)] = (value, style, formula)

    @property
    def max_row(self) -> int:
        return max((r for r, _ in self.cells), default=1)

    def dimension(self) -> str:
        last_col = max((c for _, c in self.cells), default=1)
        return f"A1:{get_column_letter(last_col)}{self.max_row}"


def number_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _cached(value: Any) -> tuple[str, str]:
    """(type attribute, <v> text) of a formula's cached value."""
    if isinstance(value, bool):
        return ' t="b"', "1" if value else "0"
    if isinstance(value, str):
        return ' t="str"', escape(value)
    if isinstance(value, dt.date):
        return "", str(excel_serial(value))
    return "", number_text(value)


@dataclass(frozen=True)
class Dynamic:
    """A cell whose value comes from the scenario: ``getattr(source, kind)(*args)``."""

    kind: str
    args: tuple


def cell_xml(ref: str, value: Any, style: int) -> str:
    """A constant cell (number, text, boolean, date) or an empty styled one (no type)."""
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{s}><v>{number_text(value)}</v></c>'
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return f'<c r="{ref}"{s}><v>{excel_serial(day)}</v></c>'
    text = escape(str(value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>'


# A compiled sheet: static XML text, or a formula cell (row, col, head, body) that gets its
# cached value as head + type + body + value + "</v></c>", or (ref, style, Dynamic).
Piece = str | tuple[int, int, str, str] | tuple[str, int, Dynamic]


def compile_rows(grid: Grid, row_attrs: dict[int, dict[str, str]]) -> list[Piece]:
    """The `<sheetData>` element with its scenario-dependent parts left open."""
    rows: dict[int, list[tuple[int, tuple[Any, int, bool]]]] = {}
    for (row, col), entry in grid.cells.items():
        rows.setdefault(row, []).append((col, entry))
    for row in row_attrs:
        rows.setdefault(row, [])
    pieces: list[Piece] = []
    static: list[str] = ["<sheetData>"]

    def flush() -> None:
        if static:
            pieces.append("".join(static))
            static.clear()

    for row in sorted(rows):
        attrs = "".join(f' {k}="{v}"' for k, v in row_attrs.get(row, {}).items())
        static.append(f'<row r="{row}"{attrs}>')
        for col, (value, style, formula) in sorted(rows[row], key=lambda e: e[0]):
            ref = f"{get_column_letter(col)}{row}"
            if formula:
                flush()
                s = f' s="{style}"' if style else ""
                pieces.append((row, col, f'<c r="{ref}"{s}', f"><f>{escape(value[1:])}</f><v>"))
            elif isinstance(value, Dynamic):
                flush()
                pieces.append((ref, style, value))
            else:
                static.append(cell_xml(ref, value, style))
        static.append("</row>")
    static.append("</sheetData>")
    flush()
    return pieces


def render_rows(pieces: list[Piece], cached: dict[tuple[int, int], Any], source: Any) -> str:
    """The compiled rows with this scenario's inputs and every formula's cached value."""
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
        elif len(piece) == 4:
            row, col, head, body = piece  # type: ignore[misc]
            if (row, col) not in cached:
                raise KeyError(f"no cached value for the formula in row {row}, column {col}")
            kind, text = _cached(cached[(row, col)])
            out.append(f"{head}{kind}{body}{text}</v></c>")
        else:
            ref, style, dynamic = piece  # type: ignore[misc]
            out.append(cell_xml(ref, getattr(source, dynamic.kind)(*dynamic.args), style))
    return "".join(out)
