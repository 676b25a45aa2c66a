"""The dated, sourced norms table: the single place where a norm's value lives.

Two kinds of rows:
- an *applied norm* (``Norm``) is one value the calculation uses. Its standard value is either a
  constant or is selected from a reference table by the project's region or year. The user may
  override every applied norm; the workbook shows standard, override and used value side by side.
- a *reference row* (``TableRow``) is one entry of a dated or regional table (the
  liberalisatiegrens per year, the ratio per region, ...), each with its own source and year.
"""

from __future__ import annotations

from dataclasses import dataclass

GUIDE = "Platform31, Stappenplan collectieve overname van corporatiebezit: financiering (c. 2018)"
LETTER = "Kamerbrief wooncoöperaties, Minister van BZK (2023)"
PROXY = ("Publieke proxy-normen beleggersfinanciering (indicatief, 2024-2025); "
         "vul de norm van uw bank in")
WBR = "Wet op belastingen van rechtsverkeer, art. 14 (tarief woningen niet-eigen-bewoning)"
WBR9 = ("Wet op belastingen van rechtsverkeer, art. 9: lid 1 grondslag is de waarde (in het "
        "economische verkeer), ten minste de tegenprestatie; lid 5 bij een verkoopregulerend "
        "beding van een toegelaten instelling (art. 70 lid 1 Woningwet) de tegenprestatie "
        "(wetboek-online.nl, geraadpleegd 2026)")
HUURTOESLAG = "Wet op de huurtoeslag / Rijksoverheid, liberalisatiegrens (huurtoeslaggrens)"
HUURVERHOGING = "Rijksoverheid, maximale huurverhoging per 1 juli (per segment)"
HUURCOMMISSIE_2026 = ("Huurcommissie, Beleidsboek WWS zelfstandige woonruimte, bijlage 3: maximale "
                      "huurprijsgrenzen zelfstandige woningen per 1 januari 2026")
BZK_2025 = ("Volkshuisvesting Nederland (BZK), 'Bedragen en grenswaarden huursector voor 2025 "
            "bekend' (26-11-2024): maximale huurprijsgrenzen per 1 januari 2025")
WBH = ("Wet betaalbare huur (Stb. 2024, 197), in werking 1 juli 2024: WWS-punten tot 143 sociaal, "
       "144-186 middenhuur, daarboven vrije sector")
WBH_RISE = ("Wet betaalbare huur: maximale jaarlijkse huurverhoging middenhuur = CAO-"
            "loonontwikkeling + 1 procentpunt (2025: 6,7% + 1% = 7,7%)")
NIJBOER = ("Wet maximering huurprijsverhogingen geliberaliseerde huurovereenkomsten: vrije sector "
           "maximaal de laagste van CAO-loonontwikkeling en inflatie, + 1 procentpunt")
HUURTOESLAG_2026 = ("Rijksoverheid / Dienst Toeslagen, huurtoeslag 2026: geen maximale huurgrens "
                    "meer; de toeslag wordt berekend tot de huurtoeslaggrens (€ 932,93)")
VEX = ("Indicatief, geen VEX-cijfers (Vastgoed Taxatie Wijzer is niet openbaar): vul de norm "
       "van uw bank of taxateur in")
BANK_QUESTIONS = "Gevoeligheden die banken vragen (domeinnotitie xlcoop, beleggersfinanciering)"
OB = "Wet op de omzetbelasting 1968, art. 9 (algemeen tarief)"
AMSTERDAM = LETTER + " (Amsterdams fonds wooncoöperaties: max. € 50.000 per woning, 15 jaar, " \
    "1,5%, eigen inzet 5%)"
FCW = ("Fonds Coöperatief Wonen (SVn, 2026): eigen inbreng bewoners ≥ 5%; overige voorwaarden "
       "indicatief (gelijk aan Amsterdam): vul de voorwaarden van het fonds in")


