"""Fixed texts of the workbook in Dutch and English (labels of line items live in the registry)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "cover_title": ("Businesscase wooncoöperatie", "Housing cooperative business case"),
    "cover_subtitle": ("Standaard businesscase voor de financiering van een wooncoöperatie "
                       "(xlcoop): alle uitkomsten zijn formules.",
                       "Standard business case for financing a housing cooperative (xlcoop): "
                       "every result is a formula."),
    "project": ("Project", "Project"),
    "verdict": ("Financierbaar: geen bezwaar van de bank in enig jaar (WAAR = ja)",
                "Bankable: no objection under the bank's norms in any year (TRUE = yes)"),
    "objections": ("Aantal bezwaren (lijst hieronder)", "Number of objections (listed below)"),
    "status": ("Invoer compleet en consistent: alle controles in orde (WAAR = ja)",
               "Input complete and consistent: all checks pass (TRUE = yes)"),
    "warnings": ("Aantal waarschuwingen", "Number of warnings"),
    "objection_list": ("Bezwaren van de kredietcommissie (WAAR = bezwaar; blad Oordeel)",
                       "The credit committee's objections (TRUE = objection; Verdict sheet)"),
    "sev_objection": ("bezwaar", "objection"),
    "oordeel_subtitle": ("Twee oordelen: financierbaar volgens de normen van de bank (elk jaar) "
                         "en invoer compleet (Controles). De hele schuld, de vordering van de "
                         "corporatie en een doorverkoop.",
                         "Two verdicts: bankable under the bank's norms (every year) and input "
                         "complete (Checks). The whole debt, the corporation's claim and a "
                         "resale."),
    "balans_subtitle": ("Balans tegen marktwaarde per jaar: woningen (verhuurd, anders leeg) en "
                        "kas; banklening, achtergestelde tranches, vordering van de corporatie; "
                        "eigen vermogen en solvabiliteit.",
                        "Balance sheet at market value per year: homes (let, else vacant) and "
                        "cash; bank loan, subordinated tranches, the corporation's claim; equity "
                        "and solvency."),
    "rounding_note": ("Ratio's op 3 decimalen, percentages op 2; haalt een cijfer de norm niet "
                      "maar rondt het af op de norm, dan staat er '<' of '>' voor (bv. <1,050). "
                      "Rood: haalt de norm niet.",
                      "Ratios to 3 decimals, percentages to 2; a figure that fails its norm but "
                      "rounds to it shows '<' or '>' in front (e.g. <1.050). Red: fails the "
                      "norm."),
    "not_applicable_note": (" Rijen voor één aflossingsvorm tonen n.v.t. bij de andere.",
                            " Rows for one amortisation form show n/a under the other."),
    "key_figures": ("Kerncijfers", "Key figures"),
    "instructions": ("Werkwijze", "How to use"),
    "colour_key": ("Kleurcode", "Colour key"),
    "key_input": ("1.000|Invoer: blauwe tekst op lichtgeel, vrij te wijzigen",
                  "1,000|Input: blue text on light yellow, free to change"),
    "key_norm": ("6,00%|Standaardnorm met bron en jaar (blad Normen); overschrijf in 'Eigen "
                 "waarde'", "6.00%|Standard norm with source and year (Norms sheet); override "
                 "in 'Own value'"),
    "key_formula": ("1.000|Formule: zwarte tekst, beveiligd", "1,000|Formula: black text, "
                    "protected"),
    "key_output": ("1.000|Kerncijfer voor de bank: vet", "1,000|Key figure for the bank: bold"),
    "key_addin": ("882.000|Uitkomst van de invoegtoepassing (blad Controles)",
                  "882,000|Result written by the add-in (Checks sheet)"),
    "key_ok": ("WAAR|Controle in orde", "TRUE|Check passes"),
    "key_fail": ("ONWAAR|Controle niet in orde", "FALSE|Check fails"),
    "inputs_subtitle": ("Vul alleen de lichtgele cellen in. Bedragen in euro's, percentages als %.",
                        "Fill in the light-yellow cells only. Amounts in euros, percentages as %."),
    "dwellings": ("Woningen per type", "Dwellings by type"),
    "norms_subtitle": ("Elke norm met bron en jaar. Vul 'Eigen waarde' in om een norm te "
                       "overschrijven (bijv. de norm van uw bank).",
                       "Every norm with source and year. Fill in 'Own value' to override a norm "
                       "(e.g. your bank's)."),
    "applied_norms": ("Toegepaste normen", "Applied norms"),
    "calc_subtitle": ("Berekening jaar 1 volgens het stappenplan: exploitatie, maximale lening, "
                      "buffer, aankoopprijs en maatschappelijk kapitaal.",
                      "Year-1 calculation following the guide: operations, maximum loan, buffer, "
                      "purchase price and social capital."),
    "nieuwbouw_subtitle": ("Nieuwbouw of transformatie: stichtingskosten, bronnen en bestedingen "
                           "(bank, fonds, leden, subsidies, startkapitaal) en het tekort. Bij "
                           "overname blijft dit blad nul.",
                           "New build or transformation: development costs, sources and uses "
                           "(bank, fund, members, subsidies, start capital) and the gap. Zero "
                           "for a takeover."),
    "kansrijk_subtitle": ("Voorwaarden van de beoordelingscommissie (Kamerbrief 2023) en het "
                          "dossier voor de bank (stappenplan), met live formules.",
                          "The assessment committee's conditions (Minister's letter 2023) and "
                          "the dossier for the bank (guide), with live formulas."),
    "programma_subtitle": ("Wat een budget financiert (rekenvoorbeeld Kamerbrief 2023): exacte "
                           "uitkomst naast het afgeronde getal van de brief.",
                           "What a budget funds (the Minister's 2023 letter): the exact figure "
                           "beside the letter's rounded one."),
    "huur_subtitle": ("Huurrecht: segment en wettelijk maximum per woning uit de WWS-punten, de "
                      "huurverhoging na de laatste bekende tabel (aanname), huurtoeslag en de "
                      "inkomenseis.", "Rent law: segment and legal maximum per dwelling from the "
                      "WWS points, the rent increase after the last known table (assumption), "
                      "rent allowance and the income rule."),
    "rent_per_dwelling": ("Toets per woningtype (rij = rij van de woningtabel op Invoer)",
                          "Test per dwelling type (row = row of the dwellings table on Inputs)"),
    "row_nr": ("Rij", "Row"),
    "rent_table_note": ("Maximum: de huurprijscheck van de Huurcommissie als ingevuld; anders "
                        "de grens van het segment (sociaal: maximum bij 143 punten, midden: bij "
                        "186 punten). De huurprijstabel per punt staat niet in de werkmap.",
                        "Maximum: the Huurcommissie's huurprijscheck when entered; else the "
                        "segment's ceiling (social: the maximum at 143 points, mid: at 186 "
                        "points). The rent table per point is not in the workbook."),
    "letter_figure": ("Kamerbrief (afgerond)", "Letter (rounded)"),
    "checks_subtitle": ("Elke controle met haar norm. 'fout' telt mee in de hoofdcontrole; "
                        "'waarschuwing' vraagt om toelichting.",
                        "Every check with its norm. 'error' counts in the master check; "
                        "'warning' asks for an explanation."),
    "see_table": ("zie tabel", "see table"),
    "addin_section": ("Invoegtoepassing (xlwings): uitkomsten", "Add-in (xlwings): results"),
    "addin_note": ("Alleen de invoegtoepassing schrijft in de blauwe cellen.",
                   "Only the add-in writes in the blue cells."),
    "addin_solver": ("Oplosser", "Solver"),
    "addin_value": ("Uitkomst", "Result"),
    "addin_limit": ("Bindende grens", "Binding limit"),
    "addin_price": ("Bij prijs", "At price"),
    "addin_names": ("Namen", "Names"),
    "year_n": ("jaar {n}", "year {n}"),
    "calendar_year": ("Kalenderjaar", "Calendar year"),
    "overview": ("Overzicht: zwakste jaar per scenario (30 jaar)",
                 "Overview: weakest year per scenario (30 years)"),
    "break_evens": ("Break-even (laagste DSCR netto = 1,00)",
                    "Break-even (lowest net DSCR = 1.00)"),
    "summary_subtitle": ("Eén pagina voor de bank: het oordeel en de bezwaren, kerncijfers, "
                         "meerjarige toets, controles en grafieken.", "One page for the bank: "
                         "the verdict and the objections, key figures, multi-year test, checks "
                         "and charts."),
    "not_applicable": ("n.v.t.", "n/a"),  # a row for the other amortisation form
    "exploitatie_subtitle": ("Meerjarenraming: huur (ten hoogste de wettelijke maximale "
                             "verhoging; na de laatste bekende tabel een aanname per segment), "
                             "huurderving, lasten en groot onderhoud, geïndexeerd.",
                             "Projection: rent (at most the legal maximum increase; after the "
                             "last known table an assumption per segment), rent loss, costs and "
                             "major maintenance, indexed."),
    "lening_subtitle": ("Banklening (rang 1) met herfinanciering na elke looptijd tegen de "
                        "stressrente, fondslening (rang 2), achtergestelde lening (rang 3), "
                        "ledenleningen (rang 4), ratio's per jaar en kas.",
                        "Bank loan (rank 1) refinanced after each term at the stress rate, fund "
                        "loan (rank 2), subordinated loan (rank 3), member loans (rank 4), "
                        "ratios per year and cash."),
    "gevoeligheid_subtitle": ("Wat een bank vraagt: elk scenario rekent de hele reeks opnieuw "
                              "(geen gegevenstabellen). Verschuivingen staan op het blad Normen.",
                              "What a bank asks: each scenario recomputes the whole series (no "
                              "data tables). The shifts are on the Norms sheet."),
    "chart_title_cash": ("Netto cashflow en rente + aflossing", "Net cash flow and debt service"),
    "chart_ncf": ("Netto cashflow", "Net cash flow"),
    "chart_debt_service": ("Rente + aflossing bank", "Bank debt service"),
    "chart_debt_service2": ("Rente + aflossing achtergesteld (rang 2-4)",
                            "Subordinated debt service (ranks 2-4)"),
    "chart_debt_service_all": ("Rente + aflossing totaal (alle tranches)",
                               "Total debt service (all tranches)"),
    "chart_dscr_total": ("DSCR totaal (alle tranches)", "Total DSCR (all tranches)"),
    "chart_title_balance": ("Saldo banklening en LTV", "Bank loan balance and LTV"),
    "chart_balance": ("Saldo banklening", "Bank loan balance"),
    "chart_title_dscr": ("DSCR netto tegen de norm", "Net DSCR against the norm"),
    "chart_dscr": ("DSCR netto", "Net DSCR"),
    "chart_dscr_norm": ("Norm", "Norm"),
    "sev_error": ("fout", "error"),
    "sev_warning": ("waarschuwing", "warning"),
    "dv_title": ("Ongeldige invoer", "Invalid input"),
    "dv_choice": ("Kies een van: ", "Choose one of: "),
    "dv_min": ("Vul een getal van minimaal {lo} in.", "Enter a number of at least {lo}."),
    "dv_between": ("Vul een getal tussen {lo} en {hi} in.", "Enter a number between {lo} and "
                   "{hi}."),
    "dv_pct": (" Percentages als %, bijv. 6%.", " Percentages as %, e.g. 6%."),
}

HEADERS: dict[str, dict[str, list[str]]] = {
    "invoer": {"nl": ["Omschrijving", "Eenheid", "Waarde", "Naam", "Toelichting"],
               "en": ["Description", "Unit", "Value", "Name", "Explanation"]},
    "financiering": {"nl": ["Omschrijving", "Eenheid", "Waarde", "Naam", "Toelichting"],
                     "en": ["Description", "Unit", "Value", "Name", "Explanation"]},
    "normen": {"nl": ["Norm", "Eenheid", "Standaard", "Eigen waarde", "Gebruikt", "Jaar", "Bron",
                      "Naam"],
               "en": ["Norm", "Unit", "Standard", "Own value", "Used", "Year", "Source", "Name"]},
    "norm_table": {"nl": ["Sleutel", "Eenheid", "Waarde", "", "", "Jaar", "Bron", "Toelichting"],
                   "en": ["Key", "Unit", "Value", "", "", "Year", "Source", "Note"]},
    "samenvatting": {"nl": ["Omschrijving", "Eenheid", "Waarde"],
                     "en": ["Description", "Unit", "Value"]},
    "timeline": {"nl": ["Omschrijving", "Eenheid", "Constante", "Totaal / zwakst", "Start"],
                 "en": ["Description", "Unit", "Constant", "Total / weakest", "Start"]},
    "overview": {"nl": ["Scenario", "Verschuiving", "Laagste DSCR", "Laagste kas", "Hoogste LTV",
                        "Namen"],
                 "en": ["Scenario", "Shift", "Lowest DSCR", "Lowest cash", "Peak LTV", "Names"]},
    "oordeel": {"nl": ["Omschrijving", "Soort", "Uitkomst", "Cijfer", "Norm", "Naam",
                       "Toelichting"],
                "en": ["Description", "Kind", "Result", "Figure", "Norm", "Name",
                       "Explanation"]},
    "controles": {"nl": ["Controle", "Ernst", "Resultaat", "Waarde", "Norm", "Naam",
                         "Toelichting"],
                  "en": ["Check", "Severity", "Result", "Value", "Norm", "Name", "Explanation"]},
}

COVER_TEXT: dict[str, list[str]] = {
    "nl": [
        "1. Vul op het blad Invoer de lichtgele cellen in: project, woningen per type, "
        "exploitatie, financiering.",
        "2. Controleer op het blad Normen de normen van uw bank; overschrijf waar nodig in "
        "'Eigen waarde'.",
        "3. Lees op het blad Financiering de maximale lening, aankoopprijs en het "
        "maatschappelijk kapitaal.",
        "4. Het blad Controles toont elke toets met haar norm; bovenaan staat de hoofdcontrole.",
        "5. Het blad Oordeel toont of de bank kan financieren (financierbaar) en elk bezwaar met "
        "cijfer en norm; het blad Balans de balans tegen marktwaarde.",
        "Formules zijn beveiligd (zonder wachtwoord): wijzig ze niet, anders herkent de bank "
        "de standaard niet meer.",
        "Alle namen (bijv. max_lening) zijn vaste, gedocumenteerde namen voor banken en de "
        "invoegtoepassing.",
    ],
    "en": [
        "1. On the Inputs sheet fill in the light-yellow cells: project, dwellings by type, "
        "operations, financing.",
        "2. On the Norms sheet check your bank's norms; override where needed in 'Own value'.",
        "3. The Financing sheet shows the maximum loan, purchase price and social capital.",
        "4. The Checks sheet lists every test with its norm; the master check is at the top "
        "of the cover.",
        "5. The Verdict sheet says whether the bank can finance the case (financierbaar) and "
        "lists each objection with figure and norm; the Balance sheet is at market value.",
        "Formulas are protected (no password): do not change them, or the bank no longer "
        "recognises the standard.",
        "All names (e.g. max_lening) are fixed, documented names for banks and the add-in.",
    ],
}


def t(key: str, lang: str) -> str:
    nl, en = TEXTS[key]
    return en if lang == "en" else nl
