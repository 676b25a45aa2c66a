"""Validation rules for a business case: inputs and model results in, findings out.

Pure Python (no openpyxl, no xlwings) so the add-in runs it inside Excel through xlwings Lite.
Every finding names the cell it is about by its defined name and label (Dutch and English), the
figure, and the norm it was held against with the norm's source and year.

The rules reuse what exists rather than recompute it: input bounds come from the input specs
(``xlcoop.inputs``), figures from the reference model, and the workbook's own checks (the
registry's CHECK items) are reported as they are, enriched with value, norm and source. Rules for
figures or inputs that a model may not have yet (weakest-year ratios, a valuation date, a
substantiation note, ...) activate as soon as the model results or inputs carry that name.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from xlcoop import glossary
from xlcoop.inputs import DWELLING_COLUMNS, INPUTS, InputSpec
from xlcoop.norms import NORM_BY_NAME, NORMS, TABLE_BY_NAME, standard_value
from xlcoop.objections import OBJECTIONS
from xlcoop.scenario import Scenario, ScenarioError, validate
from xlcoop.verdicts import CHECK_SEVERITIES
from xlcoop.verdicts import ERROR as CHECK_ERROR

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
SEVERITY_LABELS = {ERROR: ("fout", "error"), WARNING: ("waarschuwing", "warning"),
                   INFO: ("info", "info")}

# Excel's error values as they arrive from a cell (openpyxl, xlwings with err_to_str=True).
ERROR_LITERALS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!",
                  "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!",
                  "#BUSY!", "#UNKNOWN!", "#DATA!")

# Names a rule needs but an older or newer model may lack; the rule activates when present.
WEAKEST_DSCR, WEAKEST_DSCR_YEAR = "dscr_min", "dscr_zwakste_jaar"
WEAKEST_ICR = "icr_min"
PEAK_LTV, MIN_CASH = "ltv_piek", "kas_min"
REFINANCING_RATE = "herfinancieringsrente"
RENT_INCREASE, RENT_INCREASE_CAPS = "huurindexatie", "jr_max_huurstijging"
RENT_SEGMENT = "huursegment"
VALUATION_DATE = "taxatiedatum"  # date of the valuation report (taxatie)
SUBSTANTIATION = ("onderbouwing_lasten", "onderbouwing_kosten")  # note explaining low costs
COST_NORM_CHECKS = ("controle_exploitatielasten_norm", "controle_onderhoud_norm")
# Checks reported per dwelling row by rule_rent_law (the row, the rent and the maximum).
ROW_CHECKS = ("controle_huur_wws", "controle_middenhuur_grens", "controle_huursegment",
              "controle_liberalisatiegrens")
APPLICATION_DATE = "aanvraagdatum"  # the valuation is tested at this date when given
VALUATION_NORM = "taxatie_max_maanden"  # the applied norm (3 months, overridable)
VALUATION_MONTHS = (int(NORM_BY_NAME[VALUATION_NORM].value or 3), 6)  # some banks accept 6
GUIDE_BUFFER = NORM_BY_NAME["buffer_maanden"]

# Which way an overridden norm becomes less prudent: +1 = a higher value is looser.
LOOSER = {"ltv_max": +1, "ratio_rente_aflossing": -1, "aflossing_pct": -1,
          "looptijd_jaren": +1, "buffer_maanden": -1, "verkoop_min_pct": -1,
          "liberalisatiegrens": +1, "dscr_min_netto": -1, "dscr_min_bruto": -1,
          "icr_min_netto": -1, "icr_min_bruto": -1}


class CellError(str):
    """An Excel error value read from a cell, e.g. ``"#DIV/0!"``."""

    __slots__ = ()


def is_error_value(value: Any) -> bool:
    return isinstance(value, CellError) or (isinstance(value, str)
                                            and value.strip().upper() in ERROR_LITERALS)


@dataclass(frozen=True)
class Finding:
    rule: str  # the rule's id, e.g. "invoer_tekst" or a workbook check's name
    severity: str  # error | warning | info
    name: str  # defined name of the cell concerned ("" when none)
    message_nl: str
    message_en: str
    value: Any = None  # the figure or input as found
    norm: Any = None  # the limit it was held against
    norm_name: str = ""  # defined name of that limit
    source: str = ""  # the norm's source and year
    row: int | None = None  # dwellings table row (1-based) or series position

    def label(self, lang: str = "nl") -> str:
        return label_of(self.name, lang)

    def message(self, lang: str = "nl") -> str:
        return self.message_en if lang == "en" else self.message_nl

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["label_nl"], out["label_en"] = self.label("nl"), self.label("en")
        for key in ("value", "norm"):
            out[key] = _jsonable(out[key])
        return out


@dataclass
class CheckResult:
    scenario: Scenario | None  # None when the inputs could not be used
    results: dict[str, Any] | None  # the reference model's figures
    findings: list[Finding] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def ok(self) -> bool:
        """No error-level finding."""
        return self.count(ERROR) == 0


def count_text(findings: list[Finding], lang: str = "nl") -> str:
    """'0 fouten, 2 waarschuwingen, 1 info' / '0 errors, 2 warnings, 1 info'."""
    plural = {"fout": "fouten", "waarschuwing": "waarschuwingen", "error": "errors",
              "warning": "warnings"}
    parts = []
    for severity in (ERROR, WARNING, INFO):
        n = sum(1 for f in findings if f.severity == severity)
        word = SEVERITY_LABELS[severity][lang == "en"]
        parts.append(f"{n} {word if n == 1 else plural.get(word, word)}")
    return ", ".join(parts)


# ---------------------------------------------------------------------------------------------
# Labels and number notation.
_merged: list[Any] = [None, {}]  # (the glossary's mapping, it merged with the input specs)


def _labels() -> dict[str, tuple[str, str, str]]:
    """Labels of every named figure: the registry's (through the glossary), the dwellings
    table's columns and the input specs."""
    base = glossary.labels()
    if _merged[0] is not base:
        out = dict(base)
        for col in DWELLING_COLUMNS:
            out[col.name] = (col.label_nl, col.label_en, col.unit)
        for spec in INPUTS:
            out.setdefault(spec.name, (spec.label_nl, spec.label_en, spec.unit))
        _merged[:] = [base, out]
    return _merged[1]


