"""The cell registry: every line item of the workbook, defined once.

An item has its workbook-level defined name, Dutch and English label, unit, kind, sheet and
Excel formula. Row positions follow from the order below, so the writer, the add-in (which finds
cells by name), the audit (which knows every cell's standard formula) and the generated docs all
read the same table. Formulas refer to other items by defined name only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from xlcoop import glossary
from xlcoop.inputs import DWELLING_COLUMNS, DWELLING_ROWS, INPUTS, SECTIONS
from xlcoop.norms import NORMS, OVERRIDE_SUFFIX, STANDARD_SUFFIX, TABLES, VEX_CATEGORIES
from xlcoop.objections import OBJECTIONS
from xlcoop.owned_cells import OwnedCell, OwnedLayout
from xlcoop.timeline import (
    CALENDAR_ROW,
    CONST_COL,
    FIRST_TIMELINE_ROW,
    FIRST_YEAR_COL,
    HEADER_ROW,
    LAST_YEAR_COL,
    START_COL,
    TIMELINE_SHEETS,
    TOTAL_COL,
    TOTAL_LABELS,
    VARIANTS,
    Block,
    Row,
    min_counted,
    render,
    variant_formulas,
)
from xlcoop.verdicts import DOSSIER_ITEMS as DOSSIER_ITEMS
from xlcoop.verdicts import DOSSIER_KEYS, ERROR, ERROR_CHECKS, WARNING, WARNING_CHECKS

# 1.3.1: the display rule (a failing figure never shows as its norm; n.v.t. rows), labels and
# notes; the formulas are 1.3.0's, so the audit of a 1.3.0 file reports its version, not
# altered labels.
TEMPLATE_VERSION = "1.3.1"

def get_column_letter(col: int) -> str:
    """1 -> A, 27 -> AA (kept here so the registry needs no openpyxl inside Excel/Pyodide)."""
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# Kinds: input (user fills), norm (applied norm, overridable), table (reference norm data),
# calc (intermediate), output (key figure for banks), check (boolean), link (shows another item).
INPUT, NORM, TABLE, CALC, OUTPUT, CHECK, LINK, META, OWNED, OBJECTION = (
    "input", "norm", "table", "calc", "output", "check", "link", "meta", "addin", "bezwaar")
# Check severities are domain facts (xlcoop.verdicts); re-exported for the registry's readers.


@dataclass(frozen=True)
class Item:
    name: str
    label_nl: str
    label_en: str
    unit: str
    kind: str
    formula: str | None = None  # "=..." referring to defined names; None for inputs
    note_nl: str = ""
    note_en: str = ""
    number_format: str | None = None  # overrides the unit's default format
    severity: str = ""  # checks only
    value_ref: str = ""  # checks: the figure tested, shown beside the result
    norm_ref: str = ""  # checks: the limit it is tested against
    fails: str = ""  # checks: the figure fails "below" a minimum or "above" a maximum norm

    @property
    def defined(self) -> bool:
        """Links only display another item and get no defined name of their own."""
        return self.kind != LINK


@dataclass(frozen=True)
class Section:
    title_nl: str
    title_en: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Sheet:
    key: str
    title_nl: str
    title_en: str
    role: str  # cover | inputs | norms | calc | checks
    sections: tuple[Section, ...] = ()

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_nl


def link(source: str, label_nl: str, label_en: str, unit: str, sheet: str) -> Item:
    return Item(f"{sheet}.{source}", label_nl, label_en, unit, LINK, f"={source}")


# --------------------------------------------------------------------------------------------
# Inputs: the scalar inputs by section (from xlcoop.inputs); the dwellings table separately.
def _input_items(section: str) -> tuple[Item, ...]:
    return tuple(
        Item(s.name, s.label_nl, s.label_en, s.unit, INPUT, note_nl=s.help_nl, note_en=s.help_en)
        for s in INPUTS if s.section == section
    )


INPUT_SECTIONS = tuple(Section(nl, en, _input_items(key)) for key, (nl, en) in SECTIONS.items())

# --------------------------------------------------------------------------------------------
# Norms: each applied norm has a standard value, a user override and the used (named) value.
NORM_STANDARD_SUFFIX, NORM_OVERRIDE_SUFFIX = STANDARD_SUFFIX, OVERRIDE_SUFFIX


def table_key_range(table: str) -> str:
    return f"{table}_sleutel"


def table_value_range(table: str) -> str:
    return f"{table}_waarde"


def norm_standard_formula(norm_name: str) -> str | None:
    norm = next(n for n in NORMS if n.name == norm_name)
    if norm.table is None:
        return None
    table = next(t for t in TABLES if t.name == norm.table)
    match_type = 0 if table.exact else 1
    key = f"MAX({table.by},MIN({table_key_range(table.name)}))" if table.clamp else table.by
    return (f"=IFERROR(INDEX({table_value_range(table.name)},MATCH({key},"
            f"{table_key_range(table.name)},{match_type})),0)")


def norm_used_formula(norm_name: str) -> str:
    own = norm_name + NORM_OVERRIDE_SUFFIX
    return f"=IF(ISBLANK({own}),{norm_name + NORM_STANDARD_SUFFIX},{own})"


# --------------------------------------------------------------------------------------------
# The year-1 financing calculation (sheet Financiering).
F = "financiering"
CALC_SECTIONS: tuple[Section, ...] = (
    Section("Woningen en waarde", "Dwellings and value", (
        Item("aantal_woningen", "Aantal woningen", "Number of dwellings", "aantal", CALC,
             "=SUM(woning_aantal)"),
        Item("huuropbrengst", "Huuropbrengst per jaar (100% verhuurd)",
             "Rental income per year (fully let)", "eur_jaar", OUTPUT,
             "=SUMPRODUCT(woning_aantal,woning_huur)*12"),
        Item("huur_gemiddeld", "Gemiddelde huur per woning per maand",
             "Average rent per dwelling per month", "eur_maand", CALC,
             "=IF(aantal_woningen=0,0,huuropbrengst/12/aantal_woningen)"),
        Item("huur_hoogste", "Hoogste huur in de woningtabel", "Highest rent in the dwellings "
             "table", "eur_maand", CALC, "=MAX(woning_huur)"),
        Item("marktwaarde_leeg", "Marktwaarde leeg (totaal)", "Market value vacant (total)",
             "eur", OUTPUT, "=SUMPRODUCT(woning_aantal,woning_marktwaarde_leeg)"),
        Item("marktwaarde_verhuurd", "Marktwaarde verhuurd (totaal)", "Market value let (total)",
             "eur", CALC, "=SUMPRODUCT(woning_aantal,woning_marktwaarde_verhuurd)"),
        Item("woz_waarde", "WOZ-waarde (totaal)", "WOZ value (total)", "eur", CALC,
             "=SUMPRODUCT(woning_aantal,woning_woz)"),
    )),
    Section("Exploitatie jaar 1", "Operations year 1", (
        link("huuropbrengst", "Huuropbrengst", "Rental income", "eur_jaar", F),
        Item("huurderving_bedrag", "Af: huurderving", "Less: rent loss", "eur_jaar", CALC,
             "=huuropbrengst*huurderving", "Huurderving verlaagt de inkomsten; het is geen "
             "kostenpost.", "Rent loss reduces income; it is not a cost."),
        link("overige_baten", "Bij: overige baten", "Add: other income", "eur_jaar", F),
        Item("baten", "Totale baten", "Total income", "eur_jaar", CALC,
             "=huuropbrengst-huurderving_bedrag+overige_baten"),
        link("exploitatielasten", "Af: exploitatielasten", "Less: operating costs", "eur_jaar",
             F),
        link("reservering_groot_onderhoud", "Af: reservering groot onderhoud",
             "Less: major-maintenance reserve", "eur_jaar", F),
        Item("netto_cashflow", "Netto cashflow", "Net cash flow", "eur_jaar", OUTPUT,
             "=baten-exploitatielasten-reservering_groot_onderhoud",
             "Beschikbaar voor rente en aflossing; met de reservering groot onderhoud: deze "
             "cashflow bepaalt de lening. Bij onderhoud volgens plan gebruikt de meerjarenraming "
             "(blad Exploitatie) het planbedrag.",
             "Available for interest and amortisation; with the maintenance reserve: this cash "
             "flow sets the loan. With a maintenance plan the projection (Operations sheet) uses "
             "the plan's amount."),
    )),
    Section("Maximale lening", "Maximum loan", (
        link("ratio_rente_aflossing", "Ratio rente + aflossing (regio)",
             "Interest + amortisation ratio (region)", "pct", F),
        Item("max_lening_cashflow", "Maximale lening op basis van kasstroom",
             "Maximum loan by cash flow", "eur", OUTPUT,
             "=MAX(0,IF(ratio_rente_aflossing=0,0,netto_cashflow/ratio_rente_aflossing))",
             "Netto cashflow / ratio.", "Net cash flow / ratio."),
        Item("ltv_waarde", "Waarde voor de LTV", "Value for the LTV", "eur", CALC,
             '=IF(OR(ltv_basis="verhuurd",projecttype="nieuwbouw"),marktwaarde_verhuurd,'
             'marktwaarde_leeg)',
             "Nieuwbouw: altijd de waarde in verhuurde staat.",
             "New build: always the value in let state."),
        link("ltv_max", "Maximale LTV", "Maximum LTV", "pct", F),
        Item("max_lening_ltv", "Maximale lening op basis van LTV", "Maximum loan by LTV", "eur",
             OUTPUT, "=ltv_max*ltv_waarde"),
        Item("max_lening", "Maximale lening (laagste van beide)",
             "Maximum loan (lower of the two)", "eur", OUTPUT,
             "=MIN(max_lening_cashflow,max_lening_ltv)"),
        Item("bindende_grens", "Bindende grens", "Binding limit", "tekst", OUTPUT,
             '=IF(max_lening_cashflow<=max_lening_ltv,"kasstroom","LTV")',
             "kasstroom = de netto cashflow bepaalt de lening; LTV = de waarde.",
             "kasstroom = cash flow limits the loan; LTV = the value does."),
    )),
    Section("Buffer en maximale aankoopprijs", "Buffer and maximum purchase price", (
        Item("buffer", "Buffer (maandhuren)", "Buffer (months of rent)", "eur", OUTPUT,
             "=buffer_maanden*huuropbrengst/12",
             "Geleend geld dat als kas wordt aangehouden: verlaagt de aankoopprijs.",
             "Borrowed money held as cash: it lowers the price you can pay."),
        Item("renovatie_eigen", "Renovatie voor rekening coöperatie (residueel)",
             "Renovation borne by the cooperative (residual)", "eur", CALC,
             '=IF(renovatie_methode="residueel",renovatiekosten,0)'),
        Item("storting_bouwdepot", "Storting corporatie in bouwdepot",
             "Corporation's deposit into construction account", "eur", OUTPUT,
             '=IF(renovatie_methode="bouwdepot",renovatiekosten,0)'),
        link("eigen_inbreng", "Bij: eigen inbreng", "Add: own equity", "eur", F),
        link("achtergestelde_lening", "Bij: achtergestelde lening", "Add: subordinated loan",
             "eur", F),
        link("overige_aankoopkosten", "Af: overige aankoopkosten", "Less: other purchase costs",
             "eur", F),
        Item("aankoop_beschikbaar", "Beschikbaar voor prijs en overdrachtsbelasting",
             "Available for price and transfer tax", "eur", CALC,
             "=max_lening+eigen_inbreng+achtergestelde_lening-buffer-overige_aankoopkosten"
             "-renovatie_eigen",
             "Max. lening + eigen inbreng + achtergestelde lening − buffer − kosten − renovatie.",
             "Max. loan + equity + subordinated loan − buffer − costs − renovation."),
        link("overdrachtsbelasting", "Overdrachtsbelasting (tarief)", "Transfer tax (rate)",
             "pct", F),
        link("overdrachtsbelasting_grondslag", "Grondslag overdrachtsbelasting",
             "Transfer-tax base", "tekst", F),
        Item("bankwaarde", "Waarde voor de bank (verhuurd, anders leeg)",
             "Value for the bank (let, else vacant)", "eur", OUTPUT,
             "=IF(marktwaarde_verhuurd>0,marktwaarde_verhuurd,marktwaarde_leeg)",
             "Banken taxeren in verhuurde staat; ontbreekt die waarde, dan de leegwaarde (en "
             "een bezwaar). Ook de waarde in het economische verkeer (art. 9 Wet BRV).",
             "Banks appraise in let state; without that value the vacant one (and an "
             "objection). Also the value in economic traffic (art. 9 Wet BRV)."),
        Item("max_aankoopprijs", "Maximale aankoopprijs", "Maximum purchase price", "eur", OUTPUT,
             "=MAX(0,IF(overdrachtsbelasting_grondslag=\"waarde\",MIN(aankoop_beschikbaar/"
             "(1+overdrachtsbelasting),aankoop_beschikbaar-overdrachtsbelasting*bankwaarde),"
             "aankoop_beschikbaar/(1+overdrachtsbelasting)))",
             "Grondslag prijs: beschikbaar / (1 + tarief); grondslag waarde: prijs + tarief × "
             "MAX(waarde, prijs) = beschikbaar.",
             "Base price: available / (1 + rate); base value: price + rate × MAX(value, "
             "price) = available."),
    )),
    Section("Verkoopprijs en maatschappelijk kapitaal", "Sale price and social capital", (
        Item("marktwaarde_basis", "Marktwaarde leeg na aftrek renovatie",
             "Market value vacant after renovation deduction", "eur", OUTPUT,
             "=marktwaarde_leeg-renovatie_eigen"),
        Item("minimale_verkoopprijs", "Minimale verkoopprijs (ondergrens corporatie)",
             "Minimum sale price (corporation's floor)", "eur", OUTPUT,
             "=verkoop_min_pct*marktwaarde_basis"),
        Item("verkoopprijs", "Verkoopprijs", "Sale price", "eur", OUTPUT,
             "=IF(ISBLANK(verkoopprijs_afgesproken),MIN(max_aankoopprijs,marktwaarde_basis),"
             "verkoopprijs_afgesproken)",
             "De afgesproken prijs, of anders de maximale aankoopprijs (hoogstens de waarde).",
             "The agreed price, else the maximum purchase price (at most the value)."),
        Item("overdrachtsbelasting_basis", "Grondslag overdrachtsbelasting (bedrag)",
             "Transfer-tax base (amount)", "eur", CALC,
             '=IF(overdrachtsbelasting_grondslag="waarde",MAX(bankwaarde,verkoopprijs),'
             'verkoopprijs)',
             "Art. 9 lid 1 Wet BRV: de waarde, ten minste de prijs; lid 5: bij een "
             "verkoopregulerend beding van de corporatie de prijs.",
             "Art. 9(1) Wet BRV: the value, at least the price; 9(5): with the corporation's "
             "resale terms the price."),
        Item("overdrachtsbelasting_bedrag", "Overdrachtsbelasting", "Transfer tax", "eur", CALC,
             "=overdrachtsbelasting_basis*overdrachtsbelasting"),
        Item("aankoopkosten", "Aankoopkosten totaal", "Purchase costs total", "eur", CALC,
             "=overdrachtsbelasting_bedrag+overige_aankoopkosten"),
        Item("lening", "Benodigde lening", "Loan required", "eur", OUTPUT,
             '=IF(projecttype="nieuwbouw",lening_nieuwbouw,MAX(0,verkoopprijs+aankoopkosten'
             '+buffer+renovatie_eigen-eigen_inbreng-achtergestelde_lening))',
             "Prijs + kosten + buffer + renovatie − eigen inbreng − achtergestelde lening; "
             "nieuwbouw: de banklening uit bronnen en bestedingen (blad Nieuwbouw).",
             "Price + costs + buffer + renovation − equity − subordinated loan; new build: the "
             "bank loan from sources and uses (New build sheet)."),
        Item("maatschappelijk_kapitaal", "Maatschappelijk kapitaal (korting)",
             "Social capital (discount)", "eur", OUTPUT, "=marktwaarde_basis-verkoopprijs",
             "Achtergestelde vordering van de corporatie, geen schenking.",
             "The corporation's subordinated claim, not a gift."),
        Item("maatschappelijk_kapitaal_pct", "Maatschappelijk kapitaal in % van de waarde",
             "Social capital as % of value", "pct", OUTPUT,
             "=IF(marktwaarde_basis=0,0,maatschappelijk_kapitaal/marktwaarde_basis)",
             number_format="0.00%"),
        Item("ltv_start", "LTV bij aanvang", "LTV at start", "pct", OUTPUT,
             "=IF(ltv_waarde=0,0,lening/ltv_waarde)"),
    )),
    Section("Lening jaar 1 (uit het blad Lening)", "Loan year 1 (from the Loan sheet)", (
        link("rente", "Rente", "Interest rate", "pct", F),
        Item("rente_jaar1", "Rente jaar 1", "Interest year 1", "eur_jaar", CALC,
             "=INDEX(jr_rente,1,1)"),
        Item("aflossing_jaar1", "Aflossing jaar 1", "Amortisation year 1", "eur_jaar", CALC,
             "=INDEX(jr_aflossing,1,1)"),
        Item("schuldendienst_jaar1", "Rente + aflossing jaar 1", "Debt service year 1",
             "eur_jaar", OUTPUT, "=rente_jaar1+aflossing_jaar1"),
        Item("dscr_jaar1", "DSCR jaar 1 (netto)", "DSCR year 1 (net)", "factor", OUTPUT,
             "=INDEX(jr_dscr,1,1)", "Netto cashflow na exploitatielasten en reservering groot "
             "onderhoud / (rente + aflossing bank); blad Exploitatie, jaar 1.",
             "Net cash flow after operating costs and the maintenance reserve / bank debt "
             "service; Operations sheet, year 1."),
        Item("icr_jaar1", "ICR jaar 1 (netto)", "ICR year 1 (net)", "factor", OUTPUT,
             "=INDEX(jr_icr,1,1)", "Netto cashflow na exploitatielasten en reservering groot "
             "onderhoud / rente bank; blad Exploitatie, jaar 1.", "Net cash flow after "
             "operating costs and the maintenance reserve / bank interest; Operations sheet, "
             "year 1."),
        Item("restschuld_einde_looptijd", "Restschuld bij herfinanciering",
             "Balance at refinancing", "eur", OUTPUT,
             "=IFERROR(INDEX(jr_saldo,1,looptijd_jaren),0)"),
    )),
    Section("Meerjarige parameters", "Multi-year parameters", (
        Item("herfinancieringsrente_gebruikt", "Rente na herfinanciering (gebruikt)",
             "Rate after refinancing (used)", "pct", CALC,
             "=IF(ISBLANK(herfinancieringsrente),rente,herfinancieringsrente)"),
        Item("aflossingstermijn_jaren", "Aflossingstermijn (1 / aflossing %)",
             "Amortisation term (1 / amortisation %)", "jaar", CALC,
             "=IF(aflossing_pct=0,0,1/aflossing_pct)", number_format="0.0"),
        Item("be_cashflow_na_herfinanciering", "Laagste netto cashflow na herfinanciering",
             "Lowest net cash flow after refinancing", "eur_jaar", CALC,
             min_counted("be_cashflow_na_herfinanciering"),
             "Voor de break-even-rente bij annuïtaire aflossing.",
             "For the break-even rate with annuity amortisation."),
        Item("be_resterende_termijn", "Resterende aflossingstermijn bij herfinanciering",
             "Remaining amortisation term at refinancing", "jaar", CALC,
             "=MAX(1,aflossingstermijn_jaren-looptijd_jaren)", number_format="0.0"),
    )),
    Section("Exploitatielasten tegen normen (jaar 1, per woning)",
            "Operating costs against norms (year 1, per dwelling)", (
        Item("lasten_niet_gespecificeerd", "Exploitatielasten niet gespecificeerd",
             "Operating costs not specified", "eur_jaar", CALC,
             "=exploitatielasten-(" + "+".join(f"lasten_{k}" for k in VEX_CATEGORIES) + ")",
             "Totaal min de specificatie op het blad Invoer.",
             "Total less the breakdown on the Inputs sheet."),
        Item("exploitatielasten_per_woning", "Exploitatielasten per woning",
             "Operating costs per dwelling", "eur_jaar", CALC,
             "=IF(aantal_woningen=0,0,exploitatielasten/aantal_woningen)"),
        Item("norm_exploitatielasten_per_woning", "Norm exploitatielasten per woning",
             "Norm operating costs per dwelling", "eur_jaar", CALC,
             "=" + "+".join(f"vex_{k}" for k in VEX_CATEGORIES),
             "Som van de normen per categorie (blad Normen; indicatief).",
             "Sum of the norms per category (Norms sheet; indicative)."),
        Item("onderhoud_per_woning", "Reservering groot onderhoud per woning",
             "Major-maintenance reserve per dwelling", "eur_jaar", CALC,
             "=IF(aantal_woningen=0,0,reservering_groot_onderhoud/aantal_woningen)"),
        link("vex_groot_onderhoud", "Norm groot onderhoud per woning",
             "Norm major maintenance per dwelling", "eur_jaar", F),
    )),
    Section("Meerjarige toets (30 jaar; bladen Lening en Gevoeligheid)",
            "Multi-year test (30 years; Loan and Sensitivity sheets)", (
        link("dscr_min", "Laagste DSCR (netto)", "Lowest DSCR (net)", "factor", F),
        Item("dscr_zwakste_jaar", "Zwakste jaar (DSCR)", "Weakest year (DSCR)", "jaar", OUTPUT,
             min_counted("dscr_zwakste_jaar"),
             "Het eerste jaar met schuld waarin de DSCR (op de rekenmarge na) de laagste is.",
             "The first year with debt whose DSCR is (within the margin) the lowest."),
        link("icr_min", "Laagste ICR (netto)", "Lowest ICR (net)", "factor", F),
        link("ltv_piek", "Hoogste LTV", "Peak LTV", "pct", F),
        link("kas_min", "Laagste kas (inclusief buffer)", "Lowest cash (buffer included)", "eur",
             F),
        link("breakeven_rente_herfinanciering", "Break-even herfinancieringsrente",
             "Break-even refinancing rate", "pct", F),
        link("breakeven_huurderving", "Break-even huurderving", "Break-even rent loss", "pct",
             F),
    )),
    Section("Huur zonder korting", "Rent without discount", (
        Item("huur_zonder_korting", "Huur per woning per maand zonder korting (gids)",
             "Rent per dwelling per month without discount (guide)", "eur_maand", OUTPUT,
             "=IF((1-huurderving)*aantal_woningen=0,0,(marktwaarde_basis*ratio_rente_aflossing"
             "+exploitatielasten+reservering_groot_onderhoud-overige_baten)"
             "/((1-huurderving)*12*aantal_woningen))",
             "Huur waarbij de lening op kasstroom gelijk is aan de volle marktwaarde.",
             "Rent at which the cash-flow loan equals the full market value."),
        Item("huur_zonder_korting_volledig",
             "Idem, inclusief buffer, aankoopkosten en renovatie, min eigen inbreng",
             "Same, including buffer, purchase costs and renovation, less equity", "eur_maand",
             OUTPUT,
             "=IF(((1-huurderving)-ratio_rente_aflossing*buffer_maanden/12)*aantal_woningen=0,0,"
             "((marktwaarde_basis+overdrachtsbelasting*IF(overdrachtsbelasting_grondslag="
             "\"waarde\",MAX(bankwaarde,marktwaarde_basis),marktwaarde_basis)"
             "+overige_aankoopkosten+renovatie_eigen"
             "-eigen_inbreng-achtergestelde_lening)*ratio_rente_aflossing+exploitatielasten+reservering_groot_onderhoud"
             "-overige_baten)/(((1-huurderving)-ratio_rente_aflossing*buffer_maanden/12)*12"
             "*aantal_woningen))"),
    )),
)


# --------------------------------------------------------------------------------------------
# Rent law (sheet Huur): the peiljaar's WWS norms, the rule after the last known table (an
# assumption, never "legal maximum"), huurtoeslag, the income rule, then one row per dwelling.
HU = "huur"
LAST_KEY = "MAX({table}_sleutel)"
HUUR_SECTIONS: tuple[Section, ...] = (
    Section("WWS-normen (peiljaar, blad Normen)", "WWS norms (reference year, Norms sheet)", (
        link("wws_grens_sociaal", "Sociaal: tot en met punten", "Social: up to points",
             "punten", HU),
        link("wws_grens_midden", "Middenhuur: tot en met punten", "Mid-market: up to points",
             "punten", HU),
        link("huur_max_sociaal", "Maximale huur sociaal (bij het hoogste puntental)",
             "Maximum social rent (at the highest points)", "eur_maand", HU),
        link("middenhuur_grens", "Middenhuurgrens (maximale huur bij 186 punten)",
             "Mid-market ceiling (maximum rent at 186 points)", "eur_maand", HU),
        Item("wws_tabel_laatste_jaar", "Laatste jaar met een bekende huurprijstabel",
             "Last year with a known rent table", "jaar", CALC,
             "=" + LAST_KEY.format(table="tabel_middenhuur_grens")),
        Item("wws_index_peiljaar", "Indexatie WWS-maxima na de laatste tabel (aanname)",
             "Indexation of WWS maxima after the last table (assumption)", "factor", CALC,
             "=(1+inflatie_aanname)^MAX(0,peiljaar-wws_tabel_laatste_jaar)",
             "1 zolang het peiljaar een tabel heeft; daarna inflatie (aanname, geen wet).",
             "1 while the reference year has a table; then inflation (assumption, not law).",
             number_format="0.0000"),
        Item("wws_maxima_grondslag", "Grondslag WWS-maxima peiljaar", "Basis of the year's WWS "
             "maxima", "tekst", OUTPUT,
             '=IF(peiljaar<=wws_tabel_laatste_jaar,"tabel","aanname")',
             "tabel = huurprijzentabel van het jaar; aanname = geïndexeerd na de laatste tabel.",
             "tabel = the year's rent table; aanname = indexed after the last table."),
    )),
    Section("Huurverhoging na de laatste bekende tabel: aanname, geen wettelijk maximum",
            "Rent increase after the last known table: an assumption, not a legal maximum", (
        Item("huurstijging_laatste_jaar", "Laatste jaar met een bekende maximale huurverhoging",
             "Last year with a known maximum rent increase", "jaar", CALC,
             "=MIN(" + ",".join(LAST_KEY.format(table=f"tabel_huurstijging_{s}")
                                for s in ("sociaal", "midden", "vrij")) + ")"),
        link("inflatie_aanname", "Inflatie (aanname)", "Inflation (assumption)", "pct", HU),
        link("loonontwikkeling_aanname", "CAO-loonontwikkeling (aanname)",
             "CAO wage growth (assumption)", "pct", HU),
        Item("huurstijging_aanname_sociaal", "Sociaal: inflatie (aanname)",
             "Social: inflation (assumption)", "pct", OUTPUT, "=inflatie_aanname",
             "Sociale huur volgt de inflatie.", "Social rent follows inflation."),
        Item("huurstijging_aanname_midden", "Middenhuur: loonontwikkeling + opslag (aanname)",
             "Mid-market: wage growth + margin (assumption)", "pct", OUTPUT,
             "=loonontwikkeling_aanname+opslag_middenhuur", "Wet betaalbare huur: CAO + 1%.",
             "Affordable Rent Act: CAO + 1%."),
        Item("huurstijging_aanname_vrij", "Vrije sector: laagste van loon en inflatie + opslag "
             "(aanname)", "Free sector: lower of wages and inflation + margin (assumption)",
             "pct", OUTPUT, "=MIN(loonontwikkeling_aanname,inflatie_aanname)+opslag_vrije_sector",
             "Wet maximering huurprijsverhogingen: laagste + 1%.",
             "Act capping free-sector increases: the lower + 1%."),
    )),
    Section("Huurtoeslag (peiljaar)", "Rent allowance (reference year)", (
        link("liberalisatiegrens", "Huurtoeslaggrens (liberalisatiegrens)",
             "Rent allowance ceiling (liberalisation threshold)", "eur_maand", HU),
        Item("huurtoeslag_regel", "Regel in het peiljaar", "Rule in the reference year", "tekst",
             OUTPUT, '=IF(peiljaar>=huurtoeslag_rekenhuur_vanaf,"berekend tot de grens",'
             '"geen toeslag boven de grens")',
             "Tot en met 2025 blokkeert een huur boven de grens de toeslag; vanaf 2026 wordt de "
             "toeslag berekend tot de grens.", "Through 2025 a rent above the ceiling blocks "
             "the allowance; from 2026 it is computed up to the ceiling."),
        Item("woningen_boven_huurtoeslaggrens", "Woningen met huur boven de grens (verliezen "
             "(een deel van) de toeslag)", "Dwellings with rent above the ceiling (lose (part "
             "of) the allowance)", "aantal", OUTPUT,
             '=SUMIFS(woning_aantal,woning_huur,">"&liberalisatiegrens)'),
    )),
    Section("Inkomenseis bij verkoop onder de marktwaarde (stap 7)",
            "Income rule for a sale below market value (step 7)", (
        link("aandeel_lagere_inkomens", "Aandeel leden met een lager inkomen",
             "Share of members with lower incomes", "pct", HU),
        link("aandeel_lagere_inkomens_min", "Norm (minimaal aandeel)", "Norm (minimum share)",
             "pct", HU),
        Item("verkoop_onder_marktwaarde", "Verkoop onder de marktwaarde (overname)",
             "Sale below market value (takeover)", "bool", CALC,
             '=AND(projecttype<>"nieuwbouw",maatschappelijk_kapitaal>0)'),
        link("bezwaar_lagere_inkomens", "Bezwaar: te weinig leden met een lager inkomen "
             "(blad Oordeel)", "Objection: too few members with lower incomes (Verdict sheet)",
             "bool", HU),
    )),
    Section("Toets per woning (tabel hieronder)", "Test per dwelling (table below)", (
        Item("aantal_woningen_wws", "Woningen met WWS-punten", "Dwellings with WWS points",
             "aantal", OUTPUT, '=SUMIFS(woning_aantal,woning_wws_punten,">0")'),
        Item("huur_boven_wws_max", "Grootste overschrijding van het WWS-maximum (per maand)",
             "Largest excess over the WWS maximum (per month)", "eur_maand", OUTPUT,
             "=MAX(huur_boven_wws)"),
        Item("huur_boven_middengrens_max", "Grootste overschrijding van de middenhuurgrens",
             "Largest excess over the mid-market ceiling", "eur_maand", OUTPUT,
             "=MAX(huur_boven_middengrens)"),
        Item("aantal_segment_strijdig", "Woningtypen waarvan het segment afwijkt van de invoer",
             "Dwelling types whose segment differs from the input", "aantal", OUTPUT,
             "=SUM(segment_strijdig)"),
    )),
)

# One row per dwelling type: {nr} is this row's number (column A), {name} another column of
# the same row. The per-row names cover the DWELLING_ROWS cells of their column.
NR_COL = 1
WP = "INDEX(woning_wws_punten,{nr})"
DWELLING_TABLE: tuple[Item, ...] = (
    Item("huur_tabel_type", "Type", "Type", "tekst", CALC, '=INDEX(woning_type,{nr})&""'),
    Item("huur_tabel_aantal", "Aantal", "Number", "aantal", CALC,
         "=INDEX(woning_aantal,{nr})+0"),
    Item("huur_tabel_huur", "Huur", "Rent", "eur_maand", CALC, "=INDEX(woning_huur,{nr})+0"),
    Item("huur_tabel_punten", "WWS-punten", "WWS points", "punten", CALC, f"={WP}+0"),
    Item("huur_tabel_huurprijscheck", "Maximum huurprijscheck", "Maximum huurprijscheck",
         "eur_maand", CALC, "=INDEX(woning_huur_max_check,{nr})+0"),
    Item("woning_segment", "Segment (uit de punten)", "Segment (from the points)", "tekst",
         OUTPUT, f'=IF({WP}>0,IF({WP}<=wws_grens_sociaal,"sociaal",IF({WP}<=wws_grens_midden,'
         '"midden","vrij")),huursegment)',
         "Zonder punten: het segment van de invoer.", "Without points: the input segment."),
    Item("huur_max_wws", "Wettelijk maximum (0 = geen)", "Legal maximum (0 = none)",
         "eur_maand", OUTPUT,
         "=IF({huur_tabel_huurprijscheck}>0,{huur_tabel_huurprijscheck},"
         f'IF(OR({WP}<=0,{{woning_segment}}="vrij"),0,IF({{woning_segment}}="sociaal",'
         "huur_max_sociaal,middenhuur_grens)*wws_index_peiljaar))",
         "De huurprijscheck als ingevuld; anders de grens van het segment (de tabel per punt "
         "staat niet op het blad Normen: vul de huurprijscheck in).",
         "The huurprijscheck when entered; else the segment's ceiling (the table per point is "
         "not on the Norms sheet: enter the huurprijscheck)."),
    Item("huur_boven_wws", "Boven het maximum", "Above the maximum", "eur_maand", OUTPUT,
         "=IF({huur_max_wws}>0,MAX(0,{huur_tabel_huur}-{huur_max_wws}),0)"),
    Item("huur_boven_middengrens", "Boven de middenhuurgrens", "Above the mid-market ceiling",
         "eur_maand", OUTPUT, f'=IF(AND({WP}>0,{{woning_segment}}="midden"),MAX(0,'
         "{huur_tabel_huur}-middenhuur_grens*wws_index_peiljaar),0)"),
    Item("segment_strijdig", "Segment wijkt af van de invoer (1 = ja)",
         "Segment differs from the input (1 = yes)", "aantal", OUTPUT,
         f"=IF(AND({WP}>0,{{woning_segment}}<>huursegment),1,0)"),
)
DWELLING_TABLE_COLS = {item.name: col for col, item in enumerate(DWELLING_TABLE,
                                                                  start=NR_COL + 1)}
_TABLE_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")


def render_dwelling(template: str, row: int) -> str:
    """A per-dwelling formula for one table row: {nr} -> $A<row>, {column} -> <col><row>."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name == "nr":
            return f"${get_column_letter(NR_COL)}{row}"
        return f"{get_column_letter(DWELLING_TABLE_COLS[name])}{row}"

    return _TABLE_PLACEHOLDER.sub(sub, template)


