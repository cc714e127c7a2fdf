"""The 汇总表 sheet: the title, then every project's form stacked, print-ready.

Each form is rendered by the workbook's template renderer
(:func:`xltargets.workbook.render_project`, print-only: no check columns,
validation or conditional formatting), so the 汇总表 shows exactly the
official form staff fill in on the project sheets. The sheet prints on A4
portrait, fitted to one page wide, with a page break before every form but the
first (which follows the title on page 1) and page numbers in the footer.
"""

from __future__ import annotations

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..model import Declaration
from ..progress import report
from ..workbook import Template, load_template, render_project
from ..workbook.fastsave import spool_rows
from .cells import FONT_NAME, box, font, put

__all__ = ["SHEET_NAME", "write_summary_sheet"]

SHEET_NAME = "汇总表"


def write_summary_sheet(
    ws: Worksheet, declaration: Declaration, title: str, *, template: Template | None = None, stream: bool = False
) -> None:
    """Fill *ws* with the title and the stacked forms of *declaration*.

    *stream* writes finished forms ahead (:func:`~xltargets.workbook.fastsave.spool_rows`):
    *ws* must be the workbook's first sheet, and the workbook is then good for saving only.
    """
    t = template or load_template()
    first_col, last_col = t.print_columns
    ws.title = SHEET_NAME

    put(ws, 1, first_col, title)
    box(ws, 1, first_col, 1, last_col, font_=font(18, bold=True),
        align=Alignment(horizontal="center", vertical="center", wrap_text=True), border=None)
    ws.row_dimensions[1].height = 40
    row = 3
    for i, project in enumerate(declaration.projects):
        report(i, len(declaration.projects), "写入汇总表")
        if i:
            ws.row_breaks.append(Break(id=row - 1))
        row += render_project(ws, project, start_row=row, template=t, checks=False)
        row += 1  # a blank line between forms (it falls at a page bottom)
        if stream:
            spool_rows(ws, row)  # the forms so far are finished: written ahead, let go
    if stream:
        spool_rows(ws, close=True)
    _page_setup(ws, last_row=max(row - 2, 1), cols=(first_col, last_col))


def _page_setup(ws: Worksheet, *, last_row: int, cols: tuple[int, int]) -> None:
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
    ws.oddFooter.center.font = FONT_NAME
    ws.oddFooter.center.size = 9
    ws.print_area = f"{get_column_letter(cols[0])}1:{get_column_letter(cols[1])}{last_row}"
    ws.sheet_view.showGridLines = False
