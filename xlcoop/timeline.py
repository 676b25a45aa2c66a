"""Timeline rows of the multi-year sheets (Exploitatie, Lening, Gevoeligheid): defined once.

Columns on every timeline sheet (after the FAST standard): label | unit | constant | total |
start (year 0) | year 1 ... year 30. One formula per row, the same in every year column, written
as a template:
- ``{row}``       the cell of another row on the same sheet, same year (e.g. F12);
- ``{row@prev}``  that row's cell one year earlier (year 1 reads the start column);
- ``{jaar}``      this column's year number in the header (F$4);
- ``[row]``       a row on another sheet, this year: INDEX(row,1,year), so formulas refer to
  names only and stay the same in every language.
The start column holds opening values (balances, cash, value) where ``start`` is given. The
total column aggregates the row (sum, or a named minimum/maximum for the bank's ratios).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xlcoop.norms import VEX_CATEGORIES
from xlcoop.projection import NOT_COUNTED

YEARS = 30
HEADER_ROW, CALENDAR_ROW, FIRST_TIMELINE_ROW = 4, 5, 7
CONST_COL, TOTAL_COL, START_COL, FIRST_YEAR_COL = 3, 4, 5, 6
LAST_YEAR_COL = FIRST_YEAR_COL + YEARS - 1


@dataclass(frozen=True)
class Row:
    name: str  # defined name of the year range (F:AI)
    label_nl: str
    label_en: str
    unit: str
    formula: str  # template for every year column
    start: str | None = None  # template for the start column (year 0)
    total: str | None = None  # formula of the total column; "sum" = SUM over the years
    total_name: str | None = None  # defined name of the total cell (default <name>_totaal)
    const: str | int | None = None  # constant column: a norm shown (formula) or a number
    defined: bool = True
    start_name: str | None = None  # defined name of the start cell (an opening figure)
    flag_below: str | None = None  # name of a norm: year cells below it are shown red
    flag_above: str | None = None  # name of a norm: year cells above it are shown red
    note_nl: str = ""
    note_en: str = ""
    number_format: str | None = None  # overrides the unit's timeline format
    # a condition (Excel, on names) under which the row applies; elsewhere its cells show
    # "n.v.t." in grey (display only: the formula and its value stay)
    applies_if: str | None = None

    @property
    def total_defined_name(self) -> str | None:
        if self.total is None:
            return None
        return self.total_name or f"{self.name}_totaal"


@dataclass(frozen=True)
class Block:
    title_nl: str
    title_en: str
    rows: tuple[Row, ...]


ANNUITY = 'aflossingsvorm="annuitair"'
LINEAR = 'aflossingsvorm<>"annuitair"'  # as the loan rows read it: all but annuity


# Conditional minima without MINIFS (Excel 2016 and older show #NAME?): a helper row holds the
# value where the condition holds and NOT_COUNTED elsewhere, and MIN over it gives the minimum.
BIG = f"{NOT_COUNTED:.0E}"  # "1E+300", as Excel writes it
_HIDDEN_FORMATS = {"factor": '[>=1E+300]"–";0.00', "pct": '[>=1E+300]"–";0.00%',
                   "eur_jaar": '[>=1E+300]"–";#,##0', "jaar": '[>=1E+300]"–";0'}


HELPERS_NL = "Hulprijen (minimum onder voorwaarde; Excel 2010 kent geen MINIFS)"
HELPERS_EN = "Helper rows (conditional minimum; Excel 2010 has no MINIFS)"


def counted(minimum: str, unit: str, value: str, condition: str) -> Row:
    """The helper row ``hr_<minimum>``: ``value`` where ``condition`` holds, else NOT_COUNTED."""
    return Row(f"hr_{minimum}", f"Hulprij {minimum} (telt mee waar: {condition})",
               f"Helper {minimum} (counts where: {condition})", unit,
               f"=IF({condition},{value},{BIG})", number_format=_HIDDEN_FORMATS[unit])


def min_counted(minimum: str) -> str:
    """The minimum over a helper row; 0 when no year counts (as MINIFS gives)."""
    return f"=IF(MIN(hr_{minimum})>={BIG},0,MIN(hr_{minimum}))"


def _cost_row(key: str, nl: str, en: str) -> Row:
    first = "lasten_niet_gespecificeerd" if key == "niet_gespecificeerd" else f"lasten_{key}"
    return Row(f"jr_lasten_{key}", nl, en, "eur_jaar",
               f"=IF({{jaar}}=1,{first},{{jr_lasten_{key}@prev}}*(1+kostenindexatie))",
               total="sum", const=None if key == "niet_gespecificeerd" else f"=vex_{key}")


CAP = "INDEX(tabel_huurstijging_{s}_waarde,MATCH(MAX({{jr_kalenderjaar}}," \
      "MIN(tabel_huurstijging_sociaal_sleutel)),tabel_huurstijging_sociaal_sleutel,1))"
WWS_TABLE = ("INDEX(tabel_middenhuur_grens_waarde,MATCH(MAX({year},MIN(tabel_middenhuur_grens_"
             "sleutel)),tabel_middenhuur_grens_sleutel,1))")
COSTS = "+".join(f"{{jr_lasten_{k}}}" for k in (*VEX_CATEGORIES, "niet_gespecificeerd"))

SEGMENTS = ("sociaal", "midden", "vrij")
DWELLINGS = 8  # = inputs.DWELLING_ROWS (a test holds them equal; timeline imports no inputs)


def _cap_row(s: str) -> Row:
    """The legal maximum increase of a segment while its table has the year, then the
    assumption (named, sourced on the Huur sheet)."""
    return Row(f"jr_max_huurstijging_{s}", f"Maximale huurverhoging {s} (wet t/m de tabel, "
               "daarna aanname)", f"Maximum rent increase {s} (law while tabled, then "
               "assumption)", "pct",
               f"=IF({{jr_kalenderjaar}}<=MAX(tabel_huurstijging_{s}_sleutel),{CAP.format(s=s)},"
               f"huurstijging_aanname_{s})", const=f"=huurstijging_aanname_{s}")


def _segment_pick(prefix: str, segment: str) -> str:
    return (f'IF({segment}="sociaal",{{{prefix}_sociaal}},IF({segment}="midden",'
            f"{{{prefix}_midden}},{{{prefix}_vrij}}))")


def _dwelling_row(k: int) -> Row:
    """Dwelling type k's monthly rent: indexed by the lower of the assumed increase and its
    segment's cap, and never above its indexed WWS maximum. The constant column holds k."""
    nr = f"{{jr_huur_woning{k}@const}}"
    seg = f"INDEX(woning_segment,{nr})"
    grown = (f"{{jr_huur_woning{k}@prev}}*(1+IF({{jaar}}=1,0,MIN(huurindexatie,"
             f"{_segment_pick('jr_max_huurstijging', seg)})))")
    cap = f"INDEX(huur_max_wws,{nr})"
    return Row(f"jr_huur_woning{k}", f"Huur per maand woningtype {k}",
               f"Rent per month dwelling type {k}", "eur_maand",
               f"=IF({cap}>0,MIN({grown},{cap}*{{jr_wws_index}}),{grown})",
               start=f"=INDEX(woning_huur,{nr})+0", const=k)  # type: ignore[arg-type]


