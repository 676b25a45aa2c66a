"""Optional engines and the pip extra that installs each (``pyproject.toml``).

The base install is exactly what the xlwings Lite add-in imports: pure Python that micropip can
install in Pyodide. Writing and reading workbooks needs openpyxl (extra ``workbook``); the
audit's recompute needs ``formulas`` (extra ``audit``); ``full`` is the complete command line.
A command that needs a missing engine says which extra to install instead of a traceback.
"""

from __future__ import annotations

import importlib.util

# top-level module -> the extra that brings it (formulas' own dependencies count as formulas)
EXTRA_OF: dict[str, str] = {
    "openpyxl": "workbook", "et_xmlfile": "workbook",
    "formulas": "audit", "schedula": "audit", "numpy": "audit", "numpy_financial": "audit",
    "scipy": "audit", "regex": "audit", "dateutil": "audit",
}


class MissingExtra(ImportError):
    """A command needs an optional engine that is not installed."""

    def __init__(self, module: str) -> None:
        self.module, self.extra = module, EXTRA_OF.get(module, "full")
        super().__init__(
            f"de optionele module '{module}' ontbreekt / the optional module '{module}' is not "
            f"installed; install it with: pip install 'xlcoop[{self.extra}]' (every command: "
            "'xlcoop[full]')", name=module)


def installed(module: str) -> bool:
    """Whether ``module`` can be imported, without importing it (formulas takes seconds)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a blocked or half-removed module counts as missing
        return False


def require(*modules: str) -> None:
    """Raise MissingExtra for the first of ``modules`` that is not installed."""
    for module in modules:
        if not installed(module):
            raise MissingExtra(module)


def missing_extra(exc: ImportError) -> MissingExtra | None:
    """The MissingExtra behind an ImportError of an optional engine, else None (a real bug)."""
    top = (getattr(exc, "name", None) or "").split(".")[0]
    return MissingExtra(top) if top in EXTRA_OF else None
