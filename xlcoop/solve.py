"""Solvers on the reference model: the questions a treasurer and a bank ask of a business case.

- ``max-price``: the highest purchase price the bank finances;
- ``min-rent``: the lowest average monthly rent that carries the loan at a given price (the
  guide's "without the discount the rent would have to rise to at least €900");
- ``gap``: the own equity (or subordinated fund tranche) still needed to close a given price;
- ``max-rate``: the highest (refinancing) rate at which the weakest-year DSCR meets the norm;
- ``max-huurderving``: the highest rent loss at which the weakest-year DSCR meets the norm.

Pure Python (runs inside Excel through xlwings Lite). Each solver varies one input of the model
and finds where a set of constraints stops holding. A constraint compares two of the model's own
figures (the loan against the cash-flow limit, ...), so nothing is recomputed here. The model is
piecewise linear in every input varied, and each constraint is concave in it, so a secant search
that starts from the model's own closed forms where it has them lands on the boundary in a few
model evaluations; the answer is exact to a cent (a millionth of a percent for rates).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from xlcoop.checks import REFINANCING_RATE, WEAKEST_DSCR, fmt, label_of
from xlcoop.inputs import INPUT_BY_NAME
from xlcoop.objections import OBJECTION_BY_NAME, OBJECTION_NAMES
from xlcoop.scenario import Scenario, ScenarioError
from xlcoop.verdicts import CHECK_NAMES

Results = dict[str, Any]
Compute = Callable[[Scenario], Results]
OK, INFEASIBLE, UNBOUNDED, NO_DEBT = "ok", "infeasible", "unbounded", "no_debt"
NOT_CONVERGED = "not_converged"
SLACK_EPS = 1e-6  # euros: a slack this small is the boundary itself
MAX_EVALUATIONS = 120


@dataclass(frozen=True)
class Constraint:
    """One thing the solution must satisfy: ``slack(results) >= 0`` (in euros)."""

    key: str
    label_nl: str
    label_en: str
    figure: str  # the defined name held against the limit
    limit: str  # the defined name of the limit ("" for zero)
    check: str  # the workbook check that shows it
    slack: Callable[[Mapping[str, Any]], float]

    def label(self, lang: str = "nl") -> str:
        return self.label_en if lang == "en" else self.label_nl

    def applies(self, r: Mapping[str, Any]) -> bool:
        return self.figure in r and (not self.limit or self.limit in r)


def _dscr_slack(r: Mapping[str, Any]) -> float:
    """min over the years with debt of (net cash flow − norm × debt service): ≥ 0 exactly when
    the weakest-year DSCR meets the norm; year 1 only until the model has a projection."""
    norm = r["dscr_min_netto"]
    ncf, service = r.get("jr_netto_cashflow"), r.get("jr_schuldendienst")
    if isinstance(ncf, list) and isinstance(service, list):
        gaps = [c - norm * s for c, s in zip(ncf, service, strict=True) if s > 0]
        return min(gaps) if gaps else math.inf
    if r["schuldendienst_jaar1"] <= 0:
        return math.inf
    return r["netto_cashflow"] - norm * r["schuldendienst_jaar1"]


def _dscr_after_refinancing(r: Mapping[str, Any]) -> float:
    """The DSCR slack over the refinanced years only (after the first loan term)."""
    term = r.get("looptijd_jaren") or 0
    ncf, service, norm = r["jr_netto_cashflow"], r["jr_schuldendienst"], r["dscr_min_netto"]
    gaps = [c - norm * s for t, (c, s) in enumerate(zip(ncf, service, strict=True), start=1)
            if t > term and s > 0]
    return min(gaps) if gaps else math.inf


KASSTROOM = Constraint("kasstroom", "lening ≤ maximale lening op kasstroom",
                       "loan ≤ maximum loan by cash flow", "lening", "max_lening_cashflow",
                       "controle_lening_binnen_max",
                       lambda r: r["max_lening_cashflow"] - r["lening"])
LTV = Constraint("LTV", "lening ≤ maximale LTV × waarde", "loan ≤ maximum LTV × value",
                 "lening", "max_lening_ltv", "controle_ltv",
                 lambda r: r["max_lening_ltv"] - r["lening"])
KAS = Constraint("kas", "kas nooit negatief (met buffer)", "cash never negative (with buffer)",
                 "kas_min", "", "controle_kas_min", lambda r: r["kas_min"])
DSCR = Constraint("DSCR", "DSCR (zwakste jaar) ≥ norm", "DSCR (weakest year) ≥ norm",
                  "dscr_jaar1", "dscr_min_netto", "controle_dscr", _dscr_slack)
DSCR_REFINANCED = Constraint("DSCR na herfinanciering", "DSCR na herfinanciering ≥ norm",
                             "DSCR after refinancing ≥ norm", "jr_dscr", "dscr_min_netto",
                             "controle_dscr", _dscr_after_refinancing)
LENDING = (KASSTROOM, LTV, KAS)  # what the bank lends against; KAS once the projection exists


def _yearly_slack(num: str, den: str, norm: str) -> Callable[[Mapping[str, Any]], float]:
    """min over the years with a positive denominator of (numerator − norm × denominator)."""
    def slack(r: Mapping[str, Any]) -> float:
        gaps = [a - r[norm] * b for a, b in zip(r[num], r[den], strict=True) if b > 0]
        return min(gaps) if gaps else math.inf
    return slack


def _refinancing_ltv_slack(r: Mapping[str, Any]) -> float:
    """min over the refinancing dates of (LTV norm × value − bank balance)."""
    term, limit = r["looptijd_jaren"], r["ltv_max"] + r["rekenmarge"]
    gaps = [limit * w - s for t, (w, s) in enumerate(zip(r["jr_waarde_bank"], r["jr_saldo"],
                                                           strict=True), start=1)
            if t % term == 0]
    return min(gaps) if gaps else math.inf


def _objection(key: str, objection: str, slack: Callable[[Mapping[str, Any]], float],
               ) -> Constraint:
    o = OBJECTION_BY_NAME[objection]
    return Constraint(key, "geen bezwaar: " + o.label_nl.lower(), "no objection: "
                      + o.label_en.lower(), o.value_ref, o.norm_ref, objection, slack)


# The objections a higher price can raise, each as a slack in euros (the others do not move
# with the price: they are reported at the solution).
BANKABLE = (
    _objection("DSCR", "bezwaar_dscr", _yearly_slack("jr_netto_cashflow", "jr_schuldendienst",
                                                     "dscr_min_netto")),
    _objection("DSCR bruto", "bezwaar_dscr_bruto",
               _yearly_slack("jr_baten", "jr_schuldendienst", "dscr_min_bruto")),
    _objection("ICR", "bezwaar_icr", _yearly_slack("jr_netto_cashflow", "jr_rente",
                                                   "icr_min_netto")),
    _objection("ICR bruto", "bezwaar_icr_bruto", _yearly_slack("jr_baten", "jr_rente",
                                                               "icr_min_bruto")),
    _objection("DSCR totaal", "bezwaar_dscr_totaal",
               _yearly_slack("jr_netto_cashflow", "jr_schuldendienst_alle", "dscr_min_totaal")),
    _objection("LTV aanvang", "bezwaar_ltv_start",
               lambda r: (r["ltv_max"] + r["rekenmarge"]) * r["bankwaarde"] - r["lening"]),
    _objection("LTV herfinanciering", "bezwaar_ltv_herfinanciering", _refinancing_ltv_slack),
    _objection("kas", "bezwaar_kas", lambda r: r["kas_min"] + 0.5),
)


@dataclass(frozen=True)
class Target:
    key: str  # the command-line name
    slug: str  # suffix of the add-in's result cells (oplossing_<slug>)
    label_nl: str
    label_en: str
    unit: str

    def label(self, lang: str = "nl") -> str:
        return self.label_en if lang == "en" else self.label_nl


TARGETS: dict[str, Target] = {t.key: t for t in (
    Target("max-price", "max_aankoopprijs", "Maximale aankoopprijs", "Maximum purchase price",
           "eur"),
    Target("max-price-bankable", "max_aankoopprijs_financierbaar",
           "Maximale aankoopprijs waarbij financierbaar", "Maximum price at which bankable",
           "eur"),
    Target("min-rent", "min_huur", "Minimale gemiddelde huur per woning per maand",
           "Minimum average rent per dwelling per month", "eur_maand"),
    Target("gap", "tekort", "Benodigde extra eigen inbreng of fondstranche",
           "Extra own equity or fund tranche needed", "eur"),
    Target("max-rate", "max_rente", "Hoogste (herfinancierings)rente bij DSCR-norm",
           "Highest (refinancing) rate at the DSCR norm", "pct"),
    Target("max-huurderving", "max_huurderving", "Hoogste huurderving bij DSCR-norm",
           "Highest rent loss at the DSCR norm", "pct"),
)}
STATUS_TEXT = {OK: ("opgelost", "solved"), INFEASIBLE: ("geen oplossing", "no solution"),
               UNBOUNDED: ("grens niet bereikt", "limit not reached"),
               NO_DEBT: ("geen banklening", "no bank loan"),
               NOT_CONVERGED: ("niet gevonden binnen de rekenlimiet", "not found within the limit")}
FIGURES = ("verkoopprijs", "lening", "max_lening_cashflow", "max_lening_ltv", "max_lening",
           "bindende_grens", "netto_cashflow", "huur_gemiddeld", "buffer", "eigen_inbreng",
           "ltv_start", "dscr_jaar1", "dscr_min", "dscr_zwakste_jaar", "icr_min", "ltv_piek",
           "kas_min", "maatschappelijk_kapitaal", "maatschappelijk_kapitaal_pct",
           "minimale_verkoopprijs", "huur_zonder_korting", "huur_zonder_korting_volledig",
           "controles_ok")


@dataclass
class Solution:
    target: Target
    status: str
    value: float | None  # exact (the feasible side of the boundary)
    varied: str  # defined name of the input the solver moved
    binding: Constraint | None = None
    price: float | None = None  # the price the case was held at (None for max-price)
    inputs: dict[str, Any] = field(default_factory=dict)  # inputs at the solution, by name
    scenario: Scenario | None = None  # the scenario at the solution
    results: Results | None = None  # the model's figures at the solution
    slacks: dict[str, float] = field(default_factory=dict)  # constraint key -> slack (€)
    evaluations: int = 0  # model evaluations used
    notes: list[tuple[str, str]] = field(default_factory=list)  # (nl, en)

    @property
    def ok(self) -> bool:
        return self.status in (OK, UNBOUNDED) and self.value is not None

    def rounded(self) -> float | None:
        """The value rounded to what a person writes down, on the safe side (down for a
        maximum, up for a minimum): whole euros, cents for a monthly rent, 0.01% for a rate."""
        if self.value is None:
            return None
        step = {"eur": 1.0, "eur_maand": 0.01, "pct": 0.0001}[self.target.unit]
        up = self.target.key in ("min-rent", "gap")
        scaled = self.value / step
        scaled = math.ceil(scaled - 1e-9) if up else math.floor(scaled + 1e-9)
        return round(scaled * step, 6)

    def binding_label(self, lang: str = "nl") -> str:
        if self.binding is None:
            return STATUS_TEXT[self.status][lang == "en"] if self.status != OK else ""
        return f"{self.binding.key}: {self.binding.label(lang)}"

    def reason(self, lang: str = "nl") -> str:
        """Why there is no solution (the first note), or ''."""
        if self.ok or not self.notes:
            return ""
        nl, en = self.notes[0]
        return en if lang == "en" else nl

    def figures(self) -> dict[str, Any]:
        r = self.results or {}
        return {name: r[name] for name in FIGURES if name in r}

    def failing_checks(self) -> list[str]:
        r = self.results or {}
        return [name for name in CHECK_NAMES if r.get(name) is False]

    def summary(self, lang: str = "nl") -> str:
        head = self.target.label(lang)
        if not self.ok:
            text = f"{head}: {STATUS_TEXT[self.status][lang == 'en']}"
            reason = self.reason(lang)
            return text + (f" ({reason})" if reason else "")
        # one rounding rule: the headline shows the safe-side rounded value (see rounded())
        text = f"{head}: {fmt(self.rounded(), self.target.unit, lang)}"
        if self.binding is not None:
            text += (" (bindend: " if lang == "nl" else " (binding: ") + self.binding.key + ")"
        if self.price is not None:
            text += (" bij prijs " if lang == "nl" else " at price ") + fmt(self.price, "eur",
                                                                             lang)
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target.key, "status": self.status, "value": self.value,
            "rounded": self.rounded(), "unit": self.target.unit, "varied": self.varied,
            "binding": self.binding.key if self.binding else None,
            "binding_label_nl": self.binding_label("nl"),
            "binding_label_en": self.binding_label("en"),
            "price": self.price, "inputs": self.inputs,
            "slacks": {k: (v if math.isfinite(v) else None) for k, v in self.slacks.items()},
            "figures": self.figures(), "checks_failing": self.failing_checks(),
            "evaluations": self.evaluations,
            "notes_nl": [n for n, _ in self.notes], "notes_en": [e for _, e in self.notes],
            "summary_nl": self.summary("nl"), "summary_en": self.summary("en"),
            "reason_nl": self.reason("nl"), "reason_en": self.reason("en"),
        }


# ---------------------------------------------------------------------------------------------
# The one-dimensional search.
class _NoConvergence(Exception):
    """More model evaluations than a solve may take (never seen; reported, not raised)."""


class _Problem:
    """Where ``min(slack) >= 0`` stops holding as one input moves (g non-increasing in x)."""

    def __init__(self, compute: Compute, build: Callable[[float], Scenario],
                 constraints: tuple[Constraint, ...], sign: int) -> None:
        self.compute, self.build, self.constraints = compute, build, constraints
        self.sign = sign  # +1: largest feasible x; -1: smallest (searched as -x)
        self.points: dict[float, tuple[float, Results]] = {}
        self.evaluations = 0

    def slacks(self, r: Mapping[str, Any]) -> dict[str, float]:
        return {c.key: c.slack(r) for c in self.constraints}

    def add(self, x: float, r: Results) -> float:
        g = min(self.slacks(r).values())
        self.points[self.sign * x] = (g, r)
        return g

    def g(self, u: float) -> float:
        if u not in self.points:
            if self.evaluations >= MAX_EVALUATIONS:
                raise _NoConvergence
            self.evaluations += 1
            self.add(self.sign * u, self.compute(self.build(self.sign * u)))
        return self.points[u][0]

    def search(self, lo: float, hi: float, guess: float | None, scale: float,
               tol: float) -> tuple[str, float | None]:
        """In u = sign·x: the largest feasible u in [lo, hi] (bounds already in u)."""
        if guess is not None and lo <= guess <= hi:
            self.g(guess)
        if not self.points:
            self.g(min(max(0.0, lo), hi))
        step, widths = scale * 1e-3, [math.inf]
        while True:
            feasible = sorted(u for u, (g, _) in self.points.items() if g >= 0)
            infeasible = sorted(u for u, (g, _) in self.points.items() if g < 0)
            a = feasible[-1] if feasible else None
            b = next((u for u in infeasible if a is None or u > a), None)
            if a is not None:
                ga = self.points[a][0]
                if ga <= SLACK_EPS:
                    # On the boundary. g is concave, so a point further in with a larger g
                    # proves that g falls below zero just past a.
                    if any(self.points[c][0] > ga for c in feasible[:-1]):
                        return OK, a
                    probe = a - max(tol, abs(a) * 1e-9)
                    if b is None and probe >= lo and probe not in self.points:
                        self.g(probe)  # one look inward (g flat there: search outward)
                        continue
                if b is not None and b - a <= tol:
                    return OK, a
                if b is None and a >= hi:
                    return UNBOUNDED, a
                if b is not None:
                    widths.append(b - a)
            elif b is not None and b <= lo:
                return INFEASIBLE, None
            self.g(self._next(a, b, feasible, infeasible, lo, hi, step, tol, widths))
            step *= 8

    def _next(self, a: float | None, b: float | None, feasible: list[float],
              infeasible: list[float], lo: float, hi: float, step: float, tol: float,
              widths: list[float]) -> float:
        if a is not None and b is not None:
            # Bracketed: regula falsi (exact on a linear piece); bisect when it stalls.
            if len(widths) > 2 and widths[-1] > 0.5 * widths[-3]:
                return (a + b) / 2
            ga, gb = self.points[a][0], self.points[b][0]
            beyond = [u for u in infeasible if u > b]
            if ga <= SLACK_EPS and beyond:
                # g flat at zero on the feasible side (no loan left to limit): the line through
                # the infeasible side finds where it reaches zero.
                slope = (self.points[beyond[0]][0] - gb) / (beyond[0] - b)
                if slope < 0 and a < b - gb / slope - tol / 2 < b:
                    return b - gb / slope - tol / 2
            u = a + ga * (b - a) / (ga - gb)
            near = min(tol / 2, (b - a) / 2)
            return min(max(u, a + near), b - near)
        if a is not None:  # only feasible points: extrapolate towards the boundary
            if len(feasible) > 1:
                c = feasible[-2]
                slope = (self.points[a][0] - self.points[c][0]) / (a - c)
                if slope < 0:
                    return min(hi, a - self.points[a][0] / slope)
            return min(hi, a + step)
        assert b is not None  # only infeasible points: extrapolate back, one tol inside
        if len(infeasible) > 1:
            c = infeasible[1]
            slope = (self.points[c][0] - self.points[b][0]) / (c - b)
            if slope < 0:
                return max(lo, b - self.points[b][0] / slope - tol)
        return max(lo, b - step)


def _solve(compute: Compute, build: Callable[[float], Scenario], constraints: tuple[Constraint,
           ...], maximise: bool, lo: float, hi: float, guess: float | None, scale: float,
           tol: float, known: list[tuple[float, Results]]) -> tuple[str, float | None, _Problem]:
    sign = 1 if maximise else -1
    problem = _Problem(compute, build, constraints, sign)
    for x, r in known:
        problem.add(x, r)
    u_lo, u_hi = (lo, hi) if maximise else (-hi, -lo)
    try:
        status, u = problem.search(u_lo, u_hi, None if guess is None else sign * guess, scale,
                                   tol)
    except _NoConvergence:
        return NOT_CONVERGED, None, problem
    return status, None if u is None else sign * u, problem


# ---------------------------------------------------------------------------------------------
def _with(scenario: Scenario, **changes: Any) -> Scenario:
    return replace(scenario, inputs={**scenario.inputs, **changes})


def _rents(scenario: Scenario, average: float, base: float) -> list[float]:
    """Every dwelling type's rent, scaled together so the average becomes ``average`` (the
    relative differences between types stay); one rent for all when there is none yet."""
    out = []
    for d in scenario.dwellings:
        rent = d.get("huur_per_maand") or 0.0
        if base > 0:
            out.append(rent * average / base)
        else:
            out.append(average if (d.get("aantal") or 0) > 0 else rent)
    return out


def _with_rents(scenario: Scenario, rents: list[float]) -> Scenario:
    rows = [{**d, "huur_per_maand": h} for d, h in zip(scenario.dwellings, rents, strict=True)]
    return replace(scenario, dwellings=rows)


def _active(constraints: tuple[Constraint, ...], r: Mapping[str, Any]) -> tuple[Constraint, ...]:
    return tuple(c for c in constraints if c.applies(r))


def _dscr(r: Mapping[str, Any]) -> Constraint:
    figure = WEAKEST_DSCR if WEAKEST_DSCR in r else "dscr_jaar1"
    return replace(DSCR, figure=figure)


class _Counted:
    """The model, counting its evaluations (a solve's cost is its number of model runs)."""

    def __init__(self, compute: Compute) -> None:
        self.compute, self.calls = compute, 0

    def __call__(self, scenario: Scenario) -> Results:
        self.calls += 1
        return self.compute(scenario)


def _default_compute(compute: Compute | None) -> _Counted:
    if compute is None:
        from xlcoop.model import compute
    return _Counted(compute)


def _finish(target: Target, status: str, value: float | None, varied: str, problem: _Problem,
            inputs_at: Callable[[float], dict[str, Any]], price: float | None,
            build: Callable[[float], Scenario]) -> Solution:
    solution = Solution(target, status, value, varied, price=price)
    if value is None:
        solution.evaluations = _calls(problem.compute)
        return solution
    u = problem.sign * value
    if u not in problem.points:
        problem.g(u)
    r = problem.points[u][1]
    solution.results, solution.scenario = r, build(value)
    solution.slacks = problem.slacks(r)
    solution.inputs = inputs_at(value)
    solution.evaluations = _calls(problem.compute)
    if status == OK and problem.constraints:
        solution.binding = min(problem.constraints, key=lambda c: solution.slacks[c.key])
    return solution


def _calls(compute: Compute) -> int:
    return compute.calls if isinstance(compute, _Counted) else 0


def _note(solution: Solution, nl: str, en: str) -> None:
    solution.notes.append((nl, en))


def _price_notes(s: Solution, price: float) -> None:
    r = s.results or {}
    if price < r.get("minimale_verkoopprijs", 0.0) - 0.005:
        _note(s, f"De prijs ligt onder de ondergrens van de corporatie "
              f"({fmt(r['minimale_verkoopprijs'], 'eur')}, 50% van de leegwaarde).",
              f"The price is below the corporation's floor "
              f"({fmt(r['minimale_verkoopprijs'], 'eur', 'en')}, 50% of the vacant value).")
    if price > r.get("marktwaarde_basis", math.inf) + 0.005:
        _note(s, "De prijs ligt boven de marktwaarde; een corporatie verkoopt hoogstens tegen "
              f"de marktwaarde ({fmt(r['marktwaarde_basis'], 'eur')}).",
              "The price is above the market value; a corporation sells at most at market "
              f"value ({fmt(r['marktwaarde_basis'], 'eur', 'en')}).")


def _failing_note(s: Solution) -> None:
    failing = s.failing_checks()
    if failing:
        _note(s, "Bij de oplossing niet in orde: "
              + "; ".join(f"{label_of(n)} ({n})" for n in failing) + ".",
              "Failing at the solution: "
              + "; ".join(f"{label_of(n, 'en')} ({n})" for n in failing) + ".")


# ---------------------------------------------------------------------------------------------
def max_price(scenario: Scenario, compute: Compute | None = None) -> Solution:
    """The highest purchase price at which the loan stays within what the bank lends."""
    compute = _default_compute(compute)
    target, name = TARGETS["max-price"], "verkoopprijs_afgesproken"
    base = compute(scenario)
    constraints = _active(LENDING, base)

    def build(x: float) -> Scenario:
        return _with(scenario, **{name: x})

    # The model's own closed form is the first guess; the search confirms or corrects it.
    guess = base["max_aankoopprijs"] if base["max_aankoopprijs"] > 0 else None
    known = [(base["verkoopprijs"], base)]
    if scenario.inputs.get(name) is not None:
        known = [(float(scenario.inputs[name]), base)]
    status, value, problem = _solve(compute, build, constraints, True, 0.0, math.inf, guess,
                                    max(base["marktwaarde_leeg"], 1e5), 0.01, known)
    s = _finish(target, status, value, name, problem, lambda x: {name: x}, None, build)
    if s.ok and value is not None:
        _price_notes(s, value)
        _failing_note(s)
    elif status == INFEASIBLE:
        _note(s, "Zelfs bij prijs 0 past de lening (buffer, kosten, renovatie) niet binnen wat "
              "de bank leent: zie 'gap' voor de benodigde eigen inbreng.",
              "Even at a price of 0 the loan (buffer, costs, renovation) exceeds what the bank "
              "lends: see 'gap' for the equity needed.")
    return s


def max_price_bankable(scenario: Scenario, compute: Compute | None = None) -> Solution:
    """The highest purchase price at which ``financierbaar`` holds: every objection a price
    moves (DSCR, ICR, total DSCR, LTV at start and at refinancing, cash) is met; an objection
    the price does not move (valuation, costs, let value) or a price below the corporation's
    floor leaves no solution, and is named."""
    compute = _default_compute(compute)
    target, name = TARGETS["max-price-bankable"], "verkoopprijs_afgesproken"
    base = compute(scenario)

    def build(x: float) -> Scenario:
        return _with(scenario, **{name: x})

    known = [(float(scenario.inputs[name]) if scenario.inputs.get(name) is not None
              else base["verkoopprijs"], base)]
    status, value, problem = _solve(compute, build, BANKABLE, True, 0.0, math.inf,
                                    base["max_aankoopprijs"] or None,
                                    max(base["marktwaarde_leeg"], 1e5), 0.01, known)
    s = _finish(target, status, value, name, problem, lambda x: {name: x}, None, build)
    r = s.results
    if s.ok and value is not None and r is not None:
        left = [n for n in OBJECTION_NAMES if r.get(n)]
        if left:
            s.status = INFEASIBLE
            _note(s, "Geen prijs maakt de case financierbaar; bij "
                  f"{fmt(value, 'eur')} blijft bezwaar: "
                  + "; ".join(f"{label_of(n)} ({n})" for n in left) + ".",
                  "No price makes the case bankable; at "
                  f"{fmt(value, 'eur', 'en')} these objections remain: "
                  + "; ".join(f"{label_of(n, 'en')} ({n})" for n in left) + ".")
        else:
            _price_notes(s, value)
    return s


def _price_for(scenario: Scenario, base: Results, price: float | None, fallback: str) -> float:
    if price is not None:
        if not math.isfinite(price) or price < 0:
            raise ValueError(f"price must be a number >= 0, got {price!r}")
        return float(price)
    agreed = scenario.inputs.get("verkoopprijs_afgesproken")
    return float(agreed) if agreed is not None else float(base[fallback])


def _at_price(scenario: Scenario, compute: Compute, base: Results, price: float) -> tuple[
        Scenario, Results]:
    held = _with(scenario, verkoopprijs_afgesproken=price)
    same = scenario.inputs.get("verkoopprijs_afgesproken") == price or (
        scenario.inputs.get("verkoopprijs_afgesproken") is None and base["verkoopprijs"] == price)
    return held, base if same else compute(held)


def min_rent(scenario: Scenario, price: float | None = None,
             compute: Compute | None = None) -> Solution:
    """The lowest average rent per dwelling per month at which the net cash flow carries the
    loan (buffer, costs and renovation borrowed too) at ``price``; default: the agreed price,
    else the market value (the guide's 'rent without discount')."""
    compute = _default_compute(compute)
    target = TARGETS["min-rent"]
    base = compute(scenario)
    p = _price_for(scenario, base, price, "marktwaarde_basis")
    held, at_p = _at_price(scenario, compute, base, p)
    constraints = _active((KASSTROOM, KAS), at_p)
    current = at_p["huur_gemiddeld"]

    def build(x: float) -> Scenario:
        return _with_rents(held, _rents(held, x, current))

    guess = None
    if abs(p - base["marktwaarde_basis"]) < 0.005 and base["huur_zonder_korting_volledig"] > 0:
        guess = base["huur_zonder_korting_volledig"]  # the model's closed form for this case
    # A cent of rent moves the loan by up to 12 × homes / ratio: solve far finer than a cent.
    status, value, problem = _solve(compute, build, constraints, False, 0.0, 1e7, guess, 1e3,
                                    1e-7, [(current, at_p)])
    if status == UNBOUNDED:
        status = OK
    s = _finish(target, status, value, "woning_huur", problem,
                lambda x: {"verkoopprijs_afgesproken": p, "woning_huur": _rents(held, x, current)},
                p, build)
    r = s.results or {}
    if s.ok and value is not None:
        if LTV.applies(r) and LTV.slack(r) < -0.5:
            # No rent satisfies the LTV limit: the verdict is "no solution", bound by LTV (the
            # same figures as the table), never a headline that names the cash-flow limit.
            short = -LTV.slack(r)
            s.status, s.binding = INFEASIBLE, LTV
            s.notes.insert(0, (
                f"Bij deze prijs gaat de lening {fmt(short, 'eur')} boven de LTV-grens "
                f"(LTV {fmt(r.get('ltv_start'), 'pct')}); dat lost huur niet op: zie 'gap' "
                f"(eigen inbreng of fondstranche). Op kasstroom alleen: "
                f"{fmt(value, 'eur_maand')} per woning per maand.",
                f"At this price the loan exceeds the LTV limit by {fmt(short, 'eur', 'en')} "
                f"(LTV {fmt(r.get('ltv_start'), 'pct', 'en')}); rent cannot fix that: see 'gap' "
                f"(equity or fund tranche). By cash flow alone: {fmt(value, 'eur_maand', 'en')} "
                "per dwelling per month."))
        if abs(p - r.get("marktwaarde_basis", math.nan)) < 0.005:
            _note(s, "De gids rekent zonder geleende buffer en kosten: "
                  f"{fmt(r['huur_zonder_korting'], 'eur_maand')} (huur_zonder_korting).",
                  "The guide leaves buffer and costs out of the loan: "
                  f"{fmt(r['huur_zonder_korting'], 'eur_maand', 'en')} (huur_zonder_korting).")
        if value > r.get("liberalisatiegrens", math.inf):
            _note(s, f"Boven de liberalisatiegrens ({fmt(r['liberalisatiegrens'], 'eur_maand')}):"
                  " geen (volledige) huurtoeslag voor bewoners.",
                  f"Above the liberalisation threshold "
                  f"({fmt(r['liberalisatiegrens'], 'eur_maand', 'en')}): no (full) rent "
                  "allowance for tenants.")
    elif status == INFEASIBLE:
        _note(s, "Geen huur dekt de lening: de huurderving of de lasten zijn te hoog.",
              "No rent carries the loan: rent loss or costs are too high.")
    return s


def gap(scenario: Scenario, price: float | None = None, via: str = "eigen_inbreng",
        compute: Compute | None = None) -> Solution:
    """The extra own equity (or subordinated fund tranche, ``via``) needed so that the loan at
    ``price`` stays within what the bank lends; 0 when it already does."""
    if via not in GAP_SOURCES:
        raise ValueError(f"via must be one of {', '.join(GAP_SOURCES)}, got {via!r}")
    compute = _default_compute(compute)
    target = TARGETS["gap"]
    base = compute(scenario)
    p = _price_for(scenario, base, price, "marktwaarde_basis")
    held, at_p = _at_price(scenario, compute, base, p)
    constraints = _active(LENDING, at_p)
    start = float(held.inputs.get(via) or 0.0)

    def build(x: float) -> Scenario:
        return _with(held, **{via: x})

    # A euro of equity lowers the loan by a euro: the first guess closes the cash-flow slack.
    slack = min(c.slack(at_p) for c in constraints) if constraints else 0.0
    guess = start - slack if slack < 0 else None
    upper = start + at_p["lening"] + 1.0
    status, value, problem = _solve(compute, build, constraints, False, start, upper, guess,
                                    max(at_p["lening"], 1e4), 0.01, [(start, at_p)])
    if status == UNBOUNDED:  # feasible at the equity already there
        status = OK
    s = _finish(target, status, value, via, problem,
                lambda x: {"verkoopprijs_afgesproken": p, via: x}, p, build)
    if value is not None:
        s.value = value - start
        s.inputs = {"verkoopprijs_afgesproken": p, via: value}
        if s.value <= 0.005:
            s.value, s.binding = 0.0, None
            _note(s, "De prijs is al gedekt; er is geen extra inbreng nodig.",
                  "The price is already covered; no extra equity is needed.")
        else:
            _note(s, f"Totaal {label_of(via)} nodig: {fmt(value, 'eur')}.",
                  f"Total {label_of(via, 'en')} needed: {fmt(value, 'eur', 'en')}.")
        _price_notes(s, p)
        _failing_note(s)
    return s


def _no_debt(r: Mapping[str, Any]) -> bool:
    total = r.get("jr_schuldendienst_totaal")
    return (total == 0) if total is not None else r.get("schuldendienst_jaar1", 0) == 0


def _dscr_target(scenario: Scenario, key: str, name: str, hi: float, price: float | None,
                 compute: Compute | None) -> Solution:
    compute = _default_compute(compute)
    target = TARGETS[key]
    base = compute(scenario)
    p = _price_for(scenario, base, price, "verkoopprijs")
    held, at_p = _at_price(scenario, compute, base, p)
    if _no_debt(at_p):
        return Solution(target, NO_DEBT, None, name, price=p, results=at_p,
                        evaluations=compute.calls)
    constraint = _dscr(at_p)
    current = held.inputs.get(name)
    if current is None:  # a blank refinancing rate means 'the same rate'
        current = at_p.get("herfinancieringsrente_gebruikt", held.inputs.get("rente", 0.0))

    def build(x: float) -> Scenario:
        return _with(held, **{name: x})

    known = [(float(current), at_p)] if held.inputs.get(name) is not None else []
    status, value, problem = _solve(compute, build, (constraint,), True, 0.0, hi, current, 0.05,
                                    1e-9, known)
    s = _finish(target, status, value, name, problem,
                lambda x: {"verkoopprijs_afgesproken": p, name: x}, p, build)
    r = s.results or at_p
    year = r.get("dscr_zwakste_jaar")
    if s.ok and value is not None:
        nl_now = fmt(current, "pct")
        _note(s, f"Huidige waarde {label_of(name)}: {nl_now}; getoetst op {constraint.figure} "
              f"tegen dscr_min_netto ({fmt(r['dscr_min_netto'], 'factor')}).",
              f"Current {label_of(name, 'en')}: {fmt(current, 'pct', 'en')}; tested on "
              f"{constraint.figure} against dscr_min_netto "
              f"({fmt(r['dscr_min_netto'], 'factor', 'en')}).")
    elif status == INFEASIBLE:
        at = f" (zwakste jaar {year})" if year else ""
        at_en = f" (weakest year {year})" if year else ""
        _note(s, f"Ook bij 0% haalt de DSCR de norm niet{at}: de lening is te hoog voor de "
              "kasstroom.", f"Even at 0% the DSCR misses the norm{at_en}: the loan is too high "
              "for the cash flow.")
        if name == REFINANCING_RATE and DSCR_REFINANCED.applies(at_p):
            # The bank's next question: and for the refinanced years alone?
            _, sub, _ = _solve(compute, build, (DSCR_REFINANCED,), True, 0.0, hi,
                               current, 0.05, 1e-9, known)
            if sub is not None:
                _note(s, f"Alleen de jaren na herfinanciering: hoogste rente {fmt(sub, 'pct')}.",
                      f"The refinanced years alone: highest rate {fmt(sub, 'pct', 'en')}.")
            s.evaluations = compute.calls
    return s


def max_rate(scenario: Scenario, price: float | None = None,
             compute: Compute | None = None) -> Solution:
    """The highest refinancing rate (the loan rate while the model has no projection) at which
    the weakest-year DSCR still meets the norm, the price held where it is."""
    name = RATE_INPUT
    hi = INPUT_BY_NAME[name].maximum or 0.25
    return _dscr_target(scenario, "max-rate", name, hi, price, compute)


def max_rent_loss(scenario: Scenario, price: float | None = None,
                  compute: Compute | None = None) -> Solution:
    """The highest huurderving at which the weakest-year DSCR still meets the norm."""
    return _dscr_target(scenario, "max-huurderving", "huurderving", 1.0, price, compute)


RATE_INPUT = REFINANCING_RATE if REFINANCING_RATE in INPUT_BY_NAME else "rente"
GAP_SOURCES = tuple(n for n in ("eigen_inbreng", "achtergestelde_lening") if n in INPUT_BY_NAME)


def solve(scenario: Scenario, target: str, price: float | None = None,
          compute: Compute | None = None, via: str = "eigen_inbreng") -> Solution:
    """Dispatch by the command-line target name."""
    if scenario.inputs.get("projecttype") == "nieuwbouw":
        raise ScenarioError(["projecttype: de oplossers rekenen met een overname (koopprijs); "
                             "bij nieuwbouw staat het tekort op het blad Nieuwbouw "
                             "(financieringstekort)"])
    if target == "max-price":
        return max_price(scenario, compute)
    if target == "max-price-bankable":
        return max_price_bankable(scenario, compute)
    if target == "min-rent":
        return min_rent(scenario, price, compute)
    if target == "gap":
        return gap(scenario, price, via, compute)
    if target == "max-rate":
        return max_rate(scenario, price, compute)
    if target == "max-huurderving":
        return max_rent_loss(scenario, price, compute)
    raise ValueError(f"unknown target {target!r}; expected one of {', '.join(TARGETS)}")


__all__ = ["DSCR", "INFEASIBLE", "KAS", "KASSTROOM", "LTV", "NO_DEBT", "OK", "TARGETS",
           "UNBOUNDED", "Constraint", "Solution", "Target", "gap", "max_price",
           "max_price_bankable", "max_rate",
           "max_rent_loss", "min_rent", "solve"]
