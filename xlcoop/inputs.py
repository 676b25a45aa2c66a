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
    kind: str = "number"  # number | integer | choice | text | date | series (one cell each)
    minimum: float | None = 0.0
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    default: object = None  # None: required (unless ``optional``)
    optional: bool = False  # True: may stay blank; the workbook then uses a fallback
    help_nl: str = ""
    help_en: str = ""
    length: int = 0  # series only: the number of cells

    @property
    def required(self) -> bool:
        return self.default is None and not self.optional


REGIONS = tuple(row.key for row in TABLE_BY_NAME["tabel_ratio_regio"].rows)
FIRST_YEAR = min(int(r.key) for r in TABLE_BY_NAME["tabel_liberalisatiegrens"].rows)

# Scenario-file sections, in order, with their headings on the input sheet.
SECTIONS: dict[str, tuple[str, str]] = {
    "project": ("Project", "Project"),
    "exploitatie": ("Exploitatie (jaar 1)", "Operations (year 1)"),
    "lasten": ("Specificatie exploitatielasten jaar 1 (optioneel; rest = niet gespecificeerd)",
               "Operating costs year 1 by category (optional; rest = unspecified)"),
    "meerjarig": ("Meerjarige aannames", "Multi-year assumptions"),
    "financiering": ("Financiering", "Financing"),
    "achtergesteld": ("Achtergestelde lening (vordering corporatie of fonds)",
                      "Subordinated loan (corporation's claim or fund)"),
    "vordering": ("Vordering corporatie (maatschappelijk kapitaal) en doorverkoop",
                  "Corporation's claim (social capital) and resale"),
    "renovatie": ("Renovatie / achterstallig onderhoud", "Renovation / arrears maintenance"),
    "onderhoud": ("Groot onderhoud", "Major maintenance"),
    "nieuwbouw": ("Nieuwbouw / transformatie: stichtingskosten (alleen bij projecttype "
                  "nieuwbouw)", "New build / transformation: development costs (project type "
                  "nieuwbouw only)"),
    "financieringsstapel": ("Nieuwbouw: financieringsstapel naast de banklening",
                            "New build: the financing stack besides the bank loan"),
    "dossier": ("Kansrijk en dossier (blad Kansrijk)", "Promising and dossier (Kansrijk sheet)"),
    "programma": ("Programma (fonds of ministerie; blad Programma; standaard de Kamerbrief)",
                  "Programme (fund or ministry; Programme sheet; default the Minister's letter)"),
}
PROJECT_TYPES = ("overname", "nieuwbouw")
FUNDS = ("geen", "Amsterdam", "Fonds Coöperatief Wonen")
YES_NO = ("ja", "nee")
DATE_MIN, DATE_MAX = 1, 2958465  # Excel serial numbers of 1900-01-01 and 9999-12-31
PLAN_YEARS = 10  # cells of the maintenance plan (NEN 2767 covers the next ten years)