@dataclass(frozen=True)
class TableRow:
    key: str  # the region name or the year, as it appears in the lookup column
    value: float
    source: str
    year: int
    note_nl: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class Table:
    """A lookup table; the input ``by`` selects a row: exact text, or the latest year <= it."""

    name: str
    label_nl: str
    label_en: str
    unit: str
    by: str  # the input name used for the lookup
    exact: bool  # True: exact match on text; False: the last row with key <= the input (years)
    rows: tuple[TableRow, ...]
    clamp: bool = False  # years before the first row use the first row (documented per table)

    def lookup(self, key: object) -> float:
        if self.exact:
            for row in self.rows:
                if row.key == key:
                    return row.value
            raise KeyError(f"{self.name}: geen rij voor {key!r}")
        best = None
        for row in self.rows:  # rows are sorted by year
            if int(row.key) <= int(key):  # type: ignore[call-overload]
                best = row.value
        if best is None and (self.by == "kalenderjaar" or self.clamp):  # before: the first row
            best = self.rows[0].value
        if best is None:
            raise KeyError(f"{self.name}: geen rij voor jaar {key!r} of eerder")
        return best


@dataclass(frozen=True)
class Norm:
    name: str
    label_nl: str
    label_en: str
    unit: str  # "pct", "factor", "jaar", "maand", "eur_maand"
    value: float | None  # the standard value, or None when selected from ``table``
    source: str
    year: int | None
    table: str | None = None  # name of the Table that selects the standard value
    minimum: float = 0.0  # bounds for a user override
    maximum: float | None = None  # None: 1 for percentages, else unbounded

    @property
    def upper(self) -> float | None:
        return self.maximum if self.maximum is not None else (1.0 if self.unit == "pct"
                                                              else None)


