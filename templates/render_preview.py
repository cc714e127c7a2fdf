"""Render the README's picture of the form: docs/img/workbook-form.png.

    python templates/render_preview.py

Converts declarations.xlsm to PDF with LibreOffice (formulas recalculated)
and renders the first project's page (page 2; page 1 is 填写说明) with
pdftoppm. Look at the result: Chinese must show as text, not as boxes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from xltargets.libreoffice import convert  # noqa: E402


def render(workbook: Path, out: Path, *, page: int = 2, dpi: int = 100) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        pdf = convert(workbook, "pdf", Path(tmp))
        stem = Path(tmp) / "page"
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)],
            check=True,
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(stem.with_suffix(".png"), out)
    return out


if __name__ == "__main__":
    print(render(ROOT / "declarations.xlsm", ROOT / "docs" / "img" / "workbook-form.png"))
