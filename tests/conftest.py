"""Shared fixtures: the generated workbooks, recalculated once by every engine.

`formulas` needs ~20 s to load a workbook of this size but ~3 s to evaluate a compiled one, so
one "master" workbook (every input cell filled, so that each input cell is a node) is loaded
whole and compiled, and the Dutch workbooks it checks are recomputed on it after proving that
each holds exactly the master's formulas. A formula cell that `formulas` drops cannot be
compiled, so it fails there.

All of it runs beside the tests, on the other core, from the start of the session: `formulas`
compiles the master in a worker process of its own (formulas_worker.py) and recomputes the
hand-made workbooks as soon as each is written; LibreOffice recalculates every workbook of the
session in two soffice runs side by side (the extra workbooks other modules register with
:func:`libreoffice_batch`, and the cases here); and another worker evaluates every workbook in
IronCalc and in formualizer (~0.3 s and ~0.1 s a workbook).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("TQDM_DISABLE", "1")

import formulas_worker
from formulas_worker import input_cells  # noqa: F401  (re-exported for the tests)
from random_scenarios import random_scenarios

from xlcoop import scenario as scenario_file
from xlcoop.artifacts import EXAMPLES
from xlcoop.engines.batch import RUST_ENGINES
from xlcoop.engines.batch import evaluate as evaluate_in
from xlcoop.engines.cells import defined_names, read_cells
from xlcoop.engines.libreoffice import find_soffice, recalculate
from xlcoop.model import compute
from xlcoop.scenario import Scenario, validate
from xlcoop.workbook.writer import write_workbook

ROOT = Path(__file__).resolve().parent.parent
LO_TIMEOUT = float(os.environ.get("XLCOOP_LO_TIMEOUT", "300"))  # seconds for the whole batch
RANDOM_COUNT = 70  # mixed: at least 50 of them new build (a test asserts it)
# The workbooks `formulas` recomputes: the hand-made ones. At ~3 s an evaluation it cannot carry
# the random scenarios in a 5-minute suite; LibreOffice, IronCalc and formualizer carry those.
FORMULAS_CASES = ("stappenplan-a", "stappenplan-b", "stappenplan-c", "nieuwbouw-amsterdam",
                  "stappenplan-a-en", "template", "nieuwbouw-oude-taxatie", "huurrecht-2026",
                  "huurrecht-fouten")
Cell = tuple[str, str]


def require_soffice() -> str:
    """LibreOffice is the real spreadsheet in these tests: on CI its absence is a failure."""
    soffice = find_soffice()
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not installed; .ci/run must install it")
        pytest.skip("LibreOffice (soffice) not installed")
    return soffice


class CompiledMaster:
    """The master compiled in the `formulas` worker process (formulas_worker.py); recomputes
    a workbook there (each at most once) and hands back every cell's value."""

    def __init__(self, pool: ProcessPoolExecutor) -> None:
        self.pool = pool
        self.futures: dict[Path, Future] = {}

    def prefetch(self, path: Path) -> None:
        if path not in self.futures:
            self.futures[path] = self.pool.submit(formulas_worker.results, str(path))

    def results(self, path: Path) -> dict[Cell, Any]:
        """Recompute the workbook at ``path``: it must hold the master's formulas exactly."""
        self.prefetch(path)
        return self.futures[path].result()


class Background:
    """Engines working beside the main process: LibreOffice (one soffice run per queued batch,
    the batches side by side: the registered extra workbooks and the cases each keep a core of
    LibreOffice busy while the main process tests) and one worker process for the Rust
    engines."""

    def __init__(self) -> None:
        self.lo: dict[Path, Path] = {}
        self.lo_error: dict[Path, str] = {}
        self.lo_done: dict[Path, threading.Event] = {}
        self.rust: dict[tuple[str, Path], Future] = {}
        self._threads: list[threading.Thread] = []

    def recalculate(self, paths: list[Path], outdir: Path) -> None:
        """Start one soffice run over ``paths`` (beside the runs started before)."""
        done = threading.Event()
        for path in paths:
            self.lo_done[path] = done
        if find_soffice() is None:
            for path in paths:
                self.lo_error[path] = "LibreOffice (soffice) is not installed"
            done.set()
            return
        thread = threading.Thread(target=self._run, args=(paths, outdir, done), daemon=True,
                                  name=f"libreoffice-{len(self._threads)}")
        self._threads.append(thread)
        thread.start()

    def _run(self, paths: list[Path], outdir: Path, done: threading.Event) -> None:
        _lower_priority()  # soffice inherits it
        try:
            self.lo.update(recalculate(paths, outdir, timeout=LO_TIMEOUT))
        except Exception as exc:  # reported by the tests that wait for it, by name
            for path in paths:
                self.lo_error[path] = f"{type(exc).__name__}: {exc}"
        finally:
            done.set()

    def recalculated(self, path: Path) -> Path:
        if path not in self.lo_done:
            pytest.fail(f"{path.name} was never queued for LibreOffice", pytrace=False)
        self.lo_done[path].wait()
        if path not in self.lo:
            pytest.fail(f"LibreOffice did not recalculate {path.name}: "
                        f"{self.lo_error.get(path)}", pytrace=False)
        return self.lo[path]

    def rust_values(self, engine: str, path: Path) -> dict[Cell, Any] | str:
        return self.rust[(engine, path)].result()


