"""The proof: reference model, `formulas` and LibreOffice give the same numbers.

For the guide's examples A, B and C, the expected figures are the guide's own (domain.md); for
50 random scenarios every named figure must agree across the three engines, and for every
workbook (template included) every formula cell must agree between the two spreadsheet engines
and none may be an error.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from conftest import FORMULAS_CASES, RANDOM_COUNT, Case

from xlcoop.engines.batch import RUST_ENGINES
from xlcoop.engines.formulas_engine import ExcelError
from xlcoop.inputs import INPUT_BY_NAME
from xlcoop.layout import (
    NORM_OVERRIDE_SUFFIX,
    NORM_STANDARD_SUFFIX,
    OWNED,
    SHEETS,
    all_items,
    get_column_letter,
    layout,
)
from xlcoop.norms import NORM_BY_NAME, standard_value
from xlcoop.scenario import excel_serial
from xlcoop.timeline import CALENDAR_ROW, FIRST_YEAR_COL, START_COL, TOTAL_COL, YEARS

# The guide's chapter-3 figures (domain.md table). Percentages exact; the guide prints 41.2%,
# 32.1% (exact: 32.15%) and 47.5% (exact: 47.54%).
GUIDE = {
    "stappenplan-a": {
        "marktwaarde_leeg": 1_500_000, "netto_cashflow": 54_000, "max_lening_cashflow": 900_000,
        "max_lening_ltv": 1_050_000, "max_lening": 900_000, "buffer": 18_000,
        "max_aankoopprijs": 882_000, "verkoopprijs": 882_000, "storting_bouwdepot": 0,
        "maatschappelijk_kapitaal": 618_000, "maatschappelijk_kapitaal_pct": 618 / 1500,
        "huur_zonder_korting": 900, "bindende_grens": "kasstroom",
    },
    "stappenplan-b": {
        "marktwaarde_leeg": 1_300_000, "netto_cashflow": 54_000, "max_lening_cashflow": 900_000,
        "max_lening_ltv": 910_000, "max_lening": 900_000, "buffer": 18_000,
        "max_aankoopprijs": 882_000, "verkoopprijs": 882_000, "storting_bouwdepot": 200_000,
        "maatschappelijk_kapitaal": 418_000, "maatschappelijk_kapitaal_pct": 418 / 1300,
    },
    "stappenplan-c": {
        "marktwaarde_leeg": 1_500_000, "marktwaarde_basis": 1_300_000,
        "netto_cashflow": 54_000, "max_lening_cashflow": 900_000,
        "max_lening_ltv": 1_050_000, "max_lening": 900_000, "buffer": 18_000,
        "renovatie_eigen": 200_000, "max_aankoopprijs": 682_000, "verkoopprijs": 682_000,
        "storting_bouwdepot": 0, "maatschappelijk_kapitaal": 618_000,
        "maatschappelijk_kapitaal_pct": 618 / 1300,
    },
    # Not the guide: the letter's new-build example (20 homes at 275,000, bank 70% of the value
    # in let state, Amsterdam's fund at 50,000 per home, 5% own), closed by member loans.
    "nieuwbouw-amsterdam": {
        "stichtingskosten": 5_500_000, "stichtingskosten_per_woning": 275_000,
        "btw_bedrag": 756_000, "max_lening_ltv": 3_850_000, "bindende_grens": "LTV",
        "lening_nieuwbouw": 3_850_000, "lening": 3_850_000, "fondslening": 1_000_000,
        "bestedingen_totaal": 5_573_500, "bronnen_totaal": 5_573_500,
        "financieringstekort": 0, "tekort_per_woning": 0, "financiering_sluit": True,
        "eigen_inbreng_norm": 275_000, "kansrijk_score": 4, "dossier_compleet": True,
        "programma_projecten_max": 47.5, "programma_woningen_eigen_max": 152,
    },
}
UNIT = {item.name: item.unit for item in all_items()}
OWNED_NAMES = {item.name for item in all_items() if item.kind == OWNED}
UNIT.update({name: spec.unit for name, spec in INPUT_BY_NAME.items()})


def _serial(value: object) -> object:
    """Dates compare as Excel serial numbers (LibreOffice's date cells read back as datetime)."""
    if isinstance(value, dt.datetime):
        return excel_serial(value.date())
    if isinstance(value, dt.date):
        return excel_serial(value)
    if isinstance(value, dt.time):  # openpyxl reads a date-formatted 0 (or fraction) as a time
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    return value


def agree(name: str, a: object, b: object) -> bool:
    """Money to half a cent, ratios to 1e-6 (the issue's bar); text and booleans exactly."""
    a, b = _serial(a), _serial(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a) == bool(b) and not isinstance(a, str) and not isinstance(b, str)
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if a is None or b is None:
        return a == b
    tol = 0.005 if UNIT.get(name, "").startswith("eur") else 1e-6
    return math.isclose(float(a), float(b), rel_tol=0, abs_tol=tol)  # type: ignore[arg-type]


def model_expectations(case: Case) -> dict[str, object]:
    """What the model says every single-cell name of the workbook must hold."""
    sc = case.scenario
    assert sc is not None
    expected = dict(case.model)
    for norm in NORM_BY_NAME.values():
        expected[norm.name + NORM_STANDARD_SUFFIX] = standard_value(norm, sc.inputs)
        expected[norm.name + NORM_OVERRIDE_SUFFIX] = sc.norms.get(norm.name)
    expected.update({k: v for k, v in sc.inputs.items()})
    return expected


def timeline_expectations(case: Case) -> dict[tuple[str, str], tuple[str, object]]:
    """Every cell of the projection, loan and sensitivity sheets: (sheet title, address) ->
    (row name, the model's value)."""
    lay, m = layout(), case.model
    titles = {s.key: s.title(case.lang) for s in SHEETS}
    out: dict[tuple[str, str], tuple[str, object]] = {}
    for sheet, rows in lay.timeline_rows.items():
        for t in range(1, YEARS + 1):
            col = get_column_letter(FIRST_YEAR_COL + t - 1)
            out[(titles[sheet], f"{col}{CALENDAR_ROW}")] = ("jr_kalenderjaar",
                                                            m["jr_kalenderjaar"][t - 1])
        for row, line in rows:
            for t in range(1, YEARS + 1):
                col = get_column_letter(FIRST_YEAR_COL + t - 1)
                out[(titles[sheet], f"{col}{row}")] = (line.name, m[line.name][t - 1])
            if line.start:
                out[(titles[sheet], f"{get_column_letter(START_COL)}{row}")] = (
                    line.name, m[f"{line.name}@start"])
            if line.total_defined_name:
                out[(titles[sheet], f"{get_column_letter(TOTAL_COL)}{row}")] = (
                    line.name, m[line.total_defined_name])
    return out


def compare_timelines(case: Case, values: dict[tuple[str, str], object],
                      label: str) -> list[str]:
    problems = []
    for cell, (name, want) in timeline_expectations(case).items():
        got = values.get(cell)
        if not agree(name, want, got):
            problems.append(f"{case.name} {label} {cell[0]}!{cell[1]} ({name}): model "
                            f"{want!r} != {got!r}")
    return problems


def formulas_named(case: Case) -> dict[str, object]:
    res = case.formulas_results
    return {name: res.get(cell) for name, cell in case.names.items()}


def compare(case: Case, engine: dict[str, object], label: str) -> list[str]:
    expected = model_expectations(case)
    problems = []
    for name, want in expected.items():
        if name not in engine:
            continue
        got = engine[name]
        if got is None and want in ("", None):
            continue
        if not agree(name, want, got):
            problems.append(f"{case.name} {label} {name}: model {want!r} != {got!r}")
    for name in OWNED_NAMES & set(engine):  # the add-in's cells: blank in a fresh workbook
        if engine[name] not in (None, ""):
            problems.append(f"{case.name} {label} {name}: add-in cell not blank: {engine[name]!r}")
    missing = {n for n in engine if n not in expected and n not in OWNED_NAMES
               and n not in ("template_versie", "template_vingerafdruk")}
    assert not missing, f"names the model does not compute: {sorted(missing)}"
    return problems


@pytest.mark.parametrize("name", sorted(GUIDE))
def test_guide_examples_in_the_model(cases: dict[str, Case], name: str) -> None:
    results = cases[name].model
    for key, want in GUIDE[name].items():
        assert agree(key, results[key], want), f"{name} {key}: {results[key]!r} != {want!r}"
    assert results["controles_ok"] is True


@pytest.mark.parametrize("name", sorted(GUIDE))
def test_guide_examples_in_formulas(cases: dict[str, Case], master: object, name: str) -> None:
    got = formulas_named(cases[name])
    for key, want in GUIDE[name].items():
        assert agree(key, got[key], want), f"{name} {key}: {got[key]!r} != {want!r}"
    assert compare(cases[name], got, "formulas") == []
    assert compare_timelines(cases[name], cases[name].formulas_results, "formulas") == []


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", sorted(GUIDE))
def test_guide_examples_in_libreoffice(lo_cases: dict[str, Case], name: str) -> None:
    got = lo_cases[name].lo_named
    for key, want in GUIDE[name].items():
        assert agree(key, got[key], want), f"{name} {key}: {got[key]!r} != {want!r}"
    assert compare(lo_cases[name], got, "LibreOffice") == []
    assert compare_timelines(lo_cases[name], lo_cases[name].lo_values, "LibreOffice") == []


def test_rent_without_discount_example_a(cases: dict[str, Case]) -> None:
    """The guide's 'at least 900' and, with the buffer also borrowed, about 914 (domain.md)."""
    r = cases["stappenplan-a"].model
    assert r["huur_zonder_korting"] == pytest.approx(900, abs=1e-9)
    assert r["huur_zonder_korting_volledig"] == pytest.approx(108_000 / 0.985 / 120, abs=1e-9)
    assert round(r["huur_zonder_korting_volledig"]) == 914


def test_random_scenarios_are_varied(cases: dict[str, Case]) -> None:
    """The random set reaches both binding limits, every method and failing checks."""
    models = [cases[f"random-{i:02d}"].model for i in range(RANDOM_COUNT)]
    assert {m["bindende_grens"] for m in models} == {"kasstroom", "LTV"}
    assert any(m["controles_ok"] for m in models) and not all(m["controles_ok"] for m in models)
    assert {cases[f"random-{i:02d}"].scenario.inputs["renovatie_methode"]  # type: ignore[union-attr]
            for i in range(RANDOM_COUNT)} == {"geen", "bouwdepot", "residueel"}
    new_build = [m for i, m in enumerate(models)
                 if cases[f"random-{i:02d}"].scenario.inputs["projecttype"]  # type: ignore[union-attr]
                 == "nieuwbouw"]
    assert len(new_build) >= 50, "the issue asks for at least 50 random new-build scenarios"
    assert {m["financiering_sluit"] for m in new_build} == {True, False}
    assert {m["dossier_taxatie"] for m in models} == {True, False}


@pytest.mark.parametrize("engine", RUST_ENGINES)
@pytest.mark.parametrize("index", range(RANDOM_COUNT))
def test_random_scenario_agrees_with_model(cases: dict[str, Case], engine: str,
                                           index: int) -> None:
    """Every named figure and every projection cell, in IronCalc and in formualizer (until
    issue 13 this was `formulas`, at ~3 s a workbook; it keeps the hand-made cases)."""
    case = cases[f"random-{index:02d}"]
    values = case.rust_values(engine)
    assert not isinstance(values, str), values
    assert compare(case, case.rust_named(engine), engine) == []
    assert compare_timelines(case, values, engine) == []


@pytest.mark.libreoffice
def test_random_scenarios_libreoffice_agrees_with_model(lo_cases: dict[str, Case]) -> None:
    problems = []
    for i in range(RANDOM_COUNT):
        case = lo_cases[f"random-{i:02d}"]
        problems += compare(case, case.lo_named, "LibreOffice")
        problems += compare_timelines(case, case.lo_values, "LibreOffice")
    assert problems == []


def cell_agree(a: object, b: object) -> bool:
    """Two engines' values of one cell: both IEEE doubles, so near-exact; '' equals blank."""
    a, b = (None if v == "" else _serial(v) for v in (a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) \
            and not isinstance(a, bool) and not isinstance(b, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return agree("", a, b)


def _is_error(value: object) -> bool:
    return isinstance(value, ExcelError) or (isinstance(value, str) and value.startswith("#")
                                             and value.rstrip("!?0/").isupper())


def _formulas_cells(case: Case, cases: dict[str, Case]) -> dict[tuple[str, str], object]:
    """formulas' value of every cell; the English workbook holds the Dutch one's formulas (a
    test proves it), so its values are the Dutch example's under the English sheet titles."""
    if case.lang == "nl":
        return case.formulas_results
    titles = {s.title_nl: s.title_en for s in SHEETS}
    dutch = cases[case.name.removesuffix("-en")].formulas_results
    return {(titles[sheet], ref): value for (sheet, ref), value in dutch.items()}


@pytest.mark.libreoffice
@pytest.mark.parametrize("engine", ("formulas", *RUST_ENGINES))
def test_every_formula_cell_agrees_and_none_is_an_error(lo_cases: dict[str, Case], engine: str,
                                                        request: pytest.FixtureRequest) -> None:
    """Cell by cell, each engine against LibreOffice, near-exactly: `formulas` on the hand-made
    workbooks, IronCalc and formualizer on every generated workbook."""
    problems = []
    chosen = list(lo_cases.values())
    if engine == "formulas":
        request.getfixturevalue("master")
        chosen = [lo_cases[name] for name in FORMULAS_CASES]
    for case in chosen:
        if engine == "formulas":
            ours_all = _formulas_cells(case, lo_cases)
        else:
            ours_all = case.rust_values(engine)
            if isinstance(ours_all, str):
                problems.append(ours_all)
                continue
        # the engine dropped none (the master proved our reader equal to openpyxl's)
        assert set(case.formula_cells) - set(ours_all) == set(), (engine, case.name)
        lo = case.lo_values
        for cell, sc in case.cells.items():
            if sc.formula is None:
                continue
            ours, theirs = ours_all[cell], lo.get(cell)
            where = f"{case.name} {cell[0]}!{cell[1]} {sc.formula}"
            if _is_error(ours) or _is_error(theirs):
                problems.append(f"{where}: error {ours!r} / {theirs!r}")
            elif not cell_agree(ours, theirs):
                problems.append(f"{where}: {engine} {ours!r} != LibreOffice {theirs!r}")
    if problems:
        pytest.fail(f"{engine}: {len(problems)} cells differ from LibreOffice; first:\n"
                    + "\n".join(problems[:20]), pytrace=False)
