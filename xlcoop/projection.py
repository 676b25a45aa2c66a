"""The 30-year projection in pure Python: operations, the loan with refinancing, a subordinated
tranche, ratios per year, sensitivities and break-evens.

Each yearly series is a list with one value per year (index 0 = year 1); series that have an
opening value (loan balances, cash, value, LTV) also have it under the key ``<name>@start``.
Written independently of the workbook's formulas; the tests compare them cell by cell.
"""

from __future__ import annotations

from typing import Any

from xlcoop.inputs import PLAN_YEARS
from xlcoop.norms import TABLE_BY_NAME, VEX_CATEGORIES

YEARS = 30
SEGMENTS = ("sociaal", "midden", "vrij")
SEGMENT_TABLES = {s: f"tabel_huurstijging_{s}" for s in SEGMENTS}
COST_ROWS = (*VEX_CATEGORIES, "niet_gespecificeerd")
BISECTION_STEPS = YEARS  # one bisection step per timeline column


def pmt(rate: float, periods: float, principal: float) -> float:
    """The level payment (positive) that repays ``principal`` in ``periods`` at ``rate``."""
    if rate == 0:
        return principal / periods
    return principal * rate / (1 - (1 + rate) ** -periods)


def _clamped(table: Any, year: int) -> float:
    """A yearly table's value, the first row for years before it (the workbook's MAX/MIN)."""
    first = min(int(row.key) for row in table.rows)
    return table.lookup(max(year, first))


def _div(a: float, b: float) -> float:
    return 0.0 if b == 0 else a / b


# A year that does not count towards a conditional minimum holds this value in its helper row:
# Excel 2010 has no MINIFS, so the workbook takes MIN over a row of IF(cond, value, 1E+300).
NOT_COUNTED = 1e300


def _min_where(p: dict[str, Any], helper: str, values: list[float], keep: list[bool]) -> float:
    """The minimum where the condition holds, 0 where it never does; the helper row (named
    ``hr_<minimum>`` in the workbook) is kept in ``p`` as the workbook shows it."""
    p[helper] = [v if k else NOT_COUNTED for v, k in zip(values, keep, strict=True)]
    chosen = [v for v, k in zip(values, keep, strict=True) if k]
    return min(chosen) if chosen else 0.0


def loan_schedule(amount: float, rates: list[float], form: str, amortisation_pct: float,
                  ) -> dict[str, list[float]]:
    """The bank loan year by year: linear 2% of the original principal, or an annuity over the
    amortisation term (1 / amortisation_pct years), recomputed at each rate change."""
    term = _div(1, amortisation_pct)
    begin, interest, repay = [], [], []
    balance = amount
    for year, rate in enumerate(rates, start=1):
        begin.append(balance)
        interest.append(balance * rate)
        if form == "annuitair":
            a = 0.0 if balance <= 0 or term == 0 else \
                pmt(rate, max(1, term - year + 1), balance) - interest[-1]
        else:
            a = min(balance, amount * amortisation_pct)
        repay.append(a)
        balance -= a
    end = [b - a for b, a in zip(begin, repay, strict=True)]
    return {"begin": begin, "interest": interest, "repay": repay, "end": end,
            "service": [i + a for i, a in zip(interest, repay, strict=True)]}


def tranche_schedule(amount: float, rate: float, term: int, form: str) -> dict[str, list[float]]:
    interest, repay, end = [], [], []
    balance = amount
    for year in range(1, YEARS + 1):
        interest.append(balance * rate)
        if year > term or term == 0:
            a = 0.0
        elif year == term:  # the last year repays what is left, exactly (no float residue)
            a = balance
        elif form == "aflossingsvrij":
            a = 0.0
        elif form == "annuitair":
            a = pmt(rate, term - year + 1, balance) - interest[-1]
        else:
            a = min(balance, amount / term)
        repay.append(a)
        balance -= a
        end.append(balance)
    return {"interest": interest, "repay": repay, "end": end,
            "service": [i + a for i, a in zip(interest, repay, strict=True)]}


def _cash(start: float, ncf: list[float], service: list[float], service2: list[float],
          ) -> list[float]:
    out, cash = [], start
    for n, s, s2 in zip(ncf, service, service2, strict=True):
        cash = cash + n - s - s2
        out.append(cash)
    return out


def _ratio(num: list[float], den: list[float]) -> list[float]:
    return [_div(a, b) for a, b in zip(num, den, strict=True)]


