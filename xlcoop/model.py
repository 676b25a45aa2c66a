"""The pure-Python reference model: a scenario's inputs in, every figure of the business case out.

No openpyxl, no xlwings, no numpy: the add-in runs this inside Excel (xlwings Lite / Pyodide) and
the solvers call it thousands of times. It is written independently of the workbook's formulas;
the tests prove both give the same numbers.
"""

from __future__ import annotations

import math
from typing import Any

from xlcoop.layout import ERROR_CHECKS, WARNING_CHECKS
from xlcoop.norms import VEX_CATEGORIES, applied_norms
from xlcoop.projection import project
from xlcoop.scenario import Scenario

Results = dict[str, Any]


def excel_round0(x: float) -> float:
    """Excel's ROUND(x, 0): halves away from zero (Python's round() rounds halves to even)."""
    return math.copysign(math.floor(abs(x) + 0.5), x)


def _div(numerator: float, denominator: float) -> float:
    """Division that yields 0 for a zero denominator, as the workbook does for a blank case."""
    return 0.0 if denominator == 0 else numerator / denominator


def compute(scenario: Scenario) -> Results:
    """Every named figure of the takeover case (year 1), keyed by its defined name."""
    i = {k: v for k, v in scenario.inputs.items()}
    n = applied_norms(i, scenario.norms)
    r: Results = dict(n)

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
    r["ltv_waarde"] = r["marktwaarde_verhuurd"] if i["ltv_basis"] == "verhuurd" \
        else r["marktwaarde_leeg"]
    r["max_lening_ltv"] = n["ltv_max"] * r["ltv_waarde"]
    r["max_lening"] = min(r["max_lening_cashflow"], r["max_lening_ltv"])
    r["bindende_grens"] = "kasstroom" if r["max_lening_cashflow"] <= r["max_lening_ltv"] \
        else "LTV"

    # Buffer, renovation and the maximum purchase price (transfer tax is charged on the price).
    r["buffer"] = n["buffer_maanden"] * r["huuropbrengst"] / 12
    costs = i["renovatiekosten"]
    r["renovatie_eigen"] = costs if i["renovatie_methode"] == "residueel" else 0.0
    r["storting_bouwdepot"] = costs if i["renovatie_methode"] == "bouwdepot" else 0.0
    tax = n["overdrachtsbelasting"]
    sources = i["eigen_inbreng"] + i["achtergestelde_lening"]
    r["max_aankoopprijs"] = max(0.0, (r["max_lening"] + sources - r["buffer"]
                                      - i["overige_aankoopkosten"] - r["renovatie_eigen"])
                                / (1 + tax))

    # Sale price and maatschappelijk kapitaal (the corporation's discount).
    r["marktwaarde_basis"] = r["marktwaarde_leeg"] - r["renovatie_eigen"]
    r["minimale_verkoopprijs"] = n["verkoop_min_pct"] * r["marktwaarde_basis"]
    agreed = i.get("verkoopprijs_afgesproken")
    r["verkoopprijs"] = float(agreed) if agreed is not None \
        else min(r["max_aankoopprijs"], r["marktwaarde_basis"])
    r["overdrachtsbelasting_bedrag"] = r["verkoopprijs"] * tax
    r["aankoopkosten"] = r["overdrachtsbelasting_bedrag"] + i["overige_aankoopkosten"]
    r["lening"] = max(0.0, r["verkoopprijs"] + r["aankoopkosten"] + r["buffer"]
                      + r["renovatie_eigen"] - sources)
    r["maatschappelijk_kapitaal"] = r["marktwaarde_basis"] - r["verkoopprijs"]
    r["maatschappelijk_kapitaal_pct"] = _div(r["maatschappelijk_kapitaal"], r["marktwaarde_basis"])
    r["ltv_start"] = _div(r["lening"], r["ltv_waarde"])

    # Operating costs against the (indicative) norms, per dwelling.
    r["lasten_niet_gespecificeerd"] = i["exploitatielasten"] - sum(
        i[f"lasten_{k}"] for k in VEX_CATEGORIES)
    r["exploitatielasten_per_woning"] = _div(i["exploitatielasten"], r["aantal_woningen"])
    r["norm_exploitatielasten_per_woning"] = sum(n[f"vex_{k}"] for k in VEX_CATEGORIES)
    r["onderhoud_per_woning"] = _div(i["reservering_groot_onderhoud"], r["aantal_woningen"])

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
    need = (r["marktwaarde_basis"] * (1 + tax) + i["overige_aankoopkosten"]
            + r["renovatie_eigen"] - sources)
    r["huur_zonder_korting_volledig"] = _div(
        need * ratio + fixed,
        ((1 - i["huurderving"]) - ratio * n["buffer_maanden"] / 12) * per_month_home)

    r.update(checks(i, n, r))
    r["controles_ok"] = all(r[name] for name in ERROR_CHECKS)
    r["aantal_waarschuwingen"] = sum(0 if r[name] else 1 for name in WARNING_CHECKS)
    return r


def checks(i: dict[str, Any], n: dict[str, float], r: Results) -> Results:
    """Pass/fail of each workbook check (the master check is taken over the error-level ones)."""
    no_debt = r["jr_schuldendienst_totaal"] == 0
    no_interest = r["jr_rente_totaal"] == 0
    return {
        "controle_invoer_compleet": r["aantal_woningen"] > 0 and r["marktwaarde_leeg"] > 0
        and r["huuropbrengst"] > 0 and n["ratio_rente_aflossing"] > 0,
        "controle_ltv_waarde": r["ltv_waarde"] > 0,
        "controle_lening_binnen_max": excel_round0(r["lening"] - r["max_lening"]) <= 0,
        "controle_ltv": excel_round0(r["lening"] - r["max_lening_ltv"]) <= 0,
        "controle_minimale_verkoopprijs": r["verkoopprijs"] >= r["minimale_verkoopprijs"],
        "controle_maatschappelijk_kapitaal": r["maatschappelijk_kapitaal"] >= 0,
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
        "controle_liberalisatiegrens": r["huur_hoogste"] <= n["liberalisatiegrens"],
    }
