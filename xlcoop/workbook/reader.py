"""The one reader of a workbook: every face (calc, check, solve, audit, extract, the add-in's xlsx
path) reads a file through here, so none can tell a different story about it.

It reads only through the audit's safety scan (size, ratio, entities, parts), then only the
cells the registry names: a streaming scan of the sheet XML for the addresses it needs (never a
whole-workbook object model, never every column of a row). It returns

- the inputs as a scenario document (multi-cell inputs such as the NEN 2767 plan and the
  dwellings table included),
- the norms the workbook applies: standard value (as the workbook holds it), own value, the
  template's standard value, and a finding where the two standard values differ,
- the values the spreadsheet cached for every named key figure (``<v>`` of the cell).

A damaged or unsafe file raises ``WorkbookError``: one clear message (exit 2 on the CLI).
"""

from __future__ import annotations

import html
import math
import re
import xml.parsers.expat
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from xlcoop.scenario import Scenario, ScenarioError, validate

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
MAX_RANGE_CELLS = 400  # a registry range is at most a few hundred cells (findings table: 280)


class WorkbookError(ScenarioError):
    """The file cannot be read as a standard workbook: one message, exit status 2."""


class CellError(str):
    """An Excel error value cached in a cell, e.g. '#DIV/0!'."""

    __slots__ = ()


@dataclass(frozen=True)
class AppliedNorm:
    """A norm as the workbook applies it (Normen sheet: standard | own | used)."""

    name: str
    standard: Any  # the workbook's standard value (blank = None: the workbook computes 0)
    own: Any  # the `eigen` column (None: blank)
    template: float | None  # the standard value of the template of this version
    cached: Any = None  # the `used` value the spreadsheet last computed (None: not cached)

    @property
    def used(self) -> float:
        """What the workbook's formula `=IF(ISBLANK(eigen),standaard,eigen)` gives."""
        value = self.own if self.own is not None else self.standard
        return float(value) if isinstance(value, (int, float)) else 0.0


@dataclass
class WorkbookData:
    """What one workbook holds, read once."""

    path: str
    lang: str  # nl | en (from the sheet titles)
    template_version: str | None
    document: dict[str, Any]  # inputs as a scenario document (own norm values under normen)
    norms: dict[str, AppliedNorm] = field(default_factory=dict)
    cached: dict[str, Any] = field(default_factory=dict)  # name -> cached value (None: none)
    # every name read: (sheet title, row1, col1, row2, col2) and its values row by row
    blocks: dict[str, tuple[tuple[str, int, int, int, int], list[list[Any]]]] = \
        field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # names not read (strict=False only)
    broken: dict[str, str] = field(default_factory=dict)  # name -> its text, pointing nowhere

    def edited(self) -> dict[str, tuple[Any, float]]:
        """Norms whose standard value differs from the template's and that have no own value:
        name -> (the workbook's standard, the template's). The same rule as the add-in's."""
        from xlcoop.checks import edited_standards

        inputs = {k: v for body in self.document.values() if isinstance(body, dict)
                  for k, v in body.items()}
        own = {n.name: n.own for n in self.norms.values()}
        return edited_standards({n.name: n.standard for n in self.norms.values()}, own, inputs)

    def applied_overrides(self) -> dict[str, Any]:
        """Own values, plus every edited standard the workbook applies instead of the template's:
        the model run on these computes what the workbook computes."""
        out = dict(self.document.get("normen") or {})
        for name in self.edited():
            out[name] = self.norms[name].used
        return out

    def findings(self) -> list[Any]:
        """A finding per edited standard norm (xlcoop.checks.standard_edited)."""
        from xlcoop.checks import standard_edited

        return [standard_edited(name, v, t) for name, (v, t) in self.edited().items()]

    def scenario(self, applied: bool = True) -> Scenario:
        """The validated scenario; ``applied``: with the workbook's edited standard norms."""
        doc = dict(self.document)
        if applied:
            overrides = self.applied_overrides()
            if overrides:
                doc["normen"] = overrides
        return validate(doc, self.path)

    def has_cached_values(self) -> bool:
        return any(v is not None for v in self.cached.values())


