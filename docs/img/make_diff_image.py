"""Regenerate docs/img/diff-sheet.png, the 对比 sheet of README's "每年的工作" (needs LibreOffice, pdftoppm).

    PYTHONPATH=src python3 docs/img/make_diff_image.py

Runs the cycle on the seed with the real commands: the 2024 汇总表 printed to
PDF (``consolidate --pdf``, standing in for last year's publication),
``rollover`` of that PDF to 2025, the edits a unit would make (funds declared
again, two targets changed, one indicator added, one dropped), then
``diff -o``; LibreOffice prints the 对比 workbook, pdftoppm makes the PNG.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "diff-sheet.png"
sys.path.insert(0, str(ROOT / "src"))


def cli(*args: str, cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "xltargets", *args], cwd=cwd, check=False)


def main() -> None:
    from xltargets.libreoffice import convert
    from xltargets.model import Indicator
    from xltargets.pipeline import read_sources
    from xltargets.targets import parsed
    from xltargets.workbook.build import build_workbook

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cli("consolidate", str(ROOT / "examples/sh-jishengxie-2024-summary.tsv"), "-o", "2024汇总表.xlsx", "--pdf", cwd=tmp)
        cli("rollover", "2024汇总表.pdf", "--year", "2025", "-o", "2025.xlsx", cwd=tmp)
        decl = read_sources([tmp / "2025.xlsx"]).declaration
        last = read_sources([tmp / "2024汇总表.pdf"]).declaration
        for new, old in zip(decl.projects, last.projects):  # funds declared again: most as last year
            new.funds = old.funds.model_copy()
        p = decl.projects
        p[0].funds = p[0].funds.model_copy(update={"annual": Decimal("600000.00"), "annual_fiscal": Decimal("600000.00")})

        def set_value(ind, text):
            ind.value_raw = text
            ind.target = parsed(text).target

        set_value(p[0].indicators[0], "=12.00(所)")
        set_value(p[1].indicators[-1], "≥85.00(百分比)")
        del p[2].indicators[1]
        extra = Indicator(level1="效益指标", level2="社会效益指标", level3="青少年生殖健康知识知晓率")
        set_value(extra, "≥80.00(百分比)")
        p[0].indicators.append(extra)
        build_workbook(decl, tmp / "2025.xlsx")
        cli("diff", "2024汇总表.pdf", "2025.xlsx", "-o", "对比.xlsx", cwd=tmp)
        pdf = convert(tmp / "对比.xlsx", "pdf", tmp)
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", "-f", "1", str(pdf), str(OUT.with_suffix(""))], check=True)
    from PIL import Image, ImageChops

    page = Image.open(OUT).convert("RGB")
    body = page.crop((0, 0, page.width, int(page.height * 0.85)))  # not the footer (第 1 页)
    box = ImageChops.difference(body, Image.new("RGB", body.size, "white")).getbbox()
    if box:  # the table without the page's white margins
        page.crop((max(box[0] - 12, 0), max(box[1] - 12, 0), box[2] + 12, box[3] + 12)).save(OUT)
    print(OUT)


if __name__ == "__main__":
    main()
