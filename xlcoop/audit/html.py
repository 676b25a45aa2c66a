"""One self-contained HTML file for a credit committee: no scripts, no external resources.

Everything that comes from the received file (names, labels, formulas, values) is escaped: the
workbook is untrusted and its text must not become markup in the committee's browser.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from xlcoop.audit.findings import CATEGORIES, CLEAN, FINDINGS, INFO, Report
from xlcoop.audit.messages import fmt, fmt_unit, render
from xlcoop.audit.render import cover_figures, labels, status_line, step_values, t

CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #1b1b1b;
       max-width: 190mm; margin: 0 auto; }
@media print { body { max-width: none; } }
h1 { font-size: 16pt; margin: 0 0 2mm 0; }
h2 { font-size: 12pt; margin: 7mm 0 2mm 0; border-bottom: 1px solid #999; }
h3 { font-size: 10.5pt; margin: 4mm 0 1mm 0; }
.sub { color: #555; margin: 0 0 4mm 0; }
.verdict td { padding: 3mm 4mm; font-size: 12pt; font-weight: bold; }
.clean { background: #e3f4e1; border: 1px solid #2e7d32; color: #1b5e20; }
.findings { background: #fff4d6; border: 1px solid #b7791f; color: #7a4f00; }
.unsafe { background: #fde2e1; border: 1px solid #c62828; color: #8e0000; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0; }
th, td { text-align: left; vertical-align: top; padding: 1mm 1.5mm; border-bottom: 1px solid #ddd; }
th { background: #f1f1f1; font-weight: bold; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
code, .mono { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt;
              word-break: break-all; }
.sev { font-weight: bold; white-space: nowrap; font-size: 8.5pt; }
.critical { color: #b71c1c; } .error { color: #c62828; } .warning { color: #b7791f; }
.info { color: #555; }
.ok { color: #2e7d32; font-weight: bold; } .bad { color: #c62828; font-weight: bold; }
.chain { margin: 1mm 0 0 0; color: #444; font-size: 8.5pt; }
.small { font-size: 8.5pt; color: #555; }
"""

BANNER = {"clean": "#e3f4e1", "findings": "#fff4d6", "unsafe": "#fde2e1"}

CHECKED = {
    "nl": [
        ("Veiligheid", "het ruwe bestand vóór het lezen: zip-bom, XML-entiteiten, macro's, "
         "externe koppelingen, DDE, OLE-objecten, verborgen bladen en gevaarlijke functies "
         "(WEBSERVICE, HYPERLINK, CALL, REGISTER)."),
        ("Sjabloonintegriteit", "elke cel en elke gedefinieerde naam tegen het standaardsjabloon "
         "van deze versie: overschreven of gewijzigde formules, ingevoegde of verwijderde rijen "
         "en kolommen, gewijzigde normen, hernoemde of ontbrekende namen."),
        ("Herberekening", "het referentiemodel op de invoer van de werkmap, vergeleken met de "
         "formules van de werkmap en met de in het bestand opgeslagen waarden (grens € 0,01)."),
        ("Modelkwaliteit", "FAST-regels: geen vaste getallen in formules, één formule per "
         "tijdlijnrij, geen verwijzingen naar lege cellen, geen ongebruikte invoer, geen "
         "kringverwijzingen."),
    ],
    "en": [
        ("Safety", "the raw file before it is read: zip bomb, XML entities, macros, external "
         "links, DDE, OLE objects, hidden sheets and dangerous functions (WEBSERVICE, HYPERLINK, "
         "CALL, REGISTER)."),
        ("Template integrity", "every cell and defined name against the standard template of "
         "this version: overwritten or altered formulas, inserted or deleted rows and columns, "
         "changed norms, renamed or missing names."),
        ("Recompute", "the reference model on the workbook's inputs, compared with the "
         "workbook's formulas and with the values cached in the file (limit € 0.01)."),
        ("Model quality", "FAST rules: no constants in formulas, one formula per timeline row, "
         "no references to empty cells, no unused inputs, no circular references."),
    ],
}

H = {
    "title": ("Controlerapport businesscase (xlcoop)", "Audit report business case (xlcoop)"),
    "made": ("Gemaakt op {when} met xlcoop {version}", "Made on {when} with xlcoop {version}"),
    "id": ("Identificatie", "Identification"),
    "figures": ("Kerncijfers", "Key figures"),
    "figure": ("Kerncijfer", "Figure"),
    "model": ("Referentiemodel", "Reference model"),
    "own": ("Formules werkmap", "Workbook formulas"),
    "cached": ("Opgeslagen in bestand", "Cached in file"),
    "none": ("–", "–"),
    "agree": ("Klopt", "Agrees"),
    "findings": ("Bevindingen", "Findings"),
    "where": ("Waar", "Where"),
    "what": ("Bevinding", "Finding"),
    "sev": ("Ernst", "Severity"),
    "checked": ("Wat is gecontroleerd", "What was checked"),
    "no_findings": ("Geen bevindingen.", "No findings."),
    "disclaimer": ("Dit rapport stelt vast of de werkmap het standaardsjabloon volgt en of de "
                   "cijfers kloppen met de invoer; het is geen oordeel over de "
                   "kredietwaardigheid van het project.",
                   "This report establishes whether the workbook follows the standard template "
                   "and whether its figures agree with its inputs; it is not a judgement of the "
                   "project's creditworthiness."),
    "sha": ("SHA-256", "SHA-256"), "size": ("Grootte", "Size"),
    "version": ("Templateversie", "Template version"),
    "fp": ("Vingerafdruk (opgegeven / sjabloon / berekend)",
           "Fingerprint (claimed / template / computed)"),
    "lang": ("Taal", "Language"), "inputs": ("Invoer", "Inputs"),
    "project": ("Project", "Project"),
}


