"""The safety scan: the raw file and its zip entries, before any XML is parsed.

Everything here works on bytes with bounded reads: the file is read once (size-capped) into
memory, entries are decompressed in chunks with per-entry and total limits, and XML is only
searched, never parsed. A part with a DOCTYPE or ENTITY declaration is never handed to an XML
parser (billion laughs, external entities), and nothing is executed or written.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from xlcoop.audit.findings import CRITICAL, ERROR, SAFETY, WARNING, Finding, Report
from xlcoop.audit.memo import Memo

MAX_FILE_BYTES = 64 * 2**20  # the file as received
MAX_ENTRIES = 1_000
MAX_PART_BYTES = 25 * 2**20  # one entry, uncompressed (a standard sheet is ~20-300 kB)
MAX_TOTAL_BYTES = 100 * 2**20  # all entries, uncompressed
MAX_RATIO = 100  # uncompressed / compressed, checked for entries above RATIO_FLOOR
RATIO_FLOOR = 2**20
CHUNK = 2**16

# Functions that run code, call out to the network or a server, or lure the reader elsewhere.
DANGEROUS = {
    "CALL": "code", "REGISTER": "code", "REGISTER.ID": "code", "EXEC": "code",
    "WEBSERVICE": "network", "RTD": "network", "IMAGE": "network", "FILTERXML": "network",
    "HYPERLINK": "link",
}
_NO_FORMULAS = ("sharedStrings.xml", "styles.xml", "theme1.xml")  # text only, no formulas
_SUSPECT = (*(n.encode() for n in DANGEROUS), b"|")
# The text of a cell formula, conditional-format or validation formula, or defined name.
_FORMULA_ELEM = re.compile(rb"<(?:\w+:)?(?:f|formula\d?|definedName)\b[^>]*>([^<]*)<")
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "een PNG-afbeelding / a PNG image"),
    (b"\xff\xd8\xff", "een JPEG-afbeelding / a JPEG image"),
    (b"GIF8", "een GIF-afbeelding / a GIF image"),
    (b"%PDF", "een PDF-document / a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     "een OLE2-bestand: oud .xls-formaat of een met wachtwoord versleutelde werkmap / an OLE2 "
     "file: legacy .xls or a password-encrypted workbook"),
    (b"PK\x05\x06", "een leeg zip-archief / an empty zip archive"),
    (b"{\\rtf", "een RTF-document / an RTF document"),
)
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']""")


@dataclass
class Scan:
    """What the scan read: the XML parts (bounded) and the list of entries."""

    parts: dict[str, bytes] = field(default_factory=dict)
    entries: list[str] = field(default_factory=list)
    blocked: bool = True  # True: the file must not (or cannot) be parsed
    sheet_parts: dict[str, str] = field(default_factory=dict)  # part -> sheet title
    # sheet part -> (digest of its shape, its values): shapes.split, done once for both the
    # formula scan here and the parser
    splits: dict[str, tuple[bytes, list[bytes]]] = field(default_factory=dict)


def _finding(code: str, severity: str = CRITICAL, **params: object) -> Finding:
    return Finding(code, severity, SAFETY, dict(params))


def scan(path: Path, report: Report) -> Scan:
    """Scan ``path``; findings go to ``report``. Never writes, never parses XML."""
    result = Scan()
    data = _read(path, report)
    if data is None:
        return result
    if not data.startswith(b"PK\x03\x04"):
        report.unreadable = True
        report.add(_finding("not_xlsx", what=_identify(data)))
        return result
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        report.unreadable = True
        report.add(_finding("damaged_zip", detail=str(exc)))
        return result
    result.entries = [i.filename for i in infos]
    if not _entries_ok(infos, report):
        return result
    if not _read_entries(zf, infos, result, report):
        return result
    if not _is_workbook(result, report):
        return result
    result.sheet_parts = _sheet_parts(result.parts)
    if not _xml_ok(result, report):
        return result
    _active_content(result, report)
    _formulas(result, report)
    _hidden_sheets(result, report)
    result.blocked = False
    return result


