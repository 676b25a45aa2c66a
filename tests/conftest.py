"""Shared fixtures: the generated workbooks, recalculated once by LibreOffice and by formulas.

`formulas` needs ~20 s to load a workbook of this size but ~3 s to evaluate a compiled one, so
one "master" workbook (every input cell filled, so that each input cell is a node) is loaded
whole and compiled, and every Dutch workbook (examples, template, random scenarios) is
recomputed on it after proving that it holds exactly the master's formulas. A formula cell
that `formulas` drops cannot be compiled, so it fails there. LibreOffice recalculates
everything in one batch on a background thread, on the other core, while `formulas` works.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import openpyxl
import pytest

os.environ.setdefault("TQDM_DISABLE", "1")

from random_scenarios import master_document, random_scenarios

from xlcoop import scenario as scenario_file
from xlcoop.artifacts import EXAMPLES
from xlcoop.engines.formulas_engine import FormulasWorkbook
from xlcoop.engines.formulas_engine import formula_cells as workbook_formula_cells
from xlcoop.engines.libreoffice import find_soffice, recalculate
from xlcoop.inputs import DWELLING_COLUMNS, INPUTS
from xlcoop.layout import SHEETS, get_column_letter, layout
from xlcoop.model import compute
from xlcoop.norms import NORMS
from xlcoop.scenario import Scenario, excel_serial, validate
from xlcoop.workbook.writer import write_workbook

ROOT = Path(__file__).resolve().parent.parent
LO_TIMEOUT = float(os.environ.get("XLCOOP_LO_TIMEOUT", "300"))  # seconds for the whole batch
RANDOM_COUNT = 70  # mixed: at least 50 of them new build (a test asserts it)
Cell = tuple[str, str]


def require_soffice() -> str:
    """LibreOffice is the real spreadsheet in these tests: on CI its absence is a failure."""
    soffice = find_soffice()
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not installed; .ci/run must install it")
        pytest.skip("LibreOffice (soffice) not installed")
    return soffice


def input_cells(lang: str = "nl") -> list[Cell]:
    """Every input cell of the workbook, as (sheet title, address)."""
    titles = {s.key: s.title(lang) for s in SHEETS}
    names = [s.name for s in INPUTS] + [c.name for c in DWELLING_COLUMNS] + \
        [n.name + "_eigen" for n in NORMS]
    return [(titles[sheet], f"{get_column_letter(col)}{row}")
            for name in names for sheet, row, col in layout().cells_of(name)]


class CompiledMaster:
    """The master workbook loaded once into `formulas` and compiled: inputs -> every cell."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "master.xlsx"
        write_workbook(self.path, validate(master_document(), "master"))
        self.formulas = workbook_formula_cells(self.path)
        self.text = _formula_text(self.path)
        self.inputs = input_cells()
        self.book = FormulasWorkbook(self.path)
        self.evaluate = self.book.compile(self.inputs, sorted(self.formulas))

    def results(self, path: Path) -> dict[Cell, Any]:
        """Recompute the workbook at ``path``: it must hold the master's formulas exactly."""
        assert _formula_text(path) == self.text, f"{path.name}: formulas differ from the master"
        wb = openpyxl.load_workbook(path)
        constants = {(ws.title, c.coordinate): c.value for ws in wb for row in ws.iter_rows()
                     for c in row if c.value is not None and not (
                         isinstance(c.value, str) and c.value.startswith("="))}
        values = self.evaluate(*(_serial(wb[sheet][ref].value) for sheet, ref in self.inputs))
        return {**constants, **values}


def _serial(value: Any) -> Any:
    """A date cell as Excel's serial number (openpyxl reads it as a datetime)."""
    if isinstance(value, dt.datetime):
        return excel_serial(value.date())
    return value


def _formula_text(path: Path) -> dict[Cell, str]:
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith("=")}


@dataclass
class Case:
    name: str
    scenario: Scenario | None  # None: the empty template
    path: Path
    lang: str = "nl"
    master: CompiledMaster | None = None  # Dutch workbooks are recomputed on the master
    _lo: dict[Path, Path] | None = None
    _lo_done: threading.Event | None = None

    @cached_property
    def model(self) -> dict:
        assert self.scenario is not None
        return compute(self.scenario)

    @cached_property
    def formulas_results(self) -> dict[Cell, Any]:
        assert self.master is not None, "request the `master` fixture"
        return self.master.results(self.path)

    @property
    def recalculated(self) -> Path:
        assert self._lo_done is not None and self._lo is not None
        self._lo_done.wait()
        if self.path not in self._lo:
            pytest.fail(f"LibreOffice did not recalculate {self.path.name}: {self._lo}")
        return self._lo[self.path]


