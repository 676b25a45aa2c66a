"""Native Excel charts for the bank: cash flow against debt service, loan balance and LTV, DSCR
against its norm. They read the timeline rows, so they follow every change in the inputs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.data_source import NumData
from openpyxl.worksheet.worksheet import Worksheet

from xlcoop.timeline import CALENDAR_ROW, FIRST_YEAR_COL, LAST_YEAR_COL
from xlcoop.workbook.texts import t

if TYPE_CHECKING:
    from xlcoop.workbook.writer import Writer

WIDTH_CM, HEIGHT_CM = 17.0, 7.2


def _cache(name: str, fmt: str = "General") -> NumData:
    """A placeholder for a chart's copy of its data (the series ``name`` of the reference
    model), filled per scenario, so previews and Protected View draw the curves."""
    return NumData(formatCode=f"@@{name}|{fmt}@@")


def _series(w: Writer, name: str, title: str) -> Series:
    sheet, _c1, row, _c2, _r2 = w.lay.ranges[name]
    ref = Reference(w.ws[sheet], min_col=FIRST_YEAR_COL, max_col=LAST_YEAR_COL, min_row=row,
                    max_row=row)
    series = Series(ref, title=title)
    series.val.numRef.numCache = _cache(name)
    return series


def _years(w: Writer) -> Reference:
    return Reference(w.ws["exploitatie"], min_col=FIRST_YEAR_COL, max_col=LAST_YEAR_COL,
                     min_row=CALENDAR_ROW, max_row=CALENDAR_ROW)


def _set_years(w: Writer, chart: BarChart | LineChart) -> None:
    chart.set_categories(_years(w))
    for series in chart.series:
        series.cat.numRef.numCache = _cache("jr_kalenderjaar", "0")


def _style(chart: BarChart | LineChart, title: str, y_title: str, fmt: str) -> None:
    chart.title = title
    chart.y_axis.title = y_title
    chart.y_axis.numFmt = fmt
    chart.y_axis.majorGridlines = None
    chart.x_axis.number_format = "0"
    chart.width, chart.height = WIDTH_CM, HEIGHT_CM
    chart.legend.position = "b"
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def cash_flow_chart(w: Writer) -> BarChart:
    lang = w.lang
    bar = BarChart()
    bar.series.append(_series(w, "jr_netto_cashflow", t("chart_ncf", lang)))
    _set_years(w, bar)
    line = LineChart()
    line.series.append(_series(w, "jr_schuldendienst", t("chart_debt_service", lang)))
    line.series.append(_series(w, "jr_schuldendienst_achtergesteld",
                               t("chart_debt_service2", lang)))
    line.series.append(_series(w, "jr_schuldendienst_alle", t("chart_debt_service_all", lang)))
    _set_years(w, line)
    _style(bar, t("chart_title_cash", lang), "€", "#,##0")
    bar += line
    return bar


def balance_chart(w: Writer) -> BarChart:
    lang = w.lang
    bar = BarChart()
    bar.series.append(_series(w, "jr_saldo", t("chart_balance", lang)))
    _set_years(w, bar)
    _style(bar, t("chart_title_balance", lang), "€", "#,##0")
    line = LineChart()
    line.series.append(_series(w, "jr_ltv", "LTV"))
    line.y_axis.axId = 200
    line.y_axis.title = "LTV"
    line.y_axis.numFmt = "0%"
    line.y_axis.majorGridlines = None
    line.y_axis.crosses = "max"
    line.y_axis.delete = False
    bar += line
    return bar


def dscr_chart(w: Writer) -> LineChart:
    lang = w.lang
    line = LineChart()
    line.series.append(_series(w, "jr_dscr", t("chart_dscr", lang)))
    line.series.append(_series(w, "jr_dscr_totaal", t("chart_dscr_total", lang)))
    line.series.append(_series(w, "jr_dscr_norm", t("chart_dscr_norm", lang)))
    _set_years(w, line)
    _style(line, t("chart_title_dscr", lang), "DSCR", "0.00")
    return line


def add_summary_charts(w: Writer, ws: Worksheet, anchor_col: str, first_row: int) -> None:
    for offset, make in enumerate((cash_flow_chart, balance_chart, dscr_chart)):
        ws.add_chart(make(w), f"{anchor_col}{first_row + offset * 15}")
