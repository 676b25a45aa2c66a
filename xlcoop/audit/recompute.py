"""Recompute: the workbook's numbers checked against (a) the values cached in the file and
(b) the reference model run on the workbook's own inputs.

The fast path (design notes, "Speed"): integrity has proven which formula cells are the
template's; the test suite proves the template's formulas equal the reference model; so those
cells' values are the model's (microseconds). Only cells that differ from the template, and
everything downstream of them, are evaluated from the file's own formulas with `formulas`.
Each difference above tolerance is reported with the chain of precedents that leads to it.
"""

from __future__ import annotations

import math
from typing import Any

from xlcoop.audit.evaluate import NOT_EVALUATED, Evaluator
from xlcoop.audit.findings import CRITICAL, ERROR, INFO, RECOMPUTE, WARNING, Finding, Report
from xlcoop.audit.formula import address, tokenize
from xlcoop.audit.graph import Graph
from xlcoop.audit.integrity import Alignment
from xlcoop.audit.package import Cell, ExcelError, Node, Package

MONEY_TOLERANCE = 0.01  # euro
RATIO_TOLERANCE = 1e-6
TIGHTEST = min(MONEY_TOLERANCE, RATIO_TOLERANCE)  # no difference this small differs in any unit
MAX_FINDINGS = 40
EVAL_BUDGET = 6.0  # seconds of `formulas` evaluation per file, at most (hostile input)


def _cell_value(cell: Cell | None) -> Any:
    if cell is None:
        return None
    value = cell.value
    if isinstance(value, str) and not value.strip():
        return None
    return value


def scenario_data(alignment: Alignment) -> dict[str, Any]:
    """The workbook's inputs as a scenario document, cells found through the registry.

    Mirrors ``workbook.reader.read_scenario`` (a test holds the two equal) but reads the audit's
    own parsed cells: openpyxl would parse the whole file twice more.
    """
    from xlcoop.inputs import DWELLING_COLUMNS, INPUTS
    from xlcoop.layout import NORM_OVERRIDE_SUFFIX
    from xlcoop.norms import NORMS

    ref, pkg = alignment.ref, alignment.pkg

    def values(name: str) -> list[Any]:
        pos = ref.names.get(name)
        if pos is None:
            return []
        nodes = [alignment.to_actual(c) for c in pos.cells()]
        return [_cell_value(pkg.cell(n)) if n is not None else None for n in nodes]

    data: dict[str, Any] = {}
    for spec in INPUTS:
        cells = values(spec.name)
        if getattr(spec, "kind", "") == "series":
            if any(v is not None for v in cells):
                data.setdefault(spec.section, {})[spec.name] = cells
        elif cells and cells[0] is not None:
            data.setdefault(spec.section, {})[spec.name] = cells[0]
    columns = {col.key: values(col.name) for col in DWELLING_COLUMNS}
    dwellings = []
    height = max((len(v) for v in columns.values()), default=0)
    for i in range(height):
        row = {key: vals[i] for key, vals in columns.items() if i < len(vals)
               and vals[i] is not None}
        if row:
            dwellings.append(row)
    data["woningen"] = dwellings or None
    norms = {}
    for norm in NORMS:
        cells = values(norm.name + NORM_OVERRIDE_SUFFIX)
        if cells and cells[0] is not None:
            norms[norm.name] = cells[0]
    if norms:
        data["normen"] = norms
    return data


def standard_cells(alignment: Alignment) -> dict[str, Any]:
    """The workbook's standard norm values (column standard of Normen), by norm name."""
    from xlcoop.layout import NORM_STANDARD_SUFFIX
    from xlcoop.norms import NORMS

    ref, pkg = alignment.ref, alignment.pkg
    out: dict[str, Any] = {}
    for norm in NORMS:
        pos = ref.names.get(norm.name + NORM_STANDARD_SUFFIX)
        node = alignment.to_actual((pos.key, pos.r1, pos.c1)) if pos else None
        if node is not None:
            out[norm.name] = _cell_value(pkg.cell(node))
    return out


