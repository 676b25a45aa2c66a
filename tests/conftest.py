"""Shared fixtures: the generated workbooks, recalculated once by every engine.

`formulas` needs ~20 s to load a workbook of this size but ~3 s to evaluate a compiled one, so
one "master" workbook (every input cell filled, so that each input cell is a node) is loaded
whole and compiled, and the Dutch workbooks it checks are recomputed on it after proving that
each holds exactly the master's formulas. A formula cell that `formulas` drops cannot be
compiled, so it fails there.

Everything else runs beside the main process, on the other core, from the moment the workbooks
exist: LibreOffice recalculates every workbook of the session in one soffice run (the cases
here and the extra workbooks other modules register with :func:`libreoffice_batch`), and one
worker process evaluates every workbook in IronCalc and in formualizer (~0.3 s and ~0.1 s).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("TQDM_DISABLE", "1")

from random_scenarios import master_document, random_scenarios

from xlcoop import scenario as scenario_file
from xlcoop.artifacts import EXAMPLES
from xlcoop.engines.batch import RUST_ENGINES
from xlcoop.engines.batch import evaluate as evaluate_in
from xlcoop.engines.cells import defined_names, read_cells
from xlcoop.engines.libreoffice import find_soffice, recalculate
from xlcoop.inputs import DWELLING_COLUMNS, INPUTS
from xlcoop.layout import SHEETS, get_column_letter, layout
from xlcoop.model import compute
from xlcoop.norms import NORMS
from xlcoop.scenario import Scenario, excel_serial, validate
from xlcoop.workbook.writer import write_workbook

ROOT = Path(__file__).resolve().parent.parent
RANDOM_COUNT = 70  # mixed: at least 50 of them new build (a test asserts it)
# The workbooks `formulas` recomputes: the hand-made ones. At ~3 s an evaluation it cannot carry
# the random scenarios in a 5-minute suite; LibreOffice, IronCalc and formualizer carry those.
FORMULAS_CASES = ("stappenplan-a", "stappenplan-b", "stappenplan-c", "nieuwbouw-amsterdam",
                  "stappenplan-a-en", "template", "nieuwbouw-oude-taxatie")
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


def _serial(value: Any) -> Any:
    """A date cell as Excel's serial number (openpyxl reads it as a datetime)."""
    if isinstance(value, dt.datetime):
        return excel_serial(value.date())
    return value


def formula_text(path: Path) -> dict[Cell, str]:
    """Every formula of the workbook, as written in its sheet XML."""
    return {cell: sc.formula for cell, sc in read_cells(path).items() if sc.formula is not None}


class CompiledMaster:
    """The master workbook loaded once into `formulas` and compiled: inputs -> every cell."""

    def __init__(self, folder: Path) -> None:
        from xlcoop.engines.formulas_engine import FormulasWorkbook
        from xlcoop.engines.formulas_engine import formula_cells as workbook_formula_cells

        self.path = folder / "master.xlsx"
        write_workbook(self.path, validate(master_document(), "master"))
        self.formulas = workbook_formula_cells(self.path)  # openpyxl's view: an independent
        self.text = formula_text(self.path)                 # reader agrees with ours
        assert set(self.text) == self.formulas, "the XML reader and openpyxl disagree"
        self.inputs = input_cells()
        self.book = FormulasWorkbook(self.path)
        self.evaluate = self.book.compile(self.inputs, sorted(self.formulas))

    def results(self, path: Path) -> dict[Cell, Any]:
        """Recompute the workbook at ``path``: it must hold the master's formulas exactly."""
        cells = read_cells(path)
        text = {cell: sc.formula for cell, sc in cells.items() if sc.formula is not None}
        assert text == self.text, f"{path.name}: formulas differ from the master"
        constants = {cell: sc.cached for cell, sc in cells.items() if sc.formula is None}
        values = self.evaluate(*(constants.get(cell) for cell in self.inputs))
        return {**constants, **values}


@dataclass
class Background:
    """Engines working beside the main process: one LibreOffice run, one Rust-engine worker."""

    lo: dict[Path, Path] = field(default_factory=dict)
    lo_error: str | None = None
    lo_done: threading.Event = field(default_factory=threading.Event)
    rust: dict[tuple[str, Path], Future] = field(default_factory=dict)

    def recalculated(self, path: Path) -> Path:
        self.lo_done.wait()
        if path not in self.lo:
            pytest.fail(f"LibreOffice did not recalculate {path.name}: {self.lo_error}",
                        pytrace=False)
        return self.lo[path]

    def rust_values(self, engine: str, path: Path) -> dict[Cell, Any] | str:
        return self.rust[(engine, path)].result()


# Modules register builders of extra workbooks here (at import, i.e. collection): they join the
# session's one LibreOffice run instead of starting soffice of their own (1-2 s a start).
_LO_BUILDERS: dict[str, Callable[[Path], dict[str, Path]]] = {}


def libreoffice_batch(name: str) -> Callable[[Callable[[Path], dict[str, Path]]],
                                             Callable[[Path], dict[str, Path]]]:
    """Decorator: ``builder(folder) -> {key: workbook}`` joins the session's LibreOffice run;
    the ``lo_batch`` fixture gives ``{name: {key: (workbook, recalculated copy)}}``."""
    def register(builder: Callable[[Path], dict[str, Path]]) -> Callable[[Path], dict[str, Path]]:
        _LO_BUILDERS[name] = builder
        return builder
    return register


