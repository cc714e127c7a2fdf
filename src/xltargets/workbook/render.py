"""Rendering one project into a worksheet from the template.

:func:`render_project` writes the form with its top at ``start_row`` of any
worksheet (a project sheet, or a 汇总表 sheet where forms are stacked) and
returns the number of rows it used. Styles, merges, row heights, data
validation and conditional formatting come from the template; the repeat row
is written once per indicator (plus ``blank_rows`` empty ones to fill in) and
everything below it moves down, formulas included (see :mod:`.refs`).

Speed: the template is compiled once into a :class:`_Plan` (which cells,
which styles, which values are fixed, how each formula and range moves), and
the sheet is filled through openpyxl's cell objects directly rather than
through ``ws.cell``/``cell.value`` one attribute at a time. The result is the
same worksheet, cell for cell (tests/test_render_equivalence.py compares it
with the straightforward renderer part by part).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import weakref
from copy import copy, deepcopy
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.formatting.formatting import ConditionalFormatting
from openpyxl.formatting.rule import Rule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.worksheet import Worksheet

from ..model import Indicator, Project
from .fit import row_height
from .lists import ensure_lists
from .refs import RowMap
from .styles import target_style
from .template import Template, VMerge, load_template
from .values import MAX_CELL_TEXT, looks_like_non_text, write_value

__all__ = ["render_project", "prepare_styles", "load_template"]


def _coerce(value):
    """Jinja results to cell values (Decimal/date kept, Markup/str as str)."""
    if isinstance(value, VMerge):
        return str(value)
    if isinstance(value, (int, float, Decimal, dt.date, dt.datetime, bool)) or value is None:
        return value
    return str(value)


@functools.lru_cache(maxsize=1 << 16)
def _text_value(value: str) -> tuple[str | None, bool]:
    """What :func:`write_value` stores for a str: (text or None, quote prefix)."""
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not text:
        return None, False
    return text, looks_like_non_text(text)


def _put(cell: Cell, value) -> None:
    """:func:`write_value` (*value* already coerced), without openpyxl's type dispatch for text."""
    if value.__class__ is str:
        if len(value) > MAX_CELL_TEXT:
            write_value(cell, value)  # raises with the cell's address
            return
        text, quote = _text_value(value)
        cell._value = text
        cell.data_type = "s" if text is not None else "n"
        if quote:
            cell.quotePrefix = True
    elif value is None:
        cell._value = None
        cell.data_type = "n"
    else:
        write_value(cell, value)


def _moved_formula(rm: RowMap, formula: str, sheet: str, new_sheet: str, on_copy: int | None) -> str:
    """``rm.formula(...)``, remembered; the new sheet's name matters only where the formula names the old one."""
    if not _names_sheet(formula, sheet):
        new_sheet = sheet
    return _moved(rm, formula, sheet, new_sheet, on_copy)


@functools.lru_cache(maxsize=1 << 15)
def _moved(rm: RowMap, formula: str, sheet: str, new_sheet: str, on_copy: int | None) -> str:
    return rm.formula(formula, sheet=sheet, new_sheet=new_sheet, on_copy=on_copy)


@functools.lru_cache(maxsize=1 << 12)
def _names_sheet(formula: str, sheet: str) -> bool:
    """True when a reference in *formula* is qualified with *sheet* (RowMap.formula re-qualifies those)."""
    from .refs import _tokens, split_sheet

    lead = formula if formula.startswith("=") else "=" + formula
    return any(is_range and split_sheet(value)[0] == sheet for value, is_range in _tokens(lead))


@functools.lru_cache(maxsize=1 << 12)
def _moved_sqref(rm: RowMap, sqref: str) -> str:
    return rm.sqref(sqref)


def _cell_range(c1: int, r1: int, c2: int, r2: int) -> CellRange:
    """``CellRange(min_col=c1, min_row=r1, max_col=c2, max_row=r2)`` without its descriptor checks (valid bounds)."""
    cr = object.__new__(CellRange)
    d = cr.__dict__  # one key at a time, in __init__'s order: a compact (key-sharing) dict
    d["min_col"] = c1
    d["min_row"] = r1
    d["max_col"] = c2
    d["max_row"] = r2
    d["title"] = None
    return cr


@functools.lru_cache(maxsize=1 << 12)
def _bounds(sqref: str) -> tuple[tuple[int, int, int, int], ...]:
    return tuple(CellRange(part).bounds for part in sqref.split())