def label_of(name: str, lang: str = "nl") -> str:
    found = _labels().get(name)
    if found is None:
        return name
    return found[1] if lang == "en" else found[0]


def unit_of(name: str) -> str:
    found = _labels().get(name)
    return found[2] if found else ""


def fmt(value: Any, unit: str, lang: str = "nl") -> str:
    """A figure as a person reads it: '€ 882.000', '41,20%' (nl) or '€882,000', '41.20%' (en)."""
    if value is None:
        return "(leeg)" if lang == "nl" else "(blank)"
    if isinstance(value, bool):
        return ("ja" if value else "nee") if lang == "nl" else ("yes" if value else "no")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d-%m-%Y" if lang == "nl" else "%Y-%m-%d")
    if not isinstance(value, (int, float)) or (isinstance(value, float)
                                               and not math.isfinite(value)):
        return str(value)
    if unit == "pct":
        text = f"{value * 100:,.2f}%"
    elif unit in ("eur", "eur_jaar", "eur_maand"):
        digits = 0 if abs(value) >= 1000 and unit != "eur_maand" else 2
        text = f"€ {value:,.{digits}f}"
    elif unit == "factor":
        text = f"{value:,.2f}"
    elif float(value).is_integer():
        text = f"{value:,.0f}"
    else:
        text = f"{value:,.4g}"
    if lang == "en":
        return text.replace("€ ", "€")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return str(value) if isinstance(value, CellError) else value
    return repr(value)


def _norm_source(name: str) -> str:
    norm = NORM_BY_NAME.get(name)
    if norm is None:
        return ""
    return f"{norm.source} ({norm.year})" if norm.year else norm.source


def _ref(name: str, lang: str) -> str:
    """'Label (name)': how a message names a cell."""
    return f"{label_of(name, lang)} ({name})"


def _finding(rule: str, severity: str, name: str, nl: str, en: str, **kw: Any) -> Finding:
    return Finding(rule, severity, name, nl, en, **kw)


# ---------------------------------------------------------------------------------------------
# Input rules: the raw values as read from the cells (text in number cells, blanks, errors).
def _number_problem(spec_kind: str, unit: str, lo: float | None, hi: float | None,
                    value: Any) -> tuple[str, str, str] | None:
    """(rule, nl, en) for a value that is not an acceptable number, else None."""
    if is_error_value(value):
        return ("invoer_foutwaarde", f"bevat de foutwaarde {value}; vul een getal in",
                f"holds the error value {value}; enter a number")
    if isinstance(value, str):
        return ("invoer_tekst", f"bevat tekst ({value!r}) waar een getal hoort; typ het getal "
                "zonder apostrof of eenheid", f"holds text ({value!r}) where a number belongs; "
                "type the number without apostrophe or unit")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return ("invoer_geen_getal", f"verwacht een getal, kreeg {value!r}",
                f"expected a number, got {value!r}")
    if not math.isfinite(value):
        return ("invoer_geen_getal", f"verwacht een eindig getal, kreeg {value!r}",
                f"expected a finite number, got {value!r}")
    if spec_kind == "integer" and value != int(value):
        return ("invoer_geen_geheel_getal", f"verwacht een geheel getal, kreeg {fmt(value, '')}",
                f"expected a whole number, got {fmt(value, '', 'en')}")
    if unit == "pct" and ((value >= 1 and (hi is None or hi <= 1))
                          or (value < 0 and (lo is None or lo >= 0))):
        return ("invoer_percentage",
                f"{fmt(value, 'pct')} kan hier niet (100% of meer, of negatief); typ een "
                "fractie: 0.01 = 1% (in Excel: 0,01)",
                f"{fmt(value, 'pct', 'en')} is impossible here (100% or more, or negative); type "
                "a fraction: 0.01 = 1%")
    if lo is not None and value < lo:
        if lo == 0:
            return ("invoer_negatief", f"mag niet negatief zijn, kreeg {fmt(value, unit)}",
                    f"may not be negative, got {fmt(value, unit, 'en')}")
        return ("invoer_te_laag", f"moet minstens {fmt(lo, unit)} zijn, kreeg {fmt(value, unit)}",
                f"must be at least {fmt(lo, unit, 'en')}, got {fmt(value, unit, 'en')}")
    if hi is not None and value > hi:
        return ("invoer_te_hoog", f"mag hoogstens {fmt(hi, unit)} zijn, kreeg {fmt(value, unit)}",
                f"may be at most {fmt(hi, unit, 'en')}, got {fmt(value, unit, 'en')}")
    return None


def _problem_finding(name: str, problem: tuple[str, str, str], value: Any,
                     row: int | None = None) -> Finding:
    rule, nl, en = problem
    where_nl = f" (rij {row})" if row else ""
    where_en = f" (row {row})" if row else ""
    return _finding(rule, ERROR, name, f"{_ref(name, 'nl')}{where_nl}: {nl}.",
                    f"{_ref(name, 'en')}{where_en}: {en}.", value=value, row=row)


def _missing(name: str, row: int | None = None) -> Finding:
    return _problem_finding(name, ("invoer_ontbreekt", "ontbreekt; dit veld is verplicht",
                                   "is missing; this field is required"), None, row)