# --------------------------------------------------------------------------------------------
# New build (sheet Nieuwbouw): development costs, sources and uses, the gap.
NB = "nieuwbouw"
IS_NB = 'projecttype="nieuwbouw"'


def _source(name: str, source: str, nl: str, en: str) -> Item:
    return Item(name, nl, en, "eur", CALC, f"=IF({IS_NB},{source},0)")


NIEUWBOUW_SECTIONS: tuple[Section, ...] = (
    Section("Stichtingskosten", "Development costs", (
        link("grondkosten", "Grond of afkoop erfpacht", "Land or ground-lease buy-out", "eur",
             NB),
        link("bouwkosten", "Bouwkosten", "Construction costs", "eur", NB),
        link("bijkomende_kosten", "Bijkomende kosten", "Other costs", "eur", NB),
        link("voorfasekosten", "Voorfasekosten", "Pre-development costs", "eur", NB),
        link("btw_tarief", "BTW-tarief (peiljaar)", "VAT rate (year)", "pct", NB),
        Item("btw_bedrag", "BTW (niet verrekenbaar)", "VAT (not reclaimable)", "eur", CALC,
             '=IF(btw_belast="ja",(bouwkosten+bijkomende_kosten+voorfasekosten)*btw_tarief,0)',
             "Over bouw-, bijkomende en voorfasekosten; grond zonder BTW.",
             "On construction, other and pre-development costs; land without VAT."),
        Item("stichtingskosten", "Stichtingskosten (totaal)", "Development costs (total)",
             "eur", OUTPUT, "=grondkosten+bouwkosten+bijkomende_kosten+voorfasekosten+btw_bedrag"),
        Item("stichtingskosten_per_woning", "Stichtingskosten per woning",
             "Development costs per dwelling", "eur", OUTPUT,
             "=IF(aantal_woningen=0,0,stichtingskosten/aantal_woningen)"),
        link("marktwaarde_verhuurd", "Waarde in verhuurde staat (basis LTV)",
             "Value in let state (LTV base)", "eur", NB),
        Item("waarde_kosten_pct", "Waarde verhuurd in % van de stichtingskosten",
             "Let value as % of development costs", "pct", CALC,
             "=IF(stichtingskosten=0,0,marktwaarde_verhuurd/stichtingskosten)"),
    )),
    Section("Bestedingen", "Uses", (
        Item("besteding_stichtingskosten", "Stichtingskosten", "Development costs", "eur", CALC,
             f"=IF({IS_NB},stichtingskosten,0)"),
        Item("besteding_buffer", "Buffer (geleend, als kas aangehouden)",
             "Buffer (borrowed, held as cash)", "eur", CALC, f"=IF({IS_NB},buffer,0)"),
        Item("bestedingen_totaal", "Bestedingen totaal", "Uses total", "eur", OUTPUT,
             "=besteding_stichtingskosten+besteding_buffer"),
    )),
    Section("Bronnen (in volgorde van invulling)", "Sources (in order of filling)", (
        _source("bron_eigen_inbreng", "eigen_inbreng", "Eigen inbreng leden",
                "Members' equity"),
        _source("bron_startkapitaal", "startkapitaal", "Startkapitaal voorfase",
                "Start capital pre-development"),
        _source("bron_subsidie", "subsidie", "Subsidies", "Subsidies"),
        _source("bron_achtergesteld", "achtergestelde_lening",
                "Achtergestelde lening (rang 3)", "Subordinated loan (rank 3)"),
        _source("bron_ledenlening", "ledenlening", "Ledenleningen / crowdfunding (rang 4)",
                "Member loans / crowdfunding (rank 4)"),
        Item("bronnen_vast", "Subtotaal vaste bronnen", "Subtotal fixed sources", "eur", CALC,
             "=bron_eigen_inbreng+bron_startkapitaal+bron_subsidie+bron_achtergesteld"
             "+bron_ledenlening"),
        Item("rest_na_vaste_bronnen", "Nog te financieren", "Still to be financed", "eur", CALC,
             "=bestedingen_totaal-bronnen_vast"),
        Item("lening_nieuwbouw", "Banklening (rang 1; max. LTV en kasstroom)",
             "Bank loan (rank 1; max. LTV and cash flow)", "eur", OUTPUT,
             "=MAX(0,MIN(max_lening,rest_na_vaste_bronnen))",
             "Begrensd door de maximale lening (blad Financiering).",
             "Capped by the maximum loan (Financing sheet)."),
        Item("rest_na_bank", "Nog te financieren na de bank", "Still to be financed after the "
             "bank", "eur", CALC, "=rest_na_vaste_bronnen-lening_nieuwbouw"),
        Item("fonds_maximum", "Maximale fondslening (per woning × woningen)",
             "Maximum fund loan (per dwelling × dwellings)", "eur", CALC,
             f"=IF({IS_NB},fonds_max_per_woning*aantal_woningen,0)"),
        Item("fondslening", "Fondslening (rang 2)", "Fund loan (rank 2)", "eur", OUTPUT,
             "=MAX(0,MIN(fonds_maximum,rest_na_bank))"),
        Item("bronnen_totaal", "Bronnen totaal", "Sources total", "eur", OUTPUT,
             "=bronnen_vast+lening_nieuwbouw+fondslening"),
    )),
    Section("Tekort", "Gap", (
        Item("financieringssaldo", "Saldo: bestedingen − bronnen", "Balance: uses − sources",
             "eur", CALC, "=rest_na_bank-fondslening"),
        Item("financieringstekort", "Financieringstekort", "Funding gap", "eur", OUTPUT,
             "=IF(ROUND(financieringssaldo*100,0)>0,financieringssaldo,0)",
             "Nul precies wanneer de financiering sluit (op de halve cent).",
             "Zero exactly when the funding closes (to half a cent)."),
        Item("financieringsoverschot", "Overschot (naar de kas)", "Surplus (to cash)", "eur",
             CALC, "=IF(ROUND(financieringssaldo*100,0)<0,-financieringssaldo,0)"),
        Item("tekort_per_woning", "Financieringstekort per woning", "Funding gap per dwelling",
             "eur", OUTPUT, "=IF(aantal_woningen=0,0,financieringstekort/aantal_woningen)"),
        Item("financiering_sluit", "Financiering sluit", "Funding closes", "bool", OUTPUT,
             "=financieringstekort=0"),
    )),
    Section("Eigen inbreng leden", "Members' own equity", (
        link("eigen_inbreng", "Eigen inbreng", "Own equity", "eur", NB),
        Item("eigen_inbreng_basis", "Basis eigen inbreng (stichtingskosten of koopsom + kosten)",
             "Base for own equity (development costs or price + costs)", "eur", CALC,
             f"=IF({IS_NB},stichtingskosten,verkoopprijs+aankoopkosten)"),
        Item("eigen_inbreng_norm", "Minimale eigen inbreng", "Minimum own equity", "eur", CALC,
             "=MAX(eigen_inbreng_min_pct,IF(" + IS_NB + ",fonds_eigen_min_pct,0))"
             "*eigen_inbreng_basis",
             "Hoogste van de algemene norm en die van het fonds.",
             "The higher of the general norm and the fund's."),
    )),
)