def _first_section() -> str:
    """The scenario section that identifies a project (name, region, year): the first one."""
    from xlcoop.inputs import SECTIONS

    return next(iter(SECTIONS))


def _is_empty(data: dict[str, Any]) -> bool:
    from xlcoop.inputs import INPUTS

    if data.get("woningen"):
        return False
    required = {s.name for s in INPUTS if s.required}
    return not any(k in required for section in data.values() if isinstance(section, dict)
                   for k in section)


def fmt_pair(workbook: Any, standard: Any) -> str:
    def short(v: Any) -> str:
        return f"{v:,.2f}" if isinstance(v, float) else str(v)

    return f"{short(workbook)} / {short(standard)}"


def key_figures() -> list[str]:
    """The figures the workbook's own cover shows (the registry's choice), else all outputs."""
    from xlcoop import layout

    names = list(getattr(layout, "COVER_FIGURES", ()))
    return names or [i.name for i in layout.all_items() if i.kind == "output"]


def tolerance(unit: str | None) -> tuple[float, float]:
    """(absolute, relative) tolerance: a cent for money, tight for ratios and counts."""
    if unit is None or unit.startswith("eur"):
        return MONEY_TOLERANCE, 0.0
    return RATIO_TOLERANCE, 1e-9


def differs(a: Any, b: Any, unit: str | None) -> bool:
    """Beyond tolerance (an unevaluated value never differs: it is reported separately)."""
    if a is NOT_EVALUATED or b is NOT_EVALUATED:
        return False
    if a is None:
        a = 0
    if b is None:
        b = 0
    if isinstance(a, bool) or isinstance(b, bool):
        return a != b if isinstance(a, bool) and isinstance(b, bool) else True
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if math.isnan(float(a)) or math.isnan(float(b)):
            return True
        absolute, rel = tolerance(unit)
        return abs(float(a) - float(b)) > max(absolute, rel * abs(float(b)))
    if isinstance(a, str) and isinstance(b, str) and not isinstance(a, ExcelError) \
            and not isinstance(b, ExcelError):
        return a.strip() != b.strip()
    return str(a) != str(b)