EXPLOITATIE: tuple[Block, ...] = (
    Block("Huurverhoging: wet zolang de tabel het jaar kent, daarna aanname",
          "Rent increase: law while the table has the year, then assumption", (
        *(_cap_row(s) for s in SEGMENTS),
        Row("jr_huurstijging_grondslag", "Grondslag maximale huurverhoging",
            "Basis of the maximum rent increase", "tekst",
            '=IF({jr_kalenderjaar}<=huurstijging_laatste_jaar,"wet","aanname")',
            note_nl="wet = tabel van dat jaar; aanname = na de laatste tabel (blad Huur).",
            note_en="wet = that year's table; aanname = after the last table (Rent sheet)."),
        Row("jr_max_huurstijging", "Maximale huurverhoging, segment van de invoer",
            "Maximum rent increase, input segment", "pct",
            "=" + _segment_pick("jr_max_huurstijging", "huursegment")),
        Row("jr_huurstijging", "Huurverhoging (aanname, begrensd; segment van de invoer)",
            "Rent increase (assumption, capped; input segment)", "pct",
            "=IF({jaar}=1,0,MIN(huurindexatie,{jr_max_huurstijging}))",
            const="=huurindexatie"),
        Row("jr_wws_index", "Indexatie WWS-maxima (tabel, daarna inflatie-aanname)",
            "Indexation of WWS maxima (table, then assumed inflation)", "factor",
            "=IF({jaar}=1,1,IF({jr_kalenderjaar}<=wws_tabel_laatste_jaar,"
            + WWS_TABLE.format(year="{jr_kalenderjaar}") + "/"
            + WWS_TABLE.format(year="peiljaar") + ",{jr_wws_index@prev}*(1+inflatie_aanname)))",
            const="=inflatie_aanname"),
    )),
    Block("Huur per woningtype (constante kolom: rij in de woningtabel)",
          "Rent per dwelling type (constant column: row of the dwellings table)",
          tuple(_dwelling_row(k) for k in range(1, DWELLINGS + 1))),
    Block("Huur", "Rent", (
        Row("jr_huuropbrengst", "Huuropbrengst (100% verhuurd)", "Rental income (fully let)",
            "eur_jaar", "=12*SUMPRODUCT(woning_aantal,{jr_huur_woning1..jr_huur_woning"
            f"{DWELLINGS}}})", total="sum"),
        Row("jr_huurderving", "Af: huurderving", "Less: rent loss", "eur_jaar",
            "={jr_huuropbrengst}*huurderving", total="sum", const="=huurderving"),
        Row("jr_overige_baten", "Bij: overige baten", "Add: other income", "eur_jaar",
            "=IF({jaar}=1,overige_baten,{jr_overige_baten@prev}*(1+kostenindexatie))",
            total="sum"),
        Row("jr_baten", "Totale baten", "Total income", "eur_jaar",
            "={jr_huuropbrengst}-{jr_huurderving}+{jr_overige_baten}", total="sum"),
    )),
    Block("Exploitatielasten (constante kolom: norm per woning)",
          "Operating costs (constant column: norm per dwelling)", (
        _cost_row("beheer", "Beheer", "Management"),
        _cost_row("verzekering", "Verzekering", "Insurance"),
        _cost_row("belastingen", "Belastingen", "Taxes"),
        _cost_row("administratie", "Administratie", "Administration"),
        _cost_row("klein_onderhoud", "Klein en mutatieonderhoud", "Small and turnover repairs"),
        _cost_row("niet_gespecificeerd", "Niet gespecificeerd", "Unspecified"),
        Row("jr_exploitatielasten", "Exploitatielasten", "Operating costs", "eur_jaar",
            "=" + COSTS, total="sum"),
        Row("jr_groot_onderhoud", "Groot onderhoud (reservering of plan)",
            "Major maintenance (reserve or plan)", "eur_jaar",
            '=IF(onderhoud_methode="plan",IF({jaar}<=onderhoudsplan_jaren,'
            "INDEX(onderhoudsplan,MIN({jaar},onderhoudsplan_jaren),1),"
            "vex_groot_onderhoud*aantal_woningen*(1+kostenindexatie)^({jaar}-1)),"
            "reservering_groot_onderhoud*(1+kostenindexatie)^({jaar}-1))",
            total="sum", const="=vex_groot_onderhoud"),
    )),
    Block("Netto cashflow", "Net cash flow", (
        Row("jr_netto_cashflow", "Netto cashflow", "Net cash flow", "eur_jaar",
            "={jr_baten}-{jr_exploitatielasten}-{jr_groot_onderhoud}", total="sum"),
    )),
    Block(HELPERS_NL, HELPERS_EN, (
        counted("be_cashflow_na_herfinanciering", "eur_jaar", "{jr_netto_cashflow}",
                "{jaar}>looptijd_jaren"),
    )),
)

