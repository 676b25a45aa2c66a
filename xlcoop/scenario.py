"""Scenario files (TOML or JSON): load, validate against the input specs, and dump.

A scenario holds every input of the business case. Validation collects *all* problems and raises
one ``ScenarioError`` whose message names each key and what was expected, so the command line
can print it and exit with status 2 without a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlcoop.inputs import (
    COLUMN_BY_KEY,
    DWELLING_COLUMNS,
    DWELLING_ROWS,
    INPUTS,
    SECTIONS,
    InputSpec,
)
from xlcoop.norms import NORM_BY_NAME, NORMS


class ScenarioError(ValueError):
    """A scenario that cannot be used; ``problems`` lists one line per offending key."""

    def __init__(self, problems: list[str], source: str = "") -> None:
        self.problems = problems
        self.source = source
        head = f"{source}: " if source else ""
        super().__init__(head + "ongeldige invoer / invalid input:\n  - " + "\n  - ".join(problems))


@dataclass
class Scenario:
    inputs: dict[str, Any]  # input name -> value (None for a blank optional input)
    dwellings: list[dict[str, Any]]  # one dict per dwelling type, keyed by column key
    norms: dict[str, float] = field(default_factory=dict)  # norm name -> user override

    def to_dict(self) -> dict[str, Any]:
        """The scenario in file form (sections), omitting blank optional inputs."""
        out: dict[str, Any] = {}
        for spec in INPUTS:
            value = self.inputs.get(spec.name)
            if value is not None:
                out.setdefault(spec.section, {})[spec.name] = \
                    list(value) if spec.kind == "series" else \
                    value.isoformat() if spec.kind == "date" else value
        out["woningen"] = [dict(d) for d in self.dwellings]
        if self.norms:
            out["normen"] = dict(self.norms)
        return out


_EXPECT = {
    "number": "een getal",
    "integer": "een geheel getal",
    "text": "tekst",
    "choice": "een van",
    "date": "een datum (JJJJ-MM-DD)",
}
EXCEL_EPOCH = dt.date(1899, 12, 30)


def excel_serial(day: dt.date) -> int:
    """A date as Excel's serial number (1900 date system; 1 March 1900 onwards)."""
    return (day - EXCEL_EPOCH).days


def date_serial(value: Any) -> int | None:
    """Any date form (date, datetime, ISO text, Excel serial) as a serial number; None when the
    value is blank or not a date (the model then treats the date as missing)."""
    problems: list[str] = []
    day = None if value is None else _check_date("", value, problems)
    return None if day is None else excel_serial(day)


def _check_date(key: str, value: Any, problems: list[str]) -> dt.date | None:
    """A date from TOML (native date), JSON (ISO text) or a workbook (datetime or serial)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) \
            and math.isfinite(value) and 61 <= value < 2958466:
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append(f"{key}: verwacht {_EXPECT['date']}, kreeg {value!r}")
    return None


def _check_number(key: str, value: Any, kind: str, lo: float | None, hi: float | None,
                  unit: str, problems: list[str]) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.append(f"{key}: verwacht {_EXPECT[kind]}, kreeg {value!r}")
        return None
    if isinstance(value, float) and not math.isfinite(value):
        problems.append(f"{key}: verwacht een eindig getal, kreeg {value!r}")
        return None
    if kind == "integer" and value != int(value):
        problems.append(f"{key}: verwacht een geheel getal, kreeg {value!r}")
        return None
    hint = " (als fractie: 0.01 = 1%)" if unit == "pct" else ""
    if unit == "pct" and hi is not None and hi <= 1 and value >= 1:
        # 100% or more is impossible here (rent loss, LTV, a share): almost always "1" meant 1%
        problems.append(f"{key}: verwacht een fractie kleiner dan 1 (0.01 = 1%), kreeg "
                        f"{value!r}")
        return None
    if lo is not None and value < lo:
        problems.append(f"{key}: verwacht minimaal {lo:g}{hint}, kreeg {value!r}")
        return None
    if hi is not None and value > hi:
        problems.append(f"{key}: verwacht hoogstens {hi:g}{hint}, kreeg {value!r}")
        return None
    return int(value) if kind == "integer" else float(value)


def _check_value(spec: InputSpec, key: str, value: Any, problems: list[str]) -> Any:
    if spec.kind == "series":
        if not isinstance(value, (list, tuple)) or len(value) > spec.length:
            problems.append(f"{key}: verwacht een lijst van hoogstens {spec.length} bedragen, "
                            f"kreeg {value!r}")
            return None
        checked = [_check_number(f"{key}[{i}]", v, "number", spec.minimum, spec.maximum,
                                 spec.unit, problems) for i, v in enumerate(value, start=1)]
        return tuple(checked)
    if spec.kind == "date":
        return _check_date(key, value, problems)
    if spec.kind == "text":
        if not isinstance(value, str):
            problems.append(f"{key}: verwacht tekst, kreeg {value!r}")
            return None
        return value
    if spec.kind == "choice":
        if value not in spec.choices:
            options = ", ".join(repr(c) for c in spec.choices)
            problems.append(f"{key}: verwacht een van {options}, kreeg {value!r}")
            return None
        return value
    return _check_number(key, value, spec.kind, spec.minimum, spec.maximum, spec.unit, problems)


def validate(data: Any, source: str = "") -> Scenario:
    """Turn a parsed scenario document into a ``Scenario`` or raise ``ScenarioError``."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ScenarioError(["het bestand moet een tabel (object) met secties bevatten"], source)
    known = set(SECTIONS) | {"woningen", "normen"}
    for section in data:
        if section not in known:
            problems.append(f"{section}: onbekende sectie; verwacht een van "
                            + ", ".join(sorted(known)))
    inputs: dict[str, Any] = {}
    for section in SECTIONS:
        body = data.get(section, {})
        if not isinstance(body, dict):
            problems.append(f"{section}: verwacht een tabel [{section}], kreeg {body!r}")
            body = {}
        specs = {s.name: s for s in INPUTS if s.section == section}
        for key in body:
            if key not in specs:
                problems.append(f"{section}.{key}: onbekende sleutel; verwacht een van "
                                + ", ".join(specs))
        for name, spec in specs.items():
            key = f"{section}.{name}"
            if name not in body:
                if spec.required:
                    problems.append(f"{key}: ontbreekt; verwacht {_describe(spec)}")
                inputs[name] = spec.default
                continue
            inputs[name] = _check_value(spec, key, body[name], problems)

    dwellings = _validate_dwellings(data.get("woningen"), problems)
    norms = _validate_norms(data.get("normen", {}), problems)
    if problems:
        raise ScenarioError(problems, source)
    return Scenario(inputs=inputs, dwellings=dwellings, norms=norms)