def _not_text(name: str, value: Any, row: int | None = None) -> Finding:
    return _problem_finding(name, ("invoer_geen_tekst", f"verwacht tekst, kreeg {value!r}",
                                   f"expected text, got {value!r}"), value, row)


def _check_input(spec: InputSpec, value: Any) -> list[Finding]:
    if value is None:
        return [_missing(spec.name)] if spec.required else []
    if is_error_value(value):
        return [_problem_finding(spec.name, _number_problem("number", spec.unit, None, None,
                                                            value), value)]
    if spec.kind == "text":
        return [] if isinstance(value, str) else [_not_text(spec.name, value)]
    if spec.kind == "date":
        if _as_date(value) is not None:
            return []
        return [_problem_finding(spec.name, ("invoer_geen_datum", f"verwacht een datum, kreeg "
                                             f"{value!r}", f"expected a date, got {value!r}"),
                                 value)]
    if spec.kind == "choice":
        if value in spec.choices:
            return []
        options = ", ".join(spec.choices)
        return [_problem_finding(spec.name, ("invoer_keuze", f"{value!r} is geen keuze; kies "
                                             f"een van: {options}", f"{value!r} is not a choice; "
                                             f"choose one of: {options}"), value)]
    if spec.kind == "series":
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        out = []
        for pos, v in enumerate(values, start=1):
            problem = None if v is None else _number_problem("number", spec.unit, spec.minimum,
                                                             spec.maximum, v)
            if problem:
                out.append(_problem_finding(spec.name, problem, v, pos))
        return out
    problem = _number_problem(spec.kind, spec.unit, spec.minimum, spec.maximum, value)
    return [_problem_finding(spec.name, problem, value)] if problem else []


def input_findings(doc: Mapping[str, Any]) -> list[Finding]:
    """Findings on a scenario document (sections as in a scenario file) with raw cell values."""
    out: list[Finding] = []
    for spec in INPUTS:
        section = doc.get(spec.section)
        raw = section.get(spec.name) if isinstance(section, Mapping) else None
        out.extend(_check_input(spec, raw))
    rows = doc.get("woningen")
    if not isinstance(rows, list) or not rows:
        out.append(_finding("invoer_geen_woningen", ERROR, "woning_aantal",
                            "De woningtabel is leeg: vul per woningtype aantal, huur en "
                            "marktwaarde in (blad Invoer).",
                            "The dwellings table is empty: fill in number, rent and market value "
                            "per dwelling type (Inputs sheet)."))
        rows = []
    total, counted = 0.0, True
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            continue
        for col in DWELLING_COLUMNS:
            value = row.get(col.key)
            if value is None:
                if col.default is None:
                    out.append(_missing(col.name, i))
                continue
            if col.kind == "text":
                if not isinstance(value, str):
                    out.append(_not_text(col.name, value, i))
                continue
            problem = _number_problem(col.kind, col.unit, 0.0, None, value)
            if problem:
                out.append(_problem_finding(col.name, problem, value, i))
                counted = counted and col.key != "aantal"
            elif col.key == "aantal":
                total += value
    if rows and counted and total == 0:
        out.append(_finding("invoer_geen_woningen", ERROR, "woning_aantal",
                            f"{_ref('woning_aantal', 'nl')}: nul woningen; vul het aantal "
                            "woningen per type in.",
                            f"{_ref('woning_aantal', 'en')}: zero dwellings; fill in the number "
                            "of dwellings per type.", value=0))
    norms = doc.get("normen") or {}
    for norm in NORMS:
        raw = norms.get(norm.name) if isinstance(norms, Mapping) else None
        if raw is None:
            continue
        lo = getattr(norm, "minimum", 0.0)  # newer norms carry their own override bounds
        hi = getattr(norm, "upper", 1.0 if norm.unit == "pct" else None)
        problem = _number_problem("number", norm.unit, lo, hi, raw)
        if problem:
            out.append(_problem_finding(norm.name + "_eigen", problem, raw))
    return out


def _validation_finding(problem: str) -> Finding:
    """A problem the scenario validator found that no rule above caught (kept, never lost)."""
    key = problem.split(":", 1)[0]
    name = key.split(".")[-1].split("[")[0]
    for col in DWELLING_COLUMNS:
        if key.startswith("woningen") and name == col.key:
            name = col.name
    if key.startswith("normen."):
        name += "_eigen"
    return _finding("invoer_ongeldig", ERROR, name if name in _labels() else "", problem,
                    problem)


def standard_edited(name: str, standard: Any, template: Any) -> Finding:
    """A standard norm value typed over in the workbook: the workbook computes with it; the
    template's value and the `eigen` column (where an own value belongs) are named."""
    norm = NORM_BY_NAME[name]
    unit, std_name, own_name = norm.unit, name + "_standaard", name + "_eigen"
    used = float(standard) if isinstance(standard, (int, float)) else 0.0
    shown = {lang: fmt(standard, unit, lang) for lang in ("nl", "en")}
    nl = (f"{_ref(std_name, 'nl')} = {shown['nl']} wijkt af van de standaardwaarde van de "
          f"template ({fmt(template, unit)}); de werkmap rekent met {fmt(used, unit)}. Zet de "
          f"standaardwaarde terug en vul uw eigen waarde in de kolom eigen ({own_name}) in.")
    en = (f"{_ref(std_name, 'en')} = {shown['en']} differs from the template's standard value "
          f"({fmt(template, unit, 'en')}); the workbook computes with {fmt(used, unit, 'en')}. "
          f"Restore the standard value and enter your own value in the eigen column "
          f"({own_name}).")
    return _finding("norm_standaard_gewijzigd", WARNING, std_name, nl, en, value=standard,
                    norm=template, norm_name=own_name, source=_norm_source(name))


