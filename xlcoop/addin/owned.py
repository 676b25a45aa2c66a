"""The cells the add-in owns: the only cells it ever writes.

They live on the Controles sheet, each under a workbook-level defined name, so the add-in finds
them by name (never by address) and a renamed sheet changes nothing. They must be unlocked
(Office.js cannot write a locked cell on a protected sheet) and hold no formula. The registry
(``xlcoop/layout.py``) places them below the checks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from xlcoop.checks import ERROR, SEVERITY_LABELS, WARNING, Finding, count_text, fmt, unit_of
from xlcoop.solve import TARGETS, Solution, Target

SHEET_KEY = "controles"  # the registry's key of the Controles / Checks sheet
FINDINGS_ROWS = 40
FINDINGS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Onderwerp", "Subject"), ("Ernst", "Severity"), ("Waarde", "Value"), ("Norm", "Norm"),
    ("Regel", "Rule"), ("Naam", "Name"), ("Bericht", "Message"))


@dataclass(frozen=True)
class OwnedCell:
    name: str
    label_nl: str
    label_en: str
    unit: str  # registry unit, for the number format
    rows: int = 1
    cols: int = 1

    def label(self, lang: str = "nl") -> str:
        return self.label_en if lang == "en" else self.label_nl


STATUS = OwnedCell("addin_status", "Laatste run van de add-in", "Last add-in run", "tekst")
ERRORS = OwnedCell("addin_fouten", "Bevindingen: fouten", "Findings: errors", "aantal")
WARNINGS = OwnedCell("addin_waarschuwingen", "Bevindingen: waarschuwingen", "Findings: warnings",
                     "aantal")
FINDINGS = OwnedCell("addin_bevindingen", "Bevindingen van de add-in (tabel)",
                     "Add-in findings (table)", "tekst", FINDINGS_ROWS, len(FINDINGS_COLUMNS))


def solution_cells(target: Target) -> tuple[OwnedCell, OwnedCell, OwnedCell]:
    """A solver's result: the value, the binding constraint (or why there is no solution),
    and the price the case was held at."""
    base = f"oplossing_{target.slug}"
    return (OwnedCell(base, target.label_nl, target.label_en, target.unit),
            OwnedCell(base + "_grens", target.label_nl + ": bindende grens",
                      target.label_en + ": binding constraint", "tekst"),
            OwnedCell(base + "_prijs", target.label_nl + ": bij prijs",
                      target.label_en + ": at price", "eur"))


OWNED: tuple[OwnedCell, ...] = (
    STATUS, ERRORS, WARNINGS,
    *(cell for target in TARGETS.values() for cell in solution_cells(target)),
    FINDINGS,
)
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
