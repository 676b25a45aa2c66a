"""The credit committee's view (issue 11): the verdict and its objections, the whole debt, the
balance sheet, the corporation's claim, the transfer-tax base."""

from __future__ import annotations

import copy
import re

import pytest
from bankable import MOVES, bankable, bankable_document, moved
from conftest import RANDOM_COUNT, Case, example_scenario

from xlcoop.credit import OBJECTION_RULES
from xlcoop.layout import OBJECTION_FORMULAS, SHEET_BY_KEY, all_items
from xlcoop.model import compute
from xlcoop.objections import OBJECTION_NAMES, OBJECTIONS
from xlcoop.scenario import validate
from xlcoop.timeline import YEARS


def raised(r: dict) -> set[str]:
    return {name for name in OBJECTION_NAMES if r[name]}


def test_objections_are_defined_once_and_complete() -> None:
    """Domain list, registry formula and model rule hold the same objections (the hook for
    further objections, e.g. issue 12's income rule); the count and the verdict use them all."""
    assert set(OBJECTION_FORMULAS) == set(OBJECTION_RULES) == set(OBJECTION_NAMES)
    items = {i.name: i for i in all_items()}
    count = items["aantal_bezwaren"].formula
    assert set(re.findall(r"bezwaar_[a-z_]+", count)) == set(OBJECTION_NAMES)
    assert items["financierbaar"].formula == "=aantal_bezwaren=0"
    for o in OBJECTIONS:  # each objection names the figure and the norm it is held against
        assert o.value_ref in items or o.value_ref in {"marktwaarde_verhuurd"}
        assert not o.norm_ref or o.norm_ref in items or o.norm_ref == "aanvraagdatum"


def test_example_a_is_not_bankable() -> None:
    r = compute(example_scenario("stappenplan-a"))
    assert r["restschuld_einde"] == pytest.approx(360_000, abs=1e-6)
    assert r["restschuld_einde"] == pytest.approx(0.4 * r["lening"], abs=1e-6)
    assert r["financierbaar"] is False and r["controles_ok"] is True
    assert {"bezwaar_dscr", "bezwaar_waarde_verhuurd"} <= raised(r)
    assert r["aantal_bezwaren"] == len(raised(r))
    assert r["dscr_min"] == pytest.approx(1.0) and r["dscr_totaal_min"] == pytest.approx(1.0)


def test_a_case_meeting_every_norm_is_bankable() -> None:
    r = compute(bankable())
    assert raised(r) == set() and r["aantal_bezwaren"] == 0
    assert r["financierbaar"] is True and r["controles_ok"] is True


@pytest.mark.parametrize("objection", sorted(MOVES))
def test_one_move_raises_exactly_its_objection(objection: str) -> None:
    r = compute(moved(objection))
    assert raised(r) == {objection}
    assert r["aantal_bezwaren"] == 1 and r["financierbaar"] is False


def test_every_objection_has_a_move() -> None:
    assert set(MOVES) == set(OBJECTION_NAMES)


def test_substantiated_low_costs_are_no_objection() -> None:
    doc = MOVES["bezwaar_lasten"](copy.deepcopy(bankable_document()))
    doc["lasten"] = {"onderbouwing_lasten": "zelfbeheer, offertes verzekering"}
    assert raised(compute(validate(doc, "onderbouwd"))) == set()
    doc["lasten"] = {"onderbouwing_lasten": "   "}  # spaces only: no substantiation
    assert raised(compute(validate(doc, "spaties"))) == {"bezwaar_lasten"}


def test_transfer_tax_on_the_value() -> None:
    """Art. 9 Wet BRV: the value, at least the price (here the price is below the value)."""
    doc = bankable_document()
    on_price = compute(validate(doc, "prijs"))
    doc["financiering"]["overdrachtsbelasting_grondslag"] = "waarde"
    on_value = compute(validate(doc, "waarde"))
    rate = on_value["overdrachtsbelasting"]
    assert rate == pytest.approx(0.08)  # 2026
    assert on_price["overdrachtsbelasting_bedrag"] == pytest.approx(rate * 2_100_000)
    assert on_value["overdrachtsbelasting_bedrag"] == pytest.approx(rate * 3_400_000)
    assert on_value["overdrachtsbelasting_bedrag"] == pytest.approx(
        rate * on_value["bankwaarde"])
    doc["financiering"]["verkoopprijs_afgesproken"] = 3_500_000  # above the value: the price
    above = compute(validate(doc, "boven"))
    assert above["overdrachtsbelasting_bedrag"] == pytest.approx(rate * 3_500_000)


def test_max_price_on_the_value_pays_its_own_tax() -> None:
    """At the maximum price the loan is exactly the maximum loan, whichever the base."""
    for base in ("prijs", "waarde"):
        doc = bankable_document()
        doc["financiering"].pop("verkoopprijs_afgesproken")
        doc["financiering"]["overdrachtsbelasting_grondslag"] = base
        r = compute(validate(doc, base))
        assert r["verkoopprijs"] == r["max_aankoopprijs"] < r["marktwaarde_basis"]
        assert r["lening"] == pytest.approx(r["max_lening"], abs=1e-6)