def _tranche_block(k: str, nl: str, en: str, amount: str, rate: str, term: str,
                   form: str) -> Block:
    """A loan tranche with its own amount, rate, term and repayment (rank in the title)."""
    return Block(nl, en, (
        Row(f"jr_rente{k}", "Rente", "Interest", "eur_jaar",
            f"={{jr_saldo{k}@prev}}*{rate}", total="sum", const=f"={rate}"),
        Row(f"jr_aflossing{k}", "Aflossing", "Repayment", "eur_jaar",
            f"=IF(OR({{jaar}}>{term},{term}=0),0,IF({{jaar}}={term},{{jr_saldo{k}@prev}},"
            f'IF({form}="aflossingsvrij",0,IF({form}="annuitair",-PMT({rate},'
            f"{term}-{{jaar}}+1,{{jr_saldo{k}@prev}})-{{jr_rente{k}}},"
            f"MIN({{jr_saldo{k}@prev}},{amount}/{term})))))",
            total="sum", const=f"={term}"),
        Row(f"jr_schuldendienst{k}", "Rente + aflossing", "Debt service", "eur_jaar",
            f"={{jr_rente{k}}}+{{jr_aflossing{k}}}", total="sum"),
        Row(f"jr_saldo{k}", "Saldo einde jaar", "Balance end of year", "eur",
            f"={{jr_saldo{k}@prev}}-{{jr_aflossing{k}}}", start=f"={amount}"),
    ))


