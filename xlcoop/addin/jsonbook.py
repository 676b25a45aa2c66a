"""A licence-free stand-in for xlwings' JSON Book: exactly the subset the add-in uses.

xlwings Lite hands a script a Book built from a JSON payload (every sheet's values, every
defined name) and collects what the script writes as a list of actions that Excel applies after
the script returns. xlwings' own implementation of that Book (``xw.Book(json=...)``) is licensed
PolyForm Noncommercial or paid, so the tests and the command line use this stand-in; a contract
test runs the same scripts against the real one when ``XLWINGS_LICENSE_KEY`` is set and compares
the actions.

The subset (and nothing more)::

    name in book.names        book.names[name].refers_to_range        book.json()
    rng.options(ndim=2, err_to_str=True).value    rng.value = [[...]]
    rng.sheet.name   rng.sheet.index   rng.address   rng.shape

Reading follows xlwings: '' is None, Excel errors are None unless ``err_to_str``, ISO date-time
strings are datetimes. Writing appends one ``setValues`` action per range, as xlwings does.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from xlcoop.layout import get_column_letter

ERRORS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#DATA!")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


# One implementation of column letters, the registry's (pure Python, fine in Pyodide).
column_letter = get_column_letter


def parse_cell(ref: str) -> tuple[int, int]:
    """'C8' or '$C$8' -> (row 8, column 3)."""
    m = _CELL.match(ref)
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def parse_range(address: str) -> tuple[int, int, int, int]:
    """'C8' or 'A30:G69' -> (first row, first col, last row, last col)."""
    first, _, last = address.partition(":")
    r1, c1 = parse_cell(first)
    r2, c2 = parse_cell(last) if last else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _read_value(value: Any, err_to_str: bool) -> Any:
    if value == "" or value is None:
        return None
    if isinstance(value, str):
        if _ISO.match(value):
            return dt.datetime.fromisoformat(value.rstrip("Z").split("+")[0])
        if not err_to_str and value in ERRORS:
            return None
    return value


def _write_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else \
            value.replace(tzinfo=None).isoformat(sep=" ").split(".")[0]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Book:
    def __init__(self, json: dict[str, Any]) -> None:
        self.api = json
        self._actions: list[dict[str, Any]] = []

    @property
    def names(self) -> Names:
        return Names(self)

    @property
    def name(self) -> str:
        return self.api["book"]["name"]

    def sheet(self, index: int) -> Sheet:
        return Sheet(self, index)

    def json(self) -> dict[str, Any]:
        return {"actions": self._actions}


class Names:
    def __init__(self, book: Book) -> None:
        self.book = book

    def _entry(self, name: str) -> dict[str, Any] | None:
        return next((n for n in self.book.api.get("names", []) if n["name"] == name), None)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._entry(name) is not None

    def __getitem__(self, name: str) -> Name:
        entry = self._entry(name)
        if entry is None:
            raise KeyError(name)
        return Name(self.book, entry)


class Name:
    def __init__(self, book: Book, api: dict[str, Any]) -> None:
        self.book, self.api = book, api

    @property
    def name(self) -> str:
        return self.api["name"]

    @property
    def refers_to(self) -> str | None:
        return self.api.get("refers_to")

    @property
    def refers_to_range(self) -> Range:
        if self.api.get("sheet_index") is None or self.api.get("address") is None:
            raise ValueError(f"Name '{self.name}' does not refer to a single range.")
        return Range(Sheet(self.book, self.api["sheet_index"] + 1), self.api["address"])


class Sheet:
    def __init__(self, book: Book, index: int) -> None:
        self.book, self.index = book, index  # 1-based, as in xlwings

    @property
    def api(self) -> dict[str, Any]:
        return self.book.api["sheets"][self.index - 1]

    @property
    def name(self) -> str:
        return self.api["name"]


class Range:
    def __init__(self, sheet: Sheet, address: str, **options: Any) -> None:
        self.sheet = sheet
        self.r1, self.c1, self.r2, self.c2 = parse_range(address)
        self._options = options

    def options(self, **options: Any) -> Range:
        return Range(self.sheet, self._ref(False), **{**self._options, **options})

    def _ref(self, absolute: bool) -> str:
        d = "$" if absolute else ""
        first = f"{d}{column_letter(self.c1)}{d}{self.r1}"
        if (self.r1, self.c1) == (self.r2, self.c2):
            return first
        return f"{first}:{d}{column_letter(self.c2)}{d}{self.r2}"

    @property
    def address(self) -> str:
        return self._ref(True)

    @property
    def shape(self) -> tuple[int, int]:
        return self.r2 - self.r1 + 1, self.c2 - self.c1 + 1

    @property
    def value(self) -> Any:
        data = self.sheet.api.get("values") or [[]]
        err = bool(self._options.get("err_to_str", False))
        rows = []
        for r in range(self.r1, self.r2 + 1):
            source = data[r - 1] if r - 1 < len(data) else []
            rows.append([_read_value(source[c - 1] if c - 1 < len(source) else None, err)
                         for c in range(self.c1, self.c2 + 1)])
        if self._options.get("ndim") == 2:
            return rows
        if len(rows) == 1:
            return rows[0][0] if len(rows[0]) == 1 else rows[0]
        if len(rows[0]) == 1:
            return [row[0] for row in rows]
        return rows

    @value.setter
    def value(self, data: Any) -> None:
        if not isinstance(data, (list, tuple)):
            data = [[data]]
        elif data and not isinstance(data[0], (list, tuple)):
            data = [data]
        values = [[_write_value(v) for v in row] for row in data]
        self.sheet.book._actions.append({
            "func": "setValues", "args": [None], "values": values,
            "sheet_position": self.sheet.index - 1, "start_row": self.r1 - 1,
            "start_column": self.c1 - 1, "row_count": len(values),
            "column_count": len(values[0]) if values else 0,
        })
