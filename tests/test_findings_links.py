"""The 校验结果 sheet's links within Excel's limits: past them a finding's cell is written as text, never dropped.

Excel holds at most 65,530 hyperlinks a worksheet and 2,079 characters of a link's
address (and of its location). XlsxWriter drops a link past either with a warning, and
the cell's text with it: a consolidation with more located findings (a province's
4,000 projects each warned on every indicator) lost the 单元格 column from row 65,532 on.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xltargets.consolidate import findings_sheet
from xltargets.consolidate.cells import Formats
from xltargets.findings import Finding, Severity
from xltargets.workbook.build import write_xlsx


def _write(folder: Path, findings: list[Finding]) -> Path:
    book = folder / "校验结果.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # XlsxWriter's «Ignoring URL …» is a warning: none may come
        write_xlsx(book, lambda wb: findings_sheet.write_findings_sheet(
            wb.add_worksheet(findings_sheet.SHEET_NAME), Formats(wb), findings, base_dir=folder))
    return book


def _finding(i: int, file: str = "申报表.tsv") -> Finding:
    return Finding(code="XLT-W043", severity=Severity.WARNING, message="指标值的写法不规范", project=f"项目{i}",
                   file=file, sheet="申报表", cell=f"E{i + 2}")


def _links(book: Path) -> int:
    with zipfile.ZipFile(book) as zf:
        return len(re.findall(rb"<hyperlink ", zf.read("xl/worksheets/sheet1.xml")))


def test_findings_past_excels_hyperlinks_a_sheet_keep_their_cells(tmp_path):
    n = findings_sheet.MAX_LINKS + 5
    book = _write(tmp_path, [_finding(i) for i in range(n)])
    assert _links(book) == findings_sheet.MAX_LINKS
    wb = openpyxl.load_workbook(book, read_only=True)
    cells = [row[0] for row in wb[findings_sheet.SHEET_NAME].iter_rows(min_row=2, min_col=6, max_col=6, values_only=True)]
    wb.close()
    assert cells == [f"E{i + 2}" for i in range(n)]


@pytest.mark.parametrize("name", ["a" * 2100 + ".tsv", "文" * 2100 + ".tsv"], ids=["latin-2100", "chinese-2100"])
def test_a_link_longer_than_excel_takes_leaves_the_cell_as_text(tmp_path, name):
    # a path no Windows folder holds without long paths, but Linux's 4,096 does: the deep folder's parts
    deep = "/".join([name[i:i + 80] for i in range(0, len(name), 80)])
    book = _write(tmp_path, [_finding(0, file=str(tmp_path / deep)), _finding(1)])
    assert _links(book) == 1
    ws = openpyxl.load_workbook(book)[findings_sheet.SHEET_NAME]
    assert [ws.cell(r, 6).value for r in (2, 3)] == ["E2", "E3"]
    assert ws.cell(2, 6).hyperlink is None and ws.cell(3, 6).hyperlink is not None
