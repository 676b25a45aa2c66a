"""One benchmark figure: a median, its ratio to a named alternative measured in the same run,
and the goal. The machine is shared, so an absolute time says little on its own; the ratio to
an alternative timed moments apart on the same cores is the figure to track.

A bench module's ``run()`` returns a list of :class:`Figure` (or of plain dicts with the same
fields, or of strings for remarks); ``python -m benchmarks`` prints them and writes them all to
one JSON file.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Figure", "median_seconds", "timed"]


def timed(fn: Callable[[], object], runs: int, warm_up: bool = True) -> list[float]:
    """Wall seconds of ``runs`` calls (after one warm-up call: imports, caches)."""
    if warm_up:
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def median_seconds(fn: Callable[[], object], runs: int = 15) -> float:
    return statistics.median(timed(fn, runs))


@dataclass
class Figure:
    """``median`` (in ``unit``) of ``runs`` runs; ``goal`` applies to the median (``goal_on`` =
    "median") or to the ratio median / alternative (``goal_on`` = "ratio"); ``higher_is_better``
    flips the goal's direction (a speed-up, a count)."""

    key: str  # stable identifier for tracking, e.g. "generate.example_a"
    label: str
    median: float
    runs: int
    unit: str = "s"
    alternative: str | None = None  # what the ratio is taken against, in words
    alternative_median: float | None = None  # in the same unit, measured in the same run
    goal: float | None = None
    goal_on: str = "median"  # "median" | "ratio"
    higher_is_better: bool = False
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.alternative_median in (None, 0):
            return None
        return self.median / self.alternative_median  # type: ignore[operator]

    @property
    def met(self) -> bool | None:
        if self.goal is None:
            return None
        value = self.median if self.goal_on == "median" else self.ratio
        if value is None:
            return None
        return value >= self.goal if self.higher_is_better else value <= self.goal

    def _fmt(self, value: float) -> str:
        if self.unit == "s":
            if value < 0.01:
                return f"{value * 1000:.3g} ms"
            return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
        return f"{value:,.4g} {self.unit}"

    def line(self) -> str:
        parts = [f"{self.label}: median {self._fmt(self.median)} ({self.runs} runs)"]
        if self.ratio is not None:
            parts.append(f"{self.ratio:,.3g} x {self.alternative} "
                         f"({self._fmt(self.alternative_median)})")  # type: ignore[arg-type]
        if self.goal is not None:
            sign = ">=" if self.higher_is_better else "<="
            target = (self._fmt(self.goal) if self.goal_on == "median"
                      else f"{self.goal:g} x")
            parts.append(f"goal {sign} {target}: {'met' if self.met else 'NOT met'}")
        line = "; ".join(parts)
        return f"{line} ({self.note})" if self.note else line

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio, "met": self.met}
