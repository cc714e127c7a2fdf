"""The 汇总表 sheets: the title, then every form stacked, print-ready, one sheet per form kind.

Each form is laid out by the workbook's template layout
(:func:`xltargets.workbook.layout.layout_form`, print-only: no check columns,
validation or conditional formatting) and written with XlsxWriter, so the
汇总表 shows exactly the official form staff fill in on the project sheets.
A sheet prints on A4 portrait, fitted to one page wide, with a page break
before every form but the first and page numbers in the footer.

Each form is laid out with the template of its kind (issue 15 point 6): a
project 申报表 with ``templates/declaration.xlsx``, a 自评表 with
``templates/self_assessment.xlsx`` and a 部门整体 form with
``templates/department.xlsx`` (see ``templates/make_kind_templates.py``), or
the user's templates (:mod:`.templates`, ``consolidate --template``). Column
widths belong to a sheet, so the kinds do not share one sheet: the forms are
grouped by kind, kinds in the order they first appear. The first kind's forms
follow the title on the sheet 汇总表 (a declaration of project forms only
gives exactly the one sheet it always did); every further kind gets a sheet of
its own, named as the form (部门整体支出绩效目标表, 项目支出绩效自评表 …), with its
template's columns and print area. Reading the 汇总表 back gives the forms in
that order.
"""

from __future__ import annotations

from ..model import Project
from ..progress import report
from ..workbook import Template
from ..workbook.layout import Form, layout_form, plan_for
from ..workbook.xlsxform import DEFAULT_HEIGHT, FormWriter
from .across import centre_across
from .cells import FONT_NAME, Formats, box, font
from .spool import Spool

__all__ = ["SHEET_NAME", "FormSheet", "write_form_sheets"]

SHEET_NAME = "汇总表"

#: the title above the forms: 18 pt bold, centred across the form's columns
TITLE_STYLE = {**font(18, bold=True), "align": "center", "valign": "vcenter", "text_wrap": True}

#: page numbers in the footer, 9 pt 宋体
FOOTER = f'&C&"{FONT_NAME}"&9 第 &P 页，共 &N 页'


class FormSheet:
    """One form kind's sheet of the 汇总表: its template, and its forms laid out so far.

    :meth:`add` lays a project's form out below the last one and keeps it on
    disk (:class:`.spool.Spool`); :meth:`write` writes them all, in order.
    """

    def __init__(self, name: str, kind: str, template: Template, first_row: int):
        self.name, self.kind, self.template = name, kind, template
        self.forms = Spool()
        self.first_row = first_row
        self.next_row = first_row  # where the next form starts
        self.breaks: list[int] = []  # a page break above every form but the first
        self.last_row = max(first_row - 2, 1)

    def add(self, project: Project) -> None:
        form = centre_across(plan_for(self.template, False),
                             layout_form(self.template, project, sheet=self.name, start_row=self.next_row, checks=False))
        if self.forms.count:
            self.breaks.append(self.next_row - 1)
        self.forms.put((form.cells, form.merges, form.heights, form.first_row, form.last_row))
        self.last_row = form.last_row
        self.next_row = form.last_row + 2  # a blank line between forms (it falls at a page bottom)

    def write(self, workbook, fmts: Formats, title: str | None, *, done: int = 0, total: int = 0):
        """Add this sheet to *workbook* and write its forms (under *title* when given); return the sheet."""
        t = self.template
        ws = workbook.add_worksheet(self.name)
        first_col, last_col = t.print_columns
        # the sheet under the title: its default row height is the indicator rows' (most rows of the
        # sheet), so they need no row record (XlsxWriter keeps each until close(): ~20 MB at 4,000 forms)
        default = _repeat_height(t) if title is not None else None
        if default is not None:
            ws.set_default_row(default)
        writer = FormWriter(workbook, plan_for(t, False), default_height=default)
        if title is not None:
            box(ws, fmts, 1, first_col, 1, last_col, title, TITLE_STYLE, sheet=self.name)
            ws.set_row(0, 40)
        for i, (cells, merges, heights, first, last) in enumerate(self.forms):
            report(done + i, total, "写入汇总表")
            if default is not None:  # the blank row above the form (below the title) keeps its 15 points
                _blank_row(ws, fmts.of(TITLE_STYLE), first - 2, first_col - 1)
            writer.write(ws, Form(cells, merges, heights, [], [], first, last))
        writer.columns(ws)
        if self.breaks:
            ws.set_h_pagebreaks(self.breaks)
        _page_setup(ws, last_row=self.last_row, cols=(first_col, last_col))
        return ws

    def close(self) -> None:
        self.forms.close()


def write_form_sheets(workbook, fmts: Formats, sheets: list[FormSheet], title: str) -> list:
    """Add and fill the form *sheets* (the title above the first one's forms); return the worksheets."""
    total = sum(s.forms.count for s in sheets)
    done, out = 0, []
    for sheet in sheets:
        out.append(sheet.write(workbook, fmts, title if not out else None, done=done, total=total))
        done += sheet.forms.count
    return out


def _repeat_height(t: Template) -> float | None:
    """The height of the template's repeat row (an indicator's row: most rows of the sheet), if it has one.

    It becomes the sheet's default row height (``set_default_row``), so those rows need no row
    record: XlsxWriter keeps every record until the file is closed (docs/bench.md, "Memory").
    """
    dim = t.ws.row_dimensions.get(t.repeat_row) if t.repeat_row is not None else None
    return float(dim.height) if dim is not None and dim.height else None


def _blank_row(ws, fmt, row: int, col: int) -> None:
    """Row *row* (0-based) empty and 15 points high, as on a sheet of the usual default height.

    In constant-memory mode XlsxWriter writes a row out only when it holds a cell, so the row
    gets one blank cell of *fmt* (the title's format, already in the workbook and without borders
    or fill: no new cell format, nothing shows) for its height to be kept.
    """
    ws.set_row(row, DEFAULT_HEIGHT)
    ws.write_blank(row, col, None, fmt)


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
