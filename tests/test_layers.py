"""The layers point one way: domain <- registry <- faces (design.md, "Layers").

Every import statement of every module is parsed (function-level imports included, since a
lazy import is still a dependency), so a lower layer that reaches up fails here."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from xlcoop import layout
from xlcoop.verdicts import CHECK_SEVERITIES, DOSSIER_ITEMS

PACKAGE = Path(__file__).resolve().parent.parent / "xlcoop"
DOMAIN = {"norms", "inputs", "scenario", "model", "projection", "checks", "solve", "verdicts",
          "glossary", "owned_cells", "objections", "credit"}
REGISTRY = {"layout", "timeline"}
LAYER = {**{m: 0 for m in DOMAIN}, **{m: 1 for m in REGISTRY}}
FACE = 2  # workbook/, addin/, audit/, commands/, engines/, cli, docs, artifacts, ...


def layer_of(module: str) -> int:
    """Layer of ``xlcoop.x.y`` by its first component (the package root counts as domain)."""
    parts = module.split(".")
    if parts[0] != "xlcoop":
        return -1
    if len(parts) == 1:
        return 0
    return LAYER.get(parts[1], FACE)


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            if node.module == "xlcoop":  # from xlcoop import layout
                found.update(f"xlcoop.{alias.name}" for alias in node.names)
    return {m for m in found if m.startswith("xlcoop")}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_layer_table_names_real_modules() -> None:
    for name in DOMAIN | REGISTRY:
        assert (PACKAGE / f"{name}.py").is_file(), name


@pytest.mark.parametrize("path", [p for p in MODULES if layer_of(module_name(p)) < FACE],
                         ids=lambda p: module_name(p))
def test_no_lower_layer_imports_a_higher_one(path: Path) -> None:
    own = layer_of(module_name(path))
    upward = sorted(m for m in imports_of(path) if layer_of(m) > own)
    assert not upward, f"{module_name(path)} (layer {own}) imports {upward}"


def test_the_detector_sees_a_lazy_upward_import(tmp_path: Path) -> None:
    """The rule above can fail: a function-level import is found."""
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from xlcoop.layout import layout\n    import xlcoop.audit\n")
    assert imports_of(probe) == {"xlcoop.layout", "xlcoop.audit"}
    assert layer_of("xlcoop.layout") > layer_of("xlcoop.model")
    assert layer_of("xlcoop.addin.owned") > layer_of("xlcoop.layout")


def test_domain_loads_without_registry_or_faces() -> None:
    """Importing and running the domain loads no registry and no face module."""
    code = ("import sys, xlcoop.model, xlcoop.checks, xlcoop.solve, xlcoop.scenario as s;"
            "import xlcoop.owned_cells as o; o.owned_layout();"
            "xlcoop.model.compute(s.load('examples/stappenplan-a.toml'));"
            "print(sorted(m for m in sys.modules if m.startswith('xlcoop')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=PACKAGE.parent, check=True).stdout
    loaded = eval(out)  # a printed list of module names
    assert loaded and all(layer_of(m) == 0 for m in loaded), loaded


def test_check_names_and_severities_are_the_domains() -> None:
    shown = {c.name: c.severity for c in layout.CHECKS}
    assert shown == CHECK_SEVERITIES, "registry checks and xlcoop/verdicts.py disagree"
    assert list(shown) == list(CHECK_SEVERITIES)
    dossier = [i.name for i in layout.KANSRIJK_SECTIONS[1].items
               if i.unit == "bool" and i.name not in ("dossier_compleet",)]
    assert tuple(dossier) == DOSSIER_ITEMS
