"""`xlcoop audit` and `xlcoop extract`: bank intake of received workbooks.

Exit status of `audit`: 0 clean, 1 findings, 2 unreadable or unsafe (the highest over all
files). `extract` exits 0 once the table is written, whatever the files held.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from xlcoop.extras import require
from xlcoop.scenario import ScenarioError


def register(subparsers: argparse._SubParsersAction) -> None:
    from xlcoop.commands.conventions import add_output

    audit = subparsers.add_parser(
        "audit", help="controleer werkmappen: veiligheid, sjabloon, herberekening, lint",
        description="Controleer ontvangen werkmappen (bestanden of mappen). Exitstatus: 0 "
                    "schoon, 1 bevindingen, 2 onleesbaar of onveilig.")
    audit.add_argument("files", nargs="+", metavar="FILE",
                       help="werkmappen .xlsx/.xlsm of mappen (alle werkmappen erin)")
    audit.add_argument("--json", action="store_true", help="uitvoer als JSON")
    add_output(audit, "schrijf een HTML-rapport voor de kredietcommissie (.html); bij meerdere "
               "bestanden een bestaande map")
    audit.add_argument("--lang", choices=("nl", "en"), default="nl", help="taal van het rapport")
    audit.add_argument("-v", "--verbose", action="store_true",
                       help="ook notities en volledige ketens tonen")
    audit.add_argument("--no-progress", action="store_true", help="geen voortgangsbalk")
    audit.set_defaults(func=cmd_audit)

    extract = subparsers.add_parser(
        "extract", help="kerncijfers van veel werkmappen in één tabel (parallel)",
        description="Controleer veel werkmappen parallel en zet kerncijfers (werkmap, "
                    "referentiemodel, verschil), templateversie en controlestatus in één "
                    "tabel; een kapot bestand wordt een regel met zijn melding.")
    extract.add_argument("files", nargs="+", metavar="FILE",
                         help="werkmappen of mappen (alle .xlsx/.xlsm erin)")
    add_output(extract, "portefeuille .xlsx of .csv", required=True)
    extract.add_argument("-j", "--jobs", type=int, default=0,
                         help="aantal processen (standaard: alle kernen)")
    extract.add_argument("--no-progress", action="store_true", help="geen voortgangsbalk")
    extract.add_argument("--json", action="store_true", help="samenvatting als JSON")
    extract.add_argument("--lang", choices=("nl", "en"), default="nl", help="taal")
    extract.set_defaults(func=cmd_extract)


def inputs(given: list[str]) -> list[Path]:
    """Files and folders as given, each path checked (one message per kind of bad path);
    folders contribute their workbooks. A folder without workbooks is an error."""
    from xlcoop.audit.extract import expand
    from xlcoop.commands.conventions import WORKBOOK_SUFFIXES, check_input

    files: list[Path] = []
    for raw in given:
        path = Path(raw)
        if path.is_dir():
            found = expand([path])
            if not found:
                raise ScenarioError(["map zonder werkmappen (.xlsx/.xlsm)"], str(path))
            files += found
        else:
            files.append(check_input(path, WORKBOOK_SUFFIXES))
    return files


def _html_targets(files: list[Path], output: str | None, force: bool) -> list[Path]:
    from xlcoop.commands.conventions import check_output

    if not output:
        return []
    target = Path(output)
    if len(files) > 1 or target.is_dir():
        if not target.is_dir():
            raise ScenarioError([f"-o/--output: bij meerdere bestanden een bestaande map, niet "
                                 f"{output!r}"])
        return [check_output(target / f"{f.stem}.audit.html", (".html",), force, tuple(files))
                for f in files]
    return [check_output(target, (".html", ".htm"), force, tuple(files))]


def cmd_audit(args: argparse.Namespace) -> int:
    # checked first: inside the audit an ImportError would become a per-file finding
    require("openpyxl", "formulas")
    from xlcoop.audit import audit
    from xlcoop.audit.html import html_report
    from xlcoop.audit.progress import Progress
    from xlcoop.audit.render import text_report
    from xlcoop.commands.conventions import atomic_output

    files = inputs(args.files)
    targets = _html_targets(files, args.output, args.force)
    many = len(files) > 1
    progress = Progress(len(files), sys.stderr,
                        enabled=False if args.no_progress or not many else None)
    reports = []
    for f in files:
        reports.append(audit(f))
        progress.update()
    progress.close()
    for report, target in zip(reports, targets, strict=False):
        with atomic_output(target) as tmp:
            tmp.write_text(html_report(report, args.lang), encoding="utf-8")
    if args.json:
        payload = [r.to_dict(args.lang) for r in reports]
        print(json.dumps(payload[0] if len(payload) == 1 else payload, indent=2,
                         ensure_ascii=False))
    else:
        for report in reports:
            sys.stdout.write(text_report(report, args.lang, args.verbose))
    for target in targets:
        print(f"{target} geschreven" if args.lang == "nl" else f"{target} written",
              file=sys.stderr)
    if many:
        print(summary_line(reports, args.lang), file=sys.stderr)
    return max(r.exit_code for r in reports)


def summary_line(reports: list, lang: str) -> str:
    """'12 werkmappen: 9 schoon, 2 gewijzigd, 1 onveilig; businesscase: 3 met controles_ok nee'."""
    from collections import Counter

    en = lang == "en"
    words = {"clean": ("schoon", "clean"), "altered": ("gewijzigd", "altered"),
             "unsafe": ("onveilig", "unsafe"), "unreadable": ("onleesbaar", "unreadable")}
    counts = Counter(r.integrity for r in reports)
    parts = ", ".join(f"{n} {words.get(k, (k, k))[en]}" for k, n in sorted(counts.items()))
    failing = sum(1 for r in reports if r.business_case.get("controles_ok") is False)
    head = f"{len(reports)} " + ("workbooks" if en else "werkmappen")
    tail = (f"; business case: {failing} with controles_ok no" if en
            else f"; businesscase: {failing} met controles_ok nee")
    return f"{head}: {parts}{tail}"


def cmd_extract(args: argparse.Namespace) -> int:
    require("openpyxl", "formulas")
    from xlcoop.audit.extract import extract
    from xlcoop.commands.conventions import check_output

    files = inputs(args.files)
    output = check_output(Path(args.output), (".xlsx", ".csv"), args.force, tuple(files))
    counts = extract(files, output, args.jobs or None, sys.stderr,
                     show=False if args.no_progress else None)
    seconds = counts.pop("seconds")
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    if args.json:
        print(json.dumps({"output": str(output), "files": len(files), "counts": counts,
                          "seconds": seconds}))
    print(f"{output} geschreven: {len(files)} werkmappen ({summary}) in {seconds} s",
          file=sys.stderr)
    return 0
