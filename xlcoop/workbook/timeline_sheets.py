"""Write the timeline sheets (Exploitatie, Lening, Gevoeligheid) from the registry."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from openpyxl.formatting.rule import CellIsRule
from openpyxl.worksheet.worksheet import Worksheet

from xlcoop.layout import (
    BREAK_EVENS,
    CALC,
    LINK,
    METRIC_UNITS,
    OUTPUT,
    VALUE_COL,
    YEAR_NAMES,
    all_items,
    formula_cells,
    get_column_letter,
)
from xlcoop.timeline import (
    CALENDAR_ROW,
    CONST_COL,
    FIRST_YEAR_COL,
    HEADER_ROW,
    LAST_YEAR_COL,
    START_COL,
    TOTAL_COL,
    YEARS,
)
from xlcoop.workbook import styles as st
from xlcoop.workbook.norm_display import ABOVE, BELOW, flag_against_norm, not_applicable
from xlcoop.workbook.texts import HEADERS, t

if TYPE_CHECKING:
    from xlcoop.workbook.writer import Writer

FIRST, LAST = get_column_letter(FIRST_YEAR_COL), get_column_letter(LAST_YEAR_COL)


def write_timeline(w: Writer, key: str) -> Worksheet:
    ws = w.ws[key]
    lay, lang = w.lay, w.lang
    formulas = formula_cells()
    w.put(ws, 1, 1, w.titles[key], font=st.TITLE)
    w.put(ws, 2, 1, t(f"{key}_subtitle", lang), font=st.SUBTITLE)
    lines = [line for _, line in lay.timeline_rows[key]]
    if any(line.flag_below or line.flag_above for line in lines):
        note = t("rounding_note", lang)  # the display rule, once on every sheet that applies it
        if any(line.applies_if for line in lines):
            note += t("not_applicable_note", lang)
        w.put(ws, 3, 1, note, font=st.NOTE_FONT)
    for col, text in enumerate(HEADERS["timeline"][lang], start=1):
        w.put(ws, HEADER_ROW, col, text, font=st.HEADER_FONT, fill=st.HEADER_FILL)
    for year in range(1, YEARS + 1):
        w.put(ws, HEADER_ROW, FIRST_YEAR_COL + year - 1, year, font=st.HEADER_FONT,
              fill=st.HEADER_FILL)
    w.put(ws, CALENDAR_ROW, 1, t("calendar_year", lang), font=st.BOLD_FONT)
    if key == "exploitatie":  # the one named header and calendar row (see layout.YEAR_NAMES)
        for name in YEAR_NAMES:
            w.define(name)
    for col in range(FIRST_YEAR_COL, LAST_YEAR_COL + 1):
        w.put(ws, CALENDAR_ROW, col, formulas[(key, CALENDAR_ROW, col)], font=st.BOLD_FONT,
              fmt="0")
    widths = {1: 46, 2: 11, 3: 13, 4: 14, 5: 12}
    for col in range(1, LAST_YEAR_COL + 2):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(col, 11.5)
    for row, block in lay.block_rows[key]:
        w.section(ws, row, block.title_en if lang == "en" else block.title_nl, LAST_YEAR_COL + 1)
    for row, line in lay.timeline_rows[key]:
        w.put(ws, row, 1, line.label_en if lang == "en" else line.label_nl, font=st.LABEL_FONT)
        w.put(ws, row, 2, st.unit_label(line.unit, lang), font=st.LABEL_FONT)
        fmt = line.number_format or _unit_format(line.unit)
        for col in range(START_COL, LAST_YEAR_COL + 1):
            formula = formulas.get((key, row, col))
            if formula is not None:
                w.value_cell(ws, row, col, CALC, line.unit, formula, fmt)
        if isinstance(line.const, int):  # a dwelling's row number in the dwellings table
            w.put(ws, row, CONST_COL, line.const, font=st.LABEL_FONT)
        elif line.const:
            const_fmt = _const_format(line.const, fmt)
            w.value_cell(ws, row, CONST_COL, LINK, line.unit, line.const, const_fmt)
        if line.total:
            kind = OUTPUT if line.total_name else CALC
            w.value_cell(ws, row, TOTAL_COL, kind, line.unit, formulas[(key, row, TOTAL_COL)],
                         fmt)
        names = [line.name] if line.defined else []
        if line.total_defined_name:
            names.append(line.total_defined_name)
            w.define(line.total_defined_name)
        if line.defined:
            w.define(line.name)
        if line.start_name:
            names.append(line.start_name)
            w.define(line.start_name)
        w.put(ws, row, LAST_YEAR_COL + 1, ", ".join(names), font=st.NAME_FONT)
        for norm, fails in ((line.flag_below, BELOW), (line.flag_above, ABOVE)):
            if norm:  # the years, and the opening and the weakest/peak figure where shown
                refs = [f"{FIRST}{row}:{LAST}{row}"]
                if line.start:
                    refs.append(f"{get_column_letter(START_COL)}{row}")
                if line.total and line.total != "sum":
                    refs.append(f"{get_column_letter(TOTAL_COL)}{row}")
                for ref in refs:
                    flag_against_norm(ws, ref, fmt, norm, fails, green=True)
        if line.applies_if:
            not_applicable(ws, f"{get_column_letter(START_COL)}{row}:{LAST}{row}",
                           line.applies_if, lang)
    ws.freeze_panes = ws.cell(row=CALENDAR_ROW + 1, column=FIRST_YEAR_COL)
    return ws


@cache
def _units() -> dict[str, str]:
    return {i.name: i.unit for i in all_items()}


def _const_format(formula: str, row_format: str) -> str:
    """A constant-column link shows in its source's unit: a rate next to a euro row
    (indexation, shifts), a term in years next to a percentage row (refinancing dates)."""
    unit = _units().get(formula.lstrip("="))
    return row_format if unit is None else _unit_format(unit)


def _unit_format(unit: str) -> str:
    """A timeline cell's number format for its unit (money without cents there)."""
    return st.TIMELINE_FORMATS.get(unit) or st.NUMBER_FORMATS[unit]


