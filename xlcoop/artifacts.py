"""The committed, generated files: the template, the example workbooks and docs/names.md.

`python -m xlcoop.artifacts` rewrites them; a test requires them to be byte-identical.
"""

from __future__ import annotations

import sys
from pathlib import Path

from xlcoop import scenario as scenario_file
from xlcoop.docs import names_markdown
from xlcoop.workbook.writer import build_workbook, workbook_bytes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ("stappenplan-a", "stappenplan-b", "stappenplan-c", "nieuwbouw-amsterdam",
            "huurrecht-2026")


def artifacts(root: Path = ROOT) -> dict[Path, bytes]:
    out = {root / "workbooks" / "xlcoop-template.xlsx": workbook_bytes(build_workbook(None))}
    for name in EXAMPLES:
        scenario = scenario_file.load(root / "examples" / f"{name}.toml")
        out[root / "workbooks" / f"{name}.xlsx"] = workbook_bytes(build_workbook(scenario))
    out[root / "docs" / "names.md"] = names_markdown().encode()
    return out


def main() -> int:
    for path, data in artifacts().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
