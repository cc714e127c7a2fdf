"""The 资金汇总 sheet: every project's amounts, a totals row and a bar chart.

The totals are ``SUM`` formulas written with their value (XlsxWriter stores
it as the cached result), so readers that do not recalculate still show the
right total.

Amounts are never converted between 元 and 万元 (issue 15): when every
project states the same unit the headers and the chart title name it, 元 as
well as 万元; when projects state different units the headers send the reader
to a 金额单位 column that names each row's unit, there is one totals row per
unit (``SUMIF`` on that column), a note under the totals says that nothing was
converted (the finding XLT-W111 says the same in 校验结果), and no chart, since
bars in 元 and 万元 on one axis would mislead.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple, Sequence

from xlsxwriter.utility import xl_col_to_name

from ..model import FUND_FIELDS, Project
from ..workbook.values import excel_number
from ..workbook.xlsxform import set_width
from .cells import BOX, MONEY_FORMAT, Formats, box, font, put
from .page import print_wide

__all__ = ["SHEET_NAME", "TOTAL_LABEL", "FundsRow", "funds_row", "write_funds_sheet"]

SHEET_NAME = "资金汇总"
TOTAL_LABEL = "合计"
UNIT_HEADER = "金额单位"
DEFAULT_UNIT = "元"
#: the amount groups' header suffix when the projects state different units
MIXED_SUFFIX = f"（单位见“{UNIT_HEADER}”列）"
#: the note under the totals when the projects state different units
MIXED_NOTE = ("注：各项目的金额按申报表原文列出，单位不同（{units}），未作换算；"
              "合计按单位分别计算，不相加（见校验结果 XLT-W111）。")

_GROUPS = (("项目资金", ("total", "total_fiscal", "total_other")),
           ("年度资金申请", ("annual", "annual_fiscal", "annual_carryover", "annual_other")))
_FIELDS = [f for _, fields in _GROUPS for f in fields]
_FIRST_AMOUNT_COL = 3
_CENTER = {"align": "center", "valign": "vcenter", "text_wrap": True}
_HEADER_FILL = {"pattern": 1, "bg_color": "#DDEBF7"}


class FundsRow(NamedTuple):
    """What the sheet shows of one project: its name, 实施单位, money unit and amounts (in :attr:`FIELDS` order)."""

    name: str
    unit: str
    money_unit: str
    amounts: tuple

    FIELDS = tuple(_FIELDS)


def funds_row(project: Project) -> FundsRow:
    funds = project.funds
    return FundsRow(project.name, project.unit, project.money_unit, tuple(getattr(funds, f) for f in _FIELDS))


def write_funds_sheet(workbook, ws, fmts: Formats, projects: Sequence[FundsRow]) -> dict[str, Decimal]:
    """Fill the XlsxWriter worksheet *ws* with *projects* (:func:`funds_row`, in form order); return
    ``{cell: value}`` of the totals rows' formulas."""
    units = list(dict.fromkeys(p.money_unit for p in projects)) or [DEFAULT_UNIT]
    mixed = len(units) > 1
    suffix = MIXED_SUFFIX if mixed else f"（{units[0]}）"
    header = {**font(bold=True), **_CENTER, **BOX, **_HEADER_FILL}
    body = {**font(), **BOX}
    # two-row header: 项目 | 实施单位 | 项目资金 (3) | 年度资金申请 (4); row by row (constant memory)
    ws.set_row(1, 30)
    unit_col = _FIRST_AMOUNT_COL + len(_FIELDS)  # only when the units differ
    for col in (1, 2) + ((unit_col,) if mixed else ()):
        ws.merge_range(0, col - 1, 1, col - 1, None)
    col = _FIRST_AMOUNT_COL
    for group, fields in _GROUPS:
        ws.merge_range(0, col - 1, 0, col + len(fields) - 2, None)
        col += len(fields)
    put(ws, fmts, 1, 1, "项目", header, sheet=SHEET_NAME)
    put(ws, fmts, 1, 2, "实施单位", header, sheet=SHEET_NAME)
    col = _FIRST_AMOUNT_COL
    for group, fields in _GROUPS:
        put(ws, fmts, 1, col, group + suffix, header, sheet=SHEET_NAME)
        for k in range(1, len(fields)):
            put(ws, fmts, 1, col + k, None, header, sheet=SHEET_NAME)
        col += len(fields)
    if mixed:
        put(ws, fmts, 1, unit_col, UNIT_HEADER, header, sheet=SHEET_NAME)
    for c in (1, 2) + ((unit_col,) if mixed else ()):
        put(ws, fmts, 2, c, None, header, sheet=SHEET_NAME)
    col = _FIRST_AMOUNT_COL
    for group, fields in _GROUPS:
        for f in fields:
            put(ws, fmts, 2, col, FUND_FIELDS[f], header, sheet=SHEET_NAME)
            col += 1

    first = 3
    row = first
    wrapped = {**body, "valign": "vcenter", "text_wrap": True}
    amount = {**body, "valign": "vcenter"}
    for project in projects:
        put(ws, fmts, row, 1, project.name, wrapped, sheet=SHEET_NAME)
        put(ws, fmts, row, 2, project.unit, wrapped, sheet=SHEET_NAME)
        for c, value in enumerate(project.amounts, start=_FIRST_AMOUNT_COL):
            put(ws, fmts, row, c, value, amount, number_format=MONEY_FORMAT, sheet=SHEET_NAME)
        if mixed:
            put(ws, fmts, row, unit_col, project.money_unit, {**body, **_CENTER}, sheet=SHEET_NAME)
        row += 1
    last = row - 1

    cached: dict[str, Decimal] = {}
    bold_center = {**font(bold=True), **_CENTER, **BOX}
    total_format = fmts(font(bold=True), BOX, {"num_format": MONEY_FORMAT})
    unit_letter = xl_col_to_name(unit_col - 1)
    for unit in units:  # one totals row per unit: 元 and 万元 are never added together
        label = f"{TOTAL_LABEL}（{unit}）" if mixed else TOTAL_LABEL
        box(ws, fmts, row, 1, row, 2, label, bold_center, sheet=SHEET_NAME)
        mine = [p for p in projects if p.money_unit == unit]
        for k, c in enumerate(range(_FIRST_AMOUNT_COL, _FIRST_AMOUNT_COL + len(_FIELDS))):
            letter = xl_col_to_name(c - 1)
            total = sum((p.amounts[k] or Decimal(0) for p in mine), Decimal(0))
            cell = f"{letter}{row}"
            value = excel_number(total, f"{SHEET_NAME}!{cell}")
            if last < first:
                formula = "=0"
            elif mixed:
                formula = (f'=SUMIF(${unit_letter}${first}:${unit_letter}${last},"{unit}",'
                           f"{letter}{first}:{letter}{last})")
            else:
                formula = f"=SUM({letter}{first}:{letter}{last})"
            ws.write_formula(row - 1, c - 1, formula, total_format, value)
            cached[cell] = total
        if mixed:
            put(ws, fmts, row, unit_col, unit, bold_center, sheet=SHEET_NAME)
        row += 1
    total_row = row - 1
    if mixed:
        put(ws, fmts, total_row + 2, 1, MIXED_NOTE.format(units="、".join(units)), font(), sheet=SHEET_NAME)

    set_width(ws, 1, 1, 30)
    set_width(ws, 2, 2, 22)
    set_width(ws, _FIRST_AMOUNT_COL, col - 1, 17)
    if mixed:
        set_width(ws, unit_col, unit_col, 10)
    ws.freeze_panes(first - 1, _FIRST_AMOUNT_COL - 1)
    if last >= first and not mixed:
        _add_chart(workbook, ws, first, last, anchor=f"A{total_row + 2}", unit=units[0])
    print_wide(ws, header_rows=(1, 2))
    return cached


def _add_chart(workbook, ws, first: int, last: int, *, anchor: str, unit: str) -> None:
    """Horizontal bars: 年度资金申请总额 by project (project names read well on the axis)."""
    annual_col = _FIRST_AMOUNT_COL + _FIELDS.index("annual") - 1
    chart = workbook.add_chart({"type": "bar"})
    chart.add_series({
        "values": [SHEET_NAME, first - 1, annual_col, last - 1, annual_col],
        "categories": [SHEET_NAME, first - 1, 0, last - 1, 0],
    })
    chart.set_title({"name": f"年度资金申请总额（{unit}）"})
    chart.set_legend({"none": True})
    chart.set_style(10)
    # a bar chart's category axis is the vertical one: first project on top, as in the table
    chart.set_y_axis({"reverse": True})
    chart.set_x_axis({"num_format": MONEY_FORMAT, "major_gridlines": {"visible": False}})
    height_cm = min(4 + 1.2 * (last - first + 1), 30)
    chart.set_size({"width": 24 / 2.54 * 96, "height": height_cm / 2.54 * 96})
    ws.insert_chart(anchor, chart)
