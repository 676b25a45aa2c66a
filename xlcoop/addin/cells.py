"""Read a business case's inputs from an xlwings Book, every cell found by its defined name.

Works with any Book that offers this subset of xlwings' API (xlwings Lite, the classic desktop
engine, xlwings' JSON Book, or ``xlcoop.addin.jsonbook``)::

    name in book.names                       book.names[name].refers_to_range
    rng.options(ndim=2, err_to_str=True).value
    rng.sheet.name   rng.address   rng.shape  rng.value = [[...]]

Whatever the cells hold (text in a number cell, blanks, error values) is passed on as found; the
rules in ``xlcoop.checks`` turn it into findings. A name that is missing or points nowhere (a
deleted sheet, ``#REF!``) becomes a finding too, never an exception.
"""

from __future__ import annotations

from typing import Any

from xlcoop.checks import ERROR, ERROR_LITERALS, WARNING, CellError, Finding, label_of
from xlcoop.inputs import DWELLING_COLUMNS, INPUTS
from xlcoop.layout import NORM_OVERRIDE_SUFFIX, NORM_STANDARD_SUFFIX, TEMPLATE_VERSION
from xlcoop.norms import NORMS


class NameProblem(Exception):
    """A defined name that is missing, or that does not point at cells."""

    def __init__(self, name: str, missing: bool, detail: str = "") -> None:
        super().__init__(name)
        self.name, self.missing, self.detail = name, missing, detail


def named_range(book: Any, name: str) -> Any:
    """The range a workbook-level name points at; NameProblem when there is none."""
    try:
        present = name in book.names
    except Exception as exc:  # an engine that cannot list names: treat as missing
        raise NameProblem(name, True, type(exc).__name__) from None
    if not present:
        raise NameProblem(name, True)
    try:
        return book.names[name].refers_to_range
    except Exception as exc:  # '#REF!', a deleted sheet, a constant: no cells to read
        raise NameProblem(name, False, str(exc)) from None


def clean(value: Any) -> Any:
    """A cell value as the rules expect it: blanks None, Excel errors CellError, text stripped."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if text.upper() in ERROR_LITERALS:
            return CellError(text.upper())
        return text
    return value


def read_block(book: Any, name: str) -> list[list[Any]]:
    """The cleaned values of a named range, always two-dimensional."""
    rng = named_range(book, name)
    try:
        values = rng.options(ndim=2, err_to_str=True).value
    except Exception as exc:
        raise NameProblem(name, False, str(exc)) from None
    if not isinstance(values, list):
        values = [[values]]
    return [[clean(v) for v in (row if isinstance(row, (list, tuple)) else [row])]
            for row in values]


def _flat(block: list[list[Any]]) -> list[Any]:
    return [v for row in block for v in row]


def _as_text(value: Any) -> Any:
    """A number typed where text belongs (a project called 2026) is still that text."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def name_finding(problem: NameProblem, severity: str = ERROR) -> Finding:
    name = problem.name
    if problem.missing:
        nl = (f"{label_of(name, 'nl')} ({name}): deze naam ontbreekt in de werkmap; is dit een "
              f"standaardwerkmap (template {TEMPLATE_VERSION})?")
        en = (f"{label_of(name, 'en')} ({name}): this name is missing from the workbook; is this "
              f"a standard workbook (template {TEMPLATE_VERSION})?")
        rule = "naam_ontbreekt"
    else:
        nl = (f"{label_of(name, 'nl')} ({name}): de naam wijst niet naar cellen (verwijderd blad "
              "of #VERW!); herstel de naam via Formules > Namen beheren.")
        en = (f"{label_of(name, 'en')} ({name}): the name does not point at cells (deleted sheet "
              "or #REF!); repair it under Formulas > Name Manager.")
        rule = "naam_ongeldig"
    if severity != ERROR:
        nl += " De standaardwaarde wordt gebruikt."
        en += " The default value is used."
    return Finding(rule, severity, name, nl, en, value=problem.detail or None)


def read_document(book: Any) -> tuple[dict[str, Any], list[Finding]]:
    """The inputs as a scenario document (sections as in a scenario file), with a finding for
    every name that cannot be read. Inputs with a default may be absent (older templates)."""
    doc: dict[str, Any] = {}
    found: list[Finding] = []
    for spec in INPUTS:
        try:
            values = _flat(read_block(book, spec.name))
        except NameProblem as problem:
            found.append(name_finding(problem, ERROR if spec.required else WARNING))
            continue
        if spec.kind == "series":
            while values and values[-1] is None:
                values.pop()
            value: Any = [0.0 if v is None else v for v in values]  # a blank year spends 0
        else:
            value = values[0] if values else None
            if spec.kind == "text":
                value = _as_text(value)
        if value is not None:
            doc.setdefault(spec.section, {})[spec.name] = value
    columns: dict[str, list[Any]] = {}
    for col in DWELLING_COLUMNS:
        try:
            columns[col.key] = _flat(read_block(book, col.name))
        except NameProblem as problem:
            found.append(name_finding(problem, ERROR if col.default is None else WARNING))
    dwellings = []
    height = max((len(v) for v in columns.values()), default=0)
    for i in range(height):
        row = {key: values[i] for key, values in columns.items()
               if i < len(values) and values[i] is not None}
        if "type" in row:
            row["type"] = _as_text(row["type"])
        if row:
            dwellings.append(row)
    doc["woningen"] = dwellings
    norms = {}
    for norm in NORMS:
        try:
            values = _flat(read_block(book, norm.name + NORM_OVERRIDE_SUFFIX))
        except NameProblem as problem:
            found.append(name_finding(problem, WARNING))
            continue
        if values and values[0] is not None:
            norms[norm.name] = values[0]
    if norms:
        doc["normen"] = norms
    found.extend(_version_findings(book))
    return doc, found


def read_standards(book: Any) -> dict[str, Any]:
    """The workbook's standard norm values (Normen, column standard), by norm name; a name the
    workbook lacks is left out (older templates: the template's standard applies)."""
    out: dict[str, Any] = {}
    for norm in NORMS:
        try:
            values = _flat(read_block(book, norm.name + NORM_STANDARD_SUFFIX))
        except NameProblem:
            continue
        if values:
            out[norm.name] = values[0]
    return out


def dwelling_rows(book: Any) -> list[int]:
    """0-based offsets of the dwellings-table rows that hold a dwelling type (the reader's
    rule: any filled column), in order: where a solver's rents go back."""
    columns = [_flat(read_block(book, col.name)) for col in DWELLING_COLUMNS]
    height = max(len(c) for c in columns)
    return [i for i in range(height) if any(i < len(c) and c[i] is not None for c in columns)]


def _version_findings(book: Any) -> list[Finding]:
    try:
        version = _flat(read_block(book, "template_versie"))[0]
    except NameProblem:
        return []
    if version in (None, TEMPLATE_VERSION):
        return []
    return [Finding("template_versie", WARNING, "template_versie",
                    f"De werkmap is template {version}; deze add-in hoort bij template "
                    f"{TEMPLATE_VERSION}. Maak de werkmap opnieuw met xlcoop new.",
                    f"The workbook is template {version}; this add-in belongs to template "
                    f"{TEMPLATE_VERSION}. Rebuild the workbook with xlcoop new.", value=version,
                    norm=TEMPLATE_VERSION)]


def detect_lang(book: Any) -> str:
    """'en' when the workbook was written in English (its cover sheet is called Cover)."""
    try:
        return "en" if named_range(book, "template_versie").sheet.name == "Cover" else "nl"
    except Exception:
        return "nl"