def edited_standards(standards: Mapping[str, Any], own: Mapping[str, Any],
                     inputs: Mapping[str, Any]) -> dict[str, tuple[Any, float]]:
    """Norms whose standard value in the workbook differs from the template's and that have no
    own value: name -> (the workbook's standard, the template's). ``standards`` holds the
    workbook's standard cells (a blank constant norm is None: the workbook computes 0; a table
    norm without a cached value is skipped)."""
    out: dict[str, tuple[Any, float]] = {}
    for norm in NORMS:
        if norm.name not in standards or own.get(norm.name) is not None:
            continue
        value = standards[norm.name]
        if value is None and norm.table is not None:
            continue
        try:
            template = standard_value(norm, dict(inputs))
        except (KeyError, TypeError, ValueError):
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool) \
                and math.isclose(float(value), template, rel_tol=1e-9, abs_tol=1e-12):
            continue
        out[norm.name] = (value, template)
    return out


# ---------------------------------------------------------------------------------------------
# Model rules: the workbook's own checks, enriched, and the rules only the add-in applies.
Context = tuple[Mapping[str, Any], Mapping[str, float], Mapping[str, Any], dt.date]


def _registry_checks() -> tuple[glossary.ShownCheck, ...]:
    """The checks as the workbook shows them (label, figure, norm, note), from the registry."""
    return glossary.shown_checks()


def _table_note(norm_name: str, inputs: Mapping[str, Any], lang: str) -> str:
    """The dated table row's note behind a norm (e.g. the 2026 huurtoeslag change)."""
    norm = NORM_BY_NAME.get(norm_name)
    if norm is None or norm.table is None:
        return ""
    table = TABLE_BY_NAME[norm.table]
    key = inputs.get(table.by)
    chosen = None
    for row in table.rows:
        if (row.key == key) if table.exact else (key is not None and int(row.key) <= int(key)):
            chosen = row
    if chosen is None:
        return ""
    return chosen.note_en if lang == "en" else chosen.note_nl


def rule_workbook_checks(ctx: Context) -> Iterable[Finding]:
    """Every check the workbook itself shows (registry CHECK items) that fails."""
    inputs, _, r, _ = ctx
    noted = _substantiation(inputs)
    for item in _registry_checks():
        if r.get(item.name) is not False or item.name in ROW_CHECKS:
            continue
        weight = CHECK_SEVERITIES.get(item.name, item.severity)
        severity = ERROR if weight == CHECK_ERROR else WARNING
        if item.name in COST_NORM_CHECKS and noted:
            severity = INFO
        name = item.value_ref or item.name
        value, unit = r.get(item.value_ref), unit_of(item.value_ref)
        parts = {}
        for lang in ("nl", "en"):
            text = f"{label_of(item.name, lang)}: " + ("niet in orde" if lang == "nl"
                                                       else "fails")
            if item.value_ref:
                text += f"; {_ref(item.value_ref, lang)} = {fmt(value, unit, lang)}"
            if item.norm_ref:
                held = "tegen" if lang == "nl" else "against"
                text += (f", {held} {_ref(item.norm_ref, lang)} = "
                         f"{fmt(r.get(item.norm_ref), unit_of(item.norm_ref), lang)}")
            note = item.note_en if lang == "en" else item.note_nl
            extra = _table_note(item.norm_ref, inputs, lang)
            if item.name in COST_NORM_CHECKS and noted:
                extra = ("onderbouwd: " if lang == "nl" else "substantiated: ") + noted
            text += "." + "".join(f" {t}" for t in (note, extra) if t)
            parts[lang] = text
        yield _finding(item.name, severity, name, parts["nl"], parts["en"], value=value,
                       norm=r.get(item.norm_ref) if item.norm_ref else None,
                       norm_name=item.norm_ref, source=_norm_source(item.norm_ref))


def _checked_figures() -> set[str]:
    return {item.value_ref for item in _registry_checks()}


def rule_norm_overrides(ctx: Context) -> Iterable[Finding]:
    """An own norm value less prudent than the standard one (the buffer below 3 months, ...)."""
    inputs, overrides, _, _ = ctx
    for name, own in overrides.items():
        norm = NORM_BY_NAME.get(name)
        if norm is None or own is None:
            continue
        try:
            standard = standard_value(norm, dict(inputs))
        except (KeyError, TypeError, ValueError):
            continue
        direction = LOOSER.get(name, 0)
        looser = (own - standard) * direction > 0
        if name == "buffer_maanden" and own < standard:
            rule, severity = "buffer_onder_norm", WARNING
        elif looser:
            rule, severity = "norm_soepeler", WARNING
        elif own != standard:
            rule, severity = "norm_afwijkend", INFO
        else:
            continue
        std_nl, std_en = fmt(standard, norm.unit), fmt(standard, norm.unit, "en")
        own_name = name + "_eigen"
        nl = (f"{_ref(own_name, 'nl')} = {fmt(own, norm.unit)} in plaats van de standaard "
              f"{std_nl}")
        en = (f"{_ref(own_name, 'en')} = {fmt(own, norm.unit, 'en')} instead of the standard "
              f"{std_en}")
        if rule == "buffer_onder_norm":
            nl += "; de gids rekent met een buffer van 3 maandhuren (prudente start)"
            en += "; the guide holds a buffer of 3 months' rent (a prudent start)"
        elif rule == "norm_soepeler":
            nl += "; minder voorzichtig dan de standaard: licht de bron toe (bijv. offerte bank)"
            en += "; less prudent than the standard: name the source (e.g. the bank's offer)"
        yield _finding(rule, severity, name + "_eigen", nl + ".", en + ".", value=own,
                       norm=standard, norm_name=name + "_standaard",
                       source=_norm_source(name))