def project(i: dict[str, Any], n: dict[str, float], r: dict[str, Any]) -> dict[str, Any]:
    """Every yearly series and aggregate, keyed by the workbook's defined names."""
    p: dict[str, Any] = {}
    years = list(range(1, YEARS + 1))
    p["jr_kalenderjaar"] = [i["peiljaar"] + t - 1 for t in years]
    last_rise = r["huurstijging_laatste_jaar"]
    for s in SEGMENTS:
        table = TABLE_BY_NAME[SEGMENT_TABLES[s]]
        last = max(int(row.key) for row in table.rows)
        p[f"jr_max_huurstijging_{s}"] = [table.lookup(y) if y <= last
                                         else r[f"huurstijging_aanname_{s}"]
                                         for y in p["jr_kalenderjaar"]]
    p["jr_huurstijging_grondslag"] = ["wet" if y <= last_rise else "aanname"
                                      for y in p["jr_kalenderjaar"]]
    p["jr_max_huurstijging"] = list(p[f"jr_max_huurstijging_{i['huursegment']}"])
    p["jr_huurstijging"] = [0.0 if t == 1 else min(i["huurindexatie"], cap)
                            for t, cap in zip(years, p["jr_max_huurstijging"], strict=True)]
    wws = TABLE_BY_NAME["tabel_middenhuur_grens"]
    index, base = [], _clamped(wws, i["peiljaar"])
    for t, y in zip(years, p["jr_kalenderjaar"], strict=True):
        if t == 1:
            index.append(1.0)
        elif y <= r["wws_tabel_laatste_jaar"]:
            index.append(_clamped(wws, y) / base)
        else:
            index.append(index[-1] * (1 + i["inflatie_aanname"]))
    p["jr_wws_index"] = index
    incomes = [0.0] * YEARS
    for k in range(len(r["huur_max_wws"])):
        caps = p[f"jr_max_huurstijging_{r['woning_segment'][k]}"]
        maximum = r["huur_max_wws"][k]
        rent_k, path = r["huur_tabel_huur"][k], []
        p[f"jr_huur_woning{k + 1}@start"] = rent_k
        for t in years:
            rent_k = rent_k * (1 + (0.0 if t == 1 else min(i["huurindexatie"], caps[t - 1])))
            if maximum > 0:
                rent_k = min(rent_k, maximum * index[t - 1])
            path.append(rent_k)
        p[f"jr_huur_woning{k + 1}"] = path
    count = r["huur_tabel_aantal"]
    for t in range(YEARS):
        incomes[t] = 12 * sum(c * p[f"jr_huur_woning{k + 1}"][t] for k, c in enumerate(count))
    rent = incomes
    p["jr_huuropbrengst"] = rent
    p["jr_huurderving"] = [h * i["huurderving"] for h in rent]
    cost_index = [0.0] + [i["kostenindexatie"]] * (YEARS - 1)
    p["jr_overige_baten"] = _grow(i["overige_baten"], cost_index)
    p["jr_baten"] = [h - d + o for h, d, o in zip(rent, p["jr_huurderving"],
                                                   p["jr_overige_baten"], strict=True)]
    for key in COST_ROWS:
        first = r["lasten_niet_gespecificeerd"] if key == "niet_gespecificeerd" \
            else i[f"lasten_{key}"]
        p[f"jr_lasten_{key}"] = _grow(first, cost_index)
    p["jr_exploitatielasten"] = [sum(p[f"jr_lasten_{k}"][t] for k in COST_ROWS)
                                 for t in range(YEARS)]
    p["jr_groot_onderhoud"] = [_maintenance(i, n, r, t) for t in years]
    p["jr_netto_cashflow"] = [b - x - m for b, x, m in zip(
        p["jr_baten"], p["jr_exploitatielasten"], p["jr_groot_onderhoud"], strict=True)]

    # The bank loan: fixed rate for the term, the stress rate after each refinancing.
    term = n["looptijd_jaren"]
    stress = r["herfinancieringsrente_gebruikt"]
    p["jr_rente_pct"] = [i["rente"] if t <= term else stress for t in years]
    loan = loan_schedule(r["lening"], p["jr_rente_pct"], i["aflossingsvorm"], n["aflossing_pct"])
    p["jr_saldo_begin"], p["jr_rente"] = loan["begin"], loan["interest"]
    p["jr_aflossing"], p["jr_schuldendienst"] = loan["repay"], loan["service"]
    p["jr_saldo"], p["jr_saldo@start"] = loan["end"], r["lening"]
    sub = tranche_schedule(i["achtergestelde_lening"], i["achtergesteld_rente"],
                           i["achtergesteld_looptijd"], i["achtergesteld_vorm"])
    p["jr_rente2"], p["jr_aflossing2"] = sub["interest"], sub["repay"]
    p["jr_schuldendienst2"] = sub["service"]
    p["jr_saldo2"], p["jr_saldo2@start"] = sub["end"], i["achtergestelde_lening"]
    # Further tranches, each with its own rate, term and repayment: the fund loan (rank 2) and
    # the members' loans (rank 4); both are zero for a takeover.
    for k, amount, rate, term, form in (
            ("3", r["fondslening"], n["fonds_rente"], n["fonds_looptijd"], i["fonds_vorm"]),
            ("4", r["bron_ledenlening"], i["ledenlening_rente"], i["ledenlening_looptijd"],
             i["ledenlening_vorm"])):
        t = tranche_schedule(amount, rate, term, form)
        p[f"jr_rente{k}"], p[f"jr_aflossing{k}"] = t["interest"], t["repay"]
        p[f"jr_schuldendienst{k}"] = t["service"]
        p[f"jr_saldo{k}"], p[f"jr_saldo{k}@start"] = t["end"], amount
    p["jr_schuldendienst_achtergesteld"] = [a + b + c for a, b, c in zip(
        p["jr_schuldendienst2"], p["jr_schuldendienst3"], p["jr_schuldendienst4"], strict=True)]
    p["jr_saldo_achtergesteld"] = [a + b + c for a, b, c in zip(
        p["jr_saldo2"], p["jr_saldo3"], p["jr_saldo4"], strict=True)]
    p["jr_saldo_achtergesteld@start"] = (p["jr_saldo2@start"] + p["jr_saldo3@start"]
                                         + p["jr_saldo4@start"])

    # Ratios per year and their weakest year.
    ncf, service = p["jr_netto_cashflow"], p["jr_schuldendienst"]
    p["jr_dscr"] = _ratio(ncf, service)
    p["jr_dscr_bruto"] = _ratio(p["jr_baten"], service)
    p["jr_icr"] = _ratio(ncf, p["jr_rente"])
    p["jr_icr_bruto"] = _ratio(p["jr_baten"], p["jr_rente"])
    p["jr_dscr_norm"] = [n["dscr_min_netto"]] * YEARS
    p["jr_waarde@start"] = r["ltv_waarde"]
    p["jr_waarde"] = [r["ltv_waarde"] * (1 + i["waardeontwikkeling"]) ** t for t in years]
    p["jr_ltv@start"] = _div(r["lening"], r["ltv_waarde"])
    p["jr_ltv"] = _ratio(p["jr_saldo"], p["jr_waarde"])
    p["jr_kas@start"] = r["buffer"]
    p["jr_kas"] = _cash(r["buffer"], ncf, service, p["jr_schuldendienst_achtergesteld"])
    has_debt = [s > 0 for s in service]
    has_interest = [x > 0 for x in p["jr_rente"]]
    p["dscr_min"] = _min_where(p, "hr_dscr_min", p["jr_dscr"], has_debt)
    p["dscr_bruto_min"] = _min_where(p, "hr_dscr_bruto_min", p["jr_dscr_bruto"],
                                     has_debt)
    p["icr_min"] = _min_where(p, "hr_icr_min", p["jr_icr"], has_interest)
    p["icr_bruto_min"] = _min_where(p, "hr_icr_bruto_min", p["jr_icr_bruto"],
                                    has_interest)
    # The first year within a tiny margin of the minimum: two years whose DSCRs differ only in
    # the last bit must not make the engines name different years.
    weakest = [s > 0 and v <= p["dscr_min"] + n["rekenmarge"]
               for v, s in zip(p["jr_dscr"], service, strict=True)]
    p["dscr_zwakste_jaar"] = _min_where(p, "hr_dscr_zwakste_jaar", [float(t) for t in years],
                                        weakest)
    p["ltv_piek"] = max([p["jr_ltv@start"], *p["jr_ltv"]])
    p["kas_min"] = min([p["jr_kas@start"], *p["jr_kas"]])
    for name in ("jr_huuropbrengst", "jr_huurderving", "jr_overige_baten", "jr_baten",
                 "jr_exploitatielasten", "jr_groot_onderhoud", "jr_netto_cashflow", "jr_rente",
                 "jr_aflossing", "jr_schuldendienst", "jr_rente2", "jr_aflossing2",
                 "jr_schuldendienst2", "jr_rente3", "jr_aflossing3", "jr_schuldendienst3",
                 "jr_rente4", "jr_aflossing4", "jr_schuldendienst4",
                 "jr_schuldendienst_achtergesteld", *(f"jr_lasten_{k}" for k in COST_ROWS)):
        p[name + "_totaal"] = sum(p[name])
    _break_evens(p, i, n, r)
    _sensitivities(p, i, n, r)
    return p


