"""Write the standard business-case workbook: every result a live formula, from the registry."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from copy import copy
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles.cell_style import StyleArray
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from xlcoop.cached_values import cached_values, model_results
from xlcoop.inputs import DWELLING_COLUMNS, DWELLING_ROWS, INPUT_BY_NAME, INPUTS
from xlcoop.layout import (
    CHECK,
    CHECK_NORM_COL,
    CHECK_VALUE_COL,
    COVER_FIGURES,
    COVER_LINKS,
    COVER_OBJECTIONS,
    ERROR,
    FIRST_ROW,
    INPUT,
    LETTER_FIGURES,
    LINK,
    NORM_COLS,
    NORM_OVERRIDE_SUFFIX,
    NORM_STANDARD_SUFFIX,
    OBJECTION,
    OUTPUT,
    SERIES,
    SHEETS,
    TEMPLATE_VERSION,
    VALUE_COL,
    Item,
    all_items,
    get_column_letter,
    layout,
    norm_standard_formula,
    norm_used_formula,
)
from xlcoop.norms import NORMS, TABLES
from xlcoop.objections import OBJECTION_NAMES
from xlcoop.scenario import Scenario
from xlcoop.workbook import styles as st
from xlcoop.workbook.addin_cells import write_addin_cells
from xlcoop.workbook.charts import add_summary_charts
from xlcoop.workbook.fingerprint import formula_fingerprint
from xlcoop.workbook.norm_display import flag_against_norm
from xlcoop.workbook.rent_sheet import write_dwelling_table
from xlcoop.workbook.sheetdata import (
    Dynamic,
    Grid,
    Piece,
    compile_rows,
    number_text,
    render_rows,
)
from xlcoop.workbook.texts import COVER_TEXT, HEADERS, t
from xlcoop.workbook.timeline_sheets import timeline_print_setup, write_overview, write_timeline

FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)
ITEMS = {item.name: item for item in all_items()}


def _units() -> dict[str, str]:
    units = {name: item.unit for name, item in ITEMS.items()}
    units.update({spec.name: spec.unit for spec in INPUTS})
    return units


UNITS = _units()


class InputSource:
    """The values of the input cells: the scenario's, or the template's defaults. One place
    for what an input cell holds; the compiled sheets ask it per cell (see Dynamic)."""

    def __init__(self, scenario: Scenario | None) -> None:
        self.scenario = scenario

    def input(self, name: str) -> object:
        if self.scenario is not None:
            return self.scenario.inputs.get(name)
        spec = INPUT_BY_NAME[name]
        return spec.default if spec.default not in ("",) else None

    def series(self, name: str, k: int) -> object:
        values = list(self.input(name) or ())  # type: ignore[call-overload]
        return values[k] if k < len(values) else None

    def dwelling(self, i: int, key: str) -> object:
        data = self.scenario.dwellings if self.scenario is not None else []
        value = data[i].get(key) if i < len(data) else None
        return value if value != "" else None

    def norm(self, name: str) -> object:
        return self.scenario.norms.get(name) if self.scenario is not None else None


class _Recorder:
    """Stands in for an InputSource while the sheets are laid out: each input cell records
    which value it shows, and gets it from the real source when a workbook is written."""

    def __getattr__(self, kind: str):
        return lambda *args: Dynamic(kind, args)


class Writer:
    """Lays out the standard workbook (cells, styles, names, validations, charts) once per
    language; input cells and formula values are filled per scenario (see workbook_bytes)."""

    def __init__(self, lang: str) -> None:
        self.source = _Recorder()
        self.lang = lang
        self.lay = layout()
        self.wb = Workbook()
        self.titles = {s.key: s.title(lang) for s in SHEETS}
        self.ws: dict[str, Worksheet] = {}
        self._styles: dict[tuple, int] = {}
        self.grids: dict[Worksheet, Grid] = {}
        first = self.wb.active
        for i, sheet in enumerate(SHEETS):
            ws = first if i == 0 else self.wb.create_sheet()
            ws.title = self.titles[sheet.key]
            self.ws[sheet.key] = ws
            self.grids[ws] = Grid()
        self._scratch = Cell(first)

    # -- helpers ---------------------------------------------------------------------------
    def label(self, item: Item) -> str:
        return item.label_en if self.lang == "en" else item.label_nl

    def note(self, item: Item) -> str:
        return item.note_en if self.lang == "en" else item.note_nl

    def put(self, ws: Worksheet, row: int, col: int, value: object, *, font=None, fill=None,
            fmt: str | None = None, locked: bool = True, border=None, alignment=None,
            text: bool = False) -> None:
        """Write a cell into the sheet's grid (serialised by xlcoop.workbook.sheetdata). A
        string starting with '=' is a formula unless ``text`` says it is the user's text."""
        key = (id(font), id(fill), fmt, locked, id(border), id(alignment))
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = self._style_id(font, fill, fmt, locked, border,
                                                       alignment)
        formula = isinstance(value, str) and value.startswith("=") and not text
        self.grids[ws].put(row, col, value, style, formula)

    def _style_id(self, font, fill, fmt, locked, border, alignment) -> int:
        """Register a style combination with the workbook once (openpyxl's style setters hash
        every style object and dominated generation time when run per cell)."""
        cell = self._scratch
        cell._style = StyleArray()
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if fmt is not None:
            cell.number_format = fmt
        if not locked:
            cell.protection = st.UNLOCKED
        if border is not None:
            cell.border = border
        if alignment is not None:
            cell.alignment = alignment
        return self.wb._cell_styles.add(copy(cell._style))

    def value_cell(self, ws: Worksheet, row: int, col: int, item_kind: str, unit: str,
                   value: object, fmt: str | None = None) -> None:
        fmt = fmt or st.NUMBER_FORMATS[unit]
        if item_kind == INPUT:
            # user text stays text: never a formula (injection)
            self.put(ws, row, col, value, font=st.INPUT_FONT, fill=st.INPUT_FILL, fmt=fmt,
                     locked=False, border=st.BOX, text=True)
            return
        font = {OUTPUT: st.OUTPUT_FONT, LINK: st.LINK_FONT}.get(item_kind, st.CALC_FONT)
        self.put(ws, row, col, value, font=font, fmt=fmt, border=st.BOX)

    def head(self, key: str, subtitle: str, headers: list[str], widths: list[float]) -> Worksheet:
        ws = self.ws[key]
        self.put(ws, 1, 1, self.titles[key], font=st.TITLE)
        self.put(ws, 2, 1, subtitle, font=st.SUBTITLE)
        for col, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
            self.put(ws, 4, col, text, font=st.HEADER_FONT, fill=st.HEADER_FILL)
            ws.column_dimensions[chr(64 + col)].width = width
        ws.freeze_panes = "A5"
        return ws

    def section(self, ws: Worksheet, row: int, title: str, ncols: int) -> None:
        for col in range(1, ncols + 1):
            self.put(ws, row, col, title if col == 1 else None, font=st.SECTION_FONT,
                     fill=st.SECTION_FILL)

    def validation(self, ws: Worksheet, ref: str, unit: str, kind: str,
                   choices: tuple[str, ...] = (), lo: float | None = None,
                   hi: float | None = None) -> None:
        if kind == "text":
            return
        if kind == "choice":
            dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"',
                                allow_blank=True)
            msg = t("dv_choice", self.lang) + ", ".join(choices)
        else:
            lo = 0.0 if lo is None else lo
            dv_type = {"integer": "whole", "date": "date"}.get(kind, "decimal")
            if hi is None:
                dv = DataValidation(type=dv_type, operator="greaterThanOrEqual",
                                    formula1=str(lo), allow_blank=True)
                msg = t("dv_min", self.lang).format(lo=f"{lo:g}")
            else:
                dv = DataValidation(type=dv_type, operator="between", formula1=str(lo),
                                    formula2=str(hi), allow_blank=True)
                msg = t("dv_between", self.lang).format(lo=f"{lo:g}", hi=f"{hi:g}")
            if unit == "pct":
                msg += t("dv_pct", self.lang)
        dv.error = msg
        dv.errorTitle = t("dv_title", self.lang)
        dv.prompt = msg
        dv.showErrorMessage = True
        dv.showInputMessage = True  # Excel shows the prompt only with this flag set
        dv.add(ref)
        ws.add_data_validation(dv)

    def define(self, name: str) -> None:
        self.wb.defined_names[name] = DefinedName(name, attr_text=self.lay.ref(name,
                                                                               self.titles))

    def print_setup(self, ws: Worksheet, last_col: str, landscape: bool = False) -> None:
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_area = f"A1:{last_col}{self.grids[ws].max_row}"
        ws.print_options.gridLines = False
        ws.oddFooter.center.text = "&A — &P / &N"
        ws.protection.sheet = True

    # -- sheets ------------------------------------------------------------------------------
    def item_rows(self, key: str, ncols: int, name_col: int, note_col: int) -> Worksheet:
        """Sections of label | unit | value rows (input, calc and check sheets)."""
        ws = self.ws[key]
        for row, section in self.lay.section_rows[key]:
            self.section(ws, row, section.title_en if self.lang == "en" else section.title_nl,
                         ncols)
        for row, item in self.lay.item_rows[key]:
            self.put(ws, row, 1, self.label(item), font=st.LABEL_FONT)
            if item.kind in (CHECK, OBJECTION):
                self.check_row(ws, row, item)
            elif item.name in SERIES:
                self.series_cells(ws, row, item)
            else:
                self.put(ws, row, 2, st.unit_label(item.unit, self.lang), font=st.LABEL_FONT)
                value = self.source.input(item.name) if item.kind == INPUT else item.formula
                self.value_cell(ws, row, VALUE_COL, item.kind, item.unit, value,
                                item.number_format or self.link_format(item))
                if item.unit == "bool":
                    name = item.name.split(".")[-1]
                    self.check_colours(ws, f"C{row}", name in OBJECTION_NAMES
                                       or name.startswith("bank_bezwaar_"))
            if item.defined and name_col:
                self.put(ws, row, name_col, item.name, font=st.NAME_FONT)
            if item.defined:
                self.define(item.name)
            note = self.note(item)
            if note and note_col:
                self.put(ws, row, note_col, note, font=st.NOTE_FONT)
        return ws

    def cover(self) -> None:
        ws = self.ws["voorblad"]
        rows = self.lay.extra_rows["voorblad"]
        ws.column_dimensions["A"].width = 44
        ws.column_dimensions["B"].width = 10
        ws.column_dimensions["C"].width = 22
        ws.column_dimensions["D"].width = 60
        self.put(ws, 1, 1, t("cover_title", self.lang), font=st.TITLE)
        self.put(ws, 2, 1, t("cover_subtitle", self.lang), font=st.SUBTITLE)
        for marker, formula, _source in COVER_LINKS:
            row = rows[marker]
            self.put(ws, row, 1, t(marker, self.lang), font=st.BOLD_FONT)
            self.value_cell(ws, row, VALUE_COL, OUTPUT, "tekst" if marker == "project"
                            else "aantal", formula, "General")
        self.check_colours(ws, f"C{rows['status']}")
        self.check_colours(ws, f"C{rows['verdict']}")
        self.section(ws, rows["objection_list"], t("objection_list", self.lang), 4)
        for offset, name in enumerate(COVER_OBJECTIONS, start=1):
            row = rows["objection_list"] + offset
            self.put(ws, row, 1, self.label(ITEMS[name]), font=st.LABEL_FONT)
            self.value_cell(ws, row, VALUE_COL, OUTPUT, "bool", f"={name}")
            self.check_colours(ws, f"C{row}", objection=True)
            self.put(ws, row, 4, name, font=st.NAME_FONT)
        for marker, name in (("version", "template_versie"),
                             ("fingerprint", "template_vingerafdruk")):
            self.put(ws, rows[marker], 1, self.label(ITEMS[name]), font=st.LABEL_FONT)
            value = TEMPLATE_VERSION if marker == "version" else formula_fingerprint()
            self.put(ws, rows[marker], VALUE_COL, value, font=st.NAME_FONT)
            self.put(ws, rows[marker], 4, name, font=st.NAME_FONT)
            self.define(name)
        self.section(ws, rows["figures"], t("key_figures", self.lang), 4)
        for offset, name in enumerate(COVER_FIGURES, start=1):
            item = ITEMS[name]
            self.put(ws, rows["figures"] + offset, 1, self.label(item), font=st.LABEL_FONT)
            self.put(ws, rows["figures"] + offset, 2, st.unit_label(item.unit, self.lang),
                     font=st.LABEL_FONT)
            self.value_cell(ws, rows["figures"] + offset, VALUE_COL, OUTPUT, item.unit,
                            f"={name}", item.number_format)
        self.colour_key(ws, rows["key"])
        self.section(ws, rows["instructions"], t("instructions", self.lang), 4)
        for offset, line in enumerate(COVER_TEXT[self.lang], start=1):
            self.put(ws, rows["instructions"] + offset, 1, line, font=st.LABEL_FONT)
        self.print_setup(ws, "D")

    def colour_key(self, ws: Worksheet, row: int) -> None:
        self.section(ws, row, t("colour_key", self.lang), 4)
        samples = (
            ("key_input", st.INPUT_FONT, st.INPUT_FILL),
            ("key_norm", st.CALC_FONT, st.NORM_STD_FILL),
            ("key_formula", st.CALC_FONT, None),
            ("key_output", st.OUTPUT_FONT, None),
            ("key_addin", st.OUTPUT_FONT, st.ADDIN_FILL),
            ("key_ok", st.GREEN_FONT, st.GREEN),
            ("key_fail", st.RED_FONT, st.RED),
        )
        for offset, (key, font, fill) in enumerate(samples, start=1):
            text, explain = t(key, self.lang).split("|")
            self.put(ws, row + offset, VALUE_COL, text, font=font, fill=fill, border=st.BOX)
            self.put(ws, row + offset, 1, explain, font=st.LABEL_FONT)

    def inputs(self) -> None:
        h = HEADERS["invoer"][self.lang]
        ws = self.head("invoer", t("inputs_subtitle", self.lang), h, [46, 11, 18, 26, 60])
        self.item_rows("invoer", 5, 4, 5)
        for row, item in self.lay.item_rows["invoer"]:
            spec = INPUT_BY_NAME[item.name]
            ref = f"C{row}:C{row + spec.length - 1}" if spec.kind == "series" else f"C{row}"
            kind = "number" if spec.kind == "series" else spec.kind
            self.validation(ws, ref, spec.unit, kind, spec.choices, spec.minimum, spec.maximum)
        self.dwellings(ws)
        self.print_setup(ws, chr(64 + max(6, len(DWELLING_COLUMNS))), landscape=True)

    def dwellings(self, ws: Worksheet) -> None:
        rows = self.lay.extra_rows["invoer"]
        self.section(ws, rows["dwellings_title"], t("dwellings", self.lang),
                     len(DWELLING_COLUMNS))
        first = rows["dwellings_first"]
        for col, spec in enumerate(DWELLING_COLUMNS, start=1):
            label = spec.label_en if self.lang == "en" else spec.label_nl
            unit = st.unit_label(spec.unit, self.lang)
            header = label if spec.kind == "text" else f"{label} ({unit})"
            self.put(ws, rows["dwellings_header"], col, header, font=st.HEADER_FONT,
                     fill=st.HEADER_FILL, alignment=st.WRAP)
            for i in range(DWELLING_ROWS):
                self.value_cell(ws, first + i, col, INPUT, spec.unit,
                                self.source.dwelling(i, spec.key))
            letter = chr(64 + col)
            self.validation(ws, f"{letter}{first}:{letter}{first + DWELLING_ROWS - 1}",
                            spec.unit, spec.kind)
            self.define(spec.name)
        for letter in "FGH":
            ws.column_dimensions[letter].width = 16
        ws.row_dimensions[rows["dwellings_header"]].height = 45
        self.put(ws, first + DWELLING_ROWS, 1,
                 ", ".join(spec.name for spec in DWELLING_COLUMNS), font=st.NAME_FONT)

    def norms(self) -> None:
        h = HEADERS["normen"][self.lang]
        ws = self.head("normen", t("norms_subtitle", self.lang), h,
                       [46, 10, 14, 14, 14, 8, 70, 26])
        rows = self.lay.extra_rows["normen"]
        self.section(ws, rows["applied_title"], t("applied_norms", self.lang), 8)
        for norm in NORMS:
            _, row, _ = self.lay.cells[norm.name]
            fmt = st.NUMBER_FORMATS[norm.unit]
            self.put(ws, row, 1, norm.label_en if self.lang == "en" else norm.label_nl,
                     font=st.LABEL_FONT)
            self.put(ws, row, 2, st.unit_label(norm.unit, self.lang), font=st.LABEL_FONT)
            standard = norm_standard_formula(norm.name) or norm.value
            self.put(ws, row, NORM_COLS["standard"], standard, font=st.CALC_FONT,
                     fill=st.NORM_STD_FILL, fmt=fmt, border=st.BOX)
            self.value_cell(ws, row, NORM_COLS["override"], INPUT, norm.unit,
                            self.source.norm(norm.name), fmt)
            self.value_cell(ws, row, NORM_COLS["used"], OUTPUT, norm.unit,
                            norm_used_formula(norm.name), fmt)
            self.validation(ws, f"D{row}", norm.unit, "number", lo=norm.minimum, hi=norm.upper)
            year = norm.year if norm.table is None else t("see_table", self.lang)
            self.put(ws, row, 6, year, font=st.LABEL_FONT)
            self.put(ws, row, 7, norm.source, font=st.NOTE_FONT)
            self.put(ws, row, 8, norm.name, font=st.NAME_FONT)
            for suffix in ("", NORM_STANDARD_SUFFIX, NORM_OVERRIDE_SUFFIX):
                self.define(norm.name + suffix)
        for table in TABLES:
            row = rows[table.name]
            self.section(ws, row, table.label_en if self.lang == "en" else table.label_nl, 8)
            for col, text in enumerate(HEADERS["norm_table"][self.lang], start=1):
                self.put(ws, row + 1, col, text, font=st.BOLD_FONT)
            for offset, entry in enumerate(table.rows, start=2):
                key = entry.key if table.exact else int(entry.key)
                self.put(ws, row + offset, 1, key, font=st.LABEL_FONT)
                self.put(ws, row + offset, 2, st.unit_label(table.unit, self.lang),
                         font=st.LABEL_FONT)
                self.put(ws, row + offset, VALUE_COL, entry.value, font=st.CALC_FONT,
                         fill=st.NORM_STD_FILL, fmt=st.NUMBER_FORMATS[table.unit],
                         border=st.BOX)
                self.put(ws, row + offset, 6, entry.year, font=st.LABEL_FONT)
                self.put(ws, row + offset, 7, entry.source, font=st.NOTE_FONT)
                note = entry.note_en if self.lang == "en" else entry.note_nl
                if note:
                    self.put(ws, row + offset, 8, note, font=st.NOTE_FONT)
            self.define(f"{table.name}_sleutel")
            self.define(f"{table.name}_waarde")
        self.print_setup(ws, "H", landscape=True)

    def calculations(self, key: str, subtitle: str) -> None:
        h = list(HEADERS["financiering"][self.lang])
        widths = [50, 10, 16, 28, 56]
        name_col, note_col = 4, 5
        if key == "programma":  # the letter's rounded figure right beside the exact one
            h.insert(3, t("letter_figure", self.lang))
            widths.insert(3, 20)
            name_col, note_col = 5, 6
        self.head(key, t(subtitle, self.lang), h, widths)
        ws = self.item_rows(key, len(h), name_col, note_col)
        if key == "programma":
            for row, item in self.lay.item_rows[key]:
                figure = LETTER_FIGURES.get(item.name.split(".")[-1])
                if figure is not None:
                    self.put(ws, row, 4, figure, font=st.CALC_FONT, fill=st.NORM_STD_FILL,
                             border=st.BOX, fmt="#,##0")
        self.print_setup(ws, chr(64 + len(h)), landscape=len(h) > 5)

    def check_row(self, ws: Worksheet, row: int, item: Item) -> None:
        objection = item.kind == OBJECTION
        sev = t("sev_objection" if objection else "sev_error" if item.severity == ERROR
                else "sev_warning", self.lang)
        self.put(ws, row, 2, sev, font=st.LABEL_FONT)
        self.value_cell(ws, row, VALUE_COL, OUTPUT, "bool", item.formula)
        self.check_colours(ws, f"C{row}", objection)
        for col, ref in ((CHECK_VALUE_COL, item.value_ref), (CHECK_NORM_COL, item.norm_ref)):
            if ref:
                unit = UNITS[ref]
                fmt = ITEMS[ref].number_format if ref in ITEMS else None
                self.value_cell(ws, row, col, LINK, unit, f"={ref}", fmt)
        if item.fails:  # the figure red where it fails, with "<"/">" where it rounds to the norm
            fmt = (ITEMS[item.value_ref].number_format if item.value_ref in ITEMS else None
                   ) or st.NUMBER_FORMATS[UNITS[item.value_ref]]
            failing = item.name if objection else f"NOT({item.name})"
            flag_against_norm(ws, f"{get_column_letter(CHECK_VALUE_COL)}{row}", fmt,
                              item.norm_ref, item.fails, when=failing)

    def check_colours(self, ws: Worksheet, ref: str, objection: bool = False) -> None:
        """TRUE green and FALSE red; an objection (TRUE = the committee objects) the reverse."""
        good, bad = ("FALSE", "TRUE") if objection else ("TRUE", "FALSE")
        ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=[good],
                                                      fill=st.GREEN, font=st.GREEN_FONT))
        ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=[bad],
                                                      fill=st.RED, font=st.RED_FONT))

    def verdict(self) -> None:
        """The Oordeel sheet: objections with figure and norm (the Checks sheet's columns)."""
        h = HEADERS["oordeel"][self.lang]
        ws = self.head("oordeel", t("oordeel_subtitle", self.lang), h,
                       [50, 13, 14, 16, 16, 30, 60])
        self.put(ws, 3, 1, t("rounding_note", self.lang), font=st.NOTE_FONT)
        ws = self.item_rows("oordeel", 7, 6, 7)
        self.print_setup(ws, "G", landscape=True)

    def checks(self) -> None:
        h = HEADERS["controles"][self.lang]
        ws = self.head("controles", t("checks_subtitle", self.lang), h,
                       [44, 13, 12, 16, 16, 30, 60])
        self.put(ws, 3, 1, t("rounding_note", self.lang), font=st.NOTE_FONT)
        ws = self.item_rows("controles", 7, 6, 7)
        write_addin_cells(self)
        self.print_setup(ws, "G", landscape=True)

    def series_cells(self, ws: Worksheet, row: int, item: Item) -> None:
        """A series input: one cell per year (the maintenance plan), year number as unit."""
        for k in range(SERIES[item.name]):
            self.value_cell(ws, row + k, VALUE_COL, INPUT, item.unit,
                            self.source.series(item.name, k))
            label = t("year_n", self.lang).format(n=k + 1)
            self.put(ws, row + k, 2, label, font=st.LABEL_FONT)

    def link_format(self, item: Item) -> str | None:
        """A link shows its source's number format (e.g. 0.00% for social capital)."""
        if item.kind != LINK:
            return None
        source = ITEMS.get(item.formula.lstrip("=") if item.formula else "")
        return source.number_format if source is not None else None

    def summary(self) -> None:
        h = HEADERS["samenvatting"][self.lang]
        ws = self.head("samenvatting", t("summary_subtitle", self.lang), h, [46, 9, 16])
        self.item_rows("samenvatting", 3, 0, 0)
        add_summary_charts(self, ws, "E", FIRST_ROW)
        self.print_setup(ws, "P", landscape=True)
        ws.page_setup.fitToHeight = 1

    def timelines(self) -> None:
        for key in ("exploitatie", "lening", "balans", "gevoeligheid"):
            if key == "gevoeligheid":
                write_overview(self)
            ws = write_timeline(self, key)
            timeline_print_setup(self, ws)

    def build(self) -> Workbook:
        self.cover()
        self.summary()
        self.inputs()
        self.norms()
        self.calculations("financiering", "calc_subtitle")
        self.calculations("huur", "huur_subtitle")
        write_dwelling_table(self)
        self.calculations("nieuwbouw", "nieuwbouw_subtitle")
        self.timelines()
        self.verdict()
        self.checks()
        self.calculations("kansrijk", "kansrijk_subtitle")
        self.calculations("programma", "programma_subtitle")
        props = self.wb.properties
        props.creator = props.lastModifiedBy = "xlcoop"
        props.title = t("cover_title", self.lang)
        props.created = props.modified = FIXED_TIME
        props.version = TEMPLATE_VERSION
        return self.wb