class Recompute:
    def __init__(self, pkg: Package, graph: Graph, alignment: Alignment | None,
                 report: Report) -> None:
        self.pkg, self.graph, self.al, self.report = pkg, graph, alignment, report
        self.known: dict[Node, Any] = {}
        self.model: dict[str, Any] = {}
        self.name_of: dict[Node, str] = {}
        if alignment is not None:
            for pos, name in alignment.ref.name_at.items():
                node = alignment.to_actual(pos)
                if node is not None:
                    self.name_of[node] = name

    # -- the model -----------------------------------------------------------------------
    def run_model(self) -> bool:
        """Run the reference model on the workbook's inputs; fill ``known``. False: no model."""
        from xlcoop.model import compute
        from xlcoop.scenario import ScenarioError, blank_scenario, validate

        assert self.al is not None
        data = scenario_data(self.al)
        self.report.project = dict(data.get(_first_section(), {}))
        if _is_empty(data):
            # The blank template: its formulas give what the model gives on blank inputs
            # (the values the writer cached), so its cache is checked in microseconds.
            self.report.inputs_state = "empty"
            self.report.add(Finding("inputs_empty", INFO, RECOMPUTE, {}))
            scenario = blank_scenario()
        else:
            try:
                scenario = validate(data, self.report.path)
            except ScenarioError as exc:
                self.report.inputs_state = "invalid"
                self.report.add(Finding("inputs_invalid", ERROR, RECOMPUTE,
                                        {"problems": exc.problems}))
                return False
        try:
            results = compute(scenario)
        except (ArithmeticError, KeyError, ValueError, TypeError) as exc:
            self.report.inputs_state = "invalid"
            self.report.add(Finding("model_failed", ERROR, RECOMPUTE,
                                    {"detail": f"{type(exc).__name__}: {exc}"}))
            return False
        if self.report.inputs_state != "empty":
            self.report.inputs_state = "complete"
        self.model = dict(results)
        self._apply_edited_standards(scenario, compute)
        self._overrides(scenario)
        spans, flat = self.al.ref.named_cells()
        nodes, known = self.al.actual_nodes(flat), self.known
        for name, value in self.model.items():
            span = spans.get(name)
            if span is None:
                continue
            start, count, single = span
            if single:
                values = [value]
            elif isinstance(value, (list, tuple)) and len(value) == count:
                values = list(value)
            else:
                continue
            for node, v in zip(nodes[start:start + count], values, strict=True):
                if node is not None:
                    known[node] = v
        self._every_template_cell(scenario)
        return True

    def _every_template_cell(self, scenario: Any) -> None:
        """The model's value of every template formula cell (helper rows, calendar rows and
        opening balances included: what the writer caches), so that a standard workbook's
        cached values are compared without evaluating any formula with `formulas`."""
        assert self.al is not None
        try:
            from xlcoop.cached_values import cached_value_list, value_cells
        except ImportError:  # a registry without value sources: named cells only
            return
        try:
            values = cached_value_list(scenario, {**scenario.inputs, **self.model})
        except (KeyError, IndexError, TypeError, ValueError):
            return
        every = {node: value for node, value in zip(self.al.actual_nodes(value_cells()),
                                                    values, strict=True) if node is not None}
        every.update(self.known)  # a named cell keeps the model's value set above
        self.known = every

    def _apply_edited_standards(self, scenario: Any, compute: Any) -> None:
        """A standard norm typed over in the workbook is what its formulas apply: the model
        runs on it too (the integrity stage reports the edit), as every face does."""
        from dataclasses import replace

        from xlcoop.checks import edited_standards

        assert self.al is not None
        edited = edited_standards(standard_cells(self.al), scenario.norms, scenario.inputs)
        if not edited:
            return
        applied = {n: float(v) if isinstance(v, (int, float)) else 0.0
                   for n, (v, _) in edited.items()}
        try:
            self.model = dict(compute(replace(scenario, norms={**scenario.norms, **applied})))
        except (ArithmeticError, KeyError, ValueError, TypeError):
            return

    def _overrides(self, scenario: Any) -> None:
        from xlcoop.layout import NORM_OVERRIDE_SUFFIX, NORM_STANDARD_SUFFIX

        assert self.al is not None
        for name, own in sorted(scenario.norms.items()):
            standard = self.model.get(name + NORM_STANDARD_SUFFIX)
            f = Finding("norm_override", INFO, RECOMPUTE,
                        {"standard": standard, "own": own}, name=name)
            pos = self.al.ref.names.get(name + NORM_OVERRIDE_SUFFIX)
            node = self.al.to_actual((pos.key, pos.r1, pos.c1)) if pos else None
            if node is not None:
                f.sheet = self.pkg.sheets[node[0]].title
                f.address = address(node[1], node[2])
            self.report.add(f)

    # -- helpers -------------------------------------------------------------------------
    def unit(self, node: Node) -> str | None:
        """The unit of a cell (its name's, or that of the name it shows), for tolerances."""
        if self.al is None:
            return None
        pos = self.al.to_expected(node)
        return None if pos is None else self.al.ref.unit_at().get(pos)

    def step(self, node: Node, **values: Any) -> dict[str, Any]:
        sheet = self.pkg.sheets[node[0]]
        label = self.al.label(node) if self.al is not None else ""
        return {"name": self.name_of.get(node), "label": label, "sheet": sheet.title,
                "address": address(node[1], node[2]), "unit": self.unit(node), **values}

    def finding(self, code: str, node: Node, chain: list[dict[str, Any]],
                **params: Any) -> Finding:
        sheet = self.pkg.sheets[node[0]]
        params.setdefault("unit", self.unit(node))
        f = Finding(code, ERROR, RECOMPUTE, dict(params), name=self.name_of.get(node),
                    sheet=sheet.title, address=address(node[1], node[2]), chain=chain)
        f.params.setdefault("label", self.al.label(node) if self.al is not None else "")
        return f

    def chain(self, node: Node, bad: set[Node], roots: set[Node], values: Any,
              passable: set[Node] | None = None) -> list[dict[str, Any]]:
        """From ``node`` back through precedents that are also wrong, to where it starts.

        ``passable`` cells (changed cells without a model value of their own) may be crossed
        when no precedent is known to be wrong: they carry the change along."""
        out: list[dict[str, Any]] = []
        seen = {node}
        current = node
        while current not in roots:
            pre = [p for p in self.graph.precedents.get(current, ()) if p not in seen]
            candidates = sorted(p for p in pre if p in bad) or sorted(
                p for p in pre if passable is not None and p in passable)
            if not candidates:
                break
            current = next((p for p in candidates if p in roots), candidates[0])
            seen.add(current)
            out.append(self.step(current, **values(current)))
            if len(out) > 50:
                break
        return out

    # -- the comparisons -----------------------------------------------------------------
    def run(self) -> None:
        report = self.report
        have_model = self.al is not None and self.al.version_ok and self.run_model()
        formula_nodes = self.graph.formula_nodes()
        if have_model:
            assert self.al is not None
            roots = set(self.al.deviations)
            changed = self.al.changed_names
            if roots or changed or not self.al.identity:
                for node in formula_nodes:
                    cell = self.pkg.cell(node)
                    assert cell is not None and cell.formula is not None
                    if node in self.graph.unresolved or (changed and any(
                            t.kind == "name" and t.text.upper() in changed
                            for t in tokenize(cell.formula))):
                        roots.add(node)
            dirty = self.graph.downstream(roots) if roots else set()
        else:
            roots, dirty = set(), set(formula_nodes)
        # A file that is unsafe is not worth seconds of evaluation: the fast path (model and
        # cached values of untouched cells) still runs, formulas of changed cells do not.
        budget = 0.0 if report.count(CRITICAL) else EVAL_BUDGET
        ev = Evaluator(self.graph, self.known if have_model else {}, dirty, budget)
        if have_model:
            self.against_model(ev, roots, dirty)
        self.against_cache(ev, formula_nodes)
        if ev.skipped:
            report.add(Finding("recompute_incomplete", INFO if budget == 0 else WARNING,
                               RECOMPUTE, {"count": ev.skipped, "budget": budget}))
        report.checked.append("recompute" if have_model else "recompute-formulas")
        if have_model and self.al is not None:
            ref = self.al.ref
            report.figures = {n: v for n, v in self.model.items()
                              if ref.kinds.get(n) == "output"}
            for node, name in self.name_of.items():  # what the file's own formulas give
                if name in report.figures:
                    value = ev.value(node) if node in dirty else self.known.get(node)
                    if value is not NOT_EVALUATED:
                        report.computed[name] = value

    def against_model(self, ev: Evaluator, roots: set[Node], dirty: set[Node]) -> None:
        """(b) Where the file deviates: does it still give the standard model's results?"""
        assert self.al is not None
        kinds = self.al.ref.kinds
        bad: set[Node] = set()
        for node in sorted(dirty):
            if node in self.known and differs(ev.value(node), self.known[node],
                                              self.unit(node)):
                bad.add(node)
        bad |= roots

        def values(n: Node) -> dict[str, Any]:
            cell = self.pkg.cell(n)
            out: dict[str, Any] = {"workbook": ev.value(n) if cell is not None
                                   and cell.formula is not None else _cell_value(cell)}
            if n in self.known:
                out["standard"] = self.known[n]
            if n in roots:
                out["cause"] = "template"
            return out

        named = [n for n in sorted(bad) if n in self.known and n not in roots]
        outputs = [n for n in named if kinds.get(self.name_of.get(n, "")) == "output"]
        unknown = {n for n in dirty if n not in self.known}
        # Each key figure (the cover's) gets its own finding with the chain behind it; other
        # differing outputs are listed in one finding, so a committee reads pages, not dozens.
        key = set(key_figures())
        detailed = [n for n in outputs if self.name_of.get(n) in key] or (outputs or named)[:5]
        for node in detailed:
            self.report.add(self.finding(
                "result_differs", node, self.chain(node, bad, roots, values, unknown),
                workbook=ev.value(node), standard=self.known[node]))
        rest = [n for n in (outputs or named) if n not in detailed]
        if rest:
            self.report.add(Finding("results_differ_more", ERROR, RECOMPUTE, {
                "count": len(rest),
                "names": [f"{self.name_of.get(n, '?')} ({fmt_pair(ev.value(n), self.known[n])})"
                          for n in rest[:MAX_FINDINGS]]}))
        for node in sorted(roots):  # a tampered cell that itself holds a model figure
            if node in self.known and self.name_of.get(node) and differs(
                    ev.value(node), self.known[node], self.unit(node)) and \
                    kinds.get(self.name_of[node]) == "output" and node not in outputs:
                self.report.add(self.finding("result_differs", node, [],
                                             workbook=ev.value(node),
                                             standard=self.known[node]))

    def against_cache(self, ev: Evaluator, formula_nodes: list[Node]) -> None:
        """(a) The values Excel or LibreOffice cached in the file against the formulas."""
        for node, name in self.name_of.items():
            cell = self.pkg.cell(node)
            if cell is not None and self.al is not None and \
                    self.al.ref.kinds.get(name) == "output":
                if cell.cached:
                    self.report.cached[name] = cell.value
                elif cell.formula is None and cell.value is not None:
                    self.report.cached[name] = cell.value  # a constant where a formula was
        sheets = [sheet.cells for sheet in self.pkg.sheets]
        cached = [(n, c) for n in formula_nodes
                  if (c := sheets[n[0]].get((n[1], n[2]))) is not None and c.cached]
        if not cached:
            if formula_nodes:
                self.report.add(Finding("no_cached_values", INFO, RECOMPUTE,
                                        {"formulas": len(formula_nodes)}))
            return
        if len(cached) < len(formula_nodes):
            self.report.add(Finding("partial_cache", INFO, RECOMPUTE,
                                    {"missing": len(formula_nodes) - len(cached),
                                     "formulas": len(formula_nodes)}))
        wrong: set[Node] = set()
        for (node, cell), value in zip(cached, ev.values([n for n, _ in cached]), strict=True):
            cached_value = cell.value
            if value == cached_value and (value is True or value is False) == (
                    cached_value is True or cached_value is False):
                continue  # the common case, decided without tolerances
            if type(value) is float and type(cached_value) is float and \
                    abs(value - cached_value) <= TIGHTEST:
                continue  # within every unit's tolerance (a spreadsheet's last digits)
            if differs(cached_value, value, self.unit(node)):
                wrong.add(node)
        if not wrong:
            return
        roots = {n for n in wrong if not (self.graph.precedents.get(n, set()) & wrong)}

        def values(n: Node) -> dict[str, Any]:
            cell = self.pkg.cell(n)
            return {"cached": cell.value if cell is not None else None,
                    "computed": ev.value(n)}

        shown = sorted(roots) + sorted(n for n in wrong - roots if n in self.name_of)
        for node in shown[:MAX_FINDINGS]:
            cell = self.pkg.cell(node)
            assert cell is not None
            self.report.add(self.finding(
                "cached_differs", node, self.chain(node, wrong, roots, values),
                cached=cell.value, computed=ev.value(node), root=node in roots))
        if len(shown) > MAX_FINDINGS:
            self.report.add(Finding("cached_differs_more", ERROR, RECOMPUTE,
                                    {"count": len(shown) - MAX_FINDINGS}))
