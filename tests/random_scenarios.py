"""Random valid scenarios (seeded), spanning every choice and the corners of each input."""

from __future__ import annotations

import random
from typing import Any

from xlcoop.inputs import DWELLING_ROWS, PLAN_YEARS, REGIONS
from xlcoop.norms import NORMS
from xlcoop.scenario import Scenario, validate


def random_document(rng: random.Random) -> dict[str, Any]:
    homes = []
    for i in range(rng.randint(1, DWELLING_ROWS)):
        value = rng.uniform(80_000, 500_000)
        homes.append({
            "type": f"Type {i + 1}",
            "aantal": rng.randint(0 if i else 1, 40),
            "huur_per_maand": round(rng.uniform(350, 1_600), 2),
            "marktwaarde_leeg": round(value, -2),
            "marktwaarde_verhuurd": round(value * rng.uniform(0.55, 0.95), -2),
            "woz": round(value * rng.uniform(0.7, 1.1), -3),
        })
    n = sum(h["aantal"] for h in homes)
    doc: dict[str, Any] = {
        "project": {"projectnaam": f"Willekeurig {rng.randint(1, 10**6)}",
                    "regio": rng.choice(REGIONS), "peiljaar": rng.randint(2018, 2031)},
        "woningen": homes,
        "exploitatie": {
            "huurderving": rng.choice([0.0, round(rng.uniform(0, 0.08), 4)]),
            "overige_baten": rng.choice([0.0, round(rng.uniform(0, 8_000), 2)]),
            "exploitatielasten": round(n * rng.uniform(600, 3_000), 2),
            "reservering_groot_onderhoud": round(n * rng.uniform(300, 2_500), 2),
        },
        "financiering": {
            "rente": round(rng.uniform(0.015, 0.07), 4),
            "eigen_inbreng": rng.choice([0.0, round(rng.uniform(0, 300_000), 2)]),
            "overige_aankoopkosten": rng.choice([0.0, round(rng.uniform(0, 40_000), 2)]),
            "ltv_basis": rng.choice(["leeg", "verhuurd"]),
        },
        "renovatie": {"renovatie_methode": rng.choice(["geen", "bouwdepot", "residueel"]),
                      "renovatiekosten": round(n * rng.uniform(0, 30_000), 2)},
    }
    if rng.random() < 0.3:
        total = sum(h["aantal"] * h["marktwaarde_leeg"] for h in homes)
        doc["financiering"]["verkoopprijs_afgesproken"] = round(total * rng.uniform(0.3, 1.05))
    norms = {}
    if rng.random() < 0.3:
        norms["ltv_max"] = round(rng.uniform(0.6, 0.8), 3)
    if rng.random() < 0.3:
        norms["ratio_rente_aflossing"] = round(rng.uniform(0.05, 0.09), 4)
    if rng.random() < 0.2:
        norms["overdrachtsbelasting"] = 0.0
    if rng.random() < 0.2:
        norms["buffer_maanden"] = rng.choice([0, 6])
    if norms:
        doc["normen"] = norms
    return doc


def random_scenarios(count: int, seed: int = 2026) -> list[Scenario]:
    rng = random.Random(seed)
    return [validate(random_document(rng), f"random-{i}") for i in range(count)]


def master_document() -> dict[str, Any]:
    """A scenario that fills every input cell (all dwelling rows, the whole maintenance plan,
    every optional input and norm override), so that `formulas` knows each input cell and a
    compiled model can take any scenario's values (blanks included)."""
    rng = random.Random(1)
    doc = random_document(rng)
    doc["woningen"] = [{"type": f"T{i}", "aantal": i + 1, "huur_per_maand": 500.0 + i,
                        "marktwaarde_leeg": 150_000.0, "marktwaarde_verhuurd": 120_000.0,
                        "woz": 140_000.0} for i in range(DWELLING_ROWS)]
    doc["exploitatie"].update({"huurderving": 0.01, "overige_baten": 100.0})
    doc["lasten"] = {k: 10.0 for k in ("lasten_beheer", "lasten_verzekering",
                                       "lasten_belastingen", "lasten_administratie",
                                       "lasten_klein_onderhoud")}
    doc["onderhoud"] = {"onderhoud_methode": "plan",
                        "onderhoudsplan": [1_000.0 * (k + 1) for k in range(PLAN_YEARS)]}
    doc["financiering"].update({"verkoopprijs_afgesproken": 500_000.0,
                                "herfinancieringsrente": 0.05, "eigen_inbreng": 1.0,
                                "overige_aankoopkosten": 1.0})
    doc["normen"] = {n.name: (n.value if n.value is not None else 0.05) for n in NORMS}
    return doc
