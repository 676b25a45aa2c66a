"""The audit pipeline: safety scan, parse, template integrity, recompute, lint.

Each stage only runs when the one before allows it: a file that failed the safety scan is not
parsed; a workbook that is not an xlcoop workbook gets lint but no template comparison. Any
unexpected error becomes a finding, never a traceback: the input is hostile by assumption.
"""

from __future__ import annotations

import copy
import gc
import time
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

from xlcoop.audit.findings import (
    CRITICAL,
    ERROR,
    INFO,
    INTEGRITY,
    LINT,
    SAFETY,
    Finding,
    Report,
)


def audit(path: str | Path) -> Report:
    """Audit one workbook file. Reads it once; never writes it."""
    start = time.perf_counter()
    report = Report(str(path))
    # One audit builds ~50,000 short-lived objects (elements, cells) and no reference cycles
    # that matter: with the cycle collector on, its passes over them (and over the template
    # reference) took about 40% of a warm audit. Reference counting frees them all the same.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _audit(Path(path), report)
    except Exception as exc:
        report.add(Finding("internal_error", CRITICAL, SAFETY,
                           {"detail": f"{type(exc).__name__}: {exc}"[:300]}))
    finally:
        if collecting:
            gc.enable()
    report.seconds = time.perf_counter() - start
    return report


def _audit(path: Path, report: Report) -> None:
    from xlcoop.audit import safety

    scanned = safety.scan(path, report)
    report.checked.append("safety")
    if scanned.blocked:
        return
    from xlcoop.audit.graph import Graph
    from xlcoop.audit.package import read_package

    try:
        pkg = read_package(scanned.parts, scanned.splits)
    except (ET.ParseError, ValueError, KeyError, IndexError) as exc:
        report.unreadable = True
        report.add(Finding("malformed_xml", CRITICAL, SAFETY, {"detail": str(exc)[:300]}))
        return
    graph = Graph.build(pkg)
    from xlcoop.audit.lint import Lint
    from xlcoop.audit.reference import detect_language, reference

    lang = detect_language([s.title for s in pkg.sheets])
    if lang is None:
        report.add(Finding("not_xlcoop", ERROR, INTEGRITY,
                           {"sheets": [s.title for s in pkg.sheets][:20]}))
        from xlcoop.audit.recompute import Recompute

        Recompute(pkg, graph, None, report).run()  # its own formulas against its cached values
        Lint(pkg, graph, None, report).run()
        return
    from xlcoop.audit.integrity_memo import checked
    from xlcoop.audit.recompute import Recompute

    report.lang = lang
    before = len(report.findings)
    alignment = checked(pkg, reference(lang), report)
    report.checked.append("integrity")
    Recompute(pkg, graph, alignment, report).run()
    intact = alignment.identity and alignment.version_ok and not any(
        f.severity != INFO for f in report.findings[before:] if f.category == INTEGRITY)
    if intact:
        # Same sheets, formulas, constants and names as the template: lint is a function of
        # that structure alone (inputs are exempt from every rule), so the template's result
        # holds; computing it again costs ~0.1 s per file.
        report.findings.extend(copy.deepcopy(template_lint(lang)))
        report.checked.append("lint")
    else:
        Lint(pkg, graph, alignment, report).run()


@cache
def template_lint(lang: str) -> tuple[Finding, ...]:
    """The lint findings of the standard template itself (expected: none); disk-cached."""
    from xlcoop.audit.template_cache import stored

    return stored("lint", lang, lambda: _lint_template(lang))


def _lint_template(lang: str) -> tuple[Finding, ...]:
    from xlcoop.audit import integrity
    from xlcoop.audit.graph import Graph
    from xlcoop.audit.lint import Lint
    from xlcoop.audit.reference import reference

    ref = reference(lang)
    report = Report("template")
    alignment = integrity.check(ref.package, ref, report)
    Lint(ref.package, Graph(ref.package), alignment, report).run()
    return tuple(f for f in report.findings if f.category == LINT)


def warm_up(formulas: bool = False) -> None:
    """Build what every audit needs once per process (before forking workers).

    ``formulas``: also compile the template formulas whose cells have no model value of their
    own (opening balances, calendar rows): a workbook saved by a spreadsheet has cached values
    there, which are checked by evaluating them. Compiled once here, forked workers share them.
    """
    from xlcoop.audit.lint import allowed_strings
    from xlcoop.audit.reference import reference
    from xlcoop.workbook.fingerprint import formula_fingerprint

    for lang in ("nl", "en"):
        reference(lang)
        template_lint(lang)
    allowed_strings()
    formula_fingerprint()
    if formulas:
        from xlcoop.audit.evaluate import precompile

        precompile(reference("nl"))
