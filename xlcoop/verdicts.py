"""Which checks decide a business case, and how hard they weigh: domain facts.

The reference model computes every check named here; the registry (``xlcoop.layout``) gives
each one its label, formula and place on the Controles sheet, and builds ``controles_ok`` and
``aantal_waarschuwingen`` from these lists. A check the registry shows but this table lacks (or
the other way round) fails ``tests/test_layers.py``.
"""

from __future__ import annotations

ERROR, WARNING = "fout", "waarschuwing"

CHECK_SEVERITIES: dict[str, str] = {
    "controle_invoer_compleet": ERROR,
    "controle_ltv_waarde": ERROR,
    "controle_lening_binnen_max": ERROR,
    "controle_ltv": ERROR,
    "controle_minimale_verkoopprijs": ERROR,
    "controle_maatschappelijk_kapitaal": WARNING,
    "controle_specificatie_lasten": ERROR,
    "controle_exploitatielasten_norm": WARNING,
    "controle_onderhoud_norm": WARNING,
    "controle_kas_min": ERROR,
    "controle_dscr": WARNING,
    "controle_dscr_bruto": WARNING,
    "controle_icr": WARNING,
    "controle_icr_bruto": WARNING,
    "controle_ltv_dalend": WARNING,
    "controle_liberalisatiegrens": WARNING,
    "controle_huur_wws": ERROR,
    "controle_middenhuur_grens": ERROR,
    "controle_huursegment": WARNING,
    "controle_lagere_inkomens": WARNING,
    "controle_bronnen_bestedingen": ERROR,
    "controle_financiering_sluit": ERROR,
    "controle_eigen_inbreng_min": WARNING,
    "controle_startkapitaal": WARNING,
}
CHECK_NAMES: tuple[str, ...] = tuple(CHECK_SEVERITIES)
ERROR_CHECKS: tuple[str, ...] = tuple(n for n, s in CHECK_SEVERITIES.items() if s == ERROR)
WARNING_CHECKS: tuple[str, ...] = tuple(n for n, s in CHECK_SEVERITIES.items() if s == WARNING)

# The guide's dossier (Kansrijk sheet): each item is a yes/no the model computes.
DOSSIER_KEYS: tuple[str, ...] = ("propositie", "groep", "statuten", "woningen", "nen2767",
                                 "taxatie", "waarde", "woonlasten", "lagere_inkomens")
DOSSIER_ITEMS: tuple[str, ...] = tuple(f"dossier_{k}" for k in DOSSIER_KEYS)