# --------------------------------------------------------------------------------------------
# Bad paths: one message per kind (missing, a directory, not a workbook).
def path_problem(path: Path, suffixes: tuple[str, ...] = WORKBOOK_SUFFIXES) -> str | None:
    """The message for a path that cannot be a workbook to read, else None."""
    if path.is_dir():
        return "is een map, geen werkmap (.xlsx)"
    if not path.exists():
        return "bestand bestaat niet"
    if not path.is_file():
        return "is geen gewoon bestand"
    if path.suffix.lower() not in suffixes:
        return (f"geen werkmap: verwacht {' of '.join(suffixes)}, kreeg "
                f"{path.suffix or '(geen extensie)'}")
    return None


def _unreadable(path: Path, detail: str) -> WorkbookError:
    return WorkbookError([f"geen leesbare .xlsx-werkmap: {detail}"], str(path))


# --------------------------------------------------------------------------------------------
# The registry's view: which names to read.
@dataclass(frozen=True)
class _Wanted:
    inputs: tuple[Any, ...]
    columns: tuple[Any, ...]
    norms: tuple[Any, ...]
    figures: tuple[str, ...]  # single-cell outputs and checks, cached values wanted
    sizes: dict[str, int]  # name -> number of cells the registry gives it
    sheet_titles: dict[str, dict[str, str]]  # lang -> sheet key -> title


@cache
def _wanted() -> _Wanted:
    from xlcoop import layout
    from xlcoop.inputs import DWELLING_COLUMNS, INPUTS
    from xlcoop.norms import NORMS

    lay = layout.layout()
    figures = tuple(i.name for i in layout.all_items()
                    if i.kind in (layout.OUTPUT, layout.CHECK) and i.name in lay.cells)
    names = [s.name for s in INPUTS] + [c.name for c in DWELLING_COLUMNS] + list(figures)
    for n in NORMS:
        names += [n.name, n.name + layout.NORM_STANDARD_SUFFIX,
                  n.name + layout.NORM_OVERRIDE_SUFFIX]
        if n.table:
            names += [layout.table_key_range(n.table), layout.table_value_range(n.table)]
    names += ["template_versie"]
    from xlcoop.owned_cells import owned_layout

    names += [c.name for c in owned_layout().cells]
    sizes = {name: len(lay.cells_of(name)) for name in names
             if name in lay.cells or name in lay.ranges}
    titles = {lang: {s.key: s.title(lang) for s in layout.SHEETS} for lang in ("nl", "en")}
    return _Wanted(tuple(INPUTS), tuple(DWELLING_COLUMNS), tuple(NORMS), figures, sizes, titles)


# --------------------------------------------------------------------------------------------
# The package: safety scan, names, sheets.
_NAME_REF = re.compile(r"^\s*=?\s*(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?([0-9]{1,7})"
                       r"(?::\$?([A-Z]{1,3})\$?([0-9]{1,7}))?\s*$")
_DEFINED = re.compile(rb"<(?:[\w.-]+:)?definedName\b([^>]*)>([^<]*)</(?:[\w.-]+:)?definedName>")
_ATTR = re.compile(rb'([\w:.-]+)\s*=\s*"([^"]*)"')
# One cell: its attributes, then its content up to </c> (or a self-closing tag).
_CELL = re.compile(rb"<(?:[\w.-]+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?c>)", re.S)
_CELL_R_FIRST = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"(?:[^>]*?\bt="([a-zA-Z]+)")?[^>]*?'
                           rb"(?:/>|>(.*?)</c>)", re.S)
