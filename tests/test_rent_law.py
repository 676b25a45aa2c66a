"""Rent law (issue 12): WWS points give the segment and the legal maximum per dwelling, the rent
path follows each year's caps and then a labelled assumption, huurtoeslag by year, and the income
rule for a sale below market value. The three-engine proof covers every new cell through the
`cases` fixture (examples, the failing case below, random scenarios with points)."""

from __future__ import annotations

import math

import openpyxl
import pytest
from conftest import RANDOM_COUNT, RENT_FAILS, Case, example_scenario

from xlcoop.checks import ERROR, check_scenario
from xlcoop.engines.batch import RUST_ENGINES
from xlcoop.inputs import DWELLING_ROWS
from xlcoop.layout import DWELLING_TABLE, SHEETS, formula_cells, layout
from xlcoop.model import compute
from xlcoop.norms import TABLE_BY_NAME
from xlcoop.scenario import Scenario, validate
from xlcoop.timeline import DWELLINGS

LAST_TABLE_YEAR = max(int(r.key) for r in TABLE_BY_NAME["tabel_huurstijging_midden"].rows)


def one_dwelling(points: int, rent: float, year: int = 2026, **project: object) -> Scenario:
    doc = example_scenario("stappenplan-a").to_dict()
    doc["project"].update({"peiljaar": year, **project})
    doc["woningen"] = [{"type": "Test", "aantal": 10, "huur_per_maand": rent,
                        "marktwaarde_leeg": 150_000, "wws_punten": points}]
    return validate(doc, "test")


def findings(sc: Scenario, rule: str) -> list:
    return [f for f in check_scenario(sc).findings if f.rule == rule]


def test_timeline_knows_every_dwelling_row() -> None:
    assert DWELLINGS == DWELLING_ROWS


def test_100_points_at_1000_fails_and_check_names_row_and_maximum() -> None:
    sc = one_dwelling(100, 1000)
    r = compute(sc)
    assert r["woning_segment"][0] == "sociaal"
    assert r["huur_max_wws"][0] == pytest.approx(932.93)
    assert r["controle_huur_wws"] is False and r["controles_ok"] is False
    (f,) = findings(sc, "controle_huur_wws")
    assert f.severity == ERROR and f.row == 1 and f.norm == pytest.approx(932.93)
    assert "rij 1" in f.message_nl and "€ 932,93" in f.message_nl
    assert "row 1" in f.message_en and "€932.93" in f.message_en


def test_250_points_is_free_sector_without_maximum() -> None:
    r = compute(one_dwelling(250, 1000))
    assert r["woning_segment"][0] == "vrij" and r["huur_max_wws"][0] == 0
    assert r["controle_huur_wws"] is True and r["controle_middenhuur_grens"] is True
    assert not findings(one_dwelling(250, 1000), "controle_huur_wws")


def test_160_points_at_1300_fails_the_mid_market_ceiling() -> None:
    sc = one_dwelling(160, 1300)
    r = compute(sc)
    assert r["woning_segment"][0] == "midden"
    assert r["controle_middenhuur_grens"] is False
    (f,) = findings(sc, "controle_middenhuur_grens")
    assert f.row == 1 and f.norm == pytest.approx(1228.07) and "1.228,07" in f.message_nl
    assert compute(one_dwelling(160, 1200))["controle_middenhuur_grens"] is True


def test_huurprijscheck_maximum_is_the_exact_test() -> None:
    doc = one_dwelling(100, 700).to_dict()
    doc["woningen"][0]["huur_max_huurprijscheck"] = 640.0
    sc = validate(doc)
    r = compute(sc)
    assert r["huur_max_wws"][0] == 640 and r["controle_huur_wws"] is False
    assert not findings(sc, "huurprijscheck_ontbreekt")
    assert findings(one_dwelling(100, 700), "huurprijscheck_ontbreekt")  # the fallback, said


def test_segment_input_contradicting_the_points_is_a_finding() -> None:
    sc = one_dwelling(170, 1100)  # example A's input segment is sociaal
    (f,) = findings(sc, "controle_huursegment")
    assert f.row == 1 and "midden" in f.message_nl and "sociaal" in f.message_nl
    doc = sc.to_dict()
    doc["meerjarig"]["huursegment"] = "midden"
    assert not findings(validate(doc), "controle_huursegment")


