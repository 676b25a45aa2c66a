"""The pure-Python reference model: a scenario's inputs in, every figure of the business case out.

No openpyxl, no xlwings, no numpy: the add-in runs this inside Excel (xlwings Lite / Pyodide) and
the solvers call it thousands of times. It is written independently of the workbook's formulas;
the tests prove both give the same numbers.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from xlcoop.credit import bank_value, credit_view, excel_round0
from xlcoop.inputs import DWELLING_ROWS
from xlcoop.norms import (
    NORMS,
    STANDARD_SUFFIX,
    TABLE_BY_NAME,
    VEX_CATEGORIES,
    applied_norms,
    standard_value,
)
from xlcoop.projection import project
from xlcoop.scenario import Scenario, date_serial, excel_serial
from xlcoop.verdicts import DOSSIER_ITEMS, ERROR_CHECKS, WARNING_CHECKS

Results = dict[str, Any]


def _div(numerator: float, denominator: float) -> float:
    """Division that yields 0 for a zero denominator, as the workbook does for a blank case."""
    return 0.0 if denominator == 0 else numerator / denominator


def compute(scenario: Scenario) -> Results:
    """Every named figure of the takeover case (year 1), keyed by its defined name."""
    i = {k: v for k, v in scenario.inputs.items()}
    n = applied_norms(i, scenario.norms)
    r: Results = dict(n)
    r.update({norm.name + STANDARD_SUFFIX: standard_value(norm, i) for norm in NORMS})
    r["projectnaam_tekst"] = "" if i.get("projectnaam") is None else str(i["projectnaam"])

    rows = scenario.dwellings
    r["aantal_woningen"] = sum(d["aantal"] or 0 for d in rows)
    r["huuropbrengst"] = 12 * sum((d["aantal"] or 0) * (d["huur_per_maand"] or 0) for d in rows)
    r["huur_gemiddeld"] = _div(r["huuropbrengst"], 12 * r["aantal_woningen"])
    r["huur_hoogste"] = max((d["huur_per_maand"] or 0 for d in rows), default=0.0)
    for key, name in (("marktwaarde_leeg", "marktwaarde_leeg"),
                      ("marktwaarde_verhuurd", "marktwaarde_verhuurd"), ("woz", "woz_waarde")):
        r[name] = sum((d["aantal"] or 0) * (d[key] or 0) for d in rows)

    # Year-1 operations: huurderving lowers income; it is not a cost.
    r["huurderving_bedrag"] = r["huuropbrengst"] * i["huurderving"]
    r["baten"] = r["huuropbrengst"] - r["huurderving_bedrag"] + i["overige_baten"]
    r["netto_cashflow"] = r["baten"] - i["exploitatielasten"] - i["reservering_groot_onderhoud"]

    # What the bank lends: the lower of the cash-flow capacity and the LTV limit.
    ratio = n["ratio_rente_aflossing"]
    r["max_lening_cashflow"] = max(0.0, _div(r["netto_cashflow"], ratio))
    new_build = i["projecttype"] == "nieuwbouw"
    r["ltv_waarde"] = r["marktwaarde_verhuurd"] if i["ltv_basis"] == "verhuurd" or new_build \
        else r["marktwaarde_leeg"]
    r["max_lening_ltv"] = n["ltv_max"] * r["ltv_waarde"]
    r["max_lening"] = min(r["max_lening_cashflow"], r["max_lening_ltv"])
    r["bindende_grens"] = "kasstroom" if r["max_lening_cashflow"] <= r["max_lening_ltv"] \
        else "LTV"

    # Buffer, renovation and the maximum purchase price. Transfer tax (art. 9 Wet BRV) is on
    # the price, or on the value at least the price: P + t × MAX(W, P) = A gives
    # P = MIN(A / (1 + t), A − t × W).
    r["buffer"] = n["buffer_maanden"] * r["huuropbrengst"] / 12
    costs = i["renovatiekosten"]
    r["renovatie_eigen"] = costs if i["renovatie_methode"] == "residueel" else 0.0
    r["storting_bouwdepot"] = costs if i["renovatie_methode"] == "bouwdepot" else 0.0
    tax = n["overdrachtsbelasting"]
    on_value = i["overdrachtsbelasting_grondslag"] == "waarde"
    r["bankwaarde"] = bank_value(r)
    sources = i["eigen_inbreng"] + i["achtergestelde_lening"]
    r["aankoop_beschikbaar"] = (r["max_lening"] + sources - r["buffer"]
                                - i["overige_aankoopkosten"] - r["renovatie_eigen"])
    on_price = r["aankoop_beschikbaar"] / (1 + tax)
    r["max_aankoopprijs"] = max(0.0, min(on_price, r["aankoop_beschikbaar"]
                                         - tax * r["bankwaarde"]) if on_value else on_price)

    # Sale price and maatschappelijk kapitaal (the corporation's discount).
    r["marktwaarde_basis"] = r["marktwaarde_leeg"] - r["renovatie_eigen"]
    r["minimale_verkoopprijs"] = n["verkoop_min_pct"] * r["marktwaarde_basis"]
    agreed = i.get("verkoopprijs_afgesproken")
    r["verkoopprijs"] = float(agreed) if agreed is not None \
        else min(r["max_aankoopprijs"], r["marktwaarde_basis"])
    r["overdrachtsbelasting_basis"] = max(r["bankwaarde"], r["verkoopprijs"]) if on_value \
        else r["verkoopprijs"]
    r["overdrachtsbelasting_bedrag"] = r["overdrachtsbelasting_basis"] * tax
    r["aankoopkosten"] = r["overdrachtsbelasting_bedrag"] + i["overige_aankoopkosten"]
    new_build_stack(i, n, r, new_build)
    r["lening"] = r["lening_nieuwbouw"] if new_build else max(
        0.0, r["verkoopprijs"] + r["aankoopkosten"] + r["buffer"] + r["renovatie_eigen"]
        - sources)
    r["eigen_inbreng_basis"] = r["stichtingskosten"] if new_build \
        else r["verkoopprijs"] + r["aankoopkosten"]
    r["eigen_inbreng_norm"] = max(n["eigen_inbreng_min_pct"],
                                  n["fonds_eigen_min_pct"] if new_build else 0.0) \
        * r["eigen_inbreng_basis"]
    r["maatschappelijk_kapitaal"] = r["marktwaarde_basis"] - r["verkoopprijs"]
    r["maatschappelijk_kapitaal_pct"] = _div(r["maatschappelijk_kapitaal"], r["marktwaarde_basis"])
    r["ltv_start"] = _div(r["lening"], r["ltv_waarde"])

    # Operating costs against the (indicative) norms, per dwelling.
    r["lasten_niet_gespecificeerd"] = i["exploitatielasten"] - sum(
        i[f"lasten_{k}"] for k in VEX_CATEGORIES)
    r["exploitatielasten_per_woning"] = _div(i["exploitatielasten"], r["aantal_woningen"])
    r["norm_exploitatielasten_per_woning"] = sum(n[f"vex_{k}"] for k in VEX_CATEGORIES)
    r["onderhoud_per_woning"] = _div(i["reservering_groot_onderhoud"], r["aantal_woningen"])

    rent_law(i, n, r, rows)

    # The 30-year projection; year-1 loan figures are read from it.
    stress = i.get("herfinancieringsrente")
    r["herfinancieringsrente_gebruikt"] = i["rente"] if stress is None else stress
    r["aflossingstermijn_jaren"] = _div(1, n["aflossing_pct"])
    p = project(i, n, r)
    r.update(p)
    r["rente_jaar1"] = p["jr_rente"][0]
    r["aflossing_jaar1"] = p["jr_aflossing"][0]
    r["schuldendienst_jaar1"] = r["rente_jaar1"] + r["aflossing_jaar1"]
    r["dscr_jaar1"] = p["jr_dscr"][0]
    r["icr_jaar1"] = p["jr_icr"][0]

    # Rent needed without any discount. The guide's figure: the cash-flow loan equals the market
    # value (example A: 900). The full figure also borrows buffer, costs and renovation, net of
    # own equity (example A: 913.71); the buffer grows with the rent, hence the closed form.
    fixed = i["exploitatielasten"] + i["reservering_groot_onderhoud"] - i["overige_baten"]
    per_month_home = 12 * r["aantal_woningen"]
    r["huur_zonder_korting"] = _div(r["marktwaarde_basis"] * ratio + fixed,
                                    (1 - i["huurderving"]) * per_month_home)
    base = max(r["bankwaarde"], r["marktwaarde_basis"]) if on_value else r["marktwaarde_basis"]
    need = (r["marktwaarde_basis"] + tax * base + i["overige_aankoopkosten"]
            + r["renovatie_eigen"] - sources)
    r["huur_zonder_korting_volledig"] = _div(
        need * ratio + fixed,
        ((1 - i["huurderving"]) - ratio * n["buffer_maanden"] / 12) * per_month_home)

    r.update(checks(i, n, r))
    r.update(kansrijk(i, n, r))
    r.update(programme(i))
    r["controles_ok"] = all(r[name] for name in ERROR_CHECKS)
    r["aantal_waarschuwingen"] = sum(0 if r[name] else 1 for name in WARNING_CHECKS)
    credit_view(i, n, r)
    return r


def _last_key(table: str) -> int:
    return max(int(row.key) for row in TABLE_BY_NAME[table].rows)


def rent_law(i: dict[str, Any], n: dict[str, float], r: Results,
             dwellings: list[dict[str, Any]]) -> None:
    """The Huur sheet: the peiljaar's WWS norms, the assumption after the last known table,
    huurtoeslag, the income rule and the test per dwelling row (every row of the table)."""
    r["wws_tabel_laatste_jaar"] = _last_key("tabel_middenhuur_grens")
    r["wws_index_peiljaar"] = (1 + i["inflatie_aanname"]) ** max(
        0, i["peiljaar"] - r["wws_tabel_laatste_jaar"])
    r["wws_maxima_grondslag"] = "tabel" if i["peiljaar"] <= r["wws_tabel_laatste_jaar"] \
        else "aanname"
    r["huurstijging_laatste_jaar"] = min(_last_key(f"tabel_huurstijging_{s}")
                                         for s in ("sociaal", "midden", "vrij"))
    r["huurstijging_aanname_sociaal"] = i["inflatie_aanname"]
    r["huurstijging_aanname_midden"] = i["loonontwikkeling_aanname"] + n["opslag_middenhuur"]
    r["huurstijging_aanname_vrij"] = min(i["loonontwikkeling_aanname"], i["inflatie_aanname"]) \
        + n["opslag_vrije_sector"]
    r["huurtoeslag_regel"] = "berekend tot de grens" \
        if i["peiljaar"] >= n["huurtoeslag_rekenhuur_vanaf"] else "geen toeslag boven de grens"
    r["woningen_boven_huurtoeslaggrens"] = sum(
        d["aantal"] or 0 for d in dwellings if (d["huur_per_maand"] or 0) > n["liberalisatiegrens"])
    r["verkoop_onder_marktwaarde"] = i["projecttype"] != "nieuwbouw" \
        and r["maatschappelijk_kapitaal"] > 0
    share = i.get("aandeel_lagere_inkomens")
    r["bezwaar_lagere_inkomens"] = r["verkoop_onder_marktwaarde"] \
        and (share or 0.0) < n["aandeel_lagere_inkomens_min"]
    r["aantal_woningen_wws"] = sum(d["aantal"] or 0 for d in dwellings
                                   if (d.get("wws_punten") or 0) > 0)

    table: dict[str, list[Any]] = {k: [] for k in (
        "huur_tabel_type", "huur_tabel_aantal", "huur_tabel_huur", "huur_tabel_punten",
        "huur_tabel_huurprijscheck", "woning_segment",
        "huur_max_wws", "huur_boven_wws", "huur_boven_middengrens", "segment_strijdig")}
    index = r["wws_index_peiljaar"]
    for k in range(DWELLING_ROWS):
        d = dwellings[k] if k < len(dwellings) else {}
        rent = float(d.get("huur_per_maand") or 0)
        points = float(d.get("wws_punten") or 0)
        checked = float(d.get("huur_max_huurprijscheck") or 0)
        if points > 0:
            segment = "sociaal" if points <= n["wws_grens_sociaal"] else \
                "midden" if points <= n["wws_grens_midden"] else "vrij"
        else:
            segment = i["huursegment"]
        if checked > 0:
            maximum = checked
        elif points <= 0 or segment == "vrij":
            maximum = 0.0
        else:
            maximum = (n["huur_max_sociaal"] if segment == "sociaal"
                       else n["middenhuur_grens"]) * index
        table["huur_tabel_type"].append(d.get("type") or "")
        table["huur_tabel_aantal"].append(float(d.get("aantal") or 0))
        table["huur_tabel_huur"].append(rent)
        table["huur_tabel_punten"].append(points)
        table["huur_tabel_huurprijscheck"].append(checked)
        table["woning_segment"].append(segment)
        table["huur_max_wws"].append(maximum)
        table["huur_boven_wws"].append(max(0.0, rent - maximum) if maximum > 0 else 0.0)
        table["huur_boven_middengrens"].append(
            max(0.0, rent - n["middenhuur_grens"] * index)
            if points > 0 and segment == "midden" else 0.0)
        table["segment_strijdig"].append(1 if points > 0 and segment != i["huursegment"] else 0)
    r.update(table)
    r["huur_boven_wws_max"] = max(table["huur_boven_wws"])
    r["huur_boven_middengrens_max"] = max(table["huur_boven_middengrens"])
    r["aantal_segment_strijdig"] = sum(table["segment_strijdig"])


def new_build_stack(i: dict[str, Any], n: dict[str, float], r: Results, new_build: bool) -> None:
    """Development costs, sources and uses, and the gap (zero for a takeover)."""
    r["btw_bedrag"] = (i["bouwkosten"] + i["bijkomende_kosten"] + i["voorfasekosten"]) \
        * n["btw_tarief"] if i["btw_belast"] == "ja" else 0.0
    r["stichtingskosten"] = i["grondkosten"] + i["bouwkosten"] + i["bijkomende_kosten"] \
        + i["voorfasekosten"] + r["btw_bedrag"]
    r["stichtingskosten_per_woning"] = _div(r["stichtingskosten"], r["aantal_woningen"])
    r["waarde_kosten_pct"] = _div(r["marktwaarde_verhuurd"], r["stichtingskosten"])

    def only_new(x: float) -> float:
        return x if new_build else 0.0

    r["besteding_stichtingskosten"] = only_new(r["stichtingskosten"])
    r["besteding_buffer"] = only_new(r["buffer"])
    r["bestedingen_totaal"] = r["besteding_stichtingskosten"] + r["besteding_buffer"]
    for name, source in (("eigen_inbreng", "eigen_inbreng"), ("startkapitaal", "startkapitaal"),
                         ("subsidie", "subsidie"), ("achtergesteld", "achtergestelde_lening"),
                         ("ledenlening", "ledenlening")):
        r[f"bron_{name}"] = only_new(i[source])
    r["bronnen_vast"] = (r["bron_eigen_inbreng"] + r["bron_startkapitaal"] + r["bron_subsidie"]
                         + r["bron_achtergesteld"] + r["bron_ledenlening"])
    r["rest_na_vaste_bronnen"] = r["bestedingen_totaal"] - r["bronnen_vast"]
    # The bank first (up to its maximum), then the fund (up to its amount per dwelling).
    r["lening_nieuwbouw"] = max(0.0, min(r["max_lening"], r["rest_na_vaste_bronnen"]))
    r["rest_na_bank"] = r["rest_na_vaste_bronnen"] - r["lening_nieuwbouw"]
    r["fonds_maximum"] = only_new(n["fonds_max_per_woning"] * r["aantal_woningen"])
    r["fondslening"] = max(0.0, min(r["fonds_maximum"], r["rest_na_bank"]))
    r["bronnen_totaal"] = r["bronnen_vast"] + r["lening_nieuwbouw"] + r["fondslening"]
    r["financieringssaldo"] = r["rest_na_bank"] - r["fondslening"]
    # A balance below half a cent is no gap: float noise (70% of 5.5M is 3849999.9999999995)
    # must not leave a gap of 1e-10.
    cents = excel_round0(r["financieringssaldo"] * 100)
    r["financieringstekort"] = r["financieringssaldo"] if cents > 0 else 0.0
    r["financieringsoverschot"] = -r["financieringssaldo"] if cents < 0 else 0.0
    r["tekort_per_woning"] = _div(r["financieringstekort"], r["aantal_woningen"])
    r["financiering_sluit"] = r["financieringstekort"] == 0


def add_months(serial: int, months: float) -> int:
    """Excel's EDATE: the same day ``months`` later, clamped to the month's last day."""
    day = dt.date(1899, 12, 30) + dt.timedelta(days=serial)
    total = day.year * 12 + day.month - 1 + int(months)
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return excel_serial(dt.date(year, month + 1, min(day.day, last)))


def kansrijk(i: dict[str, Any], n: dict[str, float], r: Results) -> Results:
    """The committee's conditions and the guide's dossier, each item pass/fail."""
    k: Results = {}
    k["kr_expertise"] = i["expertise_aanwezig"] == "ja"
    k["kr_eigen_vermogen"] = i["eigen_inbreng"] > 0 and i["eigen_inbreng"] >= \
        r["eigen_inbreng_norm"]
    k["kr_gemeente"] = i["steun_gemeente"] == "ja"
    k["kr_locatie"] = i["uitzicht_locatie"] == "ja"
    k["kansrijk_score"] = sum(1 for c in ("kr_expertise", "kr_eigen_vermogen", "kr_gemeente",
                                          "kr_locatie") if k[c])
    k["kansrijk"] = k["kansrijk_score"] >= n["kansrijk_min_score"]
    for name, source in (("propositie", "propositie_beschreven"), ("groep", "groep_beschreven"),
                         ("statuten", "statuten_gereed"), ("woningen", "woningen_beschreven"),
                         ("nen2767", "nen2767_rapport")):
        k[f"dossier_{name}"] = i[source] == "ja"
    valued, applied = date_serial(i.get("taxatiedatum")), date_serial(i.get("aanvraagdatum"))
    k["taxatie_geldig_tot"] = 0 if valued is None else add_months(valued,
                                                                   n["taxatie_max_maanden"])
    k["dossier_taxatie"] = valued is not None and applied is not None \
        and valued <= applied <= k["taxatie_geldig_tot"]
    k["dossier_waarde"] = r["woz_waarde"] > 0 and r["ltv_waarde"] > 0
    k["dossier_woonlasten"] = r["huur_hoogste"] > 0 and n["liberalisatiegrens"] > 0
    k["dossier_lagere_inkomens"] = not r["bezwaar_lagere_inkomens"]
    k["dossier_score"] = sum(1 for d in DOSSIER_ITEMS if k[d])
    k["dossier_compleet"] = all(k[d] for d in DOSSIER_ITEMS)
    return k


def programme(i: dict[str, Any]) -> Results:
    """What a programme budget funds: start capital per project, the State's share per home."""
    p: Results = {}
    budget, bank, own = (i["programma_budget"], i["programma_bank_aandeel"],
                         i["programma_eigen_aandeel"])
    p["programma_projecten_min"] = _div(budget, i["programma_startkapitaal_hoog"])
    p["programma_projecten_max"] = _div(budget, i["programma_startkapitaal_laag"])
    for level in ("laag", "hoog"):
        cost = i[f"programma_kosten_{level}"]
        p[f"programma_bijdrage_{level}"] = cost * (1 - bank)
        p[f"programma_bijdrage_eigen_{level}"] = cost * (1 - bank - own)
    p["programma_woningen_min"] = _div(budget, p["programma_bijdrage_hoog"])
    p["programma_woningen_max"] = _div(budget, p["programma_bijdrage_laag"])
    p["programma_woningen_eigen_min"] = _div(budget, p["programma_bijdrage_eigen_hoog"])
    p["programma_woningen_eigen_max"] = _div(budget, p["programma_bijdrage_eigen_laag"])
    return p


