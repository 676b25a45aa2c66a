"""The audit's two memos (``shapes``: a sheet part read again from its values; and
``integrity_memo``: the template check of a structure seen before) change its speed, never its
report. Each file is audited once with both memos empty and once after a clean workbook of the
same template taught them; the reports must be equal in every field. The edits keep the sheets'
shapes (only the text of a ``<v>`` changes), so the memos are on the path they must not bend.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_audit_corpus import fresh_example, sheet_part, where, write_zip, zip_parts

from xlcoop.audit import audit, integrity_memo, memo, shapes
from xlcoop.audit.findings import Report
from xlcoop.audit.package import read_package
from xlcoop.audit.reference import reference
from xlcoop.audit.safety import scan

ROOT = Path(__file__).resolve().parent.parent


def as_dict(report: Report) -> dict[str, Any]:
    out = dataclasses.asdict(report)
    out.pop("seconds")
    return out


def forget() -> None:
    memo.forget()


def cold(path: Path) -> dict[str, Any]:
    forget()
    return as_dict(audit(path))


def package(path: Path) -> Any:
    return read_package(scan(path, Report(str(path))).parts)


def edit_value(src: Path, dst: Path, name: str, value: Callable[[str], str]) -> Path:
    """Copy with the ``<v>`` text of the cell of ``name`` replaced: the sheet keeps its shape."""
    parts = zip_parts(src)
    key, _, addr = where(name)
    part = sheet_part(parts, key)
    xml = parts[part].decode()
    m = re.search(rf'(<c r="{addr}"[^>]*>(?:<f[^>]*>[^<]*</f>)?<v>)([^<]*)(</v>)', xml)
    assert m, (name, addr)
    parts[part] = (xml[: m.start(2)] + value(m.group(2)) + xml[m.end(2):]).encode()
    return write_zip(dst, parts)


def string_index(src: Path, text: str) -> str:
    """The shared-string index of ``text`` (a LibreOffice-saved file; xlcoop writes inline)."""
    sst = zip_parts(src)["xl/sharedStrings.xml"].decode()
    items = re.findall(r"<si>(.*?)</si>", sst, re.S)
    return str(next(i for i, item in enumerate(items) if f">{text}<" in item))


def variants(a: Path, folder: Path) -> dict[str, Path]:
    """Value-only edits of ``a``: an input, a norm, a cached result; in a file with shared
    strings also the version (a string constant, its index swapped for another text's)."""
    out = {
        "clean": a,
        "input": edit_value(a, folder / "input.xlsx", "rente", lambda v: "0.031"),
        # a norm few formulas read: the recompute of what it changes stays short
        "norm": edit_value(a, folder / "norm.xlsx", "icr_min_netto_standaard",
                           lambda v: repr(float(v) * 1.5)),
        "cached": edit_value(a, folder / "cached.xlsx", "dscr_min", lambda v: "9.75"),
    }
    if "xl/sharedStrings.xml" in zip_parts(a):
        other = string_index(a, "Lening")
        out["version"] = edit_value(a, folder / "version.xlsx", "template_versie",
                                    lambda v: other)
    return out


def same_report_warm_and_cold(files: dict[str, Path], teacher: Path,
                              structure_kept: bool = True) -> dict[str, dict[str, Any]]:
    """Each file's report after ``teacher`` taught the memos equals its report without them,
    and (``structure_kept``) the memo was on its path: the teacher's structure. Returns the
    reports."""
    ref = reference("nl")
    reports = {}
    for name, path in files.items():
        expected = reports[name] = cold(path)
        forget()
        assert audit(teacher).status == "clean"
        key = integrity_memo.structure(package(path), ref)
        kept = key is not None and key in integrity_memo._KNOWN
        assert kept == structure_kept, (name, "structure kept")
        assert as_dict(audit(path)) == expected, name
    forget()
    return reports


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return variants(fresh_example(), tmp_path_factory.mktemp("memo"))


def test_a_file_of_a_known_shape_gets_the_report_of_a_fresh_audit(
        edited: dict[str, Path]) -> None:
    same_report_warm_and_cold(edited, edited["clean"])


def test_a_dangerous_formula_is_found_after_a_clean_file_taught_the_memos(
        tmp_path: Path) -> None:
    """The scan skips the formula search in a sheet part whose shape it found clean: a
    dangerous formula changes the shape, so it is searched and found as in a fresh audit."""
    from test_audit_corpus import dde, webservice

    files = {"dde": dde(tmp_path / "dde.xlsx"),
             "webservice": webservice(tmp_path / "webservice.xlsx")}
    reports = same_report_warm_and_cold(files, fresh_example(), structure_kept=False)
    for name, report in reports.items():
        assert any(f["severity"] == "critical" and f["category"] == "safety"
                   for f in report["findings"]), name


def edits_are_findings(edited: dict[str, Path]) -> None:
    """What the memo must not hide: each edit is what a fresh audit reports."""
    assert audit(edited["clean"]).status == "clean"
    codes = {name: {f.code for f in audit(path).findings} for name, path in edited.items()}
    assert "norm_changed" in codes["norm"]
    assert "cached_differs" in codes["cached"]
    assert "cached_differs" in codes["input"]  # the file's cache is of the old rate
    if "version" in edited:
        assert "version_unknown" in codes["version"]


def test_the_edits_are_findings(edited: dict[str, Path]) -> None:
    edits_are_findings(edited)


@pytest.mark.parametrize("book", sorted(p.name for p in (ROOT / "workbooks").glob("*.xlsx")))
def test_sheets_read_from_a_shape_learned_on_another_file_equal_the_parser_s(book: str) -> None:
    """Cells in the parser's order, values, formulas, styles, hidden lines: learned from every
    committed workbook, then read from the shapes they share."""
    books = sorted((ROOT / "workbooks").glob("*.xlsx"))
    path = ROOT / "workbooks" / book
    forget()
    parsed = package(path)
    forget()
    for other in books:
        if other != path:
            package(other)
    shared = {s.shape for s in package(books[0] if books[0] != path else books[1]).sheets}
    filled = package(path)
    assert {s.shape for s in filled.sheets} & shared, "some sheet was read from a shape"
    for a, b in zip(parsed.sheets, filled.sheets, strict=True):
        assert list(a.cells.items()) == list(b.cells.items()), a.title
        assert a == b, a.title
    forget()


@pytest.mark.parametrize("odd", [
    b"<!-- <v>1</v> -->",  # a value the parser does not see
    b'<c r="ZZ1"><v xml:space="preserve">2</v></c>',  # one the split does not see
])
def test_a_part_whose_values_the_split_cannot_vouch_for_is_never_learned(
        odd: bytes, tmp_path: Path) -> None:
    parts = zip_parts(fresh_example())
    part = sheet_part(parts, "lening")
    data = parts[part]
    if odd.startswith(b"<c"):
        end = data.index(b"</row>")
        parts[part] = data[:end] + odd + data[end:]
    else:
        end = data.index(b"<sheetData>")
        parts[part] = data[:end] + odd + data[end:]
    path = write_zip(tmp_path / "odd.xlsx", parts)
    forget()
    pkg = package(path)
    sheet = next(s for s in pkg.sheets if s.part == part)
    digest = shapes.keyed(shapes.split(parts[part])[0], shapes.unlocked_key(pkg.unlocked_styles))
    assert sheet.shape == b"" and shapes.known(digest) is None
    assert integrity_memo.structure(pkg, reference("nl")) is None
    forget()
