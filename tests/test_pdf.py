"""`xlcoop pdf`: every committed workbook gives a PDF whose text holds its key figures.

All committed workbooks go through LibreOffice in one call (``export_pdf``); one more run goes
through the command line with ``--sheets`` (the bank pages only)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from xlcoop.cli import main
from xlcoop.commands.pdf import export_pdf
from xlcoop.engines.libreoffice import find_soffice
from xlcoop.model import compute
from xlcoop.workbook.reader import read_scenario

ROOT = Path(__file__).resolve().parent.parent
BOOKS = sorted((ROOT / "workbooks").glob("*.xlsx"))
KEY = ("max_lening", "max_aankoopprijs", "verkoopprijs", "lening", "netto_cashflow")

pytestmark = pytest.mark.skipif(find_soffice() is None or shutil.which("pdftotext") is None,
                                reason="LibreOffice or pdftotext not installed")


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout


def digits(text: str) -> str:
    """The text with thousands separators removed ('882.000' and '882,000' -> '882000')."""
    return re.sub(r"(?<=\d)[.,\u00a0 ](?=\d{3}\b)", "", text)


def test_every_committed_workbook_prints_its_key_figures(tmp_path: Path) -> None:
    assert len(BOOKS) >= 5
    made = export_pdf(BOOKS, tmp_path)
    for book in BOOKS:
        text = digits(pdf_text(made[book]))
        assert "Samenvatting" in text and "Financiering" in text, book.name
        if book.stem == "xlcoop-template":
            continue  # the empty template: no figures to show
        r = compute(read_scenario(book))
        for name in KEY:
            value = round(r[name])
            if abs(value) >= 1000:
                assert str(value) in text, (book.name, name, value)


def test_cli_pdf_only_the_chosen_sheets(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    book = ROOT / "workbooks" / "stappenplan-a.xlsx"
    out = tmp_path / "bank.pdf"
    assert main(["pdf", str(book), "-o", str(out), "--sheets", "samenvatting"]) == 0
    text = pdf_text(out)
    assert "Samenvatting" in text and "Exploitatie —" not in text
    assert "882000" in digits(text)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bank.pdf"]
    assert main(["pdf", str(book), "-o", str(tmp_path / "b.pdf"), "--sheets", "nergens"]) == 2
    assert "onbekend blad" in capsys.readouterr().err


def test_missing_libreoffice_is_one_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import xlcoop.engines.libreoffice as lo

    monkeypatch.setattr(lo, "find_soffice", lambda: None)
    out = tmp_path / "a.pdf"
    code = main(["pdf", str(ROOT / "workbooks" / "stappenplan-a.xlsx"), "-o", str(out)])
    assert code == 2 and "LibreOffice (soffice) is niet geïnstalleerd" in capsys.readouterr().err
    assert not out.exists()