# --------------------------------------------------------------------------------------------
# Kansrijk: the committee's conditions (Minister's letter) and the guide's dossier.
KR = "kansrijk"


def _yes(name: str, source: str, nl: str, en: str) -> Item:
    return Item(name, nl, en, "bool", OUTPUT, f'={source}="ja"')


KANSRIJK_SECTIONS: tuple[Section, ...] = (
    Section("Voorwaarden beoordelingscommissie (Kamerbrief 2023)",
            "Conditions of the assessment committee (Minister's letter 2023)", (
        _yes("kr_expertise", "expertise_aanwezig", "Expertise bewoners of ingehuurde partij",
             "Expertise of residents or hired party"),
        Item("kr_eigen_vermogen", "Eigen vermogen ≥ minimum", "Own equity ≥ minimum", "bool",
             OUTPUT, "=AND(eigen_inbreng>0,eigen_inbreng>=eigen_inbreng_norm)",
             "Live: eigen inbreng tegen de norm (blad Nieuwbouw).",
             "Live: own equity against the norm (New build sheet)."),
        _yes("kr_gemeente", "steun_gemeente", "Steun van de gemeente",
             "Support of the municipality"),
        _yes("kr_locatie", "uitzicht_locatie", "Uitzicht op een locatie",
             "Prospect of a location"),
        Item("kansrijk_score", "Kansrijk-score (voorwaarden voldaan, van 4)",
             "Promising score (conditions met, of 4)", "aantal", OUTPUT,
             "=IF(kr_expertise,1,0)+IF(kr_eigen_vermogen,1,0)+IF(kr_gemeente,1,0)"
             "+IF(kr_locatie,1,0)"),
        Item("kansrijk", "Kansrijk (score ≥ norm)", "Promising (score ≥ norm)", "bool", OUTPUT,
             "=kansrijk_score>=kansrijk_min_score"),
    )),
    Section("Dossier voor de bank (stappenplan)", "Dossier for the bank (guide)", (
        _yes("dossier_propositie", "propositie_beschreven", "Propositie (initiatief)",
             "Proposition (initiative)"),
        _yes("dossier_groep", "groep_beschreven", "Groep: omvang, samenstelling, draagkracht",
             "Group: size, composition, capacity"),
        _yes("dossier_statuten", "statuten_gereed", "Statuten en huishoudelijk reglement",
             "Statutes and house rules"),
        _yes("dossier_woningen", "woningen_beschreven", "Beschrijving van de woningen",
             "Description of the homes"),
        _yes("dossier_nen2767", "nen2767_rapport", "NEN 2767-inspectierapport",
             "NEN 2767 inspection report"),
        Item("taxatie_geldig_tot", "Taxatie geldig tot (taxatiedatum + norm maanden)",
             "Valuation valid until (valuation date + norm months)", "datum", CALC,
             "=IF(ISBLANK(taxatiedatum),0,EDATE(taxatiedatum,taxatie_max_maanden))"),
        Item("dossier_taxatie", "Taxatierapport niet te oud op de aanvraagdatum",
             "Valuation report not too old at the application date", "bool", OUTPUT,
             "=AND(NOT(ISBLANK(taxatiedatum)),NOT(ISBLANK(aanvraagdatum)),"
             "aanvraagdatum>=taxatiedatum,aanvraagdatum<=taxatie_geldig_tot)",
             "Norm 3 maanden (soms 6; blad Normen), getoetst op de aanvraagdatum.",
             "Norm 3 months (sometimes 6; Norms sheet), tested at the application date."),
        Item("dossier_waarde", "WOZ-waarde en marktwaarde bekend",
             "WOZ value and market value known", "bool", OUTPUT,
             "=AND(woz_waarde>0,ltv_waarde>0)"),
        Item("dossier_woonlasten", "Woonlasten en liberalisatiegrens (peiljaar) bekend",
             "Housing costs and liberalisation threshold (year) known", "bool", OUTPUT,
             "=AND(huur_hoogste>0,liberalisatiegrens>0)",
             "De toets zelf: controle huur ≤ liberalisatiegrens (blad Controles).",
             "The test itself: check rent ≤ threshold (Checks sheet)."),
        Item("dossier_lagere_inkomens", "Lagere inkomens aangetoond (bij verkoop onder de "
             "marktwaarde)", "Lower incomes shown (for a sale below market value)", "bool",
             OUTPUT, "=NOT(bezwaar_lagere_inkomens)",
             "Stap 7: ten minste de helft van de leden heeft een lager inkomen (blad Huur).",
             "Step 7: at least half the members have lower incomes (Rent sheet)."),
        Item("dossier_score", f"Dossier: onderdelen compleet (van {len(DOSSIER_KEYS)})",
             f"Dossier: items complete (of {len(DOSSIER_KEYS)})", "aantal", OUTPUT,
             "=" + "+".join(f"IF(dossier_{k},1,0)" for k in DOSSIER_KEYS)),
        Item("dossier_compleet", "Dossier compleet", "Dossier complete", "bool", OUTPUT,
             "=AND(" + ",".join(f"dossier_{k}" for k in DOSSIER_KEYS) + ")"),
    )),
)

