"""One truth across the faces (issue 10, "Must show").

- For 50 random scenarios with every section filled (the NEN 2767 maintenance plan included):
  ``new`` -> read -> scenario is the identity; and ``calc``, ``check``, ``solve``, the add-in and
  ``extract`` report the figures the workbook computes, with LibreOffice as the reference (all
  workbooks recalculated in the session's one LibreOffice run).
- A workbook whose standard norm was typed over (blank ``ltv_max_standaard``): every face reports
  what the workbook computes (maximum loan 0), with a finding naming the norm, its template
  value and the ``eigen`` column.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import libreoffice_batch
from random_scenarios import random_document

from xlcoop import layout
from xlcoop.cli import main
from xlcoop.inputs import INPUTS, PLAN_YEARS
from xlcoop.scenario import Scenario, load, validate
from xlcoop.workbook.reader import read_workbook
from xlcoop.workbook.writer import write_workbook

ROOT = Path(__file__).resolve().parent.parent
COUNT = 50
MONEY, RATIO = 0.005, 1e-6


def _fill(rng: random.Random, spec: Any) -> Any:
    """A plausible value for an input the random document left out."""
    if spec.kind == "choice":
        return rng.choice(spec.choices)
    if spec.kind == "text":
        return f"tekst {rng.randint(1, 999)}"
    if spec.kind == "date":
        return dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
    if spec.kind == "series":
        return [round(rng.uniform(0, 40_000), 2) for _ in range(rng.randint(1, PLAN_YEARS))]
    if spec.kind == "integer":
        return rng.randint(1, 30)
    if spec.unit == "pct":
        return round(rng.uniform(max(spec.minimum or 0.0, 0.0), 0.04), 4)
    return round(rng.uniform(0, 20_000), 2)


def full_document(rng: random.Random) -> dict[str, Any]:
    """A random scenario in which every section is filled, the maintenance plan included."""
    doc = random_document(rng, mixed=True)
    for spec in INPUTS:
        body = doc.setdefault(spec.section, {})
        if spec.name not in body:
            body[spec.name] = _fill(rng, spec)
    doc["onderhoud"]["onderhoud_methode"] = rng.choice(["plan", "plan", "reservering"])
    return doc


def _blank_standard(source: Path, target: Path, name: str) -> None:
    """A copy with the standard value of norm ``name`` deleted (its cell made blank), edited in
    the XML so that everything else stays byte for byte."""
    sheet, row, col = layout.layout().cells[name + layout.NORM_STANDARD_SUFFIX]
    ref = f"{layout.get_column_letter(col)}{row}".encode()
    with zipfile.ZipFile(source) as zin:
        parts = {i.filename: zin.read(i) for i in zin.infolist()}
    title = {s.key: s.title("nl") for s in layout.SHEETS}[sheet].encode()
    rid = re.search(rb'<sheet [^>]*name="' + title + rb'"[^>]*r:id="(rId\d+)"',
                    parts["xl/workbook.xml"]).group(1)
    rels = [dict(re.findall(rb'(\w+)="([^"]*)"', tag))
            for tag in re.findall(rb"<Relationship\b[^>]*>", parts["xl/_rels/workbook.xml.rels"])]
    where = next(r[b"Target"] for r in rels if r.get(b"Id") == rid).decode()
    part = "xl/" + where.lstrip("/").removeprefix("xl/")
    data, n = re.subn(rb'<c r="' + ref + rb'"([^>]*?)(?: t="\w+")?>.*?</c>',
                      rb'<c r="' + ref + rb'"\1/>', parts[part], count=1, flags=re.S)
    assert n == 1, "the standard cell was not found"
    parts[part] = data
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for filename, content in parts.items():
            zout.writestr(filename, content)


_SCENARIOS: dict[str, Scenario] = {}  # file name -> scenario, filled by the builder


@libreoffice_batch("truth")
def _truth_books(folder: Path) -> dict[str, Path]:
    """The random workbooks and the edited-norm workbook, written at the start of the session:
    they join its one LibreOffice run instead of starting soffice beside it."""
    rng = random.Random(10)
    out: dict[str, Path] = {}
    for i in range(COUNT):
        scenario = validate(full_document(rng), f"truth-{i}")
        path = write_workbook(folder / f"truth-{i:02d}.xlsx", scenario)
        _SCENARIOS[path.name] = scenario
        out[path.name] = path
    edited = folder / "truth-edited-ltv.xlsx"
    _blank_standard(ROOT / "workbooks" / "stappenplan-a.xlsx", edited, "ltv_max")
    out[edited.name] = edited
    return out


@pytest.fixture(scope="module")
def books(lo_batch: dict[str, dict[str, tuple[Path, Path]]]) -> dict[str, Any]:
    """The workbooks with their LibreOffice copies (recalculated in the session's run)."""
    batch = lo_batch["truth"]
    return {"scenarios": {batch[name][0]: sc for name, sc in _SCENARIOS.items()},
            "edited": batch["truth-edited-ltv.xlsx"][0],
            "lo": {path: recalculated for path, recalculated in batch.values()}}


def test_new_read_scenario_is_the_identity(books: dict[str, Any]) -> None:
    plans = 0
    for path, scenario in books["scenarios"].items():
        read = read_workbook(path)
        assert read.scenario() == scenario, path.name
        assert read.edited() == {}
        plans += bool(scenario.inputs["onderhoudsplan"])
        # every section is filled: no input left at its default by omission
        assert all(scenario.inputs.get(s.name) is not None for s in INPUTS), path.name
    assert plans == len(books["scenarios"])
    # and the same after LibreOffice saved them (its own XML: shared strings, cached values)
    for path, scenario in books["scenarios"].items():
        assert read_workbook(books["lo"][path]).scenario() == scenario, path.name


def close(a: Any, b: Any, unit: str) -> bool:
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, (int, float)) \
            or not isinstance(b, (int, float)):
        return a == b or (a in (None, "") and b in (None, ""))
    tol = MONEY if unit.startswith("eur") else RATIO * max(1.0, abs(b))
    return math.isclose(a, b, abs_tol=tol) or (math.isnan(a) and math.isnan(b))


