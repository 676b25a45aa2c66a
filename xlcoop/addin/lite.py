"""The xlwings Lite scripts: the buttons a treasurer clicks inside Excel.

The workbook needs no code of its own. In the xlwings Lite task pane, ``requirements.txt``
holds the line ``xlcoop`` and ``main.py`` holds two lines (``MAIN_PY``)::

    # xlcoop: controles en rekenhulpen (https://pypi.org/project/xlcoop/)
    from xlcoop.addin.lite import *  # noqa: F403

xlwings Lite registers every ``@script`` function found in ``main.py``, imported ones included.
Each script reads the inputs by defined name, runs the checks or a solver on the reference model
and writes only to the add-in's own cells on the Controles sheet; what it did, and what it
changed, appears in the output pane. Outside Excel ``xlwings.script`` leaves the functions as
they are, so the tests call them with a stand-in Book.
"""

from __future__ import annotations

import xlwings as xw
from xlwings import script

from xlcoop.addin.run import Report, run_check, run_solve


def _show(report: Report) -> Report:
    print(report.text())  # xlwings Lite shows printed text in its output pane
    return report


def _price(prijs: float) -> float | None:
    """0 (the form's default) means: the agreed price, else the market value."""
    return prijs if prijs else None


@script(name="xlcoop: Controleer businesscase")
def xlcoop_controleer(book: xw.Book) -> Report:
    """Controleer de businesscase: alle bevindingen (fout, waarschuwing, info) met hun norm in
    de tabel op het blad Controles. / Check the business case: every finding with its norm in
    the table on the Checks sheet."""
    return _show(run_check(book))


@script(name="xlcoop: Maximale aankoopprijs")
def xlcoop_max_aankoopprijs(book: xw.Book) -> Report:
    """De hoogste aankoopprijs die de bank financiert, en welke grens bindt (kasstroom of LTV).
    / The highest purchase price the bank finances, and which limit binds."""
    return _show(run_solve(book, "max-price"))


@script(name="xlcoop: Maximale prijs waarbij financierbaar")
def xlcoop_max_prijs_financierbaar(book: xw.Book) -> Report:
    """De hoogste aankoopprijs waarbij de bank geen bezwaar heeft (financierbaar), en welk
    bezwaar bindt. / The highest price at which the case is bankable, and which objection
    binds."""
    return _show(run_solve(book, "max-price-bankable"))


@script(name="xlcoop: Minimale huur bij prijs")
def xlcoop_min_huur(book: xw.Book, prijs: float = 0.0) -> Report:
    """De laagste gemiddelde huur per woning per maand die de lening draagt bij deze prijs
    (0 = afgesproken prijs, anders de marktwaarde: de huur zonder korting). / The lowest
    average monthly rent that carries the loan at this price (0 = agreed price, else value)."""
    return _show(run_solve(book, "min-rent", _price(prijs)))


@script(name="xlcoop: Benodigde eigen inbreng")
def xlcoop_tekort(book: xw.Book, prijs: float = 0.0) -> Report:
    """De extra eigen inbreng of fondstranche die nodig is om deze prijs rond te krijgen
    (0 = afgesproken prijs, anders de marktwaarde). / The extra equity or fund tranche needed
    to close this price (0 = agreed price, else the market value)."""
    return _show(run_solve(book, "gap", _price(prijs)))


@script(name="xlcoop: Hoogste herfinancieringsrente")
def xlcoop_max_rente(book: xw.Book) -> Report:
    """De hoogste rente bij herfinanciering waarbij de DSCR in het zwakste jaar de norm haalt.
    / The highest refinancing rate at which the weakest-year DSCR meets the norm."""
    return _show(run_solve(book, "max-rate"))


@script(name="xlcoop: Hoogste huurderving")
def xlcoop_max_huurderving(book: xw.Book) -> Report:
    """De hoogste huurderving waarbij de DSCR in het zwakste jaar de norm haalt. / The highest
    rent loss at which the weakest-year DSCR meets the norm."""
    return _show(run_solve(book, "max-huurderving"))


MAIN_PY = ("# xlcoop: controles en rekenhulpen (https://pypi.org/project/xlcoop/)\n"
           "from xlcoop.addin.lite import *  # noqa: F403\n")
REQUIREMENTS_TXT = "xlcoop\n"

__all__ = ["xlcoop_controleer", "xlcoop_max_aankoopprijs", "xlcoop_max_huurderving",
           "xlcoop_max_rente", "xlcoop_min_huur", "xlcoop_tekort"]