# --------------------------------------------------------------------------------------------
# Programme calculator (sheet Programma): what a budget funds (Minister's letter 2023).
PG = "programma"


def _div_item(name: str, num: str, den: str, nl: str, en: str,
              note: tuple[str, str] = ("", "")) -> Item:
    return Item(name, nl, en, "aantal", OUTPUT, f"=IF({den}=0,0,{num}/{den})", *note,
                number_format="#,##0.00")


PROGRAMMA_SECTIONS: tuple[Section, ...] = (
    Section("Startkapitaal voorfase", "Start capital for the pre-development phase", (
        link("programma_budget", "Budget", "Budget", "eur", PG),
        link("programma_startkapitaal_laag", "Startkapitaal per project: laag",
             "Start capital per project: low", "eur", PG),
        link("programma_startkapitaal_hoog", "Startkapitaal per project: hoog",
             "Start capital per project: high", "eur", PG),
        _div_item("programma_projecten_min", "programma_budget", "programma_startkapitaal_hoog",
                  "Projecten bij hoog startkapitaal", "Projects at high start capital"),
        _div_item("programma_projecten_max", "programma_budget", "programma_startkapitaal_laag",
                  "Projecten bij laag startkapitaal", "Projects at low start capital",
                  note=("De brief: 'circa 19 tot 45 projecten'; 9,5 mln / 200.000 = 47,5.",
                        "The letter: 'about 19 to 45 projects'; 9.5M / 200,000 = 47.5.")),
    )),
    Section("Realisatie: het Rijk financiert het deel boven de bank",
            "Realisation: the State funds the part above the bank", (
        link("programma_kosten_laag", "Stichtingskosten per woning: laag",
             "Development cost per dwelling: low", "eur", PG),
        link("programma_kosten_hoog", "Stichtingskosten per woning: hoog",
             "Development cost per dwelling: high", "eur", PG),
        link("programma_bank_aandeel", "Aandeel bank", "Bank share", "pct", PG),
        Item("programma_bijdrage_laag", "Bijdrage per woning (lage kosten)",
             "Contribution per dwelling (low cost)", "eur", OUTPUT,
             "=programma_kosten_laag*(1-programma_bank_aandeel)"),
        Item("programma_bijdrage_hoog", "Bijdrage per woning (hoge kosten)",
             "Contribution per dwelling (high cost)", "eur", OUTPUT,
             "=programma_kosten_hoog*(1-programma_bank_aandeel)"),
        _div_item("programma_woningen_min", "programma_budget", "programma_bijdrage_hoog",
                  "Woningen (hoge kosten)", "Dwellings (high cost)"),
        _div_item("programma_woningen_max", "programma_budget", "programma_bijdrage_laag",
                  "Woningen (lage kosten)", "Dwellings (low cost)",
                  note=("De brief: 'ongeveer 105 tot 125 woningen' (exact 105,6 tot 126,7).",
                        "The letter: 'about 105 to 125 homes' (exact 105.6 to 126.7).")),
    )),
    Section("Idem met eigen inleg bewoners", "Same with residents' own contribution", (
        link("programma_eigen_aandeel", "Eigen inleg bewoners", "Residents' own contribution",
             "pct", PG),
        Item("programma_bijdrage_eigen_laag", "Bijdrage per woning (lage kosten)",
             "Contribution per dwelling (low cost)", "eur", OUTPUT,
             "=programma_kosten_laag*(1-programma_bank_aandeel-programma_eigen_aandeel)"),
        Item("programma_bijdrage_eigen_hoog", "Bijdrage per woning (hoge kosten)",
             "Contribution per dwelling (high cost)", "eur", OUTPUT,
             "=programma_kosten_hoog*(1-programma_bank_aandeel-programma_eigen_aandeel)"),
        _div_item("programma_woningen_eigen_min", "programma_budget",
                  "programma_bijdrage_eigen_hoog", "Woningen (hoge kosten)",
                  "Dwellings (high cost)"),
        _div_item("programma_woningen_eigen_max", "programma_budget",
                  "programma_bijdrage_eigen_laag", "Woningen (lage kosten)",
                  "Dwellings (low cost)",
                  note=("De brief: '125 tot 150 woningen' (exact 126,7 tot 152).",
                        "The letter: '125 to 150 homes' (exact 126.7 to 152).")),
    )),
)
# The letter's own (rounded) figures, shown beside the exact ones (column D, constants).
LETTER_FIGURES: dict[str, float] = {
    "programma_budget": 9_500_000, "programma_projecten_min": 19,
    "programma_projecten_max": 45, "programma_bijdrage_laag": 75_000,
    "programma_bijdrage_hoog": 90_000, "programma_woningen_min": 105,
    "programma_woningen_max": 125, "programma_bijdrage_eigen_laag": 62_500,
    "programma_bijdrage_eigen_hoog": 75_000, "programma_woningen_eigen_min": 125,
    "programma_woningen_eigen_max": 150,
}


