"""The classic desktop channel: an .xlsm whose buttons call these functions via RunPython.

The same scripts as in xlwings Lite (``xlcoop.addin.run``) on the desktop engine, which writes
to Excel at once instead of queueing: the writes are still planned first and applied together,
after every owned cell was found. The VBA module for the buttons is ``vba_module()``; print it
with ``python -m xlcoop.addin.desktop > xlcoop.bas`` and import it (see docs/addin.md).
"""

from __future__ import annotations

import sys
from typing import Any

from xlcoop.addin.run import Report, run_check, run_solve


def _caller() -> Any:
    import xlwings as xw

    return xw.Book.caller()


def _show(book: Any, report: Report) -> Report:
    """A message box with what happened (RunPython has no output pane)."""
    try:
        book.app.alert(report.text()[:1000], title="xlcoop")
    except Exception:  # an engine without alerts: the status cell still says it
        print(report.text())
    return report


def controleer() -> Report:
    book = _caller()
    return _show(book, run_check(book))


def max_aankoopprijs() -> Report:
    book = _caller()
    return _show(book, run_solve(book, "max-price"))


def max_prijs_financierbaar() -> Report:
    book = _caller()
    return _show(book, run_solve(book, "max-price-bankable"))


def min_huur(prijs: float | None = None) -> Report:
    book = _caller()
    return _show(book, run_solve(book, "min-rent", prijs or None))


def tekort(prijs: float | None = None) -> Report:
    book = _caller()
    return _show(book, run_solve(book, "gap", prijs or None))


def max_rente() -> Report:
    book = _caller()
    return _show(book, run_solve(book, "max-rate"))


def max_huurderving() -> Report:
    book = _caller()
    return _show(book, run_solve(book, "max-huurderving"))


BUTTONS = (
    ("XlcoopControleer", "controleer", "Controleer businesscase", False),
    ("XlcoopMaxAankoopprijs", "max_aankoopprijs", "Maximale aankoopprijs", False),
    ("XlcoopMaxPrijsFinancierbaar", "max_prijs_financierbaar",
     "Maximale prijs waarbij financierbaar", False),
    ("XlcoopMinHuur", "min_huur", "Minimale huur bij prijs", True),
    ("XlcoopTekort", "tekort", "Benodigde eigen inbreng", True),
    ("XlcoopMaxRente", "max_rente", "Hoogste herfinancieringsrente", False),
    ("XlcoopMaxHuurderving", "max_huurderving", "Hoogste huurderving", False),
)


def vba_module() -> str:
    """The VBA module with one macro per button (needs the xlwings add-in or module)."""
    lines = ['Attribute VB_Name = "xlcoop"',
             "' xlcoop: knoppen voor de businesscase (RunPython, xlwings).",
             "' Wijs elke knop een macro hieronder toe. Zie docs/addin.md.", ""]
    for macro, function, label, asks_price in BUTTONS:
        lines.append(f"Sub {macro}()")
        lines.append(f"    ' {label}")
        if asks_price:
            lines += [
                '    Dim prijs As Variant',
                '    prijs = Application.InputBox("Prijs in euro (0 = afgesproken prijs, anders '
                'de marktwaarde)", "xlcoop", 0, Type:=1)',
                "    If VarType(prijs) = vbBoolean Then Exit Sub",
                f'    RunPython "from xlcoop.addin.desktop import {function}; {function}(" & '
                'Str(prijs) & ")"',
            ]
        else:
            lines.append(f'    RunPython "from xlcoop.addin.desktop import {function}; '
                         f'{function}()"')
        lines += ["End Sub", ""]
    return "\r\n".join(lines)  # the VBA editor imports .bas files with Windows line ends


if __name__ == "__main__":
    sys.stdout.write(vba_module())
