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
    audit = subparsers.add_parser(
        "audit", help="controleer werkmappen: veiligheid, sjabloon, herberekening, lint",
        description="Controleer ontvangen werkmappen. Exitstatus: 0 schoon, 1 bevindingen, "
                    "2 onleesbaar of onveilig.")
    audit.add_argument("files", nargs="+", metavar="FILE", help="werkmap(pen) .xlsx/.xlsm")
    audit.add_argument("--json", action="store_true", help="uitvoer als JSON")
    audit.add_argument("--html", metavar="PAD",
                       help="schrijf een rapport (HTML) voor de kredietcommissie; bij meerdere "
                            "bestanden een bestaande map")
    audit.add_argument("--lang", choices=("nl", "en"), default="nl", help="taal van het rapport")
    audit.add_argument("-v", "--verbose", action="store_true",
                       help="ook notities en volledige ketens tonen")
    audit.set_defaults(func=cmd_audit)

    extract = subparsers.add_parser(
        "extract", help="kerncijfers van veel werkmappen in één tabel (parallel)",
        description="Controleer veel werkmappen parallel en zet kerncijfers, templateversie en "
                    "controlestatus in één tabel; een kapot bestand wordt een regel met zijn "
                    "melding.")
    extract.add_argument("files", nargs="+", metavar="FILE",
                         help="werkmappen of mappen (alle .xlsx/.xlsm erin)")
    extract.add_argument("-o", "--output", required=True, help="portefeuille .xlsx of .csv")
    extract.add_argument("-j", "--jobs", type=int, default=0,
                         help="aantal processen (standaard: alle kernen)")
    extract.add_argument("--no-progress", action="store_true", help="geen voortgangsbalk")
    extract.set_defaults(func=cmd_extract)


def _html_targets(files: list[Path], html: str) -> list[Path]:
    target = Path(html)
    if len(files) > 1:
        if not target.is_dir():
            raise ScenarioError([f"--html: bij meerdere bestanden een bestaande map, niet "
                                 f"{html!r}"])
        return [target / f"{f.stem}.audit.html" for f in files]
    if target.is_dir():
        return [target / f"{files[0].stem}.audit.html"]
    if not target.parent.is_dir():
        raise ScenarioError([f"--html: map {str(target.parent)!r} bestaat niet"])
    return [target]


def _refuse_inputs(outputs: list[Path], inputs: list[Path], option: str) -> None:
    resolved = {p.resolve() for p in inputs}
    for out in outputs:
        if out.resolve() in resolved:
            raise ScenarioError([f"{option}: mag een invoerbestand niet overschrijven ({out})"])


def cmd_audit(args: argparse.Namespace) -> int:
    # checked first: inside the audit an ImportError would become a per-file finding
    require("openpyxl", "formulas")
    from xlcoop.audit import audit
    from xlcoop.audit.html import html_report
    from xlcoop.audit.render import text_report

    files = [Path(f) for f in args.files]
    targets = _html_targets(files, args.html) if args.html else []
    _refuse_inputs(targets, files, "--html")
    reports = [audit(f) for f in files]
    for report, target in zip(reports, targets, strict=False):
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(html_report(report, args.lang), encoding="utf-8")
        tmp.replace(target)
    if args.json:
        payload = [r.to_dict(args.lang) for r in reports]
        print(json.dumps(payload[0] if len(payload) == 1 else payload, indent=2,
                         ensure_ascii=False))
    else:
        for report in reports:
            sys.stdout.write(text_report(report, args.lang, args.verbose))
    for target in targets:
        print(f"{target} geschreven", file=sys.stderr)
    return max(r.exit_code for r in reports)


def cmd_extract(args: argparse.Namespace) -> int:
    require("openpyxl", "formulas")
    from xlcoop.audit.extract import expand, extract

    output = Path(args.output)
    if output.suffix.lower() not in (".xlsx", ".csv"):
        raise ScenarioError([f"-o: verwacht een bestandsnaam op .xlsx of .csv, kreeg "
                             f"{str(output)!r}"])
    if not output.parent.is_dir():
        raise ScenarioError([f"-o: map {str(output.parent)!r} bestaat niet"])
    files = expand(args.files)
    if not files:
        raise ScenarioError(["geen werkmappen gevonden"])
    _refuse_inputs([output], files, "-o")
    counts = extract(files, output, args.jobs or None, sys.stderr,
                     show=False if args.no_progress else None)
    seconds = counts.pop("seconds")
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    print(f"{output} geschreven: {len(files)} werkmappen ({summary}) in {seconds} s",
          file=sys.stderr)
    return 0
