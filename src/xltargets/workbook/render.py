"""Rendering one project into a worksheet from the template.

:func:`render_project` writes the form with its top at ``start_row`` of any
worksheet (a project sheet, or a 汇总表 sheet where forms are stacked) and
returns the number of rows it used. Styles, merges, row heights, data
validation and conditional formatting come from the template; the repeat row
is written once per indicator (plus ``blank_rows`` empty ones to fill in) and
everything below it moves down, formulas included (see :mod:`.refs`).
"""

from __future__ import annotations

import datetime as dt
from copy import copy, deepcopy
from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from ..model import Indicator, Project
from .fit import row_height
from .lists import ensure_lists
from .refs import RowMap
from .styles import copy_style
from .template import Template, VMerge, load_template
from .values import write_value

__all__ = ["render_project", "load_template"]


def _coerce(value):
    """Jinja results to cell values (Decimal/date kept, Markup/str as str)."""
    if isinstance(value, VMerge):
        return str(value)
    if isinstance(value, (int, float, Decimal, dt.date, dt.datetime, bool)) or value is None:
        return value
    return str(value)


class _Writer:
    """State of one rendering: the target sheet, the row map, merges, heights."""

    def __init__(self, ws: Worksheet, t: Template, rm: RowMap, checks: bool):
        self.ws = ws
        self.t = t
        self.rm = rm
        self.checks = checks
        lo, hi = t.print_columns
        self.columns = range(1, t.ws.max_column + 1) if checks else range(lo, hi + 1)
        self.merges: list[tuple[int, int, int, int]] = []  # min_col, min_row, max_col, max_row
        self.texts: dict[int, list[tuple[str, int, int]]] = {}  # row → (text, col, template row)

    def keep(self, col: int) -> bool:
        return col in self.columns

    def put(self, src_row: int, col: int, row: int, value, *, formula: bool = False, on_copy=None) -> None:
        ws, t = self.ws, self.t
        src = t.ws.cell(row=src_row, column=col)
        dst = ws.cell(row=row, column=col)
        copy_style(src, dst)
        if formula:
            dst.value = self.rm.formula(value, sheet=t.title, new_sheet=ws.title, on_copy=on_copy)
            return
        write_value(dst, _coerce(value))
        if isinstance(dst.value, str) and dst.alignment is not None and dst.alignment.wrap_text:
            self.texts.setdefault(row, []).append((dst.value, col, src_row))


def _template_merges(t: Template):
    for cr in t.ws.merged_cells.ranges:
        yield cr.min_col, cr.min_row, cr.max_col, cr.max_row


