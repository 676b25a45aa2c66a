"""Contract: the add-in's scripts emit the same actions on xlwings' real JSON Book as on the
licence-free stand-in. xlwings' JSON Book (``xlwings.pro``) is licensed PolyForm Noncommercial
or paid, so this runs only when XLWINGS_LICENSE_KEY is set and is reported skipped otherwise."""

from __future__ import annotations

import copy
import json
import os
from typing import Any

import pytest
from conftest import example_scenario

from xlcoop.addin import jsonbook, run, xlsx
from xlcoop.solve import TARGETS
from xlcoop.workbook.writer import write_workbook

pytestmark = pytest.mark.skipif(
    not os.environ.get("XLWINGS_LICENSE_KEY"),
    reason="set XLWINGS_LICENSE_KEY to run the scripts against xlwings' own JSON Book "
           "(xlwings PRO: PolyForm Noncommercial or a paid licence)")

PRICE = {"min-rent": 1_500_000.0, "gap": 1_500_000.0}


@pytest.fixture(scope="module")
def payload(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("contract")
    return xlsx.payload_from_xlsx(write_workbook(tmp / "a.xlsx",
                                                 example_scenario("stappenplan-a")))


def real_book(payload: dict[str, Any]) -> Any:
    import xlwings as xw

    if not xw.__pro__:
        pytest.fail("XLWINGS_LICENSE_KEY is set but xlwings PRO did not activate")
    return xw.Book(json=copy.deepcopy(payload))


def _normal(actions: list[dict[str, Any]]) -> str:
    return json.dumps(actions, sort_keys=True, default=str)


@pytest.mark.parametrize("script", ["check", *TARGETS])
def test_same_actions_as_the_stand_in(payload: dict[str, Any], script: str) -> None:
    def go(book: Any) -> run.Report:
        if script == "check":
            return run.run_check(book)
        return run.run_solve(book, script, PRICE.get(script))

    fake = jsonbook.Book(copy.deepcopy(payload))
    real = real_book(payload)
    mine, theirs = go(fake), go(real)
    assert [f.rule for f in mine.findings] == [f.rule for f in theirs.findings]
    assert _normal(real.json()["actions"]) == _normal(fake.json()["actions"])


def test_hostile_input_on_the_real_book(payload: dict[str, Any]) -> None:
    spoiled = copy.deepcopy(payload)
    entry = next(n for n in spoiled["names"] if n["name"] == "rente")
    row, col, _, _ = jsonbook.parse_range(entry["address"])
    spoiled["sheets"][entry["sheet_index"]]["values"][row - 1][col - 1] = "#DIV/0!"
    real = real_book(spoiled)
    report = run.run_solve(real, "max-price")
    assert not report.ok and real.json()["actions"] == []
    assert "invoer_foutwaarde" in {f.rule for f in report.findings}