def _read(path: Path, report: Report) -> bytes | None:
    try:
        if not path.is_file():
            report.unreadable = True
            report.add(_finding("file_missing"))
            return None
        size = path.stat().st_size
        report.size = size
        if size == 0:
            report.unreadable = True
            report.add(_finding("empty_file"))
            return None
        if size > MAX_FILE_BYTES:
            report.add(_finding("file_too_large", size=size, limit=MAX_FILE_BYTES))
            report.unreadable = True
            return None
        with path.open("rb") as fh:  # read-only: the input is never written
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        report.unreadable = True
        report.add(_finding("file_unreadable", detail=exc.strerror or str(exc)))
        return None
    report.sha256 = hashlib.sha256(data).hexdigest()
    return data


def _identify(data: bytes) -> str:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    head = data[:512].lstrip()
    if head.startswith(b"<"):
        return "XML- of HTML-tekst (geen .xlsx) / XML or HTML text (not .xlsx)"
    try:
        head.decode("utf-8")
        return "platte tekst (bijv. CSV) / plain text (e.g. CSV)"
    except UnicodeDecodeError:
        return "een onbekend binair formaat / an unknown binary format"


def _entries_ok(infos: list[zipfile.ZipInfo], report: Report) -> bool:
    """Declared sizes, counts, names and encryption; False when the file must not be read."""
    ok = True
    if len(infos) > MAX_ENTRIES:
        report.add(_finding("zip_bomb", reason="entries", value=len(infos), limit=MAX_ENTRIES))
        return False
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if name in seen:
            report.add(_finding("duplicate_entry", entry=name))
            ok = False
        seen.add(name)
        if name.startswith(("/", "\\")) or ".." in PurePosixPath(name).parts or "\\" in name:
            report.add(_finding("suspicious_entry", WARNING, entry=name))
        if info.flag_bits & 0x1:
            report.add(_finding("encrypted_entry", entry=name))
            ok = False
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.compress_size and \
                info.file_size / info.compress_size > MAX_RATIO:
            report.add(_finding("zip_bomb", reason="ratio", entry=name,
                                value=round(info.file_size / info.compress_size),
                                limit=MAX_RATIO))
            ok = False
        elif info.file_size > MAX_PART_BYTES:
            report.unreadable = True
            report.add(_finding("part_too_large", entry=name, size=info.file_size,
                                limit=MAX_PART_BYTES))
            ok = False
    if ok and total > MAX_TOTAL_BYTES:
        report.unreadable = True
        report.add(_finding("part_too_large", entry="*", size=total, limit=MAX_TOTAL_BYTES))
        ok = False
    return ok


def _read_entries(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], result: Scan,
                  report: Report) -> bool:
    """Decompress every entry in chunks, enforcing the limits on the real (not declared) sizes."""
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        keep = info.filename.lower().endswith((".xml", ".rels", ".vml"))
        chunks: list[bytes] = []
        size = 0
        try:
            with zf.open(info) as fh:
                while chunk := fh.read(CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if size > max(info.file_size, 0) or size > MAX_PART_BYTES \
                            or total > MAX_TOTAL_BYTES:
                        report.add(_finding("zip_bomb", reason="inflates", entry=info.filename,
                                            value=size, limit=min(MAX_PART_BYTES,
                                                                  info.file_size)))
                        return False
                    if keep:
                        chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError,
                NotImplementedError, ValueError) as exc:
            report.unreadable = True
            report.add(_finding("damaged_zip", detail=f"{info.filename}: {exc}"))
            return False
        if keep:
            result.parts[info.filename] = b"".join(chunks)
    return True


def _is_workbook(result: Scan, report: Report) -> bool:
    names = set(result.entries)
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return True
    if "word/document.xml" in names:
        what = "een Word-document / a Word document"
    elif "ppt/presentation.xml" in names:
        what = "een PowerPoint-presentatie / a PowerPoint presentation"
    elif "content.xml" in names and "mimetype" in names:
        what = "een OpenDocument-bestand (.ods/.odt) / an OpenDocument file"
    else:
        what = "een zip-archief zonder werkmap / a zip archive without a workbook"
    report.unreadable = True
    report.add(_finding("not_xlsx", what=what))
    return False