_MODIFIED = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")
_STAMP = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')
_CHART_CACHE = re.compile(r"<numCache><formatCode>@@(\w+)\|([^@<]*)@@</formatCode>.*?</numCache>")
COMPRESS_LEVEL = 3  # deflate level: 1/10 of level 6's time for a file ~10% larger


class _RowlessSheetWriter(WorksheetWriter):
    """Everything of a sheet but its rows: an empty <sheetData/> that the grid's rows replace."""

    def write_rows(self) -> None:
        xf = self.xf.send(True)
        with xf.element("sheetData"):
            pass
        self.xf.send(None)


@dataclass
class Part:
    """One part of the package: fixed bytes, a sheet (head, compiled rows, tail, sheet key),
    or a chart whose data caches are filled per scenario."""

    name: str
    data: bytes = b""
    sheet: tuple[str, list[Piece], str, str] | None = None
    chart: str | None = None


# The order of a font's children in the schema (CT_Font as the Open XML SDK validates it):
# openpyxl writes name first, which Excel reads but the SDK's validator reports.
_FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign",
               "sz", "color", "name", "family", "charset", "scheme")
_FONT = re.compile(r"<font>(.*?)</font>")
_FONT_CHILD = re.compile(r"<(\w+)\b[^>]*/>")


def _fonts_in_schema_order(styles: bytes) -> bytes:
    def reorder(match: re.Match[str]) -> str:
        children = {m[1]: m[0] for m in _FONT_CHILD.finditer(match[1])}
        if "".join(children.values()) != match[1] or set(children) - set(_FONT_ORDER):
            raise ValueError(f"unexpected font element: {match[0]}")
        return "<font>" + "".join(children[k] for k in _FONT_ORDER if k in children) + "</font>"

    return _FONT.sub(reorder, styles.decode()).encode()