def test_rent_path_labels_every_cap_outside_its_table_as_assumption() -> None:
    for year in (2018, 2024, 2026, 2031):
        r = compute(one_dwelling(160, 900, year))
        for s in ("sociaal", "midden", "vrij"):
            table = TABLE_BY_NAME[f"tabel_huurstijging_{s}"]
            last = max(int(row.key) for row in table.rows)
            for y, cap, basis in zip(r["jr_kalenderjaar"], r[f"jr_max_huurstijging_{s}"],
                                     r["jr_huurstijging_grondslag"], strict=True):
                if y <= last:
                    assert basis == "wet" and cap == table.lookup(y), (s, y)
                else:
                    assert basis == "aanname" and cap == r[f"huurstijging_aanname_{s}"], (s, y)


def test_thirty_year_mid_market_rent_grows_by_the_assumption_after_the_table() -> None:
    doc = one_dwelling(200, 1000).to_dict()  # free sector: no WWS maximum caps the path
    doc["woningen"][0]["wws_punten"] = 170
    doc["woningen"][0]["huur_per_maand"] = 800  # well below the ceiling: only the cap binds
    doc["meerjarig"].update({"huurindexatie": 0.09, "huursegment": "midden",
                             "inflatie_aanname": 0.02, "loonontwikkeling_aanname": 0.025})
    r = compute(validate(doc))
    path = r["jr_huur_woning1"]
    assert len(path) == 30
    assumption = 0.025 + 0.01  # CAO wage growth + 1 point (Wet betaalbare huur)
    assert r["huurstijging_aanname_midden"] == pytest.approx(assumption)
    years = r["jr_kalenderjaar"]
    for t in range(1, 30):
        growth = path[t] / path[t - 1] - 1
        ceiling = r["huur_max_wws"][0] * r["jr_wws_index"][t]
        if path[t] < ceiling - 1e-9:
            want = 0.061 if years[t] == 2026 else assumption if years[t] > LAST_TABLE_YEAR \
                else None
            if want is not None:
                assert growth == pytest.approx(want), years[t]
        else:
            assert path[t] == pytest.approx(ceiling)
    assert path[1] / path[0] - 1 == pytest.approx(assumption)  # 2027: after the 2026 table
    assert path[-1] < 800 * 1.061 ** 29  # never the 2026 cap compounded over 30 years


def test_rent_never_above_the_indexed_wws_maximum() -> None:
    doc = one_dwelling(150, 1000).to_dict()
    doc["meerjarig"].update({"huurindexatie": 0.09, "huursegment": "midden"})
    r = compute(validate(doc))
    caps = [r["huur_max_wws"][0] * x for x in r["jr_wws_index"]]
    assert all(h <= c + 1e-9 for h, c in zip(r["jr_huur_woning1"], caps, strict=True))
    assert any(abs(h - c) < 1e-9 for h, c in zip(r["jr_huur_woning1"], caps, strict=True))


@pytest.mark.parametrize("share,objection", [(0.3, True), (0.6, False)])
def test_income_rule_for_a_sale_below_market_value(share: float, objection: bool) -> None:
    sc = one_dwelling(100, 600, aandeel_lagere_inkomens=share)
    r = compute(sc)
    assert r["verkoopprijs"] < r["marktwaarde_basis"]
    assert r["bezwaar_lagere_inkomens"] is objection
    assert r["controle_lagere_inkomens"] is (not objection)
    assert r["dossier_lagere_inkomens"] is (not objection)
    assert bool(findings(sc, "controle_lagere_inkomens")) is objection


def test_income_rule_only_below_market_value() -> None:
    doc = one_dwelling(100, 600, aandeel_lagere_inkomens=0.3).to_dict()
    doc["financiering"]["verkoopprijs_afgesproken"] = 1_500_000
    assert compute(validate(doc))["bezwaar_lagere_inkomens"] is False


@pytest.mark.parametrize("year,rule", [(2025, "geen toeslag boven de grens"),
                                       (2026, "berekend tot de grens")])