# Modules register builders of extra workbooks here (at import, i.e. collection): they join the
# session's LibreOffice runs instead of starting soffice of their own (1-2 s a start); with
# ``formulas=True`` `formulas` recomputes them in its worker too, before they are asked for.
_LO_BUILDERS: dict[str, tuple[Callable[[Path], dict[str, Path]], bool]] = {}


def libreoffice_batch(name: str, formulas: bool = False
                      ) -> Callable[[Callable[[Path], dict[str, Path]]],
                                    Callable[[Path], dict[str, Path]]]:
    """Decorator: ``builder(folder) -> {key: workbook}`` joins the session's LibreOffice run;
    the ``lo_batch`` fixture gives ``{name: {key: (workbook, recalculated copy)}}``. File names
    must be unique across builders (LibreOffice writes every copy into one folder)."""
    def register(builder: Callable[[Path], dict[str, Path]]) -> Callable[[Path], dict[str, Path]]:
        _LO_BUILDERS[name] = (builder, formulas)
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


BACKGROUND_NICE = 10  # background engines yield the CPU to the tests (some time themselves)
# `formulas` has the longest chain of work (compile the master, then each case) and was the last
# engine to finish: it yields to the tests but goes before LibreOffice and the Rust engines.
FORMULAS_NICE = 5
# IronCalc and formualizer (one worker process) came next: they go before LibreOffice, whose two
# runs can use both cores at the end of the session.
RUST_NICE = 7


def _lower_priority(nice: int = BACKGROUND_NICE) -> None:
    """Make the calling thread (and what it starts) nice: on Linux niceness is per thread and
    a child process inherits its parent thread's."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux: normal priority
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)


def _few_collections() -> None:
    """The cycle collector seldom (every process here allocates millions of short-lived
    objects, almost none in cycles): its passes took a fifth to a third of the engines' and the
    tests' time. Nothing is compared differently; memory stays well within the machine's."""
    gc.set_threshold(100_000, 50, 1_000)


def _background_worker(nice: int = BACKGROUND_NICE) -> None:
    _lower_priority(nice)
    _few_collections()


def _start_formulas(folder: str) -> None:
    _lower_priority(FORMULAS_NICE)
    formulas_worker.start(folder)  # compiles with the collector off, then freezes the master
    _few_collections()


_few_collections()  # the main process too


def _spawned(workers: int = 1, initializer: Callable[..., None] = _background_worker,
             initargs: tuple = ()) -> ProcessPoolExecutor:
    """Worker processes started by spawn (the main process runs threads: no fork), nice."""
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=initializer, initargs=initargs)


@dataclass
class Session:
    cases: dict[str, Case]
    extras: dict[str, dict[str, Path]]  # registered builder -> key -> workbook
    background: Background
    master: CompiledMaster | None  # started by the first test that needs it, or at once
    formulas_extras: list[Path]  # extra workbooks `formulas` recomputes ahead of time
    pools: list[ProcessPoolExecutor]

    def start_master(self, folder: Path) -> CompiledMaster:
        """The `formulas` worker: compiles the master, then recomputes the hand-made workbooks
        (in the order they are submitted) before any test asks."""
        if self.master is None:
            pool = _spawned(initializer=_start_formulas, initargs=(str(folder),))
            self.pools.append(pool)
            self.master = CompiledMaster(pool)
            pool.submit(int)  # start the worker now: it compiles while the workbooks are written
            for path in self.formulas_extras:
                self.master.prefetch(path)
            for case in self.cases.values():
                if case.lang == "nl":
                    case.master = self.master
                    if case.name in FORMULAS_CASES and case.path.exists():
                        self.master.prefetch(case.path)
        return self.master


@pytest.fixture(scope="session")
def session_books(request: pytest.FixtureRequest,
                  tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Examples (nl and en), the template and the random scenarios, written; `formulas`
    compiles its master in a worker from the start (when a collected test uses `master`),
    LibreOffice recalculates every workbook (the registered extras first) and another worker
    runs IronCalc and formualizer."""
    rust = _spawned(1, _background_worker, (RUST_NICE,))
    background = Background()
    session = Session({}, {}, background, None, [], [rust])
    wants_formulas = any("master" in getattr(item, "fixturenames", ())
                         for item in request.session.items)
    if wants_formulas:
        session.start_master(tmp_path_factory.mktemp("master"))

    extra_paths: list[Path] = []
    for name, (builder, with_formulas) in _LO_BUILDERS.items():
        books = session.extras[name] = builder(tmp_path_factory.mktemp(f"lo-extra-{name}"))
        extra_paths += books.values()
        if with_formulas:
            session.formulas_extras += books.values()
            for path in books.values():
                if session.master is not None:
                    session.master.prefetch(path)
    if extra_paths:
        background.recalculate(extra_paths, tmp_path_factory.mktemp("lo-extras"))

    src = tmp_path_factory.mktemp("generated")
    out = session.cases
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
    master = session.master
    for case in out.values():
        write_workbook(case.path, case.scenario, case.lang)
        case.background, case.master = background, master if case.lang == "nl" else None
        for engine in RUST_ENGINES:  # each engine starts on a workbook as soon as it exists
            background.rust[(engine, case.path)] = rust.submit(evaluate_in, engine, case.path)
        if master is not None and case.name in FORMULAS_CASES and case.lang == "nl":
            master.prefetch(case.path)
    background.recalculate([c.path for c in out.values()], tmp_path_factory.mktemp("lo"))
    yield session
    for pool in session.pools:
        pool.shutdown(wait=False, cancel_futures=True)