class _Recording(zipfile.ZipFile):
    """Collects the parts openpyxl writes, in order, instead of zipping them."""

    def __init__(self) -> None:  # no file behind it
        self.parts: list[Part] = []

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        name = getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)
        raw = data.encode() if isinstance(data, str) else data
        if name == "docProps/core.xml":  # openpyxl stamps the current time
            raw = _MODIFIED.sub(rb"<dcterms:modified\1>" + _STAMP + rb"</dcterms:modified>",
                                raw)
        if name == "xl/styles.xml":
            raw = _fonts_in_schema_order(raw)
        self.parts.append(Part(name, raw, chart=raw.decode() if name.startswith(
            "xl/charts/") else None))

    def namelist(self) -> list[str]:
        return [part.name for part in self.parts]

    def close(self) -> None:
        pass


class _SkeletonWriter(ExcelWriter):
    """openpyxl's package writer, with every sheet written in memory (openpyxl writes each to
    a temporary file and deletes it again) and its rows compiled from the grid."""

    def __init__(self, writer: Writer, archive: _Recording) -> None:
        super().__init__(writer.wb, archive)
        self.writer = writer
        self.keys = {ws: key for key, ws in writer.ws.items()}

    def write_worksheet(self, ws: Worksheet) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        sheet = _RowlessSheetWriter(ws, out=io.BytesIO())
        sheet.write()
        ws._rels = sheet._rels
        grid = self.writer.grids[ws]
        xml = _DIMENSION.sub(f'<dimension ref="{grid.dimension()}"/>'.encode(), sheet.read(),
                             count=1).decode()
        head, tail = _SHEET_DATA.split(xml.encode(), maxsplit=1)
        rows = {r: dict(dims) for r, dims in ws.row_dimensions.items() if dict(dims)}
        self._archive.parts.append(Part(ws.path[1:], sheet=(
            head.decode(), compile_rows(grid, rows), tail.decode(), self.keys[ws])))
        self.manifest.append(ws)


