"""Template integrity: every cell and every defined name of a received workbook against the
standard template of its version, reported by defined name and address.

Sheets are matched by title (or, when renamed, by content), rows and columns aligned (so an
inserted row is one finding, not hundreds), then each template cell is compared with its
counterpart: formulas overwritten with constants, altered or removed; norms and other constants
changed (old and new value); labels changed; content where the template has none; names
missing, renamed, moved or shadowed. The deviating cells become the roots the recompute follows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from xlcoop.audit import align as al
from xlcoop.audit.findings import ERROR, INFO, INTEGRITY, WARNING, Finding, Report
from xlcoop.audit.formula import Mapper, address, canonical, col_letters, relative
from xlcoop.audit.package import Cell, Node, Package
from xlcoop.audit.reference import Pos, Reference, name_target

MAX_CELL_FINDINGS = 40  # per sheet and kind of extra content; the rest is counted


@dataclass
class Alignment:
    ref: Reference
    pkg: Package
    sheet_of: dict[str, int] = field(default_factory=dict)  # sheet key -> actual sheet index
    rows: dict[str, dict[int, int]] = field(default_factory=dict)  # key: template -> actual
    cols: dict[str, dict[int, int]] = field(default_factory=dict)
    deviations: set[Node] = field(default_factory=set)  # actual cells differing from template
    same: set[str] = field(default_factory=set)  # sheets whose formulas and texts are in place
    pending: list[tuple[Finding, Node, str, str]] = field(default_factory=list)
    changed_names: set[str] = field(default_factory=set)  # upper-case names not as template
    version_ok: bool = False

    def __post_init__(self) -> None:
        self.key_of: dict[int, str] = {}
        self.identity = False
        self._mappers: dict[int, Mapper] = {}
        self.inv_rows: dict[str, dict[int, int]] = {}
        self.inv_cols: dict[str, dict[int, int]] = {}
        self._nodes: dict[int, tuple[tuple[Pos, ...], tuple[Node | None, ...]]] = {}

    def finish(self) -> None:
        """Inverse maps, and whether nothing moved (then equal text means equal formula)."""
        self.key_of = {i: k for k, i in self.sheet_of.items()}
        self.identity = len(self.sheet_of) == len(self.ref.keys) == len(self.pkg.sheets) and all(
            self.pkg.sheets[i].title == self.ref.titles[k] for k, i in self.sheet_of.items()
        ) and all(all(e == a for e, a in m.items()) for m in (*self.rows.values(),
                                                             *self.cols.values()))
        self.inv_rows = {k: {a: e for e, a in m.items()} for k, m in self.rows.items()}
        self.inv_cols = {k: {a: e for e, a in m.items()} for k, m in self.cols.items()}

    def to_actual(self, pos: Pos) -> Node | None:
        key, row, col = pos
        if key in self.same:  # nothing moved on this sheet
            return (self.sheet_of[key], row, col)
        if key not in self.sheet_of:
            return None
        r, c = self.rows[key].get(row), self.cols[key].get(col)
        if r is None or c is None:
            return None
        return (self.sheet_of[key], r, c)

    def actual_nodes(self, positions: tuple[Pos, ...]) -> tuple[Node | None, ...]:
        """``to_actual`` of many positions, kept per tuple (the registry's formula cells and
        named cells, asked for by every audit of this structure: a replayed alignment shares
        what its first audit kept)."""
        kept = self._nodes.get(id(positions))
        if kept is None or kept[0] is not positions:
            kept = self._nodes[id(positions)] = (positions, tuple(map(self.to_actual, positions)))
        return kept[1]

    def to_expected(self, node: Node) -> Pos | None:
        key = self.key_of.get(node[0])
        if key is None:
            return None
        if key in self.same:
            return (key, node[1], node[2])
        r, c = self.inv_rows[key].get(node[1]), self.inv_cols[key].get(node[2])
        return None if r is None or c is None else (key, r, c)

    def actual_mapper(self, index: int) -> Mapper:
        """Maps a reference in an actual formula on sheet ``index`` to template coordinates."""
        if index in self._mappers:
            return self._mappers[index]
        titles = {s.title.upper(): s.index for s in self.pkg.sheets}

        def mapper(sheet: str | None, row: int, col: int) -> tuple[str, int, int] | None:
            i = index if sheet is None else titles.get(sheet.upper())
            if i is None:
                return (f"?{sheet}", row, col)
            key = self.key_of.get(i)
            if key is None:
                return (f"?{self.pkg.sheets[i].title}", row, col)
            r = self.inv_rows[key].get(row, row) if row < 1_048_576 else row
            c = self.inv_cols[key].get(col, col) if col < 16_384 else col
            return (key, r, c)

        self._mappers[index] = mapper
        return mapper

    def template_mapper(self, key: str) -> Mapper:
        keys = {t.upper(): k for k, t in self.ref.titles.items()}

        def mapper(sheet: str | None, row: int, col: int) -> tuple[str, int, int] | None:
            k = key if sheet is None else keys.get(sheet.upper(), f"?{sheet}")
            return (k, row, col)

        return mapper

    def where(self, node: Node) -> tuple[str, str]:
        return self.pkg.sheets[node[0]].title, address(node[1], node[2])

    def label(self, node: Node) -> str:
        pos = self.to_expected(node)
        return self.ref.label(pos) if pos is not None else ""


def _finding(code: str, severity: str, al_: Alignment | None = None, node: Node | None = None,
             pos: Pos | None = None, **params: Any) -> Finding:
    """A finding at an actual cell, with its defined name, label and (if moved) template address."""
    f = Finding(code, severity, INTEGRITY, dict(params))
    if al_ is not None and node is not None:
        f.sheet, f.address = al_.where(node)
        exp = pos if pos is not None else al_.to_expected(node)
        if exp is not None:
            f.name = al_.ref.name_at.get(exp)
            if (exp[1], exp[2]) != (node[1], node[2]):
                f.template_address = address(exp[1], exp[2])
            f.params.setdefault("label", al_.ref.label(exp))
    return f


def check(pkg: Package, ref: Reference, report: Report) -> Alignment:
    """Compare ``pkg`` with the template; findings go to ``report``."""
    result = Alignment(ref, pkg)
    _version(result, report)
    if not result.version_ok:
        result.finish()
        return result  # another template: comparing with this one would only list noise
    _match_sheets(result, report)
    for key, index in result.sheet_of.items():
        _align_sheet(result, key, index, report)
    result.finish()
    report.fingerprint_actual = actual_fingerprint(result)
    for key in result.sheet_of:
        _compare_sheet(result, key, report)
    from xlcoop.audit.names import check_names

    check_names(result, report)
    _hidden(result, report)
    return result


# -- sheets ----------------------------------------------------------------------------------
def _match_sheets(result: Alignment, report: Report) -> None:
    ref, pkg = result.ref, result.pkg
    by_title = {s.title.upper(): s.index for s in pkg.sheets}
    for key in ref.keys:
        index = by_title.get(ref.titles[key].upper())
        if index is not None:
            result.sheet_of[key] = index
    free = [s for s in pkg.sheets if s.index not in result.sheet_of.values()]
    for key in ref.keys:
        if key in result.sheet_of:
            continue
        template = ref.package.sheets[ref.sheet_index(key)]
        unlocked = ref.package.unlocked_styles
        want = set(al.row_signatures(template, unlocked, template.max_row)) - {()}
        best, score = None, 0.0
        for sheet in free:
            have = set(al.row_signatures(sheet, result.pkg.unlocked_styles, sheet.max_row))
            s = len(want & have) / max(1, len(want))
            if s > score:
                best, score = sheet, s
        if best is not None and score >= 0.5:
            result.sheet_of[key] = best.index
            free.remove(best)
            report.add(Finding("sheet_renamed", WARNING, INTEGRITY,
                               {"old": ref.titles[key], "new": best.title}, sheet=best.title))
        else:
            report.add(Finding("sheet_missing", ERROR, INTEGRITY, {"title": ref.titles[key]}))
    for sheet in free:
        report.add(Finding("extra_sheet", WARNING, INTEGRITY, {"cells": len(sheet.cells)},
                           sheet=sheet.title))
    order = [result.sheet_of[k] for k in ref.keys if k in result.sheet_of]
    if order != sorted(order):
        report.add(Finding("sheet_order", INFO, INTEGRITY, {}))


def _align_sheet(result: Alignment, key: str, index: int, report: Report) -> None:
    ref = result.ref
    template = ref.package.sheets[ref.sheet_index(key)]
    actual = result.pkg.sheets[index]
    found = None
    if al.raw_keys(actual, result.pkg.unlocked_styles) != ref.raw_keys(key):
        found = al.keys(actual, result.pkg.unlocked_styles)
    if found is None or found == ref.cell_keys(key):
        # Every formula and text in place: nothing moved (the common case, and the fast one).
        result.same.add(key)
        result.rows[key] = {r: r for r in range(1, template.max_row + 1)}
        result.cols[key] = {c: c for c in range(1, template.max_col + 1)}
        return
    row_sigs, col_sigs = ref.signatures(key)
    act_rows, act_cols = al.signatures(found, max(actual.max_row, 1), max(actual.max_col, 1))
    rows, cols = al.align(row_sigs, act_rows), al.align(col_sigs, act_cols)
    result.rows[key], result.cols[key] = rows, cols
    for axis, mapping, size_t, size_a in (("row", rows, template.max_row, actual.max_row),
                                          ("col", cols, template.max_col, actual.max_col)):
        mapped = set(mapping.values())
        last_mapped = max(mapped, default=0)
        inserted = [a for a in range(1, size_a + 1) if a not in mapped and a < last_mapped]
        for first, last in al.runs(inserted):
            before = next((e for e, a in sorted(mapping.items()) if a > last), None)
            content = _content(actual, axis, first, last)
            f = Finding(f"{axis}s_inserted", ERROR if content else WARNING, INTEGRITY,
                        {"first": first, "last": last, "count": last - first + 1,
                         "before": _line_label(ref, key, axis, before) if before else "",
                         "content": content[:10]}, sheet=actual.title,
                        address=_span(axis, first, last))
            report.add(f)
        deleted = [e for e in range(1, size_t + 1) if e not in mapping]
        for first, last in al.runs(deleted):
            lost = _lost(ref, key, axis, first, last)
            after = next((a for e, a in sorted(mapping.items(), reverse=True) if e < first), 0)
            f = Finding(f"{axis}s_deleted", ERROR if lost["content"] else WARNING, INTEGRITY,
                        {"first": first, "last": last, "count": last - first + 1,
                         "names": lost["names"][:20], "content": lost["content"][:10],
                         "after": after}, sheet=actual.title,
                        template_address=_span(axis, first, last))
            report.add(f)


def _span(axis: str, first: int, last: int) -> str:
    if axis == "row":
        return f"{first}:{last}"
    return f"{col_letters(first)}:{col_letters(last)}"


def _line_label(ref: Reference, key: str, axis: str, line: int) -> str:
    sheet = ref.package.sheets[ref.sheet_index(key)]
    cells = [((r, c), cell) for (r, c), cell in sheet.cells.items()
             if (r if axis == "row" else c) == line]
    for (r, c), _cell in sorted(cells):
        name = ref.name_at.get((key, r, c))
        if name:
            return name
    for _, cell in sorted(cells):
        if isinstance(cell.value, str) and cell.value.strip():
            return cell.value.strip()
    return ""


def _content(sheet: Any, axis: str, first: int, last: int) -> list[str]:
    out = []
    for (r, c), cell in sorted(sheet.cells.items()):
        line = r if axis == "row" else c
        if first <= line <= last and (cell.formula is not None or cell.value not in (None, "")):
            text = "=" + cell.formula if cell.formula is not None else repr(cell.value)
            out.append(f"{address(r, c)}: {text[:80]}")
    return out


def _lost(ref: Reference, key: str, axis: str, first: int, last: int) -> dict[str, list[str]]:
    sheet = ref.package.sheets[ref.sheet_index(key)]
    names, content = [], []
    for (r, c), cell in sorted(sheet.cells.items()):
        line = r if axis == "row" else c
        if first <= line <= last:
            if (key, r, c) in ref.name_at:
                names.append(ref.name_at[(key, r, c)])
            if cell.formula is not None or cell.value not in (None, ""):
                text = "=" + cell.formula if cell.formula is not None else repr(cell.value)
                content.append(f"{address(r, c)}: {text[:80]}")
    return {"names": names, "content": content}


# -- version ---------------------------------------------------------------------------------
def _meta_value(result: Alignment, name: str) -> tuple[Any, Node | None]:
    """A cover meta cell, by the file's own defined name, else at the registry's address."""
    pkg, ref = result.pkg, result.ref
    dn = pkg.workbook_names().get(name.upper())
    target = name_target(dn.text) if dn is not None else None
    sheet = pkg.sheet(target.sheet) if target is not None and target.sheet else None
    if target is not None and sheet is not None and target.single:
        node = (sheet.index, target.r1, target.c1)
    else:
        pos = ref.names.get(name)
        sheet = pkg.sheet(ref.titles[pos.key]) if pos is not None else None
        if pos is None or sheet is None:
            return None, None
        node = (sheet.index, pos.r1, pos.c1)
    cell = pkg.cell(node)
    return (cell.value if cell is not None else None), node


def _version(result: Alignment, report: Report) -> None:
    from xlcoop.layout import TEMPLATE_VERSION

    version, _ = _meta_value(result, "template_versie")
    claimed, node = _meta_value(result, "template_vingerafdruk")
    report.template_version = None if version is None else str(version)
    report.fingerprint_claimed = None if claimed is None else str(claimed)
    report.fingerprint_expected = result.ref.fingerprint
    if str(version) != TEMPLATE_VERSION:
        report.add(Finding("version_unknown", ERROR, INTEGRITY,
                           {"version": version, "known": TEMPLATE_VERSION}))
        return
    result.version_ok = True
    if claimed != report.fingerprint_expected:
        f = Finding("fingerprint_claim", ERROR, INTEGRITY,
                    {"claimed": claimed, "expected": report.fingerprint_expected},
                    name="template_vingerafdruk")
        if node is not None:
            f.sheet, f.address = result.where(node)
        report.add(f)


def actual_fingerprint(result: Alignment) -> str:
    """The fingerprint recipe of ``workbook.fingerprint`` over the file's own formula cells."""
    from xlcoop.layout import TEMPLATE_VERSION

    digest = hashlib.sha256(TEMPLATE_VERSION.encode())
    cells = []
    for key, index in result.sheet_of.items():
        for (row, col), cell in result.pkg.sheets[index].cells.items():
            if cell.formula is not None:
                cells.append((key, row, col, cell.formula))
    cells.sort()
    digest.update("".join(f"{s}|{r}|{c}|={f}\n" for s, r, c, f in cells).encode())
    return digest.hexdigest()[:16]


