"""The 汇总表 sheet: the title, then every project's form stacked, print-ready.

Each form is laid out by the workbook's template layout
(:func:`xltargets.workbook.layout.layout_form`, print-only: no check columns,
validation or conditional formatting) and written with XlsxWriter, so the
汇总表 shows exactly the official form staff fill in on the project sheets.
The sheet prints on A4 portrait, fitted to one page wide, with a page break
before every form but the first (which follows the title on page 1) and page
numbers in the footer.
"""

from __future__ import annotations

from ..model import Declaration
from ..progress import report
from ..workbook import Template, load_template
from ..workbook.layout import layout_form, plan_for
from ..workbook.xlsxform import FormWriter
from .cells import FONT_NAME, Formats, box, font

__all__ = ["SHEET_NAME", "write_summary_sheet"]

SHEET_NAME = "汇总表"

#: page numbers in the footer, 9 pt 宋体
FOOTER = f'&C&"{FONT_NAME}"&9 第 &P 页，共 &N 页'


def write_summary_sheet(workbook, ws, fmts: Formats, declaration: Declaration, title: str, *,
                        template: Template | None = None) -> None:
    """Fill the XlsxWriter worksheet *ws* with the title and the stacked forms of *declaration*."""
    t = template or load_template()
    first_col, last_col = t.print_columns
    plan = plan_for(t, False)
    forms = FormWriter(workbook, plan)
    box(ws, fmts, 1, first_col, 1, last_col, title,
        {**font(18, bold=True), "align": "center", "valign": "vcenter", "text_wrap": True}, sheet=SHEET_NAME)
    ws.set_row(0, 40)
    row = 3
    breaks = []
    for i, project in enumerate(declaration.projects):
        report(i, len(declaration.projects), "写入汇总表")
        if i:
            breaks.append(row - 1)
        form = layout_form(t, project, sheet=SHEET_NAME, start_row=row, checks=False)
        forms.write(ws, form)
        row = form.last_row + 1
        row += 1  # a blank line between forms (it falls at a page bottom)
    forms.columns(ws)
    if breaks:
        ws.set_h_pagebreaks(breaks)
    _page_setup(ws, last_row=max(row - 2, 1), cols=(first_col, last_col))


def _page_setup(ws, *, last_row: int, cols: tuple[int, int]) -> None:
    ws.set_paper(9)
    ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    ws.set_header("", margin=0.3)
    ws.set_footer(FOOTER, margin=0.3)
    ws.print_area(0, cols[0] - 1, last_row - 1, cols[1] - 1)
    ws.hide_gridlines(2)
