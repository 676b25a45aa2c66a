"""Audit and bank intake: safety scan, template integrity, recompute, lint, bulk extraction.

``audit(path)`` returns a ``Report``; ``xlcoop audit`` and ``xlcoop extract`` are the command
line (``xlcoop/commands/audit.py``).
"""

from xlcoop.audit.findings import Finding, Report
from xlcoop.audit.run import audit

__all__ = ["Finding", "Report", "audit"]