LENING: tuple[Block, ...] = (
    Block("Banklening (eerste hypotheek)", "Bank loan (first mortgage)", (
        Row("jr_rente_pct", "Rente (vast per looptijd, daarna herfinanciering)",
            "Rate (fixed per term, then refinancing)", "pct",
            "=IF({jaar}<=looptijd_jaren,rente,herfinancieringsrente_gebruikt)",
            const="=herfinancieringsrente_gebruikt"),
        Row("jr_saldo_begin", "Saldo begin jaar", "Balance start of year", "eur",
            "={jr_saldo@prev}"),
        Row("jr_rente", "Rente", "Interest", "eur_jaar", "={jr_saldo_begin}*{jr_rente_pct}",
            total="sum"),
        Row("jr_aflossing", "Aflossing", "Amortisation", "eur_jaar",
            '=IF(aflossingsvorm="annuitair",IF(OR({jr_saldo_begin}<=0,'
            "aflossingstermijn_jaren=0),0,-PMT({jr_rente_pct},MAX(1,aflossingstermijn_jaren"
            "-{jaar}+1),{jr_saldo_begin})-{jr_rente}),MIN({jr_saldo_begin},lening*aflossing_pct))",
            total="sum", const="=aflossing_pct"),
        Row("jr_schuldendienst", "Rente + aflossing", "Debt service", "eur_jaar",
            "={jr_rente}+{jr_aflossing}", total="sum"),
        Row("jr_saldo", "Saldo einde jaar", "Balance end of year", "eur",
            "={jr_saldo_begin}-{jr_aflossing}", start="=lening"),
    )),
    _tranche_block("2", "Achtergestelde lening (rang 3: vordering corporatie of fonds)",
                   "Subordinated loan (rank 3: corporation's claim or fund)",
                   "achtergestelde_lening", "achtergesteld_rente", "achtergesteld_looptijd",
                   "achtergesteld_vorm"),
    _tranche_block("3", "Fondslening (rang 2; alleen nieuwbouw)",
                   "Fund loan (rank 2; new build only)", "fondslening", "fonds_rente",
                   "fonds_looptijd", "fonds_vorm"),
    _tranche_block("4", "Ledenleningen / crowdfunding (rang 4; alleen nieuwbouw)",
                   "Member loans / crowdfunding (rank 4; new build only)", "bron_ledenlening",
                   "ledenlening_rente", "ledenlening_looptijd", "ledenlening_vorm"),
    Block("Alle achtergestelde tranches", "All subordinated tranches", (
        Row("jr_schuldendienst_achtergesteld", "Rente + aflossing achtergesteld (rang 2-4)",
            "Subordinated debt service (ranks 2-4)", "eur_jaar",
            "={jr_schuldendienst2}+{jr_schuldendienst3}+{jr_schuldendienst4}", total="sum"),
        Row("jr_saldo_achtergesteld", "Saldo achtergesteld einde jaar",
            "Subordinated balance end of year", "eur",
            "={jr_saldo2}+{jr_saldo3}+{jr_saldo4}",
            start="={jr_saldo2@start}+{jr_saldo3@start}+{jr_saldo4@start}"),
    )),
    Block("Ratio's per jaar (totaalkolom: zwakste jaar)", "Ratios per year (total: weakest year)", (
        Row("jr_dscr", "DSCR netto (cashflow na lasten en reservering groot onderhoud / rente "
            "+ aflossing bank)", "DSCR net (cash flow after costs and maintenance reserve / "
            "bank debt service)", "factor",
            "=IF({jr_schuldendienst}=0,0,[jr_netto_cashflow]/{jr_schuldendienst})",
            total=min_counted("dscr_min"), total_name="dscr_min",
            const="=dscr_min_netto", flag_below="dscr_min_netto"),
        Row("jr_dscr_bruto", "DSCR bruto (baten na huurderving / rente + aflossing bank)",
            "DSCR gross (income after rent loss / bank debt service)", "factor",
            "=IF({jr_schuldendienst}=0,0,[jr_baten]/{jr_schuldendienst})",
            total=min_counted("dscr_bruto_min"),
            total_name="dscr_bruto_min", const="=dscr_min_bruto", flag_below="dscr_min_bruto"),
        Row("jr_icr", "ICR netto (netto cashflow / rente)", "ICR net (net cash flow / interest)",
            "factor", "=IF({jr_rente}=0,0,[jr_netto_cashflow]/{jr_rente})",
            total=min_counted("icr_min"), total_name="icr_min",
            const="=icr_min_netto", flag_below="icr_min_netto"),
        Row("jr_icr_bruto", "ICR bruto (baten / rente)", "ICR gross (income / interest)",
            "factor", "=IF({jr_rente}=0,0,[jr_baten]/{jr_rente})",
            total=min_counted("icr_bruto_min"), total_name="icr_bruto_min",
            const="=icr_min_bruto", flag_below="icr_min_bruto"),
        Row("jr_dscr_norm", "Norm DSCR netto (voor de grafiek)", "DSCR norm net (for the chart)",
            "factor", "=dscr_min_netto"),
        Row("jr_waarde", "Waarde (geïndexeerd)", "Value (indexed)", "eur",
            "=ltv_waarde*(1+waardeontwikkeling)^{jaar}", start="=ltv_waarde",
            const="=waardeontwikkeling"),
        Row("jr_ltv", "LTV (saldo bank / waarde)", "LTV (bank balance / value)", "pct",
            "=IF({jr_waarde}=0,0,{jr_saldo}/{jr_waarde})",
            start="=IF({jr_waarde}=0,0,{jr_saldo}/{jr_waarde})",
            total="=MAX({jr_ltv@start},jr_ltv)", total_name="ltv_piek", const="=ltv_max",
            flag_above="ltv_max"),
        Row("jr_kas", "Kas einde jaar (start = buffer)", "Cash end of year (start = buffer)",
            "eur", "={jr_kas@prev}+[jr_netto_cashflow]-{jr_schuldendienst}"
            "-{jr_schuldendienst_achtergesteld}",
            start="=buffer", total="=MIN({jr_kas@start},jr_kas)", total_name="kas_min"),
    )),
    Block("De hele schuld: alle tranches, LTV op de waarde voor de bank",
          "The whole debt: all tranches, LTV on the bank's value", (
        Row("jr_schuldendienst_alle", "Rente + aflossing totaal (bank en rang 2-4)",
            "Total debt service (bank and ranks 2-4)", "eur_jaar",
            "={jr_schuldendienst}+{jr_schuldendienst_achtergesteld}", total="sum"),
        Row("jr_dscr_totaal", "DSCR totaal (netto cashflow / rente + aflossing alle tranches)",
            "Total DSCR (net cash flow / debt service of all tranches)", "factor",
            "=IF({jr_schuldendienst_alle}=0,0,[jr_netto_cashflow]/{jr_schuldendienst_alle})",
            total=min_counted("dscr_totaal_min"),
            total_name="dscr_totaal_min", const="=dscr_min_totaal",
            flag_below="dscr_min_totaal"),
        counted("dscr_totaal_min", "factor", "{jr_dscr_totaal}", "{jr_schuldendienst_alle}>0"),
        Row("jr_waarde_bank", "Waarde voor de bank (verhuurd, anders leeg; geïndexeerd)",
            "Value for the bank (let, else vacant; indexed)", "eur",
            "=bankwaarde*(1+waardeontwikkeling)^{jaar}", start="=bankwaarde",
            const="=waardeontwikkeling"),
        Row("jr_ltv_bank", "LTV op de waarde voor de bank (saldo bank / waarde)",
            "LTV on the bank's value (bank balance / value)", "pct",
            "=IF({jr_waarde_bank}=0,0,{jr_saldo}/{jr_waarde_bank})",
            start="=IF({jr_waarde_bank}=0,0,{jr_saldo}/{jr_waarde_bank})",
            start_name="ltv_bank_start", const="=ltv_max", flag_above="ltv_max"),
        Row("jr_ltv_herfinanciering", "LTV op een herfinancieringsdatum (einde looptijd; anders 0)",
            "LTV at a refinancing date (end of a term; else 0)", "pct",
            "=IF(MOD({jaar},looptijd_jaren)=0,{jr_ltv_bank},0)",
            total="=MAX(jr_ltv_herfinanciering)", total_name="ltv_herfinanciering_max",
            const="=looptijd_jaren", flag_above="ltv_max"),
    )),
    Block("Break-even herfinancieringsrente en huurderving",
          "Break-even refinancing rate and rent loss", (
        Row("jr_be_rente_lineair", "Alleen bij lineair: rente waarbij DSCR = 1 (per jaar)",
            "Linear only: rate at which DSCR = 1 (per year)", "pct",
            "=IF({jr_saldo_begin}<=0,0,([jr_netto_cashflow]-{jr_aflossing})/{jr_saldo_begin})",
            applies_if=LINEAR),
        Row("jr_be_huurderving", "Huurderving waarbij DSCR = 1 (per jaar)",
            "Rent loss at which DSCR = 1 (per year)", "pct",
            "=IF(OR({jr_schuldendienst}=0,[jr_huuropbrengst]=0),0,1-({jr_schuldendienst}"
            "+[jr_exploitatielasten]+[jr_groot_onderhoud]-[jr_overige_baten])"
            "/[jr_huuropbrengst])"),
        Row("jr_be_mid", "Alleen bij annuïtair: proefrente (bisectie, één stap per kolom)",
            "Annuity only: trial rate (bisection, one step per column)", "pct",
            "=AVERAGE({jr_be_lo@prev},{jr_be_hi@prev})", applies_if=ANNUITY),
        Row("jr_be_lo", "Alleen bij annuïtair: hoogste rente die past",
            "Annuity only: highest rate that fits",
            "pct", "=IF(-PMT({jr_be_mid},be_resterende_termijn,restschuld_einde_looptijd)"
            "<=be_cashflow_na_herfinanciering,{jr_be_mid},{jr_be_lo@prev})", start="=0",
            applies_if=ANNUITY),
        Row("jr_be_hi", "Alleen bij annuïtair: laagste rente die niet past",
            "Annuity only: lowest rate that does not fit", "pct",
            "=IF(-PMT({jr_be_mid},be_resterende_termijn,restschuld_einde_looptijd)"
            "<=be_cashflow_na_herfinanciering,{jr_be_hi@prev},{jr_be_mid})", start="=1",
            applies_if=ANNUITY),
    )),
    Block(HELPERS_NL, HELPERS_EN, (
        counted("dscr_min", "factor", "{jr_dscr}", "{jr_schuldendienst}>0"),
        counted("dscr_bruto_min", "factor", "{jr_dscr_bruto}", "{jr_schuldendienst}>0"),
        counted("icr_min", "factor", "{jr_icr}", "{jr_rente}>0"),
        counted("icr_bruto_min", "factor", "{jr_icr_bruto}", "{jr_rente}>0"),
        counted("dscr_zwakste_jaar", "jaar", "{jaar}",
                "AND({jr_schuldendienst}>0,{jr_dscr}<=dscr_min+rekenmarge)"),
        counted("breakeven_rente_lineair", "pct", "{jr_be_rente_lineair}",
                "AND({jaar}>looptijd_jaren,{jr_saldo_begin}>0)"),
        counted("breakeven_huurderving", "pct", "{jr_be_huurderving}",
                "AND({jr_schuldendienst}>0,[jr_huuropbrengst]>0)"),
    )),
)


