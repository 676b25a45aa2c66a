"""The per-dwelling table of the Huur (Rent) sheet: one row per row of the dwellings table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xlcoop.inputs import DWELLING_ROWS
from xlcoop.layout import (
    DWELLING_TABLE,
    DWELLING_TABLE_COLS,
    NR_COL,
    formula_cells,
    get_column_letter,
)
from xlcoop.workbook import styles as st
from xlcoop.workbook.texts import t

if TYPE_CHECKING:
    from xlcoop.workbook.writer import Writer

MAX_RENT_COLUMNS = ("huur_tabel_huurprijscheck", "huur_max_wws", "huur_boven_wws",
                    "huur_boven_middengrens")


def write_dwelling_table(w: Writer) -> None:
    ws, lang = w.ws["huur"], w.lang
    rows = w.lay.extra_rows["huur"]
    formulas = formula_cells()
    last = NR_COL + len(DWELLING_TABLE)
    w.section(ws, rows["dwellings_title"], t("rent_per_dwelling", lang), last)
    header = rows["dwellings_header"]
    w.put(ws, header, NR_COL, t("row_nr", lang), font=st.HEADER_FONT, fill=st.HEADER_FILL)
    for item in DWELLING_TABLE:
        col = DWELLING_TABLE_COLS[item.name]
        w.put(ws, header, col, f"{w.label(item)}\n{item.name}", font=st.HEADER_FONT,
              fill=st.HEADER_FILL, alignment=st.WRAP)
        fmt = st.MAX_RENT_FORMAT if item.name in MAX_RENT_COLUMNS \
            else st.NUMBER_FORMATS[item.unit]
        for row in range(rows["dwellings_first"], rows["dwellings_first"] + DWELLING_ROWS):
            w.value_cell(ws, row, col, item.kind, item.unit, formulas[("huur", row, col)], fmt)
        w.define(item.name)
    for k in range(DWELLING_ROWS):
        w.put(ws, rows["dwellings_first"] + k, NR_COL, k + 1, font=st.LABEL_FONT)
    ws.row_dimensions[header].height = 58
    note_row = rows["dwellings_first"] + DWELLING_ROWS
    w.put(ws, note_row, 1, t("rent_table_note", lang), font=st.NOTE_FONT)
    for col in range(NR_COL + 1, last + 1):
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, 14)
    w.print_setup(ws, get_column_letter(last), landscape=True)  # the table is printed too
