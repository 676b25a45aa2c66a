"""The value of every formula cell, from the reference model: the workbook's cached values.

A workbook opened in Excel's Protected View, a preview or a reader such as python-calamine
shows the values stored beside the formulas, and nothing recalculates there. The writer stores
these, so the file shows the numbers the model computes; the tests prove that every one of them
equals what LibreOffice (and the other engines) recalculate from the formulas.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from xlcoop.layout import value_sources
from xlcoop.model import compute
from xlcoop.scenario import Scenario, blank_scenario, date_serial

Cell = tuple[str, int, int]


def model_results(scenario: Scenario | None) -> dict[str, Any]:
    """Every figure the workbook shows: the model's results over the inputs (a blank workbook
    is the model of the blank scenario)."""
    scenario = scenario if scenario is not None else blank_scenario()
    results = compute(scenario)
    return {**scenario.inputs, **results}


def _cell_value(value: Any) -> Any:
    """What a cell stores: dates as Excel serials, blanks as 0 (what a formula shows)."""
    if isinstance(value, dt.date):
        return date_serial(value)
    if value is None:
        return 0
    return value


def cached_values(scenario: Scenario | None,
                  results: dict[str, Any] | None = None) -> dict[Cell, Any]:
    """The value of every formula cell of the workbook, by (sheet key, row, col)."""
    return dict(zip(value_cells(), cached_value_list(scenario, results), strict=True))


@cache
def _sources() -> tuple[tuple[Cell, ...], tuple[tuple[str, int | None], ...]]:
    cells, where = [], []
    for cell, source in value_sources().items():
        cells.append(cell)
        where.append(source if isinstance(source, tuple) else (source, None))
    return tuple(cells), tuple(where)


def value_cells() -> tuple[Cell, ...]:
    """The formula cells, in the order of ``cached_value_list`` (one tuple per process)."""
    return _sources()[0]


_AS_STORED = frozenset((int, float, bool, str))  # what a cell stores as it is


def cached_value_list(scenario: Scenario | None,
                      results: dict[str, Any] | None = None) -> list[Any]:
    """``cached_values`` as a list in the order of ``value_cells`` (the audit's fast path)."""
    results = model_results(scenario) if results is None else results
    values = [results[name] if index is None else results[name][index]
              for name, index in _sources()[1]]
    return [v if type(v) in _AS_STORED else _cell_value(v) for v in values]
