"""The terminal report: verdict first, then key figures, then findings by category."""

from __future__ import annotations

from typing import Any

from xlcoop.audit.findings import (
    CATEGORIES,
    CLEAN,
    CRITICAL,
    ERROR,
    FINDINGS,
    INFO,
    UNSAFE,
    WARNING,
    Finding,
    Report,
)
from xlcoop.audit.messages import fmt, fmt_unit, render

T = {
    "status": ("Status", "Status"),
    CLEAN: ("SCHOON: geen bevindingen", "CLEAN: no findings"),
    FINDINGS: ("BEVINDINGEN", "FINDINGS"),
    UNSAFE: ("ONVEILIG: niet openen in Excel", "UNSAFE: do not open in Excel"),
    "unreadable": ("ONLEESBAAR: geen werkmap die te controleren is",
                   "UNREADABLE: not a workbook that can be audited"),
    "file": ("Bestand", "File"),
    "template": ("Template", "Template"),
    "fingerprint": ("Vingerafdruk", "Fingerprint"),
    "inputs": ("Invoer", "Inputs"),
    "checked": ("Gecontroleerd", "Checked"),
    "figures": ("Kerncijfers: referentiemodel op de invoer | formules van de werkmap | "
                "opgeslagen in het bestand",
                "Key figures: reference model on the inputs | the workbook's formulas | cached "
                "in the file"),
    "findings_title": ("Bevindingen", "Findings"),
    "none": ("geen", "none"),
    "chain": ("via", "via"),
    "cause": ("hier wijkt de werkmap af van het sjabloon", "here the workbook departs from the "
              "template"),
    "matches": ("klopt met het sjabloon", "matches the template"),
    "differs": ("wijkt af", "differs"),
    "notes_hidden": ("{n} notitie(s) verborgen; -v toont ze", "{n} note(s) hidden; -v shows them"),
    "safety": ("Veiligheid", "Safety"),
    "integrity": ("Sjabloonintegriteit", "Template integrity"),
    "recompute": ("Herberekening", "Recompute"),
    "lint": ("Modelkwaliteit (FAST)", "Model quality (FAST)"),
    CRITICAL: ("ONVEILIG", "UNSAFE"),
    ERROR: ("FOUT", "ERROR"),
    WARNING: ("WAARSCHUWING", "WARNING"),
    INFO: ("NOTITIE", "NOTE"),
    "complete": ("volledig", "complete"), "empty": ("leeg", "empty"),
    "invalid": ("ongeldig", "invalid"), "": ("-", "-"),
    "recompute-formulas": ("herberekening (formulas)", "recompute (formulas)"),
}


T.update({
    "integrity_status": ("Integriteit", "Integrity"),
    "integrity_clean": ("schoon (de standaardtemplate)", "clean (the standard template)"),
    "integrity_altered": ("gewijzigd ten opzichte van de template (zie bevindingen)",
                          "altered from the template (see findings)"),
    "integrity_unsafe": ("onveilig", "unsafe"),
    "integrity_unreadable": ("onleesbaar", "unreadable"),
    "case": ("Businesscase", "Business case"),
})


def case_line(case: dict[str, Any], lang: str) -> str:
    """'controles_ok: nee, 2 waarschuwingen' (the workbook's own master check)."""
    en = lang == "en"
    ok = case.get("controles_ok")
    parts = []
    if ok is not None:
        word = ("yes" if ok else "NO") if en else ("ja" if ok else "NEE")
        parts.append(f"controles_ok: {word}")
    n = case.get("aantal_waarschuwingen")
    if isinstance(n, (int, float)):
        n = int(n)
        parts.append(f"{n} " + (("warning" if n == 1 else "warnings") if en
                                else ("waarschuwing" if n == 1 else "waarschuwingen")))
    return ", ".join(parts)


def t(key: str, lang: str) -> str:
    pair = T.get(key, (key, key))
    return pair[1] if lang == "en" else pair[0]


def labels(lang: str) -> dict[str, str]:
    from xlcoop.layout import all_items

    return {i.name: (i.label_en if lang == "en" else i.label_nl) for i in all_items()}


def units_of() -> dict[str, str]:
    from xlcoop.layout import all_items

    return {i.name: i.unit for i in all_items()}


def cover_figures() -> list[str]:
    from xlcoop.audit.recompute import key_figures

    return key_figures()