def _rate_block(k: int) -> Block:
    g = f"g_rente{k}"
    return Block(f"Herfinancieringsrente + gevoeligheid ({k})",
                 f"Refinancing rate + sensitivity ({k})", (
        Row(f"{g}_rente_pct", "Rente", "Rate", "pct",
            "=IF({jaar}<=looptijd_jaren,rente,herfinancieringsrente_gebruikt"
            f"+gevoeligheid_rente_{k})", const=f"=gevoeligheid_rente_{k}"),
        Row(f"{g}_rente", "Rente", "Interest", "eur_jaar",
            f"={{{g}_saldo@prev}}*{{{g}_rente_pct}}"),
        Row(f"{g}_aflossing", "Aflossing", "Amortisation", "eur_jaar",
            f'=IF(aflossingsvorm="annuitair",IF(OR({{{g}_saldo@prev}}<=0,'
            f"aflossingstermijn_jaren=0),0,-PMT({{{g}_rente_pct}},MAX(1,aflossingstermijn_jaren"
            f"-{{jaar}}+1),{{{g}_saldo@prev}})-{{{g}_rente}}),MIN({{{g}_saldo@prev}},"
            "lening*aflossing_pct))"),
        Row(f"{g}_schuldendienst", "Rente + aflossing", "Debt service", "eur_jaar",
            f"={{{g}_rente}}+{{{g}_aflossing}}"),
        Row(f"{g}_saldo", "Saldo einde jaar", "Balance end of year", "eur",
            f"={{{g}_saldo@prev}}-{{{g}_aflossing}}", start="=lening"),
        Row(f"{g}_dscr", "DSCR netto", "DSCR net", "factor",
            f"=IF({{{g}_schuldendienst}}=0,0,[jr_netto_cashflow]/{{{g}_schuldendienst}})",
            flag_below="dscr_min_netto"),
        Row(f"{g}_kas", "Kas einde jaar", "Cash end of year", "eur",
            f"={{{g}_kas@prev}}+[jr_netto_cashflow]-{{{g}_schuldendienst}}"
            "-[jr_schuldendienst_achtergesteld]", start="=buffer"),
        Row(f"{g}_ltv", "LTV", "LTV", "pct", f"=IF([jr_waarde]=0,0,{{{g}_saldo}}/[jr_waarde])",
            start=f"=IF(ltv_waarde=0,0,{{{g}_saldo}}/ltv_waarde)", flag_above="ltv_max"),
    ))