def _multi_range(sqref: str) -> MultiCellRange:
    """``MultiCellRange(sqref)`` built from remembered bounds (fresh range objects)."""
    m = object.__new__(MultiCellRange)
    m.__dict__["ranges"] = {_cell_range(*b) for b in _bounds(sqref)}
    return m


def _row_dimension(ws: Worksheet, row: int, height: float | None = None) -> RowDimension:
    """``ws.row_dimensions[row]`` (created as openpyxl creates it), with *height* set when given."""
    dims = ws.row_dimensions
    dim = dict.get(dims, row)
    if dim is None:
        dim = object.__new__(RowDimension)
        d = dim.__dict__  # one key at a time, in __init__'s order: a compact (key-sharing) dict
        for key, value in _ROW_DIMENSION.items():
            d[key] = value
        d["index"] = row
        dim.parent = ws
        dim._style = None
        dict.__setitem__(dims, row, dim)
    if height is not None:
        dim.__dict__["ht"] = float(height)
    return dim


#: the attributes of ``RowDimension(ws)`` (tests/test_render_equivalence.py checks)
_ROW_DIMENSION = {
    "ht": None, "thickBot": False, "thickTop": False, "index": 0, "hidden": False, "outlineLevel": 0,
    "collapsed": False,
}


class _Spec:
    """One template cell with content, compiled."""

    __slots__ = ("row", "column", "src", "formula", "direct", "static", "fixed", "render", "wrap", "size")

    def __init__(self, spec, src: Cell):
        self.row = spec.row
        self.column = spec.column
        self.src = src
        self.render = spec.render
        self.static = spec.static
        #: the template formula (moved per sheet), or None
        self.formula = spec.static if spec.formula else None
        #: the moved formula can be stored without openpyxl's checks (what they would conclude)
        self.direct = (
            self.formula is not None
            and self.formula.startswith("=")
            and len(self.formula) > 1
            and not ILLEGAL_CHARACTERS_RE.search(self.formula)
        )
        #: what write_value stores for a fixed text: (text or None, quote prefix); None otherwise
        self.fixed = None
        if self.formula is None and spec.render is None and isinstance(spec.static, str):
            if len(spec.static) <= MAX_CELL_TEXT:
                self.fixed = _text_value(spec.static)
        # after copy_style the target cell has the template cell's alignment and font
        if src.has_style:
            self.wrap = bool(src.alignment is not None and src.alignment.wrap_text)
            self.size = float(src.font.sz or 11)
        else:
            self.wrap = self.size = None  # read from the target cell


class _Plan:
    """A template compiled for rendering with or without the check columns."""

    def __init__(self, t: Template, checks: bool):
        lo, hi = t.print_columns
        self.columns = range(1, t.ws.max_column + 1) if checks else range(lo, hi + 1)
        keep = self.columns
        self.styled = [
            src for row in t.ws.iter_rows() for src in row if src.column in keep and src.has_style
        ]
        self.specs = [
            _Spec(spec, t.ws.cell(row=spec.row, column=spec.column)) for spec in t.cells if spec.column in keep
        ]
        self.merges = [
            (cr.min_col, cr.min_row, cr.max_col, cr.max_row)
            for cr in t.ws.merged_cells.ranges
        ]
        self.repeat_spans = {c1: c2 for c1, r1, c2, r2 in self.merges if r1 == r2 == t.repeat_row}
        self.heights = [(r, dim.height) for r, dim in t.ws.row_dimensions.items() if dim.height is not None]
        self.widths = [
            (letter, dim.width, dim.hidden)
            for letter, dim in t.ws.column_dimensions.items()
            if dim.width and (dim.min or 1) in keep
        ]
        self.template = t
        self._styles: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
        self._widths: dict[tuple[int, int], float] = {}
        self.page_trees = None

    def target_styles(self, wb) -> list:
        """Per styled template cell, its style in *wb* once known (see :func:`target_style`)."""
        known = self._styles.get(wb)
        if known is None:
            known = self._styles[wb] = [None] * len(self.styled)
        return known

    def width(self, c1: int, c2: int) -> float:
        """Width of template columns c1..c2 (a merged cell) in column-width units."""
        w = self._widths.get((c1, c2))
        if w is None:
            w = self._widths[(c1, c2)] = _cell_width(self.template, c1, c2)
        return w

    def page_copies(self, t: Template):
        """Fresh copies of the template's page setup objects (as ``copy`` makes them)."""
        src = t.ws
        if self.page_trees is None:
            objs = (src.page_setup, src.print_options, src.page_margins, src.sheet_properties.pageSetUpPr,
                    src.HeaderFooter)
            self.page_trees = [(type(o), o.to_tree(tagname="dummy")) for o in objs]
        return [cls.from_tree(tree) for cls, tree in self.page_trees]


