"""A small, fast tokenizer for Excel formulas as stored in .xlsx (no leading '=').

The audit needs references (for the dependency graph, shift detection and lint), a canonical
form (to compare a received formula with the template's regardless of spacing, case, `$` or
language-specific sheet titles), the relative (R1C1) form (to spot an inconsistent timeline row)
and shared-formula expansion. A regex tokenizer does all of that in microseconds; `formulas`
would take milliseconds per formula and is kept for evaluation only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from xlcoop.layout import get_column_letter

MAX_ROW, MAX_COL = 1_048_576, 16_384

# Order matters: strings and errors first, then sheet-qualified references, then plain ones.
_SHEET = r"(?:'(?:[^']|'')+'|\[\d+\][^\s!'\"(),;]*|[A-Za-z_\u00C0-\uFFFF][\w.\u00C0-\uFFFF]*)!"
_CELL = r"\$?[A-Za-z]{1,3}\$?\d+"
_COLS = r"\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}"
_ROWS = r"\$?\d+:\$?\d+"
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<str>"(?:[^"]|"")*")
  | (?P<err>\#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!))
  | (?P<qref>(?P<sheet>""" + _SHEET + r""")
        (?P<qtarget>""" + _CELL + "(?::" + _CELL + r""")?(?![\w.(])|""" + _COLS + r"""(?![\w.(])
          |""" + _ROWS + r"""|\#REF!|[A-Za-z_\\\u00C0-\uFFFF][\w.?\\\u00C0-\uFFFF]*))
  | (?P<ref>""" + _CELL + "(?::" + _CELL + r""")?(?![\w.(]))
  | (?P<cols>""" + _COLS + r"""(?![\w.(]))
  | (?P<rows>""" + _ROWS + r""")
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<func>(?:_xlfn\.|_xlws\.)?[A-Za-z_][\w.]*(?=\s*\())
  | (?P<name>[A-Za-z_\\\u00C0-\uFFFF][\w.?\\\u00C0-\uFFFF]*)
  | (?P<op><>|<=|>=|[-+*/^&=<>%,;(){}:!@\[\]])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_CELL_PARTS = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)(\d+)")
_COL_PARTS = re.compile(r"(\$?)([A-Za-z]{1,3})")
_ROW_PARTS = re.compile(r"(\$?)(\d+)")


@dataclass(frozen=True)
class Ref:
    """A reference: a cell or rectangle on a sheet (None = the formula's own sheet).

    Whole columns have rows 1..MAX_ROW, whole rows columns 1..MAX_COL. ``book`` is the index of
    an external workbook (``[1]Sheet!A1``), 0 for this workbook.
    """

    sheet: str | None
    r1: int
    c1: int
    r2: int
    c2: int
    abs_r1: bool = False
    abs_c1: bool = False
    abs_r2: bool = False
    abs_c2: bool = False
    book: int = 0
    kind: str = "cell"  # cell | cols | rows

    @property
    def single(self) -> bool:
        return self.r1 == self.r2 and self.c1 == self.c2


@dataclass(frozen=True)
class Token:
    kind: str  # ws str err ref name func num bool op other
    text: str
    ref: Ref | None = None
    sheet: str | None = None  # for a sheet-qualified name (Sheet!name)


def col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


col_letters = get_column_letter  # one implementation: the registry's


def address(row: int, col: int) -> str:
    return f"{col_letters(col)}{row}"


def unquote_sheet(text: str) -> tuple[str, int]:
    """"'My Sheet'!" -> ("My Sheet", 0); "[1]Data!" -> ("Data", 1)."""
    text = text[:-1]  # the "!"
    book = 0
    if text.startswith("["):
        end = text.index("]")
        book = int(text[1:end])
        text = text[end + 1:]
    elif text.startswith("'["):
        end = text.index("]")
        book = int(text[2:end])
        text = "'" + text[end + 1:]
    if text.startswith("'") and text.endswith("'"):
        text = text[1:-1].replace("''", "'")
    return text, book


def _parse_target(target: str, sheet: str | None, book: int) -> Ref | None:
    if target.upper() == "#REF!":
        return None
    parts = target.split(":")
    cells = [_CELL_PARTS.fullmatch(p) for p in parts]
    if all(cells):
        (a, b) = (cells[0], cells[-1])
        assert a is not None and b is not None
        r1, c1, r2, c2 = int(a[4]), col_number(a[2]), int(b[4]), col_number(b[2])
        if not (0 < c1 <= MAX_COL and 0 < c2 <= MAX_COL and 0 < r1 <= MAX_ROW
                and 0 < r2 <= MAX_ROW):
            return None
        return Ref(sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2), bool(a[3]),
                   bool(a[1]), bool(b[3]), bool(b[1]), book)
    if len(parts) == 2 and all(_COL_PARTS.fullmatch(p) for p in parts):
        a, b = (_COL_PARTS.fullmatch(p) for p in parts)
        assert a is not None and b is not None
        c1, c2 = col_number(a[2]), col_number(b[2])
        return Ref(sheet, 1, min(c1, c2), MAX_ROW, max(c1, c2), True, bool(a[1]), True,
                   bool(b[1]), book, "cols")
    if len(parts) == 2 and all(_ROW_PARTS.fullmatch(p) for p in parts):
        a, b = (_ROW_PARTS.fullmatch(p) for p in parts)
        assert a is not None and b is not None
        r1, r2 = int(a[2]), int(b[2])
        return Ref(sheet, min(r1, r2), 1, max(r1, r2), MAX_COL, bool(a[1]), True, bool(b[1]),
                   True, book, "rows")
    return None


@lru_cache(maxsize=65_536)
def tokenize(formula: str) -> tuple[Token, ...]:
    """Tokens of a formula (a leading '=' is ignored). Cached: templates repeat formulas."""
    text = formula[1:] if formula.startswith("=") else formula
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        value = m.group()
        if kind == "qref":
            sheet, book = unquote_sheet(m.group("sheet"))
            target = m.group("qtarget")
            ref = _parse_target(target, sheet, book)
            if ref is not None:
                out.append(Token("ref", value, ref))
            elif target.upper() == "#REF!":
                out.append(Token("err", value))
            else:
                out.append(Token("name", value, sheet=sheet))
            continue
        if kind in ("ref", "cols", "rows"):
            ref = _parse_target(value, None, 0)
            out.append(Token("ref", value, ref) if ref else Token("name", value))
            continue
        if kind == "name" and value.upper() in ("TRUE", "FALSE"):
            kind = "bool"
        out.append(Token(kind, value))
    return tuple(out)


def name_of(token: Token) -> str:
    """The defined name a name token refers to (without any sheet prefix), upper case."""
    text = token.text
    if token.sheet is not None:
        text = text[text.rindex("!") + 1:]
    return text.upper()


def references(formula: str) -> tuple[list[Ref], list[Token]]:
    """(cell/range references, name tokens) of a formula."""
    toks = tokenize(formula)
    return ([t.ref for t in toks if t.ref is not None], [t for t in toks if t.kind == "name"])


def functions(formula: str) -> list[str]:
    """Function names called, upper case, without the _xlfn./_xlws. prefix."""
    return [_bare_function(t.text) for t in tokenize(formula) if t.kind == "func"]


def _bare_function(text: str) -> str:
    up = text.upper()
    for prefix in ("_XLFN._XLWS.", "_XLFN.", "_XLWS."):
        if up.startswith(prefix):
            return up[len(prefix):]
    return up


def literals(formula: str) -> tuple[list[str], list[str]]:
    """(number literals, string literals without quotes) of a formula."""
    toks = tokenize(formula)
    numbers = [t.text for t in toks if t.kind == "num"]
    strings = [t.text[1:-1].replace('""', '"') for t in toks if t.kind == "str"]
    return numbers, strings


# A mapper turns (sheet as written or None, row, col) into a canonical (sheet, row, col), or
# None when the cell has no counterpart (e.g. it lies in an inserted row).
Mapper = Callable[[str | None, int, int], tuple[str, int, int] | None]


def canonical(formula: str, mapper: Mapper) -> str:
    """A comparable form: no spaces or `$`, upper case, `_xlfn.` stripped, references mapped.

    Mapping references lets a formula in a workbook with an inserted row (whose references
    Excel shifted) compare equal to the template's, and makes sheet titles language-free.
    """
    out: list[str] = []
    for t in tokenize(formula):
        if t.kind == "ws":
            continue
        if t.kind == "ref" and t.ref is not None:
            out.append(_canonical_ref(t.ref, mapper))
        elif t.kind == "func":
            out.append(_bare_function(t.text))
        elif t.kind in ("name", "bool", "err"):
            out.append(t.text.upper() if t.sheet is None else
                       f"{t.sheet.upper()}!{name_of(t)}")
        elif t.kind == "num":
            out.append(repr(float(t.text)))
        else:
            out.append(t.text)
    return "".join(out)


def _canonical_ref(ref: Ref, mapper: Mapper) -> str:
    book = f"[{ref.book}]" if ref.book else ""
    if ref.book:  # another workbook: nothing to map
        return f"{book}{(ref.sheet or '').upper()}!R{ref.r1}C{ref.c1}:R{ref.r2}C{ref.c2}"
    a = mapper(ref.sheet, ref.r1, ref.c1)
    b = mapper(ref.sheet, ref.r2, ref.c2)
    if a is None or b is None:
        return f"{(ref.sheet or '').upper()}!?R{ref.r1}C{ref.c1}:R{ref.r2}C{ref.c2}"
    if ref.kind == "cols":
        return f"{a[0]}!C{a[2]}:C{b[2]}"
    if ref.kind == "rows":
        return f"{a[0]}!R{a[1]}:R{b[1]}"
    if ref.single:
        return f"{a[0]}!R{a[1]}C{a[2]}"
    return f"{a[0]}!R{a[1]}C{a[2]}:R{b[1]}C{b[2]}"


@lru_cache(maxsize=262_144)
def relative(formula: str, row: int, col: int) -> str:
    """R1C1 form relative to (row, col): the same for every cell of a copied formula.

    Cached: standard workbooks repeat the template's formulas at the template's positions."""
    out: list[str] = []
    for t in tokenize(formula):
        if t.kind == "ws":
            continue
        if t.kind == "ref" and t.ref is not None:
            r = t.ref
            sheet = f"{(r.sheet or '').upper()}!" if r.sheet is not None else ""

            def part(n: int, absolute: bool, base: int, axis: str) -> str:
                return f"{axis}{n}" if absolute else f"{axis}[{n - base}]"

            first = part(r.r1, r.abs_r1, row, "R") + part(r.c1, r.abs_c1, col, "C")
            second = part(r.r2, r.abs_r2, row, "R") + part(r.c2, r.abs_c2, col, "C")
            out.append(sheet + first + ("" if r.single else ":" + second))
        elif t.kind in ("name", "func", "bool"):
            out.append(t.text.upper())
        else:
            out.append(t.text)
    return "".join(out)


def translate(formula: str, drow: int, dcol: int) -> str:
    """Shift the relative parts of every reference (shared-formula expansion, like Excel)."""
    if drow == 0 and dcol == 0:
        return formula
    out: list[str] = []
    for t in tokenize(formula):
        if t.kind != "ref" or t.ref is None:
            out.append(t.text)
            continue
        prefix = t.text[: len(t.text) - len(_target_text(t.text))]
        out.append(prefix + _shift_target(_target_text(t.text), drow, dcol))
    return "".join(out)


def _target_text(text: str) -> str:
    return text[text.rindex("!") + 1:] if "!" in text else text


def _shift_target(target: str, drow: int, dcol: int) -> str:
    def cell(m: re.Match[str]) -> str:
        c = col_number(m[2]) + (0 if m[1] else dcol)
        r = int(m[4]) + (0 if m[3] else drow)
        if not (0 < c <= MAX_COL and 0 < r <= MAX_ROW):
            return "#REF!"
        return f"{m[1]}{col_letters(c)}{m[3]}{r}"

    parts = target.split(":")
    if all(_CELL_PARTS.fullmatch(p) for p in parts):
        return ":".join(_CELL_PARTS.sub(cell, p) for p in parts)
    if all(_COL_PARTS.fullmatch(p) for p in parts):
        return ":".join(
            f"{m[1]}{col_letters(col_number(m[2]) + (0 if m[1] else dcol))}"
            for m in (_COL_PARTS.fullmatch(p) for p in parts) if m)
    return ":".join(f"{m[1]}{int(m[2]) + (0 if m[1] else drow)}"
                    for m in (_ROW_PARTS.fullmatch(p) for p in parts) if m)