INPUTS: tuple[InputSpec, ...] = (
    InputSpec("projectnaam", "Naam van het project", "Project name", "tekst", "project",
              kind="text", minimum=None, default=""),
    InputSpec("regio", "Woningmarktregio (bepaalt de ratio)", "Housing-market region (sets the "
              "ratio)", "tekst", "project", kind="choice", minimum=None, choices=REGIONS,
              help_nl="Kies uit de lijst; de ratio staat op het blad Normen.",
              help_en="Pick from the list; the ratio is on the Norms sheet."),
    InputSpec("projecttype", "Projecttype", "Project type", "tekst", "project", kind="choice",
              minimum=None, choices=PROJECT_TYPES, default="overname",
              help_nl="overname: koop van (corporatie)woningen; nieuwbouw: bouwen of "
                      "transformeren met een financieringsstapel (blad Nieuwbouw).",
              help_en="overname: buying (corporation) homes; nieuwbouw: building or "
                      "transforming with a financing stack (New build sheet)."),
    InputSpec("peiljaar", "Peiljaar (jaar van aankoop)", "Reference year (year of purchase)",
              "jaar", "project", kind="integer", minimum=FIRST_YEAR, maximum=2100,
              help_nl="Bepaalt liberalisatiegrens en overdrachtsbelasting.",
              help_en="Selects the liberalisation threshold and transfer tax."),
    InputSpec("aandeel_lagere_inkomens", "Aandeel leden met een lager inkomen",
              "Share of members with lower incomes", "pct", "project", maximum=1.0,
              optional=True,
              help_nl="Voorwaarde voor verkoop onder de marktwaarde: ten minste de helft (norm, "
                      "blad Normen). Leeg = niet aangetoond.",
              help_en="Condition for a sale below market value: at least half (norm, Norms "
                      "sheet). Blank = not shown."),
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
    *(InputSpec(f"lasten_{key}", nl, en, "eur_jaar", "lasten", default=0.0)
      for key, nl, en in (
          ("beheer", "Beheer", "Management"),
          ("verzekering", "Verzekering", "Insurance"),
          ("belastingen", "Belastingen (OZB, waterschap, riool)",
           "Taxes (OZB, water board, sewer)"),
          ("administratie", "Administratie, accountant, bestuur", "Administration, audit, board"),
          ("klein_onderhoud", "Klein en mutatieonderhoud", "Small and turnover repairs"),
      )),
    InputSpec("onderbouwing_lasten", "Onderbouwing lasten onder de norm (toelichting)",
              "Substantiation of costs below the norm (note)", "tekst", "lasten", kind="text",
              minimum=None, default="",
              help_nl="Bijv. zelfbeheer of offertes; de invoegtoepassing leest deze toelichting.",
              help_en="E.g. self-management or quotes; the add-in reads this note."),
    InputSpec("huursegment", "Huursegment (woningen zonder WWS-punten)",
              "Rent segment (dwellings without WWS points)", "tekst", "meerjarig",
              kind="choice", minimum=None, choices=("sociaal", "midden", "vrij"),
              default="sociaal",
              help_nl="Met WWS-punten volgt het segment uit de punten (blad Huur).",
              help_en="With WWS points the segment follows from the points (Rent sheet)."),
    InputSpec("inflatie_aanname", "Inflatie na de laatste bekende huurtabel (aanname)",
              "Inflation after the last known rent table (assumption)", "pct", "meerjarig",
              minimum=-0.1, maximum=0.25, default=0.02,
              help_nl="Aanname, geen wet: standaard de ECB-doelstelling (2%). Bepaalt de "
                      "huurverhoging sociaal en de indexatie van de WWS-maxima na de tabel.",
              help_en="Assumption, not law: default the ECB target (2%). Sets the social rent "
                      "increase and the indexation of WWS maxima after the table."),
    InputSpec("loonontwikkeling_aanname", "CAO-loonontwikkeling na de laatste bekende tabel "
              "(aanname)", "CAO wage growth after the last known table (assumption)", "pct",
              "meerjarig", minimum=-0.1, maximum=0.25, default=0.03,
              help_nl="Aanname, geen wet: standaard inflatie + 1% reële loongroei (indicatief). "
                      "Middenhuur: loon + 1%; vrije sector: laagste van loon en inflatie + 1%.",
              help_en="Assumption, not law: default inflation + 1% real wage growth "
                      "(indicative). Mid: wages + 1%; free: lower of wages and inflation + 1%."),
    InputSpec("huurindexatie", "Huurstijging per jaar (aanname; ten hoogste het maximum)",
              "Rent increase per year (assumption; at most the maximum)", "pct", "meerjarig",
              maximum=0.25, default=0.0,
              help_nl="Per jaar ten hoogste de wettelijke maximale verhoging; na de laatste "
                      "bekende tabel de aanname per segment (blad Normen), geen wet.",
              help_en="Each year at most the legal maximum increase; after the last known "
                      "table the assumption per segment (Norms sheet), not law."),
    InputSpec("kostenindexatie", "Kostenstijging per jaar (lasten, onderhoud, overige baten)",
              "Cost increase per year (costs, maintenance, other income)", "pct", "meerjarig",
              maximum=0.25, default=0.0),
    InputSpec("waardeontwikkeling", "Waardeontwikkeling per jaar (voor de LTV)",
              "Value change per year (for the LTV)", "pct", "meerjarig", minimum=-0.25,
              maximum=0.25, default=0.0),
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
    InputSpec("overdrachtsbelasting_grondslag", "Grondslag overdrachtsbelasting (prijs of waarde)",
              "Transfer-tax base (price or value)", "tekst", "financiering", kind="choice",
              minimum=None, choices=("prijs", "waarde"), default="prijs",
              help_nl="Art. 9 Wet BRV: de waarde in het economische verkeer, ten minste de prijs; "
                      "bij een verkoopregulerend beding van de corporatie (lid 5) de prijs.",
              help_en="Art. 9 Wet BRV: the value in economic traffic, at least the price; with "
                      "the corporation's resale terms (verkoopregulerend beding, para. 5) the "
                      "price."),
    InputSpec("aflossingsvorm", "Aflossingsvorm banklening", "Amortisation of the bank loan",
              "tekst", "financiering", kind="choice", minimum=None,
              choices=("lineair", "annuitair"), default="lineair",
              help_nl="lineair: vast % van de hoofdsom; annuitair: gelijke rente + aflossing "
                      "over de aflossingstermijn.",
              help_en="lineair: fixed % of the principal; annuitair: level payments over the "
                      "amortisation term."),
    InputSpec("herfinancieringsrente", "Rente bij herfinanciering (stress; leeg = zelfde rente)",
              "Rate at refinancing (stress; blank = same rate)", "pct", "financiering",
              maximum=0.25, optional=True,
              help_nl="Geldt na elke looptijd (jaar 11 en 21).",
              help_en="Applies after each term (years 11 and 21)."),
    InputSpec("achtergestelde_lening", "Bedrag achtergestelde lening", "Subordinated loan amount",
              "eur", "achtergesteld", default=0.0,
              help_nl="Extra financieringsbron naast de banklening (tweede hypotheek).",
              help_en="A funding source besides the bank loan (second mortgage)."),
    InputSpec("achtergesteld_rente", "Rente achtergestelde lening", "Subordinated loan rate",
              "pct", "achtergesteld", maximum=0.25, default=0.0),
    InputSpec("achtergesteld_looptijd", "Looptijd achtergestelde lening", "Subordinated loan "
              "term", "jaar", "achtergesteld", kind="integer", maximum=100, default=0),
    InputSpec("achtergesteld_vorm", "Aflossing achtergestelde lening",
              "Subordinated loan repayment", "tekst", "achtergesteld", kind="choice",
              minimum=None, choices=("aflossingsvrij", "lineair", "annuitair"),
              default="aflossingsvrij",
              help_nl="aflossingsvrij: ineens aan het einde van de looptijd.",
              help_en="aflossingsvrij: bullet at the end of the term."),
    InputSpec("vordering_looptijd", "Termijn vordering corporatie (doorverkoop binnen)",
              "Term of the corporation's claim (resale within)", "jaar", "vordering",
              kind="integer", maximum=100, default=10,
              help_nl="Stappenplan stap 7: bij doorverkoop binnen tien jaar (of langer, zo "
                      "afgesproken) de korting plus een deel van de winst terug.",
              help_en="Guide step 7: on resale within ten years (or longer, as agreed) the "
                      "discount plus a share of the gain is repaid."),
    InputSpec("vordering_winstdeel", "Winstdeel corporatie bij doorverkoop binnen de termijn",
              "Corporation's share of the gain on resale within the term", "pct", "vordering",
              maximum=1.0, default=0.0, help_nl="Het afgesproken deel van de waardestijging.",
              help_en="The agreed share of the value increase."),
    InputSpec("vordering_rente", "Rente op de vordering (bijgeschreven, niet betaald)",
              "Interest on the claim (accrued, not paid)", "pct", "vordering", maximum=0.25,
              default=0.0),
    InputSpec("doorverkoop_jaar", "Doorverkoop: jaar (voor de verdeling)",
              "Resale: year (for the waterfall)", "jaar", "vordering", kind="integer",
              minimum=1, maximum=30, default=10),
    InputSpec("doorverkoop_kosten", "Doorverkoop: kosten (deel van de verkoopwaarde)",
              "Resale: costs (share of the sale value)", "pct", "vordering", maximum=1.0,
              default=0.0, help_nl="Makelaar, notaris: vul uw aanname in.",
              help_en="Agent, notary: enter your assumption."),
    InputSpec("renovatie_methode", "Methode renovatie", "Renovation method", "tekst",
              "renovatie", kind="choice", minimum=None,
              choices=("geen", "bouwdepot", "residueel"), default="geen",
              help_nl="bouwdepot: corporatie stort in depot; residueel: in mindering op de "
                      "waarde en zelf lenen.",
              help_en="bouwdepot: the corporation funds a construction deposit; residueel: "
                      "deducted from the value, the cooperative borrows it."),
    InputSpec("renovatiekosten", "Renovatiekosten (totaal)", "Renovation costs (total)", "eur",
              "renovatie", default=0.0),
    InputSpec("onderhoud_methode", "Groot onderhoud in de meerjarenraming",
              "Major maintenance in the projection", "tekst", "onderhoud", kind="choice",
              minimum=None, choices=("reservering", "plan"), default="reservering",
              help_nl="reservering: de jaarlijkse reservering, geïndexeerd; plan: het "
                      "onderhoudsplan (NEN 2767), daarna de norm per woning.",
              help_en="reservering: the yearly reserve, indexed; plan: the maintenance plan "
                      "(NEN 2767), then the norm per dwelling."),
    InputSpec("onderhoudsplan", "Onderhoudsplan (NEN 2767) per jaar, jaar 1 t/m 10",
              "Maintenance plan (NEN 2767) per year, years 1 to 10", "eur_jaar", "onderhoud",
              kind="series", length=PLAN_YEARS, default=(),
              help_nl="Bedragen per jaar uit de NEN 2767-inspectie.",
              help_en="Amounts per year from the NEN 2767 inspection."),
    InputSpec("grondkosten", "Grond of afkoop erfpacht", "Land or ground-lease buy-out", "eur",
              "nieuwbouw", default=0.0,
              help_nl="Een jaarlijkse erfpachtcanon hoort bij de exploitatielasten.",
              help_en="A yearly ground rent belongs in the operating costs."),
    InputSpec("bouwkosten", "Bouwkosten (excl. BTW)", "Construction costs (excl. VAT)", "eur",
              "nieuwbouw", default=0.0),
    InputSpec("bijkomende_kosten", "Bijkomende kosten: advies, leges, aansluitingen (excl. BTW)",
              "Other costs: fees, permits, connections (excl. VAT)", "eur", "nieuwbouw",
              default=0.0),
    InputSpec("voorfasekosten", "Voorfasekosten: procesbegeleiding, ontwerp (excl. BTW)",
              "Pre-development costs: process support, design (excl. VAT)", "eur", "nieuwbouw",
              default=0.0),
    InputSpec("btw_belast", "BTW over bouw-, bijkomende en voorfasekosten",
              "VAT on construction, other and pre-development costs", "tekst", "nieuwbouw",
              kind="choice", minimum=None, choices=YES_NO, default="ja",
              help_nl="ja: de coöperatie verhuurt vrijgesteld en kan de BTW niet verrekenen.",
              help_en="ja: letting is VAT-exempt, so the cooperative cannot reclaim the VAT."),
    InputSpec("startkapitaal", "Startkapitaal voorfase (Rijk of fonds)",
              "Start capital for the pre-development phase (State or fund)", "eur",
              "financieringsstapel", default=0.0,
              help_nl="Kamerbrief 2023: € 200.000 tot € 500.000 per project.",
              help_en="Minister's letter 2023: €200,000 to €500,000 per project."),
    InputSpec("subsidie", "Subsidies (a fonds perdu)", "Subsidies (grants)", "eur",
              "financieringsstapel", default=0.0),
    InputSpec("fonds", "Fonds voor de fondslening (rang 2)", "Fund for the fund loan (rank 2)",
              "tekst", "financieringsstapel", kind="choice", minimum=None, choices=FUNDS,
              default="geen",
              help_nl="Bedrag per woning, looptijd, rente en eigen inbreng: blad Normen.",
              help_en="Amount per dwelling, term, rate and own contribution: Norms sheet."),
    InputSpec("fonds_vorm", "Aflossing fondslening", "Fund loan repayment", "tekst",
              "financieringsstapel", kind="choice", minimum=None,
              choices=("aflossingsvrij", "lineair", "annuitair"), default="lineair"),
    InputSpec("ledenlening", "Achtergestelde ledenleningen / crowdfunding (rang 4)",
              "Subordinated member loans / crowdfunding (rank 4)", "eur", "financieringsstapel",
              default=0.0),
    InputSpec("ledenlening_rente", "Rente ledenleningen", "Member loan rate", "pct",
              "financieringsstapel", maximum=0.25, default=0.0),
    InputSpec("ledenlening_looptijd", "Looptijd ledenleningen", "Member loan term", "jaar",
              "financieringsstapel", kind="integer", maximum=100, default=0),
    InputSpec("ledenlening_vorm", "Aflossing ledenleningen", "Member loan repayment", "tekst",
              "financieringsstapel", kind="choice", minimum=None,
              choices=("aflossingsvrij", "lineair", "annuitair"), default="aflossingsvrij"),
    *(InputSpec(name, nl, en, "tekst", "dossier", kind="choice", minimum=None, choices=YES_NO,
                default="nee")
      for name, nl, en in (
          ("expertise_aanwezig", "Expertise bij bewoners of ingehuurde partij",
           "Expertise of the residents or a hired party"),
          ("steun_gemeente", "Steun van de gemeente", "Support of the municipality"),
          ("uitzicht_locatie", "Uitzicht op een locatie", "Prospect of a location"),
          ("propositie_beschreven", "Propositie beschreven (initiatief)",
           "Proposition described (initiative)"),
          ("groep_beschreven", "Groep beschreven (omvang, samenstelling, draagkracht)",
           "Group described (size, composition, capacity)"),
          ("statuten_gereed", "Statuten en huishoudelijk reglement",
           "Statutes and house rules"),
          ("woningen_beschreven", "Beschrijving van de woningen", "Description of the homes"),
          ("nen2767_rapport", "NEN 2767-inspectierapport (conditiemeting)",
           "NEN 2767 inspection report (condition survey)"),
      )),
    InputSpec("taxatiedatum", "Datum taxatierapport", "Date of the valuation report", "datum",
              "dossier", kind="date", minimum=DATE_MIN, maximum=DATE_MAX, optional=True,
              help_nl="Mag bij de aanvraag niet ouder zijn dan de norm (3 maanden, soms 6).",
              help_en="At the application it may not be older than the norm (3 months, "
                      "sometimes 6)."),
    InputSpec("aanvraagdatum", "Datum aanvraag financiering", "Date of the loan application",
              "datum", "dossier", kind="date", minimum=DATE_MIN, maximum=DATE_MAX,
              optional=True,
              help_nl="De taxatie wordt op deze datum getoetst (geen VANDAAG()).",
              help_en="The valuation is tested at this date (no TODAY())."),
    InputSpec("programma_budget", "Budget van het programma", "Programme budget", "eur",
              "programma", default=9_500_000.0),
    InputSpec("programma_startkapitaal_laag", "Startkapitaal per project: laag",
              "Start capital per project: low", "eur", "programma", default=200_000.0),
    InputSpec("programma_startkapitaal_hoog", "Startkapitaal per project: hoog",
              "Start capital per project: high", "eur", "programma", default=500_000.0),
    InputSpec("programma_kosten_laag", "Stichtingskosten per woning: laag",
              "Development cost per dwelling: low", "eur", "programma", default=250_000.0),
    InputSpec("programma_kosten_hoog", "Stichtingskosten per woning: hoog",
              "Development cost per dwelling: high", "eur", "programma", default=300_000.0),
    InputSpec("programma_bank_aandeel", "Aandeel bankfinanciering", "Bank share", "pct",
              "programma", maximum=1.0, default=0.70),
    InputSpec("programma_eigen_aandeel", "Eigen inleg bewoners", "Residents' own contribution",
              "pct", "programma", maximum=1.0, default=0.05),
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
    ColumnSpec("woning_wws_punten", "wws_punten", "WWS-punten (0 = onbekend)",
               "WWS points (0 = unknown)", "punten", default=0.0),
    ColumnSpec("woning_huur_max_check", "huur_max_huurprijscheck",
               "Maximale huur uit de huurprijscheck (0 = niet ingevuld)",
               "Maximum rent from the huurprijscheck (0 = not entered)", "eur_maand",
               default=0.0),
)
COLUMN_BY_KEY = {c.key: c for c in DWELLING_COLUMNS}