@dataclass
class Case:
    name: str
    scenario: Scenario | None  # None: the empty template
    path: Path
    lang: str = "nl"
    master: CompiledMaster | None = None  # Dutch workbooks are recomputed on the master
    background: Background | None = None

    @cached_property
    def model(self) -> dict:
        assert self.scenario is not None
        return compute(self.scenario)

    @cached_property
    def cells(self) -> dict:
        """Every cell of the file as written: formula text and cached value."""
        return read_cells(self.path)

    @cached_property
    def formula_cells(self) -> list[Cell]:
        return [cell for cell, sc in self.cells.items() if sc.formula is not None]

    @cached_property
    def names(self) -> dict[str, Cell]:
        return defined_names(self.path)

    @cached_property
    def formulas_results(self) -> dict[Cell, Any]:
        assert self.master is not None, "request the `master` fixture"
        return self.master.results(self.path)

    @property
    def recalculated(self) -> Path:
        assert self.background is not None
        return self.background.recalculated(self.path)

    @cached_property
    def lo_values(self) -> dict[Cell, Any]:
        """Every non-empty cell of LibreOffice's recalculated copy."""
        return {cell: sc.cached for cell, sc in read_cells(self.recalculated).items()
                if sc.cached is not None}

    @cached_property
    def lo_named(self) -> dict[str, Any]:
        """Every single-cell name's value as LibreOffice computed it."""
        return {name: self.lo_values.get(cell) for name, cell in self.names.items()}

    def rust_values(self, engine: str) -> dict[Cell, Any] | str:
        """IronCalc's or formualizer's value of every formula cell, or why there is none."""
        assert self.background is not None
        return self.background.rust_values(engine, self.path)

    def rust_named(self, engine: str) -> dict[str, Any]:
        """Every single-cell name's value in IronCalc or formualizer (inputs as written)."""
        values = self.rust_values(engine)
        if isinstance(values, str):
            pytest.fail(values, pytrace=False)
        return {name: values[cell] if cell in values else
                (self.cells[cell].cached if cell in self.cells else None)
                for name, cell in self.names.items()}


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


def _start_libreoffice(background: Background, paths: list[Path], outdir: Path) -> None:
    if find_soffice() is None:
        background.lo_error = "LibreOffice (soffice) is not installed"
        background.lo_done.set()
        return

    def run() -> None:
        try:
            background.lo.update(recalculate(paths, outdir))
        except Exception as exc:  # reported by the tests that wait for it, by name
            background.lo_error = f"{type(exc).__name__}: {exc}"
        finally:
            background.lo_done.set()

    threading.Thread(target=run, daemon=True, name="libreoffice").start()


@pytest.fixture(scope="session")
def _background(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A spawned worker process for the Rust engines (spawn: the main process has threads)."""
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    yield pool
    pool.shutdown(wait=False, cancel_futures=True)


@dataclass
class Session:
    cases: dict[str, Case]
    extras: dict[str, dict[str, Path]]  # registered builder -> key -> workbook
    background: Background


@pytest.fixture(scope="session")
def session_books(tmp_path_factory: pytest.TempPathFactory,
                  _background: ProcessPoolExecutor) -> Session:
    """Examples (nl and en), the template and the random scenarios, written; LibreOffice
    (with every registered extra workbook), IronCalc and formualizer start at once."""
    src = tmp_path_factory.mktemp("generated")
    out: dict[str, Case] = {}
    for name in EXAMPLES:
        out[name] = Case(name, example_scenario(name), src / f"{name}.xlsx")
    out["stappenplan-a-en"] = Case("stappenplan-a-en", example_scenario("stappenplan-a"),
                                   src / "stappenplan-a-en.xlsx", "en")
    out["template"] = Case("template", None, src / "template.xlsx")
    out[STALE_DOSSIER] = Case(STALE_DOSSIER, stale_dossier_scenario(),
                              src / f"{STALE_DOSSIER}.xlsx")
    for i, sc in enumerate(random_scenarios(RANDOM_COUNT, mixed=True)):
        out[f"random-{i:02d}"] = Case(f"random-{i:02d}", sc, src / f"random-{i:02d}.xlsx")
    background = Background()
    for case in out.values():
        write_workbook(case.path, case.scenario, case.lang)
        case.background = background
    lo_paths = [c.path for c in out.values()]
    extras: dict[str, dict[str, Path]] = {}
    for name, builder in _LO_BUILDERS.items():
        extras[name] = builder(tmp_path_factory.mktemp(f"lo-extra-{name}"))
        lo_paths += extras[name].values()
    _start_libreoffice(background, lo_paths, tmp_path_factory.mktemp("lo"))
    for case in out.values():  # submitted in file order: tests read them in about that order
        for engine in RUST_ENGINES:
            background.rust[(engine, case.path)] = _background.submit(evaluate_in, engine,
                                                                      case.path)
    return Session(out, extras, background)


@pytest.fixture(scope="session")
def cases(session_books: Session) -> dict[str, Case]:
    return session_books.cases


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


@pytest.fixture(scope="session")
def lo_batch(session_books: Session) -> dict[str, dict[str, tuple[Path, Path]]]:
    """The registered extra workbooks with their LibreOffice copies (waits for the run):
    builder name -> key -> (workbook, recalculated copy)."""
    require_soffice()
    bg = session_books.background
    return {name: {key: (path, bg.recalculated(path)) for key, path in books.items()}
            for name, books in session_books.extras.items()}
