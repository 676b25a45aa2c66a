"""Evaluate one workbook in a named engine, in a worker process: never raises.

The test suite and the benchmark run the sub-second engines (IronCalc, formualizer) over many
workbooks in a process pool beside the main process; a result is the engine's value of every
formula cell, or one line naming the engine and what went wrong (never a traceback). IronCalc
reuses a loaded model for workbooks with the same formulas (ironcalc_engine.Reloaded): a worker
evaluates many workbooks of one template.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from xlcoop.engines.cells import Cell, EngineError, read_cells

__all__ = ["RUST_ENGINES", "evaluate"]

RUST_ENGINES = ("IronCalc", "formualizer")


def evaluate(engine: str, path: str | os.PathLike[str]) -> dict[Cell, Any] | str:
    """Every formula cell's value in ``engine``, or a message naming the engine."""
    try:
        if engine == "IronCalc":
            return _ironcalc().recalculate(path)
        if engine == "formualizer":
            from xlcoop.engines.formualizer_engine import recalculate
        else:
            return f"{engine}: no such engine (known: {', '.join(RUST_ENGINES)})"
        cells = [cell for cell, sc in read_cells(path).items() if sc.formula is not None]
        return recalculate(path, cells)
    except EngineError as exc:
        return str(exc)
    except Exception as exc:  # a worker must answer, whatever the engine did
        return f"{engine} failed on {os.fspath(path)}: {type(exc).__name__}: {exc}"


@cache
def _ironcalc() -> Any:
    """This process's IronCalc models, one per set of formulas."""
    from xlcoop.engines.ironcalc_engine import Reloaded

    return Reloaded()