# -- cells -----------------------------------------------------------------------------------
def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _same_constant(a: Any, b: Any) -> bool:
    if _is_number(a) and _is_number(b):
        return abs(float(a) - float(b)) <= 1e-12 * max(1.0, abs(float(a)))
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    return a == b


def _empty(cell: Cell | None) -> bool:
    return cell is None or (cell.formula is None and cell.value in (None, ""))


def _compare_sheet(result: Alignment, key: str, report: Report) -> None:
    ref, pkg = result.ref, result.pkg
    index = result.sheet_of[key]
    template = ref.package.sheets[ref.sheet_index(key)]
    actual = pkg.sheets[index]
    meta = set()  # version and fingerprint: checked by _version
    for name in ("template_versie", "template_vingerafdruk"):
        if name in ref.names:
            meta.add((ref.names[name].key, ref.names[name].r1, ref.names[name].c1))
    every = ref.positions(key)
    # Equal keys vouch for every formula and text at its place; what remains to compare is
    # numbers (norms, tables) and input cells. Otherwise compare every template cell.
    positions = ref.must_check(key) if key in result.same else sorted(every)
    seen: set[tuple[int, int]] = set(every) if key in result.same else set()
    for row, col in positions:
        pos = (key, row, col)
        node = result.to_actual(pos)
        if node is None:
            continue  # its row or column was deleted: reported with the deletion
        seen.add((node[1], node[2]))
        if pos in meta:
            continue
        _compare_cell(result, pos, node, template.cells.get((row, col)),
                      actual.cells.get((node[1], node[2])), report)
    _flush_rows(result, report)
    extra: dict[str, list[str]] = {"extra_formula": [], "extra_content": []}
    for (row, col), cell in sorted(actual.cells.items()):
        if (row, col) in seen or _empty(cell):
            continue
        node = (index, row, col)
        code = "extra_formula" if cell.formula is not None else "extra_content"
        result.deviations.add(node)
        text = "=" + cell.formula if cell.formula is not None else cell.value
        if len(extra[code]) < MAX_CELL_FINDINGS:
            report.add(_finding(code, WARNING, result, node, content=str(text)[:120]))
        extra[code].append(address(row, col))
    for code, cells in extra.items():
        if len(cells) > MAX_CELL_FINDINGS:
            report.add(Finding(code + "_more", WARNING, INTEGRITY,
                               {"count": len(cells) - MAX_CELL_FINDINGS}, sheet=actual.title))