TABLES: tuple[Table, ...] = (
    Table(
        "tabel_ratio_regio",
        "Ratio rente + aflossing per regio (deel van de lening per jaar)",
        "Interest + amortisation ratio by region (share of the loan per year)",
        "pct",
        by="regio",
        exact=True,
        rows=(
            TableRow("Amsterdam", 0.06, GUIDE + ", stap 6", 2018, "16,7 × netto cashflow",
                     "16.7 × net cash flow"),
            TableRow("Den Haag", 0.07, GUIDE + ", stap 6", 2018, "14,3 × netto cashflow",
                     "14.3 × net cash flow"),
            TableRow("Krimpregio", 0.08, GUIDE + ", stap 6", 2018,
                     "minimaal 8% (max. 12,5 ×); het rekenvoorbeeld 'Delfzijl 800.000' is 7,5%: "
                     "wij volgen de regel",
                     "at least 8% (at most 12.5 ×); the guide's 'Delfzijl 800,000' example is "
                     "7.5%: we follow the rule"),
            TableRow("Overig", 0.07, GUIDE + ", stap 6 ('globaal 14 à 15 keer')", 2018,
                     "14,3 ×; vul de ratio van uw bank in", "14.3 ×; enter your bank's ratio"),
        ),
    ),
    Table(
        "tabel_liberalisatiegrens",
        "Liberalisatiegrens (huurtoeslaggrens) per jaar",
        "Liberalisation threshold (rent allowance ceiling) by year",
        "eur_maand",
        by="peiljaar",
        exact=False,
        rows=(
            TableRow("2018", 710.68, GUIDE + ", stap 4; " + HUURTOESLAG, 2018),
            TableRow("2024", 879.66, HUURTOESLAG, 2024),
            TableRow("2025", 900.07, HUURTOESLAG, 2025),
            TableRow("2026", 932.93, HUURTOESLAG, 2026,
                     "vanaf 2026 blokkeert een hogere huur de huurtoeslag niet meer; "
                     "toeslag berekend tot deze grens",
                     "from 2026 a higher rent no longer blocks the allowance; it is computed "
                     "up to this ceiling"),
        ),
    ),
    *(
        Table(
            f"tabel_huurstijging_{segment}",
            f"Maximale huurverhoging {segment_nl} per jaar",
            f"Maximum rent increase {segment_en} by year",
            "pct",
            by="kalenderjaar",
            exact=False,
            rows=tuple(TableRow(str(year), value, HUURVERHOGING, year, note_nl, note_en)
                       for year, value, note_nl, note_en in rows),
        )
        for segment, segment_nl, segment_en, rows in (
            ("sociaal", "sociale huur", "social rent", (
                (2024, 0.058, "vóór 2024 geldt in dit model de grens van 2024",
                 "before 2024 this model applies the 2024 cap"),
                (2025, 0.050, "", ""), (2026, 0.041, "", ""))),
            ("midden", "middenhuur", "mid-market rent", (
                (2024, 0.055, "2024: nog geen apart middensegment; grens vrije sector",
                 "2024: no separate mid segment yet; free-sector cap"),
                (2025, 0.077, "", ""), (2026, 0.061, "", ""))),
            ("vrij", "vrije sector", "free sector", (
                (2024, 0.055, "vóór 2024 geldt in dit model de grens van 2024",
                 "before 2024 this model applies the 2024 cap"),
                (2025, 0.041, "", ""), (2026, 0.044, "", ""))),
        )
    ),
    *(
        Table(name, nl, en, unit, by="peiljaar", exact=False, clamp=True,
              rows=tuple(TableRow(str(year), value, source, year, note_nl, note_en)
                         for year, value, source, note_nl, note_en in rows))
        for name, nl, en, unit, rows in (
            ("tabel_wws_grens_sociaal", "WWS: hoogste puntental sociale huur (per jaar)",
             "WWS: highest points for social rent (by year)", "punten", (
                 (2024, 143, WBH, "vanaf 1 juli 2024; vóór 2024 rekent dit model met 2024",
                  "from 1 July 2024; before 2024 this model applies 2024"),
                 (2025, 143, BZK_2025, "", ""), (2026, 143, HUURCOMMISSIE_2026, "", ""))),
            ("tabel_wws_grens_midden", "WWS: hoogste puntental middenhuur (per jaar)",
             "WWS: highest points for mid-market rent (by year)", "punten", (
                 (2024, 186, WBH, "vanaf 1 juli 2024", "from 1 July 2024"),
                 (2025, 186, BZK_2025, "", ""), (2026, 186, HUURCOMMISSIE_2026, "", ""))),
            ("tabel_wws_max_sociaal", "WWS: maximale huur bij het hoogste sociale puntental",
             "WWS: maximum rent at the highest social points", "eur_maand", (
                 (2024, 879.66, WBH + " (143 punten, 2024-H2)", "", ""),
                 (2025, 900.07, BZK_2025 + " (143 punten)", "", ""),
                 (2026, 932.93, HUURCOMMISSIE_2026 + " (143 punten)", "", ""))),
            ("tabel_middenhuur_grens", "WWS: maximale huur bij 186 punten (middenhuurgrens)",
             "WWS: maximum rent at 186 points (mid-market ceiling)", "eur_maand", (
                 (2024, 1157.95, WBH + " (186 punten, 2024-H2)",
                  "de tabel per punt: vul het maximum uit de huurprijscheck in (blad Invoer)",
                  "the table per point: enter the maximum from the huurprijscheck (Inputs)"),
                 (2025, 1184.82, BZK_2025 + " (186 punten)", "", ""),
                 (2026, 1228.07, HUURCOMMISSIE_2026 + " (186 punten)", "", ""))),
        )
    ),
    Table(
        "tabel_overdrachtsbelasting",
        "Overdrachtsbelasting woningen (niet eigen bewoning) per jaar",
        "Transfer tax on dwellings (not owner-occupied) by year",
        "pct",
        by="peiljaar",
        exact=False,
        rows=(
            TableRow("2018", 0.02, WBR + " (2% voor alle woningen tot 2021)", 2018),
            TableRow("2021", 0.08, WBR + " (8% niet-eigen-bewoning vanaf 2021)", 2021),
            TableRow("2023", 0.104, WBR + " (10,4% vanaf 2023)", 2023),
            TableRow("2026", 0.08, WBR + " (8% voor woningen vanaf 2026)", 2026),
        ),
    ),
    *(
        Table(
            f"tabel_fonds_{key}", nl, en, unit, by="fonds", exact=True,
            rows=(TableRow("geen", 0, LETTER, 2023, "geen fonds", "no fund"),
                  TableRow("Amsterdam", amsterdam, AMSTERDAM, 2023),
                  TableRow("Fonds Coöperatief Wonen", fcw, FCW, 2026,
                           "indicatief" if key != "eigen_min_pct" else "",
                           "indicative" if key != "eigen_min_pct" else "")),
        )
        for key, nl, en, unit, amsterdam, fcw in (
            ("max_per_woning", "Fonds: maximaal bedrag per woning",
             "Fund: maximum amount per dwelling", "eur", 50_000, 50_000),
            ("looptijd", "Fonds: looptijd (jaren)", "Fund: term (years)", "jaar", 15, 15),
            ("rente", "Fonds: rente", "Fund: interest rate", "pct", 0.015, 0.015),
            ("eigen_min_pct", "Fonds: eigen inbreng leden (minimaal, van de stichtingskosten)",
             "Fund: members' own contribution (minimum, of the development costs)", "pct",
             0.05, 0.05),
        )
    ),
    Table(
        "tabel_btw",
        "BTW algemeen tarief per jaar (bouw- en bijkomende kosten)",
        "VAT standard rate by year (construction and other costs)",
        "pct",
        by="peiljaar",
        exact=False,
        rows=(TableRow("2012", 0.21, OB + ": 21% sinds 1 oktober 2012", 2012,
                       "verhuur van woningen is vrijgesteld: de coöperatie kan de BTW niet "
                       "verrekenen", "letting homes is VAT-exempt: the cooperative cannot "
                       "reclaim the VAT"),),
    ),
)