@cache
def skeleton(lang: str) -> tuple[Part, ...]:
    """The package of the standard workbook in one language, laid out once: everything but
    the input values and the formulas' cached values."""
    if lang not in ("nl", "en"):
        raise ValueError(f"lang must be 'nl' or 'en', not {lang!r}")
    writer = Writer(lang)
    writer.build()
    archive = _Recording()
    _SkeletonWriter(writer, archive).save()
    return tuple(archive.parts)


@dataclass(frozen=True)
class FilledWorkbook:
    """A scenario (or the template) in the standard workbook, ready to serialise."""

    scenario: Scenario | None
    lang: str = "nl"


def build_workbook(scenario: Scenario | None = None, lang: str = "nl") -> FilledWorkbook:
    skeleton(lang)  # lays out (and checks) the language once
    return FilledWorkbook(scenario, lang)


def _chart_cache(results: dict[str, object], name: str, fmt: str) -> str:
    values = results[name]
    points = "".join(f'<pt idx="{i}"><v>{number_text(v)}</v></pt>'
                     for i, v in enumerate(values))  # type: ignore[arg-type]
    return (f"<numCache><formatCode>{fmt}</formatCode><ptCount val=\"{len(values)}\"/>"
            f"{points}</numCache>")  # type: ignore[arg-type]


