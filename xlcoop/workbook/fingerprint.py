"""The template's formula fingerprint: a hash of every formula cell the registry defines."""

from __future__ import annotations

import hashlib
from functools import cache

from xlcoop.layout import TEMPLATE_VERSION, formula_cells


@cache
def formula_fingerprint() -> str:
    """16 hex digits over (sheet, row, column, formula) of every template formula."""
    digest = hashlib.sha256(TEMPLATE_VERSION.encode())
    for (sheet, row, col), formula in sorted(formula_cells().items()):
        digest.update(f"{sheet}|{row}|{col}|{formula}\n".encode())
    return digest.hexdigest()[:16]