def write_overview(w: Writer) -> None:
    """The sensitivity overview on top of the Gevoeligheid sheet, and the break-evens."""
    ws, lang, lay = w.ws["gevoeligheid"], w.lang, w.lay
    formulas = formula_cells()
    rows = lay.extra_rows["gevoeligheid"]
    w.section(ws, rows["overview"], t("overview", lang), 6)
    for col, text in enumerate(HEADERS["overview"][lang], start=1):
        w.put(ws, rows["overview_header"], col, text, font=st.BOLD_FONT)
    for row, (key, nl, en, shift, items) in lay.variant_rows:
        w.put(ws, row, 1, en if lang == "en" else nl, font=st.LABEL_FONT)
        if shift:
            w.value_cell(ws, row, 2, LINK, "pct", formulas[("gevoeligheid", row, 2)])
        for col, item in enumerate(items, start=VALUE_COL):
            metric = item.name.removeprefix(f"g_{key}_")
            w.value_cell(ws, row, col, OUTPUT, METRIC_UNITS[metric],
                         formulas[("gevoeligheid", row, col)])
            w.define(item.name)
        flag_against_norm(ws, f"C{row}", st.NUMBER_FORMATS[METRIC_UNITS["dscr_min"]],
                          "dscr_min_netto", BELOW)
        ws.conditional_formatting.add(f"D{row}", CellIsRule(operator="lessThan", formula=["0"],
                                                            fill=st.RED, font=st.RED_FONT))
        flag_against_norm(ws, f"E{row}", st.NUMBER_FORMATS[METRIC_UNITS["ltv_piek"]],
                          "ltv_max", ABOVE)
        w.put(ws, row, 6, ", ".join(i.name for i in items), font=st.NAME_FONT)
    start = rows["break_evens"]
    w.section(ws, start, t("break_evens", lang), 6)
    for offset, item in enumerate(BREAK_EVENS, start=1):
        w.put(ws, start + offset, 1, w.label(item), font=st.LABEL_FONT)
        w.put(ws, start + offset, 2, st.unit_label(item.unit, lang), font=st.LABEL_FONT)
        w.value_cell(ws, start + offset, VALUE_COL, OUTPUT, item.unit,
                     formulas[("gevoeligheid", start + offset, VALUE_COL)])
        w.put(ws, start + offset, 6, item.name, font=st.NAME_FONT)
        w.put(ws, start + offset, 7, w.note(item), font=st.NOTE_FONT)
        w.define(item.name)


def timeline_print_setup(w: Writer, ws: Worksheet) -> None:
    w.print_setup(ws, get_column_letter(LAST_YEAR_COL), landscape=True)
    ws.page_setup.fitToWidth = 2
    ws.print_title_cols = "A:E"
    ws.print_title_rows = f"{HEADER_ROW}:{CALENDAR_ROW}"
