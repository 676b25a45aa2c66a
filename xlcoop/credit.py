"""The credit committee's view in pure Python: the whole debt, the balance sheet, the
corporation's claim with a resale waterfall, and the bankability verdict.

Written independently of the workbook's formulas (``xlcoop.layout``, ``xlcoop.timeline``); the
tests compare every figure and every yearly cell. Series are lists, index 0 = year 1; opening
values under ``<name>@start``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from xlcoop.objections import OBJECTION_NAMES
from xlcoop.projection import YEARS, _min_where

Results = dict[str, Any]


def _div(a: float, b: float) -> float:
    return 0.0 if b == 0 else a / b


def _add(*rows: list[float]) -> list[float]:
    return [sum(values) for values in zip(*rows, strict=True)]


def bank_value(r: Results) -> float:
    """The value a bank lends on: in let state where given, else vacant."""
    return r["marktwaarde_verhuurd"] if r["marktwaarde_verhuurd"] > 0 else r["marktwaarde_leeg"]


def whole_debt(i: dict[str, Any], n: dict[str, float], r: Results) -> Results:
    """Total debt service and DSCR, LTV on the bank's value per year and at each refinancing,
    the balloon at the horizon."""
    c: Results = {}
    years = range(1, YEARS + 1)
    c["jr_schuldendienst_alle"] = _add(r["jr_schuldendienst"],
                                       r["jr_schuldendienst_achtergesteld"])
    c["jr_schuldendienst_alle_totaal"] = sum(c["jr_schuldendienst_alle"])
    c["jr_dscr_totaal"] = [_div(cf, s) for cf, s in zip(r["jr_netto_cashflow"],
                                                        c["jr_schuldendienst_alle"], strict=True)]
    c["dscr_totaal_min"] = _min_where(c, "hr_dscr_totaal_min", c["jr_dscr_totaal"],
                                      [s > 0 for s in c["jr_schuldendienst_alle"]])
    value = r["bankwaarde"]
    c["jr_waarde_bank@start"] = value
    c["jr_waarde_bank"] = [value * (1 + i["waardeontwikkeling"]) ** t for t in years]
    c["jr_ltv_bank@start"] = _div(r["lening"], value)
    c["jr_ltv_bank"] = [_div(s, w) for s, w in zip(r["jr_saldo"], c["jr_waarde_bank"],
                                                   strict=True)]
    term = n["looptijd_jaren"]
    c["jr_ltv_herfinanciering"] = [ltv if t % term == 0 else 0.0
                                   for t, ltv in zip(years, c["jr_ltv_bank"], strict=True)]
    c["ltv_herfinanciering_max"] = max(c["jr_ltv_herfinanciering"])
    c["ltv_bank_start"] = c["jr_ltv_bank@start"]
    c["restschuld_einde"] = r["jr_saldo"][-1]
    return c


def balance_sheet(i: dict[str, Any], r: Results) -> Results:
    """Homes at the bank's value and cash; bank loan, subordinated tranches, the corporation's
    claim (while its term runs, interest accrued), equity and solvency, per year."""
    c: Results = {}
    years = range(1, YEARS + 1)
    claim = 0.0 if i["projecttype"] == "nieuwbouw" else max(0.0, r["maatschappelijk_kapitaal"])
    c["vordering_corporatie"] = claim
    rows = {
        "jr_balans_woningen": (r["jr_waarde_bank"], r["jr_waarde_bank@start"]),
        "jr_balans_kas": (r["jr_kas"], r["jr_kas@start"]),
        "jr_balans_bank": (r["jr_saldo"], r["jr_saldo@start"]),
        "jr_balans_achtergesteld": (r["jr_saldo_achtergesteld"],
                                    r["jr_saldo_achtergesteld@start"]),
        "jr_balans_vordering": ([claim * (1 + i["vordering_rente"]) ** t
                                 if t <= i["vordering_looptijd"] else 0.0 for t in years], claim),
        "jr_balans_ledenkapitaal": ([i["eigen_inbreng"]] * YEARS, i["eigen_inbreng"]),
    }
    for name, (series, start) in rows.items():
        c[name], c[f"{name}@start"] = list(series), start

    def combine(name: str, f: Callable[..., float], *parts: str) -> None:
        c[name] = [f(*v) for v in zip(*(c[p] for p in parts), strict=True)]
        c[f"{name}@start"] = f(*(c[f"{p}@start"] for p in parts))

    combine("jr_balans_activa", lambda a, b: a + b, "jr_balans_woningen", "jr_balans_kas")
    combine("jr_balans_schulden", lambda a, b, v: a + b + v, "jr_balans_bank",
            "jr_balans_achtergesteld", "jr_balans_vordering")
    combine("jr_balans_eigen_vermogen", lambda a, s: a - s, "jr_balans_activa",
            "jr_balans_schulden")
    combine("jr_balans_overig_ev", lambda e, m: e - m, "jr_balans_eigen_vermogen",
            "jr_balans_ledenkapitaal")
    combine("jr_solvabiliteit", _div, "jr_balans_eigen_vermogen", "jr_balans_activa")
    c["schuld_totaal_start"] = c["jr_balans_schulden@start"]
    c["solvabiliteit_start"] = c["jr_solvabiliteit@start"]
    c["solvabiliteit_min"] = min([c["jr_solvabiliteit@start"], *c["jr_solvabiliteit"]])
    c["schuld_totaal_ltv_start"] = _div(c["schuld_totaal_start"], r["bankwaarde"])
    return c


def resale(i: dict[str, Any], r: Results) -> Results:
    """The waterfall of a resale in the chosen year: the bank first, then the subordinated
    tranches, then the corporation's claim (discount plus profit share while its term runs)."""
    c: Results = {}
    y = int(i["doorverkoop_jaar"]) - 1
    c["doorverkoop_waarde"] = r["jr_balans_woningen"][y]
    c["doorverkoop_kosten_bedrag"] = c["doorverkoop_waarde"] * i["doorverkoop_kosten"]
    c["doorverkoop_netto"] = c["doorverkoop_waarde"] - c["doorverkoop_kosten_bedrag"]
    c["doorverkoop_bank"] = min(c["doorverkoop_netto"], r["jr_saldo"][y])
    c["doorverkoop_na_bank"] = max(0.0, c["doorverkoop_netto"] - c["doorverkoop_bank"])
    c["doorverkoop_achtergesteld"] = min(c["doorverkoop_na_bank"],
                                         r["jr_saldo_achtergesteld"][y])
    c["doorverkoop_na_achtergesteld"] = c["doorverkoop_na_bank"] - c["doorverkoop_achtergesteld"]
    c["doorverkoop_winst"] = max(0.0, c["doorverkoop_netto"] - r["bankwaarde"])
    within = i["doorverkoop_jaar"] <= i["vordering_looptijd"]
    c["doorverkoop_vordering_verschuldigd"] = (
        r["jr_balans_vordering"][y] + i["vordering_winstdeel"] * c["doorverkoop_winst"]
        if within else 0.0)
    c["doorverkoop_vordering"] = min(c["doorverkoop_na_achtergesteld"],
                                     c["doorverkoop_vordering_verschuldigd"])
    c["doorverkoop_cooperatie"] = c["doorverkoop_na_achtergesteld"] - c["doorverkoop_vordering"]
    # Per creditor the unpaid part, each exactly 0 when paid (no cancellation noise).
    c["doorverkoop_tekort"] = ((r["jr_saldo"][y] - c["doorverkoop_bank"])
                               + (r["jr_saldo_achtergesteld"][y]
                                  - c["doorverkoop_achtergesteld"])
                               + (c["doorverkoop_vordering_verschuldigd"]
                                  - c["doorverkoop_vordering"]))
    return c


