"""Bulk intake: audit many workbooks in parallel and tabulate their key figures.

Every file becomes one row, whatever happens to it: a broken or hostile file is a row with its
status and message, never the end of the run. Workers are forked after the template reference
is built, so each inherits it instead of rebuilding it.
"""

from __future__ import annotations

import csv
import gc
import multiprocessing as mp
import os
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from xlcoop.audit.findings import CRITICAL, ERROR, INFO, WARNING
from xlcoop.audit.progress import Progress

SUFFIXES = (".xlsx", ".xlsm")
BASE_COLUMNS = ("bestand", "status", "integriteit", "melding", "template_versie",
                "vingerafdruk_ok", "taal", "invoer", "onveilig", "fouten", "waarschuwingen",
                "notities", "sha256")
MODEL_SUFFIX, DIFF_SUFFIX = "_model", "_verschil"  # per key figure: workbook | model | difference


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders contribute their .xlsx/.xlsm files (recursively, sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.suffix.lower() in SUFFIXES
                          and f.is_file())
        else:
            out.append(p)
    return out


def columns() -> list[str]:
    """Base columns, the identifying inputs, then per named output of the registry three
    columns: what the workbook computes (its own formulas, else its cached value), what the
    reference model computes on its inputs and norms, and the difference."""
    from xlcoop.inputs import INPUTS, SECTIONS
    from xlcoop.layout import OUTPUT, all_items, layout

    first = next(iter(SECTIONS))
    project = [s.name for s in INPUTS if s.section == first]
    per_row = layout().ranges  # per-dwelling outputs are lists: one column per figure only
    outputs = [i.name for i in all_items() if i.kind == OUTPUT and i.name not in per_row]
    figures = [o for o in outputs if o not in project]
    return [*BASE_COLUMNS, *project,
            *(c for o in figures for c in (o, o + MODEL_SUFFIX, o + DIFF_SUFFIX))]


def figure_columns(model: dict[str, Any], computed: dict[str, Any],
                   cached: dict[str, Any]) -> dict[str, Any]:
    """workbook | model | difference for every key figure the model computed."""
    out: dict[str, Any] = {}
    for name, value in model.items():
        own = computed.get(name, cached.get(name))
        out[name] = own
        out[name + MODEL_SUFFIX] = value
        if isinstance(own, (int, float)) and isinstance(value, (int, float)) \
                and not isinstance(own, bool) and not isinstance(value, bool):
            out[name + DIFF_SUFFIX] = own - value
        elif own is not None and value is not None:
            out[name + DIFF_SUFFIX] = None if own == value else "verschilt"
    return out


def row_for(path: Path) -> dict[str, Any]:
    """Audit one file into one table row (never raises)."""
    from xlcoop.audit.messages import render
    from xlcoop.audit.run import audit

    try:
        report = audit(path)
        first = next((f for f in report.findings if f.severity != INFO), None)
        row: dict[str, Any] = {
            "bestand": str(path), "status": report.status, "integriteit": report.integrity,
            "melding": render(first, "nl")[:300] if first else "",
            "template_versie": report.template_version,
            "vingerafdruk_ok": (report.fingerprint_actual == report.fingerprint_expected)
            if report.fingerprint_actual else None,
            "taal": report.lang, "invoer": report.inputs_state,
            "onveilig": report.count(CRITICAL), "fouten": report.count(ERROR),
            "waarschuwingen": report.count(WARNING), "notities": report.count(INFO),
            "sha256": report.sha256,
        }
        row.update(report.project)
        figures = {k: v for k, v in report.figures.items() if not isinstance(v, list)}
        row.update(figure_columns(figures, report.computed, report.cached))
        return row
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        return {"bestand": str(path), "status": "error",
                "melding": f"{type(exc).__name__}: {exc}"[:300]}


def _init_worker() -> None:
    os.environ.setdefault("TQDM_DISABLE", "1")


def rows(paths: list[Path], jobs: int, progress: Progress) -> Iterator[dict[str, Any]]:
    """Rows in input order, computed over ``jobs`` processes (1: in this process)."""
    from xlcoop.audit.run import warm_up

    # No `formulas` compile up front: the model gives every template cell of a standard
    # workbook, so only a changed workbook evaluates formulas, and compiles what it needs.
    warm_up()
    if jobs <= 1 or len(paths) < 2:
        for path in paths:
            yield row_for(path)
            progress.update()
        return
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")
    gc.collect()
    gc.freeze()  # the warmed-up caches stay shared with the forked workers (copy-on-write)
    chunk = max(1, min(16, len(paths) // (jobs * 8)))
    with ctx.Pool(jobs, initializer=_init_worker) as pool:
        for row in pool.imap(row_for, paths, chunksize=chunk):
            yield row
            progress.update()


def _safe_text(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is neutralised (CSV/formula injection):
    project names come from untrusted workbooks."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(out: TextIO, header: list[str], table: list[dict[str, Any]]) -> None:
    writer = csv.writer(out)
    writer.writerow(header)
    for row in table:
        writer.writerow([_csv_value(row.get(col)) for col in header])


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return repr(value)
    return _safe_text(value)


def write_xlsx(path: Path, header: list[str], table: list[dict[str, Any]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Portefeuille")
    ws.freeze_panes = "C2"
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        cells.append(cell)
    ws.append(cells)
    for row in table:
        out = []
        for col in header:
            value = row.get(col)
            cell = WriteOnlyCell(ws, value=value if not isinstance(value, str) else None)
            if isinstance(value, str):
                cell.value = value
                cell.data_type = "s"  # never a formula, whatever the text starts with
            out.append(cell)
        ws.append(out)
    ws.auto_filter.ref = f"A1:{_col(len(header))}{len(table) + 1}"
    wb.save(path)


def _col(n: int) -> str:
    from xlcoop.audit.formula import col_letters

    return col_letters(n)


def extract(paths: list[Path], output: Path, jobs: int | None = None,
            stream: TextIO | None = None, show: bool | None = None) -> dict[str, int]:
    """Audit ``paths`` and write the table to ``output`` (.xlsx or .csv); counts by status."""
    stream = stream or sys.stderr
    jobs = jobs or os.cpu_count() or 1
    progress = Progress(len(paths), stream, enabled=show)
    start = time.perf_counter()
    table = list(rows(paths, jobs, progress))
    progress.close()
    header = columns()
    extra = sorted({k for r in table for k in r} - set(header))
    header += extra
    from xlcoop.commands.conventions import atomic_output

    with atomic_output(output) as tmp:
        if output.suffix.lower() == ".csv":
            with tmp.open("w", encoding="utf-8", newline="") as fh:
                write_csv(fh, header, table)
        else:
            write_xlsx(tmp, header, table)
    counts: dict[str, int] = {}
    for r in table:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    counts["seconds"] = round(time.perf_counter() - start)
    return counts
