"""The renderer and workbook builder as they were before the speed work (9a09f6b), for comparison.

tests/test_render_equivalence.py builds workbooks with these straightforward
functions (jinja2 evaluating every template cell, openpyxl's own ``ws.cell``,
``merged_cells.add`` and ``wb.save``) and with the optimised ones, and
compares the files part by part, byte for byte. Not used by xltargets.
"""

from __future__ import annotations

import datetime as dt
from copy import copy, deepcopy
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from xltargets.model import Declaration, Indicator, Project
from xltargets.workbook.build import BLANK_ROWS, FIXED_TIME
from xltargets.workbook.fit import row_height
from xltargets.workbook.instructions import INSTRUCTIONS_SHEET, write_instructions, write_project_list
from xltargets.workbook.lists import LISTS_SHEET, framework_lists
from xltargets.workbook.refs import RowMap
from xltargets.workbook.sheetnames import unique_sheet_name
from xltargets.workbook.styles import copy_style
from xltargets.workbook.template import Template, VMerge
from xltargets.workbook.values import write_value


# --- workbook/lists.py

def ensure_lists(wb: Workbook) -> None:
    """Add (or refresh) the hidden lists sheet and its names in *wb*.

    The sheet is rewritten from :mod:`xltargets.framework` each time, so a
    workbook saved again picks up an extended framework.
    """
    lists = framework_lists()
    if LISTS_SHEET in wb.sheetnames:
        ws = wb[LISTS_SHEET]
        ws.delete_rows(1, ws.max_row)
    else:
        ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    for col, (name, values) in enumerate(lists.items(), start=1):
        ws.cell(row=1, column=col, value=name)
        for row, value in enumerate(values, start=2):
            ws.cell(row=row, column=col, value=value)
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = 24
        ref = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        if name in wb.defined_names:
            del wb.defined_names[name]
        wb.defined_names[name] = DefinedName(name, attr_text=ref)


# --- workbook/render.py

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
    t = template
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



# --- workbook/build.py

def project_sheets(wb: Workbook) -> list[Worksheet]:
    """The project sheets of a declarations workbook (all but 填写说明 and the lists)."""
    return [ws for ws in wb.worksheets if ws.title not in (INSTRUCTIONS_SHEET, LISTS_SHEET)]


def _refresh(wb: Workbook) -> None:
    if INSTRUCTIONS_SHEET in wb.sheetnames:
        write_project_list(wb, wb[INSTRUCTIONS_SHEET], [ws.title for ws in project_sheets(wb)])
    ensure_lists(wb)
    if LISTS_SHEET in wb.sheetnames:  # keep the hidden lists last
        ws = wb[LISTS_SHEET]
        wb.move_sheet(ws, len(wb.sheetnames) - 1 - wb.sheetnames.index(LISTS_SHEET))
    # VBA document modules are found by code name: give new sheets one, never rename
    used = {ws.sheet_properties.codeName for ws in wb.worksheets if ws.sheet_properties.codeName}
    n = 1
    for ws in wb.worksheets:
        if ws.sheet_properties.codeName:
            continue
        while f"Sheet{n}" in used:
            n += 1
        ws.sheet_properties.codeName = f"Sheet{n}"
        used.add(ws.sheet_properties.codeName)


def add_project_sheet(
    wb: Workbook,
    project: Project,
    *,
    template: Template | None = None,
    blank_rows: int = BLANK_ROWS,
    year: int | None = None,
    refresh: bool = True,
) -> Worksheet:
    """Render *project* into a new sheet (named after it) before the hidden lists.

    *refresh* rewrites the 填写说明 project list and the hidden lists (pass
    False when adding many projects, then call once at the end).
    """
    title = unique_sheet_name(project.name, wb.sheetnames, fallback=f"项目{len(project_sheets(wb)) + 1}")
    ws = wb.create_sheet(title)
    if LISTS_SHEET in wb.sheetnames:
        wb.move_sheet(ws, wb.sheetnames.index(LISTS_SHEET) - wb.sheetnames.index(title))
    if project.year is None and year is not None:
        project = project.model_copy(update={"year": year})
    render_project(ws, project, template=template, blank_rows=blank_rows)
    if refresh:
        _refresh(wb)
    return ws


def declaration_workbook(
    declaration: Declaration,
    *,
    template: Template | None = None,
    blank_rows: int = BLANK_ROWS,
) -> Workbook:
    """The declarations workbook for *declaration*, in memory."""
    t = template
    wb = Workbook()
    ws = wb.active
    ws.title = INSTRUCTIONS_SHEET
    write_instructions(ws, declaration)
    wb.properties.creator = "xltargets"
    year = f"{declaration.year}年度" if declaration.year else ""
    wb.properties.title = f"{declaration.organisation}{year}财政项目支出绩效目标申报"
    wb.properties.created = FIXED_TIME
    ensure_lists(wb)
    for project in declaration.projects:
        add_project_sheet(wb, project, template=t, blank_rows=blank_rows, year=declaration.year, refresh=False)
    _refresh(wb)
    return wb