def _grow(first: float, rates: list[float]) -> list[float]:
    out, value = [], first
    for t, rate in enumerate(rates):
        value = first if t == 0 else value * (1 + rate)
        out.append(value)
    return out


def _maintenance(i: dict[str, Any], n: dict[str, float], r: dict[str, Any], t: int) -> float:
    growth = (1 + i["kostenindexatie"]) ** (t - 1)
    if i["onderhoud_methode"] != "plan":
        return i["reservering_groot_onderhoud"] * growth
    plan_years = n["onderhoudsplan_jaren"]
    if t <= plan_years:
        plan = list(i["onderhoudsplan"]) + [0.0] * PLAN_YEARS
        return plan[int(min(t, plan_years)) - 1] or 0.0
    return n["vex_groot_onderhoud"] * r["aantal_woningen"] * growth


def _break_evens(p: dict[str, Any], i: dict[str, Any], n: dict[str, float],
                 r: dict[str, Any]) -> None:
    """The highest refinancing rate and huurderving at which the weakest DSCR is still 1.0."""
    years = range(1, YEARS + 1)
    service, rent = p["jr_schuldendienst"], p["jr_huuropbrengst"]
    p["jr_be_huurderving"] = [
        0.0 if s == 0 or h == 0 else 1 - (s + x + m - o) / h
        for s, h, x, m, o in zip(service, rent, p["jr_exploitatielasten"],
                                 p["jr_groot_onderhoud"], p["jr_overige_baten"], strict=True)]
    p["breakeven_huurderving"] = _min_where(p, "hr_breakeven_huurderving",
                                            p["jr_be_huurderving"],
                                            [s > 0 and h > 0 for s, h in zip(service, rent,
                                                                             strict=True)])
    term = n["looptijd_jaren"]
    after = [t > term for t in years]
    # Linear: amortisation does not depend on the rate, so DSCR >= 1 is linear in the rate.
    p["jr_be_rente_lineair"] = [0.0 if b <= 0 else (c - a) / b for b, c, a in zip(
        p["jr_saldo_begin"], p["jr_netto_cashflow"], p["jr_aflossing"], strict=True)]
    linear = _min_where(p, "hr_breakeven_rente_lineair", p["jr_be_rente_lineair"],
                        [a and b > 0 for a, b in zip(after, p["jr_saldo_begin"], strict=True)])
    # Annuity: after refinancing the payment is level, PMT(rate, remaining, balance); find the
    # rate at which it equals the weakest cash flow by bisection on [0, 1], one step a column.
    p["be_cashflow_na_herfinanciering"] = _min_where(
        p, "hr_be_cashflow_na_herfinanciering", p["jr_netto_cashflow"], after)
    p["restschuld_einde_looptijd"] = p["jr_saldo"][int(term) - 1] if 1 <= term <= YEARS \
        else 0.0
    p["be_resterende_termijn"] = max(1.0, _div(1, n["aflossing_pct"]) - term)
    lo, hi = 0.0, 1.0
    p["jr_be_lo@start"], p["jr_be_hi@start"] = lo, hi
    mids, los, his = [], [], []
    for _ in years:
        mid = (lo + hi) / 2
        ok = pmt(mid, p["be_resterende_termijn"], p["restschuld_einde_looptijd"]) \
            <= p["be_cashflow_na_herfinanciering"]
        lo, hi = (mid, hi) if ok else (lo, mid)
        mids.append(mid)
        los.append(lo)
        his.append(hi)
    p["jr_be_mid"], p["jr_be_lo"], p["jr_be_hi"] = mids, los, his
    p["breakeven_rente_herfinanciering"] = max(los) if i["aflossingsvorm"] == "annuitair" \
        else linear


