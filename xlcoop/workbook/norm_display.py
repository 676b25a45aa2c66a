"""One rounding rule for figures shown against a norm, and "n.v.t." for rows that do not apply.

A ratio shows three decimals (a percentage two, euros none). A figure that fails its norm but
rounds to the norm's display would look equal to it (a DSCR of 1.0496 against 1.05 shows
"1.050" beside a norm "1.050"), so it shows "<1.050" (fails a minimum) or ">70.00%" (fails a
maximum) instead. Display only: conditional formats that carry a number format (a dxf numFmt),
so the sign follows the inputs live in Excel and LibreOffice; values and formulas stay as they
are.

Rules of one range, in priority order (LibreOffice applies only the first rule that matches,
Excel the highest-priority one for each property):
  (a) fails and rounds to the norm: red, and the cell's format with "<" or ">" before it;
  (b) fails: red;
  (c) passes: green, where the range was green before.
"""

from __future__ import annotations

import re

from openpyxl.formatting.rule import CellIsRule, Rule
from openpyxl.styles import Font
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, NumberFormat
from openpyxl.worksheet.worksheet import Worksheet

from xlcoop.workbook import styles as st
from xlcoop.workbook.texts import t

BELOW, ABOVE = "below", "above"  # fails a minimum (figure < norm) / fails a maximum (> norm)
SIGN = {BELOW: "<", ABOVE: ">"}
_OPERATOR = {BELOW: ("lessThan", "<", "greaterThanOrEqual"),
             ABOVE: ("greaterThan", ">", "lessThanOrEqual")}
GREY_FONT = Font(name="Calibri", size=10, color=st.GREY)

_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_SECTION_HEAD = re.compile(r"^(?:\[[^\]]*\])*")


def _sections(fmt: str) -> list[str]:
    """The sections of a number format, split on ';' outside quotes."""
    out, current, quoted = [], "", False
    for ch in fmt:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            out.append(current)
            current = ""
        else:
            current += ch
    return [*out, current]


def decimals(fmt: str) -> int:
    """The decimals of the value a format shows: "0.000" 3, "0.00%" 4 (of the fraction),
    "#,##0" 0, '"€" #,##0.00' 2 (first section; literals and [..] ignored)."""
    code = _QUOTED.sub("", _sections(fmt)[0])
    places = len(re.search(r"\.([0#?]*)", code)[1]) if "." in code else 0
    return places + 2 * code.count("%")


def strict_format(fmt: str, fails: str) -> str:
    """The format with the failure sign before every section: "0.000" -> '"<"0.000',
    '"€" #,##0;[Red]-"€" #,##0' -> '"<€" #,##0;[Red]"<"-"€" #,##0'."""
    sign = SIGN[fails]
    out = []
    for section in _sections(fmt):
        head = _SECTION_HEAD.match(section)[0]  # colours and conditions stay in front
        body = section[len(head):]
        body = f'"{sign}{body[1:]}' if body.startswith('"') else f'"{sign}"{body}'
        out.append(head + body)
    return ";".join(out)


def _number_format(ws: Worksheet, code: str) -> NumberFormat:
    """A dxf number format whose id is the workbook's own for that code: registered in the
    workbook's list of formats, so it never collides with a cell format's id."""
    return NumberFormat(numFmtId=BUILTIN_FORMATS_MAX_SIZE + ws.parent._number_formats.add(code),
                        formatCode=code)


def top_left(ref: str) -> str:
    return ref.split(":")[0].replace("$", "")


def flag_against_norm(ws: Worksheet, ref: str, fmt: str, norm: str, fails: str, *,
                      when: str | None = None, green: bool = False) -> None:
    """Colour the figures of ``ref`` (shown in number format ``fmt``) against ``norm`` (a name
    or a cell): red where they fail it, with the sign where they round to it; green where they
    pass when ``green``. The figure fails when it is on the wrong side of the norm (``fails``:
    BELOW or ABOVE) and, when given, ``when`` holds (e.g. the objection ``bezwaar_dscr``)."""
    operator, symbol, other = _OPERATOR[fails]
    cell = top_left(ref)
    failing = ",".join([*([when] if when else []), f"{cell}{symbol}{norm}"])
    d = decimals(fmt)
    strict = DifferentialStyle(font=st.RED_FONT, fill=st.RED,
                               numFmt=_number_format(ws, strict_format(fmt, fails)))
    ws.conditional_formatting.add(ref, Rule(type="expression", dxf=strict, formula=[
        f"AND({failing},ROUND({cell},{d})=ROUND({norm},{d}))"]))
    if when is None:  # the red rule the timeline rows had before, unchanged
        red = CellIsRule(operator=operator, formula=[norm], fill=st.RED, font=st.RED_FONT)
    else:
        red = Rule(type="expression", formula=[f"AND({failing})"],
                   dxf=DifferentialStyle(font=st.RED_FONT, fill=st.RED))
    ws.conditional_formatting.add(ref, red)
    if green:
        ws.conditional_formatting.add(ref, CellIsRule(operator=other, formula=[norm],
                                                      fill=st.GREEN, font=st.GREEN_FONT))


def not_applicable(ws: Worksheet, ref: str, applies_if: str, lang: str) -> None:
    """Show "n.v.t." ("n/a") in grey in ``ref`` where ``applies_if`` does not hold (a row for
    one amortisation form only); the value stays in the cell."""
    text = t("not_applicable", lang)
    code = ";".join([f'"{text}"'] * 3)
    ws.conditional_formatting.add(ref, Rule(type="expression", formula=[f"NOT({applies_if})"],
                                            dxf=DifferentialStyle(font=GREY_FONT,
                                                                  numFmt=_number_format(ws, code))))
