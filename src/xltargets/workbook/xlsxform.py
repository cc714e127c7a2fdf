"""Writing laid-out forms (:mod:`.layout`) into XlsxWriter worksheets.

XlsxWriter is made for writing new workbooks fast; :class:`FormWriter` gives
it the template's look: one format per template style (and quote prefix),
the merges, row heights and column widths, data validation and conditional
formats, and the template's page setup.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

from .layout import FORMULA, Form, Plan, moved_formula
from .refs import RowMap
from .shared import follower, shifts_only
from .values import BOOL, DATE, NUMBER, TEXT
from .xlsxstyle import dxf_props, format_props

__all__ = ["Across", "FormWriter", "set_width", "validation_options", "openpyxl_margins", "DEFAULT_HEIGHT"]


class Across(NamedTuple):
    """A cell's style in a range centred across instead of merged (:mod:`xltargets.consolidate.across`):
    template style *style* (None: none), centred across, without the borders inside the range."""

    style: int | None
    #: 0 the first cell of the range, 1 a middle one, 2 the last
    edge: int

#: the row height of a sheet without ``set_default_row`` (Excel's and XlsxWriter's 15 points)
DEFAULT_HEIGHT = 15.0


def openpyxl_margins(ws) -> None:
    """The page margins openpyxl gives a new sheet (and Excel's "Normal"), not XlsxWriter's narrower ones."""
    ws.set_margins(left=0.75, right=0.75, top=1, bottom=1)
    ws.set_header("", margin=0.5)
    ws.set_footer("", margin=0.5)


def set_width(ws, first_col: int, last_col: int, width: float | None, *, hidden: bool = False, cell_format=None) -> None:
    """Columns (1-based) *width* wide as the file stores it (what openpyxl and Excel's XML call width).

    XlsxWriter takes the width a user types in Excel and adds the cell
    padding; this gives it the value that comes out as *width*.
    """
    w = None if width is None else max((width * 7 - 5) / 7, 0)
    ws.set_column(first_col - 1, last_col - 1, w, cell_format, {"hidden": True} if hidden else None)


_OPERATORS = {
    "greaterThanOrEqual": ">=", "lessThanOrEqual": "<=", "greaterThan": ">", "lessThan": "<",
    "equal": "==", "notEqual": "!=", "notBetween": "not between", "between": "between",
}


_DATE = re.compile(r"DATE\((\d{4}),(\d{1,2}),(\d{1,2})\)")


def _operand(formula: str | None, kind: str):
    """A validation bound as XlsxWriter takes it: a number or a date where the formula is one
    (XlsxWriter stores those as they are), else the formula (``=…``), which it rewrites."""
    if not formula:
        return None
    try:
        float(formula)
        return formula
    except ValueError:
        pass
    m = _DATE.fullmatch(formula)
    if m and kind == "date":  # XlsxWriter writes a date bound as its serial number, what DATE() gives
        return dt.date(*map(int, m.groups()))
    return "=" + formula


def validation_options(dv, formula1: str | None, formula2: str | None,
                       texts: dict[str, str] | None = None) -> dict[str, Any]:
    """XlsxWriter data_validation options of an openpyxl DataValidation (formulas already moved;
    *texts*: its messages rendered for the project, by attribute)."""
    kind = dv.type or "any"
    opts: dict[str, Any] = {
        "ignore_blank": bool(dv.allow_blank),
        "dropdown": not dv.showDropDown,  # openpyxl's flag means "hide the arrow"
        "show_input": bool(dv.showInputMessage),
        "show_error": bool(dv.showErrorMessage),
    }
    if dv.errorStyle and dv.errorStyle != "stop":
        opts["error_type"] = dv.errorStyle
    for key, attr in (("input_title", "promptTitle"), ("input_message", "prompt"),
                      ("error_title", "errorTitle"), ("error_message", "error")):
        value = (texts or {}).get(attr, getattr(dv, attr))
        if value:
            opts[key] = value
    f1, f2 = _operand(formula1, kind), _operand(formula2, kind)
    if kind == "list":
        opts.update(validate="list", source=f1)
    elif kind == "custom":
        opts.update(validate="custom", value=f1)
    elif kind == "none" or kind == "any":
        opts.update(validate="any")
    else:
        kind = {"textLength": "length", "whole": "integer"}.get(kind, kind)
        op = _OPERATORS.get(dv.operator or "between", "between")
        opts.update(validate=kind, criteria=op)
        if op in ("between", "not between"):
            opts.update(minimum=f1, maximum=f2)
        else:
            opts.update(value=f1)
    return opts


def _shared_columns(plan: Plan) -> frozenset[int]:
    """The columns of the template's repeat-row formulas that can be shared formulas: laid out in
    three rows, each copy is the first shifted (:func:`.shared.shifts_only`)."""
    t = plan.template
    if t.repeat_row is None:
        return frozenset()
    rm = RowMap(offset=0, repeat=t.repeat_row, count=3)
    rows = [rm.copy_row(i) for i in range(3)]
    return frozenset(
        spec.column for spec in plan.fixed
        if spec.formula and spec.row == t.repeat_row
        and shifts_only([moved_formula(rm, spec.static, t.title, t.title, i) for i in range(3)], spec.column, rows)
    )


def _bounds(ref: str) -> tuple[int, int, int, int]:
    from openpyxl.utils.cell import range_boundaries

    c1, r1, c2, r2 = range_boundaries(ref.replace("$", ""))
    return r1 - 1, c1 - 1, r2 - 1, c2 - 1


class FormWriter:
    """Writes forms of one template plan into the worksheets of one XlsxWriter workbook."""

    def __init__(self, workbook, plan: Plan, *, default_height: float | None = None, share: bool = False):
        self.workbook = workbook
        self.plan = plan
        #: repeat-row formulas written once for all their rows (:mod:`.shared`): the template columns
        #: whose copies are shifts only; the caller turns the sheet's markers into shared formulas
        self.shared = _shared_columns(plan) if share else frozenset()
        #: the sheet's default row height (``set_default_row``), when the caller set one: rows of that
        #: height get no row record, and a row of the form without a height gets Excel's 15 points
        self.default_height = default_height
        self._formats: dict[tuple[int, bool], Any] = {}
        self._dxf: dict[int, Any] = {}

    def format(self, style: int | None, quote: bool):
        """The XlsxWriter format of template style *style* (None: no style), with the quote prefix or not."""
        key = (style, quote)
        fmt = self._formats.get(key, False)
        if fmt is False:
            if style is None:
                fmt = self.workbook.add_format({"quote_prefix": True}) if quote else None
            elif isinstance(style, Across):
                fmt = self.workbook.add_format(self._across_props(style, quote))
            else:
                props = self.plan.format_props.get(key)
                if props is None:
                    props = self.plan.format_props[key] = format_props(self.plan.styles[style], quote=quote)
                fmt = self.workbook.add_format(props)
            self._formats[key] = fmt
        return fmt

    def _across_props(self, style: Across, quote: bool) -> dict:
        """The template style's properties, centred across, without the borders inside the range."""
        props = dict(format_props(self.plan.styles[style.style], quote=quote)) if style.style is not None else {}
        if quote:
            props["quote_prefix"] = True
        props["align"] = "center_across"
        props.pop("text_wrap", None)
        for side in ("right",) if style.edge == 0 else ("left",) if style.edge == 2 else ("left", "right"):
            props.pop(side, None)
            props.pop(f"{side}_color", None)
        return props

    def prepare(self) -> None:
        """Register every template style now (so format numbering does not depend on the first form)."""
        for k in range(len(self.plan.styles)):
            self.format(k, False)

    def every_format(self) -> list:
        """Every cell format a form may use (each style with and without the quote prefix), in one order."""
        keys = [(k, q) for q in (False, True) for k in range(len(self.plan.styles))] + [(None, True)]
        return [self.format(*key) for key in keys]

    def every_dxf(self) -> list:
        """The format of every conditional format of the plan, in the plan's order."""
        return [self._dxf_of(rule) for _, rules in self.plan.conditional_formats for rule in rules]

    def _dxf_of(self, rule):
        dxf = self._dxf.get(id(rule.dxf))
        if dxf is None:
            dxf = self._dxf[id(rule.dxf)] = self.workbook.add_format(dxf_props(rule.dxf))
        return dxf

    def write(self, ws, form: Form) -> None:
        """Write *form*'s cells, merges, heights, validation and conditional formats into *ws*.

        Row by row, each row's height first: the worksheet may be in
        ``constant_memory`` mode (its rows must come in order). Merges are
        registered first, without values (no cell is written for them).
        """
        formats, fmt = self._formats, self.format
        followers = {}
        rm = form.rm
        if self.shared and rm is not None and rm.repeat is not None and rm.count > 1:
            first = rm.copy_row(0)
            followers = {(rm.copy_row(i), col): follower(col, first) for col in self.shared for i in range(1, rm.count)}
        for c1, r1, c2, r2 in form.merges:
            ws.merge_range(r1 - 1, c1 - 1, r2 - 1, c2 - 1, None)
        heights, default = form.heights, self.default_height
        if default is not None:  # a row of no height: the 15 points it has on a sheet of the usual default
            heights = {row: heights.get(row, DEFAULT_HEIGHT) for row in range(form.first_row, form.last_row + 1)}
        write_string, write_number, write_formula, write_blank = (
            ws.write_string, ws.write_number, ws.write_formula, ws.write_blank)
        last = None
        # (row, col) order: rows in order (constant memory), a row's height before its cells
        for (row, col), (kind, value, style, quote) in sorted(form.cells.items()):
            r, c = row - 1, col - 1
            if row != last:
                last = row
                height = heights.get(row)
                if height is not None and height != default:
                    ws.set_row(r, height)
            if kind is None:  # an empty cell: written when styled (most of a form's cells)
                if style is not None:
                    f = formats.get((style, False), False)
                    write_blank(r, c, None, fmt(style, False) if f is False else f)
                continue
            key = (style, kind == TEXT and quote)
            f = formats.get(key, False)
            if f is False:
                f = fmt(*key)
            if kind == TEXT:
                write_string(r, c, value, f)
            elif kind == FORMULA:
                mark = followers.get((row, col)) if followers else None
                if mark is None:
                    write_formula(r, c, value, f, "")
                else:  # a later copy of a shared formula: a marker that .shared.share makes the formula
                    write_string(r, c, mark, f)
            elif kind == NUMBER:
                write_number(r, c, value, f)
            elif kind == DATE:
                ws.write_datetime(r, c, value, f)
            elif kind == BOOL:
                ws.write_boolean(r, c, value, f)
        for sqref, dv, f1, f2, texts in form.validations:
            ranges = sqref.split()
            opts = validation_options(dv, f1, f2, texts)
            if len(ranges) > 1:
                opts["multi_range"] = sqref
            ws.data_validation(*_bounds(ranges[0]), opts)
        for sqref, rule, formulas in form.conditional_formats:
            ranges = sqref.split()
            dxf = self._dxf_of(rule)
            opts: dict[str, Any] = {
                "type": "formula",
                "criteria": "=" + formulas[0] if formulas else "=TRUE",
                "format": dxf,
            }
            if rule.stopIfTrue:
                opts["stop_if_true"] = True
            if len(ranges) > 1:
                opts["multi_range"] = sqref
            ws.conditional_format(*_bounds(ranges[0]), opts)

    def columns(self, ws) -> None:
        """The template's column widths."""
        for c1, c2, width, hidden in self.plan.widths:
            set_width(ws, c1, c2, width, hidden=hidden)

    def page_setup(self, ws, last_row: int) -> None:
        """The template's page setup and a print area down to *last_row*."""
        src = self.plan.template.ws
        ps = src.page_setup
        if ps.paperSize:
            ws.set_paper(int(ps.paperSize))
        if ps.orientation == "landscape":
            ws.set_landscape()
        else:
            ws.set_portrait()
        pr = src.sheet_properties.pageSetUpPr
        if pr is not None and pr.fitToPage:
            ws.fit_to_pages(int(ps.fitToWidth if ps.fitToWidth is not None else 1),
                            int(ps.fitToHeight if ps.fitToHeight is not None else 1))
        elif ps.scale:
            ws.set_print_scale(int(ps.scale))
        m = src.page_margins
        ws.set_margins(left=m.left, right=m.right, top=m.top, bottom=m.bottom)
        opts = src.print_options
        if opts.horizontalCentered:
            ws.center_horizontally()
        if opts.verticalCentered:
            ws.center_vertically()
        hf = src.HeaderFooter
        header, footer = str(hf.oddHeader), str(hf.oddFooter)
        ws.set_header(header, margin=m.header)
        ws.set_footer(footer, margin=m.footer)
        if src.sheet_view.showGridLines is False:
            ws.hide_gridlines(2)
        if src.sheet_view.zoomScale:
            ws.set_zoom(int(src.sheet_view.zoomScale))
        self.print_names(ws, last_row)

    def print_names(self, ws, last_row: int) -> None:
        """The print titles and a print area down to *last_row* (the workbook stores them as names)."""
        src = self.plan.template.ws
        if src.print_title_rows:
            a, _, b = src.print_title_rows.replace("$", "").partition(":")
            ws.repeat_rows(int(a) - 1, int(b or a) - 1)
        lo, hi = self.plan.template.print_columns
        ws.print_area(0, lo - 1, last_row - 1, hi - 1)
