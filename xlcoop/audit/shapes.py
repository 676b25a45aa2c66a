"""Sheet shapes: a sheet part read once is read again from its values alone.

Workbooks of one template share much of their sheets' XML but for the text of the ``<v>``
elements (inputs and cached results). One C-level split cuts a part into that *shape* and its
values; a shape met before (same bytes, same unlocked styles) gives every cell's position,
formula, style and type, so only the values are converted, in document order, into the same
cells the parser would make. A shape becomes known only after a full parse of it agreed value
for value with the split (a value in a comment, with attributes, outside a cell, two in one cell
or a prefixed namespace keep the part on the parser's path); a value with an entity, a CR or
non-ASCII text is read by the parser on its own. Content-addressed: a file can change only its
own values this way, never what is read from another file's shape."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from itertools import compress
from operator import ne
from typing import Any

from xlcoop.audit.memo import Memo

VALUE = re.compile(rb"<v>([^<]*)</v>")  # a value of text only (entities decoded in fill)
# Text the parser passes through unchanged: ASCII without entity, CR or control character.
PLAIN = re.compile(rb"[\t\n\x20-\x25\x27-\x7e]*")
KEEP = 24  # shapes per process (LRU): the template's sheets stay while one-off sheets pass


@dataclass(frozen=True, slots=True)
class Slot:
    """One ``<v>`` of a shape: where its value goes and how the parser would convert it."""

    pos: tuple[int, int]
    kind: str | None  # the cell's t attribute
    raw: bytes  # the value's text in the file the shape was learned from
    cell: Any  # the cell the parser made of it there


@dataclass(slots=True)
class Shape:
    cells: dict[tuple[int, int], Any]  # every cell the parser kept, in document order
    slots: tuple[Slot, ...]
    hidden_rows: frozenset[int]
    hidden_cols: frozenset[int]
    protected: bool
    max_row: int
    max_col: int
    raws: tuple[bytes, ...]  # each slot's raw, for a comparison of all values at C speed
    shared: tuple[int, ...]  # the slots holding a shared-string index
    strings: list[str]  # the shared strings of the file it was learned from


_KNOWN = Memo(KEEP)  # keyed digest -> Shape


SPLIT_LIMIT = 4 * 2**20  # larger parts are streamed by the parser, never split


def split(data: bytes) -> tuple[bytes, list[bytes]]:
    """(digest of the shape, the values in document order)."""
    pieces = VALUE.split(data)
    return hashlib.blake2b(b"".join(pieces[0::2]), digest_size=20).digest(), pieces[1::2]


def keyed(digest: bytes, unlocked_key: bytes) -> bytes:
    """The shape's key for the parser: which styles are unlocked decides which empty cells it
    keeps, so the same bytes under other styles are another shape."""
    return hashlib.blake2b(digest, digest_size=20, key=unlocked_key).digest()


def unlocked_key(unlocked: set[int]) -> bytes:
    return hashlib.blake2b(repr(sorted(unlocked)).encode(), digest_size=16).digest()


def known(digest: bytes) -> Shape | None:
    return _KNOWN.find(digest)


def learn(digest: bytes, sheet: Any, slots: list[tuple[int, int, str | None]],
          values: list[bytes], tags: int, strings: list[str]) -> bool:
    """Remember the shape of a sheet just parsed in full, if its slots match the split.

    ``tags``: how often ``<v`` occurs in the part. Equal to the split's values and to the
    parser's cell values, every ``<v`` is a plain cell value, so both list the same elements
    in the same order (none in a comment, none with attributes, none outside a cell)."""
    if not len(slots) == len(values) == tags:
        return False
    cells = sheet.cells
    seen: set[tuple[int, int]] = set()
    out = []
    for (row, col, kind), raw in zip(slots, values, strict=True):
        pos = (row, col)
        cell = cells.get(pos)
        if cell is None or pos in seen:  # dropped by the parser, or two values in one cell
            return False
        seen.add(pos)
        out.append(Slot(pos, kind, raw, cell))
    _KNOWN.put(digest, Shape(dict(cells), tuple(out), frozenset(sheet.hidden_rows),
                             frozenset(sheet.hidden_cols), sheet.protected, sheet.max_row,
                             sheet.max_col, tuple(values),
                             tuple(i for i, slot in enumerate(out) if slot.kind == "s"),
                             strings))
    return True


def fill(sheet: Any, shape: Shape, values: list[bytes], strings: list[str]) -> None:
    """The sheet's cells from a known shape and this file's values, as the parser makes them.

    A value whose text equals the one the shape was learned from is the same cell, and is
    shared with the shape (the audit never changes a cell): of two workbooks of one template,
    saved by one spreadsheet, about three values in four are such (labels, norms, years).
    Other values are converted by the parser's own ``_value``."""
    from xlcoop.audit.package import Cell, _value

    cells = dict(shape.cells)  # the parser's order, and the cells of equal values
    slots = shape.slots
    # Equal shapes have as many values (the split's pieces are the same).
    # The slots whose text differs, found at C speed; a shared-string index whose text is the
    # same needs the same string at that index too (all of them, unless the tables are equal).
    todo = list(compress(range(len(values)), map(ne, values, shape.raws)))
    if shape.shared and strings != shape.strings:
        todo += [i for i in shape.shared if values[i] == shape.raws[i]
                 and not _same_string(values[i], slots[i].cell.value, strings)]
    # one pass over the texts to convert: plain ASCII is read from the bytes
    plain = PLAIN.fullmatch(b"\n".join(map(values.__getitem__, todo))) is not None
    dropped = False
    for index in todo:
        slot, raw = slots[index], values[index]
        kind = slot.kind
        proto = slot.cell
        if plain and raw and (kind is None or kind == "n"):
            try:  # ASCII text: float() reads the bytes as it reads the parser's str
                number = float(raw)
            except ValueError:
                number = None  # _value below raises the parser's own error
            if number is not None:
                cells[slot.pos] = Cell(
                    int(number) if number.is_integer() and abs(number) < 2**53 else number,
                    proto.formula, proto.style, proto.array, proto.formula is not None)
                continue
        text = raw.decode() if plain or PLAIN.fullmatch(raw) else _parsed_text(raw)
        value = _value(kind or "n", text, proto.value if kind == "inlineStr" else None,
                       strings)
        if value is None and proto.formula is None and not proto.style:
            del cells[slot.pos]  # the parser keeps no such cell
            dropped = True
            continue
        cells[slot.pos] = Cell(value, proto.formula, proto.style, proto.array,
                               proto.formula is not None and text != "")
    sheet.cells = cells
    sheet.hidden_rows, sheet.hidden_cols = set(shape.hidden_rows), set(shape.hidden_cols)
    sheet.protected = shape.protected
    if dropped:
        sheet.max_row = max((r for r, _ in cells), default=0)
        sheet.max_col = max((c for _, c in cells), default=0)
    else:
        sheet.max_row, sheet.max_col = shape.max_row, shape.max_col


def _same_string(raw: bytes, value: Any, strings: list[str]) -> bool:
    i = int(raw)
    return 0 <= i < len(strings) and strings[i] == value and type(value) is str


def _parsed_text(raw: bytes) -> str:
    """A value with entities, CR or non-ASCII text, as the parser reads it in its place (no
    DTD is allowed, so only XML's own entities and character references can occur)."""
    import xml.etree.ElementTree as ET

    return ET.fromstring(b"<v>" + raw + b"</v>").text or ""
