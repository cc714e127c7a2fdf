"""The 指标明细 sheet: one row per indicator, as an Excel table with a filter.

The 指标值 is split into 运算符, 数值 and 单位 for quantitative targets, so
staff can sort and filter; the formatted 指标值 text stays beside them.
"""

from __future__ import annotations

from typing import Iterable

from ..model import Declaration, Indicator, Project, QualitativeTarget, QuantitativeTarget
from ..workbook.xlsxform import set_width
from ..workbook.values import MAX_CELL_TEXT, NUMBER, TEXT, cell_value, text_cell
from .cells import MONEY_FORMAT, Formats, font, put
from .page import print_wide

__all__ = ["SHEET_NAME", "TABLE_NAME", "COLUMNS", "indicator_rows", "project_rows", "write_indicators_sheet"]

SHEET_NAME = "指标明细"
TABLE_NAME = "Indicators"

#: header → column width
COLUMNS: dict[str, float] = {
    "项目": 28,
    "实施单位": 20,
    "一级指标": 12,
    "二级指标": 16,
    "三级指标": 34,
    "运算符": 8,
    "数值": 12,
    "单位": 10,
    "指标值": 18,
    "定性/定量": 11,
}


def _kind(ind: Indicator) -> str:
    if isinstance(ind.target, QuantitativeTarget):
        return "定量"
    if isinstance(ind.target, QualitativeTarget):
        return "定性"
    if ind.target is None:
        return "空"
    return "无法识别"


def indicator_rows(declaration: Declaration) -> list[list]:
    """The table body: one list of cell values per indicator, in form order."""
    return [values for project in declaration.projects for values, _ in project_rows(project)]


def project_rows(project: Project):
    """A project's rows of the table: (cell values, the 数值 column's number format or None)."""
    for ind in project.indicators:
        t = ind.target
        quant = isinstance(t, QuantitativeTarget)
        values = [
            project.name,
            project.unit,
            ind.level1,
            ind.level2,
            ind.level3,
            t.operator if quant else "",
            t.number if quant else None,
            t.unit if quant else "",
            ind.value,
            _kind(ind),
        ]
        number_format = ("0." + "0" * t.decimals if t.decimals else "0") if quant else None
        yield values, number_format


#: the look of Excel's "Table Style Medium 2": a blue header with white bold text, banded rows
_HEADER = {"bold": True, "font_color": "#FFFFFF", "pattern": 1, "bg_color": "#4472C4", "align": "center",
           "valign": "vcenter", "bottom": 1, "bottom_color": "#8EA9DB"}
_BAND = {"pattern": 1, "bg_color": "#D9E1F2"}
_ROW_LINE = {"top": 1, "top_color": "#8EA9DB", "bottom": 1, "bottom_color": "#8EA9DB"}


def write_indicators_sheet(ws, fmts: Formats, rows: Iterable[tuple[list, str | None]]) -> None:
    """Fill the XlsxWriter worksheet *ws* with the indicator table (frozen header, filter buttons, banded rows).

    *rows*: :func:`project_rows` of every project, in form order.

    The workbook is written in constant memory (rows in order, each let go
    once written), where XlsxWriter cannot make an Excel table object: the
    range gets a filter and the look of Table Style Medium 2 instead.
    """
    header = {**font(bold=True), **_HEADER}
    bodies = ({**font(), **_ROW_LINE, **_BAND}, {**font(), **_ROW_LINE})  # banded, plain
    for c, (name, width) in enumerate(COLUMNS.items(), start=1):
        put(ws, fmts, 1, c, name, header, sheet=SHEET_NAME)
        set_width(ws, c, c, width)
    # ~150,000 cells at 1,000 projects: the plain kinds written here, the others through put()
    of, write_string, write_number, write_blank = fmts.of, ws.write_string, ws.write_number, ws.write_blank
    # each band's text formats (without, with the quote prefix) and blank format, looked up once
    texts = [(of(body), of(body, True)) for body in bodies]
    r = 1
    for r, (values, number_format) in enumerate(rows, start=2):
        band = r % 2
        body, text_formats = bodies[band], texts[band]
        for c, value in enumerate(values):
            if value.__class__ is str and len(value) <= MAX_CELL_TEXT:  # most cells: cell_value's remembered part
                kind, stored, quote = text_cell(value)
            else:
                kind, stored, quote = cell_value(value, (SHEET_NAME, r, c + 1))
            if kind == TEXT:
                write_string(r - 1, c, stored, text_formats[quote])
            elif kind is None:
                write_blank(r - 1, c, None, text_formats[0])
            elif kind == NUMBER:
                write_number(r - 1, c, stored, of(body, False, (number_format if c == _NUMBER_COL - 1 else None)
                                                  or MONEY_FORMAT))
            else:
                put(ws, fmts, r, c + 1, value, body, sheet=SHEET_NAME)
    last = max(r, 2)
    ws.autofilter(0, 0, last - 1, len(COLUMNS) - 1)
    ws.freeze_panes(1, 0)
    print_wide(ws)


_NUMBER_COL = list(COLUMNS).index("数值") + 1