def rule_rate_vs_ratio(ctx: Context) -> Iterable[Finding]:
    """Interest + amortisation above the regional ratio: the cash-flow loan cannot be serviced."""
    inputs, _, r, _ = ctx
    ratio, amort = r.get("ratio_rente_aflossing"), r.get("aflossing_pct")
    if not ratio or amort is None:
        return
    for name in ("rente", REFINANCING_RATE):
        rate = inputs.get(name)
        if not isinstance(rate, (int, float)) or rate + amort <= ratio + 1e-12:
            continue
        total = rate + amort
        yield _finding(
            "rente_aflossing_boven_ratio", WARNING, name,
            f"{_ref(name, 'nl')} {fmt(rate, 'pct')} + aflossing {fmt(amort, 'pct')} = "
            f"{fmt(total, 'pct')} is meer dan de {_ref('ratio_rente_aflossing', 'nl')} "
            f"{fmt(ratio, 'pct')}: bij de maximale lening op kasstroom dekt de netto cashflow "
            "de rente en aflossing niet (DSCR < 1).",
            f"{_ref(name, 'en')} {fmt(rate, 'pct', 'en')} + amortisation "
            f"{fmt(amort, 'pct', 'en')} = {fmt(total, 'pct', 'en')} exceeds the "
            f"{_ref('ratio_rente_aflossing', 'en')} {fmt(ratio, 'pct', 'en')}: at the maximum "
            "loan by cash flow the net cash flow does not cover debt service (DSCR < 1).",
            value=total, norm=ratio, norm_name="ratio_rente_aflossing",
            source=_norm_source("ratio_rente_aflossing"))


def _weakest(r: Mapping[str, Any], figure: str, norm: str, below: bool, rule: str,
             severity: str, what: tuple[str, str]) -> Iterable[Finding]:
    """A multi-year figure against its norm, unless the workbook already checks that figure."""
    if figure not in r or figure in _checked_figures() or norm not in r:
        return
    value, limit = r[figure], r[norm]
    if not isinstance(value, (int, float)) or (value < limit) != below:
        return
    year = r.get(WEAKEST_DSCR_YEAR) if figure == WEAKEST_DSCR else None
    at_nl = f" (jaar {year})" if year else ""
    at_en = f" (year {year})" if year else ""
    unit = unit_of(figure) or "factor"
    yield _finding(rule, severity, figure,
                   f"{_ref(figure, 'nl')} = {fmt(value, unit)}{at_nl}: {what[0]} "
                   f"{_ref(norm, 'nl')} {fmt(limit, unit)}.",
                   f"{_ref(figure, 'en')} = {fmt(value, unit, 'en')}{at_en}: {what[1]} "
                   f"{_ref(norm, 'en')} {fmt(limit, unit, 'en')}.",
                   value=value, norm=limit, norm_name=norm, source=_norm_source(norm))


def rule_multi_year(ctx: Context) -> Iterable[Finding]:
    """Weakest-year DSCR/ICR, peak LTV and lowest cash, once the projection provides them."""
    r = ctx[2]
    below = ("onder de norm", "below the norm")
    yield from _weakest(r, WEAKEST_DSCR, "dscr_min_netto", True, "dscr_zwakste_jaar", WARNING,
                        below)
    yield from _weakest(r, WEAKEST_ICR, "icr_min_netto", True, "icr_zwakste_jaar", WARNING, below)
    yield from _weakest(r, PEAK_LTV, "ltv_max", False, "ltv_piek_boven_norm", WARNING,
                        ("boven de norm", "above the norm"))
    if MIN_CASH in r and MIN_CASH not in _checked_figures() and r[MIN_CASH] < -0.5:
        yield _finding("kas_negatief", ERROR, MIN_CASH,
                       f"{_ref(MIN_CASH, 'nl')} = {fmt(r[MIN_CASH], 'eur')}: de kas wordt "
                       "negatief; rente en aflossing zijn dan niet elk jaar te betalen.",
                       f"{_ref(MIN_CASH, 'en')} = {fmt(r[MIN_CASH], 'eur', 'en')}: cash goes "
                       "negative; interest and amortisation cannot be paid every year.",
                       value=r[MIN_CASH], norm=0.0)


def rule_rent_increase(ctx: Context) -> Iterable[Finding]:
    """The assumed yearly rent increase above the maximum for a segment the dwellings are in,
    labelled as the legal maximum only in a year its table knows, else as the assumption."""
    inputs, _, r, _ = ctx
    rise, years = inputs.get(RENT_INCREASE), r.get("jr_kalenderjaar")
    basis = r.get("jr_huurstijging_grondslag")
    if not isinstance(rise, (int, float)) or not isinstance(years, list):
        return
    counts, segments = r.get("huur_tabel_aantal") or [], r.get("woning_segment") or []
    present = [s for s in ("sociaal", "midden", "vrij")
               if any(c and seg == s for c, seg in zip(counts, segments, strict=False))]
    for segment in present or [inputs.get(RENT_SEGMENT, "sociaal")]:
        caps = r.get(f"jr_max_huurstijging_{segment}") or r.get(RENT_INCREASE_CAPS)
        if not isinstance(caps, list) or len(caps) < 2:
            continue
        over = [(t, c) for t, c in enumerate(caps[1:], start=2) if rise > c + 1e-12]
        if not over:
            continue
        t, cap = over[0]
        year = years[t - 1]
        law = not isinstance(basis, list) or basis[t - 1] == "wet"
        what_nl = "de wettelijke maximale huurverhoging" if law else \
            "de aangenomen maximale huurverhoging (aanname na de laatste bekende tabel, geen wet)"
        what_en = "the legal maximum rent increase" if law else \
            "the assumed maximum rent increase (an assumption after the last known table, not law)"
        table = TABLE_BY_NAME.get(f"tabel_huurstijging_{segment}")
        source = (table.rows[-1].source if table else "") if law else \
            f"aanname: huurstijging_aanname_{segment} (blad Huur)"
        yield _finding(
            "huurstijging_boven_maximum", WARNING, RENT_INCREASE,
            f"{_ref(RENT_INCREASE, 'nl')} {fmt(rise, 'pct')} is hoger dan {what_nl} "
            f"{fmt(cap, 'pct')} ({segment}, {year}); de meerjarenraming begrenst de stijging "
            "tot dat maximum.",
            f"{_ref(RENT_INCREASE, 'en')} {fmt(rise, 'pct', 'en')} exceeds {what_en} "
            f"{fmt(cap, 'pct', 'en')} ({segment}, {year}); the projection caps it there.",
            value=rise, norm=cap, norm_name=f"jr_max_huurstijging_{segment}", source=source)


