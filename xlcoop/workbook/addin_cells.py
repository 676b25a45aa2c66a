"""The add-in's cells on the Controles sheet: labelled, unlocked, blank, named.

Only the add-in writes here (xlcoop.addin.owned defines them; the registry places them). They
are unlocked because Excel cannot write a locked cell on a protected sheet, and blank in a
fresh workbook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xlcoop.workbook import styles as st
from xlcoop.workbook.texts import t

if TYPE_CHECKING:
    from xlcoop.workbook.writer import Writer


def write_addin_cells(w: Writer) -> None:
    from xlcoop.addin import owned

    ws, lang, marks = w.ws["controles"], w.lang, w.lay.extra_rows["controles"]
    w.section(ws, marks["addin"], t("addin_section", lang), 7)
    w.put(ws, marks["addin"], 7, t("addin_note", lang), font=st.NOTE_FONT, fill=st.SECTION_FILL)

    def blank(name: str, unit: str) -> None:
        _, row, col = w.lay.cells[name]
        w.put(ws, row, col, None, font=st.OUTPUT_FONT, fill=st.ADDIN_FILL,
              fmt=st.NUMBER_FORMATS[unit], locked=False, border=st.BOX)
        w.define(name)

    for cell in (owned.STATUS, owned.ERRORS, owned.WARNINGS):
        _, row, _ = w.lay.cells[cell.name]
        w.put(ws, row, 1, cell.label(lang), font=st.LABEL_FONT)
        w.put(ws, row, 6, cell.name, font=st.NAME_FONT)
        blank(cell.name, cell.unit)
    header = marks["addin_solvers"]
    for col, key in ((1, "addin_solver"), (3, "addin_value"), (4, "addin_limit"),
                     (5, "addin_price"), (6, "addin_names")):
        w.put(ws, header, col, t(key, lang), font=st.BOLD_FONT)
    for target in owned.TARGETS.values():
        cells = owned.solution_cells(target)
        _, row, _ = w.lay.cells[cells[0].name]
        w.put(ws, row, 1, target.label(lang), font=st.LABEL_FONT)
        w.put(ws, row, 6, cells[0].name, font=st.NAME_FONT)
        for cell in cells:
            blank(cell.name, cell.unit)
    spec = owned.FINDINGS
    head = marks["addin_findings"]
    for col, (nl, en) in enumerate(owned.FINDINGS_COLUMNS, start=1):
        w.put(ws, head, col, en if lang == "en" else nl, font=st.HEADER_FONT,
              fill=st.HEADER_FILL)
    w.put(ws, head, spec.cols + 1, spec.name, font=st.NAME_FONT)
    _, c1, r1, c2, r2 = w.lay.ranges[spec.name]
    for row in range(r1, r2 + 1):
        for col in range(c1, c2 + 1):
            w.put(ws, row, col, None, font=st.LABEL_FONT, fill=st.ADDIN_FILL, locked=False)
    w.define(spec.name)
