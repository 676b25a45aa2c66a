"""The validation rules: every workbook check reported with value, norm and source; hostile raw
input becomes findings (never an exception); rules for newer figures activate by name."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from dataclasses import replace
from typing import Any

import pytest
from conftest import example_scenario
from random_scenarios import random_document, random_scenarios

from xlcoop import checks
from xlcoop.checks import (
    ERROR,
    INFO,
    WARNING,
    CellError,
    check_document,
    check_scenario,
    fmt,
    input_findings,
    model_findings,
)
from xlcoop.inputs import INPUT_BY_NAME
from xlcoop.layout import CHECK, all_items
from xlcoop.layout import ERROR as LAYOUT_ERROR
from xlcoop.model import compute

TODAY = dt.date(2026, 1, 15)
REGISTRY = {i.name: i for i in all_items() if i.kind == CHECK}


def _doc(name: str = "stappenplan-a") -> dict[str, Any]:
    return copy.deepcopy(example_scenario(name).to_dict())


def test_example_a_has_no_error_and_reports_every_failing_workbook_check() -> None:
    result = check_scenario(example_scenario("stappenplan-a"), TODAY)
    assert result.ok and result.scenario is not None
    failing = {n for n in REGISTRY if result.results[n] is False}
    assert {f.rule for f in result.findings if f.rule in REGISTRY} == failing
    for f in result.findings:
        assert f.severity in (ERROR, WARNING, INFO)
        assert f.message_nl and f.message_en and f.message_nl != f.message_en
        if f.name:
            assert f.name in f.message_nl and f.name in f.message_en


@pytest.mark.parametrize("seed", range(3))
def test_workbook_checks_agree_with_the_model_on_random_scenarios(seed: int) -> None:
    for scenario in random_scenarios(20, seed=seed):
        result = check_scenario(scenario, TODAY)
        failing = {n for n, item in REGISTRY.items() if result.results[n] is False}
        found = {f.rule: f for f in result.findings if f.rule in REGISTRY}
        assert set(found) == failing
        for name, f in found.items():
            item = REGISTRY[name]
            expected = ERROR if item.severity == LAYOUT_ERROR else WARNING
            assert f.severity == expected or (f.severity == INFO and name in
                                              checks.COST_NORM_CHECKS)
            if item.norm_ref:  # the norm it was held against, by name, with its source
                assert f.norm_name == item.norm_ref
                assert item.norm_ref in f.message_nl and item.norm_ref in f.message_en
                if item.norm_ref in checks.NORM_BY_NAME:
                    assert f.source
        assert result.ok == result.results["controles_ok"] or not result.ok


HOSTILE = [
    ("financiering", "rente", "vier", "invoer_tekst", "rente"),
    ("financiering", "rente", -0.01, "invoer_percentage", "rente"),
    ("financiering", "rente", 4, "invoer_percentage", "rente"),
    ("exploitatie", "exploitatielasten", None, "invoer_ontbreekt", "exploitatielasten"),
    ("exploitatie", "huurderving", CellError("#DIV/0!"), "invoer_foutwaarde", "huurderving"),
    ("exploitatie", "huurderving", "#N/A", "invoer_foutwaarde", "huurderving"),
    ("exploitatie", "huurderving", 2.0, "invoer_percentage", "huurderving"),
    ("exploitatie", "reservering_groot_onderhoud", True, "invoer_geen_getal",
     "reservering_groot_onderhoud"),
    ("financiering", "eigen_inbreng", -5, "invoer_negatief", "eigen_inbreng"),
    ("project", "regio", "Utrecht", "invoer_keuze", "regio"),
    ("project", "regio", None, "invoer_ontbreekt", "regio"),
    ("project", "peiljaar", 2010, "invoer_te_laag", "peiljaar"),
    ("project", "peiljaar", 2026.5, "invoer_geen_geheel_getal", "peiljaar"),
    ("financiering", "ltv_basis", 3, "invoer_keuze", "ltv_basis"),
]


@pytest.mark.parametrize(("section", "key", "value", "rule", "name"), HOSTILE)
def test_hostile_inputs_become_findings(section: str, key: str, value: Any, rule: str,
                                        name: str) -> None:
    doc = _doc()
    doc.setdefault(section, {})[key] = value
    result = check_document(doc)
    assert result.scenario is None and not result.ok
    hits = [f for f in result.findings if f.rule == rule and f.name == name]
    assert hits, [(f.rule, f.name) for f in result.findings]
    assert all(f.severity == ERROR for f in hits)
    assert name in hits[0].message_nl and name in hits[0].message_en


@pytest.mark.parametrize(("mutate", "rule", "name", "row"), [
    (lambda d: d["woningen"][0].update(aantal=0), "invoer_geen_woningen", "woning_aantal", None),
    (lambda d: d.update(woningen=[]), "invoer_geen_woningen", "woning_aantal", None),
    (lambda d: d["woningen"][0].update(aantal=2.5), "invoer_geen_geheel_getal", "woning_aantal",
     1),
    (lambda d: d["woningen"][0].update(huur_per_maand="600 euro"), "invoer_tekst", "woning_huur",
     1),
    (lambda d: d["woningen"][0].pop("marktwaarde_leeg"), "invoer_ontbreekt",
     "woning_marktwaarde_leeg", 1),
    (lambda d: d["woningen"][0].update(marktwaarde_leeg=-1), "invoer_negatief",
     "woning_marktwaarde_leeg", 1),
    (lambda d: d["normen"].update(ltv_max="hoog"), "invoer_tekst", "ltv_max_eigen", None),
    (lambda d: d["normen"].update(ltv_max=1.5), "invoer_percentage", "ltv_max_eigen", None),
])
def test_hostile_dwellings_and_norms(mutate: Any, rule: str, name: str, row: int | None) -> None:
    doc = _doc()
    mutate(doc)
    found = input_findings(doc)
    hit = next(f for f in found if f.rule == rule)
    assert (hit.name, hit.row, hit.severity) == (name, row, ERROR)
    assert check_document(doc).scenario is None


HOSTILE_VALUES = ["", "abc", "12,5", CellError("#REF!"), "#VALUE!", None, -1, -0.5, 1e9, 2.5,
                  True, float("nan"), float("inf"), [1, 2], {"a": 1}, "Amsterdam", 0]


def test_fuzzed_documents_never_raise_and_rules_cover_the_validator() -> None:
    rng = random.Random(5)
    for _ in range(150):
        doc = random_document(rng)
        for _ in range(rng.randint(0, 3)):
            if rng.random() < 0.7:
                section = rng.choice(["project", "exploitatie", "financiering", "renovatie"])
                body = doc.setdefault(section, {})
                if body:
                    body[rng.choice(list(body))] = rng.choice(HOSTILE_VALUES)
            else:
                row = rng.choice(doc["woningen"])
                row[rng.choice(list(row))] = rng.choice(HOSTILE_VALUES)
        result = check_document(doc)
        # Every problem the scenario validator knows is caught by a structured rule first.
        assert not [f for f in result.findings if f.rule == "invoer_ongeldig"], result.findings
        assert (result.scenario is None) == any(f.severity == ERROR and f.rule.startswith(
            "invoer_") for f in result.findings)
        json.dumps([f.to_dict() for f in result.findings])


def test_norm_overrides_less_prudent_than_the_standard() -> None:
    base = example_scenario("stappenplan-a")
    sc = replace(base, norms={**base.norms, "buffer_maanden": 2, "ltv_max": 0.8,
                              "dscr_min_netto": 1.0})
    rules = {(f.rule, f.name): f for f in check_scenario(sc, TODAY).findings}
    buffer = rules[("buffer_onder_norm", "buffer_maanden_eigen")]
    assert buffer.severity == WARNING and buffer.value == 2 and buffer.norm == 3
    assert "3 maandhuren" in buffer.message_nl and "3 months" in buffer.message_en
    assert rules[("norm_soepeler", "ltv_max_eigen")].severity == WARNING
    assert rules[("norm_soepeler", "dscr_min_netto_eigen")].severity == WARNING
    assert rules[("norm_afwijkend", "overdrachtsbelasting_eigen")].severity == INFO


def test_interest_plus_amortisation_above_the_regional_ratio() -> None:
    base = example_scenario("stappenplan-a")
    sc = replace(base, inputs={**base.inputs, "rente": 0.05})
    hit = next(f for f in check_scenario(sc, TODAY).findings
               if f.rule == "rente_aflossing_boven_ratio" and f.name == "rente")
    assert hit.value == pytest.approx(0.07) and hit.norm == pytest.approx(0.06)
    assert hit.norm_name == "ratio_rente_aflossing" and "stap 6" in hit.source
    assert not [f for f in check_scenario(base, TODAY).findings
                if f.rule == "rente_aflossing_boven_ratio" and f.name == "rente"]


def test_weakest_year_rules_activate_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    sc = example_scenario("stappenplan-a")
    results = dict(compute(sc))
    results.update({"dscr_min": 0.9, "dscr_zwakste_jaar": 11, "icr_min": 1.1,
                    "ltv_piek": 0.75, "kas_min": -2000.0})
    monkeypatch.setattr(checks, "_checked_figures", lambda: set())  # as if no workbook check
    found = {f.rule: f for f in model_findings(sc, results, TODAY)}
    assert found["dscr_zwakste_jaar"].value == 0.9 and "jaar 11" in found[
        "dscr_zwakste_jaar"].message_nl
    assert found["icr_zwakste_jaar"].norm_name == "icr_min_netto"
    assert found["ltv_piek_boven_norm"].norm_name == "ltv_max"
    assert found["kas_negatief"].severity == ERROR
    monkeypatch.undo()
    covered = {i.value_ref for i in REGISTRY.values()}
    found = {f.rule for f in model_findings(sc, results, TODAY)}
    for figure, rule in (("dscr_min", "dscr_zwakste_jaar"), ("kas_min", "kas_negatief")):
        assert (rule in found) == (figure not in covered)  # never reported twice


def test_valuation_report_age_activates_with_a_valuation_date() -> None:
    base = example_scenario("stappenplan-a")

    def rules(value: Any, today: dt.date) -> dict[str, Any]:
        sc = replace(base, inputs={**base.inputs, checks.VALUATION_DATE: value})
        return {f.rule: f for f in check_scenario(sc, today).findings}

    assert "taxatie_te_oud" not in rules(dt.date(2025, 11, 1), TODAY)
    assert rules(dt.date(2025, 9, 1), TODAY)["taxatie_te_oud"].severity == WARNING
    assert rules(dt.datetime(2025, 3, 1), TODAY)["taxatie_te_oud"].severity == ERROR
    assert rules(45658, TODAY)["taxatie_te_oud"].severity == ERROR  # Excel serial: 2025-01-01
    assert rules("geen datum", TODAY)["taxatie_datum_ongeldig"].severity == ERROR
    assert "taxatie_te_oud" not in rules(None, TODAY)


def test_costs_below_the_norm_with_a_substantiation_note_are_info() -> None:
    base = example_scenario("stappenplan-a")
    low = [f for f in check_scenario(base, TODAY).findings if f.rule in checks.COST_NORM_CHECKS]
    if not low:
        pytest.skip("this model has no cost-norm checks yet")
    assert all(f.severity == WARNING for f in low)
    sc = replace(base, inputs={**base.inputs, checks.SUBSTANTIATION[0]: "zelfbeheer; offerte"})
    noted = [f for f in check_scenario(sc, TODAY).findings if f.rule in checks.COST_NORM_CHECKS]
    assert noted and all(f.severity == INFO and "zelfbeheer" in f.message_nl for f in noted)


def test_rent_increase_above_the_legal_maximum() -> None:
    if checks.RENT_INCREASE not in INPUT_BY_NAME:
        pytest.skip("this model has no rent indexation yet")
    base = example_scenario("stappenplan-a")
    sc = replace(base, inputs={**base.inputs, checks.RENT_INCREASE: 0.09})
    hit = next(f for f in check_scenario(sc, TODAY).findings
               if f.rule == "huurstijging_boven_maximum")
    assert hit.value == 0.09 and hit.norm < 0.09 and hit.severity == WARNING


def test_number_notation() -> None:
    assert fmt(882_000, "eur") == "€ 882.000" and fmt(882_000, "eur", "en") == "€882,000"
    assert fmt(913.7055, "eur_maand") == "€ 913,71"
    assert fmt(0.412, "pct") == "41,20%" and fmt(0.412, "pct", "en") == "41.20%"
    assert fmt(1.05, "factor") == "1,05" and fmt(None, "eur") == "(leeg)"
    assert fmt(dt.date(2026, 1, 2), "") == "02-01-2026"