def _substantiated(i: dict[str, Any]) -> bool:
    """Excel's LEN(TRIM(note))>0: spaces only are no substantiation."""
    return bool(str(i.get("onderbouwing_lasten") or "").strip(" "))


OBJECTION_RULES: dict[str, Callable[[dict[str, Any], dict[str, float], Results], bool]] = {
    "bezwaar_dscr": lambda i, n, r: not r["controle_dscr"],
    "bezwaar_dscr_bruto": lambda i, n, r: not r["controle_dscr_bruto"],
    "bezwaar_icr": lambda i, n, r: not r["controle_icr"],
    "bezwaar_icr_bruto": lambda i, n, r: not r["controle_icr_bruto"],
    "bezwaar_dscr_totaal": lambda i, n, r: r["jr_schuldendienst_alle_totaal"] > 0
    and r["dscr_totaal_min"] < n["dscr_min_totaal"],
    "bezwaar_ltv_start": lambda i, n, r: r["ltv_bank_start"] > n["ltv_max"] + n["rekenmarge"],
    "bezwaar_ltv_herfinanciering": lambda i, n, r: r["ltv_herfinanciering_max"]
    > n["ltv_max"] + n["rekenmarge"],
    "bezwaar_kas": lambda i, n, r: not r["controle_kas_min"],
    "bezwaar_verkoopprijs": lambda i, n, r: not r["controle_minimale_verkoopprijs"],
    "bezwaar_taxatie": lambda i, n, r: not r["dossier_taxatie"],
    "bezwaar_lasten": lambda i, n, r: not (r["controle_exploitatielasten_norm"]
                                           and r["controle_onderhoud_norm"])
    and not _substantiated(i),
    "bezwaar_waarde_verhuurd": lambda i, n, r: r["marktwaarde_verhuurd"] <= 0,
    # the income rule (rent law, step 7), computed with the Huur sheet's figures
    "bezwaar_lagere_inkomens": lambda i, n, r: r["bezwaar_lagere_inkomens"],
}


