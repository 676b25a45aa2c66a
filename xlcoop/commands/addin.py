"""`xlcoop check` and `xlcoop solve`: the add-in's checks and solvers for users without Excel.

A workbook is read exactly as the add-in reads it inside Excel (the same scripts, run on a
stand-in of xlwings' JSON Book built from the file), so the findings and solutions agree.
`check` exits 1 when an error-level finding exists; `solve` exits 1 when there is no solution
or the inputs cannot be used; both exit 2 for a usage error. `solve -o OUT.xlsx` writes the answer
into a copy, never into the input file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import textwrap
import tomllib
from pathlib import Path
from typing import Any

from xlcoop.checks import (
    ERROR,
    INFO,
    SEVERITY_LABELS,
    WARNING,
    Finding,
    check_document,
    count_text,
    fmt,
    label_of,
    unit_of,
)
from xlcoop.layout import TEMPLATE_VERSION
from xlcoop.scenario import ScenarioError
from xlcoop.solve import GAP_SOURCES, TARGETS, Solution, solve

SCENARIO_SUFFIXES = (".toml", ".json")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
EXIT_FINDINGS = 1


def register(subparsers: Any) -> None:
    from xlcoop.commands.conventions import add_json_lang, add_output

    check = subparsers.add_parser(
        "check", help="controleer een werkmap of scenario: bevindingen met hun norm",
        description="Alle controles van de add-in: fout / waarschuwing / info, met de naam van "
        "de cel en de norm. Exit 1 bij een fout, 2 bij een onbruikbaar bestand.")
    check.add_argument("file", help="werkmap (.xlsx/.xlsm) of scenario (.toml/.json)")
    add_json_lang(check)
    check.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                       help="peildatum (standaard vandaag)")
    check.set_defaults(func=cmd_check)
    solve_p = subparsers.add_parser(
        "solve", help="rekenhulpen: maximale prijs, minimale huur, tekort, break-evens",
        description="Los een vraag op met het referentiemodel. Exit 1 zonder oplossing.")
    solve_p.add_argument("file", help="werkmap (.xlsx/.xlsm) of scenario (.toml/.json)")
    solve_p.add_argument("--target", required=True, choices=tuple(TARGETS),
                         help="wat op te lossen")
    solve_p.add_argument("--price", type=_amount, metavar="EUR",
                         help="prijs in euro (min-rent, gap, max-rate, max-huurderving; "
                         "standaard de afgesproken prijs, anders de marktwaarde)")
    solve_p.add_argument("--via", choices=GAP_SOURCES, default="eigen_inbreng",
                         help="gap: waarmee het tekort wordt gedekt")
    add_output(solve_p, "schrijf de oplossing in een kopie van de werkmap (.xlsx; nooit in "
               "het invoerbestand)")
    add_json_lang(solve_p)
    solve_p.set_defaults(func=cmd_solve)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"verwacht JJJJ-MM-DD, kreeg {text!r}") from None


def _amount(text: str) -> float:
    """1500000, 1_500_000, 1.500.000 (Dutch) or 1,500,000 (English); never negative."""
    raw = text.strip().replace("€", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", raw):
        raw = raw.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", raw):
        raw = raw.replace(",", "")
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"verwacht een bedrag, kreeg {text!r}") from None
    if value < 0 or value != value or value in (float("inf"),):
        raise argparse.ArgumentTypeError(f"verwacht een bedrag van 0 of meer, kreeg {text!r}")
    return value


def read_document(path: Path) -> dict[str, Any]:
    """A scenario file's raw document (not yet validated)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError([f"kan het bestand niet lezen: {exc.strerror}"], str(path)) from None
    try:
        data = json.loads(raw) if path.suffix.lower() == ".json" else tomllib.loads(
            raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError([f"geen geldige TOML/JSON: {exc}"], str(path)) from None
    if not isinstance(data, dict):
        raise ScenarioError(["het bestand moet een tabel (object) met secties bevatten"],
                            str(path))
    return data


def _kind(path: Path) -> str:
    from xlcoop.commands.conventions import check_input

    check_input(path, SCENARIO_SUFFIXES + WORKBOOK_SUFFIXES)
    return "scenario" if path.suffix.lower() in SCENARIO_SUFFIXES else "workbook"


def _book(path: Path) -> Any:
    from xlcoop.addin.jsonbook import Book
    from xlcoop.addin.xlsx import payload_from_xlsx

    return Book(payload_from_xlsx(path))


def _print_findings(findings: list[Finding], lang: str) -> None:
    en = lang == "en"
    for f in findings:
        where = f" {'row' if en else 'rij'} {f.row}" if f.row else ""
        print(f"  [{SEVERITY_LABELS[f.severity][en]}] {f.rule}  {f.name}{where}")
        for line in textwrap.wrap(f.message(lang), 96):
            print(f"      {line}")
        if f.source:
            print(f"      {'source' if en else 'bron'}: {f.source}")


def _counts(findings: list[Finding]) -> dict[str, int]:
    return {s: sum(1 for f in findings if f.severity == s) for s in (ERROR, WARNING, INFO)}


def cmd_check(args: argparse.Namespace) -> int:
    from xlcoop.addin.cells import detect_lang
    from xlcoop.addin.run import run_check

    path = Path(args.file)
    if _kind(path) == "scenario":
        findings, lang = check_document(read_document(path), args.today, str(path)).findings, \
            args.lang or "nl"
    else:
        book = _book(path)
        lang = args.lang or detect_lang(book)
        findings = run_check(book, args.today, write=False).findings
    counts = _counts(findings)
    if args.json:
        print(json.dumps({"source": str(path), "template_version": TEMPLATE_VERSION,
                          "ok": counts[ERROR] == 0, "counts": counts,
                          "findings": [f.to_dict() for f in findings]},
                         indent=2, ensure_ascii=False))
    else:
        print(f"{path}  (xlcoop check, template {TEMPLATE_VERSION}): "
              f"{count_text(findings, lang)}")
        _print_findings(findings, lang)
    return EXIT_FINDINGS if counts[ERROR] else 0


def _print_solution(solution: Solution, lang: str) -> None:
    en = lang == "en"
    print(solution.summary(lang))
    if solution.ok and solution.value is not None:
        exact = solution.value
        print(f"  exact: {exact!r}   ({'rounded' if en else 'afgerond'}: "
              f"{fmt(solution.rounded(), solution.target.unit, lang)})")
    if solution.binding is not None:
        print(f"  {'binding' if en else 'bindend'}: {solution.binding_label(lang)}")
    for nl, english in solution.notes:
        for i, line in enumerate(textwrap.wrap(english if en else nl, 94)):
            print(("  - " if i == 0 else "    ") + line)
    figures = solution.figures()
    if figures:
        print("  " + ("figures at the solution:" if en else "cijfers bij de oplossing:"))
        for name, value in figures.items():
            print(f"    {label_of(name, lang)[:56]:<56} {fmt(value, unit_of(name), lang):>16}"
                  f"   {name}")


def cmd_solve(args: argparse.Namespace) -> int:
    from xlcoop.addin.cells import detect_lang
    from xlcoop.addin.run import run_solve
    from xlcoop.commands.conventions import check_output

    path = Path(args.file)
    kind = _kind(path)
    out = Path(args.output) if args.output else None
    if out is not None:
        if kind != "workbook":
            raise ScenarioError(["-o/--output: alleen met een werkmap als invoer"])
        check_output(out, WORKBOOK_SUFFIXES, args.force, (path,))
    if args.price is not None and args.target == "max-price":
        raise ScenarioError(["--price: geldt niet voor --target max-price (de prijs is wat "
                             "wordt opgelost); laat --price weg of kies min-rent of gap"])
    writes: dict[str, Any] = {}
    if kind == "scenario":
        lang = args.lang or "nl"
        result = check_document(read_document(path), source=str(path))
        findings = [f for f in result.findings if f.severity == ERROR]
        solution = solve(result.scenario, args.target, args.price, via=args.via) \
            if result.scenario is not None else None
    else:
        book = _book(path)
        lang = args.lang or detect_lang(book)
        report = run_solve(book, args.target, args.price, write=False, via=args.via)
        findings, solution, writes = report.findings, report.solution, report.writes
        problem = report.problem_en if lang == "en" else report.problem_nl
        if problem and not args.json and report.solution is None:
            print(problem)
    if solution is None:
        problem_nl = (report.problem_nl if kind == "workbook" else "") or \
            "De invoer is niet bruikbaar; los eerst de fouten op."
        problem_en = (report.problem_en if kind == "workbook" else "") or \
            "The inputs cannot be used; fix the errors first."
    else:
        problem_nl, problem_en = solution.reason("nl"), solution.reason("en")
    if args.json:
        print(json.dumps({"source": str(path), "template_version": TEMPLATE_VERSION,
                          "ok": bool(solution is not None and solution.ok),
                          "solution": solution.to_dict() if solution else None,
                          "reason_nl": problem_nl, "reason_en": problem_en,
                          "findings": [f.to_dict() for f in findings]},
                         indent=2, ensure_ascii=False, default=str))
    else:
        if solution is not None:
            _print_solution(solution, lang)
        if findings:
            print("Findings:" if lang == "en" else "Bevindingen:")
            _print_findings(findings, lang)
    if solution is None or not solution.ok:
        if out is not None and not args.json:
            print("Nothing written." if lang == "en" else "Niets geschreven.")
        return EXIT_FINDINGS
    if out is not None:
        from xlcoop.addin.xlsx import write_solution_copy

        write_solution_copy(path, out, solution, writes)  # atomic: nothing left on failure
        if not args.json:
            print(f"{out} geschreven" if lang == "nl" else f"{out} written")
    return 0
