"""The cells the add-in owns, as data: the only cells it ever writes.

They live on the Controles sheet, each under a workbook-level defined name, so the add-in finds
them by name (never by address) and a renamed sheet changes nothing. They must be unlocked
(Office.js cannot write a locked cell on a protected sheet) and hold no formula. The registry
(``xlcoop/layout.py``) places them below the checks from the list ``owned_layout()`` gives it;
the add-in (``xlcoop/addin/owned.py``) fills them. Pure data: no registry, no face.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xlcoop.solve import Target

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


@dataclass(frozen=True)
class OwnedLayout:
    """The add-in's cells in the order the registry places them."""

    status: tuple[OwnedCell, ...]  # one row each: status line, error and warning counts
    solver_rows: tuple[tuple[OwnedCell, ...], ...]  # one row per solver target
    table: OwnedCell  # the findings table

    @property
    def cells(self) -> tuple[OwnedCell, ...]:
        return (*self.status, *(c for row in self.solver_rows for c in row), self.table)


@cache
def owned_layout() -> OwnedLayout:
    from xlcoop.solve import TARGETS  # the solver's targets decide the solver rows

    return OwnedLayout((STATUS, ERRORS, WARNINGS),
                       tuple(solution_cells(t) for t in TARGETS.values()), FINDINGS)