def check(name: str, nl: str, en: str, severity: str, formula: str, value_ref: str,
          norm_ref: str, note_nl: str, note_en: str, fails: str = "") -> Item:
    return Item(name, nl, en, "bool", CHECK, formula, note_nl, note_en, severity=severity,
                value_ref=value_ref, norm_ref=norm_ref, fails=fails)


CHECKS: tuple[Item, ...] = (
    check("controle_invoer_compleet", "Invoer compleet", "Inputs complete", ERROR,
          "=AND(aantal_woningen>0,marktwaarde_leeg>0,huuropbrengst>0,ratio_rente_aflossing>0)",
          "aantal_woningen", "", "Woningen, huur, marktwaarde en regio zijn ingevuld.",
          "Dwellings, rent, market value and region are filled in."),
    check("controle_ltv_waarde", "Waarde voor de LTV aanwezig", "Value for the LTV present",
          ERROR, "=ltv_waarde>0", "ltv_waarde", "",
          "Kies 'verhuurd' alleen als de marktwaarde verhuurd is ingevuld.",
          "Choose 'verhuurd' only when the let value is filled in."),
    check("controle_lening_binnen_max", "Lening binnen maximale lening",
          "Loan within maximum loan", ERROR, "=ROUND(lening-max_lening,0)<=0", "lening",
          "max_lening", "Benodigde lening ≤ maximale lening (op de euro).",
          "Loan required ≤ maximum loan (to the euro).", "above"),
    check("controle_ltv", "LTV binnen norm", "LTV within norm", ERROR,
          "=ROUND(lening-max_lening_ltv,0)<=0", "ltv_start", "ltv_max",
          "Lening ≤ maximale LTV × waarde.", "Loan ≤ maximum LTV × value.", "above"),
    check("controle_minimale_verkoopprijs", "Verkoopprijs ≥ ondergrens corporatie",
          "Sale price ≥ corporation's floor", ERROR,
          '=OR(projecttype="nieuwbouw",verkoopprijs>=minimale_verkoopprijs)',
          "verkoopprijs", "minimale_verkoopprijs",
          "Een corporatie mag tot 50% van de leegwaarde verkopen (experiment Woningwet).",
          "A corporation may sell down to 50% of the vacant value (Woningwet experiment).",
          "below"),
    check("controle_maatschappelijk_kapitaal", "Verkoopprijs ≤ marktwaarde",
          "Sale price ≤ market value", WARNING,
          '=OR(projecttype="nieuwbouw",maatschappelijk_kapitaal>=0)', "verkoopprijs",
          "marktwaarde_basis", "Boven de marktwaarde kopen is ongebruikelijk.",
          "Buying above market value is unusual.", "above"),
    check("controle_specificatie_lasten", "Specificatie lasten ≤ totaal",
          "Cost breakdown ≤ total", ERROR, "=ROUND(lasten_niet_gespecificeerd,0)>=0",
          "lasten_niet_gespecificeerd", "",
          "De categorieën samen mogen niet meer zijn dan de exploitatielasten.",
          "The categories together may not exceed the operating costs."),
    check("controle_exploitatielasten_norm", "Exploitatielasten per woning ≥ norm",
          "Operating costs per dwelling ≥ norm", WARNING,
          "=exploitatielasten_per_woning>=norm_exploitatielasten_per_woning",
          "exploitatielasten_per_woning", "norm_exploitatielasten_per_woning",
          "Lager dan de norm: onderbouw het (zelfbeheer, offertes).",
          "Below the norm: substantiate it (self-management, quotes).", "below"),
    check("controle_onderhoud_norm", "Groot onderhoud per woning ≥ norm",
          "Major maintenance per dwelling ≥ norm", WARNING,
          "=onderhoud_per_woning>=vex_groot_onderhoud", "onderhoud_per_woning",
          "vex_groot_onderhoud", "Lager dan de norm: onderbouw het met de NEN 2767-inspectie.",
          "Below the norm: substantiate it with the NEN 2767 inspection.", "below"),
    check("controle_kas_min", "Kas nooit negatief (30 jaar, met buffer)",
          "Cash never negative (30 years, with buffer)", ERROR, "=ROUND(kas_min,0)>=0",
          "kas_min", "", "De coöperatie kan rente en aflossing elk jaar betalen.",
          "The cooperative can pay interest and amortisation every year."),
    check("controle_dscr", "Laagste DSCR (netto) ≥ norm", "Lowest DSCR (net) ≥ norm", WARNING,
          "=OR(jr_schuldendienst_totaal=0,dscr_min>=dscr_min_netto)", "dscr_min",
          "dscr_min_netto", "Zwakste jaar over 30 jaar, met herfinanciering tegen de "
          "stressrente.", "Weakest year over 30 years, refinanced at the stress rate.", "below"),
    check("controle_dscr_bruto", "Laagste DSCR (bruto) ≥ norm", "Lowest DSCR (gross) ≥ norm",
          WARNING, "=OR(jr_schuldendienst_totaal=0,dscr_bruto_min>=dscr_min_bruto)",
          "dscr_bruto_min", "dscr_min_bruto", "", "", "below"),
    check("controle_icr", "Laagste ICR (netto) ≥ norm", "Lowest ICR (net) ≥ norm", WARNING,
          "=OR(jr_rente_totaal=0,icr_min>=icr_min_netto)", "icr_min", "icr_min_netto", "", "",
          "below"),
    check("controle_icr_bruto", "Laagste ICR (bruto) ≥ norm", "Lowest ICR (gross) ≥ norm",
          WARNING, "=OR(jr_rente_totaal=0,icr_bruto_min>=icr_min_bruto)", "icr_bruto_min",
          "icr_min_bruto", "", "", "below"),
    check("controle_ltv_dalend", "LTV blijft ≤ norm (jaar 1-30)", "LTV stays ≤ norm (years 1-30)",
          WARNING, "=MAX(jr_ltv)<=ltv_max", "ltv_piek", "ltv_max",
          "Bij dalende waarde kan de LTV weer boven de norm komen.",
          "A falling value can push the LTV back above the norm.", "above"),
    check("controle_liberalisatiegrens", "Huur ≤ liberalisatiegrens (huurtoeslag)",
          "Rent ≤ liberalisation threshold (rent allowance)", WARNING,
          "=woningen_boven_huurtoeslaggrens=0", "woningen_boven_huurtoeslaggrens",
          "liberalisatiegrens",
          "Tot en met 2025: boven de grens geen huurtoeslag; vanaf 2026 berekend tot de grens "
          "(blad Huur).", "Through 2025: no rent allowance above the ceiling; from 2026 "
          "computed up to the ceiling (Rent sheet)."),
    check("controle_huur_wws", "Huur ≤ wettelijk maximum (WWS, per woning)",
          "Rent ≤ legal maximum (WWS, per dwelling)", ERROR, "=huur_boven_wws_max<=0",
          "huur_boven_wws_max", "",
          "De Huurcommissie kan een hogere huur verlagen (blad Huur, tabel per woning).",
          "The Huurcommissie can lower a higher rent (Rent sheet, table per dwelling)."),
    check("controle_middenhuur_grens", "Middenhuur ≤ middenhuurgrens (per woning)",
          "Mid-market rent ≤ mid-market ceiling (per dwelling)", ERROR,
          "=huur_boven_middengrens_max<=0", "huur_boven_middengrens_max", "middenhuur_grens",
          "Wet betaalbare huur: 144-186 punten, huur tot de grens bij 186 punten.",
          "Affordable Rent Act: 144-186 points, rent up to the ceiling at 186 points."),
    check("controle_huursegment", "Huursegment (invoer) past bij de WWS-punten",
          "Rent segment (input) matches the WWS points", WARNING,
          "=aantal_segment_strijdig=0", "aantal_segment_strijdig", "",
          "Met punten volgt het segment uit de punten; pas de invoer aan of controleer de "
          "punten.", "With points the segment follows from them; adjust the input or check "
          "the points."),
    check("controle_lagere_inkomens", "Lagere inkomens ≥ norm (verkoop onder marktwaarde)",
          "Lower incomes ≥ norm (sale below market value)", WARNING,
          "=NOT(bezwaar_lagere_inkomens)", "aandeel_lagere_inkomens",
          "aandeel_lagere_inkomens_min",
          "Een corporatie verkoopt onder de marktwaarde als ten minste de helft van de leden "
          "een lager inkomen heeft (stappenplan, stap 7). Bezwaar voor de kredietcommissie "
          "(bezwaar_lagere_inkomens).",
          "A corporation sells below market value when at least half the members have lower "
          "incomes (guide, step 7). An objection for the credit committee "
          "(bezwaar_lagere_inkomens).", "below"),
    check("controle_bronnen_bestedingen", "Bronnen = bestedingen (nieuwbouw)",
          "Sources = uses (new build)", ERROR,
          "=ROUND(bronnen_totaal+financieringstekort-bestedingen_totaal-financieringsoverschot,"
          "0)=0", "bronnen_totaal", "bestedingen_totaal",
          "Bronnen plus tekort = bestedingen plus overschot (op de euro).",
          "Sources plus gap = uses plus surplus (to the euro)."),
    check("controle_financiering_sluit", "Financiering sluit (nieuwbouw: geen tekort)",
          "Funding closes (new build: no gap)", ERROR,
          '=OR(projecttype<>"nieuwbouw",financiering_sluit)', "financieringstekort", "",
          "Het tekort moet gedekt zijn (blad Nieuwbouw).",
          "The gap must be covered (New build sheet)."),
    check("controle_eigen_inbreng_min", "Eigen inbreng ≥ minimum (nieuwbouw)",
          "Own equity ≥ minimum (new build)", WARNING,
          '=OR(projecttype<>"nieuwbouw",eigen_inbreng>=eigen_inbreng_norm)', "eigen_inbreng",
          "eigen_inbreng_norm", "Leden brengen minstens 5% in (Kamerbrief; fondsvoorwaarde).",
          "Members contribute at least 5% (Minister's letter; fund condition).", "below"),
    check("controle_startkapitaal", "Startkapitaal binnen de bandbreedte",
          "Start capital within the range", WARNING,
          "=OR(startkapitaal=0,AND(startkapitaal>=startkapitaal_min,"
          "startkapitaal<=startkapitaal_max))", "startkapitaal", "startkapitaal_max",
          "Kamerbrief: € 200.000 tot € 500.000 per project.",
          "Minister's letter: €200,000 to €500,000 per project."),
)


SUMMARY_ITEMS: tuple[Item, ...] = (
    Item("controles_ok", "Alle controles (fout) in orde", "All (error) checks pass", "bool",
         OUTPUT, "=AND(" + ",".join(ERROR_CHECKS) + ")",
         "Waarschuwingen tellen niet mee; zie het aantal hieronder.",
         "Warnings do not count; see their number below."),
    Item("aantal_waarschuwingen", "Aantal waarschuwingen", "Number of warnings", "aantal",
         OUTPUT, "=" + "+".join(f"IF({c},0,1)" for c in WARNING_CHECKS)),
)