def checks(i: dict[str, Any], n: dict[str, float], r: Results) -> Results:
    """Pass/fail of each workbook check (the master check is taken over the error-level ones)."""
    new_build = i["projecttype"] == "nieuwbouw"
    no_debt = r["jr_schuldendienst_totaal"] == 0
    no_interest = r["jr_rente_totaal"] == 0
    return {
        "controle_invoer_compleet": r["aantal_woningen"] > 0 and r["marktwaarde_leeg"] > 0
        and r["huuropbrengst"] > 0 and n["ratio_rente_aflossing"] > 0,
        "controle_ltv_waarde": r["ltv_waarde"] > 0,
        "controle_lening_binnen_max": excel_round0(r["lening"] - r["max_lening"]) <= 0,
        "controle_ltv": excel_round0(r["lening"] - r["max_lening_ltv"]) <= 0,
        "controle_minimale_verkoopprijs": new_build
        or r["verkoopprijs"] >= r["minimale_verkoopprijs"],
        "controle_maatschappelijk_kapitaal": new_build or r["maatschappelijk_kapitaal"] >= 0,
        "controle_specificatie_lasten": excel_round0(r["lasten_niet_gespecificeerd"]) >= 0,
        "controle_exploitatielasten_norm": r["exploitatielasten_per_woning"]
        >= r["norm_exploitatielasten_per_woning"],
        "controle_onderhoud_norm": r["onderhoud_per_woning"] >= n["vex_groot_onderhoud"],
        "controle_kas_min": excel_round0(r["kas_min"]) >= 0,
        "controle_dscr": no_debt or r["dscr_min"] >= n["dscr_min_netto"],
        "controle_dscr_bruto": no_debt or r["dscr_bruto_min"] >= n["dscr_min_bruto"],
        "controle_icr": no_interest or r["icr_min"] >= n["icr_min_netto"],
        "controle_icr_bruto": no_interest or r["icr_bruto_min"] >= n["icr_min_bruto"],
        "controle_ltv_dalend": max(r["jr_ltv"]) <= n["ltv_max"],
        "controle_liberalisatiegrens": r["woningen_boven_huurtoeslaggrens"] == 0,
        "controle_huur_wws": r["huur_boven_wws_max"] <= 0,
        "controle_middenhuur_grens": r["huur_boven_middengrens_max"] <= 0,
        "controle_huursegment": r["aantal_segment_strijdig"] == 0,
        "controle_lagere_inkomens": not r["bezwaar_lagere_inkomens"],
        "controle_bronnen_bestedingen": excel_round0(
            r["bronnen_totaal"] + r["financieringstekort"] - r["bestedingen_totaal"]
            - r["financieringsoverschot"]) == 0,
        "controle_financiering_sluit": not new_build or r["financiering_sluit"],
        "controle_eigen_inbreng_min": not new_build
        or i["eigen_inbreng"] >= r["eigen_inbreng_norm"],
        "controle_startkapitaal": i["startkapitaal"] == 0
        or n["startkapitaal_min"] <= i["startkapitaal"] <= n["startkapitaal_max"],
    }