def _row_name(r: Mapping[str, Any], k: int, lang: str) -> str:
    types = r.get("huur_tabel_type") or []
    kind = types[k] if k < len(types) and types[k] else ""
    word = "Woningtabel rij" if lang == "nl" else "Dwellings table row"
    return f"{word} {k + 1}" + (f" ({kind})" if kind else "")


def _maximum_source(r: Mapping[str, Any], inputs: Mapping[str, Any], k: int,
                    lang: str) -> tuple[str, str]:
    """(the norm's name, its description) behind dwelling row k's legal maximum."""
    checked = r["huur_tabel_huurprijscheck"][k]
    year = inputs.get("peiljaar")
    if checked:
        return "woning_huur_max_check", ("huurprijscheck van de Huurcommissie (woningtabel)"
                                         if lang == "nl" else
                                         "the Huurcommissie's huurprijscheck (dwellings table)")
    norm = "huur_max_sociaal" if r["woning_segment"][k] == "sociaal" else "middenhuur_grens"
    what = (f"{label_of(norm, lang)}, {year}: {_norm_source(norm)}")
    return norm, what


def rule_rent_law(ctx: Context) -> Iterable[Finding]:
    """Per dwelling row: the rent above its legal maximum (WWS) or above the mid-market
    ceiling, a segment input the points contradict, and which huurtoeslag rule applies."""
    inputs, _, r, _ = ctx
    if "huur_boven_wws" not in r:
        return
    points = r["huur_tabel_punten"]
    for k, excess in enumerate(r["huur_boven_wws"]):
        if excess <= 0:
            continue
        rent, maximum = r["huur_tabel_huur"][k], r["huur_max_wws"][k]
        norm, nl = _maximum_source(r, inputs, k, "nl")
        _, en = _maximum_source(r, inputs, k, "en")
        pts = f"{points[k]:g} WWS-punten, segment {r['woning_segment'][k]}" if points[k] else ""
        yield _finding(
            "controle_huur_wws", ERROR, "woning_huur",
            f"{_row_name(r, k, 'nl')}: huur {fmt(rent, 'eur_maand')} ligt boven het wettelijk "
            f"maximum {fmt(maximum, 'eur_maand')} ({nl}){'; ' + pts if pts else ''}. De "
            "Huurcommissie kan de huur verlagen: reken met het maximum.",
            f"{_row_name(r, k, 'en')}: rent {fmt(rent, 'eur_maand', 'en')} exceeds the legal "
            f"maximum {fmt(maximum, 'eur_maand', 'en')} ({en})"
            f"{'; ' + pts.replace('WWS-punten', 'WWS points') if pts else ''}. The "
            "Huurcommissie can lower the rent: plan with the maximum.",
            value=rent, norm=maximum, norm_name=norm, source=_norm_source(norm), row=k + 1)
    for k, excess in enumerate(r["huur_boven_middengrens"]):
        if excess <= 0:
            continue
        rent, ceiling = r["huur_tabel_huur"][k], r["huur_tabel_huur"][k] - excess
        yield _finding(
            "controle_middenhuur_grens", ERROR, "woning_huur",
            f"{_row_name(r, k, 'nl')}: middenhuur ({points[k]:g} WWS-punten) van "
            f"{fmt(rent, 'eur_maand')} ligt boven de {_ref('middenhuur_grens', 'nl')} "
            f"{fmt(ceiling, 'eur_maand')} ({inputs.get('peiljaar')}).",
            f"{_row_name(r, k, 'en')}: mid-market rent ({points[k]:g} WWS points) of "
            f"{fmt(rent, 'eur_maand', 'en')} exceeds the {_ref('middenhuur_grens', 'en')} "
            f"{fmt(ceiling, 'eur_maand', 'en')} ({inputs.get('peiljaar')}).",
            value=rent, norm=ceiling, norm_name="middenhuur_grens",
            source=_norm_source("middenhuur_grens"), row=k + 1)
    for k, wrong in enumerate(r["segment_strijdig"]):
        if not wrong:
            continue
        segment, given = r["woning_segment"][k], inputs.get(RENT_SEGMENT)
        yield _finding(
            "controle_huursegment", WARNING, RENT_SEGMENT,
            f"{_row_name(r, k, 'nl')}: {points[k]:g} WWS-punten geven segment {segment}, de "
            f"invoer {_ref(RENT_SEGMENT, 'nl')} zegt {given}; de werkmap rekent voor deze "
            "woning met de punten.",
            f"{_row_name(r, k, 'en')}: {points[k]:g} WWS points give segment {segment}, the "
            f"input {_ref(RENT_SEGMENT, 'en')} says {given}; the workbook uses the points for "
            "this dwelling.", value=given, norm=segment, norm_name="woning_segment",
            source=_norm_source("wws_grens_sociaal"), row=k + 1)
    for k, p in enumerate(points):
        checked = r["huur_tabel_huurprijscheck"][k]
        if p > 0 and not checked and r["woning_segment"][k] != "vrij" \
                and r["huur_tabel_aantal"][k] > 0:
            yield _finding(
                "huurprijscheck_ontbreekt", INFO, "woning_huur_max_check",
                f"{_row_name(r, k, 'nl')}: geen maximum uit de huurprijscheck; de werkmap toetst "
                f"aan de grens van het segment {fmt(r['huur_max_wws'][k], 'eur_maand')}. De "
                "huurprijstabel per punt staat niet in de werkmap: vul het maximum uit de "
                "huurprijscheck van de Huurcommissie in voor de exacte toets.",
                f"{_row_name(r, k, 'en')}: no maximum from the huurprijscheck; the workbook "
                "tests against the segment's ceiling "
                f"{fmt(r['huur_max_wws'][k], 'eur_maand', 'en')}. The rent table per point is "
                "not in the workbook: enter the maximum from the "
                "Huurcommissie's huurprijscheck for the exact test.",
                value=None, norm=r["huur_max_wws"][k], row=k + 1)
    above = r.get("woningen_boven_huurtoeslaggrens", 0)
    if above:
        limit, year = r["liberalisatiegrens"], inputs.get("peiljaar")
        rows = ", ".join(str(k + 1) for k, (c, h) in enumerate(zip(
            r["huur_tabel_aantal"], r["huur_tabel_huur"], strict=True)) if c and h > limit)
        if r.get("huurtoeslag_regel") == "berekend tot de grens":
            nl = (f"vanaf {r['huurtoeslag_rekenhuur_vanaf']:g} blokkeert een hogere huur "
                  "de huurtoeslag niet meer, maar de toeslag wordt berekend tot de grens: deze "
                  "bewoners verliezen een deel van de toeslag")
            en = (f"from {r['huurtoeslag_rekenhuur_vanaf']:g} a higher rent no longer blocks the "
                  "allowance, but it is computed up to the ceiling: these tenants lose part of it")
        else:
            nl = "tot en met 2025 geldt: huur boven de grens, geen huurtoeslag"
            en = "through 2025: a rent above the ceiling means no rent allowance"
        yield _finding(
            "controle_liberalisatiegrens", WARNING, "woningen_boven_huurtoeslaggrens",
            f"Huurtoeslag {year}: {fmt(above, 'aantal')} woningen (woningtabel rij {rows}) hebben "
            f"een huur boven de {_ref('liberalisatiegrens', 'nl')} {fmt(limit, 'eur_maand')}; "
            f"{nl}.",
            f"Rent allowance {year}: {fmt(above, 'aantal', 'en')} dwellings (dwellings table row "
            f"{rows}) have a rent above the {_ref('liberalisatiegrens', 'en')} "
            f"{fmt(limit, 'eur_maand', 'en')}; {en}.", value=above, norm=limit,
            norm_name="liberalisatiegrens", source=_norm_source("huurtoeslag_rekenhuur_vanaf"))


