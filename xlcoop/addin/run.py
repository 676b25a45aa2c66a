"""What the add-in's buttons do, independent of the engine (xlwings Lite, desktop, JSON Book).

``run_check`` and ``run_solve`` read the inputs by name, run ``xlcoop.checks`` or
``xlcoop.solve`` on the reference model, and write only to owned cells (``owned.OWNED``). All
writes are planned first and applied together at the end, after every target cell has been
found and has the right shape: a run that fails anywhere changes no cell. They never raise; what
went wrong is a finding in the report, which says in Dutch or English what was changed.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from xlcoop.addin import cells, owned
from xlcoop.checks import (
    ERROR,
    SEVERITY_LABELS,
    CheckResult,
    Finding,
    check_document,
    fmt,
)
from xlcoop.solve import TARGETS, Solution, solve


@dataclass(frozen=True)
class Change:
    name: str  # the owned defined name
    address: str  # 'Controles'!$C$40
    cells: int  # cells whose value changed


@dataclass
class Report:
    action: str  # "check" or the solver target
    lang: str
    ok: bool = True
    findings: list[Finding] = field(default_factory=list)
    solution: Solution | None = None
    check: CheckResult | None = None
    writes: owned.Writes = field(default_factory=dict)  # planned
    changes: list[Change] = field(default_factory=list)  # applied
    written: bool = False
    problem_nl: str = ""
    problem_en: str = ""

    def text(self) -> str:
        """What a person reads in the xlwings Lite output pane or a message box."""
        en = self.lang == "en"
        lines = []
        if self.solution is not None:
            lines.append(self.solution.summary(self.lang))
            if self.solution.binding is not None:
                lines.append(("  binding: " if en else "  bindend: ")
                              + self.solution.binding.label(self.lang))
            lines += ["  " + (e if en else n) for n, e in self.solution.notes]
        if self.findings:
            lines.append("Findings:" if en else "Bevindingen:")
            for f in self.findings:
                lines.append(f"  [{SEVERITY_LABELS[f.severity][en]}] {f.message(self.lang)}")
        if self.problem_nl:
            lines.append(self.problem_en if en else self.problem_nl)
        if self.written:
            changed = sum(c.cells for c in self.changes)
            lines.append(f"Changed {changed} cell(s):" if en
                         else f"{changed} cel(len) gewijzigd:")
            lines += [f"  {c.name} ({c.address}): {c.cells}" for c in self.changes if c.cells]
        else:
            lines.append("No cell was changed." if en else "Er is geen cel gewijzigd.")
        return "\n".join(lines)


def _internal(report: Report, exc: BaseException) -> Report:
    report.ok = False
    report.findings.append(Finding(
        "interne_fout", ERROR, "", f"Interne fout in de add-in ({type(exc).__name__}: {exc}); "
        "er is niets gewijzigd. Meld dit met de werkmap erbij.",
        f"Internal error in the add-in ({type(exc).__name__}: {exc}); nothing was changed. "
        "Please report it with the workbook."))
    return report


def _same(old: Any, new: Any) -> bool:
    if old is None or new is None:
        return old is None and new is None
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return math.isclose(float(old), float(new), rel_tol=1e-12, abs_tol=1e-12)
    return old == new


def apply(book: Any, writes: owned.Writes) -> list[Change]:
    """Write the planned values, all or nothing: every owned name is resolved and its shape
    checked before the first write. Raises cells.NameProblem or ValueError otherwise."""
    targets = []
    for name, values in writes.items():
        if name not in owned.OWNED_BY_NAME:
            raise ValueError(f"{name} is not a cell the add-in owns")
        rng = cells.named_range(book, name)
        shape = (len(values), len(values[0]))
        if tuple(rng.shape) != shape:
            raise ValueError(f"{name}: expected {shape[0]}×{shape[1]} cells, found "
                             f"{rng.shape[0]}×{rng.shape[1]}")
        old = cells.read_block(book, name)
        changed = sum(0 if _same(o, n) else 1 for orow, nrow in zip(old, values, strict=True)
                      for o, n in zip(orow, nrow, strict=True))
        targets.append((name, rng, values, changed))
    changes = []
    for name, rng, values, changed in targets:
        rng.value = values
        changes.append(Change(name, f"'{rng.sheet.name}'!{rng.address}", changed))
    return changes


def _write(book: Any, report: Report, write: bool) -> None:
    if not write:
        return
    try:
        report.changes = apply(book, report.writes)
        report.written = True
    except (cells.NameProblem, ValueError) as exc:
        report.ok = False
        missing = [n for n in report.writes if not _has(book, n)]
        what = ", ".join(missing) if missing else str(exc)
        report.problem_nl = (f"De add-in kon haar eigen cellen niet vinden ({what}); werk de "
                             "werkmap bij naar de nieuwste template. Er is niets gewijzigd.")
        report.problem_en = (f"The add-in could not find its own cells ({what}); update the "
                             "workbook to the latest template. Nothing was changed.")


def _has(book: Any, name: str) -> bool:
    try:
        cells.named_range(book, name)
        return True
    except cells.NameProblem:
        return False


def run_check(book: Any, today: dt.date | None = None, write: bool = True) -> Report:
    """Check the business case: every finding into the findings table on Controles."""
    report = Report("check", cells.detect_lang(book))
    try:
        doc, found = cells.read_document(book)
        result = check_document(doc, today, standards=cells.read_standards(book))
        report.check = result
        report.findings = sorted(found + result.findings,
                                 key=lambda f: ("error", "warning", "info").index(f.severity))
        report.writes = owned.check_writes(report.findings, report.lang)
    except Exception as exc:  # the add-in must not show a traceback to a treasurer
        return _internal(report, exc)
    _write(book, report, write)
    return report


def run_solve(book: Any, target: str, price: float | None = None, write: bool = True,
              via: str = "eigen_inbreng") -> Report:
    """Run one solver; its result into the solver's own cells. Inputs with errors: no run,
    no change, the findings in the report."""
    report = Report(target, cells.detect_lang(book))
    try:
        if target not in TARGETS:
            raise ValueError(f"unknown target {target!r}")
        doc, found = cells.read_document(book)
        result = check_document(doc, standards=cells.read_standards(book))
        errors = [f for f in found + result.findings if f.severity == ERROR]
        input_errors = [f for f in errors if result.scenario is None
                        or f.rule.startswith(("invoer_", "naam_"))]
        if result.scenario is None or input_errors:
            report.ok = False
            report.findings = input_errors or errors
            report.problem_nl = "De invoer is niet bruikbaar; los eerst de fouten op."
            report.problem_en = "The inputs cannot be used; fix the errors first."
            return report
        if result.scenario.inputs.get("projecttype") == "nieuwbouw":
            report.ok = False
            report.problem_nl = ("De oplossers rekenen met een overname (koopprijs). Bij "
                                 "nieuwbouw staat het tekort op het blad Nieuwbouw "
                                 "(financieringstekort).")
            report.problem_en = ("The solvers work on a takeover (purchase price). For new "
                                 "build the gap is on the New build sheet (financieringstekort).")
            return report
        if price is not None and (not math.isfinite(price) or price < 0):
            report.ok = False
            report.problem_nl = f"Prijs {fmt(price, 'eur')}: vul een bedrag van 0 of meer in."
            report.problem_en = f"Price {fmt(price, 'eur', 'en')}: enter an amount of 0 or more."
            return report
        report.solution = solve(result.scenario, target, price, via=via)
        report.writes = owned.solve_writes(report.solution, report.lang)
    except Exception as exc:
        return _internal(report, exc)
    _write(book, report, write)
    return report
