"""The 汇总表 sheet: the title, then every project's form stacked, print-ready.

A4 portrait, fitted to one page wide, a page break before every form but the
first (which follows the title on page 1), page numbers in the footer.
"""

from __future__ import annotations

from typing import Callable

from openpyxl.styles import Alignment
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..model import Declaration, Project
from .cells import box, font, put
from .forms import FORM_COLUMNS, write_form

__all__ = ["SHEET_NAME", "FormWriter", "write_summary_sheet"]

SHEET_NAME = "汇总表"

#: writes one form at a row and returns the rows used (``write_form`` or the template renderer)
FormWriter = Callable[[Worksheet, Project, int], int]


def _default_writer(year: int | None) -> FormWriter:
    return lambda ws, project, start_row: write_form(ws, project, start_row, year=year)


def write_summary_sheet(
    ws: Worksheet, declaration: Declaration, title: str, *, form_writer: FormWriter | None = None
) -> None:
    """Fill *ws* with the title and the stacked forms of *declaration*."""
    writer = form_writer or _default_writer(declaration.year)
    ws.title = SHEET_NAME
    for letter, width in FORM_COLUMNS.items():
        ws.column_dimensions[letter].width = width
    last_col = len(FORM_COLUMNS)

    put(ws, 1, 1, title)
    box(ws, 1, 1, 1, last_col, font_=font(18, bold=True),
        align=Alignment(horizontal="center", vertical="center", wrap_text=True), border=None)
    ws.row_dimensions[1].height = 40
    row = 3
    for i, project in enumerate(declaration.projects):
        if i:
            ws.row_breaks.append(Break(id=row - 1))
        row += writer(ws, project, row)
        row += 1  # a blank line between forms (ends up at a page bottom)
    _page_setup(ws, last_row=max(row - 2, 1), last_col=last_col)


def _page_setup(ws: Worksheet, *, last_row: int, last_col: int) -> None:
    ps = ws.page_setup
    ps.paperSize = ws.PAPERSIZE_A4
    ps.orientation = ws.ORIENTATION_PORTRAIT
    ps.fitToWidth = 1
    ps.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    m = ws.page_margins
    m.left = m.right = 0.5
    m.top = 0.6
    m.bottom = 0.7
    m.header = 0.3
    m.footer = 0.3
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = "宋体"
    ws.oddFooter.center.size = 9
    ws.print_area = f"A1:{chr(64 + last_col)}{last_row}"
    ws.sheet_view.showGridLines = False
