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

from ..model import FORM_KINDS, Declaration, Project
from ..progress import report
from ..workbook import Template, load_template
from ..workbook.layout import layout_form, plan_for
from ..workbook.xlsxform import FormWriter
from .cells import FONT_NAME, Formats, box, font
from .templates import Templates

__all__ = ["SHEET_NAME", "form_sheets", "write_form_sheets", "write_summary_sheet"]

SHEET_NAME = "汇总表"

#: page numbers in the footer, 9 pt 宋体
FOOTER = f'&C&"{FONT_NAME}"&9 第 &P 页，共 &N 页'


def form_sheets(declaration: Declaration) -> list[tuple[str, str, list[Project]]]:
    """(sheet name, kind, its forms) in the order the kinds first appear; the first sheet is 汇总表."""
    groups: dict[str, list[Project]] = {}
    for p in declaration.projects:
        groups.setdefault(p.kind, []).append(p)
    if not groups:
        groups["project"] = []
    return [(SHEET_NAME if i == 0 else FORM_KINDS[kind], kind, forms) for i, (kind, forms) in enumerate(groups.items())]


def write_form_sheets(workbook, fmts: Formats, declaration: Declaration, title: str, *,
                      templates: Templates | None = None) -> list:
    """Add and fill the form sheets of *declaration* (:func:`form_sheets`); return them."""
    templates = templates or Templates()
    sheets = []
    done, total = 0, len(declaration.projects)
    for name, kind, forms in form_sheets(declaration):
        ws = workbook.add_worksheet(name)
        _write_forms(workbook, ws, fmts, forms, templates[kind], name, title if not sheets else None,
                     done=done, total=total)
        done += len(forms)
        sheets.append(ws)
    return sheets


def write_summary_sheet(workbook, ws, fmts: Formats, declaration: Declaration, title: str, *,
                        template: Template | None = None) -> None:
    """Fill *ws* with the title and every form of *declaration* laid out with *template* (one kind)."""
    t = template or load_template()
    _write_forms(workbook, ws, fmts, declaration.projects, t, SHEET_NAME, title, done=0,
                 total=len(declaration.projects))


def _write_forms(workbook, ws, fmts: Formats, forms: list[Project], t: Template, sheet: str, title: str | None,
                 *, done: int, total: int) -> None:
    """The forms of one kind stacked on *ws* (under *title* when given), with the template's columns."""
    first_col, last_col = t.print_columns
    writer = FormWriter(workbook, plan_for(t, False))
    row = 1
    if title is not None:
        box(ws, fmts, 1, first_col, 1, last_col, title,
            {**font(18, bold=True), "align": "center", "valign": "vcenter", "text_wrap": True}, sheet=sheet)
        ws.set_row(0, 40)
        row = 3
    breaks = []
    for i, project in enumerate(forms):
        report(done + i, total, "写入汇总表")
        if i:
            breaks.append(row - 1)
        form = layout_form(t, project, sheet=sheet, start_row=row, checks=False)
        writer.write(ws, form)
        row = form.last_row + 1
        row += 1  # a blank line between forms (it falls at a page bottom)
    writer.columns(ws)
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
