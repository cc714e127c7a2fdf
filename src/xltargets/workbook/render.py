"""Rendering one project into an openpyxl worksheet (editing an existing workbook).

:func:`render_project` writes the form laid out by :mod:`.layout` with its
top at ``start_row`` of any openpyxl worksheet and returns the number of rows
it used; only openpyxl's public API is used. New workbooks are written with
XlsxWriter from the same layout (:mod:`.xlsxform`, :mod:`.build`).
"""

from __future__ import annotations

from copy import copy

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.worksheet import Worksheet

from ..model import Project
from .layout import FORMULA, layout_form, plan_for
from .lists import LISTS_SHEET, ensure_lists
from .template import Template, load_template
from .values import TEXT

__all__ = ["render_project", "load_template"]


def _styler(plan):
    """A function giving a cell the look of template style *k* (objects copied once per render)."""
    looks: dict[int, tuple] = {}

    def style(cell, k: int, quote: bool) -> None:
        look = looks.get(k)
        if look is None:
            src = plan.styles[k]
            look = looks[k] = (copy(src.font), copy(src.border), copy(src.fill), src.number_format,
                               copy(src.alignment), copy(src.protection), src.quotePrefix)
        cell.font, cell.border, cell.fill, cell.number_format, cell.alignment, cell.protection, q = look
        if q or quote:
            cell.quotePrefix = True

    return style


def render_project(
    ws: Worksheet,
    project: Project,
    *,
    start_row: int = 1,
    template: Template | None = None,
    blank_rows: int = 0,
    checks: bool = True,
) -> int:
    """Write *project*'s 申报表 into *ws* with its top at *start_row*; return the rows used.

    ``blank_rows`` empty indicator rows (same style and validation) follow the
    indicators for filling in. ``checks=False`` leaves out the tooling right
    of the print area, data validation and conditional formatting (for a
    print-only sheet). With ``checks=True`` the workbook gets the hidden
    framework lists the checks refer to. Page setup and print area are set
    when the form starts at row 1.
    """
    t = template or load_template()
    plan = plan_for(t, checks)
    form = layout_form(t, project, sheet=ws.title, start_row=start_row, blank_rows=blank_rows, checks=checks)
    if checks and ws.parent is not t.wb and LISTS_SHEET not in ws.parent.sheetnames:
        ensure_lists(ws.parent)
    style = _styler(plan)
    for (row, col), (kind, value, k, quote) in form.cells.items():
        cell = ws.cell(row=row, column=col)
        if kind == FORMULA:
            cell.value = value if value.startswith("=") else "=" + value
        elif kind is not None:
            cell.value = value
            if kind == TEXT:
                cell.data_type = "s"  # never a formula, whatever the first character
        if k is not None:
            style(cell, k, quote)
        elif quote:
            cell.quotePrefix = True
    for c1, r1, c2, r2 in form.merges:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    for row, height in form.heights.items():
        ws.row_dimensions[row].height = height
    for c1, c2, width, hidden in plan.widths:
        for c in range(c1, c2 + 1):
            dim = ws.column_dimensions[get_column_letter(c)]
            dim.width = width
            dim.hidden = hidden
    for sqref, dv, f1, f2, texts in form.validations:
        new = copy(dv)
        new.sqref = MultiCellRange(sqref)
        new.formula1, new.formula2 = f1, f2
        for attr, text in texts.items():
            setattr(new, attr, text)
        ws.add_data_validation(new)
    for sqref, rule, formulas in form.conditional_formats:
        new = copy(rule)
        new.formula = list(formulas)
        ws.conditional_formatting.add(sqref, new)
    if start_row == 1:
        _copy_page_setup(ws, t, form.last_row)
    return form.last_row - start_row + 1


def _copy_page_setup(ws: Worksheet, t: Template, last_row: int) -> None:
    src = t.ws
    ws.page_setup = copy(src.page_setup)
    ws.print_options = copy(src.print_options)
    ws.page_margins = copy(src.page_margins)
    ws.sheet_properties.pageSetUpPr = copy(src.sheet_properties.pageSetUpPr)
    ws.HeaderFooter = copy(src.HeaderFooter)
    ws.sheet_view.showGridLines = src.sheet_view.showGridLines
    ws.sheet_view.zoomScale = src.sheet_view.zoomScale
    if src.print_title_rows:
        ws.print_title_rows = src.print_title_rows
    lo, hi = t.print_columns
    ws.print_area = f"{get_column_letter(lo)}1:{get_column_letter(hi)}{last_row}"
