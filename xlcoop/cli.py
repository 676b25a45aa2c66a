"""The `xlcoop` command line: write workbooks and compute key figures.

Every user error (bad scenario, unreadable workbook) prints one clear message and exits with
status 2; no traceback, and no output file is written.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from xlcoop import __version__
from xlcoop.commands.conventions import (
    SCENARIO_SUFFIXES,
    WORKBOOK_SUFFIXES,
    add_json_lang,
    add_output,
    atomic_output,
    check_input,
    check_output,
)
from xlcoop.extras import MissingExtra, missing_extra
from xlcoop.scenario import Scenario, ScenarioError

EXIT_USAGE = 2
# Modules in xlcoop/commands/ that add sub-commands (each defines register(subparsers)).
COMMAND_MODULES: tuple[str, ...] = ("addin", "audit", "programme", "pdf")


def load_any(path: Path) -> Scenario:
    """A scenario from a scenario file or from a standard workbook (its inputs and the norms it
    applies, read by the one reader)."""
    check_input(path, SCENARIO_SUFFIXES + WORKBOOK_SUFFIXES)
    if path.suffix.lower() in SCENARIO_SUFFIXES:
        from xlcoop import scenario as scenario_file

        return scenario_file.load(path)
    from xlcoop.workbook.reader import read_scenario

    return read_scenario(path)


def read_source(path: Path) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(raw scenario document, workbook's standard norms, workbook's cached key figures) of a
    workbook or scenario file; the last two are empty for a scenario file."""
    check_input(path, SCENARIO_SUFFIXES + WORKBOOK_SUFFIXES)
    if path.suffix.lower() in SCENARIO_SUFFIXES:
        from xlcoop.commands.addin import read_document

        return read_document(path), {}, {}
    from xlcoop.workbook.reader import read_workbook

    data = read_workbook(path)
    return data.document, {n: a.standard for n, a in data.norms.items()}, data.cached


def cmd_new(args: argparse.Namespace) -> int:
    from xlcoop.layout import TEMPLATE_VERSION
    from xlcoop.workbook.writer import build_workbook, workbook_bytes

    source = Path(args.scenario) if args.scenario else None
    scenario = load_any(source) if source else None
    out = Path(args.output) if args.output else Path(
        (source.stem if source else "xlcoop-template") + ".xlsx")
    check_output(out, (".xlsx",), args.force, (source,) if source else ())
    data = workbook_bytes(build_workbook(scenario, args.lang))
    with atomic_output(out) as tmp:
        tmp.write_bytes(data)
    if args.json:
        print(json.dumps({"output": str(out), "template_version": TEMPLATE_VERSION,
                          "lang": args.lang}))
    else:
        print(f"{out} geschreven (template {TEMPLATE_VERSION}, taal {args.lang})"
              if args.lang == "nl" else
              f"{out} written (template {TEMPLATE_VERSION}, language {args.lang})")
    return 0


def cmd_calc(args: argparse.Namespace) -> int:
    """Key figures by the reference model, on the inputs and the norms the workbook applies;
    beside them what the workbook itself last computed (its cached values), when it has them."""
    from xlcoop.checks import ERROR, check_document, count_text, fmt, label_of, unit_of
    from xlcoop.layout import CHECK, OUTPUT, TEMPLATE_VERSION, all_items

    path = Path(args.file)
    doc, standards, cached = read_source(path)
    result = check_document(doc, source=str(path), standards=standards)
    if result.results is None:
        from xlcoop.scenario import validate

        validate(doc, str(path))  # the validator's messages name each key (exit 2)
        raise ScenarioError([f.message("nl") for f in result.findings
                             if f.severity == ERROR] or ["invoer onbruikbaar"], str(path))
    lang = args.lang or "nl"
    r = result.results
    items = all_items()
    figures = {
        "outputs": {i.name: r[i.name] for i in items if i.kind == OUTPUT and i.name in r},
        "checks": {i.name: r[i.name] for i in items if i.kind == CHECK and i.name in r},
    }
    counts = {s: result.count(s) for s in ("error", "warning", "info")}
    if args.json:
        payload = {"source": str(path), "template_version": TEMPLATE_VERSION, **figures,
                   "norms": dict(result.scenario.norms) if result.scenario else {},
                   "findings": counts,
                   "workbook": {k: v for k, v in cached.items() if v is not None}}
        print(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
        return 0
    en = lang == "en"
    has_cache = any(v is not None for v in cached.values())
    print(f"{path}  ({'xlcoop reference model' if en else 'xlcoop-referentiemodel'}, template "
          f"{TEMPLATE_VERSION})" + ((" | workbook (cached)" if en else " | werkmap (opgeslagen)")
                                    if has_cache else ""))
    for group in ("outputs", "checks"):
        print()
        for name, value in figures[group].items():
            unit = unit_of(name)
            row = f"  {label_of(name, lang)[:60]:<60} {fmt(value, unit, lang):>16}"
            if has_cache:
                row += f" {fmt(cached.get(name), unit, lang):>16}"
            print(row + f"   {name}")
    print()
    print(("Findings (as xlcoop check): " if en else "Bevindingen (als xlcoop check): ")
          + count_text(result.findings, lang))
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from xlcoop.docs import names_markdown

    out = check_output(Path(args.output), (".md",), args.force)
    with atomic_output(out) as tmp:
        tmp.write_text(names_markdown(), encoding="utf-8")
    print(json.dumps({"output": str(out)}) if args.json else f"{out} geschreven")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="xlcoop", description="Standaard businesscase voor "
                                "wooncoöperaties / standard business case for housing "
                                "cooperatives.")
    p.add_argument("--version", action="version", version=f"xlcoop {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    new = sub.add_parser("new", help="schrijf een werkmap (leeg sjabloon of uit een scenario)")
    new.add_argument("scenario", nargs="?", help="scenario (.toml/.json); weglaten = leeg sjabloon")
    add_output(new, "uitvoerbestand .xlsx (standaard: naam van het scenario)")
    new.add_argument("--lang", choices=("nl", "en"), default="nl", help="taal (standaard nl)")
    new.add_argument("--json", action="store_true", help="uitvoer als JSON")
    new.set_defaults(func=cmd_new)
    calc = sub.add_parser("calc", help="kerncijfers met het referentiemodel")
    calc.add_argument("file", help="werkmap (.xlsx) of scenario (.toml/.json)")
    add_json_lang(calc)
    calc.set_defaults(func=cmd_calc)
    docs = sub.add_parser("docs", help="schrijf de namenlijst (markdown)")
    add_output(docs, "uitvoerbestand .md", required=True)
    docs.add_argument("--json", action="store_true", help="uitvoer als JSON")
    docs.add_argument("--lang", choices=("nl", "en"), default="nl", help="taal")
    docs.set_defaults(func=cmd_docs)
    for module in COMMAND_MODULES:
        importlib.import_module(f"xlcoop.commands.{module}").register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if getattr(args, "func", None) is None:  # `xlcoop` alone: the help, not an error
        p.print_help()
        return 0
    try:
        return args.func(args)
    except ScenarioError as exc:
        print(f"xlcoop: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ImportError as exc:  # an optional engine (pip extra) that is not installed
        missing = exc if isinstance(exc, MissingExtra) else missing_extra(exc)
        if missing is None:
            raise
        print(f"xlcoop {args.command}: {missing}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # output piped into e.g. `head`: not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 0
    except OSError as exc:
        print(f"xlcoop: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
