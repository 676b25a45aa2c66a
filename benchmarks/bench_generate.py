"""Generating the standard workbook in-process (goal: median <= 0.1 s for example A, cached
values included), against openpyxl writing the same cells plainly (values and formula text,
no styles, names, validations or charts): the floor a generic writer sets for this content."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from benchmarks.figures import Figure, median_seconds
from xlcoop import scenario as scenario_file
from xlcoop.engines.cells import read_cells
from xlcoop.workbook.writer import build_workbook, workbook_bytes, write_workbook

__all__ = ["GOAL_SECONDS", "median_seconds", "run"]

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 0.1
RUNS = 15


def plain_openpyxl(cells: dict[tuple[str, str], object], sheets: list[str]) -> bytes:
    """The same cells written by openpyxl with nothing else."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    by_sheet = {title: wb.create_sheet(title) for title in sheets}
    for (sheet, ref), value in cells.items():
        by_sheet[sheet][ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run() -> list[Figure]:
    example = scenario_file.load(ROOT / "examples" / "stappenplan-a.toml")
    figures = []
    for key, label, sc in (("generate.example_a", "generate workbook (example A)", example),
                           ("generate.template", "generate workbook (empty template)", None)):
        with tempfile.TemporaryDirectory() as tmp:
            path = write_workbook(Path(tmp) / "book.xlsx", sc)
            read = read_cells(path)
        cells = {cell: sc_.formula if sc_.formula is not None else sc_.cached
                 for cell, sc_ in read.items()}
        sheets = list(dict.fromkeys(sheet for sheet, _ in cells))
        ours = median_seconds(lambda sc=sc: workbook_bytes(build_workbook(sc)), RUNS)
        plain = median_seconds(lambda c=cells, s=sheets: plain_openpyxl(c, s), RUNS)
        figures.append(Figure(
            key, label, ours, RUNS, alternative="openpyxl writing the same cells plainly",
            alternative_median=plain, goal=GOAL_SECONDS,
            note=f"{len(cells):,} cells, {sum(1 for v in read.values() if v.formula):,} "
                 "formulas"))
    return figures
