"""Random valid scenarios (seeded), spanning every choice and the corners of each input."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from xlcoop.inputs import DWELLING_ROWS, FUNDS, PLAN_YEARS, REGIONS, YES_NO
from xlcoop.norms import NORMS
from xlcoop.scenario import Scenario, validate


def random_document(rng: random.Random, mixed: bool = False) -> dict[str, Any]:
    """A random takeover scenario; ``mixed`` also draws new-build cases, the dossier and the
    programme (without it the random stream is the takeover-only one other tests rely on)."""
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
    if mixed:
        _mixed(rng, doc, n)
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


NEW_BUILD_SHARE = 0.7  # share of new-build scenarios in the random set


def _new_build(rng: random.Random, doc: dict[str, Any], n: int) -> None:
    """A new-build case: development costs near the let value, and a financing stack that
    sometimes closes (member loans sized to the gap) and sometimes does not."""
    doc["project"]["projecttype"] = "nieuwbouw"
    let_value = sum(h["aantal"] * h["marktwaarde_verhuurd"] for h in doc["woningen"])
    cost = let_value * rng.uniform(1.0, 1.6)
    land = round(cost * rng.uniform(0, 0.25), 2)
    doc["nieuwbouw"] = {
        "grondkosten": land,
        "bouwkosten": round((cost - land) * 0.8, 2),
        "bijkomende_kosten": round((cost - land) * 0.12, 2),
        "voorfasekosten": rng.choice([0.0, round((cost - land) * 0.05, 2)]),
        "btw_belast": rng.choice(YES_NO),
    }
    stack: dict[str, Any] = {
        "startkapitaal": rng.choice([0.0, round(rng.uniform(100_000, 600_000), -3)]),
        "subsidie": rng.choice([0.0, round(rng.uniform(0, 20_000) * n, 2)]),
        "fonds": rng.choice(FUNDS),
        "fonds_vorm": rng.choice(["aflossingsvrij", "lineair", "annuitair"]),
    }
    if rng.random() < 0.6:
        stack.update({"ledenlening": round(cost * rng.uniform(0, 0.7), 2),
                      "ledenlening_rente": round(rng.uniform(0, 0.04), 4),
                      "ledenlening_looptijd": rng.randint(0, 30),
                      "ledenlening_vorm": rng.choice(["aflossingsvrij", "lineair",
                                                      "annuitair"])})
    doc["financieringsstapel"] = stack
    doc["financiering"]["eigen_inbreng"] = round(cost * rng.choice([0.0, 0.03, 0.05, 0.08]), 2)
    if rng.random() < 0.3:
        doc["achtergesteld"] = {"achtergestelde_lening": round(cost * rng.uniform(0, 0.1), 2),
                                "achtergesteld_rente": round(rng.uniform(0, 0.03), 4),
                                "achtergesteld_looptijd": rng.randint(1, 30),
                                "achtergesteld_vorm": rng.choice(["aflossingsvrij", "lineair",
                                                                  "annuitair"])}
    doc["financiering"].pop("verkoopprijs_afgesproken", None)


def _mixed(rng: random.Random, doc: dict[str, Any], n: int) -> None:
    if rng.random() < NEW_BUILD_SHARE:
        _new_build(rng, doc, n)
    _dossier(rng, doc)
    _credit(random.Random(doc["project"]["projectnaam"]), doc)
    if rng.random() < 0.3:
        low = round(rng.uniform(100_000, 400_000), -3)
        cost = round(rng.uniform(150_000, 350_000), -3)
        doc["programma"] = {
            "programma_budget": round(rng.uniform(1e6, 2e7), -3),
            "programma_startkapitaal_laag": low,
            "programma_startkapitaal_hoog": low + round(rng.uniform(0, 400_000), -3),
            "programma_kosten_laag": cost, "programma_kosten_hoog": cost + 50_000,
            "programma_bank_aandeel": round(rng.uniform(0.5, 0.8), 2),
            "programma_eigen_aandeel": rng.choice([0.0, 0.05, 0.1])}


def _credit(rng: random.Random, doc: dict[str, Any]) -> None:
    """The credit committee's inputs: both transfer-tax bases, takeovers without a let value
    or with a subordinated tranche, the claim's terms and a resale year, a value trend. Its own
    stream (seeded by the project name), so the draws above stay as they were."""
    takeover = doc["project"].get("projecttype", "overname") == "overname"
    doc["financiering"]["overdrachtsbelasting_grondslag"] = rng.choice(["prijs", "waarde"])
    if takeover and rng.random() < 0.5:
        for home in doc["woningen"]:
            home.pop("marktwaarde_verhuurd")
    if takeover and rng.random() < 0.6:
        total = sum(h["aantal"] * h["marktwaarde_leeg"] for h in doc["woningen"])
        doc["achtergesteld"] = {"achtergestelde_lening": round(total * rng.uniform(0, 0.15), 2),
                                "achtergesteld_rente": round(rng.uniform(0, 0.05), 4),
                                "achtergesteld_looptijd": rng.randint(1, 30),
                                "achtergesteld_vorm": rng.choice(["aflossingsvrij", "lineair",
                                                                  "annuitair"])}
    doc["vordering"] = {"vordering_looptijd": rng.choice([10, rng.randint(0, 30)]),
                        "vordering_winstdeel": rng.choice([0.0, round(rng.uniform(0, 0.5), 3)]),
                        "vordering_rente": rng.choice([0.0, round(rng.uniform(0, 0.04), 4)]),
                        "doorverkoop_jaar": rng.randint(1, 30),
                        "doorverkoop_kosten": round(rng.uniform(0, 0.04), 4)}
    doc["meerjarig"] = {"waardeontwikkeling": rng.choice([0.0, round(rng.uniform(-0.04, 0.04),
                                                                     4)])}
    if rng.random() < 0.2:
        doc.setdefault("lasten", {})["onderbouwing_lasten"] = "offertes beheer"


def _dossier(rng: random.Random, doc: dict[str, Any]) -> None:
    names = ("expertise_aanwezig", "steun_gemeente", "uitzicht_locatie", "propositie_beschreven",
             "groep_beschreven", "statuten_gereed", "woningen_beschreven", "nen2767_rapport")
    body: dict[str, Any] = {k: rng.choice(["ja", "ja", "nee"]) for k in names
                            if rng.random() < 0.8}
    if rng.random() < 0.8:
        valued = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
        body["taxatiedatum"] = valued
        if rng.random() < 0.9:
            body["aanvraagdatum"] = valued + dt.timedelta(days=rng.randint(-10, 240))
    doc["dossier"] = body


def rent_law(rng: random.Random, doc: dict[str, Any]) -> None:
    """WWS points across the three segments (some unknown, some with a huurprijscheck
    maximum), a rent path that grows (so caps and WWS maxima bind), the income share."""
    for home in doc["woningen"]:
        if rng.random() < 0.85:
            home["wws_punten"] = rng.choice([rng.randint(60, 143), rng.randint(144, 186),
                                             rng.randint(187, 260)])
            if rng.random() < 0.2:
                home["huur_max_huurprijscheck"] = round(rng.uniform(400, 1_100), 2)
    doc["meerjarig"] = {"huursegment": rng.choice(["sociaal", "midden", "vrij"]),
                        "huurindexatie": round(rng.uniform(0, 0.09), 4)}
    if rng.random() < 0.5:
        doc["meerjarig"].update({"inflatie_aanname": round(rng.uniform(0, 0.05), 4),
                                 "loonontwikkeling_aanname": round(rng.uniform(0, 0.06), 4)})
    if rng.random() < 0.8:
        doc["project"]["aandeel_lagere_inkomens"] = round(rng.uniform(0.2, 0.9), 3)


def random_scenarios(count: int, seed: int = 2026, mixed: bool = False) -> list[Scenario]:
    """``mixed`` also draws rent law from its own stream, so the other draws stay the same."""
    rng, rent = random.Random(seed), random.Random(seed + 12)
    docs = []
    for _ in range(count):
        doc = random_document(rng, mixed)
        if mixed:
            rent_law(rent, doc)
        docs.append(doc)
    return [validate(doc, f"random-{i}") for i, doc in enumerate(docs)]


def master_document() -> dict[str, Any]:
    """A scenario that fills every input cell (all dwelling rows, the whole maintenance plan,
    every optional input and norm override), so that `formulas` knows each input cell and a
    compiled model can take any scenario's values (blanks included)."""
    rng = random.Random(1)
    doc = random_document(rng)
    doc["woningen"] = [{"type": f"T{i}", "aantal": i + 1, "huur_per_maand": 500.0 + i,
                        "marktwaarde_leeg": 150_000.0, "marktwaarde_verhuurd": 120_000.0,
                        "woz": 140_000.0, "wws_punten": 100 + 20 * i,
                        "huur_max_huurprijscheck": 900.0 + i} for i in range(DWELLING_ROWS)]
    doc["project"]["aandeel_lagere_inkomens"] = 0.5
    doc["meerjarig"] = {"huursegment": "midden", "huurindexatie": 0.03,
                        "inflatie_aanname": 0.02, "loonontwikkeling_aanname": 0.03}
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
    doc["lasten"]["onderbouwing_lasten"] = "toelichting"
    doc["project"]["projecttype"] = "nieuwbouw"
    doc["nieuwbouw"] = {"grondkosten": 1.0, "bouwkosten": 1.0, "bijkomende_kosten": 1.0,
                        "voorfasekosten": 1.0, "btw_belast": "ja"}
    doc["financieringsstapel"] = {"startkapitaal": 1.0, "subsidie": 1.0, "fonds": "Amsterdam",
                                  "fonds_vorm": "lineair", "ledenlening": 1.0,
                                  "ledenlening_rente": 0.01, "ledenlening_looptijd": 1,
                                  "ledenlening_vorm": "lineair"}
    doc["achtergesteld"] = {"achtergestelde_lening": 1.0, "achtergesteld_rente": 0.01,
                            "achtergesteld_looptijd": 1, "achtergesteld_vorm": "lineair"}
    doc["dossier"] = {k: "ja" for k in ("expertise_aanwezig", "steun_gemeente",
                                        "uitzicht_locatie", "propositie_beschreven",
                                        "groep_beschreven", "statuten_gereed",
                                        "woningen_beschreven", "nen2767_rapport")}
    doc["dossier"].update({"taxatiedatum": dt.date(2026, 1, 1),
                           "aanvraagdatum": dt.date(2026, 2, 1)})
    return doc
