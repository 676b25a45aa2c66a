"""Align a received sheet with the template's: which rows and columns were inserted or deleted.

An inserted row shifts every cell below it; compared cell by cell that looks like hundreds of
altered cells. So rows (and columns) are first aligned like lines in a diff, on signatures that
do not depend on position: the labels and the relative (R1C1) form of the formulas, leaving out
input cells (unlocked), whose content is the user's. The cell comparison then runs through the
resulting maps, and an insertion is reported once, as an insertion.
"""

from __future__ import annotations

from collections.abc import Callable
from difflib import SequenceMatcher

from xlcoop.audit.formula import relative
from xlcoop.audit.package import Sheet

Signature = tuple[str, ...]
MAX_DP = 200  # replace blocks up to this size are aligned by similarity, larger ones in order


Keys = dict[tuple[int, int], str]


def keys(sheet: Sheet, unlocked: set[int]) -> Keys:
    """What identifies each cell, position-free: '=' + R1C1 formula ('{=' for an array
    formula) or 's:' + text; numbers and unlocked (input) cells have none. One pass."""
    return _keyed(sheet, unlocked, relative)


def raw_keys(sheet: Sheet, unlocked: set[int]) -> Keys:
    """``keys`` before the R1C1 step: '=' + the formula as written. Equal raw keys at equal
    positions give equal keys, so a sheet whose raw keys equal the template's is aligned
    without tokenising a formula (a standard workbook, as written or as saved by LibreOffice)."""
    return _keyed(sheet, unlocked, lambda formula, _row, _col: formula)


def _keyed(sheet: Sheet, unlocked: set[int], form: Callable[[str, int, int], str]) -> Keys:
    out: Keys = {}
    for (row, col), cell in sheet.cells.items():
        if cell.style in unlocked:
            continue
        if cell.formula is not None:
            out[(row, col)] = ("{=" if cell.array else "=") + form(cell.formula, row, col)
        elif isinstance(cell.value, str) and (text := cell.value.strip()):
            out[(row, col)] = "s:" + text
    return out


def signatures(found: Keys, rows: int, cols: int) -> tuple[list[Signature], list[Signature]]:
    """Row and column signatures: the sorted keys of each row and of each column."""
    by_row: dict[int, list[str]] = {}
    by_col: dict[int, list[str]] = {}
    for (row, col), key in found.items():
        by_row.setdefault(row, []).append(key)
        by_col.setdefault(col, []).append(key)
    return ([tuple(sorted(by_row.get(r, ()))) for r in range(1, rows + 1)],
            [tuple(sorted(by_col.get(c, ()))) for c in range(1, cols + 1)])


def row_signatures(sheet: Sheet, unlocked: set[int], rows: int) -> list[Signature]:
    return signatures(keys(sheet, unlocked), rows, 0)[0]


def _similarity(a: Signature, b: Signature) -> float:
    if not a and not b:
        return 1.0
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb)


def _align_block(exp: list[Signature], act: list[Signature], e0: int, a0: int,
                 out: dict[int, int]) -> None:
    """Global alignment (no gap cost) maximising similarity, for one replaced block."""
    n, m = len(exp), len(act)
    if n == m or n * m > MAX_DP * MAX_DP:
        for k in range(min(n, m)):
            out[e0 + k] = a0 + k
        return
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            score[i][j] = max(score[i + 1][j], score[i][j + 1],
                              score[i + 1][j + 1] + 0.5 + _similarity(exp[i], act[j]))
    i = j = 0
    while i < n and j < m:
        if score[i][j] == score[i + 1][j + 1] + 0.5 + _similarity(exp[i], act[j]):
            out[e0 + i] = a0 + j
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            i += 1
        else:
            j += 1


def align(exp: list[Signature], act: list[Signature]) -> dict[int, int]:
    """Map expected positions (1-based) to actual positions; unmapped ones were deleted."""
    if exp == act:
        return {i: i for i in range(1, len(exp) + 1)}
    out: dict[int, int] = {}
    matcher = SequenceMatcher(None, exp, act, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                out[i1 + k] = j1 + k
        elif tag == "replace":
            _align_block(exp[i1:i2], act[j1:j2], i1, j1, out)
    return {e + 1: a + 1 for e, a in out.items()}


def runs(numbers: list[int]) -> list[tuple[int, int]]:
    """[3, 4, 5, 9] -> [(3, 5), (9, 9)]."""
    out: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out
