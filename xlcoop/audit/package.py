"""Read a scanned .xlsx package into cells: formula text and cached value in one pass.

Only called on parts the safety scan passed (no DTD, UTF-8, size-capped), so the standard-library
parser cannot be made to expand entities. One pass over each sheet gives both what openpyxl
needs two loads for (formulas and cached values), plus styles (which cells are unlocked, i.e.
inputs), hidden rows/columns and defined names; shared formulas are expanded as Excel does.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from xlcoop.audit import shapes
from xlcoop.audit.formula import col_number, translate
from xlcoop.audit.safety import resolve_target

Node = tuple[int, int, int]  # (sheet index, row, col)


class ExcelError(str):
    """An error value cached in the file, e.g. '#DIV/0!'."""

    __slots__ = ()


@dataclass(slots=True)
class Cell:
    value: Any = None  # the constant, or the cached result of a formula (None: blank/absent)
    formula: str | None = None  # without the leading '='
    style: int = 0
    array: bool = False  # array formula or data table (not allowed in the standard)
    cached: bool = False  # a formula with a cached value in the file


@dataclass
class Sheet:
    index: int
    title: str
    state: str
    part: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    protected: bool = False
    max_row: int = 0
    max_col: int = 0
    shape: bytes = b""  # digest of its part without values (shapes.py), b"" when not known

    def get(self, row: int, col: int) -> Cell | None:
        return self.cells.get((row, col))


@dataclass
class DefinedName:
    name: str
    text: str  # the definition, e.g. 'Invoer'!$C$7
    local_sheet: int | None  # sheet index for a sheet-scoped name
    hidden: bool


@dataclass
class Package:
    sheets: list[Sheet]
    names: list[DefinedName]
    unlocked_styles: set[int]

    def sheet(self, title: str) -> Sheet | None:
        up = title.upper()
        return next((s for s in self.sheets if s.title.upper() == up), None)

    def workbook_names(self) -> dict[str, DefinedName]:
        """Workbook-scoped names by upper-case name (Excel names are case-insensitive)."""
        return {n.name.upper(): n for n in self.names if n.local_sheet is None}

    def cell(self, node: Node) -> Cell | None:
        return self.sheets[node[0]].cells.get((node[1], node[2]))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(elem: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in elem if _local(c.tag) == name]


def _text(elem: ET.Element) -> str:
    """The text of a string item: plain <t>, or the <t> of each rich-text run (not phonetic)."""
    out = []
    for child in elem:
        tag = _local(child.tag)
        if tag == "t":
            out.append(child.text or "")
        elif tag == "r":
            out.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(out)


def _rels(parts: dict[str, bytes], part: str) -> dict[str, str]:
    from pathlib import PurePosixPath

    p = PurePosixPath(part)
    data = parts.get(str(p.parent / "_rels" / (p.name + ".rels")))
    if not data:
        return {}
    return dict(_parsed_rels(data, part))


# Parts that workbooks of one template share byte for byte (relationships, styles, the
# workbook's sheet list and names) are parsed once per process: a pure function of the bytes.
@lru_cache(maxsize=16)
def _parsed_rels(data: bytes, part: str) -> tuple[tuple[str, str], ...]:
    root = ET.fromstring(data)
    return tuple((r.get("Id", ""), resolve_target(part, r.get("Target", ""))) for r in root
                 if r.get("TargetMode", "") != "External")


# <si><t>text</t></si> with nothing the parser would change or refuse (entities, CR, markup,
# control characters): the common shared string, cut out without building elements.
_PLAIN_SI = re.compile(rb'<t(?: xml:space="preserve")?>([^<&\r\x00-\x08\x0b\x0c\x0e-\x1f]*)'
                       rb'</t></si>\s*')
_SST_HEAD = re.compile(rb'(?:<\?xml[^>]*\?>)?\s*<sst(?: [^>]*)?>\s*')


def _shared_strings(parts: dict[str, bytes], rels: dict[str, str]) -> list[str]:
    part = next((t for t in rels.values() if t.endswith("sharedStrings.xml")),
                "xl/sharedStrings.xml")
    data = parts.get(part)
    if not data:
        return []
    items = _string_items(data)
    if items is not None:
        return items
    return [_text(si) for si in ET.fromstring(data) if _local(si.tag) == "si"]


def _string_items(data: bytes) -> list[str] | None:
    """The table item by item: a plain item cut out, any other parsed on its own as the
    element it is. None when the table is not a plain sequence of items (then the whole part
    is parsed): each piece between two ``<si>`` must be one well-formed item."""
    pieces = data.split(b"<si>")
    if not _SST_HEAD.fullmatch(pieces[0]):
        return None
    last = pieces[-1]
    end = last.rfind(b"</sst>")
    if end < 0 or last[end + 6:].strip():
        return None
    pieces[-1] = last[:end]
    out = []
    match = _PLAIN_SI.fullmatch
    for piece in pieces[1:]:
        m = match(piece)
        if m is not None:
            out.append(m.group(1).decode())
            continue
        try:
            out.append(_text(ET.fromstring(b"<si>" + piece)))
        except ET.ParseError:
            return None
    return out


def _unlocked_styles(parts: dict[str, bytes], rels: dict[str, str]) -> set[int]:
    part = next((t for t in rels.values() if t.endswith("styles.xml")), "xl/styles.xml")
    data = parts.get(part)
    if not data:
        return set()
    return set(_unlocked_of(data))


@lru_cache(maxsize=16)
def _unlocked_of(data: bytes) -> frozenset[int]:
    root = ET.fromstring(data)
    out = set()
    for xfs in root:
        if _local(xfs.tag) != "cellXfs":
            continue
        for i, xf in enumerate(x for x in xfs if _local(x.tag) == "xf"):
            for prot in _children(xf, "protection"):
                if prot.get("locked", "1").lower() in ("0", "false"):
                    out.add(i)
    return frozenset(out)


@lru_cache(maxsize=16)
def _book(data: bytes) -> tuple[tuple[tuple[str, str, str], ...], tuple[DefinedName, ...]]:
    """(name, state, relationship id) of each sheet, and the defined names."""
    sheets, names = [], []
    for elem in ET.fromstring(data):
        tag = _local(elem.tag)
        if tag == "sheets":
            for s in elem:
                rid = next((v for k, v in s.attrib.items() if _local(k) == "id"), "")
                sheets.append((s.get("name", ""), s.get("state", "visible"), rid))
        elif tag == "definedNames":
            for d in elem:
                local = d.get("localSheetId")
                names.append(DefinedName(d.get("name", ""), (d.text or "").strip(),
                                         int(local) if local is not None else None,
                                         d.get("hidden", "0").lower() in ("1", "true")))
    return tuple(sheets), tuple(names)


def read_package(parts: dict[str, bytes],
                 splits: dict[str, tuple[bytes, list[bytes]]] | None = None) -> Package:
    """Parse the workbook from scanned parts (``splits``: the scan's shapes.split of sheet
    parts, when it made them). Raises ValueError/ET.ParseError when malformed."""
    book_sheets, book_names = _book(parts["xl/workbook.xml"])
    rels = _rels(parts, "xl/workbook.xml")
    strings = _shared_strings(parts, rels)
    sheets = [Sheet(i, name, state, rels.get(rid, ""))
              for i, (name, state, rid) in enumerate(book_sheets)]
    names = list(book_names)  # shared between packages: nothing changes a name
    unlocked = _unlocked_styles(parts, rels)
    key = shapes.unlocked_key(unlocked)
    for sheet in sheets:
        data = parts.get(sheet.part)
        if data is not None:
            _read_sheet(sheet, data, strings, unlocked, key, (splits or {}).get(sheet.part))
    return Package(sheets, names, unlocked)


def _value(kind: str, raw: str | None, inline: str | None, strings: list[str]) -> Any:
    if kind == "inlineStr":
        return inline
    if raw is None or raw == "":
        return None
    if kind == "s":
        i = int(raw)
        return strings[i] if 0 <= i < len(strings) else None
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "e":
        return ExcelError(raw)
    if kind in ("str", "d"):
        return raw
    number = float(raw)
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


SMALL_PART = shapes.SPLIT_LIMIT  # parsed whole below (fast); streamed above (bounded memory)


def _read_sheet(sheet: Sheet, data: bytes, strings: list[str], unlocked: set[int],
                unlocked_key: bytes, split: tuple[bytes, list[bytes]] | None) -> None:
    if len(data) > SMALL_PART:
        _stream_sheet(sheet, data, strings, unlocked)
        return
    digest, values = split or shapes.split(data)
    digest = shapes.keyed(digest, unlocked_key)
    shape = shapes.known(digest)
    if shape is not None:
        shapes.fill(sheet, shape, values, strings)
        sheet.shape = digest
        return
    state = _RowState()
    state.slots = []
    root = ET.fromstring(data)
    tags = _Tags(root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else "")
    rows: list[ET.Element] = []
    for child in root:  # top level: cols, sheetData, sheetProtection, ...
        if child.tag == tags.data:
            rows = list(child)
        else:
            _sheet_property(sheet, child, tags)
    for row in rows:
        if row.tag == tags.row:
            _read_row(sheet, row, tags, state, strings, unlocked)
    _extent(sheet)
    if shapes.learn(digest, sheet, state.slots, values, data.count(b"<v"), strings):
        sheet.shape = digest


def _extent(sheet: Sheet) -> None:
    if sheet.cells:
        sheet.max_row = max(r for r, _ in sheet.cells)
        sheet.max_col = max(c for _, c in sheet.cells)


def _stream_sheet(sheet: Sheet, data: bytes, strings: list[str], unlocked: set[int]) -> None:
    """Large parts: one row at a time, cleared after use (bounded memory)."""
    tags = _Tags("")
    state = _RowState()
    for _event, elem in ET.iterparse(io.BytesIO(data), events=("end",)):
        tag = elem.tag
        if not tags.ns and tag.startswith("{"):
            tags = _Tags(tag[: tag.index("}") + 1])
        if tag == tags.row:
            _read_row(sheet, elem, tags, state, strings, unlocked)
            elem.clear()
        elif tag in (tags.cols, tags.protection):
            _sheet_property(sheet, elem, tags)
    _extent(sheet)


def _sheet_property(sheet: Sheet, elem: ET.Element, tags: _Tags) -> None:
    if elem.tag == tags.cols:
        for col in elem:
            if col.get("hidden", "0").lower() in ("1", "true"):
                sheet.hidden_cols.update(range(int(col.get("min", 1)),
                                               int(col.get("max", 1)) + 1))
    elif elem.tag == tags.protection:
        sheet.protected = elem.get("sheet", "0").lower() in ("1", "true")


class _RowState:
    """Row number and shared formulas, carried from row to row."""

    def __init__(self) -> None:
        self.row = 0
        self.shared: dict[str, tuple[str, int, int]] = {}  # si -> (master, row, col)
        self.slots: list[tuple[int, int, str | None]] | None = None  # each <v>, for shapes


def _read_row(sheet: Sheet, row: ET.Element, tags: _Tags, state: _RowState,
              strings: list[str], unlocked: set[int]) -> None:
    """Every cell of a row, inline (this loop runs for every cell of every file)."""
    attrib = row.attrib
    state.row = row_no = int(attrib["r"]) if "r" in attrib else state.row + 1
    if attrib.get("hidden", "0").lower() in ("1", "true"):
        sheet.hidden_rows.add(row_no)
    cells, c_tag, v_tag, f_tag, is_tag = sheet.cells, tags.c, tags.v, tags.f, tags.is_
    slots = state.slots
    col_no = 0
    pending = None  # r of a skipped empty cell: resolved only if a later cell has no r
    for c in row:
        if c.tag != c_tag:
            continue
        a = c.attrib
        ref = a.get("r")
        style = int(a["s"]) if "s" in a else 0
        if not len(c) and style not in unlocked:
            # no value, no formula, locked: nothing to keep (most empty styled cells); its
            # column is worked out only when a following cell omits its own r
            if ref:
                pending = ref
            else:
                if pending:
                    col_no, pending = _column(pending), None
                col_no += 1
            continue
        if ref:
            col_no, pending = _column(ref), None
        else:
            if pending:
                col_no, pending = _column(pending), None
            col_no += 1
        if not len(c):  # no value, no formula: an unlocked (input) style
            cells[(row_no, col_no)] = Cell(None, None, style)
            continue
        raw = inline = formula = f_elem = None
        for child in c:
            tag = child.tag
            if tag == v_tag:
                raw = child.text
                if slots is not None:
                    slots.append((row_no, col_no, a.get("t")))
            elif tag == f_tag:
                f_elem = child
            elif tag == is_tag:
                inline = _text(child)
        array = False
        if f_elem is not None:
            formula = f_elem.text or ""
            ftype = f_elem.get("t")
            if ftype == "shared":
                si = f_elem.get("si", "")
                if formula:
                    state.shared[si] = (formula, row_no, col_no)
                elif si in state.shared:
                    master, mrow, mcol = state.shared[si]
                    formula = translate(master, row_no - mrow, col_no - mcol)
            elif ftype in ("array", "dataTable"):
                array = True
            if formula.startswith("="):
                formula = formula[1:]
        kind = a.get("t")
        if kind is None or kind == "n":  # a number (most cells): no dispatch
            if raw:
                number = float(raw)
                value = int(number) if number.is_integer() and abs(number) < 2**53 else number
            else:
                value = None
        else:
            value = _value(kind, raw, inline, strings)
        if formula is None and value is None and not style:
            continue
        cells[(row_no, col_no)] = Cell(value, formula, style, array,
                                       formula is not None and raw not in (None, ""))


_COLUMNS: dict[str, int] = {}


def _column(ref: str) -> int:
    """'AB12' -> 28 (cached by reference: workbooks of one template share their cells)."""
    col = _COLUMNS.get(ref)
    if col is None:
        col = col_number(ref.rstrip("0123456789"))
        if len(_COLUMNS) < 200_000:
            _COLUMNS[ref] = col
    return col


class _Tags:
    """Qualified tag names of one namespace (comparing strings beats splitting each tag)."""

    def __init__(self, ns: str) -> None:
        self.ns = ns
        self.row, self.c, self.cols, self.data = ns + "row", ns + "c", ns + "cols", ns + "sheetData"
        self.f, self.v, self.is_ = ns + "f", ns + "v", ns + "is"
        self.protection = ns + "sheetProtection"
