"""Every input of the business case: its defined name, labels, unit, allowed values and default.

The scenario loader validates against these specs, the workbook writer places them on the input
sheet with matching data validation, and the docs list them: one definition per input.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlcoop.norms import TABLE_BY_NAME


@dataclass(frozen=True)
class InputSpec:
    name: str
    label_nl: str
    label_en: str
    unit: str  # eur, eur_jaar, eur_maand, pct, jaar, aantal, tekst
    section: str  # section key of the input sheet and the scenario file
    kind: str = "number"  # number | integer | choice | text
    minimum: float | None = 0.0
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    default: object = None  # None: required (unless ``optional``)
    optional: bool = False  # True: may stay blank; the workbook then uses a fallback
    help_nl: str = ""
    help_en: str = ""

    @property
    def required(self) -> bool:
        return self.default is None and not self.optional


REGIONS = tuple(row.key for row in TABLE_BY_NAME["tabel_ratio_regio"].rows)
FIRST_YEAR = min(int(r.key) for r in TABLE_BY_NAME["tabel_liberalisatiegrens"].rows)

# Scenario-file sections, in order, with their headings on the input sheet.
SECTIONS: dict[str, tuple[str, str]] = {
    "project": ("Project", "Project"),
    "exploitatie": ("Exploitatie (jaar 1)", "Operations (year 1)"),
    "financiering": ("Financiering", "Financing"),
    "renovatie": ("Renovatie / achterstallig onderhoud", "Renovation / arrears maintenance"),
}

INPUTS: tuple[InputSpec, ...] = (
    InputSpec("projectnaam", "Naam van het project", "Project name", "tekst", "project",
              kind="text", minimum=None, default=""),
    InputSpec("regio", "Woningmarktregio (bepaalt de ratio)", "Housing-market region (sets the "
              "ratio)", "tekst", "project", kind="choice", minimum=None, choices=REGIONS,
              help_nl="Kies uit de lijst; de ratio staat op het blad Normen.",
              help_en="Pick from the list; the ratio is on the Norms sheet."),
    InputSpec("peiljaar", "Peiljaar (jaar van aankoop)", "Reference year (year of purchase)",
              "jaar", "project", kind="integer", minimum=FIRST_YEAR, maximum=2100,
              help_nl="Bepaalt liberalisatiegrens en overdrachtsbelasting.",
              help_en="Selects the liberalisation threshold and transfer tax."),
    InputSpec("huurderving", "Huurderving (leegstand en oninbare huur)", "Rent loss (vacancy, "
              "bad debt)", "pct", "exploitatie", maximum=1.0, default=0.0),
    InputSpec("overige_baten", "Overige baten per jaar (geen servicekosten)", "Other income per "
              "year (no service charges)", "eur_jaar", "exploitatie", default=0.0,
              help_nl="Servicekosten worden met huurders verrekend en zijn geen inkomsten.",
              help_en="Service charges are settled with tenants and are not income."),
    InputSpec("exploitatielasten", "Exploitatielasten per jaar", "Operating costs per year",
              "eur_jaar", "exploitatie",
              help_nl="Beheer, verzekering, belastingen (OZB), administratie, klein onderhoud.",
              help_en="Management, insurance, taxes (OZB), administration, small repairs."),
    InputSpec("reservering_groot_onderhoud", "Reservering groot onderhoud per jaar",
              "Major-maintenance reserve per year", "eur_jaar", "exploitatie"),
    InputSpec("rente", "Rente op de banklening", "Interest rate on the bank loan", "pct",
              "financiering", maximum=0.25),
    InputSpec("eigen_inbreng", "Eigen inbreng (leden, eigen vermogen)", "Own equity (members)",
              "eur", "financiering", default=0.0),
    InputSpec("overige_aankoopkosten", "Overige aankoopkosten (notaris, taxatie, advies)",
              "Other purchase costs (notary, valuation, advice)", "eur", "financiering",
              default=0.0, help_nl="Overdrachtsbelasting wordt apart berekend (blad Normen).",
              help_en="Transfer tax is computed separately (Norms sheet)."),
    InputSpec("ltv_basis", "Waarde voor de LTV (leeg of verhuurd)", "Value used for the LTV "
              "(vacant or let)", "tekst", "financiering", kind="choice", minimum=None,
              choices=("leeg", "verhuurd"), default="leeg",
              help_nl="De gids rekent met de leegwaarde; banken taxeren vaak in verhuurde staat.",
              help_en="The guide uses the vacant value; banks often appraise in let state."),
    InputSpec("verkoopprijs_afgesproken", "Afgesproken verkoopprijs (leeg = maximaal haalbaar)",
              "Agreed sale price (blank = maximum affordable)", "eur", "financiering",
              optional=True,
              help_nl="Laat leeg om met de maximale aankoopprijs te rekenen.",
              help_en="Leave blank to use the maximum purchase price."),
    InputSpec("renovatie_methode", "Methode renovatie", "Renovation method", "tekst",
              "renovatie", kind="choice", minimum=None,
              choices=("geen", "bouwdepot", "residueel"), default="geen",
              help_nl="bouwdepot: corporatie stort in depot; residueel: in mindering op de "
                      "waarde en zelf lenen.",
              help_en="bouwdepot: the corporation funds a construction deposit; residueel: "
                      "deducted from the value, the cooperative borrows it."),
    InputSpec("renovatiekosten", "Renovatiekosten (totaal)", "Renovation costs (total)", "eur",
              "renovatie", default=0.0),
)

INPUT_BY_NAME = {spec.name: spec for spec in INPUTS}


@dataclass(frozen=True)
class ColumnSpec:
    name: str  # defined name of the whole column range (e.g. woning_aantal)
    key: str  # key in a scenario's [[woningen]] entry
    label_nl: str
    label_en: str
    unit: str
    kind: str = "number"
    default: object = None


DWELLING_ROWS = 8  # rows of the dwellings table on the input sheet
DWELLING_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("woning_type", "type", "Type woning", "Dwelling type", "tekst", kind="text",
               default=""),
    ColumnSpec("woning_aantal", "aantal", "Aantal", "Number", "aantal", kind="integer"),
    ColumnSpec("woning_huur", "huur_per_maand", "Huur per maand", "Rent per month", "eur_maand"),
    ColumnSpec("woning_marktwaarde_leeg", "marktwaarde_leeg", "Marktwaarde leeg per woning",
               "Market value vacant per dwelling", "eur"),
    ColumnSpec("woning_marktwaarde_verhuurd", "marktwaarde_verhuurd",
               "Marktwaarde verhuurd per woning", "Market value let per dwelling", "eur",
               default=0.0),
    ColumnSpec("woning_woz", "woz", "WOZ-waarde per woning", "WOZ value per dwelling", "eur",
               default=0.0),
)
COLUMN_BY_KEY = {c.key: c for c in DWELLING_COLUMNS}
