"""Time to generate the standard workbook in-process (goal: median <= 0.15 s)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from xlcoop import scenario as scenario_file
from xlcoop.workbook.writer import build_workbook, workbook_bytes

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 0.15


def median_seconds(fn: Callable[[], object], runs: int = 15) -> float:
    fn()  # warm-up: imports and caches, as in a long-running process
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run() -> list[str]:
    example = scenario_file.load(ROOT / "examples" / "stappenplan-a.toml")
    lines = []
    for label, sc in (("empty template", None), ("example A", example)):
        t = median_seconds(lambda sc=sc: workbook_bytes(build_workbook(sc)))
        lines.append(f"generate workbook ({label}): median {t * 1000:.1f} ms over 15 runs = "
                     f"{t / GOAL_SECONDS:.2f} × the 0.15 s goal")
    return lines
