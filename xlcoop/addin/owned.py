"""What the add-in writes into the cells it owns (defined in ``xlcoop.owned_cells``)."""

from __future__ import annotations

import math
from typing import Any

from xlcoop.checks import ERROR, SEVERITY_LABELS, WARNING, Finding, count_text, fmt, unit_of
from xlcoop.owned_cells import (  # noqa: F401 - re-exported: the add-in's cell vocabulary
    ERRORS,
    FINDINGS,
    FINDINGS_COLUMNS,
    FINDINGS_ROWS,
    SHEET_KEY,
    STATUS,
    WARNINGS,
    OwnedCell,
    owned_layout,
    solution_cells,
)
from xlcoop.solve import TARGETS, Solution  # noqa: F401

OWNED: tuple[OwnedCell, ...] = owned_layout().cells
OWNED_BY_NAME = {cell.name: cell for cell in OWNED}

Writes = dict[str, list[list[Any]]]  # owned name -> 2-D values, exactly its shape


def _value_text(value: Any, name: str, lang: str) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return fmt(value, unit_of(name), lang)


def check_writes(findings: list[Finding], lang: str) -> Writes:
    """The findings table, the counts and the status line after a check."""
    rows: list[list[Any]] = []
    shown = findings if len(findings) <= FINDINGS_ROWS else findings[:FINDINGS_ROWS - 1]
    for f in shown:
        norm_unit = unit_of(f.norm_name) or unit_of(f.name)
        norm = None if f.norm is None else (f.norm if isinstance(f.norm, str)
                                            else fmt(f.norm, norm_unit, lang))
        where = f" ({'rij' if lang == 'nl' else 'row'} {f.row})" if f.row else ""
        rows.append([f.label(lang) + where, SEVERITY_LABELS[f.severity][lang == "en"],
                     _value_text(f.value, f.name, lang), norm, f.rule, f.name,
                     f.message(lang)])
    if len(findings) > len(shown):
        more = len(findings) - len(shown)
        rows.append([f"… en {more} meer (zie xlcoop check)" if lang == "nl"
                     else f"… and {more} more (see xlcoop check)"] + [None] * 6)
    rows += [[None] * FINDINGS.cols for _ in range(FINDINGS.rows - len(rows))]
    status = ("Controle: " if lang == "nl" else "Check: ") + count_text(findings, lang)
    return {
        FINDINGS.name: rows,
        ERRORS.name: [[sum(1 for f in findings if f.severity == ERROR)]],
        WARNINGS.name: [[sum(1 for f in findings if f.severity == WARNING)]],
        STATUS.name: [[status]],
    }


def solve_writes(solution: Solution, lang: str) -> Writes:
    """A solver's three result cells and the status line."""
    value_cell, limit_cell, price_cell = solution_cells(solution.target)
    limit = solution.binding_label(lang) or None
    for nl, en in solution.notes[:1] if not solution.ok else ():
        limit = f"{limit}: {en if lang == 'en' else nl}"
    return {
        value_cell.name: [[solution.value if solution.ok else None]],
        limit_cell.name: [[limit]],
        price_cell.name: [[solution.price]],
        STATUS.name: [[solution.summary(lang)]],
    }
