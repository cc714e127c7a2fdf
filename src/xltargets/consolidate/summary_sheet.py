"""The 汇总表 sheet: the title, then every project's form stacked, print-ready.

Each form is laid out by the workbook's template layout
(:func:`xltargets.workbook.layout.layout_form`, print-only: no check columns,
validation or conditional formatting) and written with XlsxWriter, so the
汇总表 shows exactly the official form staff fill in on the project sheets.
The sheet prints on A4 portrait, fitted to one page wide, with a page break
before every form but the first (which follows the title on page 1) and page
numbers in the footer.

Each form is laid out with the template of its kind (issue 15 point 6): a
project 申报表 with *template* (``templates/declaration.xlsx``), a 自评表 with
``templates/self_assessment.xlsx`` and a 部门整体 form with
``templates/department.xlsx`` (see ``templates/make_kind_templates.py``). All
share columns A–F; when a kind prints more columns (the 自评表: A–H) the
title and the print area widen to them.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Declaration
from ..progress import report
from ..workbook import Template, load_template
from ..workbook.template import default_template_path
from ..workbook.layout import layout_form, plan_for
from ..workbook.xlsxform import FormWriter, set_width
from .cells import FONT_NAME, Formats, box, font

__all__ = ["SHEET_NAME", "write_summary_sheet"]

SHEET_NAME = "汇总表"

#: form kind → its template's file name next to the project template (the project kind uses *template*)
KIND_TEMPLATES = {"self_assessment": "self_assessment.xlsx", "department": "department.xlsx"}

#: page numbers in the footer, 9 pt 宋体
FOOTER = f'&C&"{FONT_NAME}"&9 第 &P 页，共 &N 页'


def write_summary_sheet(workbook, ws, fmts: Formats, declaration: Declaration, title: str, *,
                        template: Template | None = None) -> None:
    """Fill the XlsxWriter worksheet *ws* with the title and the stacked forms of *declaration*."""
    t = template or load_template()
    first_col, last_col = t.print_columns
    plan = plan_for(t, False)
    forms = FormWriter(workbook, plan)
    writers = {"project": (t, forms)}
    for project in declaration.projects:
        if project.kind not in writers:
            kt = kind_template(project.kind, t)
            writers[project.kind] = (kt, FormWriter(workbook, plan_for(kt, False)))
    kinds = [kt for kind, (kt, _) in writers.items() if kind != "project"]
    last_col = max([last_col] + [kt.print_columns[1] for kt in kinds])
    box(ws, fmts, 1, first_col, 1, last_col, title,
        {**font(18, bold=True), "align": "center", "valign": "vcenter", "text_wrap": True}, sheet=SHEET_NAME)
    ws.set_row(0, 40)
    row = 3
    breaks = []
    for i, project in enumerate(declaration.projects):
        report(i, len(declaration.projects), "写入汇总表")
        if i:
            breaks.append(row - 1)
        kt, writer = writers[project.kind]
        form = layout_form(kt, project, sheet=SHEET_NAME, start_row=row, checks=False)
        writer.write(ws, form)
        row = form.last_row + 1
        row += 1  # a blank line between forms (it falls at a page bottom)
    forms.columns(ws)
    project_last = t.print_columns[1]
    for kt in kinds:  # the columns only another kind prints (A–F are the project form's)
        for c1, c2, width, hidden in plan_for(kt, False).widths:
            if c1 > project_last:
                set_width(ws, c1, c2, width, hidden=hidden)
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


def kind_template(kind: str, template: Template) -> Template:
    """The template of form *kind*: *template* for a project 申报表, else the shipped one of its kind."""
    name = KIND_TEMPLATES.get(kind)
    if name is None:
        return template
    path = default_template_path().with_name(name)
    if not path.exists():  # XLTARGETS_TEMPLATES names a folder with only its own declaration.xlsx
        shipped = Path(__file__).resolve().parents[3] / "templates" / name
        path = shipped if shipped.exists() else path
    return load_template(path)
