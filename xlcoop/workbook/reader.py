"""Read a workbook's inputs back into a Scenario, finding every cell by its defined name."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path
from typing import Any

from xlcoop.inputs import DWELLING_COLUMNS, INPUTS
from xlcoop.layout import NORM_OVERRIDE_SUFFIX
from xlcoop.norms import NORMS
from xlcoop.scenario import Scenario, ScenarioError, validate


def _open(path: Path):
    import openpyxl  # imported here so the model and scenario modules stay openpyxl-free
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.is_file():
        raise ScenarioError(["bestand bestaat niet"], str(path))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation extensions
            return openpyxl.load_workbook(path, data_only=False, keep_vba=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError,
            TypeError) as exc:
        raise ScenarioError([f"geen leesbare .xlsx-werkmap ({type(exc).__name__}: {exc})"],
                            str(path)) from None


def _cells(wb: Any, name: str, problems: list[str]) -> list[Any] | None:
    """The cells a workbook-level defined name points at, or None (with a problem noted)."""
    defined = wb.defined_names.get(name)
    if defined is None:
        problems.append(f"{name}: naam ontbreekt in de werkmap (geen standaardwerkmap?)")
        return None
    try:
        dests = list(defined.destinations)
        (sheet, ref), = dests
        ws = wb[sheet]
        rng = ws[ref.replace("$", "")]
    except (ValueError, KeyError, TypeError):
        problems.append(f"{name}: naam wijst niet naar cellen ({defined.attr_text})")
        return None
    if isinstance(rng, tuple):
        return [row[0] if isinstance(row, tuple) else row for row in rng]
    return [rng]


def _value(cell: Any) -> Any:
    value = cell.value
    if isinstance(value, str) and value.strip() == "":
        return None
    return value


def read_scenario(path: str | Path) -> Scenario:
    """The scenario held in a standard workbook's input cells (validated)."""
    path = Path(path)
    wb = _open(path)
    problems: list[str] = []
    data: dict[str, Any] = {}
    for spec in INPUTS:
        cells = _cells(wb, spec.name, problems)
        if cells:
            value = _value(cells[0])
            if value is not None:
                data.setdefault(spec.section, {})[spec.name] = value
    columns = {}
    for col in DWELLING_COLUMNS:
        cells = _cells(wb, col.name, problems)
        if cells is not None:
            columns[col.key] = [_value(c) for c in cells]
    dwellings = []
    if columns:
        height = max(len(v) for v in columns.values())
        for i in range(height):
            row = {key: values[i] for key, values in columns.items()
                   if i < len(values) and values[i] is not None}
            if row:
                dwellings.append(row)
    data["woningen"] = dwellings or None
    norms = {}
    for norm in NORMS:
        cells = _cells(wb, norm.name + NORM_OVERRIDE_SUFFIX, problems)
        if cells and _value(cells[0]) is not None:
            norms[norm.name] = _value(cells[0])
    if norms:
        data["normen"] = norms
    if problems:
        raise ScenarioError(problems, str(path))
    return validate(data, str(path))


def named_cells(wb: Any) -> dict[str, tuple[str, str]]:
    """Every workbook-level name that points at one cell: name -> (sheet title, 'C8')."""
    out = {}
    for name, defined in wb.defined_names.items():
        try:
            (sheet, ref), = list(defined.destinations)
        except ValueError:
            continue
        ref = ref.replace("$", "")
        if ":" not in ref:
            out[name] = (sheet, ref)
    return out


def named_values(path: str | Path) -> dict[str, Any]:
    """The cached values of every single-cell name (as Excel or LibreOffice last saved them)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    return {name: wb[sheet][ref].value for name, (sheet, ref) in named_cells(wb).items()}
