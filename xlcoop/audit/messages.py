"""One sentence per finding code, in Dutch and English, filled from the finding's parameters."""

from __future__ import annotations

from typing import Any

from xlcoop.audit.findings import Finding

M: dict[str, tuple[str, str]] = {
    # -- safety ----------------------------------------------------------------------------
    "file_missing": ("Bestand bestaat niet of is geen bestand.",
                     "File does not exist or is not a file."),
    "file_unreadable": ("Bestand kan niet worden gelezen: {detail}.",
                        "File cannot be read: {detail}."),
    "empty_file": ("Leeg bestand (0 bytes): geen werkmap.", "Empty file (0 bytes): no workbook."),
    "file_too_large": ("Bestand is {size} bytes, meer dan de grens van {limit}: niet gelezen.",
                       "File is {size} bytes, above the limit of {limit}: not read."),
    "not_xlsx": ("Geen .xlsx-werkmap: het bestand is {what}.",
                 "Not an .xlsx workbook: the file is {what}."),
    "damaged_zip": ("Beschadigd of afgebroken zip-archief ({detail}): niet te lezen.",
                    "Damaged or truncated zip archive ({detail}): cannot be read."),
    "zip_bomb": ("Mogelijke zip-bom ({reason}: {value} > grens {limit}{entry_at}): "
                 "niet uitgepakt en niet gelezen.",
                 "Possible zip bomb ({reason}: {value} > limit {limit}{entry_at}): not "
                 "inflated and not read."),
    "part_too_large": ("Onderdeel {entry} is uitgepakt {size} bytes, meer dan de grens van "
                       "{limit} voor een businesscase: niet gelezen.",
                       "Part {entry} inflates to {size} bytes, above the limit of {limit} for "
                       "a business case: not read."),
    "duplicate_entry": ("Het archief bevat '{entry}' twee keer: onduidelijk wat Excel leest.",
                        "The archive holds '{entry}' twice: unclear which one Excel reads."),
    "suspicious_entry": ("Verdachte naam in het archief: '{entry}'.",
                         "Suspicious entry name in the archive: '{entry}'."),
    "encrypted_entry": ("Versleuteld onderdeel '{entry}': niet te controleren.",
                        "Encrypted entry '{entry}': cannot be checked."),
    "xml_encoding": ("Onderdeel {entry} gebruikt codering {encoding} (standaard is UTF-8): "
                     "niet gelezen.",
                     "Part {entry} uses encoding {encoding} (standard is UTF-8): not read."),
    "xml_entities": ("Onderdeel {entry} declareert XML-entiteiten (DOCTYPE/ENTITY; "
                     "billion laughs of externe entiteit={external}): niet gelezen.",
                     "Part {entry} declares XML entities (DOCTYPE/ENTITY; billion laughs or "
                     "external entity={external}): not parsed."),
    "malformed_xml": ("Ongeldige XML in de werkmap: {detail}.",
                      "Malformed XML in the workbook: {detail}."),
    "macro": ("Bevat macrocode ({entries}): open het bestand niet in Excel met macro's aan.",
              "Contains macro code ({entries}): do not open it in Excel with macros enabled."),
    "ole_object": ("Bevat ingesloten OLE/ActiveX-objecten ({entries}).",
                   "Contains embedded OLE/ActiveX objects ({entries})."),
    "external_link": ("Koppeling naar een ander bestand ({entry} → {target}): cijfers kunnen "
                      "van buiten de werkmap komen.",
                      "Link to another file ({entry} → {target}): figures may come from "
                      "outside the workbook."),
    "dde_link": ("DDE-koppeling naar service '{service}', onderwerp '{topic}' ({entry}): kan "
                 "programma's starten.",
                 "DDE link to service '{service}', topic '{topic}' ({entry}): can start "
                 "programs."),
    "dde_formula": ("Formule met een DDE-aanroep: {formula}.",
                    "Formula with a DDE call: {formula}."),
    "data_connection": ("Externe gegevensverbinding ({entries}): kan bij openen gegevens "
                        "ophalen.", "External data connection ({entries}): may fetch data "
                        "when opened."),
    "add_in_part": ("Bevat invoegtoepassing- of lintonderdelen ({entries}).",
                    "Contains add-in or ribbon parts ({entries})."),
    "external_target": ("Externe verwijzing ({kind}) naar {target} in {entry}.",
                        "External target ({kind}) {target} in {entry}."),
    "dangerous_function": ("Formule roept {function} aan ({risk}): {formula}.",
                           "Formula calls {function} ({risk}): {formula}."),
    "hidden_sheet": ("Verborgen werkblad.", "Hidden sheet."),
    "very_hidden_sheet": ("Zeer verborgen werkblad (alleen via VBA/XML zichtbaar te maken).",
                          "Very hidden sheet (can only be unhidden through VBA/XML)."),
    "internal_error": ("De controle kon dit bestand niet afmaken: {detail}.",
                       "The audit could not finish this file: {detail}."),
    # -- integrity -------------------------------------------------------------------------
    "not_xlcoop": ("Geen xlcoop-werkmap: geen enkel werkblad van het sjabloon gevonden "
                   "(bladen: {sheets}).",
                   "Not an xlcoop workbook: none of the template's sheets found (sheets: "
                   "{sheets})."),
    "version_unknown": ("Templateversie {version}; deze controle kent versie {known}: "
                        "integriteit niet te bewijzen, alleen de eigen formules herberekend.",
                        "Template version {version}; this audit knows version {known}: "
                        "integrity cannot be proven, only the file's own formulas "
                        "recomputed."),
    "fingerprint_claim": ("Vingerafdruk op het voorblad is {claimed}, het sjabloon heeft "
                          "{expected}.",
                          "Fingerprint on the cover is {claimed}, the template has {expected}."),
    "sheet_renamed": ("Werkblad '{old}' heet nu '{new}'.", "Sheet '{old}' is now named '{new}'."),
    "sheet_missing": ("Werkblad '{title}' ontbreekt.", "Sheet '{title}' is missing."),
    "extra_sheet": ("Werkblad dat niet in het sjabloon staat ({cells} cellen).",
                    "Sheet not in the template ({cells} cells)."),
    "sheet_order": ("De volgorde van de werkbladen wijkt af van het sjabloon.",
                    "The sheets are in another order than in the template."),
    "rows_inserted": ("{count} rij(en) ingevoegd (rij {first}–{last}) vóór '{before}'; alles "
                      "eronder is verschoven. Inhoud: {content}.",
                      "{count} row(s) inserted (rows {first}–{last}) before '{before}'; "
                      "everything below moved. Content: {content}."),
    "cols_inserted": ("{count} kolom(men) ingevoegd; alles rechts ervan is verschoven. "
                      "Inhoud: {content}.",
                      "{count} column(s) inserted; everything to the right moved. "
                      "Content: {content}."),
    "rows_deleted": ("{count} rij(en) van het sjabloon verwijderd (sjabloonrij {first}–{last}); "
                     "namen kwijt: {names}; inhoud: {content}.",
                     "{count} template row(s) deleted (template rows {first}–{last}); names "
                     "lost: {names}; content: {content}."),
    "cols_deleted": ("{count} kolom(men) van het sjabloon verwijderd; namen kwijt: {names}; "
                     "inhoud: {content}.",
                     "{count} template column(s) deleted; names lost: {names}; content: "
                     "{content}."),
    "formula_overwritten": ("Formule vervangen door een vaste waarde {value}{cells} (sjabloon: "
                            "{formula}).",
                            "Formula overwritten with the constant {value}{cells} (template: "
                            "{formula})."),
    "formula_removed": ("Formule verwijderd{cells} (sjabloon: {formula}).",
                        "Formula removed{cells} (template: {formula})."),
    "formula_altered": ("Formule gewijzigd{cells}: {new} (sjabloon: {old}).",
                        "Formula altered{cells}: {new} (template: {old})."),
    "input_formula": ("Invoercel bevat een formule: {formula}.",
                      "Input cell holds a formula: {formula}."),
    "norm_changed": ("Norm gewijzigd: {old} → {new}.", "Norm changed: {old} → {new}."),
    "constant_changed": ("Vaste waarde gewijzigd: {old} → {new}.",
                         "Constant changed: {old} → {new}."),
    "label_changed": ("Tekst gewijzigd: '{old}' → '{new}'.", "Text changed: '{old}' → '{new}'."),
    "extra_formula": ("Formule die niet in het sjabloon staat: {content}.",
                      "Formula not in the template: {content}."),
    "extra_content": ("Inhoud die niet in het sjabloon staat: {content}.",
                      "Content not in the template: {content}."),
    "extra_formula_more": ("En nog {count} formules buiten het sjabloon.",
                           "And {count} more formulas outside the template."),
    "extra_content_more": ("En nog {count} cellen buiten het sjabloon.",
                           "And {count} more cells outside the template."),
    "name_missing": ("Gedefinieerde naam ontbreekt (sjabloon: {template}).",
                     "Defined name missing (template: {template})."),
    "name_renamed": ("Gedefinieerde naam hernoemd naar '{new}' ({template}).",
                     "Defined name renamed to '{new}' ({template})."),
    "name_moved": ("Naam wijst naar {definition}, het sjabloon naar {template}.",
                   "Name points at {definition}, the template at {template}."),
    "name_broken": ("Naam is verbroken ({definition}; sjabloon: {template}).",
                    "Name is broken ({definition}; template: {template})."),
    "name_shadowed": ("Werkbladnaam met dezelfde naam overschaduwt de werkmapnaam: "
                      "{definition}.",
                      "A sheet-level name of the same name shadows the workbook name: "
                      "{definition}."),
    "name_hidden": ("Gedefinieerde naam is verborgen.", "Defined name is hidden."),
    "extra_name": ("Gedefinieerde naam die niet in het sjabloon staat: {definition}.",
                   "Defined name not in the template: {definition}."),
    "hidden_rows": ("{count} verborgen rij(en).", "{count} hidden row(s)."),
    "hidden_cols": ("{count} verborgen kolom(men).", "{count} hidden column(s)."),
    # -- recompute -------------------------------------------------------------------------
    "inputs_empty": ("Invoer niet ingevuld (leeg sjabloon): geen cijfers te herberekenen.",
                     "Inputs not filled in (empty template): no figures to recompute."),
    "inputs_invalid": ("Invoer ongeldig: {problems}.", "Invalid inputs: {problems}."),
    "model_failed": ("Referentiemodel kon niet rekenen: {detail}.",
                     "Reference model could not compute: {detail}."),
    "norm_override": ("Eigen norm ingevuld: {own} (standaard {standard}).",
                      "Own norm value entered: {own} (standard {standard})."),
    "no_cached_values": ("Geen opgeslagen rekenwaarden in het bestand (nooit in een spreadsheet "
                         "berekend): alleen het referentiemodel telt.",
                         "No cached values in the file (never calculated by a spreadsheet): "
                         "only the reference model counts."),
    "partial_cache": ("{missing} van {formulas} formules zonder opgeslagen waarde.",
                      "{missing} of {formulas} formulas without a cached value."),
    "result_differs": ("Werkmap geeft {workbook}, het standaardmodel {standard}.",
                       "Workbook gives {workbook}, the standard model {standard}."),
    "cached_differs": ("Opgeslagen waarde {cached} wijkt af van de formules: "
                       "{computed}{root_note}.",
                       "Cached value {cached} differs from the formulas: {computed}{root_note}."),
    "results_differ_more": ("Nog {count} uitkomsten wijken af van het standaardmodel "
                            "(werkmap / standaard): {names}.",
                            "{count} more results differ from the standard model (workbook / "
                            "standard): {names}."),
    "recompute_incomplete": ("{count} formules niet herberekend (tijdsgrens {budget} s of "
                             "onveilig bestand).",
                             "{count} formulas not recomputed (time limit {budget} s or unsafe "
                             "file)."),
    "cached_differs_more": ("En nog {count} afwijkende opgeslagen waarden.",
                            "And {count} more differing cached values."),
    # -- lint ------------------------------------------------------------------------------
    "constant_in_formula": ("Vaste waarde in formule ({constants}): {formula}.",
                            "Constant inside a formula ({constants}): {formula}."),
    "volatile_function": ("Volatiele functie {functions}: {formula}.",
                           "Volatile function {functions}: {formula}."),
    "unsupported_function": ("Functie {functions} werkt niet in LibreOffice 7.4: {formula}.",
                             "Function {functions} does not work in LibreOffice 7.4: "
                             "{formula}."),
    "whole_reference": ("Verwijzing naar hele kolom of rij: {formula}.",
                        "Whole-column or whole-row reference: {formula}."),
    "array_formula": ("Matrixformule of gegevenstabel: {formula}.",
                      "Array formula or data table: {formula}."),
    "broken_reference": ("Verbroken verwijzing {refs}: {formula}.",
                         "Broken reference {refs}: {formula}."),
    "inconsistent_row": ("Tijdlijnrij niet consistent: {cells} wijken af van {expected}.",
                         "Inconsistent timeline row: {cells} differ from {expected}."),
    "empty_reference": ("Verwijst naar lege cel {target} ({ref}) die geen invoer is.",
                        "Refers to empty cell {target} ({ref}) that is not an input."),
    "unused_input": ("Invoer '{input}' wordt door geen formule gebruikt.",
                     "Input '{input}' is used by no formula."),
    "circular_reference": ("Kringverwijzing: {cells}.", "Circular reference: {cells}."),
    "lint_more": ("En nog {count} bevindingen van regel {rule}.",
                  "And {count} more findings of rule {rule}."),
}