#: a workbook whose hidden lists are known to be up to date (set by a builder around its renders)
_LISTS_READY: contextvars.ContextVar = contextvars.ContextVar("xltargets_lists_ready", default=None)


@contextlib.contextmanager
def lists_ready(wb):
    """Within this block *wb*'s hidden lists are up to date: renders do not check them again."""
    token = _LISTS_READY.set(wb)
    try:
        yield
    finally:
        _LISTS_READY.reset(token)


def _plan(t: Template, checks: bool) -> _Plan:
    plan = t.plans.get(checks)
    if plan is None:
        plan = t.plans[checks] = _Plan(t, checks)
    return plan


def _cell_width(t: Template, c1: int, c2: int) -> float:
    total = 0.0
    for c in range(c1, c2 + 1):
        dim = t.ws.column_dimensions.get(get_column_letter(c))
        total += dim.width if dim is not None and dim.width else 8.43
    return total


#: worksheet → (number of merged ranges, their last row) when last seen by the renderer
_MERGE_EXTENT: "weakref.WeakKeyDictionary[Worksheet, tuple[int, int]]" = weakref.WeakKeyDictionary()


def _add_merges(ws: Worksheet, merges: list[tuple[int, int, int, int]], first_row: int) -> None:
    """``ws.merged_cells.add(CellRange(...))`` for each, in order, without its scan of every range.

    ``MultiCellRange.add`` skips a range inside one already there; it scans
    all ranges for that, which makes a sheet of stacked forms quadratic. The
    scan is needed only when an earlier range reaches down to *first_row*
    (every new range starts at or below it).
    """
    ranges = ws.merged_cells.ranges
    seen = _MERGE_EXTENT.get(ws)
    if seen is not None and seen[0] == len(ranges):
        last = seen[1]
    else:
        last = max((r.max_row for r in ranges), default=0)
    scan = last >= first_row  # an earlier range may hold a new one
    by_col: dict[int, list[tuple[int, int, int, int]]] = {}  # ranges added here, by each column they cover
    for c1, r1, c2, r2 in merges:
        cr = _cell_range(c1, r1, c2, r2)
        if scan:
            if cr in ws.merged_cells:  # the scan MultiCellRange.add makes
                continue
        elif any(a <= c1 and b <= r1 and c2 <= c and r2 <= d for a, b, c, d in by_col.get(c1, ())):
            continue  # inside a range added just before (CellRange.issubset, same sheet)
        ranges.add(cr)
        for col in range(c1, c2 + 1):
            by_col.setdefault(col, []).append((c1, r1, c2, r2))
        if r2 > last:
            last = r2
    _MERGE_EXTENT[ws] = (len(ranges), last)