def h(key: str, lang: str) -> str:
    pair = H[key]
    return pair[1] if lang == "en" else pair[0]


def _row(*cells: str, header: bool = False) -> str:
    tag = "th" if header else "td"
    return "<tr>" + "".join(c if c.startswith("<td") else f"<{tag}>{c}</{tag}>"
                            for c in cells) + "</tr>"


def html_report(report: Report, lang: str = "nl") -> str:
    from xlcoop import __version__

    e = escape
    status = report.status
    klass = "clean" if status == CLEAN else "findings" if status == FINDINGS else "unsafe"
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    parts = [
        "<!DOCTYPE html>", f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{e(h('title', lang))}: {e(report.path)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{e(h('title', lang))}</h1>",
        f'<p class="sub">{e(report.path)}<br>'
        f"{e(h('made', lang).format(when=now, version=__version__))}</p>",
        # A one-cell table with bgcolor: the banner keeps its colour in every renderer.
        f'<table class="verdict {klass}" width="100%"><tr><td bgcolor="{BANNER[klass]}">'
        f"{e(status_line(report, lang))}</td></tr></table>",
        f"<h2>{e(h('id', lang))}</h2><table>",
    ]
    ident: list[tuple[str, Any]] = []
    if report.project:
        ident.append((h("project", lang), ", ".join(str(v) for v in report.project.values())))
    ident += [(h("size", lang), f"{fmt(report.size, lang)} bytes"),
              (h("sha", lang), f'<span class="mono">{e(report.sha256)}</span>'),
              (h("version", lang), report.template_version or "-"),
              (h("fp", lang), " / ".join(str(x or "-") for x in (
                  report.fingerprint_claimed, report.fingerprint_expected,
                  report.fingerprint_actual))),
              (h("lang", lang), report.lang or "-"),
              (h("inputs", lang), t(report.inputs_state, lang))]
    for label, value in ident:
        shown = value if isinstance(value, str) and value.startswith("<span") else e(str(value))
        parts.append(_row(e(label), shown))
    parts.append("</table>")
    if report.figures:
        parts += [f"<h2>{e(h('figures', lang))}</h2><table>",
                  _row(e(h("figure", lang)), e(h("model", lang)), e(h("own", lang)),
                       e(h("cached", lang)), e(h("agree", lang)), header=True)]
        names, units = labels(lang), _units()
        from xlcoop.audit.recompute import differs

        for name in cover_figures():
            if name not in report.figures:
                continue
            model, unit = report.figures[name], units.get(name)
            shown = [model]
            cells = [f"{e(names.get(name, name))}<br><code>{e(name)}</code>",
                     f'<td class="num">{e(fmt_unit(model, unit, lang))}</td>']
            for source in (report.computed, report.cached):
                if name in source:
                    shown.append(source[name])
                    cells.append(f'<td class="num">{e(fmt_unit(source[name], unit, lang))}</td>')
                else:
                    cells.append(f'<td class="num">{e(h("none", lang))}</td>')
            ok = not any(differs(v, model, unit) for v in shown)
            cells.append(f'<td class="{"ok" if ok else "bad"}">{"✓" if ok else "✗"}</td>')
            parts.append(_row(*cells))
        parts.append("</table>")
    parts.append(f"<h2>{e(h('findings', lang))}</h2>")
    if not report.findings:
        parts.append(f"<p>{e(h('no_findings', lang))}</p>")
    for category in CATEGORIES:
        group = [f for f in report.findings if f.category == category]
        if not group:
            continue
        group.sort(key=lambda f: f.severity == INFO)
        parts += [f"<h3>{e(t(category, lang))}</h3><table>",
                  _row(e(h("sev", lang)), e(h("where", lang)), e(h("what", lang)),
                       header=True)]
        for f in group:
            where = " ".join(x for x in (
                f"<code>{e(f.name)}</code>" if f.name else "",
                e(f"'{f.sheet}'!{f.address}" if f.address else (f"'{f.sheet}'" if f.sheet
                                                                 else "")),
            ) if x)
            chain = ""
            if f.chain:  # one line: the path back to where the workbook departs
                steps = []
                for step in f.chain:
                    label = step.get("name") or step.get("label") or ""
                    steps.append(f"{e(str(label))} <code>{e(step['address'])}</code>")
                last = step_values(f.chain[-1], lang)
                chain = (f'<div class="chain">{e(t("chain", lang))} ' + " ← ".join(steps)
                         + (f" ({e(last)})" if last else "") + "</div>")
            parts.append(_row(f'<td class="sev {f.severity}">{e(t(f.severity, lang))}</td>',
                              where, e(render(f, lang)) + chain))
        parts.append("</table>")
    parts.append(f"<h2>{e(h('checked', lang))}</h2><ul>")
    for title, text in CHECKED["en" if lang == "en" else "nl"]:
        parts.append(f"<li><b>{e(title)}</b>: {e(text)}</li>")
    parts += ["</ul>", f'<p class="small">{e(h("disclaimer", lang))}</p>', "</body></html>"]
    return "\n".join(parts) + "\n"


def _units() -> dict[str, str]:
    from xlcoop.layout import all_items

    return {i.name: i.unit for i in all_items()}