REASONS = {
    "entries": ("aantal onderdelen", "number of entries"),
    "entry_size": ("uitgepakte grootte", "inflated size"),
    "ratio": ("compressieverhouding", "compression ratio"),
    "total_size": ("totale uitgepakte grootte", "total inflated size"),
    "inflates": ("pakt groter uit dan opgegeven", "inflates beyond its declared size"),
}
RISKS = {"code": ("voert code uit", "runs code"), "network": ("haalt gegevens van het netwerk",
                                                               "fetches from the network"),
         "link": ("opent een koppeling", "opens a link")}


def fmt(value: Any, lang: str) -> str:
    """A value in the report's notation: 1.234.567,89 (nl) or 1,234,567.89 (en)."""
    if isinstance(value, bool):
        return ("WAAR" if value else "ONWAAR") if lang == "nl" else ("TRUE" if value
                                                                   else "FALSE")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, float):
        text = f"{value:,.2f}" if abs(value) >= 100 else f"{value:,.6g}"
    elif value is None:
        return "(leeg)" if lang == "nl" else "(blank)"
    elif isinstance(value, (list, tuple)):
        return "; ".join(fmt(v, lang) for v in value) if value else "—"
    else:
        return str(value)
    if lang == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def fmt_unit(value: Any, unit: str | None, lang: str) -> str:
    """A figure in its unit: 41,20% for a percentage, two decimals for money and factors."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return fmt(value, lang)
    if unit == "pct":
        text = f"{value * 100:,.2f}%"
    elif unit and (unit.startswith("eur") or unit == "factor"):
        text = f"{value:,.2f}"
    else:
        return fmt(value, lang)
    if lang == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


VALUE_KEYS = ("workbook", "standard", "cached", "computed", "old", "new", "own")


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def render(finding: Finding, lang: str = "nl") -> str:
    i = 1 if lang == "en" else 0
    template = M.get(finding.code, (finding.code, finding.code))[i]
    unit = finding.params.get("unit")
    params = _Params({k: fmt_unit(v, unit, lang) if k in VALUE_KEYS else fmt(v, lang)
                      for k, v in finding.params.items()})
    if finding.code == "zip_bomb":
        params["reason"] = REASONS.get(finding.params.get("reason", ""), ("?", "?"))[i]
        entry = finding.params.get("entry")
        params["entry_at"] = f", {entry}" if entry else ""
    if finding.code == "dangerous_function":
        params["risk"] = RISKS.get(finding.params.get("risk", ""), ("?", "?"))[i]
    count = finding.params.get("count")
    params["cells"] = "" if count is None or finding.code not in (
        "formula_overwritten", "formula_altered", "formula_removed") else (
        f" in {count} cellen, hier de eerste" if i == 0 else f" in {count} cells, the first shown")
    if finding.code == "cached_differs":
        root = finding.params.get("root")
        params["root_note"] = ("" if not root else
                               (" (de voorgangers kloppen: hier begint het)" if i == 0 else
                                " (its precedents agree: it starts here)"))
    return template.format_map(params)
