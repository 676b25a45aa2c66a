"""The standard template as the audit compares against it, derived from the registry.

Formulas come straight from ``layout.formula_cells()``; everything else (labels, norm values,
reference tables, which cells are inputs, where each defined name points) from the empty
template the writer builds from the same registry, read with the audit's own reader. Nothing
here names a sheet, cell or line item: when the registry grows, the reference grows with it.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from xlcoop.audit.formula import Ref, tokenize
from xlcoop.audit.package import Package, read_package

Pos = tuple[str, int, int]  # (sheet key, row, col)


@dataclass(frozen=True)
class NamePos:
    key: str
    r1: int
    c1: int
    r2: int
    c2: int

    @property
    def single(self) -> bool:
        return self.r1 == self.r2 and self.c1 == self.c2

    def cells(self) -> list[Pos]:
        return [(self.key, r, c) for r in range(self.r1, self.r2 + 1)
                for c in range(self.c1, self.c2 + 1)]


@dataclass
class Reference:
    lang: str
    keys: list[str]  # sheet keys in template order
    titles: dict[str, str]  # sheet key -> title in this language
    package: Package  # the empty template, parsed
    formulas: dict[Pos, str]  # every template formula (without '=')
    inputs: set[Pos]  # cells a user fills in
    names: dict[str, NamePos]  # defined name -> where it points
    name_at: dict[Pos, str] = field(default_factory=dict)  # single-cell names by position
    covering: dict[Pos, str] = field(default_factory=dict)  # cell -> a range name holding it
    norm_sheets: set[str] = field(default_factory=set)  # keys of sheets holding norms
    units: dict[str, str] = field(default_factory=dict)  # name -> unit
    kinds: dict[str, str] = field(default_factory=dict)  # name -> registry kind
    input_names: dict[str, str] = field(default_factory=dict)  # input name -> its kind
    fingerprint: str = ""  # workbook.fingerprint.formula_fingerprint() of this code
    _signatures: dict[str, Any] = field(default_factory=dict)
    _keys: dict[str, Any] = field(default_factory=dict)
    _raw: dict[str, Any] = field(default_factory=dict)
    _must_check: dict[str, Any] = field(default_factory=dict)
    _positions: dict[str, Any] = field(default_factory=dict)
    _unit_at: dict[Pos, str] = field(default_factory=dict)
    _named: list[Any] = field(default_factory=list)  # named_cells(), once

    def cell_keys(self, key: str) -> dict[tuple[int, int], str]:
        """The alignment keys of a template sheet (computed once)."""
        from xlcoop.audit import align

        if key not in self._keys:
            sheet = self.package.sheets[self.sheet_index(key)]
            self._keys[key] = align.keys(sheet, self.package.unlocked_styles)
        return self._keys[key]

    def raw_keys(self, key: str) -> dict[tuple[int, int], str]:
        """The alignment keys before the R1C1 step (``align.raw_keys``; computed once)."""
        from xlcoop.audit import align

        if key not in self._raw:
            sheet = self.package.sheets[self.sheet_index(key)]
            self._raw[key] = align.raw_keys(sheet, self.package.unlocked_styles)
        return self._raw[key]

    def signatures(self, key: str) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
        """Row and column signatures of a template sheet (computed once)."""
        from xlcoop.audit import align

        if key not in self._signatures:
            sheet = self.package.sheets[self.sheet_index(key)]
            self._signatures[key] = align.signatures(self.cell_keys(key), sheet.max_row,
                                                     sheet.max_col)
        return self._signatures[key]

    def named_cells(self) -> tuple[dict[str, tuple[int, int, bool]], tuple[Pos, ...]]:
        """Every defined name's cells as one tuple (for ``Alignment.actual_nodes``) and each
        name's (start, count, single) in it. Computed once."""
        if not self._named:
            spans, flat = {}, []
            for name, pos in self.names.items():
                cells = pos.cells()
                spans[name] = (len(flat), len(cells), pos.single)
                flat += cells
            self._named[:] = [spans, tuple(flat)]
        return self._named[0], self._named[1]

    def unit_at(self) -> dict[Pos, str]:
        """The unit of each template cell that has one: named cells and ranges, and cells
        that show a name (=name). Computed once."""
        if not self._unit_at:
            upper = {n.upper(): u for n, u in self.units.items()}
            out: dict[Pos, str] = {}
            for pos, formula in self.formulas.items():
                toks = [t for t in tokenize(formula) if t.kind != "ws"]
                if len(toks) == 1 and toks[0].kind == "name" and toks[0].text.upper() in upper:
                    out[pos] = upper[toks[0].text.upper()]
            for name, where in self.names.items():
                if name in self.units:
                    out.update(dict.fromkeys(where.cells(), self.units[name]))
            self._unit_at.update(out)
        return self._unit_at

    def positions(self, key: str) -> frozenset[tuple[int, int]]:
        """Every cell the template has on a sheet (content, style or formula)."""
        if key not in self._positions:
            sheet = self.package.sheets[self.sheet_index(key)]
            self._positions[key] = frozenset(sheet.cells) | frozenset(
                (r, c) for (k, r, c) in self.formulas if k == key)
        return self._positions[key]

    def must_check(self, key: str) -> list[tuple[int, int]]:
        """Template cells that equal keys do not vouch for: numbers and booleans (norms,
        reference tables) and input cells (which must not hold a formula)."""
        if key not in self._must_check:
            sheet = self.package.sheets[self.sheet_index(key)]
            self._must_check[key] = sorted(
                (r, c) for (r, c), cell in sheet.cells.items()
                if (key, r, c) in self.inputs or (
                    cell.formula is None and cell.value is not None
                    and not isinstance(cell.value, str)))
        return self._must_check[key]

    def sheet_index(self, key: str) -> int:
        return self.keys.index(key)

    def cell(self, pos: Pos) -> Any:
        c = self.package.sheets[self.sheet_index(pos[0])].cells.get((pos[1], pos[2]))
        return c

    def label(self, pos: Pos) -> str:
        """Who a cell is: its defined name, a range name with the row's key, or the row label."""
        if pos in self.name_at:
            return self.name_at[pos]
        key, row, _ = pos
        sheet = self.package.sheets[self.sheet_index(key)]
        first = sheet.cells.get((row, 1))
        row_label = first.value if first is not None and first.value is not None else None
        if pos in self.covering:
            suffix = f" ({row_label})" if row_label is not None else ""
            return f"{self.covering[pos]}{suffix}"
        formula = self.formulas.get(pos)
        if formula is not None:
            toks = [t for t in tokenize(formula) if t.kind != "ws"]
            if len(toks) == 1 and toks[0].kind == "name":
                return f"→ {toks[0].text}"
        return str(row_label) if row_label is not None else ""