_V = re.compile(rb"<(?:[\w.-]+:)?v\b[^>]*>([^<]*)</(?:[\w.-]+:)?v>")
_T = re.compile(rb"<(?:[\w.-]+:)?t\b[^>]*>([^<]*)</(?:[\w.-]+:)?t>")
_F = re.compile(rb"<(?:[\w.-]+:)?f\b")
_R = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_TYPE = re.compile(rb'\bt="([a-zA-Z]+)"')
_SI = re.compile(rb"<(?:[\w.-]+:)?si\b[^>]*>(.*?)</(?:[\w.-]+:)?si>|<(?:[\w.-]+:)?si\b[^>]*/>",
                 re.S)
_RPH = re.compile(rb"<(?:[\w.-]+:)?rPh\b.*?</(?:[\w.-]+:)?rPh>", re.S)


def _attrs(raw: bytes) -> dict[str, str]:
    return {k.decode().split(":")[-1]: html.unescape(v.decode("utf-8", "replace"))
            for k, v in _ATTR.findall(raw)}


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _well_formed(part: str, data: bytes) -> None:
    """Expat over the part without handlers: rejects broken XML and duplicate attributes (the
    scan already refused DTDs and entities, so nothing expands)."""
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise ValueError(f"ongeldige XML in {part} ({exc})") from None


def _scan(path: Path) -> Any:
    from xlcoop.audit import safety
    from xlcoop.audit.findings import CRITICAL, Report
    from xlcoop.audit.messages import render

    report = Report(str(path))
    scanned = safety.scan(path, report)
    critical = [f for f in report.findings if f.severity == CRITICAL]
    if scanned.blocked or critical:
        first = critical[0] if critical else (report.findings[0] if report.findings else None)
        detail = render(first, "nl") if first else "niet te lezen"
        raise WorkbookError([("onveilige werkmap: " if not report.unreadable else
                              "geen leesbare .xlsx-werkmap: ") + detail.rstrip(".")
                             + " (xlcoop audit toont alles)"], str(path))
    return scanned


_ROW_TAG = re.compile(rb'<row r="([0-9]{1,7})"')


class _SheetCells:
    """Cell lookups in one sheet's XML. Fast path (xlcoop, LibreOffice and Excel write ``r``
    first and no namespace prefix): an index of the row tags, then a search for the one cell
    inside its row; only the cells asked for are parsed. Otherwise every cell is parsed once."""

    def __init__(self, part: str, data: bytes) -> None:
        self.part, self.data = part, data
        self.rows: dict[int, int] | None = None
        self.cells: dict[str, tuple[bytes | None, bytes | None]] | None = None
        plain = data.count(b"<c ") == data.count(b'<c r="') and b"<c>" not in data \
            and data.count(b"<row ") == data.count(b'<row r="') and b"<row>" not in data
        if plain:
            self.rows = {}
            for m in _ROW_TAG.finditer(data):
                self.rows.setdefault(int(m.group(1)), m.end())
        else:
            self.cells = self._all_cells()

    def get(self, ref: str, row: int) -> tuple[bytes | None, bytes | None] | None:
        if self.cells is not None:
            return self.cells.get(ref)
        assert self.rows is not None
        start = self.rows.get(row)
        if start is None:
            return None
        data = self.data
        close = data.find(b">", start)
        if close < 0 or data[close - 1:close] == b"/":
            return None  # <row .../>: no cells
        end = data.find(b"</row>", close)
        pos = data.find(b'<c r="' + ref.encode() + b'"', close, end if end >= 0 else len(data))
        if pos < 0:
            return None
        m = _CELL_R_FIRST.match(data, pos)
        return (m.group(2), m.group(3)) if m else None

    def _all_cells(self) -> dict[str, tuple[bytes | None, bytes | None]]:
        cells: dict[str, tuple[bytes | None, bytes | None]] = {}
        for m in _CELL.finditer(self.data):
            attrs = m.group(1)
            ref = _R.search(attrs)
            if ref is None:
                raise ValueError(f"{self.part}: cel zonder adres (r=) wordt niet ondersteund")
            kind = _TYPE.search(attrs)
            cells[(ref.group(1) + ref.group(2)).decode()] = (kind.group(1) if kind else None,
                                                               m.group(2))
        return cells


