"""One solve in-process against a goal seek over a `formulas` recalculation of the same workbook.

The solver (``xlcoop.solve``) runs on the pure-Python model; the goal seek bisects the purchase
price to €1 over the workbook itself, recomputed by `formulas` with the same constraints (loan
within the cash-flow and LTV limits, cash never negative). Both run here, in one process, and
the report gives the ratio (goal: a solve ≤ 2 ms, at least 1,000 × faster).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.figures import Figure
from xlcoop import scenario as scenario_file
from xlcoop import solve as S

ROOT = Path(__file__).resolve().parent.parent
GOAL_MS, GOAL_RATIO = 2.0, 1000.0


def median_ms(fn, runs: int = 25) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def goal_seek_formulas(path: Path, hi: float) -> tuple[float, int, float, float, float]:
    """Bisection to €1 on the price over the workbook recomputed by `formulas`."""
    os.environ.setdefault("TQDM_DISABLE", "1")
    from xlcoop.engines.formulas_engine import FormulasWorkbook
    from xlcoop.layout import SHEET_BY_KEY, layout

    lay = layout()

    def cell(name: str) -> tuple[str, str]:
        sheet, address = lay.address(name)
        return SHEET_BY_KEY[sheet].title_nl, address

    start = time.perf_counter()
    book = FormulasWorkbook(path)
    loaded = time.perf_counter() - start
    names = [n for n in ("lening", "max_lening_cashflow", "max_lening_ltv", "kas_min")
             if n in lay.cells]
    start = time.perf_counter()
    fn = book.compile([cell("verkoopprijs_afgesproken")], [cell(n) for n in names])
    compiled = time.perf_counter() - start

    def feasible(price: float) -> bool:
        r = dict(zip(names, fn(price).values(), strict=True))
        return (r["lening"] <= r["max_lening_cashflow"] and r["lening"] <= r["max_lening_ltv"]
                and r.get("kas_min", 0.0) >= 0)

    lo, calls = 0.0, 0
    start = time.perf_counter()
    while hi - lo > 1.0:
        mid = (lo + hi) / 2
        calls += 1
        lo, hi = (mid, hi) if feasible(mid) else (lo, mid)
    return lo, calls, time.perf_counter() - start, loaded, compiled


def run() -> list[Figure]:
    from xlcoop.workbook.writer import write_workbook

    example = scenario_file.load(ROOT / "examples" / "stappenplan-a.toml")
    solution = S.max_price(example)
    solve_ms = median_ms(lambda: S.max_price(example))
    with tempfile.TemporaryDirectory() as tmp:
        path = write_workbook(Path(tmp) / "stappenplan-a.xlsx", example)
        hi = float(solution.results["marktwaarde_leeg"])
        found, calls, seconds, loaded, compiled = goal_seek_formulas(path, hi)
    seek = f"a goal seek over `formulas` ({calls} recalculations to €1)"
    note = (f"answer {solution.value:,.2f} in {solution.evaluations} model evaluations; goal seek "
            f"{found:,.2f}, not counting load {loaded:.1f} s and compile {compiled:.1f} s")
    figures = [
        Figure("solve.max_price", "solve max-price (example A), in-process", solve_ms / 1000, 25,
               alternative=seek, alternative_median=seconds, goal=GOAL_MS / 1000, note=note),
        Figure("solve.max_price.speedup", "solve max-price against the goal seek", solve_ms / 1000,
               25, alternative=seek, alternative_median=seconds, goal=1 / GOAL_RATIO,
               goal_on="ratio", note=f"goal: at least {GOAL_RATIO:,.0f} x faster"),
    ]
    for target, price in (("min-rent", 1_500_000.0), ("gap", 1_500_000.0), ("max-rate", None),
                          ("max-huurderving", None)):
        ms = median_ms(lambda t=target, p=price: S.solve(example, t, p), runs=9)
        figures.append(Figure(  # the same bar as max-price's: 1,000 x a goal seek
            f"solve.{target}", f"solve {target} (example A), in-process", ms / 1000, 9,
            alternative="the max-price goal seek over `formulas`", alternative_median=seconds,
            goal=1 / GOAL_RATIO, goal_on="ratio"))
    return figures


if __name__ == "__main__":
    for fig in run():
        print(fig.line())