def test_balance_sheet_and_waterfall_add_up() -> None:
    r = compute(example_scenario("stappenplan-a"))
    # Example A at the start: homes 1.5M + buffer 18k against loan 900k + claim 618k.
    assert r["schuld_totaal_start"] == pytest.approx(1_518_000)
    assert r["solvabiliteit_start"] == pytest.approx(0.0)
    assert r["schuld_totaal_ltv_start"] == pytest.approx(1_518_000 / 1_500_000)
    for t in range(YEARS):
        assert r["jr_balans_activa"][t] - r["jr_balans_schulden"][t] == pytest.approx(
            r["jr_balans_eigen_vermogen"][t])
    # Resale in year 10 (within the term): the bank 720k, the claim 618k, the rest 162k.
    assert r["doorverkoop_bank"] == pytest.approx(720_000)
    assert r["doorverkoop_vordering"] == pytest.approx(618_000)
    assert r["doorverkoop_cooperatie"] == pytest.approx(162_000)
    assert r["doorverkoop_tekort"] == pytest.approx(0)


def test_claim_lapses_after_its_term_and_takes_a_profit_share_within_it() -> None:
    doc = bankable_document()
    doc["meerjarig"]["waardeontwikkeling"] = 0.02
    doc["vordering"] = {"vordering_winstdeel": 0.5, "doorverkoop_jaar": 10}
    within = compute(validate(doc, "binnen"))
    gain = within["doorverkoop_netto"] - within["bankwaarde"]
    assert gain > 0 and within["doorverkoop_vordering_verschuldigd"] == pytest.approx(
        within["vordering_corporatie"] + 0.5 * gain)
    doc["vordering"]["doorverkoop_jaar"] = 11
    after = compute(validate(doc, "na"))
    assert after["doorverkoop_vordering_verschuldigd"] == 0 == after["jr_balans_vordering"][10]


def test_random_scenarios_cover_the_credit_inputs(cases: dict[str, Case]) -> None:
    scenarios = [cases[f"random-{i:02d}"].scenario for i in range(RANDOM_COUNT)]
    models = [cases[f"random-{i:02d}"].model for i in range(RANDOM_COUNT)]
    inputs = [s.inputs for s in scenarios if s is not None]
    assert {i["overdrachtsbelasting_grondslag"] for i in inputs} == {"prijs", "waarde"}
    takeovers = [i for i in inputs if i["projecttype"] == "overname"]
    assert any(i["achtergestelde_lening"] > 0 for i in takeovers)
    assert {m["marktwaarde_verhuurd"] > 0 for m in models} == {True, False}
    assert {m["financierbaar"] for m in models} == {True, False}
    assert any(m["vordering_corporatie"] > 0 and m["doorverkoop_vordering"] > 0 for m in models)


def test_the_verdict_comes_first_on_cover_and_summary() -> None:
    from xlcoop.layout import COVER_LINKS, layout

    summary = SHEET_BY_KEY["samenvatting"].sections[0]
    assert [i.name for i in summary.items[:2]] == ["samenvatting.financierbaar",
                                                   "samenvatting.aantal_bezwaren"]
    rows = layout().extra_rows["voorblad"]
    assert COVER_LINKS[1][1] == "=financierbaar"
    assert rows["verdict"] < rows["status"] < rows["objection_list"] < rows["figures"]


def test_bank_case_at_norm_costs() -> None:
    """Costs at the norm: the bank case is the user's case. Costs below it without a note: an
    objection in the user's case, none in the bank case (which lifts the costs to the norm),
    and a lower cash-flow limit there."""
    at_norm = compute(bankable())
    assert at_norm["bank_max_aankoopprijs"] == pytest.approx(at_norm["max_aankoopprijs"])
    assert at_norm["bank_dscr_min"] == pytest.approx(at_norm["dscr_min"])
    assert at_norm["bank_financierbaar"] is True
    low = compute(moved("bezwaar_lasten"))
    assert low["financierbaar"] is False and low["bank_financierbaar"] is True
    assert low["bank_netto_cashflow"] == pytest.approx(at_norm["netto_cashflow"])
    assert low["bank_max_lening_cashflow"] < low["max_lening_cashflow"]
    assert low["bank_max_aankoopprijs"] <= low["max_aankoopprijs"]  # here the LTV binds
    a = compute(example_scenario("stappenplan-a"))  # 1,750 + 1,000 per home: 44,500
    assert a["bank_netto_cashflow"] == pytest.approx(72_000 - 17_500 - 10_000)
    assert a["bank_max_lening"] == pytest.approx(44_500 / 0.06)
    assert a["bank_financierbaar"] is False and a["bank_bezwaar_dscr"] is True


def test_max_price_at_which_bankable() -> None:
    from xlcoop.solve import OK, solve

    s = solve(bankable(), "max-price-bankable")
    assert s.status == OK and s.binding is not None and s.binding.key == "LTV aanvang"
    at = compute(moved("bezwaar_verkoopprijs"))  # any scenario: recompute at the solution
    assert at["financierbaar"] is False
    r = s.results
    assert r is not None and r["financierbaar"] is True
    assert r["ltv_bank_start"] == pytest.approx(r["ltv_max"], abs=1e-9)
    a = solve(example_scenario("stappenplan-a"), "max-price-bankable")
    assert a.status != OK and "bezwaar_waarde_verhuurd" in a.notes[0][0]