@pytest.fixture(scope="session")
def cases(session_books: Session) -> dict[str, Case]:
    return session_books.cases


@pytest.fixture(scope="session")
def master(session_books: Session, tmp_path_factory: pytest.TempPathFactory
           ) -> CompiledMaster:
    return session_books.start_master(tmp_path_factory.mktemp("master-late"))


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


# Tests that wait for the background engines (LibreOffice, `formulas`) run last, whole modules
# at a time (module fixtures are set up once): the tests that need only the main process run
# first, while the engines work on the other core. Of those that wait, the modules go in the
# order their engines finish: the extra workbooks' LibreOffice run (registered first, and
# smaller), then the cases' run, then `formulas` (the longest chain of work), so that the main
# process tests while an engine still has a core instead of waiting for the last one.
_WAITS_FOR_FORMULAS = {"master"}
_WAITS_FOR_CASES = {"lo_cases", "lo_books", "committed_recalculated"}
_WAITS_FOR_ENGINES = _WAITS_FOR_FORMULAS | _WAITS_FOR_CASES | {"lo_batch"}


def _stage(item: pytest.Item) -> int:
    """0: main process only; 1: the extra workbooks' LibreOffice run; 2: the cases' run;
    3: `formulas` (also a test marked as asking for it at run time)."""
    names = set(getattr(item, "fixturenames", ()))
    if names & _WAITS_FOR_FORMULAS or item.get_closest_marker("waits_for_formulas"):
        return 3
    if names & _WAITS_FOR_CASES:
        return 2
    return 1 if "lo_batch" in names or item.get_closest_marker("libreoffice") else 0


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    stage: dict[str, int] = {}
    for item in items:
        module = item.nodeid.split("::")[0]
        stage[module] = max(stage.get(module, 0), _stage(item))
    order = {id(item): i for i, item in enumerate(items)}
    items.sort(key=lambda item: (stage[item.nodeid.split("::")[0]], order[id(item)]))


@pytest.fixture(scope="session", autouse=True)
def _engines_start_at_once(request: pytest.FixtureRequest) -> None:
    """Start the background engines with the first test, not with the first test that needs
    them (those run last, see above)."""
    wanted = _WAITS_FOR_ENGINES | {"cases", "session_books"}
    if any(wanted & set(getattr(item, "fixturenames", ())) for item in request.session.items):
        request.getfixturevalue("session_books")