def where(f: Finding | dict[str, Any]) -> str:
    get = f.get if isinstance(f, dict) else lambda k: getattr(f, k)
    sheet, address = get("sheet"), get("address")
    text = "" if sheet is None else f"'{sheet}'" + (f"!{address}" if address else "")
    name = get("name")
    return f"{name} {text}".strip() if name else text


COUNTED = {ERROR: (("fout", "fouten"), ("error", "errors")),
           WARNING: (("waarschuwing", "waarschuwingen"), ("warning", "warnings"))}
STEP_KEYS = {"workbook": ("werkmap", "workbook"), "standard": ("standaard", "standard"),
             "cached": ("opgeslagen", "cached"), "computed": ("berekend", "computed")}


def status_line(report: Report, lang: str) -> str:
    status = report.status
    head = t(status, lang)
    if status == FINDINGS:
        i = 1 if lang == "en" else 0
        counts = ", ".join(f"{n} {COUNTED[s][i][n != 1]}" for s in (ERROR, WARNING)
                           if (n := report.count(s)))
        head += f" ({counts})"
    return head


def step_values(step: dict[str, Any], lang: str) -> str:
    """The values at one step of a chain, and whether the workbook departs there."""
    i = 1 if lang == "en" else 0
    values = ", ".join(f"{pair[i]} {fmt_unit(step[k], step.get('unit'), lang)}"
                       for k, pair in STEP_KEYS.items() if k in step)
    if step.get("cause"):
        values += ("; " if values else "") + t("cause", lang)
    return values


def text_report(report: Report, lang: str = "nl", verbose: bool = False) -> str:
    out = [f"xlcoop audit: {report.path}", ""]
    out.append(f"  {t('status', lang):<14} {status_line(report, lang)}")
    out.append(f"  {t('integrity_status', lang):<14} {t('integrity_' + report.integrity, lang)}")
    case = report.business_case
    if case:
        out.append(f"  {t('case', lang):<14} {case_line(case, lang)}")
    if report.sha256:
        out.append(f"  {t('file', lang):<14} {fmt(report.size, lang)} bytes, sha256 "
                   f"{report.sha256[:16]}…")
    if report.template_version is not None:
        out.append(f"  {t('template', lang):<14} {report.template_version}"
                   f" ({report.lang or '?'})")
    if report.fingerprint_actual:
        ok = report.fingerprint_actual == report.fingerprint_expected
        out.append(f"  {t('fingerprint', lang):<14} {report.fingerprint_actual} "
                   f"({t('matches' if ok else 'differs', lang)})")
    if report.inputs_state:
        out.append(f"  {t('inputs', lang):<14} {t(report.inputs_state, lang)}")
    out.append(f"  {t('checked', lang):<14} "
               + ", ".join(t(c, lang) for c in report.checked)
               + f" ({fmt(round(report.seconds, 2), lang)} s)")
    if report.figures:
        out += ["", t("figures", lang)]
        names, units = labels(lang), units_of()
        for name in cover_figures():
            if name not in report.figures:
                continue
            unit = units.get(name)
            cols = [fmt_unit(report.figures[name], unit, lang)] + [
                fmt_unit(src[name], unit, lang) if name in src else "–"
                for src in (report.computed, report.cached)]
            out.append(f"  {names.get(name, name)[:40]:<40} " + " ".join(f"{c:>14}" for c in cols)
                       + f"  {name}")
    findings = [f for f in report.findings if verbose or f.severity != INFO]
    hidden = len(report.findings) - len(findings)
    out += ["", f"{t('findings_title', lang)}: " + (t("none", lang) if not findings else
                                               str(len(findings)))]
    for category in CATEGORIES:
        group = [f for f in findings if f.category == category]
        if not group:
            continue
        out.append(f"  {t(category, lang)}")
        for f in group:
            place = where(f)
            moved = f" (sjabloon {f.template_address})" if f.template_address and \
                lang == "nl" else (f" (template {f.template_address})"
                                   if f.template_address else "")
            out.append(f"    [{t(f.severity, lang)}] {place}{moved}: {render(f, lang)}")
            for step in f.chain[: None if verbose else 8]:
                values = step_values(step, lang)
                label = step.get("name") or step.get("label") or ""
                out.append(f"        {t('chain', lang)} {label} '{step['sheet']}'!"
                           f"{step['address']}" + (f" ({values})" if values else ""))
    if hidden:
        out.append("  " + t("notes_hidden", lang).format(n=hidden))
    return "\n".join(out) + "\n"
