"""One set of command-line conventions for every sub-command (README, "Command line").

- an input path gets one message per kind of problem (missing, a directory, not a workbook or
  scenario), exit status 2;
- ``-o/--output`` names every file a command writes, never over an existing file without
  ``--force``, never over an input, and written atomically (a temporary file beside the target,
  removed whatever happens): a failed command leaves nothing behind;
- ``--json`` and ``--lang nl|en`` on every command.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from xlcoop.scenario import ScenarioError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
SCENARIO_SUFFIXES = (".toml", ".json")


def input_problem(path: Path, suffixes: tuple[str, ...]) -> str | None:
    """The one message for a path that cannot be read as one of ``suffixes``, else None."""
    if path.is_dir():
        return "is een map, geen bestand"
    if not path.exists():
        return "bestand bestaat niet"
    if not path.is_file():
        return "is geen gewoon bestand"
    if path.suffix.lower() not in suffixes:
        return (f"onbekend bestandstype {path.suffix or '(geen)'}; verwacht "
                + ", ".join(suffixes))
    return None


def check_input(path: Path, suffixes: tuple[str, ...]) -> Path:
    problem = input_problem(path, suffixes)
    if problem:
        raise ScenarioError([problem], str(path))
    return path


def check_output(out: Path, suffixes: tuple[str, ...], force: bool,
                 inputs: tuple[Path, ...] = ()) -> Path:
    """An output path that may be written: right suffix, folder exists, not a folder, not an
    input, and not an existing file unless ``force``."""
    flag = "-o/--output"
    if out.suffix.lower() not in suffixes:
        raise ScenarioError([f"{flag}: verwacht een bestandsnaam op {' of '.join(suffixes)}, "
                             f"kreeg {str(out)!r}"])
    if out.is_dir():
        raise ScenarioError([f"{flag}: {str(out)!r} is een map, geen bestandsnaam"])
    if not out.parent.is_dir():
        raise ScenarioError([f"{flag}: map {str(out.parent)!r} bestaat niet"])
    for given in inputs:
        if (given.exists() and out.exists() and out.samefile(given)) or \
                out.resolve() == given.resolve():
            raise ScenarioError([f"{flag}: mag het invoerbestand niet overschrijven"])
    if out.exists() and not force:
        raise ScenarioError([f"{flag}: {str(out)!r} bestaat al; kies een andere naam of "
                             "gebruik --force om het te overschrijven"])
    return out


@contextlib.contextmanager
def atomic_output(out: Path) -> Iterator[Path]:
    """A temporary path beside ``out``; moved onto ``out`` only when the block succeeds, and
    removed in every other case (no stray .tmp)."""
    import tempfile

    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        tmp.replace(out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def add_output(p: argparse.ArgumentParser, what: str, required: bool = False) -> None:
    p.add_argument("-o", "--output", metavar="FILE", required=required, help=what)
    p.add_argument("--force", action="store_true", help="overschrijf een bestaand bestand")


def add_json_lang(p: argparse.ArgumentParser, lang_default: str | None = None) -> None:
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p.add_argument("--lang", choices=("nl", "en"), default=lang_default,
                   help="taal (nl of en)" + ("" if lang_default else
                                             "; standaard die van de werkmap"))