def _sensitivities(p: dict[str, Any], i: dict[str, Any], n: dict[str, float],
                   r: dict[str, Any]) -> None:
    """Parallel blocks: each variant recomputes only the series its shift touches."""
    years = range(1, YEARS + 1)
    ncf, service2 = p["jr_netto_cashflow"], p["jr_schuldendienst_achtergesteld"]
    term = n["looptijd_jaren"]
    for k in (1, 2):
        g = f"g_rente{k}"
        rates = [i["rente"] if t <= term else r["herfinancieringsrente_gebruikt"]
                 + n[f"gevoeligheid_rente_{k}"] for t in years]
        loan = loan_schedule(r["lening"], rates, i["aflossingsvorm"], n["aflossing_pct"])
        p[f"{g}_rente_pct"], p[f"{g}_rente"] = rates, loan["interest"]
        p[f"{g}_aflossing"], p[f"{g}_schuldendienst"] = loan["repay"], loan["service"]
        p[f"{g}_saldo"], p[f"{g}_saldo@start"] = loan["end"], r["lening"]
        p[f"{g}_dscr"] = _ratio(ncf, loan["service"])
        p[f"{g}_kas"], p[f"{g}_kas@start"] = _cash(r["buffer"], ncf, loan["service"],
                                                   service2), r["buffer"]
        p[f"{g}_ltv"] = _ratio(loan["end"], p["jr_waarde"])
        p[f"{g}_ltv@start"] = p["jr_ltv@start"]
        _summary(p, g, p[f"{g}_dscr"], loan["service"], p[f"{g}_kas"], p[f"{g}_ltv"])
    for k in (1, 2):
        g = f"g_derving{k}"
        shift = n[f"gevoeligheid_derving_{k}"]
        p[f"{g}_ncf"] = [c - h * shift for c, h in zip(ncf, p["jr_huuropbrengst"], strict=True)]
        _cash_block(p, g, p[f"{g}_ncf"], r["buffer"])
    g = "g_onderhoud"
    p[f"{g}_ncf"] = [c - m * n["gevoeligheid_onderhoud"]
                     for c, m in zip(ncf, p["jr_groot_onderhoud"], strict=True)]
    _cash_block(p, g, p[f"{g}_ncf"], r["buffer"])
    g = "g_huur"
    rises = [0.0 if t == 1 else max(0.0, min(i["huurindexatie"] - n["gevoeligheid_huurstijging"],
                                             cap))
             for t, cap in zip(years, p["jr_max_huurstijging"], strict=True)]
    lowered: list[float] = []  # never above the base path (which the WWS maxima cap)
    for t, (base_rent, rise) in enumerate(zip(p["jr_huuropbrengst"], rises, strict=True)):
        grown = r["huuropbrengst"] if t == 0 else lowered[-1] * (1 + rise)
        lowered.append(min(base_rent, grown))
    p[f"{g}_huuropbrengst"] = lowered
    p[f"{g}_ncf"] = [c - (h - v) * (1 - i["huurderving"]) for c, h, v in zip(
        ncf, p["jr_huuropbrengst"], p[f"{g}_huuropbrengst"], strict=True)]
    _cash_block(p, g, p[f"{g}_ncf"], r["buffer"])
    for k in (1, 2):
        g = f"g_waarde{k}"
        factor = 1 - n[f"gevoeligheid_waarde_{k}"]
        p[f"{g}_ltv@start"] = _div(r["lening"], r["ltv_waarde"] * factor)
        p[f"{g}_ltv"] = [_div(s, w * factor) for s, w in zip(p["jr_saldo"], p["jr_waarde"],
                                                             strict=True)]
        p[f"{g}_dscr_min"], p[f"{g}_kas_min"] = p["dscr_min"], p["kas_min"]
        p[f"{g}_ltv_piek"] = max([p[f"{g}_ltv@start"], *p[f"{g}_ltv"]])
    p["g_basis_dscr_min"], p["g_basis_kas_min"] = p["dscr_min"], p["kas_min"]
    p["g_basis_ltv_piek"] = p["ltv_piek"]


def _cash_block(p: dict[str, Any], g: str, ncf: list[float], buffer: float) -> None:
    service = p["jr_schuldendienst"]
    p[f"{g}_dscr"] = _ratio(ncf, service)
    p[f"{g}_kas"] = _cash(buffer, ncf, service, p["jr_schuldendienst_achtergesteld"])
    p[f"{g}_kas@start"] = buffer
    p[f"{g}_dscr_min"] = _min_where(p, f"hr_{g}_dscr_min", p[f"{g}_dscr"],
                                   [s > 0 for s in service])
    p[f"{g}_kas_min"] = min([buffer, *p[f"{g}_kas"]])
    p[f"{g}_ltv_piek"] = p["ltv_piek"]


def _summary(p: dict[str, Any], g: str, dscr: list[float], service: list[float],
             cash: list[float], ltv: list[float]) -> None:
    p[f"{g}_dscr_min"] = _min_where(p, f"hr_{g}_dscr_min", dscr, [s > 0 for s in service])
    p[f"{g}_kas_min"] = min([p[f"{g}_kas@start"], *cash])
    p[f"{g}_ltv_piek"] = max([p[f"{g}_ltv@start"], *ltv])
