"""The 校验结果 sheet: one row per finding, each linked to its cell."""

from __future__ import annotations

import xlwings as xw

from ..actions import status_line
from ..pipeline import CheckReport
from .cells import RESULTS_SHEET, ensure_sheet, write_rows

__all__ = ["write_results", "HEADER", "link_formula"]

HEADER = ["序号", "级别", "规则", "项目", "位置", "问题与修改方法"]
LINK_COLUMN = 4


def _quote(text: str, char: str) -> str:
    return text.replace(char, char * 2)


def link_formula(sheet: str, cell: str) -> str:
    """``=HYPERLINK("#'表'!E18","表!E18")``: works in Excel, WPS and LibreOffice alike."""
    target = f"#'{_quote(sheet, chr(39))}'!{cell}"
    return f'=HYPERLINK("{_quote(target, chr(34))}","{_quote(f"{sheet}!{cell}", chr(34))}")'


def rows_for(report: CheckReport) -> list[list]:
    rows: list[list] = [[status_line(report)], HEADER]
    for i, f in enumerate(report.findings, start=1):
        where: str = ""
        if f.sheet and f.cell:
            where = link_formula(f.sheet, f.cell)
        elif f.sheet:
            where = link_formula(f.sheet, "A1")
        rows.append([i, f.severity.label, f.code, f.project or "", where, f.message])
    return rows


def write_results(book: xw.Book, report: CheckReport) -> xw.Sheet:
    """Write (or rewrite) the 校验结果 sheet and return it."""
    sheet, _new = ensure_sheet(book, RESULTS_SHEET)
    write_rows(sheet, rows_for(report), formulas=(LINK_COLUMN,))
    return sheet

