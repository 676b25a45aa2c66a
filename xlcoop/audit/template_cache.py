"""The standard template's audit reference, kept on disk between processes.

Building it lays out the empty template with openpyxl, parses it and audits it against itself:
about 2 s, most of a fresh ``xlcoop audit``. It depends on nothing but xlcoop's own code, so it
is stored once per version of that code in the user's cache folder and loaded in ~30 ms. The
key hashes every module of the package (and the Python version): any change of the code builds
it again. What is stored is xlcoop's own output in the user's own folder, never anything read
from a workbook, so loading it executes nothing an audited file could have put there.

``XLCOOP_CACHE_DIR`` chooses the folder; set it to an empty string to keep nothing on disk.
A folder that cannot be written costs only the time: the reference is then built in memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
PACKAGE = Path(__file__).resolve().parent.parent


def cache_dir() -> Path | None:
    """Where the reference is kept, or None when keeping it is switched off."""
    chosen = os.environ.get("XLCOOP_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "xlcoop"


@cache
def code_key() -> str:
    """16 hex digits over every module of the package (path and bytes), the Python version and
    the openpyxl that writes the template."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        writer = version("openpyxl")
    except PackageNotFoundError:
        writer = "-"
    digest = hashlib.sha256(f"{sys.version}|openpyxl {writer}".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def stored(kind: str, lang: str, build: Callable[[], T]) -> T:
    """``build()``'s result, from the cache folder when this code stored it there before."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{kind}-{lang}-{code_key()}.pickle"
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
            IndexError, TypeError, ValueError):
        pass  # absent, or written by an interrupted process: build it again
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=path.stem, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a parallel process reads the old file or the new one
        _forget_older(folder, kind, lang, path)
    except OSError:
        pass
    return value


def _forget_older(folder: Path, kind: str, lang: str, keep: Path) -> None:
    """Remove what earlier versions of the code stored (one file per kind and language)."""
    for old in folder.glob(f"{kind}-{lang}-*.pickle"):
        if old != keep:
            with contextlib.suppress(OSError):
                old.unlink()