def _cash_rows(g: str) -> tuple[Row, ...]:
    return (
        Row(f"{g}_dscr", "DSCR netto", "DSCR net", "factor",
            f"=IF([jr_schuldendienst]=0,0,{{{g}_ncf}}/[jr_schuldendienst])",
            flag_below="dscr_min_netto"),
        Row(f"{g}_kas", "Kas einde jaar", "Cash end of year", "eur",
            f"={{{g}_kas@prev}}+{{{g}_ncf}}-[jr_schuldendienst]-[jr_schuldendienst_achtergesteld]",
            start="=buffer"),
    )


def _value_row(k: int) -> Row:
    g = f"g_waarde{k}"
    return Row(f"{g}_ltv", f"LTV bij waarde − gevoeligheid ({k})",
               f"LTV at value − sensitivity ({k})", "pct",
               f"=IF([jr_waarde]=0,0,[jr_saldo]/([jr_waarde]*(1-gevoeligheid_waarde_{k})))",
               start=f"=IF(ltv_waarde=0,0,lening/(ltv_waarde*(1-gevoeligheid_waarde_{k})))",
               const=f"=gevoeligheid_waarde_{k}", flag_above="ltv_max")


GEVOELIGHEID: tuple[Block, ...] = (
    _rate_block(1),
    _rate_block(2),
    *(Block(f"Huurderving + gevoeligheid ({k})", f"Rent loss + sensitivity ({k})", (
        Row(f"g_derving{k}_ncf", "Netto cashflow", "Net cash flow", "eur_jaar",
            f"=[jr_netto_cashflow]-[jr_huuropbrengst]*gevoeligheid_derving_{k}",
            const=f"=gevoeligheid_derving_{k}"),
        *_cash_rows(f"g_derving{k}"),
    )) for k in (1, 2)),
    Block("Groot onderhoud + gevoeligheid", "Major maintenance + sensitivity", (
        Row("g_onderhoud_ncf", "Netto cashflow", "Net cash flow", "eur_jaar",
            "=[jr_netto_cashflow]-[jr_groot_onderhoud]*gevoeligheid_onderhoud",
            const="=gevoeligheid_onderhoud"),
        *_cash_rows("g_onderhoud"),
    )),
    Block("Huurstijging − gevoeligheid", "Rent increase − sensitivity", (
        Row("g_huur_huuropbrengst", "Huuropbrengst", "Rental income", "eur_jaar",
            "=MIN([jr_huuropbrengst],IF({jaar}=1,huuropbrengst,{g_huur_huuropbrengst@prev}*(1+MAX("
            "0,MIN(huurindexatie-gevoeligheid_huurstijging,[jr_max_huurstijging])))))",
            const="=gevoeligheid_huurstijging"),
        Row("g_huur_ncf", "Netto cashflow", "Net cash flow", "eur_jaar",
            "=[jr_netto_cashflow]-([jr_huuropbrengst]-{g_huur_huuropbrengst})*(1-huurderving)"),
        *_cash_rows("g_huur"),
    )),
    Block("Waarde − gevoeligheid", "Value − sensitivity", (_value_row(1), _value_row(2))),
    Block("Bankcase: lasten en groot onderhoud ten minste de norm per woning (zelfde lening)",
          "Bank case: costs and major maintenance at least the norm per dwelling (same loan)", (
        Row("g_bank_lasten", "Exploitatielasten (eigen, ten minste de norm, geïndexeerd)",
            "Operating costs (own, at least the norm, indexed)", "eur_jaar",
            "=MAX([jr_exploitatielasten],lasten_norm_totaal*(1+kostenindexatie)^({jaar}-1))",
            const="=lasten_norm_totaal"),
        Row("g_bank_onderhoud", "Groot onderhoud (eigen, ten minste de norm, geïndexeerd)",
            "Major maintenance (own, at least the norm, indexed)", "eur_jaar",
            "=MAX([jr_groot_onderhoud],onderhoud_norm_totaal*(1+kostenindexatie)^({jaar}-1))",
            const="=onderhoud_norm_totaal"),
        Row("g_bank_ncf", "Netto cashflow bij normkosten", "Net cash flow at norm costs",
            "eur_jaar", "=[jr_baten]-{g_bank_lasten}-{g_bank_onderhoud}"),
        Row("g_bank_dscr", "DSCR bank (netto)", "Bank DSCR (net)", "factor",
            "=IF([jr_schuldendienst]=0,0,{g_bank_ncf}/[jr_schuldendienst])",
            total=min_counted("bank_dscr_min"),
            total_name="bank_dscr_min", flag_below="dscr_min_netto"),
        counted("bank_dscr_min", "factor", "{g_bank_dscr}", "[jr_schuldendienst]>0"),
        Row("g_bank_icr", "ICR bank (netto)", "Bank ICR (net)", "factor",
            "=IF([jr_rente]=0,0,{g_bank_ncf}/[jr_rente])",
            total=min_counted("bank_icr_min"), total_name="bank_icr_min",
            flag_below="icr_min_netto"),
        counted("bank_icr_min", "factor", "{g_bank_icr}", "[jr_rente]>0"),
        Row("g_bank_dscr_totaal", "DSCR totaal (alle tranches)", "Total DSCR (all tranches)",
            "factor", "=IF([jr_schuldendienst_alle]=0,0,{g_bank_ncf}/[jr_schuldendienst_alle])",
            total=min_counted("bank_dscr_totaal_min"),
            total_name="bank_dscr_totaal_min", flag_below="dscr_min_totaal"),
        counted("bank_dscr_totaal_min", "factor", "{g_bank_dscr_totaal}",
                "[jr_schuldendienst_alle]>0"),
        Row("g_bank_kas", "Kas einde jaar", "Cash end of year", "eur",
            "={g_bank_kas@prev}+{g_bank_ncf}-[jr_schuldendienst_alle]", start="=buffer",
            total="=MIN({g_bank_kas@start},g_bank_kas)", total_name="bank_kas_min"),
    )),
)