def _json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, Any]:
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, json.loads(out) if out.strip() else None


def _workbook_figures(path: Path) -> dict[str, Any]:
    cached = read_workbook(path).cached
    assert any(v is not None for v in cached.values()), f"{path.name}: no cached values"
    return cached


def test_every_face_reports_what_the_workbook_computes(books: dict[str, Any],
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    from xlcoop.addin.jsonbook import Book
    from xlcoop.addin.run import run_check
    from xlcoop.addin.xlsx import payload_from_xlsx
    from xlcoop.audit.extract import MODEL_SUFFIX, row_for
    from xlcoop.checks import unit_of

    units = {i.name: i.unit for i in layout.all_items()}
    problems: list[str] = []
    solved = extracted = 0
    for n, path in enumerate(books["scenarios"]):
        lo = books["lo"][path]
        want = _workbook_figures(lo)
        _, calc = _json(["calc", str(lo), "--json"], capsys)
        for name, value in {**calc["outputs"], **calc["checks"]}.items():
            if name in want and not close(value, want[name], units.get(name, "")):
                problems.append(f"{path.name} calc {name}: {value!r} != workbook {want[name]!r}")
        failing = {name for name, v in want.items() if v is False and name.startswith("controle_")}
        _, check = _json(["check", str(lo), "--json"], capsys)
        shown = {f["rule"] for f in check["findings"] if f["rule"] in failing or
                 f["rule"].startswith("controle_")}
        if shown != failing:
            problems.append(f"{path.name} check: {sorted(shown)} != workbook {sorted(failing)}")
        if n % 5 == 0:  # `check` runs the add-in's own scripts; directly on every fifth file
            addin = run_check(Book(payload_from_xlsx(lo)), write=False)
            if {f.rule for f in addin.findings if f.rule.startswith("controle_")} != failing:
                problems.append(f"{path.name} add-in disagrees with the workbook's checks")
        if calc["outputs"].get("controles_ok") is not want.get("controles_ok"):
            problems.append(f"{path.name}: controles_ok differs")
        if books["scenarios"][path].inputs["projecttype"] == "overname":
            _, solve = _json(["solve", str(lo), "--target", "max-price", "--json"], capsys)
            figures = (solve.get("solution") or {}).get("figures") or {}
            if "max_lening_ltv" in figures:  # the LTV limit does not move with the price
                solved += 1
                if not close(figures["max_lening_ltv"], want["max_lening_ltv"], "eur"):
                    problems.append(f"{path.name} solve max_lening_ltv differs")
        if n % 5 == 0:  # extract runs the audit (about 0.1 s a file): every fifth file
            row = row_for(lo)
            extracted += 1
            for name, value in want.items():
                if name + MODEL_SUFFIX not in row or value is None:
                    continue
                unit = unit_of(name)
                if not close(row[name], value, unit) or not close(row[name + MODEL_SUFFIX],
                                                                  value, unit):
                    problems.append(f"{path.name} extract {name}: {row[name]!r} / "
                                    f"{row[name + MODEL_SUFFIX]!r} != {value!r}")
    assert not problems, "\n".join(problems[:30])
    assert solved >= 3 and extracted >= 10  # solve: takeovers only (most are new build)


def test_edited_standard_norm_every_face(books: dict[str, Any], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from xlcoop.addin.jsonbook import Book
    from xlcoop.addin.run import run_check
    from xlcoop.addin.xlsx import payload_from_xlsx
    from xlcoop.audit import audit
    from xlcoop.audit.extract import MODEL_SUFFIX, row_for

    edited, lo = books["edited"], books["lo"][books["edited"]]
    assert _workbook_figures(lo)["max_lening"] == 0  # what the workbook computes
    assert load(ROOT / "examples" / "stappenplan-a.toml").norms.get("ltv_max") is None
    for path in (edited, lo):
        _, calc = _json(["calc", str(path), "--json"], capsys)
        assert calc["outputs"]["max_lening"] == 0, path.name
        assert calc["outputs"]["controles_ok"] is False
        code, check = _json(["check", str(path), "--json"], capsys)
        assert code == 1
        found = [f for f in check["findings"] if f["rule"] == "norm_standaard_gewijzigd"]
        assert len(found) == 1 and found[0]["name"] == "ltv_max_standaard"
        message = found[0]["message_nl"]
        assert "70,00%" in message and "ltv_max_eigen" in message, message
        assert "70.00%" in found[0]["message_en"] and "eigen column" in found[0]["message_en"]
        report = run_check(Book(payload_from_xlsx(path)), write=False)
        assert any(f.rule == "norm_standaard_gewijzigd" for f in report.findings)
        assert report.check is not None and report.check.results["max_lening"] == 0
        code, solve = _json(["solve", str(path), "--target", "max-price", "--json"], capsys)
        # the bank lends 0: no price works, and the reason says so (the template's 70% would
        # have given 882,000)
        assert code == 1 and solve["ok"] is False and "prijs 0" in solve["reason_nl"]
        row = row_for(path)
        assert row["max_lening" + MODEL_SUFFIX] == 0
        assert audit(path).figures["max_lening"] == 0
    assert row_for(lo)["max_lening"] == 0  # the workbook's own column, from its cached value
    shutil.copy(edited, tmp_path / "x.xlsx")


def test_reader_reads_only_named_cells_and_every_face_uses_it() -> None:
    """The faces read workbooks through xlcoop.workbook.reader (no openpyxl whole load)."""
    for module in ("cli.py", "commands/addin.py", "addin/xlsx.py", "commands/pdf.py"):
        text = (ROOT / "xlcoop" / module).read_text(encoding="utf-8")
        assert "read_workbook" in text or "payload_from_xlsx" in text, module
    text = (ROOT / "xlcoop" / "addin" / "xlsx.py").read_text(encoding="utf-8")
    payload = text[text.index("def payload_from_xlsx"):text.index("def _cells(")]
    assert "openpyxl" not in payload and "iter_rows" not in payload
