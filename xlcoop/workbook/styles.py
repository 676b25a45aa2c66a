"""The colour key and number formats (printed on the cover, applied everywhere)."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

BLUE = "0000FF"
YELLOW = "FFF2CC"
DARK = "1F4E78"
SECTION = "D9E1F2"
GREY = "808080"
GREEN_FILL, GREEN_TEXT = "C6EFCE", "006100"
RED_FILL, RED_TEXT = "FFC7CE", "9C0006"
NORM_FILL = "EDEDED"
ADDIN = "DDEBF7"

TITLE = Font(name="Calibri", size=16, bold=True, color=DARK)
SUBTITLE = Font(name="Calibri", size=10, italic=True, color=GREY)
HEADER_FONT = Font(name="Calibri", size=10, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor=DARK)
SECTION_FONT = Font(name="Calibri", size=11, bold=True, color=DARK)
SECTION_FILL = PatternFill("solid", fgColor=SECTION)
LABEL_FONT = Font(name="Calibri", size=10)
BOLD_FONT = Font(name="Calibri", size=10, bold=True)
NAME_FONT = Font(name="Consolas", size=8, color=GREY)
NOTE_FONT = Font(name="Calibri", size=9, italic=True, color="595959")
INPUT_FONT = Font(name="Calibri", size=10, color=BLUE)
INPUT_FILL = PatternFill("solid", fgColor=YELLOW)
NORM_STD_FILL = PatternFill("solid", fgColor=NORM_FILL)
CALC_FONT = Font(name="Calibri", size=10, color="000000")
LINK_FONT = Font(name="Calibri", size=10, italic=True, color="404040")
OUTPUT_FONT = Font(name="Calibri", size=10, bold=True, color="000000")
ADDIN_FILL = PatternFill("solid", fgColor=ADDIN)
# Both colours set: a cell's solid fill is drawn from fgColor, but a conditional format's
# differential fill from bgColor (Excel leaves a dxf with fgColor only unfilled).
GREEN = PatternFill("solid", fgColor=GREEN_FILL, bgColor=GREEN_FILL)
RED = PatternFill("solid", fgColor=RED_FILL, bgColor=RED_FILL)
GREEN_FONT = Font(name="Calibri", size=10, bold=True, color=GREEN_TEXT)
RED_FONT = Font(name="Calibri", size=10, bold=True, color=RED_TEXT)
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="top")

EUR = '"€" #,##0;[Red]-"€" #,##0'
NUMBER_FORMATS = {
    "eur": EUR,
    "eur_jaar": EUR,
    "eur_maand": '"€" #,##0.00;[Red]-"€" #,##0.00',
    "pct": "0.00%",
    "factor": "0.000",  # ratios to 3 decimals: 1.048 never shows as a norm of 1.05
    "jaar": "0",
    "maand": "0",
    "aantal": "#,##0",
    "punten": "0",
    "tekst": "@",
    "bool": "General",
    "marge": "0.0E+00",
    "datum": "dd-mm-yyyy;;",  # a blank date (0) shows empty
}

# Timeline cells are narrow: euros without the symbol (the unit column says €).
# A legal maximum of zero means "no maximum" (free sector, or no points given).
MAX_RENT_FORMAT = '"€" #,##0.00;[Red]-"€" #,##0.00;"geen"'
TIMELINE_FORMATS = {"eur": "#,##0;[Red]-#,##0", "eur_jaar": "#,##0;[Red]-#,##0"}

UNIT_LABELS = {
    "eur": ("€", "€"),
    "eur_jaar": ("€/jaar", "€/year"),
    "eur_maand": ("€/maand", "€/month"),
    "pct": ("%", "%"),
    "factor": ("×", "×"),
    "jaar": ("jaar", "year"),
    "maand": ("maanden", "months"),
    "aantal": ("aantal", "count"),
    "punten": ("punten", "points"),
    "tekst": ("tekst", "text"),
    "bool": ("ja/nee", "yes/no"),
    "marge": ("marge", "margin"),
    "datum": ("datum", "date"),
}


def unit_label(unit: str, lang: str) -> str:
    nl, en = UNIT_LABELS[unit]
    return en if lang == "en" else nl