# --------------------------------------------------------------------------------------------
# The credit committee's view (sheet Oordeel): the verdict and its objections, the whole debt,
# the corporation's claim and a resale waterfall. Objections are defined in xlcoop.objections
# (domain); each gets its formula here, under the same name.
OD = "oordeel"
OBJECTION_FORMULAS: dict[str, str] = {
    "bezwaar_dscr": "=NOT(controle_dscr)",
    "bezwaar_dscr_bruto": "=NOT(controle_dscr_bruto)",
    "bezwaar_icr": "=NOT(controle_icr)",
    "bezwaar_icr_bruto": "=NOT(controle_icr_bruto)",
    "bezwaar_dscr_totaal": "=AND(jr_schuldendienst_alle_totaal>0,dscr_totaal_min<dscr_min_totaal)",
    "bezwaar_ltv_start": "=ltv_bank_start>ltv_max+rekenmarge",
    "bezwaar_ltv_herfinanciering": "=ltv_herfinanciering_max>ltv_max+rekenmarge",
    "bezwaar_kas": "=NOT(controle_kas_min)",
    "bezwaar_verkoopprijs": "=NOT(controle_minimale_verkoopprijs)",
    "bezwaar_taxatie": "=NOT(dossier_taxatie)",
    "bezwaar_lasten": "=AND(NOT(AND(controle_exploitatielasten_norm,controle_onderhoud_norm)),"
                      "LEN(TRIM(onderbouwing_lasten))=0)",
    "bezwaar_waarde_verhuurd": "=marktwaarde_verhuurd<=0",
    "bezwaar_lagere_inkomens": "=AND(verkoop_onder_marktwaarde,IF(ISBLANK("
    "aandeel_lagere_inkomens),0,aandeel_lagere_inkomens)<aandeel_lagere_inkomens_min)",
}
OBJECTION_ITEMS: tuple[Item, ...] = tuple(
    Item(o.name, o.label_nl, o.label_en, "bool", OBJECTION, OBJECTION_FORMULAS[o.name],
         o.note_nl, o.note_en, value_ref=o.value_ref, norm_ref=o.norm_ref, fails=o.fails)
    for o in OBJECTIONS)
VERDICT_ITEMS: tuple[Item, ...] = (
    Item("financierbaar", "Financierbaar (geen bezwaar in enig jaar)",
         "Bankable (no objection in any year)", "bool", OUTPUT, "=aantal_bezwaren=0",
         "Los van 'alle controles in orde' (invoer compleet en consistent).",
         "Separate from 'all checks pass' (input complete and consistent)."),
    Item("aantal_bezwaren", "Aantal bezwaren", "Number of objections", "aantal", OUTPUT,
         "=" + "+".join(f"IF({o.name},1,0)" for o in OBJECTIONS)),
)
START_LABELS = {
    "ltv_bank_start": ("LTV bij aanvang op de waarde voor de bank",
                       "LTV at start on the bank's value"),
    "schuld_totaal_start": ("Schulden en vordering bij aanvang",
                            "Debt and claim at start"),
    "solvabiliteit_start": ("Solvabiliteit bij aanvang", "Solvency at start"),
}


def _w(name: str, nl: str, en: str, formula: str, unit: str = "eur", kind: str = CALC,
       note: tuple[str, str] = ("", "")) -> Item:
    return Item(name, nl, en, unit, kind, formula, *note)


def _at_sale(row: str) -> str:
    return f"INDEX({row},1,doorverkoop_jaar)"


OORDEEL_SECTIONS: tuple[Section, ...] = (
    Section("Oordeel van de kredietcommissie", "The credit committee's verdict", (
        *VERDICT_ITEMS,
        link("controles_ok", "Invoer compleet en consistent (alle controles)",
             "Input complete and consistent (all checks)", "bool", OD),
    )),
    Section("Bezwaren (WAAR = bezwaar; met het cijfer en de norm)",
            "Objections (TRUE = objection; with the figure and the norm)", OBJECTION_ITEMS),
    Section("De hele schuld", "The whole debt", (
        link("dscr_min", "Laagste DSCR bank (netto)", "Lowest bank DSCR (net)", "factor", OD),
        link("dscr_totaal_min", "Laagste DSCR totaal (alle tranches)",
             "Lowest total DSCR (all tranches)", "factor", OD),
        link("restschuld_einde_looptijd", "Restschuld bij de eerste herfinanciering",
             "Balance at the first refinancing", "eur", OD),
        _w("restschuld_einde", "Restschuld banklening aan het einde (jaar 30: ballon)",
           "Bank loan balance at the horizon (year 30: balloon)",
           "=INDEX(jr_saldo,1,MAX(jaren))", kind=OUTPUT,
           note=("Lineair 2% per jaar laat na 30 jaar 40% van de lening staan.",
                 "Linear 2% a year leaves 40% of the loan after 30 years.")),
        link("bankwaarde", "Waarde voor de bank (verhuurd, anders leeg)",
             "Value for the bank (let, else vacant)", "eur", OD),
        link("ltv_bank_start", "LTV bij aanvang op de waarde voor de bank",
             "LTV at start on the bank's value", "pct", OD),
        link("ltv_herfinanciering_max", "Hoogste LTV bij een herfinanciering",
             "Highest LTV at a refinancing", "pct", OD),
        link("schuld_totaal_start", "Schulden en vordering bij aanvang", "Debt and claim at start",
             "eur", OD),
        _w("schuld_totaal_ltv_start", "Alle schuld plus vordering / waarde bij aanvang",
           "All debt plus claim / value at start",
           "=IF(bankwaarde=0,0,schuld_totaal_start/bankwaarde)", "pct", OUTPUT),
        link("solvabiliteit_start", "Solvabiliteit bij aanvang", "Solvency at start", "pct", OD),
        link("solvabiliteit_min", "Laagste solvabiliteit (30 jaar)", "Lowest solvency (30 years)",
             "pct", OD),
    )),
    Section("Bankcase: de case bij lasten en groot onderhoud ten minste de norm per woning",
            "Bank case: the case with costs and major maintenance at least the norm per "
            "dwelling", (
        _w("lasten_norm_totaal", "Norm exploitatielasten (per woning × woningen)",
           "Norm operating costs (per dwelling × dwellings)",
           "=norm_exploitatielasten_per_woning*aantal_woningen", "eur_jaar"),
        _w("onderhoud_norm_totaal", "Norm groot onderhoud (per woning × woningen)",
           "Norm major maintenance (per dwelling × dwellings)",
           "=vex_groot_onderhoud*aantal_woningen", "eur_jaar"),
        _w("bank_netto_cashflow", "Netto cashflow jaar 1 bij normkosten",
           "Net cash flow year 1 at norm costs",
           "=baten-MAX(exploitatielasten,lasten_norm_totaal)-MAX(reservering_groot_onderhoud,"
           "onderhoud_norm_totaal)", "eur_jaar", OUTPUT,
           note=("Wat een analist als eerste herrekent: eigen lasten, maar nooit lager dan de "
                 "norm.", "What an analyst recomputes first: own costs, never below the norm.")),
        _w("bank_max_lening_cashflow", "Maximale lening op kasstroom bij normkosten",
           "Maximum loan by cash flow at norm costs",
           "=MAX(0,IF(ratio_rente_aflossing=0,0,bank_netto_cashflow/ratio_rente_aflossing))"),
        _w("bank_max_lening", "Maximale lening bij normkosten (laagste van kasstroom en LTV)",
           "Maximum loan at norm costs (lower of cash flow and LTV)",
           "=MIN(bank_max_lening_cashflow,max_lening_ltv)"),
        _w("bank_aankoop_beschikbaar", "Beschikbaar voor prijs en overdrachtsbelasting",
           "Available for price and transfer tax",
           "=bank_max_lening+eigen_inbreng+achtergestelde_lening-buffer-overige_aankoopkosten"
           "-renovatie_eigen"),
        _w("bank_max_aankoopprijs", "Maximale aankoopprijs bij normkosten",
           "Maximum purchase price at norm costs",
           '=MAX(0,IF(overdrachtsbelasting_grondslag="waarde",MIN(bank_aankoop_beschikbaar/'
           "(1+overdrachtsbelasting),bank_aankoop_beschikbaar-overdrachtsbelasting*bankwaarde),"
           "bank_aankoop_beschikbaar/(1+overdrachtsbelasting)))", kind=OUTPUT),
        link("max_aankoopprijs", "Ter vergelijking: maximale aankoopprijs (eigen lasten)",
             "For comparison: maximum purchase price (own costs)", "eur", OD),
        link("bank_dscr_min", "Laagste DSCR bank bij normkosten (zelfde lening)",
             "Lowest bank DSCR at norm costs (same loan)", "factor", OD),
        _w("bank_bezwaar_dscr", "Bezwaar: DSCR bank bij normkosten", "Objection: bank DSCR at "
           "norm costs", "=AND(jr_schuldendienst_totaal>0,bank_dscr_min<dscr_min_netto)", "bool"),
        _w("bank_bezwaar_icr", "Bezwaar: ICR bank bij normkosten", "Objection: bank ICR at norm "
           "costs", "=AND(jr_rente_totaal>0,bank_icr_min<icr_min_netto)", "bool"),
        _w("bank_bezwaar_dscr_totaal", "Bezwaar: DSCR totaal bij normkosten",
           "Objection: total DSCR at norm costs",
           "=AND(jr_schuldendienst_alle_totaal>0,bank_dscr_totaal_min<dscr_min_totaal)", "bool"),
        _w("bank_bezwaar_kas", "Bezwaar: kas negatief bij normkosten",
           "Objection: cash negative at norm costs", "=ROUND(bank_kas_min,0)<0", "bool"),
        _w("bank_aantal_bezwaren", "Aantal bezwaren bij normkosten",
           "Number of objections at norm costs",
           "=aantal_bezwaren-IF(bezwaar_dscr,1,0)-IF(bezwaar_icr,1,0)-IF(bezwaar_dscr_totaal,1,0)"
           "-IF(bezwaar_kas,1,0)-IF(bezwaar_lasten,1,0)+IF(bank_bezwaar_dscr,1,0)"
           "+IF(bank_bezwaar_icr,1,0)+IF(bank_bezwaar_dscr_totaal,1,0)+IF(bank_bezwaar_kas,1,0)",
           "aantal", OUTPUT,
           note=("Alle bezwaren; die van de kasstroom bij normkosten, en geen bezwaar over lasten "
                 "onder de norm.", "Every objection; the cash-flow ones at norm costs, and none "
                 "for costs below the norm.")),
        _w("bank_financierbaar", "Financierbaar bij normkosten", "Bankable at norm costs",
           "=bank_aantal_bezwaren=0", "bool", OUTPUT),
    )),
    Section("Vordering van de corporatie (maatschappelijk kapitaal)",
            "The corporation's claim (social capital)", (
        link("maatschappelijk_kapitaal", "Korting (maatschappelijk kapitaal)",
             "Discount (social capital)", "eur", OD),
        _w("vordering_corporatie", "Vordering corporatie bij aanvang (achtergesteld)",
           "Corporation's claim at start (subordinated)",
           '=IF(projecttype="nieuwbouw",0,MAX(0,maatschappelijk_kapitaal))', kind=OUTPUT,
           note=("Geen schenking: terug bij doorverkoop binnen de termijn (stappenplan stap 7).",
                 "Not a gift: repaid on resale within the term (guide step 7).")),
        link("vordering_looptijd", "Termijn", "Term", "jaar", OD),
        link("vordering_winstdeel", "Winstdeel", "Profit share", "pct", OD),
        link("vordering_rente", "Rente (bijgeschreven)", "Interest (accrued)", "pct", OD),
    )),
    Section("Doorverkoop: verdeling van de opbrengst in het gekozen jaar",
            "Resale: waterfall of the proceeds in the chosen year", (
        link("doorverkoop_jaar", "Jaar van doorverkoop", "Year of resale", "jaar", OD),
        _w("doorverkoop_waarde", "Verkoopwaarde (waarde voor de bank, geïndexeerd)",
           "Sale value (bank's value, indexed)", "=" + _at_sale("jr_balans_woningen")),
        _w("doorverkoop_kosten_bedrag", "Af: verkoopkosten", "Less: sale costs",
           "=doorverkoop_waarde*doorverkoop_kosten"),
        _w("doorverkoop_netto", "Netto opbrengst", "Net proceeds",
           "=doorverkoop_waarde-doorverkoop_kosten_bedrag"),
        _w("doorverkoop_bank", "1. Aflossing bank (rang 1)", "1. Bank repaid (rank 1)",
           "=MIN(doorverkoop_netto," + _at_sale("jr_saldo") + ")"),
        _w("doorverkoop_na_bank", "Over na de bank", "Left after the bank",
           "=MAX(0,doorverkoop_netto-doorverkoop_bank)"),
        _w("doorverkoop_achtergesteld", "2. Achtergestelde tranches (rang 2-4)",
           "2. Subordinated tranches (ranks 2-4)",
           "=MIN(doorverkoop_na_bank," + _at_sale("jr_saldo_achtergesteld") + ")"),
        _w("doorverkoop_na_achtergesteld", "Over na de tranches", "Left after the tranches",
           "=doorverkoop_na_bank-doorverkoop_achtergesteld"),
        _w("doorverkoop_winst", "Waardestijging sinds aankoop (na kosten)",
           "Value gain since purchase (after costs)", "=MAX(0,doorverkoop_netto-bankwaarde)"),
        _w("doorverkoop_vordering_verschuldigd",
           "Verschuldigd aan de corporatie (binnen de termijn: vordering + winstdeel)",
           "Owed to the corporation (within the term: claim + profit share)",
           "=IF(doorverkoop_jaar<=vordering_looptijd," + _at_sale("jr_balans_vordering")
           + "+vordering_winstdeel*doorverkoop_winst,0)"),
        _w("doorverkoop_vordering", "3. Betaald aan de corporatie", "3. Paid to the corporation",
           "=MIN(doorverkoop_na_achtergesteld,doorverkoop_vordering_verschuldigd)"),
        _w("doorverkoop_cooperatie", "Over voor de coöperatie", "Left for the cooperative",
           "=doorverkoop_na_achtergesteld-doorverkoop_vordering", kind=OUTPUT),
        _w("doorverkoop_tekort", "Niet gedekt door de opbrengst", "Not covered by the proceeds",
           "=(" + _at_sale("jr_saldo") + "-doorverkoop_bank)+(" + _at_sale("jr_saldo_achtergesteld")
           + "-doorverkoop_achtergesteld)+(doorverkoop_vordering_verschuldigd"
           "-doorverkoop_vordering)", kind=OUTPUT,
           note=("Per schuldeiser het onbetaalde deel (precies 0 wanneer betaald).",
                 "Per creditor the unpaid part (exactly 0 when paid).")),
    )),
)

