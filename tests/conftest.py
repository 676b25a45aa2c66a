"""Shared fixtures: the generated workbooks, recalculated once by LibreOffice and by formulas."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest

os.environ.setdefault("TQDM_DISABLE", "1")

from random_scenarios import random_scenarios

from xlcoop import scenario as scenario_file
from xlcoop.artifacts import EXAMPLES
from xlcoop.engines.formulas_engine import FormulasWorkbook
from xlcoop.engines.libreoffice import find_soffice, recalculate
from xlcoop.model import compute
from xlcoop.scenario import Scenario
from xlcoop.workbook.writer import write_workbook

ROOT = Path(__file__).resolve().parent.parent
RANDOM_COUNT = 50


def require_soffice() -> str:
    """LibreOffice is the real spreadsheet in these tests: on CI its absence is a failure."""
    soffice = find_soffice()
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not installed; .ci/run must install it")
        pytest.skip("LibreOffice (soffice) not installed")
    return soffice


@dataclass
class Case:
    name: str
    scenario: Scenario | None  # None: the empty template
    path: Path
    lang: str = "nl"
    recalculated: Path | None = None  # LibreOffice's recalculated copy

    @cached_property
    def model(self) -> dict:
        assert self.scenario is not None
        return compute(self.scenario)

    @cached_property
    def formulas(self) -> FormulasWorkbook:
        return FormulasWorkbook(self.path)

    @cached_property
    def formulas_results(self) -> dict:
        return self.formulas.calculate()


def example_scenario(name: str) -> Scenario:
    return scenario_file.load(ROOT / "examples" / f"{name}.toml")


@pytest.fixture(scope="session")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    """Examples (nl and en), the template and the random scenarios, written and recalculated."""
    src = tmp_path_factory.mktemp("generated")
    out: dict[str, Case] = {}
    for name in EXAMPLES:
        out[name] = Case(name, example_scenario(name), src / f"{name}.xlsx")
    out["stappenplan-a-en"] = Case("stappenplan-a-en", example_scenario("stappenplan-a"),
                                   src / "stappenplan-a-en.xlsx", "en")
    out["template"] = Case("template", None, src / "template.xlsx")
    out["template-en"] = Case("template-en", None, src / "template-en.xlsx", "en")
    for i, sc in enumerate(random_scenarios(RANDOM_COUNT)):
        out[f"random-{i:02d}"] = Case(f"random-{i:02d}", sc, src / f"random-{i:02d}.xlsx")
    for case in out.values():
        write_workbook(case.path, case.scenario, case.lang)
    if find_soffice() is not None:
        done = recalculate([c.path for c in out.values()], tmp_path_factory.mktemp("lo"))
        for case in out.values():
            case.recalculated = done[case.path]
    return out


@pytest.fixture(scope="session")
def lo_cases(cases: dict[str, Case]) -> dict[str, Case]:
    require_soffice()
    return cases