def _cell_width(t: Template, ws: Worksheet, c1: int, c2: int) -> float:
    total = 0.0
    for c in range(c1, c2 + 1):
        dim = t.ws.column_dimensions.get(get_column_letter(c))
        total += dim.width if dim is not None and dim.width else 8.43
    return total


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
    print-only 汇总表). With ``checks=True`` the workbook gets the hidden
    framework lists the checks refer to. Page setup and print area are set
    when the form starts at row 1.
    """
    t = template or load_template()
    context = {"project": project}
    items = t.items(context) + [Indicator() for _ in range(max(blank_rows, 0))]
    if t.repeat_row is not None and not items:
        items = [Indicator()]
    rm = RowMap(offset=start_row - 1, repeat=t.repeat_row, count=max(len(items), 1))
    w = _Writer(ws, t, rm, checks)
    if checks and ws.parent is not t.wb:
        ensure_lists(ws.parent)

    # merges of the repeat row that span columns (e.g. E:F for 指标值)
    repeat_spans = {
        c1: c2 for c1, r1, c2, r2 in _template_merges(t) if r1 == r2 == t.repeat_row
    }
    vmerge: dict[int, list[tuple]] = {}

    # styles of every template cell (also empty, bordered ones)
    for row in t.ws.iter_rows():
        for src in row:
            if not w.keep(src.column) or not src.has_style:
                continue
            if src.row == t.repeat_row:
                for i in range(rm.count):
                    copy_style(src, ws.cell(row=rm.copy_row(i), column=src.column))
            else:
                copy_style(src, ws.cell(row=rm.first(src.row), column=src.column))

    for spec in t.cells:
        if not w.keep(spec.column):
            continue
        if spec.row == t.repeat_row:
            for i, item in enumerate(items):
                row = rm.copy_row(i)
                if spec.render is not None:
                    value = spec.render({**context, t.loop_var: item})
                    if isinstance(value, VMerge):
                        vmerge.setdefault(spec.column, []).append((i, value.key if str(value) else None))
                    w.put(spec.row, spec.column, row, value)
                else:
                    w.put(spec.row, spec.column, row, spec.static, formula=spec.formula, on_copy=i)
        else:
            row = rm.first(spec.row)
            value = spec.render(context) if spec.render is not None else spec.static
            w.put(spec.row, spec.column, row, value, formula=spec.formula)

    # merges: template merges moved/grown, repeat-row merges per copy, vmerges
    for c1, r1, c2, r2 in _template_merges(t):
        if not (w.keep(c1) and w.keep(c2)):
            continue
        if r1 == r2 == t.repeat_row:
            if c1 in vmerge:
                continue  # merged below together with the vertical runs
            for i in range(rm.count):
                w.merges.append((c1, rm.copy_row(i), c2, rm.copy_row(i)))
        else:
            a, b = rm.span(r1, r2)
            w.merges.append((c1, a, c2, b))
    for col, marks in vmerge.items():
        c2 = repeat_spans.get(col, col)
        keys = {i: key for i, key in marks}
        i = 0
        while i < rm.count:
            j = i
            while keys.get(i) is not None and j + 1 < rm.count and keys.get(j + 1) == keys[i]:
                j += 1
            if j > i or c2 > col:
                w.merges.append((col, rm.copy_row(i), c2, rm.copy_row(j)))
            for k in range(i + 1, j + 1):
                ws.cell(row=rm.copy_row(k), column=col).value = None
            i = j + 1
    for c1, r1, c2, r2 in w.merges:
        ws.merged_cells.add(CellRange(min_col=c1, min_row=r1, max_col=c2, max_row=r2))

    # row heights: template heights, grown to fit wrapped text
    for r, dim in t.ws.row_dimensions.items():
        if dim.height is None:
            continue
        if r == t.repeat_row:
            for i in range(rm.count):
                ws.row_dimensions[rm.copy_row(i)].height = dim.height
        else:
            ws.row_dimensions[rm.first(r)].height = dim.height
    widths = {}
    for c1, r1, c2, r2 in w.merges:
        if r1 == r2:
            widths[(r1, c1)] = (c1, c2)
    for row, texts in w.texts.items():
        best = ws.row_dimensions[row].height or 0
        for text, col, src_row in texts:
            if any(c1 <= col <= c2 and r1 <= row <= r2 and r1 != r2 for c1, r1, c2, r2 in w.merges):
                continue  # spans rows: its rows are sized by their own cells
            c1, c2 = widths.get((row, col), (col, col))
            size = ws.cell(row=row, column=col).font.sz or 11
            best = max(best, row_height(text, _cell_width(t, ws, c1, c2), float(size)))
        if best:
            ws.row_dimensions[row].height = best

    # column widths
    for letter, dim in t.ws.column_dimensions.items():
        if dim.width and w.keep(dim.min or 1):
            ws.column_dimensions[letter].width = dim.width
            ws.column_dimensions[letter].hidden = dim.hidden

    last_row = rm.last(t.ws.max_row)
    if checks:
        _copy_validations(ws, t, rm)
        _copy_conditional_formats(ws, t, rm)
    if start_row == 1:
        _copy_page_setup(ws, t, last_row)
    return last_row - start_row + 1


def _copy_validations(ws: Worksheet, t: Template, rm: RowMap) -> None:
    for dv in t.ws.data_validations.dataValidation:
        new = deepcopy(dv)
        new.sqref = rm.sqref(str(dv.sqref))
        if dv.formula1:
            new.formula1 = rm.formula(dv.formula1, sheet=t.title, new_sheet=ws.title)
        if dv.formula2:
            new.formula2 = rm.formula(dv.formula2, sheet=t.title, new_sheet=ws.title)
        ws.add_data_validation(new)


def _copy_conditional_formats(ws: Worksheet, t: Template, rm: RowMap) -> None:
    for cf in t.ws.conditional_formatting:
        rng = rm.sqref(str(cf.sqref))
        for rule in cf.rules:
            new = deepcopy(rule)
            new.formula = [rm.formula(f, sheet=t.title, new_sheet=ws.title) for f in rule.formula]
            ws.conditional_formatting.add(rng, new)


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