# --------------------------------------------------------------------------------------------
# The sensitivity overview (Gevoeligheid): per variant three named figures, then break-evens.
METRICS = ("dscr_min", "kas_min", "ltv_piek")
METRIC_UNITS = {"dscr_min": "factor", "kas_min": "eur", "ltv_piek": "pct"}


def _variant_items() -> tuple[tuple[str, str, str, str | None, tuple[Item, ...]], ...]:
    rows = []
    for key, nl, en, shift, moves in VARIANTS:
        formulas = variant_formulas(key, moves)
        items = tuple(Item(f"g_{key}_{m}", f"{nl}: {m}", f"{en}: {m}", METRIC_UNITS[m], OUTPUT,
                           formulas[m]) for m in METRICS)
        rows.append((key, nl, en, shift, items))
    return tuple(rows)


VARIANT_ROWS = _variant_items()
BREAK_EVENS: tuple[Item, ...] = (
    Item("breakeven_rente_herfinanciering", "Break-even herfinancieringsrente (laagste DSCR = 1)",
         "Break-even refinancing rate (lowest DSCR = 1)", "pct", OUTPUT,
         '=IF(aflossingsvorm="annuitair",MAX(jr_be_lo),'
         + min_counted("breakeven_rente_lineair").lstrip("=") + ")",
         "De hoogste rente na herfinanciering waarbij elk jaar na herfinanciering DSCR ≥ 1.",
         "The highest rate after refinancing at which every refinanced year has DSCR ≥ 1."),
    Item("breakeven_huurderving", "Break-even huurderving (laagste DSCR = 1)",
         "Break-even rent loss (lowest DSCR = 1)", "pct", OUTPUT,
         min_counted("breakeven_huurderving"),
         "Bij de huidige lening; boven deze huurderving is de DSCR ergens < 1.",
         "At the current loan; above this rent loss the DSCR drops below 1 somewhere."),
)

# --------------------------------------------------------------------------------------------
META_ITEMS: tuple[Item, ...] = (
    Item("template_versie", "Templateversie", "Template version", "tekst", META),
    Item("template_vingerafdruk", "Vingerafdruk formules", "Formula fingerprint", "tekst", META),
)


def _summary_sections() -> tuple[Section, ...]:
    """The one-page bank summary: links to figures defined elsewhere (labels reused)."""
    known: dict[str, Item] = {i.name: i for sec in (*CALC_SECTIONS, *NIEUWBOUW_SECTIONS,
                                                    *KANSRIJK_SECTIONS, *OORDEEL_SECTIONS)
                              for i in sec.items if i.kind != LINK}
    known.update({i.name: i for i in (*CHECKS, *SUMMARY_ITEMS, *BREAK_EVENS)})
    known.update({r.total_name: Item(r.total_name, *TOTAL_LABELS[r.total_name], r.unit, OUTPUT)
                  for blocks in TIMELINE_SHEETS.values() for b in blocks for r in b.rows
                  if r.total_name})

    def show(name: str) -> Item:
        item = known[name]
        return link(name, item.label_nl, item.label_en, item.unit, "samenvatting")

    figures = ("aantal_woningen", "huuropbrengst", "netto_cashflow", "max_lening_cashflow",
               "max_lening_ltv", "max_lening", "bindende_grens", "marktwaarde_basis",
               "verkoopprijs", "maatschappelijk_kapitaal_pct", "lening", "ltv_start")
    multi = ("dscr_jaar1", "dscr_min", "dscr_zwakste_jaar", "dscr_totaal_min", "icr_min",
             "ltv_piek", "ltv_herfinanciering_max", "kas_min", "restschuld_einde_looptijd",
             "restschuld_einde", "schuld_totaal_ltv_start", "solvabiliteit_min",
             "breakeven_rente_herfinanciering", "breakeven_huurderving")
    checks = ("controles_ok", "aantal_waarschuwingen", *(c.name for c in CHECKS))
    verdict = ("financierbaar", "aantal_bezwaren", *(o.name for o in OBJECTIONS))
    return (Section("Oordeel: financierbaar en de bezwaren (WAAR = bezwaar)",
                    "Verdict: bankable and the objections (TRUE = objection)",
                    tuple(show(n) for n in verdict)),
            Section("Kerncijfers", "Key figures", tuple(show(n) for n in figures)),
            Section("Meerjarige toets (30 jaar)", "Multi-year test (30 years)",
                    tuple(show(n) for n in multi)),
            Section("Nieuwbouw en dossier", "New build and dossier",
                    tuple(show(n) for n in ("stichtingskosten", "bronnen_totaal",
                                            "financieringstekort", "tekort_per_woning",
                                            "kansrijk_score", "dossier_compleet"))),
            Section("Controles", "Checks", tuple(show(n) for n in checks)))


SHEETS: tuple[Sheet, ...] = (
    Sheet("voorblad", "Voorblad", "Cover", "cover"),
    Sheet("samenvatting", "Samenvatting", "Summary", "summary", _summary_sections()),
    Sheet("invoer", "Invoer", "Inputs", "inputs", INPUT_SECTIONS),
    Sheet("normen", "Normen", "Norms", "norms"),
    Sheet("financiering", "Financiering", "Financing", "calc", CALC_SECTIONS),
    Sheet("huur", "Huur", "Rent", "calc", HUUR_SECTIONS),
    Sheet("nieuwbouw", "Nieuwbouw", "New build", "calc", NIEUWBOUW_SECTIONS),
    Sheet("exploitatie", "Exploitatie", "Operations", "timeline"),
    Sheet("lening", "Lening", "Loan", "timeline"),
    Sheet("balans", "Balans", "Balance sheet", "timeline"),
    Sheet("oordeel", "Oordeel", "Verdict", "calc", OORDEEL_SECTIONS),
    Sheet("gevoeligheid", "Gevoeligheid", "Sensitivity", "timeline"),
    Sheet("controles", "Controles", "Checks", "checks",
          (Section("Controles", "Checks", CHECKS),
           Section("Conclusie", "Conclusion", SUMMARY_ITEMS))),
    Sheet("kansrijk", "Kansrijk", "Promising", "calc", KANSRIJK_SECTIONS),
    Sheet("programma", "Programma", "Programme", "calc", PROGRAMMA_SECTIONS),
)
SHEET_BY_KEY = {s.key: s for s in SHEETS}


# --------------------------------------------------------------------------------------------
# Positions. Every sheet: row 1 title, row 2 subtitle, row 4 column headers, content from row 6.
FIRST_ROW = 6
VALUE_COL = 3  # column C holds the value on cover, input, calc and check sheets
NORM_COLS = {"standard": 3, "override": 4, "used": 5}
SERIES = {s.name: s.length for s in INPUTS if s.kind == "series"}
YEAR_NAMES = ("jaren", "jr_kalenderjaar")  # header and calendar row of the Exploitatie sheet