def verdict(i: dict[str, Any], n: dict[str, float], r: Results) -> Results:
    """Each objection, their number and the verdict (TRUE when there is none)."""
    c: Results = {name: bool(OBJECTION_RULES[name](i, n, r)) for name in OBJECTION_NAMES}
    c["aantal_bezwaren"] = sum(1 for name in OBJECTION_NAMES if c[name])
    c["financierbaar"] = c["aantal_bezwaren"] == 0
    return c


def bank_case(i: dict[str, Any], n: dict[str, float], r: Results) -> Results:
    """The case as a bank analyst recomputes it: operating costs and major maintenance at least
    the norm per dwelling. Year 1 gives the maximum loan and price; the same loan over 30 years
    gives the cash-flow objections, and with the others the verdict at norm costs."""
    c: Results = {}
    homes = r["aantal_woningen"]
    c["lasten_norm_totaal"] = r["norm_exploitatielasten_per_woning"] * homes
    c["onderhoud_norm_totaal"] = n["vex_groot_onderhoud"] * homes
    c["bank_netto_cashflow"] = (r["baten"] - max(i["exploitatielasten"], c["lasten_norm_totaal"])
                                - max(i["reservering_groot_onderhoud"],
                                      c["onderhoud_norm_totaal"]))
    c["bank_max_lening_cashflow"] = max(0.0, _div(c["bank_netto_cashflow"],
                                                  n["ratio_rente_aflossing"]))
    c["bank_max_lening"] = min(c["bank_max_lening_cashflow"], r["max_lening_ltv"])
    c["bank_aankoop_beschikbaar"] = (c["bank_max_lening"] + i["eigen_inbreng"]
                                     + i["achtergestelde_lening"] - r["buffer"]
                                     - i["overige_aankoopkosten"] - r["renovatie_eigen"])
    tax, available = n["overdrachtsbelasting"], c["bank_aankoop_beschikbaar"]
    on_price = available / (1 + tax)
    c["bank_max_aankoopprijs"] = max(0.0, min(on_price, available - tax * r["bankwaarde"])
                                     if i["overdrachtsbelasting_grondslag"] == "waarde"
                                     else on_price)
    growth = [(1 + i["kostenindexatie"]) ** t for t in range(YEARS)]
    c["g_bank_lasten"] = [max(x, c["lasten_norm_totaal"] * g) for x, g in zip(
        r["jr_exploitatielasten"], growth, strict=True)]
    c["g_bank_onderhoud"] = [max(m, c["onderhoud_norm_totaal"] * g) for m, g in zip(
        r["jr_groot_onderhoud"], growth, strict=True)]
    c["g_bank_ncf"] = [b - x - m for b, x, m in zip(r["jr_baten"], c["g_bank_lasten"],
                                                    c["g_bank_onderhoud"], strict=True)]
    for key, den in (("dscr", "jr_schuldendienst"), ("icr", "jr_rente"),
                     ("dscr_totaal", "jr_schuldendienst_alle")):
        ratio = [_div(cf, d) for cf, d in zip(c["g_bank_ncf"], r[den], strict=True)]
        c[f"g_bank_{key}"] = ratio
        c[f"bank_{key}_min"] = _min_where(c, f"hr_bank_{key}_min", ratio,
                                          [d > 0 for d in r[den]])
    cash, kas = [], r["buffer"]
    for cf, s in zip(c["g_bank_ncf"], r["jr_schuldendienst_alle"], strict=True):
        kas = kas + cf - s
        cash.append(kas)
    c["g_bank_kas"], c["g_bank_kas@start"] = cash, r["buffer"]
    c["bank_kas_min"] = min([r["buffer"], *cash])
    c["bank_bezwaar_dscr"] = r["jr_schuldendienst_totaal"] > 0 \
        and c["bank_dscr_min"] < n["dscr_min_netto"]
    c["bank_bezwaar_icr"] = r["jr_rente_totaal"] > 0 and c["bank_icr_min"] < n["icr_min_netto"]
    c["bank_bezwaar_dscr_totaal"] = r["jr_schuldendienst_alle_totaal"] > 0 \
        and c["bank_dscr_totaal_min"] < n["dscr_min_totaal"]
    c["bank_bezwaar_kas"] = excel_round0(c["bank_kas_min"]) < 0
    replaced = sum(1 for name in CASH_FLOW_OBJECTIONS if r[name])
    c["bank_aantal_bezwaren"] = (r["aantal_bezwaren"] - replaced
                                 + sum(1 for k in ("dscr", "icr", "dscr_totaal", "kas")
                                       if c[f"bank_bezwaar_{k}"]))
    c["bank_financierbaar"] = c["bank_aantal_bezwaren"] == 0
    return c


# The objections the bank case recomputes (cash flow) or drops (costs are at the norm).
CASH_FLOW_OBJECTIONS = ("bezwaar_dscr", "bezwaar_icr", "bezwaar_dscr_totaal", "bezwaar_kas",
                        "bezwaar_lasten")


def excel_round0(x: float) -> float:
    """Excel's ROUND(x, 0): halves away from zero (Python's round() rounds halves to even)."""
    return math.copysign(math.floor(abs(x) + 0.5), x)


def credit_view(i: dict[str, Any], n: dict[str, float], r: Results) -> Results:
    """Everything above, in dependency order (needs the projection, checks and dossier)."""
    out: Results = {}
    for step in (lambda: whole_debt(i, n, r), lambda: balance_sheet(i, r),
                 lambda: resale(i, r), lambda: verdict(i, n, r),
                 lambda: bank_case(i, n, r)):
        part = step()
        r.update(part)
        out.update(part)
    return out
