"""The proof's engines on one workbook (example A): load and recalculate every formula cell.

IronCalc and formualizer carry the tests' broad random sweeps because they are fast; this
keeps that true (goal: well under a second a workbook, set at 0.5 s) against LibreOffice
headless recalculating the same file in one soffice run, the engine they replaced there. And
IronCalc as the tests' worker runs it: a model loaded from one workbook, given example A's
constants and evaluated again (ironcalc_engine.Reloaded), against loading the file.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from benchmarks.figures import Figure, timed
from xlcoop import scenario as scenario_file
from xlcoop.engines import formualizer_engine, ironcalc_engine
from xlcoop.engines.cells import read_cells
from xlcoop.workbook.writer import write_workbook

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 0.5
RUNS = 7


def run() -> list[Figure | str]:
    from xlcoop.engines.libreoffice import find_soffice, recalculate

    example = scenario_file.load(ROOT / "examples" / "stappenplan-a.toml")
    out: list[Figure | str] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = write_workbook(Path(tmp) / "stappenplan-a.xlsx", example)
        cells = [c for c, sc in read_cells(path).items() if sc.formula is not None]
        lo = None
        if find_soffice() is not None:
            lo = statistics.median(timed(
                lambda: recalculate([path], Path(tmp) / "lo"), 3, warm_up=False))
        else:
            out.append("LibreOffice not installed: the engine figures have no ratio")
        fresh: dict[str, float] = {}
        for key, module in (("IronCalc", ironcalc_engine), ("formualizer", formualizer_engine)):
            t = fresh[key] = statistics.median(timed(lambda m=module: m.recalculate(path, cells),
                                                     RUNS))
            out.append(Figure(
                f"engines.{key.lower()}", f"{key}: load and recalculate example A", t, RUNS,
                alternative="LibreOffice headless (one soffice run)", alternative_median=lo,
                goal=GOAL_SECONDS, note=f"{len(cells):,} formula cells"))
        out.append(_reloaded(Path(tmp), path, cells, fresh["IronCalc"]))
    return out


def _reloaded(tmp: Path, path: Path, cells: list, fresh: float) -> Figure:
    """Example A on a model loaded from example B (same template, other constants), as the
    tests' worker evaluates every further workbook; each run switches the model back and forth."""
    other = write_workbook(tmp / "stappenplan-b.xlsx",
                           scenario_file.load(ROOT / "examples" / "stappenplan-b.toml"))
    reloaded = ironcalc_engine.Reloaded()
    reloaded.recalculate(other)
    books = iter([path, other] * (RUNS + 1))
    t = statistics.median(timed(lambda: reloaded.recalculate(next(books), cells), 2 * RUNS))
    return Figure("engines.ironcalc_reloaded",
                  "IronCalc: recalculate a workbook on a model of the same formulas", t,
                  2 * RUNS, alternative="IronCalc loading the file", alternative_median=fresh,
                  goal=GOAL_SECONDS, note=f"{reloaded.loads} load for {2 * RUNS + 2} workbooks")