@dataclass
class Layout:
    """Where every cell lives (language-independent)."""

    cells: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # name -> sheet,row,col
    # name -> sheet, first col, first row, last col, last row
    ranges: dict[str, tuple[str, int, int, int, int]] = field(default_factory=dict)
    section_rows: dict[str, list[tuple[int, Section]]] = field(default_factory=dict)
    item_rows: dict[str, list[tuple[int, Item]]] = field(default_factory=dict)
    extra_rows: dict[str, dict[str, int]] = field(default_factory=dict)  # sheet -> marker -> row
    block_rows: dict[str, list[tuple[int, Block]]] = field(default_factory=dict)
    timeline_rows: dict[str, list[tuple[int, Row]]] = field(default_factory=dict)
    row_of: dict[str, dict[str, int]] = field(default_factory=dict)  # sheet -> row name -> row
    variant_rows: list[tuple[int, tuple]] = field(default_factory=list)

    def ref(self, name: str, sheet_titles: dict[str, str]) -> str:
        """Absolute A1 reference of a defined name, e.g. 'Invoer'!$C$8."""
        if name in self.cells:
            sheet, row, col = self.cells[name]
            return f"'{sheet_titles[sheet]}'!${get_column_letter(col)}${row}"
        sheet, c1, r1, c2, r2 = self.ranges[name]
        return (f"'{sheet_titles[sheet]}'!${get_column_letter(c1)}${r1}:"
                f"${get_column_letter(c2)}${r2}")

    def cells_of(self, name: str) -> list[tuple[str, int, int]]:
        """Every (sheet key, row, col) a name covers: one cell, or all cells of its range."""
        if name in self.cells:
            return [self.cells[name]]
        sheet, c1, r1, c2, r2 = self.ranges[name]
        return [(sheet, r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]

    def address(self, name: str) -> tuple[str, str]:
        """(sheet key, 'C8') of a single-cell item."""
        sheet, row, col = self.cells[name]
        return sheet, f"{get_column_letter(col)}{row}"


def _place_sections(lay: Layout, sheet: Sheet, start: int) -> int:
    row = start
    lay.section_rows.setdefault(sheet.key, [])
    lay.item_rows.setdefault(sheet.key, [])
    for section in sheet.sections:
        lay.section_rows[sheet.key].append((row, section))
        row += 1
        for item in section.items:
            lay.item_rows[sheet.key].append((row, item))
            height = SERIES.get(item.name, 1)
            if item.name in SERIES:
                lay.ranges[item.name] = (sheet.key, VALUE_COL, row, VALUE_COL, row + height - 1)
            elif item.defined:
                lay.cells[item.name] = (sheet.key, row, VALUE_COL)
            row += height
        row += 1
    return row


def _place_owned(lay: Layout, row: int, owned: OwnedLayout) -> None:
    """The add-in's cells below the checks, from the list it is given: status and counts, one
    row per solver (value, binding limit, price), then the findings table."""
    marks = lay.extra_rows.setdefault("controles", {})
    marks["addin"] = row
    for cell in owned.status:
        row += 1
        lay.cells[cell.name] = ("controles", row, VALUE_COL)
    row += 1
    marks["addin_solvers"] = row
    for cells in owned.solver_rows:
        row += 1
        for col, cell in enumerate(cells, start=VALUE_COL):
            lay.cells[cell.name] = ("controles", row, col)
    row += 2
    marks["addin_findings"] = row
    first, spec = row + 1, owned.table
    lay.ranges[spec.name] = ("controles", 1, first, spec.cols, first + spec.rows - 1)


def owned_items(cells: tuple[OwnedCell, ...] | None = None) -> list[Item]:
    """The add-in's cells as registry items (no formula; values only the add-in writes)."""
    from xlcoop.owned_cells import owned_layout

    return [Item(c.name, c.label_nl, c.label_en, c.unit, OWNED)
            for c in (cells if cells is not None else owned_layout().cells)]


def _place_timeline(lay: Layout, key: str, start: int) -> None:
    row = start
    lay.block_rows[key], lay.timeline_rows[key] = [], []
    lay.row_of[key] = {"jr_kalenderjaar": CALENDAR_ROW}
    for block in TIMELINE_SHEETS[key]:
        lay.block_rows[key].append((row, block))
        row += 1
        for line in block.rows:
            lay.timeline_rows[key].append((row, line))
            lay.row_of[key][line.name] = row
            if line.defined:
                lay.ranges[line.name] = (key, FIRST_YEAR_COL, row, LAST_YEAR_COL, row)
            if line.total_defined_name:
                lay.cells[line.total_defined_name] = (key, row, TOTAL_COL)
            if line.start_name:
                lay.cells[line.start_name] = (key, row, START_COL)
            row += 1
        row += 1


@cache
def layout() -> Layout:
    lay = Layout()
    # Cover: meta cells at fixed rows, the master check shown as a link.
    figures = 14 + len(COVER_OBJECTIONS)
    lay.extra_rows["voorblad"] = {"project": 3, "version": 4, "fingerprint": 5, "verdict": 7,
                                  "objections": 8, "status": 9, "warnings": 10,
                                  "objection_list": 12, "figures": figures,
                                  "key": figures + 2 + len(COVER_FIGURES),
                                  "instructions": figures + 11 + len(COVER_FIGURES)}
    lay.cells["template_versie"] = ("voorblad", 4, VALUE_COL)
    lay.cells["template_vingerafdruk"] = ("voorblad", 5, VALUE_COL)
    _place_sections(lay, SHEET_BY_KEY["samenvatting"], FIRST_ROW)

    # Inputs, then the dwellings table.
    row = _place_sections(lay, SHEET_BY_KEY["invoer"], FIRST_ROW)
    lay.extra_rows["invoer"] = {"dwellings_title": row, "dwellings_header": row + 1}
    first = row + 2
    for col, spec in enumerate(DWELLING_COLUMNS, start=1):
        lay.ranges[spec.name] = ("invoer", col, first, col, first + DWELLING_ROWS - 1)
    lay.extra_rows["invoer"]["dwellings_first"] = first

    # Norms: applied norms (standard | override | used), then the reference tables.
    row = FIRST_ROW
    lay.extra_rows["normen"] = {"applied_title": row}
    row += 2  # title row and column-header row
    for norm in NORMS:
        lay.cells[norm.name + NORM_STANDARD_SUFFIX] = ("normen", row, NORM_COLS["standard"])
        lay.cells[norm.name + NORM_OVERRIDE_SUFFIX] = ("normen", row, NORM_COLS["override"])
        lay.cells[norm.name] = ("normen", row, NORM_COLS["used"])
        row += 1
    row += 1
    for table in TABLES:
        lay.extra_rows["normen"][table.name] = row
        first = row + 2
        last = first + len(table.rows) - 1
        lay.ranges[table_key_range(table.name)] = ("normen", 1, first, 1, last)
        lay.ranges[table_value_range(table.name)] = ("normen", VALUE_COL, first, VALUE_COL, last)
        row = last + 2

    for key in ("financiering", "nieuwbouw", "oordeel", "kansrijk", "programma"):
        _place_sections(lay, SHEET_BY_KEY[key], FIRST_ROW)
    row = _place_sections(lay, SHEET_BY_KEY["huur"], FIRST_ROW)
    lay.extra_rows["huur"] = {"dwellings_title": row, "dwellings_header": row + 1,
                              "dwellings_first": row + 2}
    for item in DWELLING_TABLE:
        col = DWELLING_TABLE_COLS[item.name]
        lay.ranges[item.name] = ("huur", col, row + 2, col, row + 1 + DWELLING_ROWS)
    from xlcoop.owned_cells import owned_layout

    _place_owned(lay, _place_sections(lay, SHEET_BY_KEY["controles"], FIRST_ROW), owned_layout())

    # Timelines. The Exploitatie header row is named `jaren` (1..30), its calendar row too.
    lay.ranges["jaren"] = ("exploitatie", FIRST_YEAR_COL, HEADER_ROW, LAST_YEAR_COL, HEADER_ROW)
    lay.ranges["jr_kalenderjaar"] = ("exploitatie", FIRST_YEAR_COL, CALENDAR_ROW, LAST_YEAR_COL,
                                     CALENDAR_ROW)
    _place_timeline(lay, "exploitatie", FIRST_TIMELINE_ROW)
    _place_timeline(lay, "lening", FIRST_TIMELINE_ROW)
    _place_timeline(lay, "balans", FIRST_TIMELINE_ROW)
    # Gevoeligheid: the overview (title, column headers, variants), break-evens, then blocks.
    row = FIRST_TIMELINE_ROW
    lay.extra_rows["gevoeligheid"] = {"overview": row, "overview_header": row + 1}
    row += 2
    for variant in VARIANT_ROWS:
        lay.variant_rows.append((row, variant))
        for col, item in enumerate(variant[4], start=VALUE_COL):
            lay.cells[item.name] = ("gevoeligheid", row, col)
        row += 1
    row += 1
    lay.extra_rows["gevoeligheid"]["break_evens"] = row
    for offset, item in enumerate(BREAK_EVENS, start=1):
        lay.cells[item.name] = ("gevoeligheid", row + offset, VALUE_COL)
    _place_timeline(lay, "gevoeligheid", row + len(BREAK_EVENS) + 2)
    return lay


# --------------------------------------------------------------------------------------------
# The whole registry as a flat list (for docs, the add-in and the audit).
def timeline_items() -> list[Item]:
    """Timeline rows (as ranges) and their named totals, as registry items."""
    items = []
    for blocks in TIMELINE_SHEETS.values():
        for block in blocks:
            for line in block.rows:
                if line.defined:
                    items.append(Item(line.name, line.label_nl, line.label_en, line.unit, CALC,
                                      line.formula))
                if line.total_defined_name:
                    name = line.total_defined_name
                    nl, en = TOTAL_LABELS.get(name, (line.label_nl + " (totaal 30 jaar)",
                                                     line.label_en + " (30-year total)"))
                    items.append(Item(name, nl, en, line.unit,
                                      OUTPUT if line.total_name else CALC,
                                      "=SUM(" + line.name + ")" if line.total == "sum"
                                      else line.total))
                if line.start_name:
                    nl, en = START_LABELS[line.start_name]
                    items.append(Item(line.start_name, nl, en, line.unit, OUTPUT, line.start))
    return items


@cache
def _all_items() -> tuple[Item, ...]:
    return tuple(_collect_items())


def all_items() -> list[Item]:
    """Every registry item (a fresh list; the items themselves are immutable)."""
    return list(_all_items())


def _collect_items() -> list[Item]:
    items: list[Item] = list(META_ITEMS)
    for sheet in SHEETS:
        for section in sheet.sections:
            items.extend(section.items)
    for norm in NORMS:
        items.append(Item(norm.name + NORM_STANDARD_SUFFIX, norm.label_nl + " (standaard)",
                          norm.label_en + " (standard)", norm.unit, NORM,
                          norm_standard_formula(norm.name)))
        items.append(Item(norm.name + NORM_OVERRIDE_SUFFIX, norm.label_nl + " (eigen waarde)",
                          norm.label_en + " (own value)", norm.unit, INPUT))
        items.append(Item(norm.name, norm.label_nl, norm.label_en, norm.unit, NORM,
                          norm_used_formula(norm.name), norm.source, norm.source))
    items.extend(DWELLING_TABLE)
    items.extend(timeline_items())
    for variant in VARIANT_ROWS:
        items.extend(variant[4])
    items.extend(BREAK_EVENS)
    items.extend(owned_items())
    return items


def _render_on(sheet: str, formula: str, col: int) -> str:
    return render(formula, col, layout().row_of[sheet], get_column_letter)


# Where a formula cell's value comes from in the reference model's results: a name (a
# figure, an input or a norm), or (name, index) for one year of a timeline row.
Source = str | tuple[str, int]


@cache
def _formula_entries() -> dict[tuple[str, int, int], tuple[str, Source]]:
    """Every formula the template holds, by (sheet key, row, col), with its value's source."""
    lay = layout()
    out: dict[tuple[str, int, int], tuple[str, Source]] = {}
    for item in all_items():
        if item.formula and item.name in lay.cells:
            sheet, row, col = lay.cells[item.name]
            formula = item.formula
            if sheet in TIMELINE_SHEETS:
                formula = _render_on(sheet, formula, col)
            out[(sheet, row, col)] = (formula, item.name)
    for sheet_key, rows in lay.item_rows.items():
        for row, item in rows:
            if item.kind == LINK:
                out[(sheet_key, row, VALUE_COL)] = (item.formula or "", _linked(item.formula))
            if item.kind in (CHECK, OBJECTION):
                if item.value_ref:
                    out[(sheet_key, row, CHECK_VALUE_COL)] = (f"={item.value_ref}",
                                                              item.value_ref)
                if item.norm_ref:
                    out[(sheet_key, row, CHECK_NORM_COL)] = (f"={item.norm_ref}", item.norm_ref)
    first = lay.extra_rows["huur"]["dwellings_first"]
    for item in DWELLING_TABLE:
        for k, row in enumerate(range(first, first + DWELLING_ROWS)):
            out[("huur", row, DWELLING_TABLE_COLS[item.name])] = (
                render_dwelling(item.formula or "", row), (item.name, k))
    for marker, formula, source in COVER_LINKS:
        out[("voorblad", lay.extra_rows["voorblad"][marker], VALUE_COL)] = (formula, source)
    for offset, name in enumerate(COVER_OBJECTIONS):
        out[("voorblad", lay.extra_rows["voorblad"]["objection_list"] + 1 + offset,
             VALUE_COL)] = (f"={name}", name)
    for offset, name in enumerate(COVER_FIGURES):
        out[("voorblad", lay.extra_rows["voorblad"]["figures"] + 1 + offset, VALUE_COL)] = \
            (f"={name}", name)
    for sheet, rows in lay.timeline_rows.items():
        for col in range(FIRST_YEAR_COL, LAST_YEAR_COL + 1):
            out[(sheet, CALENDAR_ROW, col)] = (_render_on(sheet, "=peiljaar+{jaar}-1", col),
                                               ("jr_kalenderjaar", col - FIRST_YEAR_COL))
        for row, line in rows:
            for col in range(FIRST_YEAR_COL, LAST_YEAR_COL + 1):
                out[(sheet, row, col)] = (_render_on(sheet, line.formula, col),
                                          (line.name, col - FIRST_YEAR_COL))
            if line.start:
                out[(sheet, row, START_COL)] = (_render_on(sheet, line.start, START_COL),
                                                f"{line.name}@start")
            if isinstance(line.const, str):  # a number (a dwelling's row) is no formula
                out[(sheet, row, CONST_COL)] = (line.const, _linked(line.const))
            if line.total:
                total = "=SUM(" + line.name + ")" if line.total == "sum" \
                    else _render_on(sheet, line.total, TOTAL_COL)
                out[(sheet, row, TOTAL_COL)] = (total, line.total_defined_name or "")
    for row, (_key, _nl, _en, shift, _items) in lay.variant_rows:
        if shift:
            out[("gevoeligheid", row, 2)] = (f"={shift}", shift)
    return out


def _linked(formula: str | None) -> str:
    """The name a link formula (=name) shows."""
    name = (formula or "").removeprefix("=")
    if not name.isidentifier():
        raise ValueError(f"not a link to one name: {formula!r}")
    return name


@cache
def formula_cells() -> dict[tuple[str, int, int], str]:
    """Every formula the template holds, by (sheet key, row, col): the audit's reference.
    Cached: treat the result as read-only."""
    return {cell: formula for cell, (formula, _source) in _formula_entries().items()}


@cache
def value_sources() -> dict[tuple[str, int, int], Source]:
    """Where the reference model holds each formula cell's value (for the cached values)."""
    return {cell: source for cell, (_formula, source) in _formula_entries().items()}


CHECK_VALUE_COL, CHECK_NORM_COL = 4, 5  # checks: result in C, value in D, norm in E
# Cover lines: marker, formula, and the model's name of the value shown.
COVER_LINKS = (("project", '=projectnaam&""', "projectnaam_tekst"),
               ("verdict", "=financierbaar", "financierbaar"),
               ("objections", "=aantal_bezwaren", "aantal_bezwaren"),
               ("status", "=controles_ok", "controles_ok"),
               ("warnings", "=aantal_waarschuwingen", "aantal_waarschuwingen"))
COVER_OBJECTIONS = tuple(o.name for o in OBJECTIONS)  # listed under the verdict, each a flag
COVER_FIGURES = ("netto_cashflow", "max_lening", "bindende_grens", "max_aankoopprijs",
                 "verkoopprijs", "maatschappelijk_kapitaal", "maatschappelijk_kapitaal_pct",
                 "lening", "dscr_min", "dscr_totaal_min", "restschuld_einde",
                 "huur_zonder_korting")


def _glossary() -> tuple[dict[str, tuple[str, str, str]], list[Item]]:
    """What the domain's messages need from the registry: labels, and the checks as shown."""
    items = all_items()
    return ({i.name: (i.label_nl, i.label_en, i.unit) for i in items if i.defined},
            [i for i in items if i.kind == CHECK])


glossary.install(_glossary)
