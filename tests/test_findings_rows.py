"""校验结果 never loses findings past Excel's last row without a word.

A consolidation of thousands of files can find more than 1,048,575 problems: XlsxWriter ignores a cell past the
sheet's last row (``write`` returns -1, no warning), so until session 8 the rows past it were lost silently. Now
the sheet holds what fits and its last row says how many more there are and how to see them all
(``xltargets check --json``). The limit is a module constant, made small here so no test writes a million rows.
"""

from __future__ import annotations

import openpyxl
import pytest
import xlsxwriter
from xltargets.consolidate import findings_sheet
from xltargets.consolidate.cells import Formats
from xltargets.findings import Finding, Severity
from xltargets.workbook.build import write_xlsx

ROWS = 12  # the sheet's rows in these tests: a header and 11 findings fit


def _finding(i: int) -> Finding:
    return Finding(code="XLT-W043", severity=Severity.WARNING, message="指标值的写法不规范", project=f"项目{i}",
                   file="申报表.tsv", sheet="申报表", cell=f"E{i + 2}")


def _rows(tmp_path, n: int) -> tuple[list[tuple], str]:
    book = tmp_path / "汇总表.xlsx"
    write_xlsx(book, lambda wb: findings_sheet.write_findings_sheet(
        wb.add_worksheet(findings_sheet.SHEET_NAME), Formats(wb), [_finding(i) for i in range(n)], base_dir=tmp_path))
    ws = openpyxl.load_workbook(book)[findings_sheet.SHEET_NAME]
    return [row for row in ws.iter_rows(min_row=2, values_only=True)], ws.auto_filter.ref


@pytest.mark.parametrize("n, shown, more", [
    (ROWS - 2, ROWS - 2, 0),
    (ROWS - 1, ROWS - 1, 0),  # exactly fills the sheet: no note
    (ROWS, ROWS - 2, 2),  # one too many: the last finding's row holds the note, so two are not listed
    (ROWS + 1000, ROWS - 2, 1002),
], ids=["fewer", "exactly-the-sheet", "one-too-many", "a-thousand-too-many"])
def test_findings_past_the_sheets_last_row_are_counted_in_its_last_row(tmp_path, monkeypatch, n, shown, more):
    monkeypatch.setattr(findings_sheet, "MAX_ROWS", ROWS)
    rows, ref = _rows(tmp_path, n)
    assert len(rows) == shown + (1 if more else 0) <= ROWS - 1
    assert [row[5] for row in rows[:shown]] == [f"E{i + 2}" for i in range(shown)]  # the first findings, in order
    if more:
        assert rows[-1][0] == (f"另有 {more:,} 条问题超出 Excel 工作表的最大行数（{ROWS:,} 行）未列出。"
                               "查看全部：对本次汇总的文件或文件夹运行 xltargets check --json")
        assert rows[-1][1:] == (None,) * 6
    assert ref == f"A1:G{shown + 1}"  # the note is outside the filter: sorting never moves it among the findings


def test_the_limit_is_the_row_xlsxwriter_stops_at(tmp_path):
    """The constant is Excel's own: XlsxWriter writes the row MAX_ROWS (1-based) and silently ignores the next."""
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    ws = wb.add_worksheet()
    assert ws.write_string(findings_sheet.MAX_ROWS - 1, 0, "last") == 0
    assert ws.write_string(findings_sheet.MAX_ROWS, 0, "past") == -1
    wb.close()