def prepare_styles(wb, template: Template | None = None, *, checks: bool = True) -> None:
    """Register the template's cell styles in *wb* as rendering the first form there does.

    A workbook's fonts, borders and other style tables are numbered in the
    order they are first used; this lets a writer that must put something
    else in the tables afterwards (and write it ahead, before the forms)
    keep the order a plain render would give.
    """
    t = template or load_template()
    plan = _plan(t, checks)
    known = plan.target_styles(wb)
    scratch = Cell(wb.worksheets[0])  # never put in a sheet: only its styles are set
    for k, src in enumerate(plan.styled):
        if known[k] is None:
            known[k] = target_style(src, scratch)


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
    plan = _plan(t, checks)
    context = {"project": project}
    items = t.items(context) + [Indicator() for _ in range(max(blank_rows, 0))]
    if t.repeat_row is not None and not items:
        items = [Indicator()]
    rm = RowMap(offset=start_row - 1, repeat=t.repeat_row, count=max(len(items), 1))
    if checks and ws.parent is not t.wb and _LISTS_READY.get() is not ws.parent:
        ensure_lists(ws.parent)
    repeat = t.repeat_row
    count = rm.count
    copy_rows = [rm.copy_row(i) for i in range(count)] if repeat is not None else []
    cells = ws._cells
    created = [0]  # the last row of a cell created here (ws.cell keeps the sheet's _current_row)

    def target(row: int, col: int) -> Cell:
        cell = cells.get((row, col))
        if cell is None:
            cell = cells[(row, col)] = Cell(ws, row=row, column=col)
            if row > created[0]:
                created[0] = row
        return cell

    # styles of every template cell (also empty, bordered ones)
    known = plan.target_styles(ws.parent)
    for k, src in enumerate(plan.styled):
        rows = copy_rows if src.row == repeat else (rm.first(src.row),)
        style = known[k]
        col = src.column
        for row in rows:
            dst = cells.get((row, col))
            if dst is not None:
                if style is None:
                    style = known[k] = target_style(src, dst)
                dst._style = copy(style)
            elif style is not None:  # a new cell with a copy of the style (Cell copies style_array)
                cells[(row, col)] = Cell(ws, row=row, column=col, style_array=style)
                if row > created[0]:
                    created[0] = row
            else:
                dst = target(row, col)
                style = known[k] = target_style(src, dst)
                dst._style = copy(style)

    # values (a cell's style is already the template's); the text of wrapped cells per row
    texts: dict[int, list[tuple[str, int, float | None]]] = {}
    vmerge: dict[int, list[tuple]] = {}
    title, new_title = t.title, ws.title

    def put(spec: _Spec, row: int, value=None, *, on_copy=None) -> None:
        dst = target(row, spec.column)
        if spec.formula is not None:
            text = _moved_formula(rm, spec.formula, title, new_title, on_copy)
            if spec.direct and len(text) <= MAX_CELL_TEXT:
                dst._value = text
                dst.data_type = "f"
            else:
                dst.value = text
            return
        if spec.fixed is not None:
            text, quote = spec.fixed
            dst._value = text
            dst.data_type = "s" if text is not None else "n"
            if quote:
                dst.quotePrefix = True
        else:
            _put(dst, _coerce(value))
        if isinstance(dst._value, str):
            wrap = spec.wrap
            if wrap is None:
                wrap = dst.alignment is not None and dst.alignment.wrap_text
            if wrap:
                texts.setdefault(row, []).append((dst._value, spec.column, spec.size))

    loop_var = t.loop_var
    for spec in plan.specs:
        if spec.row == repeat:
            for i, item in enumerate(items):
                if spec.render is not None:
                    value = spec.render({"project": project, loop_var: item})
                    if isinstance(value, VMerge):
                        vmerge.setdefault(spec.column, []).append((i, value.key if str(value) else None))
                    put(spec, copy_rows[i], value)
                else:
                    put(spec, copy_rows[i], spec.static, on_copy=i)
        else:
            row = rm.first(spec.row)
            put(spec, row, spec.render(context) if spec.render is not None else spec.static)

    # merges: template merges moved/grown, repeat-row merges per copy, vmerges
    merges: list[tuple[int, int, int, int]] = []
    keep = plan.columns
    for c1, r1, c2, r2 in plan.merges:
        if not (c1 in keep and c2 in keep):
            continue
        if r1 == r2 == repeat:
            if c1 in vmerge:
                continue  # merged below together with the vertical runs
            for i in range(count):
                merges.append((c1, copy_rows[i], c2, copy_rows[i]))
        else:
            a, b = rm.span(r1, r2)
            merges.append((c1, a, c2, b))
    for col, marks in vmerge.items():
        c2 = plan.repeat_spans.get(col, col)
        keys = {i: key for i, key in marks}
        i = 0
        while i < count:
            j = i
            while keys.get(i) is not None and j + 1 < count and keys.get(j + 1) == keys[i]:
                j += 1
            if j > i or c2 > col:
                merges.append((col, copy_rows[i], c2, copy_rows[j]))
            for k in range(i + 1, j + 1):
                cell = target(copy_rows[k], col)
                cell._value = None
                cell.data_type = "n"
            i = j + 1
    _add_merges(ws, merges, start_row)
    if created[0] > ws._current_row:
        ws._current_row = created[0]

    # row heights: template heights, grown to fit wrapped text
    for r, height in plan.heights:
        if r == repeat:
            for row in copy_rows:
                _row_dimension(ws, row, height)
        else:
            _row_dimension(ws, rm.first(r), height)
    widths = {}
    tall: set[tuple[int, int]] = set()
    for c1, r1, c2, r2 in merges:
        if r1 == r2:
            widths[(r1, c1)] = (c1, c2)
        else:
            tall.update((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
    for row, row_texts in texts.items():
        dim = _row_dimension(ws, row)
        best = dim.height or 0
        for text, col, size in row_texts:
            if (row, col) in tall:
                continue  # spans rows: its rows are sized by their own cells
            c1, c2 = widths.get((row, col), (col, col))
            if size is None:
                size = float(target(row, col).font.sz or 11)
            best = max(best, row_height(text, plan.width(c1, c2), size))
        if best:
            _row_dimension(ws, row, best)

    # column widths
    for letter, width, hidden in plan.widths:
        dim = ws.column_dimensions[letter]
        dim.width = width
        dim.hidden = hidden

    last_row = rm.last(t.ws.max_row)
    if checks:
        _copy_validations(ws, t, rm)
        _copy_conditional_formats(ws, t, rm)
    if start_row == 1:
        _copy_page_setup(ws, t, plan, last_row)
    return last_row - start_row + 1


def _copy_validations(ws: Worksheet, t: Template, rm: RowMap) -> None:
    title, new_title = t.title, ws.title
    for dv in t.ws.data_validations.dataValidation:
        new = object.__new__(DataValidation)
        d = new.__dict__
        for key, value in dv.__dict__.items():
            d[key] = value
        new.__dict__["sqref"] = _multi_range(_moved_sqref(rm, str(dv.sqref)))
        if dv.formula1:
            new.formula1 = _moved_formula(rm, dv.formula1, title, new_title, None)
        if dv.formula2:
            new.formula2 = _moved_formula(rm, dv.formula2, title, new_title, None)
        ws.add_data_validation(new)


def _copy_conditional_formats(ws: Worksheet, t: Template, rm: RowMap) -> None:
    """The template's conditional formats, moved; rules share the template's (read-only) dxf.

    Same as ``ws.conditional_formatting.add(range, rule)`` for each rule in
    turn: rules are grouped under the first ConditionalFormatting of their
    range, each add raises ``max_priority`` by one (template rules keep their
    priority).
    """
    title, new_title = t.title, ws.title
    cfl = ws.conditional_formatting
    rules_by_cf = cfl._cf_rules
    for sqref, rules in _template_formats(t):
        rng = ConditionalFormatting(sqref=_multi_range(_moved_sqref(rm, sqref)))
        group = rules_by_cf.setdefault(rng, [])
        for rule in rules:
            deep = _DEEP_RULES.get(id(rule))
            if deep is None or deep[0] is not rule:
                deep = _DEEP_RULES[id(rule)] = (
                    rule, any(rule.__dict__.get(k) is not None for k in ("colorScale", "dataBar", "iconSet", "extLst"))
                )
            if deep[1]:
                new = deepcopy(rule)
            else:
                new = object.__new__(Rule)
                d = new.__dict__
                for key, value in rule.__dict__.items():
                    d[key] = value
            new.formula = [_moved_formula(rm, f, title, new_title, None) for f in rule.formula]
            cfl.max_priority += 1
            if not new.priority:
                new.priority = cfl.max_priority
            group.append(new)


#: template rule id → (rule, whether it has parts a copy must not share)
_DEEP_RULES: dict[int, tuple] = {}


def _template_formats(t: Template) -> list[tuple[str, list]]:
    """(range, rules) of the template's conditional formats, in order; read once per template.

    (Iterating a ConditionalFormattingList hashes each range, which openpyxl
    does by formatting it as text.)
    """
    formats = t.plans.get("conditional formats")
    if formats is None:
        formats = t.plans["conditional formats"] = [(str(cf.sqref), list(cf.rules)) for cf in t.ws.conditional_formatting]
    return formats


def _copy_page_setup(ws: Worksheet, t: Template, plan: _Plan, last_row: int) -> None:
    src = t.ws
    setup, options, margins, fit, header_footer = plan.page_copies(t)
    ws.page_setup = setup
    ws.print_options = options
    ws.page_margins = margins
    ws.sheet_properties.pageSetUpPr = fit
    ws.HeaderFooter = header_footer
    ws.sheet_view.showGridLines = src.sheet_view.showGridLines
    ws.sheet_view.zoomScale = src.sheet_view.zoomScale
    if src.print_title_rows:
        ws.print_title_rows = src.print_title_rows
    lo, hi = t.print_columns
    ws.print_area = f"{get_column_letter(lo)}1:{get_column_letter(hi)}{last_row}"
