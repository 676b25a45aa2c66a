"""`xlcoop programme`: what a programme budget funds (the Minister's 2023 letter), for a fund or
ministry. The same figures as the workbook's Programma sheet (the reference model's
``programme``), exact beside the letter's rounded ones when the parameters are the letter's."""

from __future__ import annotations

import argparse
import json
from typing import Any

from xlcoop.inputs import INPUT_BY_NAME
from xlcoop.layout import LETTER_FIGURES, PROGRAMMA_SECTIONS
from xlcoop.scenario import ScenarioError

PARAMETERS = ("programma_budget", "programma_startkapitaal_laag", "programma_startkapitaal_hoog",
              "programma_kosten_laag", "programma_kosten_hoog", "programma_bank_aandeel",
              "programma_eigen_aandeel")


def parameters(args: argparse.Namespace) -> dict[str, float]:
    """The programme inputs: the letter's (the inputs' defaults) unless given."""
    given = {
        "programma_budget": args.budget,
        "programma_startkapitaal_laag": args.start_capital[0] if args.start_capital else None,
        "programma_startkapitaal_hoog": args.start_capital[1] if args.start_capital else None,
        "programma_kosten_laag": args.cost[0] if args.cost else None,
        "programma_kosten_hoog": args.cost[1] if args.cost else None,
        "programma_bank_aandeel": args.bank_share,
        "programma_eigen_aandeel": args.own_share,
    }
    out, problems = {}, []
    for name in PARAMETERS:
        spec = INPUT_BY_NAME[name]
        value = given[name]
        if value is None:
            value = spec.default
        if value < 0 or (spec.maximum is not None and value > spec.maximum):
            problems.append(f"{name}: verwacht 0 tot {spec.maximum:g}, kreeg {value!r}"
                            if spec.maximum is not None else
                            f"{name}: mag niet negatief zijn, kreeg {value!r}")
        out[name] = float(value)
    if problems:
        raise ScenarioError(problems)
    return out


def figures(params: dict[str, float]) -> list[dict[str, Any]]:
    """One row per figure of the Programma sheet: name, labels, unit, exact value and, when the
    parameters are the letter's, the letter's own (rounded) figure."""
    from xlcoop.model import programme

    results = {**params, **programme(params)}
    letters = all(params[n] == INPUT_BY_NAME[n].default for n in PARAMETERS)
    rows = []
    for section in PROGRAMMA_SECTIONS:
        for item in section.items:
            name = item.name.split(".")[-1]
            rows.append({"name": name, "section_nl": section.title_nl,
                         "section_en": section.title_en, "label_nl": item.label_nl,
                         "label_en": item.label_en, "unit": item.unit,
                         "exact": results[name],
                         "letter": LETTER_FIGURES.get(name) if letters else None})
    return rows


def _fmt(value: float | None, unit: str, lang: str) -> str:
    if value is None:
        return "–"
    text = f"€ {value:,.0f}" if unit == "eur" else f"{value:,.2f}"
    return text if lang == "en" else text.replace(",", "_").replace(".", ",").replace("_", ".")


def cmd_programme(args: argparse.Namespace) -> int:
    params = parameters(args)
    rows = figures(params)
    if args.json:
        print(json.dumps({"parameters": params, "figures": rows}, indent=2, ensure_ascii=False))
        return 0
    en = args.lang == "en"
    head = ("Figure", "Exact", "Letter") if en else ("Uitkomst", "Exact", "Kamerbrief")
    section = ""
    print(f"  {head[0]:<46} {head[1]:>16} {head[2]:>14}")
    for row in rows:
        title = row["section_en" if en else "section_nl"]
        if title != section:
            section = title
            print(f"\n{title}")
        label = row["label_en" if en else "label_nl"][:46]
        print(f"  {label:<46} {_fmt(row['exact'], row['unit'], args.lang):>16} "
              f"{_fmt(row['letter'], row['unit'], args.lang):>14}")
    note = ("The letter rounds: 9.5M / 200k = 47.5 projects (letter: 45); homes 105.6-126.7 "
            "(letter: 105-125) and 126.7-152 (letter: 125-150)." if en else
            "De brief rondt af: 9,5 mln / 200.000 = 47,5 projecten (brief: 45); woningen "
            "105,6-126,7 (brief: 105-125) en 126,7-152 (brief: 125-150).")
    if any(r["letter"] is not None for r in rows):
        print("\n" + note)
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("programme", aliases=["programma"],
                       help="programmacalculator: projecten en woningen per budget "
                            "(Kamerbrief 2023)")
    p.add_argument("--budget", type=float, help="budget in euro (standaard 9.500.000)")
    p.add_argument("--start-capital", type=float, nargs=2, metavar=("LAAG", "HOOG"),
                   help="startkapitaal per project (standaard 200000 500000)")
    p.add_argument("--cost", type=float, nargs=2, metavar=("LAAG", "HOOG"),
                   help="stichtingskosten per woning (standaard 250000 300000)")
    p.add_argument("--bank-share", type=float, help="aandeel bank, fractie (standaard 0.70)")
    p.add_argument("--own-share", type=float, help="eigen inleg, fractie (standaard 0.05)")
    p.add_argument("--lang", choices=("nl", "en"), default="nl")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p.set_defaults(func=cmd_programme)
