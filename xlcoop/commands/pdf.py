"""`xlcoop pdf FILE.xlsx -o FILE.pdf [--sheets samenvatting,...]`: the print-ready bank pages.

Through headless LibreOffice with recalculation on load forced in a private profile
(``engines.libreoffice.convert``): LibreOffice 7.4 aborts when it exports a sheet with
conditional formatting, a print area and fit-to-page from a workbook it did not recalculate,
which a plain ``soffice --convert-to pdf`` does on every workbook xlcoop writes. ``--sheets``
exports only the named sheets: their pages (found by the footer each page carries) in a
second export with a page range (LibreOffice 7.4 exports hidden sheets too, so hiding the
others does not work). The input is read through the safety scan and never changed.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from xlcoop.scenario import ScenarioError


def register(subparsers: Any) -> None:
    from xlcoop.commands.conventions import add_json_lang, add_output

    p = subparsers.add_parser("pdf", help="exporteer de bankpagina's als PDF (LibreOffice)",
                              description="Exporteer een werkmap als PDF via LibreOffice "
                              "(herberekening bij laden afgedwongen). Exit 2 zonder LibreOffice.")
    p.add_argument("file", help="werkmap (.xlsx/.xlsm)")
    add_output(p, "uitvoerbestand .pdf (standaard: naam van de werkmap)")
    p.add_argument("--sheets", metavar="KEY,...",
                   help="alleen deze bladen, bijv. samenvatting,financiering (sleutels of titels)")
    add_json_lang(p, "nl")
    p.set_defaults(func=cmd_pdf)


def sheet_titles(keys: str | None, lang: str) -> list[str] | None:
    """Sheet titles for ``--sheets`` (registry keys like 'samenvatting', or titles)."""
    if not keys:
        return None
    from xlcoop.layout import SHEETS

    wanted, unknown = [], []
    for key in (k.strip() for k in keys.split(",") if k.strip()):
        sheet = next((s for s in SHEETS if key.lower() in (s.key, s.title_nl.lower(),
                                                           s.title_en.lower())), None)
        if sheet is None:
            unknown.append(key)
        else:
            wanted.append(sheet.title(lang))
    if unknown:
        raise ScenarioError([f"--sheets: onbekend blad {', '.join(unknown)}; kies uit "
                             + ", ".join(s.key for s in SHEETS)])
    return wanted


_FOOTER = re.compile(r"^(.+) — (\d+) / (\d+)\s*$", re.M)


def sheet_pages(pdf: Path, titles: list[str]) -> str:
    """The page range ('2,5-6') of the sheets ``titles`` in a whole-workbook PDF, found by the
    footer every page carries ('Samenvatting — 2 / 18'; writer's print setup)."""
    import subprocess

    if shutil.which("pdftotext") is None:
        raise ScenarioError(["--sheets: pdftotext (poppler-utils) is nodig om de bladen te "
                             "vinden; installeer het of laat --sheets weg"])
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, timeout=60, check=False).stdout
    keep = {t.upper() for t in titles}
    pages = sorted({int(m.group(2)) for m in _FOOTER.finditer(text)
                    if m.group(1).strip().upper() in keep})
    if not pages:
        raise ScenarioError(["--sheets: de gevraagde bladen hebben geen afdrukpagina's"])
    return ",".join(str(p) for p in pages)


def export_pdf(books: list[Path], outdir: Path, sheets: dict[Path, list[str] | None] | None
               = None, timeout: float = 300) -> dict[Path, Path]:
    """PDFs of ``books`` in one LibreOffice run (two when sheets are chosen: the whole workbook
    first, to find their pages): book -> outdir/<stem>.pdf."""
    from xlcoop.engines.libreoffice import convert

    sheets = sheets or {}
    with tempfile.TemporaryDirectory(prefix="xlcoop-pdf-") as tmp:
        staged = {}
        for book in books:
            copy = Path(tmp) / f"{book.stem}{book.suffix}"
            shutil.copyfile(book, copy)  # LibreOffice never sees (or locks) the input
            staged[copy] = book
        done = convert(list(staged), outdir, "pdf", timeout)
        out = {staged[copy]: pdf for copy, pdf in done.items()}
        for copy, book in staged.items():
            titles = sheets.get(book)
            if titles:
                pages = sheet_pages(out[book], titles)
                option = ('calc_pdf_Export:{"PageRange":{"type":"string","value":"'
                          + pages + '"}}')
                convert([copy], outdir, "pdf", timeout, option)
        return out


def cmd_pdf(args: argparse.Namespace) -> int:
    from xlcoop.commands.conventions import WORKBOOK_SUFFIXES, check_input, check_output
    from xlcoop.engines.libreoffice import LibreOfficeError, find_soffice
    from xlcoop.workbook.reader import read_workbook

    path = check_input(Path(args.file), WORKBOOK_SUFFIXES)
    out = Path(args.output) if args.output else path.with_suffix(".pdf")
    check_output(out, (".pdf",), args.force, (path,))
    data = read_workbook(path)  # the safety scan first: an unsafe file is never opened
    titles = sheet_titles(args.sheets, data.lang)
    if find_soffice() is None:
        raise ScenarioError(["LibreOffice (soffice) is niet geïnstalleerd; installeer het "
                             "(bijv. apt install libreoffice-calc) voor xlcoop pdf"])
    with tempfile.TemporaryDirectory(prefix="xlcoop-pdf-out-") as tmp:
        try:
            made = export_pdf([path], Path(tmp), {path: titles})[path]
        except (LibreOfficeError, ValueError) as exc:
            raise ScenarioError([f"LibreOffice kon geen PDF maken: {str(exc)[:300]}"],
                                str(path)) from None
        from xlcoop.commands.conventions import atomic_output

        with atomic_output(out) as target:
            shutil.copyfile(made, target)
    if args.json:
        print(json.dumps({"output": str(out), "sheets": titles}))
    else:
        print(f"{out} geschreven" if args.lang == "nl" else f"{out} written")
    return 0
