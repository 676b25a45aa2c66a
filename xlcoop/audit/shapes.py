"""Sheet shapes: a sheet part read once is read again from its values alone.

Workbooks of one template share their sheets' XML but for the text of the ``<v>`` elements
(inputs and cached results). One C-level split cuts a part into that *shape* and its values; a
shape met before (same bytes, same unlocked styles) gives every cell's position, formula, style
and kind, so only the values are converted, in document order, into the same cells the parser
would make. A shape becomes known only after a full parse of it agreed slot for slot with the
split; anything unusual (a value with an entity, an empty ``<v>``, two values in one cell, a
prefixed namespace) simply stays on the parser's path. Content-addressed: a file can change only
its own values this way, never what is read from another file's shape.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

VALUE = re.compile(rb"<v>([^<&\r]*)</v>")  # a plain value: what the parser reads as-is
KEEP = 24  # shapes per process (LRU): the template's sheets stay while one-off sheets pass


@dataclass(frozen=True, slots=True)
class Slot:
    """One ``<v>`` of a shape: where its value goes and how the parser would convert it."""

    pos: tuple[int, int]
    kind: str | None  # the cell's t attribute
    formula: str | None
    style: int
    array: bool
    inline: Any  # the <is> text of an inlineStr cell (its value whatever <v> says)


@dataclass(slots=True)
class Shape:
    cells: dict[tuple[int, int], Any]  # every cell the parser kept, in document order;
    plain: tuple[Any, ...]  # (position, cell) of those without a value slot (None in cells)
    slots: tuple[Slot, ...]
    hidden_rows: frozenset[int]
    hidden_cols: frozenset[int]
    protected: bool
    max_row: int
    max_col: int


_KNOWN: OrderedDict[bytes, Shape] = OrderedDict()


def split(data: bytes, unlocked_key: bytes) -> tuple[bytes, list[bytes]]:
    """(digest of the shape and the unlocked styles, the values in document order)."""
    pieces = VALUE.split(data)
    digest = hashlib.blake2b(b"".join(pieces[0::2]), digest_size=20, key=unlocked_key[:64])
    return digest.digest(), pieces[1::2]


def unlocked_key(unlocked: set[int]) -> bytes:
    return hashlib.blake2b(repr(sorted(unlocked)).encode(), digest_size=16).digest()


def known(digest: bytes) -> Shape | None:
    shape = _KNOWN.get(digest)
    if shape is not None:
        _KNOWN.move_to_end(digest)
    return shape


def learn(digest: bytes, sheet: Any, slots: list[tuple[int, int, str | None]],
          values: list[bytes], tags: int) -> bool:
    """Remember the shape of a sheet just parsed in full, if its slots match the split.

    ``tags``: how often ``<v`` occurs in the part. Equal to the split's values and to the
    parser's cell values, every ``<v`` is a plain cell value, so both list the same elements
    in the same order (none in a comment, none with attributes, none outside a cell)."""
    if not len(slots) == len(values) == tags:
        return False
    cells = sheet.cells
    seen: set[tuple[int, int]] = set()
    out = []
    for row, col, kind in slots:
        pos = (row, col)
        cell = cells.get(pos)
        if cell is None or pos in seen:  # dropped by the parser, or two values in one cell
            return False
        seen.add(pos)
        out.append(Slot(pos, kind, cell.formula, cell.style, cell.array,
                        cell.value if kind == "inlineStr" else None))
    order = {pos: None if pos in seen else cell for pos, cell in cells.items()}
    plain = tuple((pos, cell) for pos, cell in order.items() if cell is not None)
    _KNOWN[digest] = Shape(order, plain, tuple(out), frozenset(sheet.hidden_rows),
                           frozenset(sheet.hidden_cols), sheet.protected, sheet.max_row,
                           sheet.max_col)
    while len(_KNOWN) > KEEP:
        _KNOWN.popitem(last=False)
    return True


def forget() -> None:
    _KNOWN.clear()


def fill(sheet: Any, shape: Shape, values: list[bytes], strings: list[str]) -> None:
    """The sheet's cells from a known shape and this file's values, as the parser makes them."""
    from xlcoop.audit.package import Cell, ExcelError

    cells = dict(shape.cells)  # the parser's order; slot cells are set below
    for pos, c in shape.plain:
        cells[pos] = Cell(c.value, c.formula, c.style, c.array, c.cached)
    dropped = False
    for slot, raw in zip(shape.slots, values, strict=True):
        kind = slot.kind
        if not raw:  # <v></v>: no value, and no cached result (as the parser reads it)
            value = slot.inline if kind == "inlineStr" else None
        elif kind is None or kind == "n":  # a number (most cells): no dispatch
            number = float(raw)
            value: Any = int(number) if number.is_integer() and abs(number) < 2**53 else number
        elif kind == "s":
            i = int(raw)
            value = strings[i] if 0 <= i < len(strings) else None
        elif kind == "inlineStr":
            value = slot.inline
        elif kind == "b":
            value = raw.strip() in (b"1", b"true")
        elif kind == "e":
            value = ExcelError(raw.decode())
        else:  # str, d
            value = raw.decode()
        if value is None and slot.formula is None and not slot.style:
            del cells[slot.pos]  # the parser keeps no such cell
            dropped = True
            continue
        cells[slot.pos] = Cell(value, slot.formula, slot.style, slot.array,
                               slot.formula is not None and bool(raw))
    sheet.cells = cells
    sheet.hidden_rows, sheet.hidden_cols = set(shape.hidden_rows), set(shape.hidden_cols)
    sheet.protected = shape.protected
    if dropped:
        sheet.max_row = max((r for r, _ in cells), default=0)
        sheet.max_col = max((c for _, c in cells), default=0)
    else:
        sheet.max_row, sheet.max_col = shape.max_row, shape.max_col
