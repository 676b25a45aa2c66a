"""`formulas` in a worker process of its own: the master compiled once, workbooks recomputed on
request. It loads and compiles for ~30 s and recomputes for ~3 s a workbook, all pure Python:
in its own process that work runs on the other core beside the tests instead of before them.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

os.environ.setdefault("TQDM_DISABLE", "1")

from random_scenarios import master_document

from xlcoop.engines.cells import read_cells
from xlcoop.inputs import DWELLING_COLUMNS, INPUTS
from xlcoop.layout import SHEETS, get_column_letter, layout
from xlcoop.norms import NORMS
from xlcoop.scenario import validate
from xlcoop.workbook.writer import write_workbook

Cell = tuple[str, str]


def input_cells(lang: str = "nl") -> list[Cell]:
    """Every input cell of the workbook, as (sheet title, address)."""
    titles = {s.key: s.title(lang) for s in SHEETS}
    names = [s.name for s in INPUTS] + [c.name for c in DWELLING_COLUMNS] + \
        [n.name + "_eigen" for n in NORMS]
    return [(titles[sheet], f"{get_column_letter(col)}{row}")
            for name in names for sheet, row, col in layout().cells_of(name)]


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


_MASTER: CompiledMaster | None = None
_FAILED: str | None = None


def start(folder: str) -> None:
    """The worker's initializer: compile the master (a failure is kept and reported).

    Without the cycle collector while compiling, and with the compiled master frozen out of its
    passes afterwards: `formulas` builds graphs of millions of objects, and collecting over
    them took a third of this worker's time (compile 30 s -> 20 s, a workbook 5.9 s -> 3.7 s).
    """
    global _MASTER, _FAILED
    gc.disable()
    try:
        _MASTER = CompiledMaster(Path(folder))
    except Exception as exc:  # reported by every results() call, by name
        _FAILED = f"{type(exc).__name__}: {exc}"
    finally:
        gc.collect()
        gc.freeze()
        gc.enable()


def results(path: str) -> dict[Cell, Any]:
    if _MASTER is None:
        raise RuntimeError(f"formulas could not compile the master workbook: {_FAILED}")
    return _MASTER.results(Path(path))
