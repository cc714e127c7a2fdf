"""Writing one value into a cell so that it reads back exactly as given.

Text stays text: a string that Excel would take for a formula (``=1+1``), a
number (``0012``, ``1e5``) or a date (``7.11``, ``2024-01-01``) is stored as a
string and marked with the quote prefix, so editing the cell in Excel does
not turn it into something else. Characters XML cannot carry are dropped.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openpyxl.cell.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ..errors import WorkbookError
from ..text import looks_like_non_text

__all__ = ["write_value", "looks_like_non_text", "MAX_CELL_TEXT"]

#: Excel's limit on the characters in one cell.
MAX_CELL_TEXT = 32767

def write_value(cell: Cell, value) -> None:
    """Put *value* into *cell*: None/'' → empty, numbers and dates typed, text as text."""
    if value is None or value == "":
        cell.value = None
        return
    if isinstance(value, bool):
        cell.value = value
        return
    if isinstance(value, (int, float, Decimal, dt.date, dt.datetime)):
        cell.value = value
        return
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if len(text) > MAX_CELL_TEXT:
        raise WorkbookError(
            f"单元格 {cell.coordinate} 的文字有 {len(text)} 个字符，超过 Excel 单元格 {MAX_CELL_TEXT} 个字符的上限："
            f"“{text[:20]}…”。",
            hint="缩短这段文字（例如年度总体目标）后重试。",
        )
    if not text:
        cell.value = None
        return
    cell.value = text
    cell.data_type = "s"  # never a formula, whatever the first character
    if looks_like_non_text(text):
        cell.quotePrefix = True
