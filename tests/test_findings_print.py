"""The 校验结果 sheet prints cleanly (issue 13, point 15): LibreOffice prints it, poppler reads the lines.

Wrapped cells (项目, 工作表, 说明) get row heights that show their text whole,
as the forms' rows do; a reader that keeps stored heights (Excel, LibreOffice)
would otherwise print wrapped lines over the next row. The test prints a sheet
of long findings and checks, with ``pdftotext -bbox-layout``, that no two text
lines on a page overlap; the same sheet with rows one line high must fail it.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from servetools import need

from xltargets.consolidate import findings_sheet
from xltargets.consolidate.cells import Formats
from xltargets.findings import Finding, Severity
from xltargets.libreoffice import convert
from xltargets.workbook.build import write_xlsx

pytestmark = pytest.mark.libreoffice

MESSAGE = (
    "年度资金申请总额不等于当年财政拨款、上年结转资金、其他资金之和：差 12,000.00 元。"
    "请核对 E6 至 E9 的金额，金额以元为单位、保留两位小数；如有上年结转资金，请填写在 E8。"
)


def _findings(n: int = 24) -> list[Finding]:
    out = []
    for i in range(n):
        out.append(Finding(
            code="XLT-E0%02d" % (i % 30),
            severity=Severity.ERROR if i % 3 else Severity.WARNING,
            message=MESSAGE * (1 + i % 3),
            project=f"上海市计划生育协会青春健康同伴教育与家庭发展能力建设项目{i}",
            file=f"各单位申报表/第{i}单位.xlsx",
            sheet=f"青春健康同伴教育与家庭发展能力建设项目{i}"[:31],
            cell=f"E{6 + i}",
        ))
    return out


def _print(folder: Path, findings: list[Finding]) -> Path:
    book = folder / "校验结果.xlsx"
    write_xlsx(book, lambda wb: findings_sheet.write_findings_sheet(
        wb.add_worksheet(findings_sheet.SHEET_NAME), Formats(wb), findings, base_dir=folder))
    return convert(book, "pdf", folder / "pdf")


def _lines(pdf: Path) -> list[list[tuple[float, float, float, float]]]:
    """Each page's text lines as (xMin, yMin, xMax, yMax)."""
    tool = need("pdftotext", "apt-get install poppler-utils")  # skips on a user's machine, fails under CI=true
    html = subprocess.run([tool, "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.split(r"<page ", html)[1:]:
        pages.append([
            tuple(float(v) for v in m.groups())
            for m in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', page)
        ])
    return pages


def overlapping(pages) -> list[tuple]:
    """Pairs of lines on one page whose boxes overlap by more than a point each way."""
    bad = []
    for lines in pages:
        for i, a in enumerate(lines):
            for b in lines[i + 1:]:
                dx = min(a[2], b[2]) - max(a[0], b[0])
                dy = min(a[3], b[3]) - max(a[1], b[1])
                if dx > 1 and dy > 1:
                    bad.append((a, b))
    return bad


def test_findings_sheet_prints_without_overlapping_lines(tmp_path, soffice):
    pdf = _print(tmp_path, _findings())
    pages = _lines(pdf)
    assert sum(len(p) for p in pages) > 100  # the long messages wrap over many lines
    assert overlapping(pages) == []


def test_rows_too_low_are_caught(tmp_path, soffice, monkeypatch):
    """The check can fail: the same findings with every row one line high print lines over each other."""
    monkeypatch.setattr(findings_sheet, "row_height", lambda texts: 14.0)
    pages = _lines(_print(tmp_path, _findings()))
    assert overlapping(pages) != []
