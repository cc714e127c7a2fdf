"""Cell helpers shared by the 汇总表 sheets: safe text, styles, merged boxes.

Text that Excel would read as a formula, number or date (``=10.00(所)``,
``7.11世界人口日…``, ``0012``) is written as text and marked with a quote
prefix, so it stays text when a user edits the cell.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from xltargets.text import looks_like_non_text as _looks_like_non_text

__all__ = [
    "FONT_NAME",
    "MONEY_FORMAT",
    "DATE_FORMAT",
    "THIN_BORDER",
    "font",
    "put",
    "box",
    "looks_like_non_text",
]

#: CJK font of every generated sheet (LibreOffice maps it to an installed CJK face).
FONT_NAME = "宋体"
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"

_THIN = Side(style="thin", color="000000")
THIN_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)



def font(size: float = 10.5, *, bold: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold)


# the one heuristic (xltargets.text): the reference writes the same cells as text as the product
looks_like_non_text = _looks_like_non_text


def put(ws: Worksheet, row: int, col: int, value, *, number_format: str | None = None) -> Cell:
    """Write *value* to (row, col); a str is always stored as text, never as a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if looks_like_non_text(value):
            cell.quotePrefix = True
    elif isinstance(value, Decimal):
        cell.value = value
        cell.number_format = number_format or MONEY_FORMAT
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = number_format or DATE_FORMAT
    else:
        cell.value = value
        if number_format:
            cell.number_format = number_format
    return cell


def box(
    ws: Worksheet,
    r1: int,
    c1: int,
    r2: int | None = None,
    c2: int | None = None,
    *,
    font_: Font | None = None,
    align: Alignment | None = None,
    border: Border | None = THIN_BORDER,
) -> None:
    """Style every cell of the rectangle and merge it when larger than one cell.

    Merges are registered directly (``merged_cells.add``): openpyxl's
    ``merge_cells`` would clear the values of covered cells and is slow.
    """
    r2 = r1 if r2 is None else r2
    c2 = c1 if c2 is None else c2
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            cell = ws.cell(row=r, column=c)
            if font_ is not None:
                cell.font = font_
            if align is not None:
                cell.alignment = align
            if border is not None:
                cell.border = border
    if (r1, c1) != (r2, c2):
        ws.merged_cells.add(CellRange(min_row=r1, min_col=c1, max_row=r2, max_col=c2))
