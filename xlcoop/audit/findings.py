"""Findings and the audit report: what was found, where, and how bad it is.

A finding carries a stable ``code`` (for JSON consumers and tests), its parameters, and where it
is: the defined name and the address, both when known. Messages are rendered in Dutch or
English from the code (see ``messages``), so the same report reads in either language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# critical: the file is unsafe or unreadable (exit 2); error and warning: findings (exit 1);
# info: a note that does not make the workbook unclean (e.g. the user's own norm value).
CRITICAL, ERROR, WARNING, INFO = "critical", "error", "warning", "info"
SEVERITIES = (CRITICAL, ERROR, WARNING, INFO)
# Categories, in the order the report shows them.
SAFETY, INTEGRITY, RECOMPUTE, LINT = "safety", "integrity", "recompute", "lint"
CATEGORIES = (SAFETY, INTEGRITY, RECOMPUTE, LINT)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNSAFE = 0, 1, 2
CLEAN, FINDINGS, UNSAFE, UNREADABLE = "clean", "findings", "unsafe", "unreadable"


@dataclass
class Finding:
    code: str
    severity: str
    category: str
    params: dict[str, Any] = field(default_factory=dict)
    name: str | None = None  # the defined name of the cell, when it has one
    sheet: str | None = None  # the sheet title as in the received file
    address: str | None = None  # "C39" in the received file
    template_address: str | None = None  # where the template has it, when it moved
    chain: list[dict[str, Any]] = field(default_factory=list)  # precedents, nearest first

    @property
    def where(self) -> str:
        if self.sheet is None:
            return ""
        sheet = self.sheet.replace("'", "''")
        return f"'{sheet}'!{self.address}" if self.address else f"'{sheet}'"

    def to_dict(self, lang: str = "nl") -> dict[str, Any]:
        from xlcoop.audit.messages import render

        return {
            "code": self.code,
            "severity": self.severity,
            "category": self.category,
            "message": render(self, lang),
            "name": self.name,
            "sheet": self.sheet,
            "address": self.address,
            "template_address": self.template_address,
            "params": {k: _plain(v) for k, v in self.params.items()},
            "chain": [{k: _plain(v) for k, v in step.items()} for step in self.chain],
        }


def _plain(value: Any) -> Any:
    """JSON-safe: numbers, strings, booleans, None, and lists of those."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


@dataclass
class Report:
    path: str
    size: int = 0
    sha256: str = ""
    findings: list[Finding] = field(default_factory=list)
    unreadable: bool = False  # could not be read as a workbook at all
    lang: str | None = None  # the workbook's language (nl/en), when it is an xlcoop workbook
    template_version: str | None = None
    fingerprint_claimed: str | None = None
    fingerprint_actual: str | None = None
    fingerprint_expected: str | None = None
    figures: dict[str, Any] = field(default_factory=dict)  # reference model, from the inputs
    computed: dict[str, Any] = field(default_factory=dict)  # the file's own formulas, by name
    cached: dict[str, Any] = field(default_factory=dict)  # the file's cached values, by name
    inputs_state: str = ""  # complete | empty | invalid | unknown
    project: dict[str, Any] = field(default_factory=dict)  # the identifying inputs (name, ...)
    checked: list[str] = field(default_factory=list)  # which stages ran
    seconds: float = 0.0

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def status(self) -> str:
        if self.unreadable:
            return UNREADABLE
        if self.count(CRITICAL):
            return UNSAFE
        if self.count(ERROR) or self.count(WARNING):
            return FINDINGS
        return CLEAN

    @property
    def integrity(self) -> str:
        """The file itself: clean | altered (template, recompute or lint findings) | unsafe |
        unreadable. Separate from the business case it holds (``business_case``)."""
        status = self.status
        return "altered" if status == FINDINGS else status

    @property
    def business_case(self) -> dict[str, Any]:
        """The workbook's own verdict: its master check and number of warnings (as its formulas
        compute them, else as the reference model does); empty when not computed."""
        out: dict[str, Any] = {}
        for key in ("controles_ok", "aantal_waarschuwingen"):
            for source in (self.computed, self.cached, self.figures):
                if source.get(key) is not None:
                    out[key] = source[key]
                    break
        return out

    @property
    def exit_code(self) -> int:
        return {CLEAN: EXIT_CLEAN, FINDINGS: EXIT_FINDINGS}.get(self.status, EXIT_UNSAFE)

    def by_code(self, code: str) -> list[Finding]:
        return [f for f in self.findings if f.code == code]

    def to_dict(self, lang: str = "nl") -> dict[str, Any]:
        return {
            "file": self.path,
            "size": self.size,
            "sha256": self.sha256,
            "status": self.status,
            "integrity": self.integrity,
            "business_case": {k: _plain(v) for k, v in self.business_case.items()},
            "exit_code": self.exit_code,
            "language": self.lang,
            "template": {
                "version": self.template_version,
                "fingerprint_claimed": self.fingerprint_claimed,
                "fingerprint_expected": self.fingerprint_expected,
                "fingerprint_actual": self.fingerprint_actual,
            },
            "inputs": self.inputs_state,
            "project": {k: _plain(v) for k, v in self.project.items()},
            "counts": {s: self.count(s) for s in SEVERITIES},
            "key_figures": {k: _plain(v) for k, v in self.figures.items()},
            "workbook_figures": {k: _plain(v) for k, v in self.computed.items()},
            "cached_figures": {k: _plain(v) for k, v in self.cached.items()},
            "findings": [f.to_dict(lang) for f in self.findings],
            "checked": list(self.checked),
            "seconds": round(self.seconds, 4),
        }