def test_huurtoeslag_rule_by_year(year: int, rule: str) -> None:
    sc = one_dwelling(150, 950, year)
    r = compute(sc)
    assert r["huurtoeslag_regel"] == rule and r["woningen_boven_huurtoeslaggrens"] == 10
    (f,) = findings(sc, "controle_liberalisatiegrens")
    assert f.value == 10 and str(year) in f.message_nl
    assert ("deel van de toeslag" in f.message_nl) is (year >= 2026)


def test_random_scenarios_have_points_in_every_segment(cases: dict[str, Case]) -> None:
    with_points = [cases[f"random-{i:02d}"].model for i in range(RANDOM_COUNT)
                   if cases[f"random-{i:02d}"].model["aantal_woningen_wws"] > 0]
    assert len(with_points) >= 50
    segments = {s for m in with_points for s, p in zip(m["woning_segment"],
                                                       m["huur_tabel_punten"], strict=True) if p}
    assert segments == {"sociaal", "midden", "vrij"}
    assert {m["controle_huur_wws"] for m in with_points} == {True, False}
    assert {m["controle_middenhuur_grens"] for m in with_points} == {True, False}
    assert any("aanname" in m["jr_huurstijging_grondslag"] for m in with_points)


def _rows(case: Case, values: dict[tuple[str, str], object]) -> list[str]:
    """Every per-dwelling cell of the Huur sheet against the model's list."""
    titles = {s.key: s.title(case.lang) for s in SHEETS}
    problems = []
    for item in DWELLING_TABLE:
        for k, (sheet, row, col) in enumerate(layout().cells_of(item.name)):
            ref = f"{openpyxl.utils.get_column_letter(col)}{row}"
            got, want = values.get((titles[sheet], ref)), case.model[item.name][k]
            if isinstance(want, str):
                ok = (got or "") == want
            else:
                ok = isinstance(got, (int, float)) and math.isclose(got, want, abs_tol=1e-9)
            if not ok:
                problems.append(f"{case.name} {item.name}[{k + 1}]: model {want!r} != {got!r}")
    return problems


# Hand-made cases carry `formulas` (3-5 s a workbook); every case, the random ones included,
# goes through LibreOffice, IronCalc and formualizer (sub-second engines), as in
# test_engine_agreement.
HAND_MADE = ["huurrecht-2026", RENT_FAILS, "stappenplan-a"]
RENT_CASES = [*HAND_MADE, *(f"random-{i:02d}" for i in range(RANDOM_COUNT))]


def test_per_dwelling_cells_in_formulas(cases: dict[str, Case], master: object) -> None:
    problems = []
    for name in HAND_MADE:
        problems += _rows(cases[name], cases[name].formulas_results)
    assert problems == []


@pytest.mark.parametrize("engine", RUST_ENGINES)
def test_per_dwelling_cells_in_the_rust_engines(cases: dict[str, Case], engine: str) -> None:
    problems = []
    for name in RENT_CASES:
        values = cases[name].rust_values(engine)
        if isinstance(values, str):
            pytest.fail(values, pytrace=False)
        problems += _rows(cases[name], values)
    assert problems == []


@pytest.mark.libreoffice
def test_per_dwelling_cells_in_libreoffice(lo_cases: dict[str, Case]) -> None:
    problems = []
    for name in RENT_CASES:
        problems += _rows(lo_cases[name], lo_cases[name].lo_values)
    assert problems == []


def test_failing_case_fails_in_every_engine_named(cases: dict[str, Case]) -> None:
    r = cases[RENT_FAILS].model
    assert r["controle_huur_wws"] is False and r["controle_middenhuur_grens"] is False
    assert r["bezwaar_lagere_inkomens"] is True


def test_per_dwelling_formulas_use_no_odd_constants() -> None:
    first = layout().extra_rows["huur"]["dwellings_first"]
    cells = {k: v for k, v in formula_cells().items() if k[0] == "huur" and k[1] >= first}
    assert len(cells) == len(DWELLING_TABLE) * DWELLING_ROWS
    assert all("$A" in f or "{" not in f for f in cells.values())
