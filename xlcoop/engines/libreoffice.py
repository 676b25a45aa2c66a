"""Recalculate .xlsx files with headless LibreOffice.

Every :func:`recalculate` call starts one ``soffice`` process with its own private,
throw-away user profile, so concurrent callers never share (or block on) a profile.
The profile forces "always recalculate on load" for OOXML and ODF files, so the
converted copies contain freshly computed cached values that openpyxl can read with
``load_workbook(path, data_only=True)``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

__all__ = ["LibreOfficeError", "find_soffice", "recalculate"]

_CANDIDATES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/usr/local/bin/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)

# 0 = "always recalculate", 1 = "never", 2 = "prompt user".
_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


class LibreOfficeError(RuntimeError):
    """LibreOffice is missing, timed out, or did not produce an expected output."""


def find_soffice() -> str | None:
    """Return the path of the ``soffice`` executable, or None if LibreOffice is absent."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _CANDIDATES:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _write_profile(root: Path) -> None:
    user = root / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")


def _kill(proc: subprocess.Popen) -> None:
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError):
        pass


def recalculate(paths: list[Path], outdir: Path, timeout: float = 300) -> dict[Path, Path]:
    """Recalculate ``paths`` in one ``soffice`` run and write .xlsx copies into ``outdir``."""
    return convert(paths, outdir, "xlsx", timeout)


def convert(paths: list[Path], outdir: Path, fmt: str = "xlsx",
            timeout: float = 300, filter_options: str = "") -> dict[Path, Path]:
    """Recalculate ``paths`` in one ``soffice`` run and write ``fmt`` copies (xlsx, pdf)
    into ``outdir``. ``filter_options``: the export filter and its options after the format,
    e.g. ``'calc_pdf_Export:{"PageRange":{"type":"string","value":"2-3"}}'``.

    Returns a mapping ``input path -> output path`` (``outdir / (stem + "." + fmt)``).
    Raises ValueError for unusable arguments (outdir equal to an input's folder, two
    inputs with the same stem, a missing input) and LibreOfficeError when soffice is
    missing, times out, or fails to write any of the expected outputs.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return {}
    outdir = Path(outdir).resolve()
    mapping: dict[Path, Path] = {}
    by_target: dict[Path, Path] = {}
    for path in paths:
        src = path.resolve()
        if not src.is_file():
            raise ValueError(f"input file does not exist: {path}")
        if src.parent == outdir:
            raise ValueError(
                f"outdir {outdir} is the folder of input {path}; "
                "LibreOffice would overwrite the input"
            )
        target = outdir / f"{src.stem}.{fmt}"
        if target in by_target and by_target[target] != src:
            raise ValueError(
                f"inputs {by_target[target]} and {src} would both be written to {target}"
            )
        by_target[target] = src
        mapping[path] = target

    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeError("LibreOffice (soffice) was not found on this machine")

    outdir.mkdir(parents=True, exist_ok=True)
    for target in by_target:  # a stale output must never pass for a fresh one
        target.unlink(missing_ok=True)

    inputs = list(dict.fromkeys(str(src) for src in by_target.values()))
    with tempfile.TemporaryDirectory(prefix="xlcoop-lo-") as tmp:
        profile = Path(tmp) / "profile"
        _write_profile(profile)
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            f"{fmt}:{filter_options}" if filter_options else fmt,
            "--outdir",
            str(outdir),
            *inputs,
        ]
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp,
            start_new_session=True,
        )
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            proc.communicate()
            raise LibreOfficeError(
                f"soffice did not finish within {timeout} s for {len(inputs)} file(s)"
            ) from None

    missing = [str(src) for target, src in by_target.items() if not target.is_file()]
    if missing:
        raise LibreOfficeError(
            f"soffice (exit code {proc.returncode}) did not produce output for: "
            + ", ".join(missing)
            + f"\nstdout: {stdout.strip()}\nstderr: {stderr.strip()}"
        )
    return mapping