def example_scenario(name: str) -> Scenario:
    return scenario_file.load(ROOT / "examples" / f"{name}.toml")


STALE_DOSSIER = "nieuwbouw-oude-taxatie"


def stale_dossier_scenario() -> Scenario:
    """The new-build example with a valuation 4 months before the application and no NEN 2767
    report: two failed dossier items."""
    base = example_scenario("nieuwbouw-amsterdam")
    inputs = {**base.inputs, "taxatiedatum": dt.date(2025, 10, 31),
              "aanvraagdatum": dt.date(2026, 3, 1), "nen2767_rapport": "nee"}
    return Scenario(inputs, base.dwellings, dict(base.norms))


RENT_FAILS = "huurrecht-fouten"


def rent_fails_scenario() -> Scenario:
    """The issue's failing dwellings in 2026: 100 points at €1,000 (above the social maximum),
    160 points at €1,300 (above the mid-market ceiling), 250 points (free sector), a
    huurprijscheck maximum, and too few lower incomes for a sale below market value."""
    doc = example_scenario("huurrecht-2026").to_dict()
    doc["project"]["aandeel_lagere_inkomens"] = 0.3
    doc["woningen"] = [
        {"type": "Sociaal", "aantal": 4, "huur_per_maand": 1000, "marktwaarde_leeg": 150000,
         "wws_punten": 100},
        {"type": "Midden", "aantal": 3, "huur_per_maand": 1300, "marktwaarde_leeg": 200000,
         "wws_punten": 160},
        {"type": "Vrij", "aantal": 2, "huur_per_maand": 1000, "marktwaarde_leeg": 250000,
         "wws_punten": 250},
        {"type": "Check", "aantal": 2, "huur_per_maand": 700, "marktwaarde_leeg": 150000,
         "wws_punten": 120, "huur_max_huurprijscheck": 650},
        {"type": "Zonder punten", "aantal": 1, "huur_per_maand": 500,
         "marktwaarde_leeg": 100000}]
    return validate(doc, RENT_FAILS)


@pytest.fixture(scope="session")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    """Examples (nl and en), the template and the random scenarios, written; LibreOffice
    starts recalculating them at once in the background."""
    src = tmp_path_factory.mktemp("generated")
    out: dict[str, Case] = {}
    for name in EXAMPLES:
        out[name] = Case(name, example_scenario(name), src / f"{name}.xlsx")
    out["stappenplan-a-en"] = Case("stappenplan-a-en", example_scenario("stappenplan-a"),
                                   src / "stappenplan-a-en.xlsx", "en")
    out["template"] = Case("template", None, src / "template.xlsx")
    out[STALE_DOSSIER] = Case(STALE_DOSSIER, stale_dossier_scenario(),
                              src / f"{STALE_DOSSIER}.xlsx")
    out[RENT_FAILS] = Case(RENT_FAILS, rent_fails_scenario(), src / f"{RENT_FAILS}.xlsx")
    for i, sc in enumerate(random_scenarios(RANDOM_COUNT, mixed=True)):
        out[f"random-{i:02d}"] = Case(f"random-{i:02d}", sc, src / f"random-{i:02d}.xlsx")
    for case in out.values():
        write_workbook(case.path, case.scenario, case.lang)
    done, results = threading.Event(), {}
    if find_soffice() is not None:
        outdir = tmp_path_factory.mktemp("lo")

        def run() -> None:
            try:
                results.update(recalculate([c.path for c in out.values()], outdir,
                                           timeout=LO_TIMEOUT))
            finally:
                done.set()

        threading.Thread(target=run, daemon=True).start()
    else:
        done.set()
    for case in out.values():
        case._lo, case._lo_done = results, done
    return out


@pytest.fixture(scope="session")
def master(cases: dict[str, Case], tmp_path_factory: pytest.TempPathFactory) -> CompiledMaster:
    compiled = CompiledMaster(tmp_path_factory.mktemp("master"))
    for case in cases.values():
        if case.lang == "nl":
            case.master = compiled
    return compiled


@pytest.fixture(scope="session")
def lo_cases(cases: dict[str, Case]) -> dict[str, Case]:
    require_soffice()
    return cases
