"""The 资金汇总 sheet: every project's amounts, a totals row and a bar chart.

The totals are ``SUM`` formulas. openpyxl stores no cached values, so
:func:`write_funds_sheet` returns the value of each formula cell; the
workbook writer puts them into the file (:mod:`.cached_values`), and readers
that do not recalculate still show the right total.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xltargets.model import FUND_FIELDS, Declaration
from .cells import MONEY_FORMAT, THIN_BORDER, box, font, put
from xltargets.consolidate.page import print_wide

__all__ = ["SHEET_NAME", "TOTAL_LABEL", "write_funds_sheet"]

SHEET_NAME = "资金汇总"
TOTAL_LABEL = "合计"

_GROUPS = (("项目资金", ("total", "total_fiscal", "total_other")),
           ("年度资金申请", ("annual", "annual_fiscal", "annual_carryover", "annual_other")))
_FIELDS = [f for _, fields in _GROUPS for f in fields]
_FIRST_AMOUNT_COL = 3
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def write_funds_sheet(ws: Worksheet, declaration: Declaration) -> dict[str, Decimal]:
    """Fill *ws*; return ``{cell: value}`` for the formula cells of the totals row."""
    ws.title = SHEET_NAME
    bold, body = font(bold=True), font()
    # two-row header: 项目 | 实施单位 | 项目资金 (3) | 年度资金申请 (4)
    for col, text in ((1, "项目"), (2, "实施单位")):
        put(ws, 1, col, text)
        box(ws, 1, col, 2, col, font_=bold, align=_CENTER)
    col = _FIRST_AMOUNT_COL
    for group, fields in _GROUPS:
        put(ws, 1, col, group)
        box(ws, 1, col, 1, col + len(fields) - 1, font_=bold, align=_CENTER)
        for f in fields:
            put(ws, 2, col, FUND_FIELDS[f])
            box(ws, 2, col, font_=bold, align=_CENTER)
            col += 1
    for r in (1, 2):
        for c in range(1, col):
            ws.cell(row=r, column=c).fill = _HEADER_FILL

    first = 3
    row = first
    for project in declaration.projects:
        put(ws, row, 1, project.name)
        put(ws, row, 2, project.unit)
        for c, f in enumerate(_FIELDS, start=_FIRST_AMOUNT_COL):
            amount = getattr(project.funds, f)
            if amount is not None:
                put(ws, row, c, amount, number_format=MONEY_FORMAT)
        for c in range(1, col):
            cell = ws.cell(row=row, column=c)
            cell.font, cell.border = body, THIN_BORDER
            cell.alignment = Alignment(vertical="center", wrap_text=c <= 2)
        row += 1
    last = row - 1

    cached: dict[str, Decimal] = {}
    put(ws, row, 1, TOTAL_LABEL)
    box(ws, row, 1, row, 2, font_=bold, align=_CENTER)
    for c, f in enumerate(_FIELDS, start=_FIRST_AMOUNT_COL):
        letter = get_column_letter(c)
        cell = ws.cell(row=row, column=c)
        cell.value = f"=SUM({letter}{first}:{letter}{last})" if last >= first else "=0"
        cell.number_format = MONEY_FORMAT
        cell.font, cell.border = bold, THIN_BORDER
        cached[cell.coordinate] = sum(
            (getattr(p.funds, f) or Decimal(0) for p in declaration.projects), Decimal(0)
        )
    total_row = row

    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 22
    for c in range(_FIRST_AMOUNT_COL, col):
        ws.column_dimensions[get_column_letter(c)].width = 17
    ws.row_dimensions[2].height = 30
    ws.freeze_panes = ws.cell(row=first, column=_FIRST_AMOUNT_COL)
    if last >= first:
        _add_chart(ws, first, last, anchor=f"A{total_row + 2}")
    print_wide(ws, header_rows="1:2")
    return cached


def _add_chart(ws: Worksheet, first: int, last: int, *, anchor: str) -> None:
    """Horizontal bars: 年度资金申请总额 by project (project names read well on the axis)."""
    annual_col = _FIRST_AMOUNT_COL + _FIELDS.index("annual")
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = "年度资金申请总额（元）"
    chart.legend = None
    chart.y_axis.numFmt = MONEY_FORMAT
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"  # first project on top, as in the table
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    data = Reference(ws, min_col=annual_col, min_row=first, max_row=last)
    cats = Reference(ws, min_col=1, min_row=first, max_row=last)
    chart.add_data(data, titles_from_data=False)
    chart.set_categories(cats)
    chart.width = 24
    chart.height = min(4 + 1.2 * (last - first + 1), 30)
    ws.add_chart(chart, anchor)