class _Book:
    """The scanned parts with the workbook's defined names and sheet parts."""

    def __init__(self, path: Path) -> None:
        scanned = _scan(path)
        self.path = path
        self.parts: dict[str, bytes] = scanned.parts
        self.part_of = {title.upper(): part for part, title in scanned.sheet_parts.items()}
        self.titles = list(scanned.sheet_parts.values())
        book = self.parts.get("xl/workbook.xml", b"")
        _well_formed("xl/workbook.xml", book)
        self.names: dict[str, str] = {}
        for raw_attrs, text in _DEFINED.findall(book):
            attrs = _attrs(raw_attrs)
            if "localSheetId" in attrs:
                continue  # sheet-scoped: not the workbook-level contract
            self.names.setdefault(attrs.get("name", "").lower(),
                                  html.unescape(text.decode("utf-8", "replace")))
        self._sheets: dict[str, _SheetCells] = {}
        self._strings: list[str] | None = None

    def target(self, name: str) -> tuple[str, int, int, int, int]:
        """(sheet title, row1, col1, row2, col2) a workbook-level name points at."""
        text = self.names.get(name.lower())
        if text is None:
            raise KeyError(f"{name}: naam ontbreekt in de werkmap (geen standaardwerkmap?)")
        m = _NAME_REF.match(text)
        if not m:
            raise KeyError(f"{name}: naam wijst niet naar cellen ({text[:80]})")
        sheet = (m.group(1) or "").replace("''", "'") if m.group(1) else m.group(2).strip()
        c1, r1 = _col(m.group(3)), int(m.group(4))
        c2, r2 = (_col(m.group(5)), int(m.group(6))) if m.group(5) else (c1, r1)
        return sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)

    def sheet(self, title: str) -> _SheetCells:
        """One sheet part, checked well-formed, indexed for cell lookups."""
        key = title.upper()
        if key not in self._sheets:
            part = self.part_of.get(key)
            if part is None or part not in self.parts:
                raise KeyError(f"blad {title!r} ontbreekt")
            data = self.parts[part]
            _well_formed(part, data)
            self._sheets[key] = _SheetCells(part, data)
        return self._sheets[key]

    def strings(self) -> list[str]:
        if self._strings is None:
            part = next((p for p in self.parts if p.lower().endswith("sharedstrings.xml")), None)
            data = self.parts.get(part, b"") if part else b""
            if data:
                _well_formed(part or "", data)
            self._strings = [
                html.unescape(b"".join(_T.findall(_RPH.sub(b"", m.group(1) or b""))).decode(
                    "utf-8", "replace")) for m in _SI.finditer(data)]
        return self._strings

    def value(self, title: str, row: int, col: int) -> tuple[Any, bool]:
        """(value, is formula) of one cell: the constant, or the formula's cached value."""
        from xlcoop.layout import get_column_letter

        found = self.sheet(title).get(f"{get_column_letter(col)}{row}", row)
        if found is None:
            return None, False
        kind, body = found
        body = body or b""
        formula = _F.search(body) is not None
        if kind == b"inlineStr":
            texts = _T.findall(body)
            return html.unescape(b"".join(texts).decode("utf-8", "replace")), formula
        v = _V.search(body)
        raw = html.unescape(v.group(1).decode("utf-8", "replace")) if v else None
        if raw is None or raw == "":
            return None, formula
        if kind == b"s":
            strings = self.strings()
            i = int(raw)
            return (strings[i] if 0 <= i < len(strings) else None), formula
        if kind == b"b":
            return raw.strip() in ("1", "true"), formula
        if kind == b"e":
            return CellError(raw), formula
        if kind in (b"str", b"d"):
            return raw, formula
        number = float(raw)
        return (int(number) if number.is_integer() and abs(number) < 2**53 else number), formula


