"""Evaluate the received workbook's own formulas, only where needed, with `formulas`.

Cells whose value is already proven (formula identical to the template's, fed by untouched
cells: the reference model gives their value) are taken as known; only the rest, the cells that
differ from the template and everything downstream of them, are evaluated, each formula compiled
once by `formulas` (its own Excel function library) and cached by text. Loading the whole
workbook into `formulas` costs seconds; this costs milliseconds per changed cell.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from xlcoop.audit.formula import Ref, Token, relative, tokenize
from xlcoop.audit.graph import Graph, Target
from xlcoop.audit.package import ExcelError, Node

_COMPILED: dict[str, Any] = {}
_SHARED: dict[str, Shared | None] = {}
CIRCULAR = ExcelError("#CIRC!")
NOT_EVALUATED = ExcelError("#NOT-EVALUATED")


def _compile(formula: str) -> Any:
    fn = _COMPILED.get(formula)
    if fn is None:
        os.environ.setdefault("TQDM_DISABLE", "1")
        import formulas

        fn = Direct(formulas.Parser().ast("=" + formula)[1].compile())
        _COMPILED[formula] = fn
    return fn


class Direct:
    """A `formulas`-compiled formula, run without the dispatcher: the same function nodes
    (`formulas`' Excel functions and operators), called in the pipe's order.

    Each call through schedula's dispatcher costs ~3 ms, most of it bookkeeping; a tampered
    timeline means a thousand calls. The first call of each formula is checked against the
    dispatcher; any difference (or an unfamiliar node) makes that formula use the dispatcher.
    """

    SIMPLE: ClassVar[frozenset[str]] = frozenset({
        "type", "inputs", "outputs", "wait_inputs", "index", "function", "solve_cycle",
        "extra_inputs"})

    def __init__(self, fn: Any) -> None:
        self.fn = fn
        self.inputs = list(fn.inputs)
        self.steps: list[tuple[Any, tuple[Any, ...], Any]] | None = []
        dsp = fn.dsp
        self.defaults: dict[Any, Any] = {k: v["value"] for k, v in dsp.default_values.items()}
        self.output = fn.outputs[0] if len(fn.outputs) == 1 else None
        self.filters = tuple(dsp.nodes.get(self.output, {}).get("filters", ()))
        for x, _nxt, _sub in fn.pipe:
            node = dsp.nodes[x[-1][0]]
            if node.get("type") != "function":
                continue
            if set(node) - self.SIMPLE or len(node["outputs"]) != 1:
                self.steps = None
                break
            self.defaults.update(node.get("extra_inputs", {}))  # e.g. INDEX's run-mode flag
            self.steps.append((node["function"], tuple(node["inputs"]), node["outputs"][0]))
        if self.output is None:
            self.steps = None
        self.checked = False

    def _direct(self, args: tuple[Any, ...]) -> Any:
        assert self.steps is not None and self.output is not None
        values = dict(self.defaults)
        values.update(zip(self.inputs, args, strict=True))
        for func, names, out in self.steps:
            values[out] = func(*(values[n] for n in names))
        result = values[self.output]
        for flt in self.filters:
            result = flt(result)
        return result

    def __call__(self, *args: Any) -> Any:
        if self.steps is None:
            return self.fn(*args)
        try:
            result = self._direct(args)
        except Exception:
            self.steps = None
            return self.fn(*args)
        if not self.checked:
            self.checked = True
            slow = self.fn(*args)
            if repr(_plain(slow)) != repr(_plain(result)):
                self.steps = None
                return slow
        return result


@dataclass
class Shared:
    """A formula compiled once for every cell with the same relative (R1C1) form: a timeline
    row is one compile, not thirty. Each input is a name, or a reference to shift."""

    fn: Any
    row: int
    col: int
    inputs: list[Token | Ref]


def _shared(formula: str, row: int, col: int) -> Shared | None:
    rel = relative(formula, row, col)
    if rel in _SHARED:
        return _SHARED[rel]
    fn = _compile(formula)
    mine: dict[tuple[str | None, int, int, int, int], Ref] = {}
    names: dict[str, Token] = {}
    result: Shared | None = None
    for t in tokenize(formula):
        if t.ref is not None:
            key = ((t.ref.sheet or "").upper() or None, t.ref.r1, t.ref.c1, t.ref.r2, t.ref.c2)
            if key in mine and mine[key] != t.ref:
                break  # the same cell written once relative, once absolute: compile per text
            mine[key] = t.ref
        elif t.kind == "name":
            names[t.text.upper()] = t
    else:
        inputs: list[Token | Ref] = []
        for key in fn.inputs:
            toks = [t for t in tokenize(key) if t.kind != "ws"]
            if len(toks) != 1:
                break
            t = toks[0]
            if t.ref is not None:
                r = t.ref
                ref = mine.get(((r.sheet or "").upper() or None, r.r1, r.c1, r.r2, r.c2))
                if ref is None:
                    break
                inputs.append(ref)
            elif t.kind == "name" and t.text.upper() in names:
                inputs.append(names[t.text.upper()])
            else:
                break
        else:
            result = Shared(fn, row, col, inputs)
    _SHARED[rel] = result
    return result


def precompile(ref: Any) -> int:
    """Compile the template's formulas on cells no defined name covers (see run.warm_up)."""
    count = 0
    for (_key, row, col), formula in ref.formulas.items():
        if (_key, row, col) in ref.name_at or (_key, row, col) in ref.covering:
            continue
        toks = [t for t in tokenize(formula) if t.kind != "ws"]
        if len(toks) == 1 and toks[0].kind in ("ref", "name"):
            continue
        _shared(formula, row, col)
        count += 1
    return count


def _shift(ref: Ref, drow: int, dcol: int) -> Ref:
    return replace(ref, r1=ref.r1 + (0 if ref.abs_r1 else drow),
                   c1=ref.c1 + (0 if ref.abs_c1 else dcol),
                   r2=ref.r2 + (0 if ref.abs_r2 else drow),
                   c2=ref.c2 + (0 if ref.abs_c2 else dcol))


def _plain(value: Any) -> Any:
    """`formulas`' result (Ranges, numpy, XlError, EMPTY) as a plain Python value."""
    import numpy as np
    import schedula as sh
    from formulas.ranges import Ranges
    from formulas.tokens.operand import XlError

    if isinstance(value, Ranges):
        value = value.value
    if isinstance(value, np.ndarray):
        value = value.reshape(-1)[0] if value.size else None
    if value is sh.EMPTY or value is None:
        return 0  # a reference to a blank cell shows 0, as in Excel
    if isinstance(value, XlError):
        return ExcelError(str(value))
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.str_):
        return str(value)
    return value


