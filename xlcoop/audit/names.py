"""Defined names against the registry's: missing, renamed, moved, broken, shadowed, extra.

The names are the public contract (banks and the add-in find cells by name), so a name that
points elsewhere changes what every formula using it computes: each is a finding, reported by
name with the template's address. Positions are compared in template coordinates, so names that
moved with an inserted row are in place.
"""

from __future__ import annotations

from xlcoop.audit.findings import ERROR, INTEGRITY, WARNING, Finding, Report
from xlcoop.audit.formula import col_letters
from xlcoop.audit.integrity import Alignment
from xlcoop.audit.reference import NamePos, name_target


def _actual_position(result: Alignment, text: str) -> NamePos | str | None:
    """Where an actual name points, in template coordinates; '#REF!' or None if not a ref."""
    ref = name_target(text)
    if ref is None:
        return "#REF!" if "#REF!" in text.upper() else None
    sheet = result.pkg.sheet(ref.sheet) if ref.sheet else None
    if sheet is None or sheet.index not in result.key_of:
        return None
    key = result.key_of[sheet.index]
    rows, cols = result.inv_rows[key], result.inv_cols[key]
    r1, r2, c1, c2 = rows.get(ref.r1), rows.get(ref.r2), cols.get(ref.c1), cols.get(ref.c2)
    if None in (r1, r2, c1, c2):
        return None
    assert r1 is not None and r2 is not None and c1 is not None and c2 is not None
    return NamePos(key, r1, c1, r2, c2)


def check_names(result: Alignment, report: Report) -> None:
    ref, pkg = result.ref, result.pkg
    actual = pkg.workbook_names()
    expected_upper = {n.upper(): n for n in ref.names}
    deleted_cells = set() if result.identity else {
        (k, r, c) for k in result.sheet_of for (r, c) in
        ref.package.sheets[ref.sheet_index(k)].cells if result.to_actual((k, r, c)) is None}
    used: set[str] = set()
    for dn in pkg.names:
        if dn.local_sheet is not None and dn.name.upper() in expected_upper:
            sheet = pkg.sheets[dn.local_sheet].title if dn.local_sheet < len(pkg.sheets) \
                else "?"
            result.changed_names.add(dn.name.upper())
            report.add(Finding("name_shadowed", ERROR, INTEGRITY, {"definition": dn.text},
                               name=dn.name, sheet=sheet))
    for name, pos in ref.names.items():
        up = name.upper()
        where = f"'{ref.titles[pos.key]}'!{_range(pos)}"
        dn = actual.get(up)
        if dn is None:
            renamed = next((d for u, d in actual.items() if u not in expected_upper
                            and _actual_position(result, d.text) == pos), None)
            result.changed_names.add(up)
            if renamed is None and all(c in deleted_cells for c in pos.cells()):
                continue  # its row or column was deleted: listed with the deletion
            if renamed is not None:
                used.add(renamed.name.upper())
                report.add(Finding("name_renamed", ERROR, INTEGRITY,
                                   {"new": renamed.name, "template": where},
                                   name=name))
            else:
                report.add(Finding("name_missing", ERROR, INTEGRITY, {"template": where},
                                   name=name))
            continue
        have = _actual_position(result, dn.text)
        if dn.hidden:
            report.add(Finding("name_hidden", WARNING, INTEGRITY, {}, name=name))
        if have == pos:
            continue
        result.changed_names.add(up)
        if have == "#REF!" or (have is None and any(c in deleted_cells for c in pos.cells())):
            report.add(Finding("name_broken", ERROR, INTEGRITY,
                               {"definition": dn.text, "template": where}, name=name))
        else:
            report.add(Finding("name_moved", ERROR, INTEGRITY,
                               {"definition": dn.text, "template": where}, name=name))
    for up, dn in actual.items():
        if up in expected_upper or up in used or up.startswith("_XLNM."):
            continue
        report.add(Finding("extra_name", WARNING, INTEGRITY, {"definition": dn.text},
                           name=dn.name))


def _range(pos: NamePos) -> str:
    first = f"${col_letters(pos.c1)}${pos.r1}"
    return first if pos.single else f"{first}:${col_letters(pos.c2)}${pos.r2}"
