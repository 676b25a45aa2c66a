"""Audit, extract and the one-shot commands, measured in one run (goals from issues 6 and 13).

- `xlcoop calc`, `check`, `solve` and `audit` of the standard workbook as fresh processes (goal:
  <= 0.3 s, audit <= 0.5 s), beside a bare `python -c pass` and a fresh process that only loads
  the same file with openpyxl (what `calc` did before the one reader), measured in the same run.

- `xlcoop audit` of one standard workbook, warm (in-process, caches built), against a LibreOffice
  headless recalculation of the same file (goals: <= 30 ms and <= 0.02 x LibreOffice; as
  written and as saved by LibreOffice <= 0.5 x), and once more with the audit's memos
  (``xlcoop.audit.memo``) cleared before each run: the first workbook of a structure.
- `xlcoop extract` of 1,000 LibreOffice-saved workbooks over the machine's cores, as a user runs
  it (a fresh process): wall time (goal <= 15 s on 2 cores), its ratio to python-calamine reading
  every value of the same files (goal <= 2 x), and peak memory of the whole process tree,
  counted as PSS so pages shared by the forked workers count once (goal <= 300 MB).

Every figure is a :class:`benchmarks.figures.Figure`: median, ratio, goal, in the JSON file.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_generate import median_seconds
from benchmarks.figures import Figure
from xlcoop import scenario as scenario_file
from xlcoop.workbook.writer import write_workbook

ROOT = Path(__file__).resolve().parent.parent
AUDIT_GOAL, EXTRACT_GOAL_S, MEMORY_GOAL_MB, FILES = 0.5, 15.0, 300.0, 1000
WARM_AUDIT_GOAL_S, WARM_AUDIT_RATIO_GOAL = 0.030, 0.02  # issue 13 item 4
COMMAND_GOALS = {"calc": 0.3, "check": 0.3, "solve": 0.3, "audit": 0.5}  # issue 13 item 2
CALAMINE_RATIO_GOAL = 2.0  # extract <= 2 x python-calamine reading every value (issue 13)
# Distinct workbooks behind the 1,000 files: five examples, each with five interest rates. The
# audit keeps nothing per file; its memos key on content (a sheet part's bytes but for its
# values, the template check of such a structure), which workbooks of one template share.
DISTINCT = 25




def libreoffice_seconds(book: Path, tmp: Path, runs: int = 3) -> tuple[float, Path] | None:
    from xlcoop.engines.libreoffice import find_soffice, recalculate

    if find_soffice() is None:
        return None
    times, out = [], book
    for i in range(runs):
        start = time.perf_counter()
        out = recalculate([book], tmp / f"lo{i}")[book]
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def bench_audit(tmp: Path) -> list[Figure | str]:
    from xlcoop.audit import audit
    from xlcoop.audit.run import warm_up

    example = scenario_file.load(ROOT / "examples" / "stappenplan-a.toml")
    book = write_workbook(tmp / "stappenplan-a.xlsx", example)
    warm_up()
    written = median_seconds(lambda: audit(book))
    lo = libreoffice_seconds(book, tmp)
    if lo is None:
        return [Figure("audit.warm.written_a", "audit warm, example A as written", written, 15,
                       note="LibreOffice not installed: no ratio")]
    lo_time, lo_copy = lo
    saved = median_seconds(lambda: audit(lo_copy))
    assert audit(book).status == audit(lo_copy).status == "clean"
    alternative = "LibreOffice headless recalculation of the same file"
    return [
        Figure("audit.warm.written_a", "audit warm, example A as written by xlcoop", written,
               15, alternative=alternative, alternative_median=lo_time, goal=AUDIT_GOAL,
               goal_on="ratio"),
        Figure("audit.warm.libreoffice_a", "audit warm, example A as saved by LibreOffice "
               "(shared strings, every cached value compared)", saved, 15,
               alternative=alternative, alternative_median=lo_time, goal=AUDIT_GOAL,
               goal_on="ratio"),
    ]


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(root: int) -> list[int]:
    pids, children = [root], {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    for pid in pids:
        pids += children.get(pid, [])
    return pids


def intake_corpus(tmp: Path) -> tuple[Path, str]:
    """1,000 files from DISTINCT workbooks; saved by LibreOffice when it is installed, as a
    received file has been saved by a spreadsheet (cached values, all compared)."""
    from xlcoop.engines.libreoffice import find_soffice, recalculate
    from xlcoop.scenario import Scenario

    examples = [scenario_file.load(p) for p in sorted((ROOT / "examples").glob("*.toml"))]
    made = tmp / "made"
    made.mkdir()
    distinct = []
    for i in range(DISTINCT):
        base = examples[i % len(examples)]
        inputs = dict(base.inputs, rente=round(0.02 + 0.002 * i, 4))
        sc = Scenario(inputs, [dict(d) for d in base.dwellings], dict(base.norms))
        distinct.append(write_workbook(made / f"distinct-{i:02d}.xlsx", sc))
    kind = "as written by xlcoop"
    if find_soffice() is not None:
        done = recalculate(distinct, tmp / "saved")
        distinct, kind = [done[p] for p in distinct], "as saved by LibreOffice"
    folder = tmp / "intake"
    folder.mkdir()
    for i in range(FILES):
        shutil.copy(distinct[i % DISTINCT], folder / f"werkmap-{i:04d}.xlsx")
    return folder, kind


def bench_extract(tmp: Path) -> list[str]:
    import resource

    folder, kind = intake_corpus(tmp)
    out = tmp / "portefeuille.csv"
    env = {**os.environ, "TQDM_DISABLE": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "xlcoop.cli", "extract", str(folder), "-o",
                             str(out), "--no-progress"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(_pss_kb(p) for p in _tree(proc.pid)))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:
        return [f"extract failed: {err.strip()[-300:]}"]
    cores = os.cpu_count() or 1
    floor = calamine_seconds(folder)
    label = f"extract {FILES:,} workbooks ({kind}) on {cores} cores, a fresh process"
    calamine = "python-calamine reading every value of the same files in one process"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return [
        Figure("extract.wall", label, seconds, 1, goal=EXTRACT_GOAL_S,
               note=f"one run; load average at the end {load:.1f}"),
        Figure("extract.versus_calamine", label, seconds, 1, alternative=calamine,
               alternative_median=floor, goal=CALAMINE_RATIO_GOAL, goal_on="ratio"),
        Figure("extract.memory", "extract: peak memory of all its processes (PSS: pages "
               "shared by the forked workers count once)", peak / 1024, 1, unit="MB",
               goal=MEMORY_GOAL_MB),
        Figure("extract.cpu_per_file", "extract: CPU time per file, all processes",
               cpu / FILES * 1000, 1, unit="ms",
               note=f"{cpu:.1f} s in all: an idle {cores}-core machine needs about "
                    f"{cpu / cores:.0f} s"),
    ]


def _process_seconds(argv: list[str], runs: int = 7) -> float:
    """Median wall time of a fresh process (bytecode compiled by a first run, as after
    `pip install`; the machine's PYTHONDONTWRITEBYTECODE does not apply)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT)
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_commands(tmp: Path) -> list[Figure | str]:
    """calc, check, solve and audit as a user runs them: fresh processes."""
    book = ROOT / "workbooks" / "stappenplan-a.xlsx"
    bare = _process_seconds([sys.executable, "-c", "pass"])
    openpyxl_load = _process_seconds([sys.executable, "-c", "import openpyxl, sys; "
                                      "openpyxl.load_workbook(sys.argv[1])", str(book)])
    out: list[Figure | str] = [Figure("process.bare", "python -c pass (a fresh interpreter)",
                                      bare, 7)]
    for command, extra in (("calc", []), ("check", []), ("solve", ["--target", "max-price"]),
                           ("audit", [])):
        seconds = _process_seconds([sys.executable, "-m", "xlcoop.cli", command, str(book),
                                    *extra])
        out.append(Figure(f"command.{command}", f"xlcoop {command} example A, a fresh process",
                          seconds, 7, alternative="a fresh process loading the same file with "
                          "openpyxl", alternative_median=openpyxl_load,
                          goal=COMMAND_GOALS[command],
                          note=f"{seconds - bare:.3f} s above a bare interpreter"))
    return out


def bench_warm_audit(tmp: Path) -> list[Figure | str]:
    """Audit warm (in-process, caches built) of the committed example A, against one
    LibreOffice headless recalculation of the same file (issue 13 item 4); and the same audit
    with the audit's memos cleared before each run: the first workbook of a structure."""
    from xlcoop.audit import audit, memo
    from xlcoop.audit.run import warm_up

    book = ROOT / "workbooks" / "stappenplan-a.xlsx"
    other = ROOT / "workbooks" / "stappenplan-b.xlsx"
    warm_up()
    audit(other)  # the memos learn another workbook of the template, as in an intake
    seconds = median_seconds(lambda: audit(book))

    def first_of_its_structure() -> None:
        memo.forget()
        audit(book)

    cold = median_seconds(first_of_its_structure)
    lo = libreoffice_seconds(book, tmp, runs=1)
    lo_time = lo[0] if lo else None
    label = "audit warm, committed example A (after example B)"
    alternative = "LibreOffice headless recalculation of the same file"
    return [
        Figure("audit.warm", label, seconds, 15, alternative=alternative,
               alternative_median=lo_time, goal=WARM_AUDIT_GOAL_S),
        Figure("audit.warm.versus_libreoffice", label, seconds, 15, alternative=alternative,
               alternative_median=lo_time, goal=WARM_AUDIT_RATIO_GOAL, goal_on="ratio"),
        Figure("audit.warm.first_of_structure", "audit warm, committed example A, memos "
               "cleared before each run (a structure not seen before)", cold, 15,
               alternative="the audit with the memos taught", alternative_median=seconds),
    ]


def calamine_seconds(folder: Path) -> float | None:
    """python-calamine reading every value of every file in one process (the floor)."""
    try:
        import python_calamine
    except ImportError:
        return None
    start = time.perf_counter()
    for path in sorted(folder.glob("*.xlsx")):
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
    return time.perf_counter() - start


def run() -> list[Figure | str]:
    with tempfile.TemporaryDirectory(prefix="xlcoop-bench-") as tmp:
        return (bench_commands(Path(tmp)) + bench_warm_audit(Path(tmp))
                + bench_audit(Path(tmp)) + bench_extract(Path(tmp)))
