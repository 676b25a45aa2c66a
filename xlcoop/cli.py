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
from xlcoop.extras import MissingExtra, missing_extra
from xlcoop.layout import CHECK, OUTPUT, TEMPLATE_VERSION, all_items
from xlcoop.scenario import Scenario, ScenarioError

EXIT_USAGE = 2
# Modules in xlcoop/commands/ that add sub-commands (each defines register(subparsers)).
COMMAND_MODULES: tuple[str, ...] = ("addin", "audit", "programme")
SCENARIO_SUFFIXES = (".toml", ".json")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def load_any(path: Path) -> Scenario:
    """A scenario from a scenario file or from a standard workbook's inputs."""
    from xlcoop import scenario as scenario_file

    suffix = path.suffix.lower()
    if suffix in SCENARIO_SUFFIXES:
        return scenario_file.load(path)
    if suffix in WORKBOOK_SUFFIXES:
        from xlcoop.workbook.reader import read_scenario

        return read_scenario(path)
    raise ScenarioError([f"onbekend bestandstype {suffix or '(geen)'}; verwacht .toml, .json "
                         "of .xlsx"], str(path))


def key_figures(scenario: Scenario) -> dict[str, Any]:
    from xlcoop.model import compute

    results = compute(scenario)
    items = all_items()
    return {
        "outputs": {i.name: results[i.name] for i in items if i.kind == OUTPUT},
        "checks": {i.name: results[i.name] for i in items if i.kind == CHECK},
        "norms": {k: v for k, v in results.items() if k in _norm_names()},
    }


def _norm_names() -> set[str]:
    from xlcoop.norms import NORMS

    return {n.name for n in NORMS}


def cmd_new(args: argparse.Namespace) -> int:
    from xlcoop.workbook.writer import write_workbook

    scenario = load_any(Path(args.scenario)) if args.scenario else None
    out = Path(args.output) if args.output else Path(
        (Path(args.scenario).stem if args.scenario else "xlcoop-template") + ".xlsx")
    if out.suffix.lower() != ".xlsx":
        raise ScenarioError([f"-o: verwacht een bestandsnaam op .xlsx, kreeg {str(out)!r}"])
    if args.scenario and out.resolve() == Path(args.scenario).resolve():
        raise ScenarioError(["-o: mag het invoerbestand niet overschrijven"])
    if not out.parent.is_dir():
        raise ScenarioError([f"-o: map {str(out.parent)!r} bestaat niet"])
    write_workbook(out, scenario, args.lang)
    print(f"{out} geschreven (template {TEMPLATE_VERSION}, taal {args.lang})")
    return 0


def _fmt(value: Any, unit: str) -> str:
    """Dutch number notation: 1.234.567,89 and 41,20%."""
    if isinstance(value, bool):
        return "ja" if value else "NEE"
    if isinstance(value, (int, float)):
        text = f"{value * 100:,.2f}%" if unit == "pct" else f"{value:,.2f}"
        return text.replace(",", "_").replace(".", ",").replace("_", ".")
    return str(value)


def cmd_calc(args: argparse.Namespace) -> int:
    path = Path(args.file)
    figures = key_figures(load_any(path))
    if args.json:
        payload = {"source": str(path), "template_version": TEMPLATE_VERSION, **figures}
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    items = {i.name: i for i in all_items()}
    print(f"{path}  (xlcoop-referentiemodel, template {TEMPLATE_VERSION})")
    for group in ("outputs", "checks"):
        print()
        for name, value in figures[group].items():
            label = items[name].label_nl[:60]
            print(f"  {label:<60} {_fmt(value, items[name].unit):>16}   {name}")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from xlcoop.docs import names_markdown

    Path(args.output).write_text(names_markdown(), encoding="utf-8")
    print(f"{args.output} geschreven")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="xlcoop", description="Standaard businesscase voor "
                                "wooncoöperaties / standard business case for housing "
                                "cooperatives.")
    p.add_argument("--version", action="version", version=f"xlcoop {__version__} "
                   f"(template {TEMPLATE_VERSION})")
    sub = p.add_subparsers(dest="command", required=True)
    new = sub.add_parser("new", help="schrijf een werkmap (leeg sjabloon of uit een scenario)")
    new.add_argument("scenario", nargs="?", help="scenario (.toml/.json); weglaten = leeg sjabloon")
    new.add_argument("-o", "--output", help="uitvoerbestand .xlsx")
    new.add_argument("--lang", choices=("nl", "en"), default="nl", help="taal (standaard nl)")
    new.set_defaults(func=cmd_new)
    calc = sub.add_parser("calc", help="kerncijfers met het referentiemodel")
    calc.add_argument("file", help="werkmap (.xlsx) of scenario (.toml/.json)")
    calc.add_argument("--json", action="store_true", help="uitvoer als JSON")
    calc.set_defaults(func=cmd_calc)
    docs = sub.add_parser("docs", help="schrijf de namenlijst (markdown)")
    docs.add_argument("-o", "--output", default="names.md")
    docs.set_defaults(func=cmd_docs)
    for module in COMMAND_MODULES:
        importlib.import_module(f"xlcoop.commands.{module}").register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
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
