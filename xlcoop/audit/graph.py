"""The received workbook's dependency graph: which cells each formula reads.

Built from the file's own formulas and defined names (not the template's), so it describes what
Excel would compute. It gives the dependents of a tampered cell (what the recompute must
re-evaluate), the chain of precedents behind a difference, and circular references (lint).
"""

from __future__ import annotations

from dataclasses import dataclass

from xlcoop.audit.formula import MAX_COL, MAX_ROW, Ref, Token, name_of, tokenize
from xlcoop.audit.memo import Memo
from xlcoop.audit.package import DefinedName, Node, Package

MAX_NAME_DEPTH = 8  # names defined through names; deeper is treated as unresolved


@dataclass
class Target:
    """What a reference or name resolves to: a rectangle of cells on one sheet."""

    sheet: int
    r1: int
    c1: int
    r2: int
    c2: int

    def nodes(self) -> list[Node]:
        return [(self.sheet, r, c) for r in range(self.r1, self.r2 + 1)
                for c in range(self.c1, self.c2 + 1)]

    @property
    def shape(self) -> tuple[int, int]:
        return self.r2 - self.r1 + 1, self.c2 - self.c1 + 1


_FORMULA_NODES = Memo(64)  # (sheet index, shape digest) -> the sheet's formula nodes


class Graph:
    """Resolution of references is immediate; the edges are built on first use (a standard
    workbook that audits clean never needs them)."""

    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        self._precedents: dict[Node, set[Node]] | None = None
        self._unresolved: dict[Node, list[str]] = {}  # names/sheets not found
        self.referenced_names: set[str] = set()  # upper case
        self._titles = {s.title.upper(): s.index for s in self.pkg.sheets}
        self._book = self.pkg.workbook_names()
        self._local: dict[tuple[int, str], DefinedName] = {
            (n.local_sheet, n.name.upper()): n for n in self.pkg.names
            if n.local_sheet is not None}
        self._dependents: dict[Node, set[Node]] | None = None

    # -- resolution ----------------------------------------------------------------------
    def resolve_ref(self, ref: Ref, sheet: int) -> Target | None:
        if ref.book:
            return None
        index = sheet if ref.sheet is None else self._titles.get(ref.sheet.upper())
        if index is None:
            return None
        s = self.pkg.sheets[index]
        # Whole columns/rows: only the used part can hold anything.
        r2 = min(ref.r2, max(s.max_row, ref.r1)) if ref.r2 == MAX_ROW else ref.r2
        c2 = min(ref.c2, max(s.max_col, ref.c1)) if ref.c2 == MAX_COL else ref.c2
        return Target(index, ref.r1, ref.c1, r2, c2)

    def definition(self, name: str, sheet: int) -> DefinedName | None:
        up = name.upper()
        return self._local.get((sheet, up)) or self._book.get(up)

    def resolve_name(self, token: Token, sheet: int, depth: int = 0) -> list[Target] | None:
        """The cells a name stands for (a name may be a formula over several references)."""
        if token.sheet is not None:
            s = self.pkg.sheet(token.sheet)
            scope = s.index if s is not None else -1
            dn = self._local.get((scope, name_of(token))) or self._book.get(name_of(token))
        else:
            dn = self.definition(token.text, sheet)
        if dn is None or depth > MAX_NAME_DEPTH:
            return None
        scope = dn.local_sheet if dn.local_sheet is not None else sheet
        out: list[Target] = []
        for t in tokenize(dn.text):
            if t.ref is not None:
                target = self.resolve_ref(t.ref, scope)
                if target is not None:
                    out.append(target)
            elif t.kind == "name":
                inner = self.resolve_name(t, scope, depth + 1)
                if inner:
                    out.extend(inner)
        return out

    # -- building ------------------------------------------------------------------------
    @classmethod
    def build(cls, pkg: Package) -> Graph:
        return cls(pkg)

    @property
    def precedents(self) -> dict[Node, set[Node]]:
        if self._precedents is None:
            self._precedents = {}
            self._edges()
        return self._precedents

    @property
    def unresolved(self) -> dict[Node, list[str]]:
        self.precedents  # noqa: B018 - builds the edges
        return self._unresolved

    def formula_nodes(self) -> list[Node]:
        out: list[Node] = []
        for s in self.pkg.sheets:
            key = (s.index, s.shape)
            nodes = _FORMULA_NODES.find(key) if s.shape else None
            if nodes is None:
                nodes = tuple((s.index, r, c) for (r, c), cell in s.cells.items()
                              if cell.formula is not None)
                if s.shape:  # the same shape has its formulas at the same places
                    _FORMULA_NODES.put(key, nodes)
            out += nodes
        return out

    def _edges(self) -> None:
        g, pkg = self, self.pkg
        assert self._precedents is not None
        for sheet in pkg.sheets:
            for (row, col), cell in sheet.cells.items():
                if cell.formula is None:
                    continue
                node = (sheet.index, row, col)
                pre: set[Node] = set()
                missing: list[str] = []
                for t in tokenize(cell.formula):
                    if t.ref is not None:
                        target = g.resolve_ref(t.ref, sheet.index)
                        if target is None:
                            missing.append(t.text)
                        else:
                            pre.update(target.nodes())
                    elif t.kind == "name":
                        g.referenced_names.add(name_of(t))
                        targets = g.resolve_name(t, sheet.index)
                        if targets is None:
                            missing.append(t.text)
                        else:
                            for target in targets:
                                pre.update(target.nodes())
                self._precedents[node] = pre
                if missing:
                    self._unresolved[node] = missing

    @property
    def dependents(self) -> dict[Node, set[Node]]:
        if self._dependents is None:
            deps: dict[Node, set[Node]] = {}
            for node, pre in self.precedents.items():
                for p in pre:
                    deps.setdefault(p, set()).add(node)
            self._dependents = deps
        return self._dependents

    def downstream(self, roots: set[Node]) -> set[Node]:
        """The roots and every formula cell that depends on them, directly or not."""
        seen = set(roots)
        stack = list(roots)
        deps = self.dependents
        while stack:
            for d in deps.get(stack.pop(), ()):
                if d not in seen:
                    seen.add(d)
                    stack.append(d)
        return seen

    def cycles(self) -> list[list[Node]]:
        """Strongly connected formula cells (Tarjan, iterative): each a circular reference."""
        index: dict[Node, int] = {}
        low: dict[Node, int] = {}
        on_stack: set[Node] = set()
        stack: list[Node] = []
        out: list[list[Node]] = []
        counter = 0
        for start in self.precedents:
            if start in index:
                continue
            work = [(start, iter(sorted(self.precedents.get(start, ()))))]
            index[start] = low[start] = counter
            counter += 1
            stack.append(start)
            on_stack.add(start)
            while work:
                node, it = work[-1]
                advanced = False
                for nxt in it:
                    if nxt not in self.precedents:
                        continue  # a constant: no outgoing edges
                    if nxt not in index:
                        index[nxt] = low[nxt] = counter
                        counter += 1
                        stack.append(nxt)
                        on_stack.add(nxt)
                        work.append((nxt, iter(sorted(self.precedents.get(nxt, ())))))
                        advanced = True
                        break
                    if nxt in on_stack:
                        low[node] = min(low[node], index[nxt])
                if advanced:
                    continue
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        n = stack.pop()
                        on_stack.discard(n)
                        component.append(n)
                        if n == node:
                            break
                    if len(component) > 1 or node in self.precedents.get(node, ()):
                        out.append(sorted(component))
        return out