# --------------------------------------------------------------------------------------------
def _blank(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _as_text(value: Any) -> Any:
    """A number typed where text belongs (a project called 2026) is still that text (the
    add-in's rule, ``addin.cells``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) \
            and not isinstance(a, bool) and not isinstance(b, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def _language(book: _Book) -> str:
    """'en' when the cover (where `template_versie` lives) is called Cover, else 'nl' (the
    add-in's rule: sheets may be renamed, the names follow them)."""
    try:
        sheet = book.target("template_versie")[0]
    except KeyError:
        sheet = ""
    cover_en = _wanted().sheet_titles["en"]["voorblad"]
    return "en" if sheet.upper() == cover_en.upper() else "nl"


def read_workbook(path: str | Path, strict: bool = True) -> WorkbookData:
    """Read one workbook through the safety scan: inputs, applied norms, cached key figures.
    Raises ``WorkbookError`` (one message) when the file is missing, unsafe or damaged, and,
    when ``strict``, when a name the registry needs is missing or points elsewhere (not
    strict: those names are left out and listed in ``problems``, as the add-in reports them)."""
    path = Path(path)
    problem = path_problem(path)
    if problem:
        raise WorkbookError([problem], str(path))
    try:
        return _read(path, strict)
    except WorkbookError:
        raise
    except (KeyError, ValueError, IndexError, OverflowError, UnicodeError) as exc:
        text = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
        raise _unreadable(path, text) from None
    except MemoryError:
        raise _unreadable(path, "te groot om te lezen") from None


def _read(path: Path, strict: bool) -> WorkbookData:
    want = _wanted()
    book = _Book(path)
    from xlcoop.owned_cells import owned_layout

    extra = [c.name for c in owned_layout().cells]
    lang = _language(book)
    problems: list[str] = []
    blocks: dict[str, Any] = {}
    broken: dict[str, str] = {}

    def cells(name: str) -> list[tuple[Any, bool]]:
        try:
            sheet, r1, c1, r2, c2 = book.target(name)
        except KeyError as exc:
            problems.append(str(exc.args[0]))
            if name.lower() in book.names:
                broken[name] = book.names[name.lower()]
            return []
        count = (r2 - r1 + 1) * (c2 - c1 + 1)
        expected = want.sizes.get(name, 1)
        if count != expected or count > MAX_RANGE_CELLS:
            problems.append(f"{name}: naam wijst naar {count} cellen, de standaard heeft er "
                            f"{expected}")
            return []
        if sheet.upper() not in book.part_of:
            problems.append(f"{name}: naam wijst naar blad {sheet!r}, dat ontbreekt")
            broken[name] = book.names.get(name.lower(), "")
            return []
        grid = [[book.value(sheet, r, c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]
        blocks[name] = ((sheet, r1, c1, r2, c2), [[v for v, _ in row] for row in grid])
        return [cell for row in grid for cell in row]

    def first(name: str) -> Any:
        got = cells(name)
        return _blank(got[0][0]) if got else None

    from xlcoop.layout import NORM_OVERRIDE_SUFFIX, NORM_STANDARD_SUFFIX

    doc: dict[str, Any] = {}
    for spec in want.inputs:
        got = [_blank(v) for v, _ in cells(spec.name)]
        if spec.kind == "series":
            while got and got[-1] is None:  # trailing blanks: the plan is shorter
                got.pop()
            if got:  # a blank year within the plan spends 0 (as the workbook computes)
                doc.setdefault(spec.section, {})[spec.name] = [0.0 if v is None else v
                                                               for v in got]
        elif got and got[0] is not None:
            doc.setdefault(spec.section, {})[spec.name] = \
                _as_text(got[0]) if spec.kind == "text" else got[0]
    columns = {col.key: [_blank(v) for v, _ in cells(col.name)] for col in want.columns}
    rows = []
    for i in range(max((len(v) for v in columns.values()), default=0)):
        row = {k: vals[i] for k, vals in columns.items() if i < len(vals) and vals[i] is not None}
        if "type" in row:
            row["type"] = _as_text(row["type"])
        if row:
            rows.append(row)
    doc["woningen"] = rows or None
    inputs = {spec.name: (doc.get(spec.section) or {}).get(spec.name) for spec in want.inputs}

    norms: dict[str, AppliedNorm] = {}
    own_values: dict[str, Any] = {}
    for norm in want.norms:
        own = first(norm.name + NORM_OVERRIDE_SUFFIX)
        standard = first(norm.name + NORM_STANDARD_SUFFIX)
        template = _template_standard(norm, inputs)
        if norm.table is not None:
            standard = _table_standard(book, norm, inputs, template, cells)
        if own is not None:
            own_values[norm.name] = own
        norms[norm.name] = AppliedNorm(norm.name, standard, own, template, first(norm.name))
    if own_values:
        doc["normen"] = own_values
    cached = {name: first(name) for name in want.figures}
    version = first("template_versie")
    for name in extra:  # the add-in's own cells, where the workbook has them (older: absent)
        if name.lower() in book.names:
            cells(name)
    if problems and strict:
        raise WorkbookError(problems[:5] + ([f"… en {len(problems) - 5} meer"]
                                            if len(problems) > 5 else []), str(path))
    return WorkbookData(str(path), lang, version if isinstance(version, str) else None, doc,
                        norms, cached, blocks, problems, broken)


def _template_standard(norm: Any, inputs: dict[str, Any]) -> float | None:
    from xlcoop.norms import standard_value

    try:
        return standard_value(norm, inputs)
    except (KeyError, TypeError, ValueError):
        return None


def _table_standard(book: _Book, norm: Any, inputs: dict[str, Any], template: float | None,
                    cells: Any) -> Any:
    """A table norm's standard as the workbook's lookup gives it (its own table rows)."""
    from xlcoop.layout import table_key_range, table_value_range
    from xlcoop.norms import TABLE_BY_NAME

    table = TABLE_BY_NAME[norm.table]
    keys = [_blank(v) for v, _ in cells(table_key_range(table.name))]
    values = [_blank(v) for v, _ in cells(table_value_range(table.name))]
    if [str(k) for k in keys] == [str(r.key) for r in table.rows] and all(
            _same(v, r.value) for v, r in zip(values, table.rows, strict=False)) \
            and len(values) == len(table.rows):
        return template  # the template's table: the template's lookup
    key = inputs.get(table.by)
    found: Any = None
    for k, v in zip(keys, values, strict=False):
        if k is None:
            continue
        if table.exact:
            if str(k) == str(key):
                found = v
                break
        else:
            try:
                if key is not None and float(k) <= float(key):
                    found = v
            except (TypeError, ValueError):
                continue
    return found if isinstance(found, (int, float)) else 0.0  # IFERROR(..., 0)


# --------------------------------------------------------------------------------------------
# Convenience for the faces.
def read_scenario(path: str | Path) -> Scenario:
    """The scenario a standard workbook computes: its inputs and the norms it applies."""
    return read_workbook(path).scenario()


def named_cells(wb: Any) -> dict[str, tuple[str, str]]:
    """Every workbook-level name of an openpyxl workbook that points at one cell:
    name -> (sheet title, 'C8'). For tests and tools that already hold an openpyxl workbook."""
    out = {}
    for name, defined in wb.defined_names.items():
        try:
            (sheet, ref), = list(defined.destinations)
        except ValueError:
            continue
        ref = ref.replace("$", "")
        if ":" not in ref:
            out[name] = (sheet, ref)
    return out


def named_values(path: str | Path) -> dict[str, Any]:
    """The cached values of every single-cell name, through openpyxl (a test helper: it reads
    every cell; the faces use ``read_workbook``)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    return {name: wb[sheet][ref].value for name, (sheet, ref) in named_cells(wb).items()}