def _xml_ok(result: Scan, report: Report) -> bool:
    """Entity declarations and non-UTF-8 encodings stop the audit before any parser runs."""
    ok = True
    for name, data in result.parts.items():
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:64]:
            report.add(_finding("xml_encoding", entry=name, encoding="UTF-16"))
            ok = False
            continue
        m = _ENCODING.match(data[:200].removeprefix(b"\xef\xbb\xbf"))
        if m and m.group(1).decode("ascii", "replace").lower().replace("_", "-") not in (
                "utf-8", "utf8", "us-ascii", "ascii"):
            report.add(_finding("xml_encoding", entry=name,
                                encoding=m.group(1).decode("ascii", "replace")))
            ok = False
            continue
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            external = b"SYSTEM" in data or b"PUBLIC" in data
            report.add(_finding("xml_entities", entry=name, external=external))
            ok = False
    return ok


def _attrs(tag: bytes) -> dict[str, str]:
    return {k.decode().split(":")[-1]: html.unescape(v.decode("utf-8", "replace"))
            for k, v in _ATTR.findall(tag)}


def _rels(parts: dict[str, bytes], rels_part: str) -> list[dict[str, str]]:
    return [_attrs(tag) for tag in _REL.findall(parts.get(rels_part, b""))]


def _sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Worksheet part -> sheet title, from workbook.xml and its relationships (by regex)."""
    targets = {r.get("Id"): r.get("Target", "") for r in _rels(parts, "xl/_rels/workbook.xml.rels")}
    out = {}
    for tag in _SHEET_TAG.findall(parts.get("xl/workbook.xml", b"")):
        attrs = _attrs(tag)
        target = targets.get(attrs.get("id"))
        if target:
            out[resolve_target("xl/workbook.xml", target)] = attrs.get("name", "?")
    return out


def resolve_target(source: str, target: str) -> str:
    """A relationship target as an entry name (relative to the source part's folder)."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = list(PurePosixPath(source).parent.parts)
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def _active_content(result: Scan, report: Report) -> None:
    """Macros, OLE, ActiveX, external links, DDE, data connections and external targets."""
    entries = result.entries
    lower = [e.lower() for e in entries]
    content_types = result.parts.get("[Content_Types].xml", b"").lower()
    macros = [e for e, low in zip(entries, lower, strict=True)
              if low.endswith("vbaproject.bin") or low.startswith(("xl/macrosheets/",
                                                                   "xl/dialogsheets/"))]
    if macros or b"macroenabled" in content_types or b"vbaproject" in content_types:
        report.add(_finding("macro", entries=macros or ["[Content_Types].xml"]))
    ole = [e for e, low in zip(entries, lower, strict=True)
           if low.startswith(("xl/embeddings/", "xl/activex/"))]
    if ole or b"oleobject" in content_types:
        report.add(_finding("ole_object", entries=ole or ["[Content_Types].xml"]))
    for name in entries:
        if not name.lower().startswith("xl/externallinks/") or not name.endswith(".xml"):
            continue
        data = result.parts.get(name, b"")
        dde = re.search(rb"<(?:\w+:)?ddeLink\b[^>]*>", data)
        if dde:
            attrs = _attrs(dde.group())
            report.add(_finding("dde_link", entry=name, service=attrs.get("ddeService", "?"),
                                topic=attrs.get("ddeTopic", "?")))
            continue
        if re.search(rb"<(?:\w+:)?oleLink\b", data):
            report.add(_finding("ole_object", entries=[name]))
            continue
        rels = _rels(result.parts, _rels_of(name))
        target = next((r.get("Target", "?") for r in rels), "?")
        report.add(_finding("external_link", entry=name, target=target))
    if any(low == "xl/connections.xml" or low.startswith("xl/querytables/") for low in lower):
        report.add(_finding("data_connection", entries=[e for e in entries
                                                        if "connection" in e.lower()
                                                        or "querytable" in e.lower()]))
    addins = [e for e, low in zip(entries, lower, strict=True)
              if low.startswith(("customui/", "xl/webextensions/"))]
    if addins:
        report.add(_finding("add_in_part", WARNING, entries=addins))
    for name in entries:
        if not name.endswith(".rels") or "externalLink" in name:
            continue
        for rel in _rels(result.parts, name):
            if rel.get("TargetMode", "").lower() == "external":
                kind = rel.get("Type", "").rsplit("/", 1)[-1]
                report.add(_finding("external_target", WARNING, entry=name, kind=kind,
                                    target=rel.get("Target", "?")))


def _rels_of(part: str) -> str:
    p = PurePosixPath(part)
    return str(p.parent / "_rels" / (p.name + ".rels"))


def _cell_address(data: bytes, start: int) -> str | None:
    cell = data.rfind(b"<c ", 0, start)
    if cell < 0:
        return None
    m = re.search(rb'\br="([A-Z]{1,3}\d+)"', data[cell: data.find(b">", cell) + 1])
    return m.group(1).decode() if m else None


def _as_read(raw: bytes) -> bytes:
    """A formula's text upper-cased as a spreadsheet reads it: character references decoded."""
    if b"&#" in raw:
        return html.unescape(raw.decode("utf-8", "replace")).upper().encode()
    return raw.upper()


def _formulas(result: Scan, report: Report) -> None:
    """Dangerous functions and DDE calls in any formula: cells, names, rules, validations.

    Formula texts are cut out of the raw XML with one regular expression (no parser); only
    texts containing a suspect word are tokenized, so strings and labels cannot trigger it.
    """

    from xlcoop.audit import shapes

    for name, data in result.parts.items():
        if not name.startswith("xl/") or name.endswith(".rels") or \
                name.rsplit("/", 1)[-1] in _NO_FORMULAS:
            continue
        shape = None
        if name in result.sheet_parts and len(data) <= shapes.SPLIT_LIMIT:
            result.splits[name] = split = shapes.split(data)
            shape = split[0]
            if _NO_SUSPECT.find(shape):
                continue  # the shape of a part found clean: its formulas are the same
        # sheetProtection's insertHyperlinks="1" is an attribute, not a formula: not suspect.
        # A character reference (&#76; is L) can spell any name: it makes a part suspect.
        upper = data.upper().replace(b"INSERTHYPERLINKS=", b"")
        before = len(report.findings)
        if any(word in upper for word in _SUSPECT) or b"&#" in data:
            _suspect_formulas(result, name, data, report)
        if shape is not None and len(report.findings) == before:
            # every formula text lies in the shape: a part of this shape has none to report
            _NO_SUSPECT.put(shape, True)


def _suspect_formulas(result: Scan, name: str, data: bytes, report: Report) -> None:
    """The formulas of a part with a suspect word or a character reference somewhere."""
    found = [(m.start(), m.group(1)) for m in _FORMULA_ELEM.finditer(data) if m.group(1)]
    read = [_as_read(raw) for _, raw in found]
    joined = b"\n".join(read)
    if not any(word in joined for word in _SUSPECT):
        return
    from xlcoop.audit.formula import functions, tokenize  # only for a suspect formula

    seen: set[tuple[str, str | None]] = set()
    for (start, raw), upper in zip(found, read, strict=True):
        if not any(word in upper for word in _SUSPECT):
            continue
        text = html.unescape(raw.decode("utf-8", "replace"))
        address = _cell_address(data, start)
        sheet = result.sheet_parts.get(name)
        for func in (f for f in functions(text) if f in DANGEROUS):
            if (func, address) not in seen:
                seen.add((func, address))
                severity = WARNING if DANGEROUS[func] == "link" else CRITICAL
                f = _finding("dangerous_function", severity, function=func,
                             risk=DANGEROUS[func], formula=text[:200], entry=name)
                f.sheet, f.address = sheet, address
                report.add(f)
        if any(t.kind == "other" and t.text == "|" for t in tokenize(text)) and \
                ("|", address) not in seen:
            seen.add(("|", address))
            f = _finding("dde_formula", formula=text[:200], entry=name)
            f.sheet, f.address = sheet, address
            report.add(f)


# Shapes (shapes.split) of sheet parts whose formulas gave no finding: a formula is the text
# of an element of the shape (never of a <v>), so a part of the same shape has the same ones.
_NO_SUSPECT = Memo(256)  # shape digest -> True


def _hidden_sheets(result: Scan, report: Report) -> None:
    for tag in _SHEET_TAG.findall(result.parts.get("xl/workbook.xml", b"")):
        attrs = _attrs(tag)
        state = attrs.get("state", "visible")
        if state in ("hidden", "veryHidden"):
            f = _finding("very_hidden_sheet" if state == "veryHidden" else "hidden_sheet",
                         ERROR if state == "veryHidden" else WARNING)
            f.sheet = attrs.get("name", "?")
            report.add(f)
