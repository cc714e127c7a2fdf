"""What a value becomes in a cell, so that it reads back exactly as given.

Every writer (XlsxWriter for new workbooks, openpyxl for edits) asks
:func:`cell_value` what to store:

* text stays text: a string that Excel would take for a formula (``=1+1``), a
  number (``0012``, ``1e5``) or a date (``7.11``, ``2024-01-01``) is stored as
  a string cell with the quote prefix, so editing it in Excel does not turn it
  into something else; characters XML cannot carry are dropped; text over
  Excel's 32,767 characters is refused;
* numbers are stored as Excel stores them (a double): an amount with more
  significant digits than Excel keeps exactly (15) is refused rather than
  rounded, so the cents are never lost silently;
* dates and booleans keep their type.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Callable

from ..errors import WorkbookError
from ..memo import remembered
from ..text import EXCEL_DIGITS, drop_control_characters, looks_like_non_text

__all__ = [
    "write_value",
    "cell_value",
    "text_cell",
    "excel_number",
    "clean_text",
    "looks_like_non_text",
    "MAX_CELL_TEXT",
    "MAX_DIGITS",
    "TEXT",
    "NUMBER",
    "DATE",
    "BOOL",
]

#: Excel's limit on the characters in one cell.
MAX_CELL_TEXT = 32767
#: significant digits Excel keeps (and shows) exactly
MAX_DIGITS = EXCEL_DIGITS

#: kinds of cell :func:`cell_value` gives (None: an empty cell)
TEXT, NUMBER, DATE, BOOL = "s", "n", "d", "b"

#: remembered answers: the same texts recur on every form
_looks_like_non_text = remembered(1 << 16)(looks_like_non_text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """*text* without the characters XML cannot carry: control characters dropped, a lone surrogate (a file name
    not in UTF-8 on Linux, such as a GBK name from a Windows zip) shown as U+FFFD."""
    text = drop_control_characters(text)
    return _SURROGATE.sub("\ufffd", text) if not text.isascii() and _SURROGATE.search(text) else text


def _where(where) -> str:
    """The cell named by *where*: a string, a function making it, or (sheet, row, column)."""
    if where is None:
        return ""
    if isinstance(where, tuple):
        from .refs import quote_sheet

        sheet, row, col = where
        return f"{quote_sheet(sheet)}!{_column_letter(col)}{row}"
    return where() if callable(where) else where


def _column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def excel_number(value: int | float | Decimal, where: str | Callable[[], str] | None = None) -> int | float:
    """*value* as the double Excel stores; refused when that would change it."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise WorkbookError(
                f"单元格 {_where(where)} 的数值“{value}”不是有限的数，无法写入 Excel。",
                hint="改为普通金额，如 1000000.00。",
            )
        digits = value.normalize().as_tuple()
        significant = len(digits.digits) if any(digits.digits) else 1
        if significant > MAX_DIGITS:
            raise WorkbookError(
                f"单元格 {_where(where)} 的数值 {value} 有 {significant} 位有效数字，"
                f"超过 Excel 能精确保存和显示的 {MAX_DIGITS} 位，写入后会丢失尾数（如角、分）。",
                hint="核对该金额：Excel 只能精确保存 15 位有效数字以内的数（带两位小数时为 9,999,999,999,999.99 以内）。",
            )
        return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)
    if isinstance(value, int) and abs(value) >= 10**MAX_DIGITS:
        raise WorkbookError(
            f"单元格 {_where(where)} 的数值 {value} 超过 Excel 能精确保存的 {MAX_DIGITS} 位有效数字。",
            hint="核对该数值。",
        )
    return value


def cell_value(value, where: str | Callable[[], str] | None = None) -> tuple[str | None, object, bool]:
    """(kind, value to store, quote prefix) for *value*; kind None means an empty cell.

    *where* names the cell in messages (a string, or a function making it).
    """
    if value is None:
        return None, None, False
    cls = value.__class__
    if cls is str and len(value) <= MAX_CELL_TEXT:
        return text_cell(value)
    if cls is str or isinstance(value, str):
        text = clean_text(str(value))
        if not text:
            return None, None, False
        if len(text) > MAX_CELL_TEXT:
            raise WorkbookError(
                f"单元格 {_where(where)} 的文字有 {len(text)} 个字符，超过 Excel 单元格 {MAX_CELL_TEXT} 个字符的上限："
                f"“{text[:20]}…”。",
                hint="缩短这段文字（例如年度总体目标）后重试。",
            )
        return TEXT, text, _looks_like_non_text(text)
    if isinstance(value, bool):
        return BOOL, value, False
    if isinstance(value, (int, float, Decimal)):
        return NUMBER, excel_number(value, where), False
    if isinstance(value, (dt.date, dt.datetime)):
        return DATE, value, False
    return cell_value(str(value), where)


@remembered(1 << 16)
def text_cell(value: str) -> tuple[str | None, str | None, bool]:
    """:func:`cell_value` of a str of at most :data:`MAX_CELL_TEXT` characters, remembered (the same texts
    recur on every form); a writer's inner loop may call it directly for such a str."""
    text = clean_text(value)
    if not text:
        return None, None, False
    return TEXT, text, _looks_like_non_text(text)


def write_value(cell, value) -> None:
    """Put *value* into an openpyxl *cell*: None/'' → empty, numbers and dates typed, text as text."""
    kind, stored, quote = cell_value(value, lambda: cell.coordinate)
    cell.value = stored if kind != NUMBER or not isinstance(value, Decimal) else value
    if kind == TEXT:
        cell.data_type = "s"  # never a formula, whatever the first character
        if quote:
            cell.quotePrefix = True
