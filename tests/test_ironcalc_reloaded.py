"""IronCalc on a reused model (ironcalc_engine.Reloaded, what the tests' Rust worker runs) gives
exactly what loading each file gives. A module of its own: it needs the written cases only, so it
runs while LibreOffice still works on them (see the ordering in conftest.py).
"""

from __future__ import annotations

from conftest import Case

from xlcoop.engines import ironcalc_engine


def test_ironcalc_reusing_a_model_gives_what_loading_each_file_gives(
        cases: dict[str, Case]) -> None:
    """IronCalc's reused model (new constants set, old ones cleared) equals a fresh load of
    every file, cell for cell; a workbook with other formulas (other sheet titles) is loaded."""
    reloaded = ironcalc_engine.Reloaded()
    order = ("random-00", "stappenplan-a-en", "template", "random-01")
    for name in order:
        path = cases[name].path
        fresh = ironcalc_engine.recalculate(path)
        reused = reloaded.recalculate(path)
        assert reused.keys() == fresh.keys()
        differ = [c for c, v in fresh.items()
                  if not (v == reused[c] or (v != v and reused[c] != reused[c]))]
        assert differ == [], (name, [(c, fresh[c], reused[c]) for c in differ[:5]])
    assert reloaded.loads == 2  # the Dutch model served the template and random-01
