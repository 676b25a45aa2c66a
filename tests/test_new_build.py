"""Issue 4: new build and the financing stack, the programme calculator and the Kansrijk sheet.

Sources equal uses and the gap is zero exactly when the funding closes, in every engine; the
programme calculator reproduces the Minister's letter (exact and rounded side by side); a stale
valuation or a missing NEN 2767 report fails its dossier item in the workbook and in
`xlcoop calc --json`. (The three engines' agreement on every named cell of the new-build example
and the random new-build scenarios is in test_three_engines.)
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from conftest import FORMULAS_CASES, RANDOM_COUNT, STALE_DOSSIER, Case, example_scenario
from test_three_engines import formulas_named

from xlcoop.cli import main
from xlcoop.engines.batch import RUST_ENGINES
from xlcoop.layout import DOSSIER_ITEMS, LETTER_FIGURES
from xlcoop.model import add_months, compute, programme
from xlcoop.scenario import excel_serial

STACK = ("bronnen_totaal", "bestedingen_totaal", "financieringstekort", "financieringsoverschot",
         "financiering_sluit", "controle_bronnen_bestedingen")


def new_build_cases(cases: dict[str, Case]) -> list[Case]:
    names = ["nieuwbouw-amsterdam", STALE_DOSSIER] + [f"random-{i:02d}"
                                                      for i in range(RANDOM_COUNT)]
    return [cases[n] for n in names
            if cases[n].scenario.inputs["projecttype"] == "nieuwbouw"]  # type: ignore[union-attr]


def assert_balances(values: dict[str, object], where: str) -> None:
    sources, uses = float(values["bronnen_totaal"]), float(values["bestedingen_totaal"])
    gap, surplus = float(values["financieringstekort"]), float(values["financieringsoverschot"])
    assert sources + gap == pytest.approx(uses + surplus, abs=0.005), where
    assert gap >= 0 and surplus >= 0 and (gap == 0 or surplus == 0), where
    closes = sources >= uses - 0.005
    assert bool(values["financiering_sluit"]) is closes, where
    assert (gap == 0) is closes, where
    assert values["controle_bronnen_bestedingen"] is True, where


def test_sources_equal_uses_in_the_model(cases: dict[str, Case]) -> None:
    chosen = new_build_cases(cases)
    assert len(chosen) >= 50
    for case in chosen:
        assert_balances(case.model, case.name)


def test_sources_equal_uses_in_formulas(cases: dict[str, Case], master: object) -> None:
    """`formulas` on the hand-made new-build cases (its ~3 s per workbook is too slow for the
    random ones, which IronCalc and formualizer carry below, as LibreOffice does)."""
    chosen = [c for c in new_build_cases(cases) if c.name in FORMULAS_CASES]
    assert len(chosen) >= 2
    for case in chosen:
        assert_balances(formulas_named(case), f"formulas {case.name}")


@pytest.mark.parametrize("engine", RUST_ENGINES)
def test_sources_equal_uses_in_the_rust_engines(cases: dict[str, Case], engine: str) -> None:
    for case in new_build_cases(cases):
        assert_balances(case.rust_named(engine), f"{engine} {case.name}")


@pytest.mark.libreoffice
def test_sources_equal_uses_in_libreoffice(lo_cases: dict[str, Case]) -> None:
    for case in new_build_cases(lo_cases):
        assert_balances(case.lo_named, f"LibreOffice {case.name}")


def test_gap_closes_exactly_when_a_source_covers_it() -> None:
    """Member loans equal to the gap close it to zero; a euro less leaves a one-euro gap."""
    base = example_scenario("nieuwbouw-amsterdam")
    without = compute(replace(base, inputs={**base.inputs, "ledenlening": 0.0}))
    gap = without["financieringstekort"]
    assert gap == pytest.approx(198_500) and without["financiering_sluit"] is False
    assert without["tekort_per_woning"] == pytest.approx(gap / 20)
    assert without["controle_financiering_sluit"] is False and without["controles_ok"] is False
    closed = compute(replace(base, inputs={**base.inputs, "ledenlening": gap}))
    assert closed["financieringstekort"] == 0 and closed["financiering_sluit"] is True
    short = compute(replace(base, inputs={**base.inputs, "ledenlening": gap - 1}))
    assert short["financieringstekort"] == pytest.approx(1)


def test_every_tranche_runs_through_the_loan_logic() -> None:
    r = compute(example_scenario("nieuwbouw-amsterdam"))
    # Bank (rank 1): 3.85M at 3.5%, annuity; fund (rank 2): 1M at 1.5% over 15 years, annuity;
    # member loans (rank 4): interest only at 1%, repaid in year 30.
    assert r["jr_saldo@start"] == pytest.approx(3_850_000)
    assert r["jr_rente"][0] == pytest.approx(3_850_000 * 0.035)
    assert r["jr_saldo3@start"] == 1_000_000 and r["jr_rente3"][0] == pytest.approx(15_000)
    assert r["jr_saldo3"][14] == pytest.approx(0, abs=1e-6)
    assert r["jr_schuldendienst3"][15] == pytest.approx(0, abs=1e-6)
    assert r["jr_schuldendienst3"][0] == pytest.approx(r["jr_schuldendienst3"][14])
    assert r["jr_rente4"][0] == pytest.approx(1_985) and r["jr_aflossing4"][29] == 198_500
    assert r["jr_schuldendienst_achtergesteld"][0] == pytest.approx(
        r["jr_schuldendienst2"][0] + r["jr_schuldendienst3"][0] + r["jr_schuldendienst4"][0])


def test_takeover_examples_have_an_empty_new_build_sheet(cases: dict[str, Case]) -> None:
    for name in ("stappenplan-a", "stappenplan-b", "stappenplan-c"):
        r = cases[name].model
        assert r["bestedingen_totaal"] == r["bronnen_totaal"] == r["financieringstekort"] == 0
        assert r["fondslening"] == 0 and r["jr_schuldendienst3_totaal"] == 0


# ---------------------------------------------------------------------------------------------
# The programme calculator: the letter's figures, exact beside rounded.
LETTER_EXACT = {
    "programma_projecten_min": 19, "programma_projecten_max": 47.5,
    "programma_bijdrage_laag": 75_000, "programma_bijdrage_hoog": 90_000,
    "programma_woningen_min": 9_500_000 / 90_000, "programma_woningen_max": 9_500_000 / 75_000,
    "programma_bijdrage_eigen_laag": 62_500, "programma_bijdrage_eigen_hoog": 75_000,
    "programma_woningen_eigen_min": 9_500_000 / 75_000, "programma_woningen_eigen_max": 152,
}


def test_programme_reproduces_the_letter_in_the_model() -> None:
    from xlcoop.inputs import INPUT_BY_NAME

    inputs = {n: s.default for n, s in INPUT_BY_NAME.items() if n.startswith("programma_")}
    got = programme(inputs)
    for name, want in LETTER_EXACT.items():
        assert got[name] == pytest.approx(want, abs=1e-6), name
        # The letter rounds down to a multiple of 5 homes (105, 125, 150) or projects (45).
        letter = LETTER_FIGURES[name]
        assert letter <= want + 1e-9 and want - letter < 5, name
    assert (round(got["programma_woningen_min"], 1), round(got["programma_woningen_max"], 1)) \
        == (105.6, 126.7)


@pytest.mark.parametrize("engine", ["formulas", "libreoffice"])
def test_programme_sheet_reproduces_the_letter(cases: dict[str, Case], master: object,
                                               engine: str) -> None:
    case = cases["stappenplan-a"]  # every workbook holds the letter's parameters by default
    if engine == "formulas":
        got = formulas_named(case)
    else:
        from conftest import require_soffice

        require_soffice()
        got = case.lo_named
    for name, want in LETTER_EXACT.items():
        assert float(got[name]) == pytest.approx(want, abs=1e-6), (engine, name)


def test_programme_sheet_shows_the_letters_rounded_figures_beside(cases: dict[str, Case]) -> None:
    import openpyxl

    from xlcoop.layout import layout

    ws = openpyxl.load_workbook(cases["stappenplan-a"].path)["Programma"]
    shown = {item.name.split(".")[-1]: (ws.cell(row, 3).value, ws.cell(row, 4).value)
             for row, item in layout().item_rows["programma"]}
    for name, letter in LETTER_FIGURES.items():
        exact, rounded = shown[name]
        assert rounded == letter, name
        assert isinstance(exact, str) and exact.startswith("="), name  # a live formula


def test_programme_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["programme"]) == 0
    out = capsys.readouterr().out
    for text in ("47,50", "45,00", "105,56", "126,67", "152,00", "150,00", "€ 62.500"):
        assert text in out, text
    assert main(["programme", "--json", "--budget", "1000000"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = {r["name"]: r for r in data["figures"]}
    assert rows["programma_projecten_max"]["exact"] == 5 and rows["programma_budget"]["letter"] \
        is None
    assert main(["programme", "--bank-share", "1.5"]) == 2


# ---------------------------------------------------------------------------------------------
# Kansrijk and the dossier.
def test_kansrijk_and_dossier_in_the_model(cases: dict[str, Case]) -> None:
    good = cases["nieuwbouw-amsterdam"].model
    assert good["kansrijk_score"] == 4 and good["kansrijk"] is True
    assert good["dossier_compleet"] is True and good["dossier_score"] == len(DOSSIER_ITEMS) == 9
    stale = cases[STALE_DOSSIER].model
    assert stale["dossier_taxatie"] is False and stale["dossier_nen2767"] is False
    assert stale["dossier_compleet"] is False and stale["dossier_score"] == 7


def test_valuation_age_follows_the_norm_and_edate() -> None:
    base = example_scenario("nieuwbouw-amsterdam")

    def ok(valued: dt.date, applied: dt.date, months: float | None = None) -> bool:
        norms = dict(base.norms) if months is None else {**base.norms,
                                                         "taxatie_max_maanden": months}
        sc = replace(base, inputs={**base.inputs, "taxatiedatum": valued,
                                   "aanvraagdatum": applied}, norms=norms)
        return compute(sc)["dossier_taxatie"]

    assert ok(dt.date(2025, 12, 1), dt.date(2026, 3, 1))
    assert not ok(dt.date(2025, 12, 1), dt.date(2026, 3, 2))
    assert ok(dt.date(2025, 11, 30), dt.date(2026, 2, 28))  # EDATE clamps to the month's end
    assert not ok(dt.date(2025, 9, 1), dt.date(2026, 3, 1))
    assert ok(dt.date(2025, 9, 1), dt.date(2026, 3, 1), months=6)  # some banks accept 6
    assert not ok(dt.date(2026, 3, 2), dt.date(2026, 3, 1))  # valued after the application
    missing = replace(base, inputs={**base.inputs, "taxatiedatum": None})
    assert compute(missing)["dossier_taxatie"] is False
    assert add_months(excel_serial(dt.date(2024, 1, 31)), 1) == excel_serial(dt.date(2024, 2, 29))


def test_stale_valuation_and_missing_nen2767_fail_in_formulas(cases: dict[str, Case],
                                                              master: object) -> None:
    got = formulas_named(cases[STALE_DOSSIER])
    assert got["dossier_taxatie"] is False or got["dossier_taxatie"] == 0
    assert not got["dossier_nen2767"] and not got["dossier_compleet"]
    assert got["dossier_score"] == 7
    good = formulas_named(cases["nieuwbouw-amsterdam"])
    assert good["dossier_taxatie"] and good["dossier_compleet"]


@pytest.mark.libreoffice
def test_stale_valuation_and_missing_nen2767_fail_in_libreoffice(
        lo_cases: dict[str, Case]) -> None:
    got = lo_cases[STALE_DOSSIER].lo_named
    assert got["dossier_taxatie"] is False and got["dossier_nen2767"] is False
    assert got["dossier_compleet"] is False and got["dossier_score"] == 7
    good = lo_cases["nieuwbouw-amsterdam"].lo_named
    assert good["dossier_taxatie"] is True and good["dossier_compleet"] is True


def test_stale_valuation_and_missing_nen2767_fail_in_calc_json(
        cases: dict[str, Case], capsys: pytest.CaptureFixture[str]) -> None:
    for path in (cases[STALE_DOSSIER].path,):
        assert main(["calc", str(path), "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        outputs = data["outputs"]
        assert outputs["dossier_taxatie"] is False and outputs["dossier_nen2767"] is False
        assert outputs["dossier_compleet"] is False and outputs["kansrijk_score"] == 4
    assert main(["calc", "examples/nieuwbouw-amsterdam.toml", "--json"]) == 0
    outputs = json.loads(capsys.readouterr().out)["outputs"]
    assert outputs["dossier_compleet"] is True and outputs["financieringstekort"] == 0


def test_the_add_in_reads_the_dates_and_tests_at_the_application_date(
        cases: dict[str, Case], capsys: pytest.CaptureFixture[str]) -> None:
    """`xlcoop check` (the add-in's rules) reads the date cells and holds the valuation against
    the application date: 4 months old is a warning (3 months, sometimes 6)."""
    assert main(["check", str(cases[STALE_DOSSIER].path), "--json"]) == 0
    findings = {f["rule"]: f for f in json.loads(capsys.readouterr().out)["findings"]}
    assert findings["taxatie_te_oud"]["severity"] == "warning"
    assert "invoer_geen_getal" not in findings and "verkoopprijs_leeg" not in findings
    assert main(["check", str(cases["nieuwbouw-amsterdam"].path), "--json"]) == 0
    findings = {f["rule"]: f for f in json.loads(capsys.readouterr().out)["findings"]}
    assert "taxatie_te_oud" not in findings


def test_solvers_refuse_new_build_with_a_message(cases: dict[str, Case],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The solvers vary a takeover's price; for new build they say so instead of answering."""
    assert main(["solve", str(cases["nieuwbouw-amsterdam"].path), "--target",
                 "max-huurderving"]) == 1
    assert "Nieuwbouw" in capsys.readouterr().out
    assert main(["solve", "examples/nieuwbouw-amsterdam.toml", "--target", "gap"]) == 2
    assert "projecttype" in capsys.readouterr().err