# The sensitivity overview: per variant the weakest DSCR, lowest cash and peak LTV. A metric a
# variant does not move is the base figure itself.
BASE = {"dscr_min": "dscr_min", "kas_min": "kas_min", "ltv_piek": "ltv_piek"}
VARIANTS: tuple[tuple[str, str, str, str | None, tuple[str, str, str]], ...] = (
    ("basis", "Basis", "Base case", None, ("", "", "")),
    *((f"rente{k}", f"Herfinancieringsrente + verschuiving {k} (kolom B)",
       f"Refinancing rate + shift {k} (column B)",
       f"gevoeligheid_rente_{k}", ("dscr", "kas", "ltv")) for k in (1, 2)),
    *((f"derving{k}", f"Huurderving + verschuiving {k} (kolom B)",
       f"Rent loss + shift {k} (column B)", f"gevoeligheid_derving_{k}",
       ("dscr", "kas", "")) for k in (1, 2)),
    ("onderhoud", "Groot onderhoud +", "Major maintenance +", "gevoeligheid_onderhoud",
     ("dscr", "kas", "")),
    ("huur", "Huurstijging −", "Rent increase −", "gevoeligheid_huurstijging",
     ("dscr", "kas", "")),
    *((f"waarde{k}", f"Waarde − verschuiving {k} (kolom B)", f"Value − shift {k} (column B)",
       f"gevoeligheid_waarde_{k}",
       ("", "", "ltv")) for k in (1, 2)),
)



def _variant_debt(key: str) -> str:
    """The debt service a variant's DSCR divides by: its own loan for a rate shift."""
    return f"{{g_{key}_schuldendienst}}" if key.startswith("rente") else "[jr_schuldendienst]"


# The variants' weakest DSCR needs a helper row each (appended after the variant blocks).
GEVOELIGHEID = (*GEVOELIGHEID, Block(HELPERS_NL, HELPERS_EN, tuple(
    counted(f"g_{key}_dscr_min", "factor", f"{{g_{key}_dscr}}", f"{_variant_debt(key)}>0")
    for key, *_rest, moves in VARIANTS if moves[0])))


def variant_formulas(key: str, moves: tuple[str, str, str]) -> dict[str, str]:
    """The three summary formulas of a variant, by metric name."""
    g = f"g_{key}"
    dscr, kas, ltv = moves
    return {
        "dscr_min": min_counted(f"{g}_dscr_min") if dscr else "=dscr_min",
        "kas_min": f"=MIN({{{g}_kas@start}},{g}_kas)" if kas else "=kas_min",
        "ltv_piek": f"=MAX({{{g}_ltv@start}},{g}_ltv)" if ltv else "=ltv_piek",
    }


# Labels of the named weakest-year figures (the row labels describe the yearly ratio).
TOTAL_LABELS = {
    "dscr_min": ("Laagste DSCR (netto)", "Lowest DSCR (net)"),
    "dscr_bruto_min": ("Laagste DSCR (bruto)", "Lowest DSCR (gross)"),
    "icr_min": ("Laagste ICR (netto)", "Lowest ICR (net)"),
    "icr_bruto_min": ("Laagste ICR (bruto)", "Lowest ICR (gross)"),
    "ltv_piek": ("Hoogste LTV", "Peak LTV"),
    "kas_min": ("Laagste kas (met buffer)", "Lowest cash (with buffer)"),
    "dscr_totaal_min": ("Laagste DSCR totaal (alle tranches)", "Lowest total DSCR (all tranches)"),
    "ltv_herfinanciering_max": ("Hoogste LTV bij een herfinanciering",
                                "Highest LTV at a refinancing"),
    "solvabiliteit_min": ("Laagste solvabiliteit", "Lowest solvency"),
    "bank_dscr_min": ("Bankcase: laagste DSCR bank (netto)", "Bank case: lowest bank DSCR (net)"),
    "bank_icr_min": ("Bankcase: laagste ICR bank (netto)", "Bank case: lowest bank ICR (net)"),
    "bank_dscr_totaal_min": ("Bankcase: laagste DSCR totaal", "Bank case: lowest total DSCR"),
    "bank_kas_min": ("Bankcase: laagste kas", "Bank case: lowest cash"),
}