TABLE_BY_NAME = {t.name: t for t in TABLES}

NORMS: tuple[Norm, ...] = (
    Norm("ratio_rente_aflossing", "Ratio rente + aflossing (regio)",
         "Interest + amortisation ratio (region)", "pct", None, GUIDE + ", stap 6", 2018,
         table="tabel_ratio_regio"),
    Norm("ltv_max", "Maximale loan-to-value", "Maximum loan-to-value", "pct", 0.70,
         GUIDE + ", stap 6 (70-80%); " + LETTER + " (60-70%)", 2023),
    Norm("aflossing_pct", "Aflossing per jaar (van de oorspronkelijke hoofdsom)",
         "Amortisation per year (of the original principal)", "pct", 0.02,
         GUIDE + ", stap 8", 2018),
    Norm("looptijd_jaren", "Looptijd lening tot herfinanciering", "Loan term until refinancing",
         "jaar", 10, GUIDE + ", stap 8", 2018, minimum=1, maximum=30),
    Norm("buffer_maanden", "Buffer (maandhuren)", "Buffer (months of rent)", "maand", 3,
         GUIDE + ", hoofdstuk 3 (voorbeelden)", 2018),
    Norm("verkoop_min_pct", "Minimale verkoopprijs (deel van de marktwaarde leeg)",
         "Minimum sale price (share of market value, vacant)", "pct", 0.50,
         GUIDE + ", stap 7 (experiment Woningwet)", 2018),
    Norm("liberalisatiegrens", "Liberalisatiegrens (peiljaar)", "Liberalisation threshold (year)",
         "eur_maand", None, HUURTOESLAG, 2026, table="tabel_liberalisatiegrens"),
    Norm("overdrachtsbelasting", "Overdrachtsbelasting (peiljaar)", "Transfer tax (year)", "pct",
         None, WBR + "; grondslag: " + WBR9, 2026, table="tabel_overdrachtsbelasting"),
    Norm("dscr_min_netto", "Minimale DSCR (netto)", "Minimum DSCR (net)", "factor", 1.05, PROXY,
         2025),
    Norm("dscr_min_bruto", "Minimale DSCR (bruto)", "Minimum DSCR (gross)", "factor", 1.25, PROXY,
         2025),
    Norm("dscr_min_totaal", "Minimale DSCR totaal (alle tranches, netto)",
         "Minimum total DSCR (all tranches, net)", "factor", 1.00,
         PROXY + "; alle rente en aflossing (bank en achtergesteld) uit de netto cashflow", 2025),
    Norm("icr_min_netto", "Minimale ICR (netto)", "Minimum ICR (net)", "factor", 1.25, PROXY, 2025),
    Norm("icr_min_bruto", "Minimale ICR (bruto)", "Minimum ICR (gross)", "factor", 1.50, PROXY,
         2025),
    Norm("rekenmarge", "Rekenmarge bij vergelijken van uitkomsten",
         "Calculation margin when comparing results", "marge", 1e-9,
         "xlcoop: Excel, LibreOffice en Python verschillen soms in de laatste decimaal", 2026),
    Norm("onderhoudsplan_jaren", "Jaren onderhoudsplan (NEN 2767), daarna de norm",
         "Years of the maintenance plan (NEN 2767), then the norm", "jaar", 10,
         GUIDE + ", stap 3 (NEN 2767: onderhoud komende tien jaar)", 2018, minimum=0,
         maximum=10),
    *(Norm(f"vex_{key}", f"Norm {nl} per woning per jaar", f"Norm {en} per dwelling per year",
           "eur_jaar", value, VEX, 2025)
      for key, nl, en, value in (
          ("beheer", "beheer", "management", 500.0),
          ("verzekering", "verzekering", "insurance", 200.0),
          ("belastingen", "belastingen (OZB e.d.)", "taxes (OZB etc.)", 400.0),
          ("administratie", "administratie", "administration", 150.0),
          ("klein_onderhoud", "klein en mutatieonderhoud", "small and turnover repairs", 500.0),
          ("groot_onderhoud", "groot onderhoud", "major maintenance", 1000.0),
      )),
    Norm("gevoeligheid_rente_1", "Gevoeligheid: herfinancieringsrente + (1)",
         "Sensitivity: refinancing rate + (1)", "pct", 0.01, BANK_QUESTIONS, 2025),
    Norm("gevoeligheid_rente_2", "Gevoeligheid: herfinancieringsrente + (2)",
         "Sensitivity: refinancing rate + (2)", "pct", 0.02, BANK_QUESTIONS, 2025),
    Norm("gevoeligheid_derving_1", "Gevoeligheid: huurderving + (1)",
         "Sensitivity: rent loss + (1)", "pct", 0.02, BANK_QUESTIONS, 2025),
    Norm("gevoeligheid_derving_2", "Gevoeligheid: huurderving + (2)",
         "Sensitivity: rent loss + (2)", "pct", 0.05, BANK_QUESTIONS, 2025),
    Norm("gevoeligheid_onderhoud", "Gevoeligheid: groot onderhoud +",
         "Sensitivity: major maintenance +", "pct", 0.20, BANK_QUESTIONS, 2025),
    Norm("gevoeligheid_huurstijging", "Gevoeligheid: huurstijging −",
         "Sensitivity: rent indexation −", "pct", 0.01, BANK_QUESTIONS, 2025),
    Norm("gevoeligheid_waarde_1", "Gevoeligheid: waarde − (1)", "Sensitivity: value − (1)",
         "pct", 0.10, BANK_QUESTIONS, 2025),
    Norm("gevoeligheid_waarde_2", "Gevoeligheid: waarde − (2)", "Sensitivity: value − (2)",
         "pct", 0.20, BANK_QUESTIONS, 2025),
    Norm("btw_tarief", "BTW-tarief (peiljaar)", "VAT rate (year)", "pct", None, OB, 2012,
         table="tabel_btw"),
    *(Norm(f"fonds_{key}", nl, en, unit, None, AMSTERDAM + "; " + FCW, 2023,
           table=f"tabel_fonds_{key}", maximum=maximum)
      for key, nl, en, unit, maximum in (
          ("max_per_woning", "Fonds: maximaal bedrag per woning",
           "Fund: maximum amount per dwelling", "eur", None),
          ("looptijd", "Fonds: looptijd", "Fund: term", "jaar", 100),
          ("rente", "Fonds: rente", "Fund: interest rate", "pct", None),
          ("eigen_min_pct", "Fonds: minimale eigen inbreng leden", "Fund: minimum members' "
           "contribution", "pct", None),
      )),
    Norm("eigen_inbreng_min_pct", "Minimale eigen inbreng leden (deel van de investering)",
         "Minimum members' equity (share of the investment)", "pct", 0.05,
         LETTER + " (eigen inleg 5%)", 2023),
    Norm("startkapitaal_min", "Startkapitaal voorfase: ondergrens",
         "Start capital pre-development: lower bound", "eur", 200_000,
         LETTER + " (startkapitaal € 200.000 tot € 500.000)", 2023),
    Norm("startkapitaal_max", "Startkapitaal voorfase: bovengrens",
         "Start capital pre-development: upper bound", "eur", 500_000,
         LETTER + " (startkapitaal € 200.000 tot € 500.000)", 2023),
    Norm("taxatie_max_maanden", "Maximale ouderdom taxatierapport (maanden; soms 6)",
         "Maximum age of the valuation report (months; sometimes 6)", "maand", 3,
         GUIDE + ", stap 3 (taxatie niet ouder dan 3 maanden, bij sommige banken 6)", 2018,
         minimum=1, maximum=24),
    *(Norm(name, nl, en, unit, None, source, 2026, table=table, maximum=maximum)
      for name, nl, en, unit, source, table, maximum in (
          ("wws_grens_sociaal", "WWS: hoogste puntental sociale huur (peiljaar)",
           "WWS: highest points for social rent (year)", "punten", WBH,
           "tabel_wws_grens_sociaal", 1000),
          ("wws_grens_midden", "WWS: hoogste puntental middenhuur (peiljaar)",
           "WWS: highest points for mid-market rent (year)", "punten", WBH,
           "tabel_wws_grens_midden", 1000),
          ("huur_max_sociaal", "WWS: maximale huur sociaal segment (bij het hoogste puntental)",
           "WWS: maximum social rent (at the highest points)", "eur_maand",
           HUURCOMMISSIE_2026 + "; " + BZK_2025, "tabel_wws_max_sociaal", None),
          ("middenhuur_grens", "WWS: middenhuurgrens (maximale huur bij 186 punten, peiljaar)",
           "WWS: mid-market ceiling (maximum rent at 186 points, year)", "eur_maand",
           HUURCOMMISSIE_2026 + "; " + BZK_2025, "tabel_middenhuur_grens", None),
      )),
    Norm("opslag_middenhuur", "Opslag op de CAO-loonontwikkeling (middenhuur, na de tabel)",
         "Margin on CAO wage growth (mid-market, after the table)", "pct", 0.01, WBH_RISE, 2024),
    Norm("opslag_vrije_sector", "Opslag op de laagste van loon en inflatie (vrije sector)",
         "Margin on the lower of wages and inflation (free sector)", "pct", 0.01, NIJBOER, 2024),
    Norm("huurtoeslag_rekenhuur_vanaf", "Huurtoeslag: geen huurgrens meer vanaf (jaar)",
         "Rent allowance: no rent ceiling from (year)", "jaar", 2026, HUURTOESLAG_2026, 2026,
         minimum=2000, maximum=2100),
    Norm("aandeel_lagere_inkomens_min", "Minimaal aandeel leden met een lager inkomen (verkoop "
         "onder de marktwaarde)", "Minimum share of members with lower incomes (sale below "
         "market value)", "pct", 0.50, GUIDE + ", stap 7 (experiment Woningwet: ten minste de "
         "helft van de leden heeft een lager inkomen)", 2018),
    Norm("kansrijk_min_score", "Kansrijk: minimaal aantal voorwaarden (van 4)",
         "Promising: minimum number of conditions met (of 4)", "aantal", 4,
         LETTER + " (beoordelingscommissie: expertise, eigen vermogen, steun gemeente, locatie;"
         " indicatief)", 2023, minimum=0, maximum=4),
)

VEX_CATEGORIES = ("beheer", "verzekering", "belastingen", "administratie", "klein_onderhoud")

NORM_BY_NAME = {n.name: n for n in NORMS}


# Each applied norm appears as <name>_standaard | <name>_eigen | <name> (the used value).
STANDARD_SUFFIX, OVERRIDE_SUFFIX = "_standaard", "_eigen"


def standard_value(norm: Norm, inputs: dict[str, object]) -> float:
    """The norm's standard value for these inputs (before any user override)."""
    if norm.table is None:
        assert norm.value is not None
        return float(norm.value)
    table = TABLE_BY_NAME[norm.table]
    try:
        return table.lookup(inputs[table.by])
    except (KeyError, TypeError, ValueError):
        return 0.0  # no row for a blank or unknown key: the workbook's IFERROR(..., 0)


def applied_norms(inputs: dict[str, object], overrides: dict[str, float]) -> dict[str, float]:
    """Every applied norm's used value: the override where given, else the standard value."""
    return {
        n.name: float(overrides[n.name]) if overrides.get(n.name) is not None
        else standard_value(n, inputs)
        for n in NORMS
    }
