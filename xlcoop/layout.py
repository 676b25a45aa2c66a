"""The cell registry: every line item of the workbook, defined once.

An item has its workbook-level defined name, Dutch and English label, unit, kind, sheet and
Excel formula. Row positions follow from the order below, so the writer, the add-in (which finds
cells by name), the audit (which knows every cell's standard formula) and the generated docs all
read the same table. Formulas refer to other items by defined name only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from xlcoop.inputs import DWELLING_COLUMNS, DWELLING_ROWS, INPUTS, SECTIONS
from xlcoop.norms import NORMS, TABLES

TEMPLATE_VERSION = "1.0.0"

def get_column_letter(col: int) -> str:
    """1 -> A, 27 -> AA (kept here so the registry needs no openpyxl inside Excel/Pyodide)."""
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# Kinds: input (user fills), norm (applied norm, overridable), table (reference norm data),
# calc (intermediate), output (key figure for banks), check (boolean), link (shows another item).
INPUT, NORM, TABLE, CALC, OUTPUT, CHECK, LINK, META = (
    "input", "norm", "table", "calc", "output", "check", "link", "meta")
ERROR, WARNING = "fout", "waarschuwing"


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
NORM_STANDARD_SUFFIX, NORM_OVERRIDE_SUFFIX = "_standaard", "_eigen"


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
    return (f"=IFERROR(INDEX({table_value_range(table.name)},MATCH({table.by},"
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
             "Beschikbaar voor rente en aflossing.", "Available for interest and amortisation."),
    )),
    Section("Maximale lening", "Maximum loan", (
        link("ratio_rente_aflossing", "Ratio rente + aflossing (regio)",
             "Interest + amortisation ratio (region)", "pct", F),
        Item("max_lening_cashflow", "Maximale lening op basis van kasstroom",
             "Maximum loan by cash flow", "eur", OUTPUT,
             "=MAX(0,IF(ratio_rente_aflossing=0,0,netto_cashflow/ratio_rente_aflossing))",
             "Netto cashflow / ratio.", "Net cash flow / ratio."),
        Item("ltv_waarde", "Waarde voor de LTV", "Value for the LTV", "eur", CALC,
             '=IF(ltv_basis="verhuurd",marktwaarde_verhuurd,marktwaarde_leeg)'),
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
        link("overige_aankoopkosten", "Af: overige aankoopkosten", "Less: other purchase costs",
             "eur", F),
        link("overdrachtsbelasting", "Overdrachtsbelasting (over de prijs)",
             "Transfer tax (on the price)", "pct", F),
        Item("max_aankoopprijs", "Maximale aankoopprijs", "Maximum purchase price", "eur", OUTPUT,
             "=MAX(0,(max_lening+eigen_inbreng-buffer-overige_aankoopkosten-renovatie_eigen)"
             "/(1+overdrachtsbelasting))",
             "(Max. lening + eigen inbreng − buffer − kosten − renovatie) / (1 + overdrachts"
             "belasting).",
             "(Max. loan + equity − buffer − costs − renovation) / (1 + transfer tax)."),
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
        Item("overdrachtsbelasting_bedrag", "Overdrachtsbelasting", "Transfer tax", "eur", CALC,
             "=verkoopprijs*overdrachtsbelasting"),
        Item("aankoopkosten", "Aankoopkosten totaal", "Purchase costs total", "eur", CALC,
             "=overdrachtsbelasting_bedrag+overige_aankoopkosten"),
        Item("lening", "Benodigde lening", "Loan required", "eur", OUTPUT,
             "=MAX(0,verkoopprijs+aankoopkosten+buffer+renovatie_eigen-eigen_inbreng)",
             "Prijs + kosten + buffer + renovatie − eigen inbreng.",
             "Price + costs + buffer + renovation − equity."),
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
    Section("Lening jaar 1", "Loan year 1", (
        link("rente", "Rente", "Interest rate", "pct", F),
        Item("rente_jaar1", "Rente jaar 1", "Interest year 1", "eur_jaar", CALC, "=lening*rente"),
        Item("aflossing_jaar1", "Aflossing jaar 1", "Amortisation year 1", "eur_jaar", CALC,
             "=lening*aflossing_pct"),
        Item("schuldendienst_jaar1", "Rente + aflossing jaar 1", "Debt service year 1",
             "eur_jaar", OUTPUT, "=rente_jaar1+aflossing_jaar1"),
        Item("dscr_jaar1", "DSCR jaar 1 (netto)", "DSCR year 1 (net)", "factor", OUTPUT,
             "=IF(schuldendienst_jaar1=0,0,netto_cashflow/schuldendienst_jaar1)",
             "Netto cashflow / (rente + aflossing).", "Net cash flow / debt service."),
        Item("dscr_bruto_jaar1", "DSCR jaar 1 (bruto)", "DSCR year 1 (gross)", "factor", CALC,
             "=IF(schuldendienst_jaar1=0,0,baten/schuldendienst_jaar1)",
             "Totale baten / (rente + aflossing).", "Total income / debt service."),
        Item("icr_jaar1", "ICR jaar 1 (netto)", "ICR year 1 (net)", "factor", OUTPUT,
             "=IF(rente_jaar1=0,0,netto_cashflow/rente_jaar1)"),
        Item("icr_bruto_jaar1", "ICR jaar 1 (bruto)", "ICR year 1 (gross)", "factor", CALC,
             "=IF(rente_jaar1=0,0,baten/rente_jaar1)"),
        Item("restschuld_einde_looptijd", "Restschuld bij herfinanciering",
             "Balance at refinancing", "eur", OUTPUT,
             "=lening*MAX(0,1-aflossing_pct*looptijd_jaren)"),
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
             "((marktwaarde_basis*(1+overdrachtsbelasting)+overige_aankoopkosten+renovatie_eigen"
             "-eigen_inbreng)*ratio_rente_aflossing+exploitatielasten+reservering_groot_onderhoud"
             "-overige_baten)/(((1-huurderving)-ratio_rente_aflossing*buffer_maanden/12)*12"
             "*aantal_woningen))"),
    )),
)


def check(name: str, nl: str, en: str, severity: str, formula: str, value_ref: str,
          norm_ref: str, note_nl: str, note_en: str) -> Item:
    return Item(name, nl, en, "bool", CHECK, formula, note_nl, note_en, severity=severity,
                value_ref=value_ref, norm_ref=norm_ref)


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
          "Loan required ≤ maximum loan (to the euro)."),
    check("controle_ltv", "LTV binnen norm", "LTV within norm", ERROR,
          "=ROUND(lening-max_lening_ltv,0)<=0", "ltv_start", "ltv_max",
          "Lening ≤ maximale LTV × waarde.", "Loan ≤ maximum LTV × value."),
    check("controle_minimale_verkoopprijs", "Verkoopprijs ≥ ondergrens corporatie",
          "Sale price ≥ corporation's floor", ERROR, "=verkoopprijs>=minimale_verkoopprijs",
          "verkoopprijs", "minimale_verkoopprijs",
          "Een corporatie mag tot 50% van de leegwaarde verkopen (experiment Woningwet).",
          "A corporation may sell down to 50% of the vacant value (Woningwet experiment)."),
    check("controle_maatschappelijk_kapitaal", "Verkoopprijs ≤ marktwaarde",
          "Sale price ≤ market value", WARNING, "=maatschappelijk_kapitaal>=0", "verkoopprijs",
          "marktwaarde_basis", "Boven de marktwaarde kopen is ongebruikelijk.",
          "Buying above market value is unusual."),
    check("controle_dscr", "DSCR jaar 1 (netto) ≥ norm", "DSCR year 1 (net) ≥ norm", WARNING,
          "=OR(schuldendienst_jaar1=0,dscr_jaar1>=dscr_min_netto)", "dscr_jaar1",
          "dscr_min_netto", "Proxy-norm; de ratio-regel van de gids geeft bij volle lening "
          "precies de rente + aflossing.", "Proxy norm; the guide's ratio rule at the full loan "
          "covers exactly interest + amortisation."),
    check("controle_dscr_bruto", "DSCR jaar 1 (bruto) ≥ norm", "DSCR year 1 (gross) ≥ norm",
          WARNING, "=OR(schuldendienst_jaar1=0,dscr_bruto_jaar1>=dscr_min_bruto)",
          "dscr_bruto_jaar1", "dscr_min_bruto", "", ""),
    check("controle_icr", "ICR jaar 1 (netto) ≥ norm", "ICR year 1 (net) ≥ norm", WARNING,
          "=OR(schuldendienst_jaar1=0,icr_jaar1>=icr_min_netto)", "icr_jaar1", "icr_min_netto",
          "", ""),
    check("controle_icr_bruto", "ICR jaar 1 (bruto) ≥ norm", "ICR year 1 (gross) ≥ norm",
          WARNING, "=OR(schuldendienst_jaar1=0,icr_bruto_jaar1>=icr_min_bruto)",
          "icr_bruto_jaar1", "icr_min_bruto", "", ""),
    check("controle_liberalisatiegrens", "Huur ≤ liberalisatiegrens (huurtoeslag)",
          "Rent ≤ liberalisation threshold (rent allowance)", WARNING,
          "=huur_hoogste<=liberalisatiegrens", "huur_hoogste", "liberalisatiegrens",
          "Boven de grens geen (volledige) huurtoeslag voor bewoners.",
          "Above the threshold tenants get no (full) rent allowance."),
)

ERROR_CHECKS = tuple(c.name for c in CHECKS if c.severity == ERROR)
WARNING_CHECKS = tuple(c.name for c in CHECKS if c.severity == WARNING)

SUMMARY_ITEMS: tuple[Item, ...] = (
    Item("controles_ok", "Alle controles (fout) in orde", "All (error) checks pass", "bool",
         OUTPUT, "=AND(" + ",".join(ERROR_CHECKS) + ")",
         "Waarschuwingen tellen niet mee; zie het aantal hieronder.",
         "Warnings do not count; see their number below."),
    Item("aantal_waarschuwingen", "Aantal waarschuwingen", "Number of warnings", "aantal",
         OUTPUT, "=" + "+".join(f"IF({c},0,1)" for c in WARNING_CHECKS)),
)

# --------------------------------------------------------------------------------------------
META_ITEMS: tuple[Item, ...] = (
    Item("template_versie", "Templateversie", "Template version", "tekst", META),
    Item("template_vingerafdruk", "Vingerafdruk formules", "Formula fingerprint", "tekst", META),
)

SHEETS: tuple[Sheet, ...] = (
    Sheet("voorblad", "Voorblad", "Cover", "cover"),
    Sheet("invoer", "Invoer", "Inputs", "inputs", INPUT_SECTIONS),
    Sheet("normen", "Normen", "Norms", "norms"),
    Sheet("financiering", "Financiering", "Financing", "calc", CALC_SECTIONS),
    Sheet("controles", "Controles", "Checks", "checks",
          (Section("Controles", "Checks", CHECKS),
           Section("Conclusie", "Conclusion", SUMMARY_ITEMS))),
)
SHEET_BY_KEY = {s.key: s for s in SHEETS}


# --------------------------------------------------------------------------------------------
# Positions. Every sheet: row 1 title, row 2 subtitle, row 4 column headers, content from row 6.
FIRST_ROW = 6
VALUE_COL = 3  # column C holds the value on cover, input, calc and check sheets
NORM_COLS = {"standard": 3, "override": 4, "used": 5}


@dataclass
class Layout:
    """Where every cell lives (language-independent)."""

    cells: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # name -> sheet,row,col
    ranges: dict[str, tuple[str, int, int, int]] = field(default_factory=dict)  # col, r1, r2
    section_rows: dict[str, list[tuple[int, Section]]] = field(default_factory=dict)
    item_rows: dict[str, list[tuple[int, Item]]] = field(default_factory=dict)
    extra_rows: dict[str, dict[str, int]] = field(default_factory=dict)  # sheet -> marker -> row

    def ref(self, name: str, sheet_titles: dict[str, str]) -> str:
        """Absolute A1 reference of a defined name, e.g. 'Invoer'!$C$8."""
        if name in self.cells:
            sheet, row, col = self.cells[name]
            return f"'{sheet_titles[sheet]}'!${get_column_letter(col)}${row}"
        sheet, col, r1, r2 = self.ranges[name]
        letter = get_column_letter(col)
        return f"'{sheet_titles[sheet]}'!${letter}${r1}:${letter}${r2}"

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
            if item.defined:
                lay.cells[item.name] = (sheet.key, row, VALUE_COL)
            row += 1
        row += 1
    return row


@cache
def layout() -> Layout:
    lay = Layout()
    # Cover: meta cells at fixed rows, the master check shown as a link.
    lay.extra_rows["voorblad"] = {"project": 3, "version": 4, "fingerprint": 5, "status": 7,
                                  "warnings": 8, "figures": 10,
                                  "key": 12 + len(COVER_FIGURES),
                                  "instructions": 20 + len(COVER_FIGURES)}
    lay.cells["template_versie"] = ("voorblad", 4, VALUE_COL)
    lay.cells["template_vingerafdruk"] = ("voorblad", 5, VALUE_COL)

    # Inputs, then the dwellings table.
    row = _place_sections(lay, SHEET_BY_KEY["invoer"], FIRST_ROW)
    lay.extra_rows["invoer"] = {"dwellings_title": row, "dwellings_header": row + 1}
    first = row + 2
    for col, spec in enumerate(DWELLING_COLUMNS, start=1):
        lay.ranges[spec.name] = ("invoer", col, first, first + DWELLING_ROWS - 1)
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
        lay.ranges[table_key_range(table.name)] = ("normen", 1, first, last)
        lay.ranges[table_value_range(table.name)] = ("normen", VALUE_COL, first, last)
        row = last + 2

    _place_sections(lay, SHEET_BY_KEY["financiering"], FIRST_ROW)
    _place_sections(lay, SHEET_BY_KEY["controles"], FIRST_ROW)
    return lay


# --------------------------------------------------------------------------------------------
# The whole registry as a flat list (for docs, the add-in and the audit).
def all_items() -> list[Item]:
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
    return items


def formula_cells() -> dict[tuple[str, int, int], str]:
    """Every formula the template holds, by (sheet key, row, col): the audit's reference."""
    lay = layout()
    out: dict[tuple[str, int, int], str] = {}
    for item in all_items():
        if item.formula and item.defined:
            out[lay.cells[item.name]] = item.formula
    for sheet_key, rows in lay.item_rows.items():
        for row, item in rows:
            if item.kind == LINK:
                out[(sheet_key, row, VALUE_COL)] = item.formula or ""
            if item.kind == CHECK:
                if item.value_ref:
                    out[(sheet_key, row, CHECK_VALUE_COL)] = f"={item.value_ref}"
                if item.norm_ref:
                    out[(sheet_key, row, CHECK_NORM_COL)] = f"={item.norm_ref}"
    for marker, formula in COVER_LINKS:
        out[("voorblad", lay.extra_rows["voorblad"][marker], VALUE_COL)] = formula
    for offset, name in enumerate(COVER_FIGURES):
        out[("voorblad", lay.extra_rows["voorblad"]["figures"] + 1 + offset, VALUE_COL)] = \
            f"={name}"
    return out


CHECK_VALUE_COL, CHECK_NORM_COL = 4, 5  # checks: result in C, value in D, norm in E
COVER_LINKS = (("project", '=projectnaam&""'), ("status", "=controles_ok"),
               ("warnings", "=aantal_waarschuwingen"))
COVER_FIGURES = ("netto_cashflow", "max_lening", "bindende_grens", "max_aankoopprijs",
                 "verkoopprijs", "maatschappelijk_kapitaal", "maatschappelijk_kapitaal_pct",
                 "lening", "dscr_jaar1", "huur_zonder_korting")
