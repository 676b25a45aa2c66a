"""Labels and units of named figures, for the domain's messages, without importing the registry.

The domain (checks, solve) writes findings such as "Laagste DSCR (netto) (dscr_min) = 0,98".
Labels live in the registry (``xlcoop.layout``), which sits above the domain, so the registry
hands them down: on import it installs a source here (dependency inversion). Without a source a
name is its own label, so the domain still works on its own (tests, the Lite add-in before the
registry loads).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

Entry = tuple[str, str, str]  # (label_nl, label_en, unit)


class ShownCheck(Protocol):
    """A check as the workbook shows it: what it tests and against which norm."""

    name: str
    severity: str
    value_ref: str
    norm_ref: str
    note_nl: str
    note_en: str


Source = Callable[[], tuple[Mapping[str, Entry], Sequence[Any]]]
_sources: list[Source] = []
_cache: dict[str, Any] = {}


def install(source: Source) -> None:
    """Add a source of labels and shown checks (the registry calls this once, on import)."""
    if source not in _sources:
        _sources.append(source)
        _cache.clear()


def _load() -> None:
    labels: dict[str, Entry] = {}
    checks: list[Any] = []
    for source in _sources:
        more, shown = source()
        for name, entry in more.items():
            labels.setdefault(name, entry)
        checks.extend(shown)
    _cache["labels"], _cache["checks"] = labels, tuple(checks)


def labels() -> Mapping[str, Entry]:
    if "labels" not in _cache:
        _load()
    return _cache["labels"]


def shown_checks() -> tuple[ShownCheck, ...]:
    if "checks" not in _cache:
        _load()
    return _cache["checks"]