def _substantiation(inputs: Mapping[str, Any]) -> str:
    for name in SUBSTANTIATION:
        value = inputs.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 < value < 2958466:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))  # Excel serial date
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _months_between(start: dt.date, end: dt.date) -> float:
    return (end.year - start.year) * 12 + (end.month - start.month) + (end.day - start.day) / 31


def rule_valuation_age(ctx: Context) -> Iterable[Finding]:
    """The valuation report (taxatie) older than 3 months (warning) or 6 months (error)."""
    inputs, _, results, today = ctx
    if VALUATION_DATE not in inputs or inputs[VALUATION_DATE] is None:
        return
    raw = inputs[VALUATION_DATE]
    when = _as_date(raw)
    if when is None:
        yield _finding("taxatie_datum_ongeldig", ERROR, VALUATION_DATE,
                       f"{_ref(VALUATION_DATE, 'nl')}: {raw!r} is geen datum.",
                       f"{_ref(VALUATION_DATE, 'en')}: {raw!r} is not a date.", value=raw)
        return
    today = _as_date(inputs.get(APPLICATION_DATE)) or today
    age = _months_between(when, today)
    short, long = VALUATION_MONTHS
    short = results.get(VALUATION_NORM, short)
    long = max(long, short)
    if age <= short:
        return
    severity = ERROR if age > long else WARNING
    months = f"{age:.1f}"
    yield _finding(
        "taxatie_te_oud", severity, VALUATION_DATE,
        f"{_ref(VALUATION_DATE, 'nl')} {fmt(when, '')} is {months.replace('.', ',')} maanden "
        f"oud; een taxatie is {short:g} maanden geldig (soms {long:g}): vraag een nieuwe "
        "taxatie aan.",
        f"{_ref(VALUATION_DATE, 'en')} {fmt(when, '', 'en')} is {months} months old; a "
        f"valuation is valid for {short:g} months (sometimes {long:g}): order a new one.",
        value=when, norm=short, source="Platform31 stappenplan, stap 3; domeinnotitie (taxatie)")


def rule_zero_rent_loss(ctx: Context) -> Iterable[Finding]:
    inputs = ctx[0]
    if inputs.get("huurderving") == 0:
        yield _finding("huurderving_nul", INFO, "huurderving",
                       f"{_ref('huurderving', 'nl')} is 0%: een bank rekent met leegstand en "
                       "oninbare huur en toetst +2 tot +5 procentpunt.",
                       f"{_ref('huurderving', 'en')} is 0%: a bank allows for vacancy and bad "
                       "debt and tests +2 to +5 points.", value=0.0)


