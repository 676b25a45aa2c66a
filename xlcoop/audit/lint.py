"""FAST-style lint of the workbook's structure (the standard template itself lints clean).

Rules, after the design notes' workbook conventions: no constants inside formulas except 0, 1,
12 and 100 (and the choice codes the registry defines); one formula per timeline row, copied
across; no references to empty cells that are not inputs; no unused inputs; no circular
references; no volatile or LibreOffice-incompatible functions, whole-column references, array
formulas or broken references.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from xlcoop.audit.findings import ERROR, LINT, WARNING, Finding, Report
from xlcoop.audit.formula import address, functions, literals, relative, tokenize
from xlcoop.audit.graph import Graph, Target
from xlcoop.audit.integrity import Alignment
from xlcoop.audit.package import Node, Package, Sheet
from xlcoop.projection import NOT_COUNTED

# 0, 1, 12 and 100, and the helper rows' marker for a year that does not count (NOT_COUNTED).
ALLOWED_NUMBERS = {0.0, 1.0, 12.0, 100.0, NOT_COUNTED}
VOLATILE = {"OFFSET", "INDIRECT", "NOW", "TODAY", "RAND", "RANDBETWEEN", "CELL", "INFO",
            "RANDARRAY"}
# Newer than Excel 2010 (#NAME? in the Excel versions banks still run) or not in our subset.
UNSUPPORTED = {"MINIFS", "MAXIFS", "IFS", "SWITCH", "CONCAT", "TEXTJOIN", "XLOOKUP", "XMATCH",
               "LET", "LAMBDA", "FILTER", "SORT", "SORTBY", "UNIQUE",
               "SEQUENCE", "MAP", "REDUCE", "SCAN", "BYROW", "BYCOL", "MAKEARRAY"}
MIN_TIMELINE = 4  # a row with this many adjacent formulas, mostly alike, is a timeline row
MAX_PER_RULE = 40


def timeline_years() -> tuple[int, int] | None:
    """First and last year column of the registry's timeline sheets, if it has any."""
    try:
        from xlcoop import timeline
    except ImportError:
        return None
    return timeline.FIRST_YEAR_COL, timeline.LAST_YEAR_COL


@cache
def timeline_sheets() -> frozenset[str]:
    from xlcoop.layout import SHEETS

    return frozenset(s.key for s in SHEETS if s.role == "timeline")


@cache
def allowed_strings() -> frozenset[str]:
    """Choice codes: every input's choices and the text results the registry's formulas use."""
    from xlcoop.inputs import INPUTS
    from xlcoop.layout import formula_cells

    codes = {""}
    for spec in INPUTS:
        codes.update(spec.choices)
    for formula in formula_cells().values():
        codes.update(literals(formula)[1])
    return frozenset(codes)