def _flush_rows(result: Alignment, report: Report) -> None:
    """Report formula findings, one per run of adjacent cells in a row that changed alike:
    a timeline row pasted over with values, or a copied formula altered, is one finding."""
    runs: list[list[tuple[Finding, Node, str, str]]] = []
    for item in sorted(result.pending, key=lambda x: (x[0].code, x[1], x[2], x[3])):
        f, node, old, new = item
        last = runs[-1][-1] if runs else None
        if last is not None and (last[0].code, last[1][0], last[1][1], last[2], last[3]) == (
                f.code, node[0], node[1], old, new) and node[2] == last[1][2] + 1:
            runs[-1].append(item)
        else:
            runs.append([item])
    result.pending.clear()
    for run in sorted(runs, key=lambda r: r[0][1]):
        first = run[0][0]
        if len(run) > 1:
            last_node = run[-1][1]
            first.address = f"{first.address}:{address(last_node[1], last_node[2])}"
            first.params["count"] = len(run)
            pos = result.to_expected(run[0][1])
            if pos is not None and first.name is None:
                first.name = result.ref.covering.get(pos)
            if first.code == "formula_overwritten":
                first.params["value"] = [f.params.get("value") for f, *_ in run][:5]
        report.add(first)


def _compare_cell(result: Alignment, pos: Pos, node: Node, expected: Cell | None,
                  actual: Cell | None, report: Report) -> None:
    ref = result.ref
    formula = ref.formulas.get(pos)
    if formula is not None:
        if actual is None or actual.formula is None:
            if _empty(actual):
                code, params = "formula_removed", {"formula": "=" + formula}
            else:
                assert actual is not None
                code, params = "formula_overwritten", {"formula": "=" + formula,
                                                       "value": actual.value}
            result.deviations.add(node)
            result.pending.append((_finding(code, ERROR, result, node, pos, **params),
                                   node, relative(formula, pos[1], pos[2]), ""))
            return
        if result.identity and actual.formula == formula and not actual.array:
            return  # nothing moved and the text is the template's
        mine = canonical(actual.formula, result.actual_mapper(node[0]))
        theirs = canonical(formula, result.template_mapper(pos[0]))
        if mine != theirs or actual.array:
            result.deviations.add(node)
            result.pending.append((_finding("formula_altered", ERROR, result, node, pos,
                                            old="=" + formula, new="=" + actual.formula),
                                   node, relative(formula, pos[1], pos[2]),
                                   relative(actual.formula, node[1], node[2])))
        return
    if pos in ref.inputs:
        if actual is not None and actual.formula is not None:
            result.deviations.add(node)
            report.add(_finding("input_formula", WARNING, result, node, pos,
                                formula="=" + actual.formula))
        return
    old = expected.value if expected is not None else None
    if old in (None, ""):
        if not _empty(actual):
            assert actual is not None
            code = "extra_formula" if actual.formula is not None else "extra_content"
            text = "=" + actual.formula if actual.formula is not None else actual.value
            result.deviations.add(node)
            report.add(_finding(code, WARNING, result, node, pos, content=str(text)[:120]))
        return
    new = None if actual is None else (
        "=" + actual.formula if actual.formula is not None else actual.value)
    if actual is not None and actual.formula is None and _same_constant(old, actual.value):
        return
    result.deviations.add(node)
    if pos[0] in ref.norm_sheets and (_is_number(old) or pos in ref.covering):
        report.add(_finding("norm_changed", ERROR, result, node, pos, old=old, new=new))
    elif _is_number(old) or isinstance(old, bool):
        report.add(_finding("constant_changed", ERROR, result, node, pos, old=old, new=new))
    else:
        report.add(_finding("label_changed", WARNING, result, node, pos, old=old, new=new))


def _hidden(result: Alignment, report: Report) -> None:
    """Hidden rows and columns on template sheets (the template hides nothing)."""
    for key, index in result.sheet_of.items():
        sheet = result.pkg.sheets[index]
        template = result.ref.package.sheets[result.ref.sheet_index(key)]
        for axis, lines, known in (("row", sheet.hidden_rows, template.hidden_rows),
                                   ("col", sheet.hidden_cols, template.hidden_cols)):
            extra = sorted(set(lines) - set(known))
            extra = [n for n in extra if n <= (sheet.max_row if axis == "row" else
                                               sheet.max_col)]
            for first, last in al.runs(extra):
                report.add(Finding(f"hidden_{axis}s", WARNING, INTEGRITY,
                                   {"count": last - first + 1}, sheet=sheet.title,
                                   address=_span(axis, first, last)))