def rule_price_blank(ctx: Context) -> Iterable[Finding]:
    inputs, _, r, _ = ctx
    if inputs.get("verkoopprijs_afgesproken") is None and "verkoopprijs" in r \
            and inputs.get("projecttype") != "nieuwbouw":
        yield _finding("verkoopprijs_leeg", INFO, "verkoopprijs_afgesproken",
                       f"{_ref('verkoopprijs_afgesproken', 'nl')} is leeg: de werkmap rekent "
                       f"met {fmt(r['verkoopprijs'], 'eur')} (de maximale aankoopprijs, "
                       "hoogstens de marktwaarde).",
                       f"{_ref('verkoopprijs_afgesproken', 'en')} is blank: the workbook uses "
                       f"{fmt(r['verkoopprijs'], 'eur', 'en')} (the maximum purchase price, at "
                       "most the market value).", value=None, norm=r["verkoopprijs"],
                       norm_name="verkoopprijs")


def rule_verdict(ctx: Context) -> Iterable[Finding]:
    """Not bankable: one finding naming every objection with its figure and norm."""
    r = ctx[2]
    if r.get("financierbaar") is not False:
        return
    parts: dict[str, list[str]] = {"nl": [], "en": []}
    for o in OBJECTIONS:
        if not r.get(o.name):
            continue
        for lang in ("nl", "en"):
            text = f"{o.label_en if lang == 'en' else o.label_nl} ({o.name}"
            if o.value_ref in r:
                text += f": {fmt(r[o.value_ref], unit_of(o.value_ref), lang)}"
            if o.norm_ref and o.norm_ref in r:
                text += (" tegen " if lang == "nl" else " against ") + \
                    fmt(r[o.norm_ref], unit_of(o.norm_ref), lang)
            parts[lang].append(text + ")")
    count = r.get("aantal_bezwaren", len(parts["nl"]))
    yield _finding("niet_financierbaar", WARNING, "financierbaar",
                   f"{_ref('financierbaar', 'nl')} = ONWAAR, {count} bezwaar/bezwaren van de "
                   "bank: " + "; ".join(parts["nl"]) + ".",
                   f"{_ref('financierbaar', 'en')} = FALSE, {count} objection(s) under the "
                   "bank's norms: " + "; ".join(parts["en"]) + ".", value=False, norm=True)


RULES: tuple[Callable[[Context], Iterable[Finding]], ...] = (
    rule_workbook_checks, rule_norm_overrides, rule_rate_vs_ratio, rule_multi_year,
    rule_rent_increase, rule_rent_law, rule_valuation_age, rule_zero_rent_loss, rule_price_blank,
    rule_verdict,
)


def model_findings(scenario: Scenario, results: Mapping[str, Any],
                   today: dt.date | None = None, edited: Iterable[str] = ()) -> list[Finding]:
    """Every rule on a valid scenario and its model results, most severe first. ``edited``:
    norms applied from an edited standard cell (reported on their own, not as overrides)."""
    skip = set(edited)
    overrides = {k: v for k, v in scenario.norms.items() if k not in skip}
    ctx: Context = (scenario.inputs, overrides, results, today or dt.date.today())
    found = [f for rule in RULES for f in rule(ctx)]
    return sorted(found, key=lambda f: SEVERITY_ORDER[f.severity])


def check_scenario(scenario: Scenario, today: dt.date | None = None,
                   compute: Callable[[Scenario], dict[str, Any]] | None = None,
                   edited: Iterable[str] = ()) -> CheckResult:
    if compute is None:
        from xlcoop.model import compute
    results = compute(scenario)
    return CheckResult(scenario, results, model_findings(scenario, results, today, edited))


def _without_blanks(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A blank cell (None, JSON null) is an absent value: the default applies."""
    out: dict[str, Any] = {}
    for key, body in doc.items():
        if isinstance(body, Mapping):
            out[key] = {k: v for k, v in body.items() if v is not None}
        elif isinstance(body, list):
            out[key] = [{k: v for k, v in row.items() if v is not None}
                        if isinstance(row, Mapping) else row for row in body]
        else:
            out[key] = body
    return out


def check_document(doc: Mapping[str, Any], today: dt.date | None = None,
                   source: str = "", standards: Mapping[str, Any] | None = None) -> CheckResult:
    """Raw inputs in (as read from cells or a scenario file), every finding out; never raises
    for bad input: problems become error-level findings and the model is not run.
    ``standards``: the workbook's standard norm cells; an edited one (no own value) is applied
    as the workbook applies it, with a finding naming the template's value."""
    found = input_findings(doc)
    if any(f.severity == ERROR for f in found):
        return CheckResult(None, None, found)
    try:
        scenario = validate(_without_blanks(doc), source)
    except ScenarioError as exc:
        return CheckResult(None, None, found + [_validation_finding(p) for p in exc.problems])
    edited = edited_standards(standards or {}, scenario.norms, scenario.inputs)
    if edited:
        applied = {name: float(v) if isinstance(v, (int, float)) else 0.0
                   for name, (v, _) in edited.items()}
        scenario = replace(scenario, norms={**scenario.norms, **applied})
        found += [standard_edited(name, v, t) for name, (v, t) in edited.items()]
    result = check_scenario(scenario, today, edited=edited)
    result.findings = sorted(found + result.findings, key=lambda f: SEVERITY_ORDER[f.severity])
    return result


__all__ = ["ERROR", "INFO", "WARNING", "CellError", "CheckResult", "Finding",
           "check_document", "check_scenario", "fmt", "input_findings", "label_of",
           "model_findings"]