class Lint:
    def __init__(self, pkg: Package, graph: Graph, alignment: Alignment | None,
                 report: Report) -> None:
        self.pkg, self.graph, self.al, self.report = pkg, graph, alignment, report
        self.counts: Counter[str] = Counter()

    def add(self, code: str, severity: str, node: Node | None, **params: object) -> None:
        self.counts[code] += 1
        if self.counts[code] > MAX_PER_RULE:
            return
        f = Finding(code, severity, LINT, dict(params))
        if node is not None:
            f.sheet = self.pkg.sheets[node[0]].title
            f.address = address(node[1], node[2])
            if self.al is not None:
                pos = self.al.to_expected(node)
                if pos is not None:
                    f.name = self.al.ref.name_at.get(pos)
                    f.params.setdefault("label", self.al.ref.label(pos))
        self.report.add(f)

    def is_input(self, node: Node) -> bool:
        if self.al is not None:
            pos = self.al.to_expected(node)
            if pos is not None and pos in self.al.ref.inputs:
                return True
        cell = self.pkg.cell(node)
        return cell is not None and cell.formula is None and \
            cell.style in self.pkg.unlocked_styles

    def is_empty(self, node: Node) -> bool:
        cell = self.pkg.cell(node)
        return cell is None or (cell.formula is None and cell.value in (None, ""))

    def run(self) -> None:
        for node in sorted(self.graph.precedents):
            self.formula(node)
        self.timelines()
        self.unused_inputs()
        for cycle in self.graph.cycles():
            cells = [f"'{self.pkg.sheets[s].title}'!{address(r, c)}" for s, r, c in cycle]
            self.add("circular_reference", ERROR, cycle[0], cells=cells[:20])
        for code, n in self.counts.items():
            if n > MAX_PER_RULE:
                self.report.add(Finding("lint_more", WARNING, LINT,
                                        {"rule": code, "count": n - MAX_PER_RULE}))
        self.report.checked.append("lint")

    def formula(self, node: Node) -> None:
        cell = self.pkg.cell(node)
        assert cell is not None and cell.formula is not None
        text = cell.formula
        numbers, strings = literals(text)
        odd_numbers = [n for n in numbers if float(n) not in ALLOWED_NUMBERS]
        odd_strings = [s for s in strings if s not in allowed_strings()]
        if odd_numbers or odd_strings:
            self.add("constant_in_formula", WARNING, node, formula="=" + text,
                     constants=odd_numbers + [f'"{s}"' for s in odd_strings])
        called = set(functions(text))
        if called & VOLATILE:
            self.add("volatile_function", WARNING, node, functions=sorted(called & VOLATILE),
                     formula="=" + text)
        if called & UNSUPPORTED:
            self.add("unsupported_function", WARNING, node,
                     functions=sorted(called & UNSUPPORTED), formula="=" + text)
        toks = tokenize(text)
        if any(t.ref is not None and t.ref.kind != "cell" for t in toks):
            self.add("whole_reference", WARNING, node, formula="=" + text)
        if cell.array:
            self.add("array_formula", WARNING, node, formula="=" + text)
        broken = list(self.graph.unresolved.get(node, []))
        broken += [t.text for t in toks if t.kind == "err" and "REF" in t.text.upper()]
        if broken:
            self.add("broken_reference", ERROR, node, refs=broken[:10], formula="=" + text)
        self.empty_references(node, toks)

    def empty_references(self, node: Node, toks: tuple) -> None:
        sheet = self.pkg.sheets[node[0]]
        for t in toks:
            targets = []
            if t.ref is not None and t.ref.kind == "cell":
                target = self.graph.resolve_ref(t.ref, node[0])
                targets = [target] if target is not None else []
            elif t.kind == "name":
                targets = self.graph.resolve_name(t, node[0]) or []
            for target in targets:
                cells = target.nodes()
                if all(self.is_empty(c) for c in cells) and \
                        not any(self.is_input(c) for c in cells) and \
                        not _opening(sheet, node, target):
                    self.add("empty_reference", WARNING, node, ref=t.text,
                             target=f"'{self.pkg.sheets[target.sheet].title}'!"
                                    f"{address(target.r1, target.c1)}")

    def timelines(self) -> None:
        """One formula per timeline row, copied across the years.

        On template sheets the registry says which columns are years (label, unit, constant,
        total and start columns legitimately differ); elsewhere a run of adjacent formulas,
        most of them one copied formula, is taken to be a timeline row.
        """
        years = timeline_years()
        timeline_rows: set[tuple[str, int]] = set()
        if self.al is not None and years is not None:
            f = self.al.ref.formulas
            timeline_rows = {(k, r) for (k, r, c) in f if c == years[0]
                             and (k, r, years[1]) in f and k in timeline_sheets()}
        for sheet in self.pkg.sheets:
            key = self.al.key_of.get(sheet.index) if self.al is not None else None
            rows: dict[int, list[int]] = {}
            for (row, col), cell in sheet.cells.items():
                if cell.formula is not None:
                    rows.setdefault(row, []).append(col)
            for row, cols in rows.items():
                if key is None:
                    for run in _runs(sorted(cols)):
                        self.consistent(sheet, row, run, strict=False)
                    continue
                assert self.al is not None
                exp_row = self.al.inv_rows[key].get(row)
                if years is None or (key, exp_row) not in timeline_rows:
                    continue  # a template row that is not a timeline row
                first, last = (self.al.cols[key].get(c, c) for c in years)
                self.consistent(sheet, row, [c for c in sorted(cols) if first <= c <= last],
                                strict=True)

    def consistent(self, sheet: Sheet, row: int, run: list[int], strict: bool) -> None:
        if len(run) < (2 if strict else MIN_TIMELINE):
            return
        forms = {c: relative(sheet.cells[(row, c)].formula or "", row, c) for c in run}
        common, n = Counter(forms.values()).most_common(1)[0]
        if n == len(run) or (not strict and n * 2 <= len(run)):
            return
        odd = [address(row, c) for c in run if forms[c] != common]
        model = next(c for c in run if forms[c] == common)
        self.add("inconsistent_row", WARNING, (sheet.index, row, run[0]), cells=odd,
                 expected="=" + (sheet.cells[(row, model)].formula or ""))

    def unused_inputs(self) -> None:
        if self.al is None or not self.al.version_ok:
            return
        read: set[Node] = set()
        for pre in self.graph.precedents.values():
            read.update(pre)
        for name, kind in sorted(self.al.ref.input_names.items()):
            if kind == "text":
                continue  # descriptive (a project or dwelling-type name): nothing computes it
            pos = self.al.ref.names[name]
            nodes = [n for c in pos.cells() if (n := self.al.to_actual(c)) is not None]
            if nodes and not any(n in read for n in nodes):
                self.add("unused_input", WARNING, nodes[0], input=name)


def _opening(sheet: Sheet, node: Node, target: Target) -> bool:
    """A blank cell just left of a row's run of formulas: the opening balance of a timeline
    (year 1 reads "the previous year"), zero by design."""
    if target.sheet != node[0] or target.shape != (1, 1) or target.r1 != node[1]:
        return False
    col = node[2]
    while sheet.cells.get((node[1], col - 1)) is not None and \
            sheet.cells[(node[1], col - 1)].formula is not None:
        col -= 1
    return target.c1 == col - 1


def _runs(cols: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for c in cols:
        if out and c == out[-1][-1] + 1:
            out[-1].append(c)
        else:
            out.append([c])
    return out
