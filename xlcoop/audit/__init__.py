"""Audit and bank intake: safety scan, template integrity, recompute, lint, bulk extraction.

``audit(path)`` returns a ``Report``; ``xlcoop audit`` and ``xlcoop extract`` are the command
line (``xlcoop/commands/audit.py``). Importing the package loads nothing (the one reader uses
only ``audit.safety``); ``audit``, ``Finding`` and ``Report`` load on first use.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Finding", "Report", "audit"]


def __getattr__(name: str) -> Any:
    if name == "audit":
        from xlcoop.audit.run import audit

        return audit
    if name in ("Finding", "Report"):
        from xlcoop.audit import findings

        return getattr(findings, name)
    raise AttributeError(name)
