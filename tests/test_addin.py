"""The add-in's scripts on a licence-free stand-in of xlwings' JSON Book, fed with payloads in
xlwings' own format built from generated workbooks: every action touches only owned cells,
hostile input gives findings (never a traceback), and a failed run changes no cell."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, get_type_hints

import pytest
from conftest import ROOT, example_scenario
from test_audit_corpus import write_zip, zip_parts

from xlcoop.addin import cells, desktop, jsonbook, lite, owned, run, xlsx
from xlcoop.checks import check_scenario
from xlcoop.solve import TARGETS, solve
from xlcoop.workbook.reader import named_cells
from xlcoop.workbook.writer import write_workbook

PRICE = {"min-rent": 1_500_000.0, "gap": 1_500_000.0}


@pytest.fixture(scope="module")
def payloads(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Example A (nl, en) and the empty template; A without the add-in's cells (as a workbook
    from before they existed, or with their names deleted)."""
    tmp = tmp_path_factory.mktemp("addin")
    out = {}
    for key, scenario, lang in (("a", example_scenario("stappenplan-a"), "nl"),
                                ("a-en", example_scenario("stappenplan-a"), "en"),
                                ("template", None, "nl")):
        out[key] = xlsx.payload_from_xlsx(write_workbook(tmp / f"{key}.xlsx", scenario, lang))
    out["a-plain"] = xlsx.payload_from_xlsx(without_names(tmp / "a.xlsx", tmp / "a-plain.xlsx",
                                                           [c.name for c in owned.OWNED]))
    out["_path_a"] = {"path": str(tmp / "a.xlsx")}
    return out


def without_names(source: Path, target: Path, names: list[str]) -> Path:
    """A copy with these defined names deleted from its workbook part, all else byte for byte."""
    parts = zip_parts(source)
    for name in names:
        parts["xl/workbook.xml"], n = re.subn(
            rb'<definedName name="' + re.escape(name.encode()) + rb'"[^>]*>[^<]*</definedName>',
            b"", parts["xl/workbook.xml"])
        assert n == 1, name
    return write_zip(target, parts)


def book_of(payload: dict[str, Any]) -> jsonbook.Book:
    return jsonbook.Book(copy.deepcopy(payload))


def owned_rects(payload: dict[str, Any]) -> list[tuple[int, int, int, int, int]]:
    rects = []
    for entry in payload["names"]:
        if entry["name"] in owned.OWNED_BY_NAME and entry["sheet_index"] is not None:
            r1, c1, r2, c2 = jsonbook.parse_range(entry["address"])
            rects.append((entry["sheet_index"], r1 - 1, c1 - 1, r2 - 1, c2 - 1))
    return rects


