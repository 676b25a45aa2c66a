"""`xlcoop audit` of the workbooks as saved by LibreOffice: clean, cached values compared; the
recompute with `formulas` agrees with LibreOffice on every cell; a row inserted into, and a
cached value edited in, a LibreOffice-saved copy. Apart from test_audit.py because it waits for
LibreOffice's runs (the ordering in conftest.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from test_audit import AUDIT_CASES, FINDING_LEVELS, only, serious
from test_audit_corpus import edit_cell, insert_row_like_excel, where

from xlcoop.audit import audit
from xlcoop.audit.findings import Report
from xlcoop.layout import layout


@pytest.fixture(scope="module")
def lo_books(lo_batch: dict[str, dict[str, tuple[Path, Path]]],
             lo_cases: dict[str, Any]) -> dict[str, Path]:
    """The same workbooks recalculated and saved by LibreOffice (the session's soffice run)."""
    return {**{name: lo_cases[name].recalculated for name in AUDIT_CASES},
            **{name: recalculated for name, (_path, recalculated) in lo_batch["audit"].items()}}


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["template", "stappenplan-a", "stappenplan-b",
                                  "stappenplan-c", "stappenplan-a-en"])
def test_libreoffice_saved_copies_audit_clean(name: str, lo_books: dict[str, Path]) -> None:
    report = audit(lo_books[name])
    assert report.status == "clean", serious(report)
    assert not report.by_code("no_cached_values")
    if name != "template":
        assert report.cached, "LibreOffice's cached key figures were compared"
        for key, value in report.cached.items():
            model = report.figures[key]
            assert value == model or abs(value - model) <= 0.01, key


@pytest.mark.libreoffice
def test_formulas_recompute_agrees_with_libreoffice_on_every_formula_cell(
        lo_books: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The evaluator (formulas' functions, run cell by cell) against LibreOffice's cached
    values, with no help from the reference model: every formula cell of example C. This
    proves the evaluator, not its speed: the audit's time budget for hostile files (6 s) is
    lifted, so a loaded machine cannot leave cells unevaluated."""
    from xlcoop.audit import recompute
    from xlcoop.audit.graph import Graph
    from xlcoop.audit.package import read_package
    from xlcoop.audit.recompute import Recompute
    from xlcoop.audit.safety import scan

    monkeypatch.setattr(recompute, "EVAL_BUDGET", 300.0)

    report = Report(str(lo_books["stappenplan-c"]))
    scanned = scan(lo_books["stappenplan-c"], report)
    pkg = read_package(scanned.parts)
    Recompute(pkg, Graph(pkg), None, report).run()
    assert report.checked == ["recompute-formulas"]
    assert not report.by_code("cached_differs"), serious(report)
    assert not report.by_code("recompute_incomplete")
    cells = sum(1 for s in pkg.sheets for c in s.cells.values() if c.formula)
    assert cells > 100


@pytest.mark.libreoffice
def test_row_inserted_in_a_copy_saved_by_libreoffice(lo_books: dict[str, Path],
                                                     tmp_path: Path) -> None:
    """Cached values move with their cells: the shifted copy still recomputes clean."""
    key, row, _ = layout().cells["lening"]
    path = insert_row_like_excel(lo_books["stappenplan-b"], tmp_path / "t.xlsx", key, row)
    report = audit(path)
    assert [f.code for f in report.findings if f.severity in FINDING_LEVELS] == \
        ["rows_inserted"]


@pytest.mark.libreoffice
def test_cached_value_edited(lo_books: dict[str, Path], tmp_path: Path) -> None:
    def swap(addr: str, old: str) -> str:
        return re.sub(r"<v>[^<]*</v>", "<v>950000</v>", old, count=1)

    path = edit_cell(lo_books["stappenplan-a"], tmp_path / "t.xlsx", "max_aankoopprijs", swap)
    report = audit(path)
    _, title, addr = where("max_aankoopprijs")
    (f,) = only(report, "cached_differs")
    assert (f.name, f.sheet, f.address) == ("max_aankoopprijs", title, addr)
    assert f.params["cached"] == 950_000 and f.params["root"] is True
    assert not report.by_code("formula_altered") and not report.by_code("result_differs")


@pytest.mark.libreoffice
def test_libreoffice_saved_files_of_a_known_shape_get_the_report_of_a_fresh_audit(
        lo_books: dict[str, Path], tmp_path: Path) -> None:
    """As a bank receives them: saved by a spreadsheet, with shared strings. Taught by one
    LibreOffice copy, the memos meet another workbook's copy (other inputs, other cached
    values, other string indices) and value-only edits of the first, a version swapped for
    another text among them; each report equals the one of a fresh audit."""
    from test_audit_memo import edits_are_findings, same_report_warm_and_cold, variants

    teacher = lo_books["stappenplan-a"]
    edited = variants(teacher, tmp_path)
    assert "version" in edited
    edits_are_findings(edited)
    same_report_warm_and_cold({**edited, "other": lo_books["stappenplan-b"]}, teacher)