BALANS: tuple[Block, ...] = (
    Block("Activa (marktwaarde)", "Assets (market value)", (
        Row("jr_balans_woningen", "Woningen (waarde voor de bank: verhuurd, anders leeg)",
            "Homes (value for the bank: let, else vacant)", "eur", "=[jr_waarde_bank]",
            start="=bankwaarde"),
        Row("jr_balans_kas", "Kas (start = buffer)", "Cash (start = buffer)", "eur", "=[jr_kas]",
            start="=buffer"),
        Row("jr_balans_activa", "Totaal activa", "Total assets", "eur",
            "={jr_balans_woningen}+{jr_balans_kas}",
            start="={jr_balans_woningen@start}+{jr_balans_kas@start}"),
    )),
    Block("Schulden (in volgorde van rang)", "Debt (by rank)", (
        Row("jr_balans_bank", "Banklening (rang 1)", "Bank loan (rank 1)", "eur", "=[jr_saldo]",
            start="=lening"),
        Row("jr_balans_achtergesteld", "Achtergestelde tranches (rang 2-4)",
            "Subordinated tranches (ranks 2-4)", "eur", "=[jr_saldo_achtergesteld]",
            start="=achtergestelde_lening+fondslening+bron_ledenlening"),
        Row("jr_balans_vordering", "Vordering corporatie (korting, rente bijgeschreven; "
            "vervalt na de termijn)", "Corporation's claim (discount, interest accrued; lapses "
            "after the term)", "eur",
            "=IF({jaar}<=vordering_looptijd,vordering_corporatie*(1+vordering_rente)^{jaar},0)",
            start="=vordering_corporatie", const="=vordering_looptijd"),
        Row("jr_balans_schulden", "Totaal schulden en vordering", "Total debt and claim", "eur",
            "={jr_balans_bank}+{jr_balans_achtergesteld}+{jr_balans_vordering}",
            start="={jr_balans_bank@start}+{jr_balans_achtergesteld@start}"
            "+{jr_balans_vordering@start}", start_name="schuld_totaal_start"),
    )),
    Block("Eigen vermogen en solvabiliteit", "Equity and solvency", (
        Row("jr_balans_eigen_vermogen", "Eigen vermogen (activa − schulden)",
            "Equity (assets − debt)", "eur", "={jr_balans_activa}-{jr_balans_schulden}",
            start="={jr_balans_activa@start}-{jr_balans_schulden@start}"),
        Row("jr_balans_ledenkapitaal", "waarvan ledenkapitaal (eigen inbreng)",
            "of which member capital (own equity)", "eur", "=eigen_inbreng",
            start="=eigen_inbreng"),
        Row("jr_balans_overig_ev", "waarvan overig (waardeverschil en resultaat)",
            "of which other (value difference and result)", "eur",
            "={jr_balans_eigen_vermogen}-{jr_balans_ledenkapitaal}",
            start="={jr_balans_eigen_vermogen@start}-{jr_balans_ledenkapitaal@start}"),
        Row("jr_solvabiliteit", "Solvabiliteit (eigen vermogen / activa)",
            "Solvency (equity / assets)", "pct",
            "=IF({jr_balans_activa}=0,0,{jr_balans_eigen_vermogen}/{jr_balans_activa})",
            start="=IF({jr_balans_activa@start}=0,0,{jr_balans_eigen_vermogen@start}"
            "/{jr_balans_activa@start})", start_name="solvabiliteit_start",
            total="=MIN({jr_solvabiliteit@start},jr_solvabiliteit)",
            total_name="solvabiliteit_min"),
    )),
)

TIMELINE_SHEETS = {"exploitatie": EXPLOITATIE, "lening": LENING, "gevoeligheid": GEVOELIGHEID,
                   "balans": BALANS}

_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)(@prev|@start|@const)?\}|\[([a-z0-9_]+)\]"
                          r"|\{([a-z0-9_]+)\.\.([a-z0-9_]+)\}")


def render(template: str, col: int, row_of: dict[str, int], col_letter) -> str:
    """A row template as the formula of one column (see the module docstring)."""
    letter = col_letter(col)

    def sub(m: re.Match[str]) -> str:
        name, mod, other = m.group(1), m.group(2), m.group(3)
        if m.group(4):  # {first..last}: this year's cells from one row to another
            return f"{letter}{row_of[m.group(4)]}:{letter}{row_of[m.group(5)]}"
        if mod == "@const":
            return f"${col_letter(CONST_COL)}{row_of[name]}"
        if other:
            return f"INDEX({other},1,{letter}${HEADER_ROW})"
        if name == "jaar":
            return f"{letter}${HEADER_ROW}"
        target = {None: col, "@prev": col - 1, "@start": START_COL}[mod]
        return f"{col_letter(target)}{row_of[name]}"

    return _PLACEHOLDER.sub(sub, template)