def assert_only_owned(book: jsonbook.Book, payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Every action is a setValues inside one owned name's cells (asserted action by action)."""
    rects = owned_rects(payload)
    actions = book.json()["actions"]
    for action in actions:
        assert action["func"] == "setValues"
        top, left = action["start_row"], action["start_column"]
        bottom = top + action["row_count"] - 1
        right = left + action["column_count"] - 1
        assert any(s == action["sheet_position"] and r1 <= top and bottom <= r2 and c1 <= left
                   and right <= c2 for s, r1, c1, r2, c2 in rects), action
        assert len(action["values"]) == action["row_count"]
    return actions


def set_cell(payload: dict[str, Any], name: str, value: Any, offset: int = 0) -> None:
    entry = next(n for n in payload["names"] if n["name"] == name)
    row, col, _, _ = jsonbook.parse_range(entry["address"])
    values = payload["sheets"][entry["sheet_index"]]["values"]
    values[row - 1 + offset][col - 1] = value


def apply_actions(payload: dict[str, Any], actions: list[dict[str, Any]]) -> None:
    """What Excel does with the actions after the script returns."""
    for a in actions:
        values = payload["sheets"][a["sheet_position"]]["values"]
        for i, row in enumerate(a["values"]):
            for j, v in enumerate(row):
                values[a["start_row"] + i][a["start_column"] + j] = v


def test_payload_is_xlwings_format_and_names_match_the_workbook(payloads: dict) -> None:
    import openpyxl

    p = payloads["a"]
    assert p["client"] == "Office.js" and p["book"]["name"] == "a.xlsx"
    assert {"name", "values"} <= set(p["sheets"][0])
    wb = openpyxl.load_workbook(payloads["_path_a"]["path"])
    expected = named_cells(wb)
    titles = [s["name"] for s in p["sheets"]]
    for entry in p["names"]:
        assert entry["book_scope"] is True and entry["refers_to"].startswith("=")
        if entry["name"] in expected:
            assert (titles[entry["sheet_index"]], entry["address"]) == expected[entry["name"]]
    json.dumps(p)


@pytest.mark.parametrize("key", ["a", "a-en"])
def test_check_writes_the_findings_and_only_owned_cells(payloads: dict, key: str) -> None:
    book = book_of(payloads[key])
    report = run.run_check(book)
    assert report.ok and report.written and report.lang == ("en" if key == "a-en" else "nl")
    actions = assert_only_owned(book, payloads[key])
    assert {c.name for c in report.changes} == {"addin_bevindingen", "addin_fouten",
                                                 "addin_waarschuwingen", "addin_status"}
    expected = check_scenario(example_scenario("stappenplan-a")).findings
    table = next(a for a in actions if a["row_count"] == owned.FINDINGS_ROWS)["values"]
    assert [row[4] for row in table[:len(expected)]] == [f.rule for f in expected]
    assert [row[6] for row in table[:len(expected)]] == [f.message(report.lang)
                                                        for f in expected]
    assert all(v == "" for row in table[len(expected):] for v in row)
    status = next(a for a in actions if a["values"][0][0] and str(
        a["values"][0][0]).startswith(("Controle:", "Check:")))
    assert status["values"][0][0].startswith("Check:" if key == "a-en" else "Controle:")
    # Excel applies the actions; the same check again changes nothing.
    applied = copy.deepcopy(payloads[key])
    apply_actions(applied, actions)
    again = run.run_check(book_of(applied))
    assert again.written and sum(c.cells for c in again.changes) == 0
    assert ("0 cel(len) gewijzigd" in again.text()) or ("Changed 0 cell" in again.text())


@pytest.mark.parametrize("target", list(TARGETS))
def test_each_solver_writes_its_own_cells_only(payloads: dict, target: str) -> None:
    book = book_of(payloads["a"])
    report = run.run_solve(book, target, PRICE.get(target))
    actions = assert_only_owned(book, payloads["a"])
    expected = solve(example_scenario("stappenplan-a"), target, PRICE.get(target))
    value_name = f"oplossing_{TARGETS[target].slug}"
    assert report.written and set(report.writes) == {value_name, value_name + "_grens",
                                                    value_name + "_prijs", "addin_status"}
    value = report.writes[value_name][0][0]
    assert value == (expected.value if expected.ok else None)
    assert len(actions) == 4
    if target == "max-price":
        assert value == pytest.approx(882_000, abs=0.01)
        assert report.writes[value_name + "_grens"][0][0].startswith("kasstroom")
    if target == "min-rent":  # at the market value the LTV limit binds: no rent solves it
        assert value is None and report.writes[value_name + "_prijs"][0][0] == 1_500_000
        assert report.writes[value_name + "_grens"][0][0].startswith("LTV")


def test_english_template_and_empty_template(payloads: dict) -> None:
    book = book_of(payloads["template"])
    report = run.run_check(book)  # the check still reports, in the findings table
    assert report.written and not report.check.ok
    assert {"invoer_ontbreekt", "invoer_geen_woningen"} <= {f.rule for f in report.findings}
    assert_only_owned(book, payloads["template"])
    book = book_of(payloads["template"])
    failed = run.run_solve(book, "max-price")
    assert not failed.ok and book.json()["actions"] == [] and failed.findings
    assert "Er is geen cel gewijzigd" in failed.text()


def _rename_sheet(p: dict, old: str, new: str) -> None:
    for sheet in p["sheets"]:
        if sheet["name"] == old:
            sheet["name"] = new
    for entry in p["names"]:
        entry["refers_to"] = entry["refers_to"].replace(f"'{old}'!", f"'{new}'!")


def _drop_name(p: dict, name: str) -> None:
    p["names"] = [n for n in p["names"] if n["name"] != name]


def _break_name(p: dict, name: str) -> None:
    entry = next(n for n in p["names"] if n["name"] == name)
    entry.update(sheet_index=None, address=None, refers_to="=#REF!$C$8")


HOSTILE = [
    ("text in a number cell", lambda p: set_cell(p, "rente", "vier"), "invoer_tekst"),
    ("number typed as text", lambda p: set_cell(p, "woning_huur", " 600 "), "invoer_tekst"),
    ("blank required input", lambda p: set_cell(p, "exploitatielasten", ""), "invoer_ontbreekt"),
    ("error value", lambda p: set_cell(p, "huurderving", "#DIV/0!"), "invoer_foutwaarde"),
    ("percentage typed as 400", lambda p: set_cell(p, "rente", 4), "invoer_percentage"),
    ("zero homes", lambda p: set_cell(p, "woning_aantal", 0), "invoer_geen_woningen"),
    ("missing name", lambda p: _drop_name(p, "rente"), "naam_ontbreekt"),
    ("name to a deleted sheet", lambda p: _break_name(p, "exploitatielasten"), "naam_ongeldig"),
    ("date in a number cell", lambda p: set_cell(p, "eigen_inbreng", "2026-01-01T00:00:00.000Z"),
     "invoer_geen_getal"),
]


@pytest.mark.parametrize(("what", "spoil", "rule"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_input_gives_findings_and_a_failed_solve_changes_nothing(
        payloads: dict, what: str, spoil: Any, rule: str) -> None:
    p = copy.deepcopy(payloads["a"])
    spoil(p)
    book = jsonbook.Book(p)
    report = run.run_check(book)
    assert rule in {f.rule for f in report.findings}, (what, report.findings)
    assert report.written and report.writes["addin_fouten"][0][0] >= 1
    assert_only_owned(book, p)
    for target in TARGETS:
        book = jsonbook.Book(copy.deepcopy(p))
        failed = run.run_solve(book, target, PRICE.get(target))
        assert not failed.ok and not failed.written and failed.findings
        assert book.json()["actions"] == []  # a failed run changes no cell


def test_renamed_sheets_change_nothing(payloads: dict) -> None:
    """Excel updates the names when a sheet is renamed; the add-in only uses names."""
    p = copy.deepcopy(payloads["a"])
    _rename_sheet(p, "Invoer", "Mijn invoer")
    _rename_sheet(p, "Controles", "Toetsen")
    book = jsonbook.Book(p)
    report = run.run_check(book)
    plain = run.run_check(book_of(payloads["a"]))
    assert [f.rule for f in report.findings] == [f.rule for f in plain.findings]
    assert all("'Toetsen'!" in c.address for c in report.changes)
    assert_only_owned(book, p)
    book = jsonbook.Book(p)
    assert run.run_solve(book, "max-price").written
    assert_only_owned(book, p)


def test_without_owned_cells_nothing_is_written(payloads: dict) -> None:
    book = book_of(payloads["a-plain"])
    report = run.run_check(book)
    assert not report.ok and not report.written and book.json()["actions"] == []
    assert "addin_" in report.problem_en and "Er is geen cel gewijzigd" in report.text()
    p = copy.deepcopy(payloads["a"])
    _drop_name(p, "oplossing_max_aankoopprijs_grens")  # one owned cell gone: none written
    book = jsonbook.Book(p)
    assert not run.run_solve(book, "max-price").written and book.json()["actions"] == []


def test_an_internal_error_is_a_finding_and_changes_nothing(
        payloads: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(run, "check_document", broken)
    book = book_of(payloads["a"])
    report = run.run_check(book)
    assert not report.ok and report.findings[0].rule == "interne_fout"
    assert "boom" in report.findings[0].message_en and book.json()["actions"] == []


def test_reading_follows_xlwings_conventions(payloads: dict) -> None:
    book = book_of(payloads["a"])
    rng = book.names["woning_huur"].refers_to_range
    assert rng.shape == (8, 1) and re.fullmatch(r"\$[A-Z]\$\d+:\$[A-Z]\$\d+", rng.address)
    assert rng.options(ndim=2).value[0] == [600]
    assert rng.value[:2] == [600, None]  # a column: a flat list, blanks None
    p = copy.deepcopy(payloads["a"])
    set_cell(p, "huurderving", "#N/A")
    rng = jsonbook.Book(p).names["huurderving"].refers_to_range
    assert rng.value is None and rng.options(err_to_str=True).value == "#N/A"
    assert cells.read_block(jsonbook.Book(p), "huurderving") == [["#N/A"]]
    with pytest.raises(cells.NameProblem):
        cells.named_range(book, "bestaat_niet")


def test_lite_scripts_are_xlwings_scripts_over_a_book(payloads: dict,
                                                       capsys: pytest.CaptureFixture) -> None:
    import xlwings as xw

    assert len(lite.__all__) == 6
    for name in lite.__all__:
        fn = getattr(lite, name)
        hints = get_type_hints(fn)
        assert hints["book"] is xw.Book and fn.__doc__
        book = book_of(payloads["a"])
        report = fn(book)
        assert isinstance(report, run.Report) and report.written
        assert_only_owned(book, payloads["a"])
    assert "Maximale aankoopprijs: € 882.000" in capsys.readouterr().out
    report = lite.xlcoop_min_huur(book_of(payloads["a"]), 1_500_000.0)
    assert report.solution.value == pytest.approx(913.7055837563452)


def test_the_documented_main_py_registers_every_script() -> None:
    text = (ROOT / "docs" / "addin.md").read_text(encoding="utf-8")
    block = re.search(r"( *)```python\n(\1# xlcoop.*?)\1```", text, re.S)
    assert block is not None
    assert textwrap.dedent(block.group(2)) == lite.MAIN_PY
    assert len(lite.MAIN_PY.strip().splitlines()) == 2
    namespace: dict[str, Any] = {}
    exec(compile(lite.MAIN_PY, "main.py", "exec"), namespace)
    assert set(lite.__all__) <= set(namespace)
    assert re.search(r"```text\n *" + re.escape(lite.REQUIREMENTS_TXT) + " *```", text)


def test_desktop_entry_points_and_vba(payloads: dict, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture) -> None:
    vba = desktop.vba_module()
    for macro, function, _label, _price in desktop.BUTTONS:
        assert f"Sub {macro}()" in vba and callable(getattr(desktop, function))
        assert f"from xlcoop.addin.desktop import {function}; {function}(" in vba
    book = book_of(payloads["a"])
    monkeypatch.setattr(desktop, "_caller", lambda: book)
    assert desktop.max_aankoopprijs().written  # no app.alert on the stand-in: printed
    assert "882.000" in capsys.readouterr().out
    assert_only_owned(book, payloads["a"])


def test_checks_solvers_and_the_addin_core_need_no_excel_libraries() -> None:
    """They must import inside Excel (Pyodide): no openpyxl, formulas, numpy or xlwings."""
    code = ("import sys; import xlcoop.checks, xlcoop.solve, xlcoop.addin.run, "
            "xlcoop.addin.jsonbook; heavy = {'openpyxl', 'formulas', 'numpy', 'xlwings'} & "
            "set(m.split('.')[0] for m in sys.modules); print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout.strip()
    assert out == "[]"