class Evaluator:
    """Values of the received workbook's cells: known where proven, computed where not."""

    def __init__(self, graph: Graph, known: dict[Node, Any], dirty: set[Node],
                 budget: float = 6.0) -> None:
        self.graph = graph
        self.deadline = time.perf_counter() + budget
        self.skipped = 0  # formulas left unevaluated when the time budget ran out
        self.pkg = graph.pkg
        self.known = known
        self.dirty = dirty
        self.cache: dict[Node, Any] = {}
        self.compiled = 0  # formulas evaluated with `formulas` (for the report)

    def _formula(self, node: Node) -> str | None:
        cell = self.pkg.cell(node)
        return None if cell is None else cell.formula

    def _needs_eval(self, node: Node) -> bool:
        return self._formula(node) is not None and (node in self.dirty or node not in self.known)

    def _static(self, node: Node) -> Any:
        if node in self.known and node not in self.dirty:
            return self.known[node]
        cell = self.pkg.cell(node)
        return None if cell is None else cell.value

    def _inputs(self, node: Node) -> tuple[Callable[..., Any] | None, list[Target | None]]:
        """The compiled formula and, per input, the cells it reads (None: unresolvable)."""
        formula = self._formula(node)
        assert formula is not None
        toks = [t for t in tokenize(formula) if t.kind != "ws"]
        if len(toks) == 1 and toks[0].kind in ("ref", "name"):  # =name: no compile needed
            return None, [self._target(toks[0].text, node[0])]
        if time.perf_counter() > self.deadline:
            return NOT_EVALUATED, []
        self.compiled += 1
        shared = _shared(formula, node[1], node[2])
        if shared is None:
            fn = _compile(formula)
            return fn, [self._target(key, node[0]) for key in fn.inputs]
        drow, dcol = node[1] - shared.row, node[2] - shared.col
        targets: list[Target | None] = []
        for item in shared.inputs:
            if isinstance(item, Ref):
                targets.append(self.graph.resolve_ref(_shift(item, drow, dcol), node[0]))
            else:
                found = self.graph.resolve_name(item, node[0])
                targets.append(found[0] if found and len(found) == 1 else None)
        return shared.fn, targets

    def _target(self, key: str, sheet: int) -> Target | None:
        toks = [t for t in tokenize(key) if t.kind != "ws"]
        if len(toks) != 1:
            return None
        t = toks[0]
        if t.ref is not None:
            return self.graph.resolve_ref(t.ref, sheet)
        if t.kind == "name":
            targets = self.graph.resolve_name(t, sheet)
            return targets[0] if targets and len(targets) == 1 else None
        return None

    def values(self, nodes: list[Node]) -> list[Any]:
        """``value`` of each node; the proven ones (most of them) without a call each."""
        cache, known, dirty, value = self.cache, self.known, self.dirty, self.value
        return [cache[n] if n in cache else known[n] if n in known and n not in dirty
                else value(n) for n in nodes]

    def value(self, node: Node) -> Any:
        if node in self.cache:
            return self.cache[node]
        if node in self.known and node not in self.dirty:
            return self.known[node]  # proven: the model's value (the common case)
        stack = [node]
        expanding: set[Node] = set()
        plans: dict[Node, tuple[Any, list[Target | None]]] = {}
        while stack:
            n = stack[-1]
            if n in self.cache:
                stack.pop()
                continue
            if not self._needs_eval(n):
                self.cache[n] = self._static(n)
                stack.pop()
                continue
            if n not in plans:
                plans[n] = self._inputs(n)
            fn, targets = plans[n]
            missing = [m for t in targets if t is not None for m in t.nodes()
                       if m not in self.cache]
            if missing and n not in expanding:
                expanding.add(n)
                stack.extend(missing)
                continue
            stack.pop()
            self.cache[n] = CIRCULAR if missing else self._run(fn, targets)
        return self.cache[node]

    def _arg(self, target: Target | None) -> Any:
        import numpy as np
        import schedula as sh

        if target is None:
            from formulas.tokens.operand import Error

            return Error.errors["#REF!"]
        # Always a 2-D array, as `formulas` passes a range: a one-cell range must still work as
        # a lookup array (MATCH over a one-row table), and arithmetic takes arrays as well.
        values = [sh.EMPTY if (v := self.cache[m]) is None else v for m in target.nodes()]
        return np.array(values, dtype=object).reshape(target.shape)

    def _run(self, fn: Any, targets: list[Target | None]) -> Any:
        if fn is NOT_EVALUATED or any(
                t is not None and any(self.cache[m] is NOT_EVALUATED for m in t.nodes())
                for t in targets):
            self.skipped += 1
            return NOT_EVALUATED
        if fn is None:  # a plain reference: the cell's value (blank shows as 0)
            target = targets[0]
            if target is None:
                return ExcelError("#REF!")
            if target.shape != (1, 1):
                return ExcelError("#VALUE!")
            value = self.cache[target.nodes()[0]]
            return 0 if value is None else value
        try:
            return _plain(fn(*(self._arg(t) for t in targets)))
        except Exception as exc:
            return ExcelError(f"#ENGINE! {type(exc).__name__}")
