"""What a credit committee objects to: the bankability verdict's objections, defined once.

Two verdicts, never one: ``controles_ok`` says the workbook is complete and consistent;
``financierbaar`` says the case meets the bank's norms in every year of the projection. Each
objection is a named boolean ``bezwaar_*`` (TRUE = the committee objects), shown with the figure
it is about and the norm it is held against; ``aantal_bezwaren`` counts them and
``financierbaar`` holds when it is zero.

Pure data (domain layer): the registry (``xlcoop.layout``) gives each objection its formula, the
reference model (``xlcoop.credit``) computes it. To add an objection (e.g. the rent-law income
rule of issue 12, ``bezwaar_inkomensregel``), append it to ``OBJECTIONS`` and give it a formula in
``layout.OBJECTION_FORMULAS`` and a rule in ``credit.OBJECTION_RULES``; a test holds the three
together, and the verdict, the count, the cover and the summary follow by themselves.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Objection:
    name: str  # defined name, bezwaar_*
    label_nl: str
    label_en: str
    value_ref: str  # the figure the objection is about
    norm_ref: str  # the limit it is held against ("" when none)
    note_nl: str = ""
    note_en: str = ""
    # how the figure fails its norm: "below" a minimum, "above" a maximum; "" when the figure
    # is not held against the norm as a number (a date, a yes/no, no norm)
    fails: str = ""


OBJECTIONS: tuple[Objection, ...] = (
    Objection("bezwaar_dscr", "DSCR bank (netto) onder de norm in enig jaar",
              "Bank DSCR (net) below the norm in some year", "dscr_min", "dscr_min_netto",
              "Zwakste jaar over 30 jaar; netto cashflow na lasten en reservering groot "
              "onderhoud, gedeeld door rente + aflossing bank.",
              "Weakest year over 30 years; net cash flow after costs and the maintenance "
              "reserve, over bank interest + amortisation.", fails="below"),
    Objection("bezwaar_dscr_bruto", "DSCR bank (bruto) onder de norm in enig jaar",
              "Bank DSCR (gross) below the norm in some year", "dscr_bruto_min",
              "dscr_min_bruto", "Zwakste jaar; baten na huurderving (vóór lasten en "
              "reservering groot onderhoud), gedeeld door rente + aflossing bank.",
              "Weakest year; income after rent loss (before costs and the maintenance "
              "reserve), over bank interest + amortisation.", fails="below"),
    Objection("bezwaar_icr", "ICR bank (netto) onder de norm in enig jaar",
              "Bank ICR (net) below the norm in some year", "icr_min", "icr_min_netto",
              "Zwakste jaar; netto cashflow na lasten en reservering groot onderhoud, gedeeld "
              "door de rente van de bank.", "Weakest year; net cash flow after costs and the "
              "maintenance reserve, over bank interest.", fails="below"),
    Objection("bezwaar_icr_bruto", "ICR bank (bruto) onder de norm in enig jaar",
              "Bank ICR (gross) below the norm in some year", "icr_bruto_min", "icr_min_bruto",
              "Zwakste jaar; baten na huurderving, gedeeld door de rente van de bank.",
              "Weakest year; income after rent loss, over bank interest.", fails="below"),
    Objection("bezwaar_dscr_totaal", "DSCR totaal (alle tranches) onder de norm",
              "Total DSCR (all tranches) below the norm", "dscr_totaal_min", "dscr_min_totaal",
              "Rente + aflossing van bank en alle achtergestelde tranches.",
              "Interest + repayment of the bank and every subordinated tranche.",
              fails="below"),
    Objection("bezwaar_ltv_start", "LTV bij aanvang boven de norm (waarde verhuurd)",
              "LTV at start above the norm (let value)", "ltv_bank_start", "ltv_max",
              "Op de waarde in verhuurde staat; zonder die waarde op de leegwaarde.",
              "On the value in let state; without it on the vacant value.", fails="above"),
    Objection("bezwaar_ltv_herfinanciering", "LTV bij een herfinanciering boven de norm",
              "LTV at a refinancing above the norm", "ltv_herfinanciering_max", "ltv_max",
              "Op elke herfinancieringsdatum (einde van elke looptijd), waarde geïndexeerd.",
              "At every refinancing date (end of each term), value indexed.", fails="above"),
    Objection("bezwaar_kas", "Kas negatief in enig jaar", "Cash negative in some year",
              "kas_min", ""),
    Objection("bezwaar_verkoopprijs", "Verkoopprijs onder de ondergrens van de corporatie",
              "Sale price below the corporation's floor", "verkoopprijs",
              "minimale_verkoopprijs", fails="below"),
    Objection("bezwaar_taxatie", "Taxatie ontbreekt of is te oud op de aanvraagdatum",
              "Valuation missing or too old at the application date", "taxatie_geldig_tot",
              "aanvraagdatum"),
    Objection("bezwaar_lasten", "Lasten of onderhoud onder de norm zonder onderbouwing",
              "Costs or maintenance below the norm without substantiation",
              "exploitatielasten_per_woning", "norm_exploitatielasten_per_woning",
              "Onderbouw lagere lasten op het blad Invoer (onderbouwing_lasten).",
              "Substantiate lower costs on the Inputs sheet (onderbouwing_lasten).",
              fails="below"),
    Objection("bezwaar_waarde_verhuurd", "Geen marktwaarde in verhuurde staat",
              "No market value in let state", "marktwaarde_verhuurd", "",
              "Banken taxeren in verhuurde staat (Kamerbrief 2023).",
              "Banks appraise in let state (Minister's letter 2023)."),
    Objection("bezwaar_lagere_inkomens", "Verkoop onder marktwaarde zonder voldoende leden met "
              "een lager inkomen", "Sale below market value without enough members with lower "
              "incomes", "aandeel_lagere_inkomens", "aandeel_lagere_inkomens_min",
              "Stappenplan stap 7 (Woningwet-experiment): minstens de helft van de leden heeft "
              "een lager inkomen; een leeg aandeel telt als niet aangetoond.",
              "Guide step 7 (Housing Act experiment): at least half the members have lower "
              "incomes; a blank share counts as not shown.", fails="below"),
)

OBJECTION_NAMES = tuple(o.name for o in OBJECTIONS)
OBJECTION_BY_NAME = {o.name: o for o in OBJECTIONS}