def name_target(text: str) -> Ref | None:
    """The single reference a defined name's definition consists of, if it is one."""
    toks = [t for t in tokenize(text) if t.kind != "ws"]
    if len(toks) == 1 and toks[0].ref is not None:
        return toks[0].ref
    return None


def template_bytes(lang: str) -> bytes:
    from xlcoop.workbook.writer import build_workbook, workbook_bytes

    return workbook_bytes(build_workbook(None, lang))


@cache
def reference(lang: str) -> Reference:
    """The reference for ``lang``: once per process, from the disk cache when it holds it."""
    from xlcoop.audit.template_cache import stored

    return stored("reference", lang, lambda: _build(lang))


def _build(lang: str) -> Reference:
    """The reference, built from the registry and the empty template (about 0.8 s)."""
    from xlcoop.inputs import INPUTS
    from xlcoop.layout import INPUT, SHEETS, all_items, formula_cells

    with zipfile.ZipFile(io.BytesIO(template_bytes(lang))) as zf:
        parts = {n: zf.read(n) for n in zf.namelist() if n.endswith((".xml", ".rels"))}
    package = read_package(parts)
    keys = [s.key for s in SHEETS]
    titles = {s.key: s.title(lang) for s in SHEETS}
    key_of_title = {t.upper(): k for k, t in titles.items()}
    formulas = {pos: f[1:] if f.startswith("=") else f for pos, f in formula_cells().items()}

    names: dict[str, NamePos] = {}
    for dn in package.names:
        ref = name_target(dn.text)
        if dn.local_sheet is not None or ref is None or ref.sheet is None:
            continue
        key = key_of_title.get(ref.sheet.upper())
        if key is not None:
            names[dn.name] = NamePos(key, ref.r1, ref.c1, ref.r2, ref.c2)
    name_at = {(p.key, p.r1, p.c1): n for n, p in names.items() if p.single}
    covering = {cell: n for n, p in names.items() if not p.single for cell in p.cells()}

    items = {i.name: i for i in all_items()}
    specs = {s.name: s for s in INPUTS}
    inputs: set[Pos] = set()
    for i, sheet in enumerate(package.sheets):
        for (row, col), cell in sheet.cells.items():
            if cell.style in package.unlocked_styles and cell.formula is None:
                inputs.add((keys[i], row, col))
    for name, pos in names.items():
        if name in items and items[name].kind == INPUT:
            inputs.update(pos.cells())
    # Inputs proper (for the unused-input rule): the registry's input items and input specs;
    # other unlocked cells (e.g. cells the add-in owns and writes) are free but not inputs.
    input_names = {}
    for name, pos in names.items():
        registered = name in specs or (name in items and items[name].kind == INPUT) or \
            _column_kind(name) is not None
        if registered and all(c in inputs for c in pos.cells()):
            spec = specs.get(name)
            input_names[name] = spec.kind if spec is not None else _column_kind(name) or "number"
    units = {n: i.unit for n, i in items.items()}
    units.update({s.name: s.unit for s in INPUTS})
    from xlcoop.workbook.fingerprint import formula_fingerprint

    built = Reference(
        lang=lang, keys=keys, titles=titles, package=package, formulas=formulas, inputs=inputs,
        names=names, name_at=name_at, covering=covering,
        norm_sheets={s.key for s in SHEETS if s.role == "norms"}, units=units,
        kinds={n: i.kind for n, i in items.items()}, input_names=input_names,
        fingerprint=formula_fingerprint())
    for key in keys:  # what every audit compares against, worked out before it is stored
        built.raw_keys(key)
        built.signatures(key)
    built.unit_at()
    return built


def _column_kind(name: str) -> str | None:
    """The kind of a table-column input (e.g. the dwellings table), by its defined name."""
    from xlcoop import inputs

    for col in getattr(inputs, "DWELLING_COLUMNS", ()):
        if col.name == name:
            return col.kind
    return None


def detect_language(titles: list[str]) -> str | None:
    """nl or en by the sheet titles (most matches wins); None when no title matches."""
    from xlcoop.layout import SHEETS

    have = {t.upper() for t in titles}
    scores = {lang: sum(s.title(lang).upper() in have for s in SHEETS) for lang in ("nl", "en")}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] else None