def _describe(spec: InputSpec) -> str:
    if spec.kind == "choice":
        return "een van " + ", ".join(repr(c) for c in spec.choices)
    if spec.kind in ("text", "date"):
        return _EXPECT[spec.kind]
    if spec.kind == "series":
        return f"een lijst van hoogstens {spec.length} bedragen"
    bounds = []
    if spec.minimum is not None:
        bounds.append(f">= {spec.minimum:g}")
    if spec.maximum is not None:
        bounds.append(f"<= {spec.maximum:g}")
    return f"{_EXPECT[spec.kind]} ({spec.unit}{', ' if bounds else ''}{' en '.join(bounds)})"


def _validate_dwellings(rows: Any, problems: list[str]) -> list[dict[str, Any]]:
    if rows is None:
        problems.append("woningen: ontbreekt; verwacht minstens één [[woningen]]-regel met "
                        "aantal, huur_per_maand en marktwaarde_leeg")
        return []
    if not isinstance(rows, list) or not rows:
        problems.append(f"woningen: verwacht een lijst [[woningen]], kreeg {rows!r}")
        return []
    if len(rows) > DWELLING_ROWS:
        problems.append(f"woningen: hoogstens {DWELLING_ROWS} woningtypen, kreeg {len(rows)}")
    out = []
    for i, row in enumerate(rows[:DWELLING_ROWS], start=1):
        if not isinstance(row, dict):
            problems.append(f"woningen[{i}]: verwacht een tabel, kreeg {row!r}")
            continue
        for key in row:
            if key not in COLUMN_BY_KEY:
                problems.append(f"woningen[{i}].{key}: onbekende sleutel; verwacht een van "
                                + ", ".join(COLUMN_BY_KEY))
        clean: dict[str, Any] = {}
        for col in DWELLING_COLUMNS:
            key = f"woningen[{i}].{col.key}"
            if col.key not in row:
                if col.default is None:
                    problems.append(f"{key}: ontbreekt; verwacht {_EXPECT[col.kind]} (>= 0)")
                clean[col.key] = col.default
            elif col.kind == "text":
                value = row[col.key]
                if not isinstance(value, str):
                    problems.append(f"{key}: verwacht tekst, kreeg {value!r}")
                clean[col.key] = value
            else:
                clean[col.key] = _check_number(key, row[col.key], col.kind, 0.0, None, col.unit,
                                               problems)
        out.append(clean)
    return out


def blank_scenario() -> Scenario:
    """The empty template as its formulas see it: defaults where an input has one, a blank
    number counts as 0 and a blank text as "" (as in Excel), optional inputs stay blank."""
    inputs: dict[str, Any] = {}
    for spec in INPUTS:
        if spec.default is not None or spec.optional:
            inputs[spec.name] = spec.default
        elif spec.kind in ("number", "integer"):
            inputs[spec.name] = 0.0
        elif spec.kind in ("choice", "text"):
            inputs[spec.name] = ""
        else:
            inputs[spec.name] = None
    return Scenario(inputs=inputs, dwellings=[], norms={})


def _validate_norms(body: Any, problems: list[str]) -> dict[str, float]:
    if not isinstance(body, dict):
        problems.append(f"normen: verwacht een tabel [normen], kreeg {body!r}")
        return {}
    out = {}
    for key, value in body.items():
        norm = NORM_BY_NAME.get(key)
        if norm is None:
            problems.append(f"normen.{key}: onbekende norm; verwacht een van "
                            + ", ".join(n.name for n in NORMS))
            continue
        checked = _check_number(f"normen.{key}", value, "number", norm.minimum, norm.upper,
                                norm.unit, problems)
        if checked is not None:
            out[key] = float(checked)
    return out


def load(path: str | Path) -> Scenario:
    """Read and validate a .toml or .json scenario file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError([f"kan het bestand niet lezen: {exc.strerror}"], str(path)) from None
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(raw)
        else:
            data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError([f"geen geldige TOML/JSON: {exc}"], str(path)) from None
    return validate(data, str(path))
