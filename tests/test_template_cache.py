"""The audit's reference of the standard template, kept on disk between processes."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from xlcoop.audit import template_cache
from xlcoop.audit.reference import _build, reference
from xlcoop.audit.run import _lint_template, audit, template_lint


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XLCOOP_CACHE_DIR", str(tmp_path))
    return tmp_path


def _same(a, b) -> None:
    assert a.formulas == b.formulas and a.names == b.names and a.inputs == b.inputs
    assert a.fingerprint == b.fingerprint != ""
    for key in a.keys:
        assert a.raw_keys(key) == b.raw_keys(key) and a.cell_keys(key) == b.cell_keys(key)


def test_stored_reference_is_the_built_one(folder: Path) -> None:
    built = template_cache.stored("reference", "nl", lambda: _build("nl"))
    files = list(folder.glob("reference-nl-*.pickle"))
    assert [f.name for f in files] == [f"reference-nl-{template_cache.code_key()}.pickle"]
    loaded = template_cache.stored("reference", "nl", lambda: pytest.fail("built again"))
    _same(loaded, built)
    _same(loaded, reference("nl"))
    assert template_cache.stored("lint", "nl", lambda: _lint_template("nl")) == \
        template_lint("nl")


def test_a_damaged_file_is_built_again_and_older_ones_go(folder: Path) -> None:
    path = folder / f"lint-en-{template_cache.code_key()}.pickle"
    path.write_bytes(b"\x80\x05 truncated")
    (folder / "lint-en-0000000000000000.pickle").write_bytes(pickle.dumps(("old",)))
    assert template_cache.stored("lint", "en", lambda: ("fresh",)) == ("fresh",)
    assert pickle.loads(path.read_bytes()) == ("fresh",)
    assert [p.name for p in folder.glob("lint-en-*")] == [path.name]


def test_no_folder_or_an_unwritable_one_only_costs_time(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XLCOOP_CACHE_DIR", "")
    assert template_cache.cache_dir() is None
    assert template_cache.stored("lint", "nl", lambda: ("built",)) == ("built",)
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XLCOOP_CACHE_DIR", str(blocked / "sub"))
    assert template_cache.stored("lint", "nl", lambda: ("built",)) == ("built",)


def test_the_key_follows_the_code(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    copy = tmp_path / "xlcoop"
    copy.mkdir()
    (copy / "layout.py").write_text("TEMPLATE_VERSION = '1'\n")
    monkeypatch.setattr(template_cache, "PACKAGE", copy)
    template_cache.code_key.cache_clear()
    try:
        first = template_cache.code_key()
        (copy / "layout.py").write_text("TEMPLATE_VERSION = '2'\n")
        template_cache.code_key.cache_clear()
        assert template_cache.code_key() != first
    finally:
        template_cache.code_key.cache_clear()


def test_audit_with_the_stored_reference_is_clean(folder: Path) -> None:
    from xlcoop import scenario
    from xlcoop.audit.findings import CRITICAL, ERROR
    from xlcoop.workbook.writer import write_workbook

    root = Path(__file__).resolve().parent.parent
    book = write_workbook(folder / "a.xlsx",
                          scenario.load(root / "examples" / "stappenplan-a.toml"))
    report = audit(book)
    assert "integrity" in report.checked and report.fingerprint_expected
    assert not [f for f in report.findings if f.severity in (CRITICAL, ERROR)]
