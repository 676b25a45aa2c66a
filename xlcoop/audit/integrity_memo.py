"""Template integrity of a structure already checked in this process, replayed.

``integrity.check`` reads a workbook's sheets, names, styles, formulas and constants, but never
a formula's cached value nor the value of an input cell (an unlocked cell at a template input
position: only a formula there is a finding). Two files whose sheets have the same shape
(``shapes``: equal bytes but for their values), the same sheet list, names and unlocked styles,
and equal values in every other constant cell therefore get the same findings, alignment and
fingerprint. Workbooks of one template with the same cells filled in, saved by one spreadsheet,
are such files: the first is checked cell by cell, the others compare their constants with it
(labels, norms, the version) and reuse its result. Kept only when nothing moved (an identity
alignment), so positions are the template's and the file's alike.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from xlcoop.audit.findings import Finding, Report
from xlcoop.audit.integrity import Alignment, check
from xlcoop.audit.memo import Memo
from xlcoop.audit.package import Package
from xlcoop.audit.reference import Reference

KEEP = 8  # structures per process (LRU)

Key = tuple[Any, ...]


@dataclass(slots=True)
class _Checked:
    watch: tuple[tuple[int, tuple[int, int]], ...]  # (sheet, position) of each watched constant
    constants: list[Any]  # their values in the file that was checked
    alignment: Alignment
    findings: tuple[Finding, ...]
    fields: tuple[Any, ...]  # the report fields integrity sets


_KNOWN = Memo(KEEP)  # structure -> _Checked
_FIELDS = ("template_version", "fingerprint_claimed", "fingerprint_expected",
           "fingerprint_actual")


def structure(pkg: Package, ref: Reference) -> Key | None:
    """What integrity reads of ``pkg`` besides its constants; None if a sheet has no shape."""
    if not pkg.sheets or not all(s.shape for s in pkg.sheets):
        return None
    return (id(ref), tuple((s.title, s.state, s.shape) for s in pkg.sheets),
            tuple((n.name, n.text, n.local_sheet, n.hidden) for n in pkg.names),
            tuple(sorted(pkg.unlocked_styles)))


def _constants(pkg: Package, watch: tuple[tuple[int, tuple[int, int]], ...]) -> list[Any]:
    sheets = [s.cells for s in pkg.sheets]
    # a cell the parser dropped (a shared string out of range, no style) is no value at all
    return [c.value if (c := sheets[i].get(pos)) is not None else _ABSENT for i, pos in watch]


_ABSENT = object()


def _same(a: list[Any], b: list[Any]) -> bool:
    return a == b and all(type(x) is type(y) for x, y in zip(a, b, strict=True))


def checked(pkg: Package, ref: Reference, report: Report) -> Alignment:
    """``integrity.check(pkg, ref, report)``, replayed when this structure was checked before."""
    key = structure(pkg, ref)
    entry = _KNOWN.find(key) if key is not None else None
    if entry is not None and _same(_constants(pkg, entry.watch), entry.constants):
        return _replay(entry, pkg, report)
    before = len(report.findings)
    alignment = check(pkg, ref, report)
    if key is not None and alignment.identity:
        watch = _watched(pkg, ref, alignment)
        _KNOWN.put(key, _Checked(watch, _constants(pkg, watch), alignment,
                                 tuple(copy.deepcopy(report.findings[before:])),
                                 tuple(getattr(report, f) for f in _FIELDS)))
    return alignment


def _watched(pkg: Package, ref: Reference,
             alignment: Alignment) -> tuple[tuple[int, tuple[int, int]], ...]:
    """Every cell without a formula, but for unlocked cells at a template input position."""
    out = []
    unlocked = pkg.unlocked_styles
    for sheet in pkg.sheets:
        key = alignment.key_of.get(sheet.index)
        for pos, cell in sheet.cells.items():
            if cell.formula is None and not (
                    cell.style in unlocked and (key, pos[0], pos[1]) in ref.inputs):
                out.append((sheet.index, pos))
    return tuple(out)


def _replay(entry: _Checked, pkg: Package, report: Report) -> Alignment:
    report.findings.extend(copy.deepcopy(entry.findings))
    for name, value in zip(_FIELDS, entry.fields, strict=True):
        setattr(report, name, value)
    alignment = copy.copy(entry.alignment)
    alignment.pkg = pkg
    alignment.deviations = set(entry.alignment.deviations)
    alignment.pending = []
    alignment.changed_names = set(entry.alignment.changed_names)
    alignment._mappers = {}  # they read the package's sheet titles: built again on demand
    return alignment