def workbook_bytes(filled: FilledWorkbook) -> bytes:
    """Serialise deterministically: the same inputs give a byte-identical file. The input
    cells show the scenario, every formula cell the value the reference model computes."""
    parts = skeleton(filled.lang)
    results = model_results(filled.scenario)
    by_sheet: dict[str, dict[tuple[int, int], object]] = {}
    for (key, row, col), value in cached_values(filled.scenario, results).items():
        by_sheet.setdefault(key, {})[(row, col)] = value
    source = InputSource(filled.scenario)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as z:
        for part in parts:
            if part.sheet is not None:
                head, pieces, tail, key = part.sheet
                data = (head + render_rows(pieces, by_sheet.get(key, {}), source)
                        + tail).encode()
            elif part.chart is not None:
                data = _CHART_CACHE.sub(lambda m: _chart_cache(results, m[1], m[2]),
                                        part.chart).encode()
            else:
                data = part.data
            entry = zipfile.ZipInfo(part.name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            z.writestr(entry, data, compresslevel=COMPRESS_LEVEL)
    return out.getvalue()


def write_workbook(path: str | Path, scenario: Scenario | None = None, lang: str = "nl") -> Path:
    path = Path(path)
    data = workbook_bytes(build_workbook(scenario, lang))
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # never leave a half-written workbook behind
    return path


__all__ = ["build_workbook", "workbook_bytes", "write_workbook"]
