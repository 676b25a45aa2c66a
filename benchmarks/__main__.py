"""Run every benchmark: ``python -m benchmarks [-o results.json] [--only generate,solve]``.

Every ``benchmarks/bench_*.py`` module is run in turn (its ``run()``); each figure is printed
as its median, its ratio to the named alternative measured in the same run, and its goal, and
all of them are written to one JSON file for tracking (default ``benchmarks/results.json``).
A module may return :class:`benchmarks.figures.Figure` objects, plain dicts with the same
fields, or strings (remarks, printed and kept in the JSON as they are).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import pkgutil
import platform
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import benchmarks
from benchmarks.figures import Figure

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results.json"


def modules(only: set[str] | None) -> list[str]:
    names = sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__)
                   if m.name.startswith("bench_"))
    if only:
        names = [n for n in names if n.removeprefix("bench_") in only or n in only]
    return names


def collect(name: str) -> tuple[list[Figure], list[str], str | None]:
    """A module's figures and remarks, or the reason it failed (one line, never a crash)."""
    figures: list[Figure] = []
    remarks: list[str] = []
    try:
        module = importlib.import_module(f"benchmarks.{name}")
        for item in module.run():
            if isinstance(item, Figure):
                figures.append(item)
            elif isinstance(item, dict):
                figures.append(Figure(**item))
            else:
                remarks.append(str(item))
    except Exception as exc:  # one broken module must not hide the others' figures
        last = traceback.extract_tb(exc.__traceback__)[-1]
        return figures, remarks, (f"{type(exc).__name__}: {exc} "
                                  f"({Path(last.filename).name}:{last.lineno})")
    return figures, remarks, None


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split(
        "\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"JSON file to write (default {DEFAULT_OUTPUT})")
    parser.add_argument("--only", default="",
                        help="comma-separated modules, e.g. generate,solve")
    args = parser.parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()} or None
    started = time.perf_counter()
    report: dict[str, Any] = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                              "machine": machine(), "modules": {}, "figures": []}
    failed = False
    for name in modules(only):
        print(f"== {name}", flush=True)
        figures, remarks, error = collect(name)
        for fig in figures:
            print(fig.line(), flush=True)
        for remark in remarks:
            print(remark, flush=True)
        if error:
            failed = True
            print(f"{name} failed: {error}", flush=True)
        report["figures"] += [{"module": name, **fig.as_dict()} for fig in figures]
        report["modules"][name] = {"remarks": remarks, "error": error}
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["machine"]["load_average_end"] = machine()["load_average"]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                           encoding="utf-8")
    met = [f for f in report["figures"] if f["met"] is not None]
    print(f"== {sum(f['met'] for f in met)} of {len(met)} goals met; written to {args.output}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
