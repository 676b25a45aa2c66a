"""A takeover that meets every bank norm, and one move per objection that breaks exactly it."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from xlcoop.scenario import Scenario, validate


def bankable_document() -> dict[str, Any]:
    """20 homes in Amsterdam at €900, costs and maintenance exactly at the norms per home,
    valued in let state, a recent valuation, a price above the corporation's floor (below the
    market value, so 60% of the members have lower incomes)."""
    return {
        "project": {"projectnaam": "Financierbaar", "regio": "Amsterdam", "peiljaar": 2026,
                    "aandeel_lagere_inkomens": 0.6},  # a sale below value: the income rule
        "woningen": [{"type": "Appartement", "aantal": 20, "huur_per_maand": 900,
                      "marktwaarde_leeg": 200_000, "marktwaarde_verhuurd": 170_000,
                      "woz": 190_000}],
        "exploitatie": {"huurderving": 0.02, "exploitatielasten": 35_000,
                        "reservering_groot_onderhoud": 20_000},
        "meerjarig": {"huursegment": "sociaal", "huurindexatie": 0.02, "kostenindexatie": 0.02},
        "financiering": {"rente": 0.04, "ltv_basis": "verhuurd",
                         "verkoopprijs_afgesproken": 2_100_000},
        "dossier": {"taxatiedatum": dt.date(2026, 1, 15), "aanvraagdatum": dt.date(2026, 3, 1)},
    }


def bankable() -> Scenario:
    return validate(bankable_document(), "financierbaar")


def _set(doc: dict[str, Any], section: str, **values: Any) -> dict[str, Any]:
    doc.setdefault(section, {}).update(values)
    return doc


def _norm(name: str, value: float):
    return lambda doc: _set(doc, "normen", **{name: value})


def _no_let_value(doc: dict[str, Any]) -> dict[str, Any]:
    doc["woningen"][0].pop("marktwaarde_verhuurd")
    doc["financiering"]["ltv_basis"] = "leeg"
    return doc


def _cash_short(doc: dict[str, Any]) -> dict[str, Any]:
    """No buffer and a subordinated loan whose service leaves a total DSCR of 0.93: cash goes
    below zero in year 1. Cash can only fall when the total DSCR is below 1, so this move also
    lowers the total-DSCR norm to 0.90 (still met); at the standard 1.00 both would object."""
    _set(doc, "normen", buffer_maanden=0, dscr_min_totaal=0.9)
    return _set(doc, "achtergesteld", achtergestelde_lening=1_000_000, achtergesteld_rente=0.06,
                achtergesteld_looptijd=30, achtergesteld_vorm="lineair")


# Objection -> the one move across its norm that must raise it (and nothing else).
MOVES: dict[str, Any] = {
    "bezwaar_dscr": _norm("dscr_min_netto", 1.20),
    "bezwaar_dscr_bruto": _norm("dscr_min_bruto", 1.60),
    "bezwaar_icr": _norm("icr_min_netto", 1.80),
    "bezwaar_icr_bruto": _norm("icr_min_bruto", 2.40),
    "bezwaar_dscr_totaal": _norm("dscr_min_totaal", 1.20),
    "bezwaar_ltv_start": _norm("ltv_max", 0.66),
    "bezwaar_ltv_herfinanciering": lambda doc: _set(doc, "meerjarig",
                                                    waardeontwikkeling=-0.025),
    "bezwaar_kas": _cash_short,
    "bezwaar_verkoopprijs": lambda doc: _set(doc, "financiering",
                                             verkoopprijs_afgesproken=1_900_000),
    "bezwaar_taxatie": lambda doc: _set(doc, "dossier", taxatiedatum=dt.date(2025, 10, 31)),
    "bezwaar_lasten": lambda doc: _set(doc, "exploitatie", exploitatielasten=30_000),
    "bezwaar_waarde_verhuurd": _no_let_value,
    "bezwaar_lagere_inkomens": lambda doc: _set(doc, "project", aandeel_lagere_inkomens=0.3),
}


def moved(objection: str) -> Scenario:
    return validate(MOVES[objection](copy.deepcopy(bankable_document())), objection)
