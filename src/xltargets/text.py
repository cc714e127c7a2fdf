"""Text heuristics, in one place: how a cell value reads as text, and which text a
spreadsheet would not keep as text.

- :func:`cell_text` — a cell value (from TSV, calamine, openpyxl, or a UDF/ribbon
  argument from Excel, WPS or the remote engine) as the text a person sees.
  The importer, the rules and the worksheet functions all use it, so a UDF
  says what ``xltargets check`` says about the same cell.
- :func:`looks_like_non_text` — text that Excel/WPS would turn into a formula,
  number, boolean, date or time when typed into a cell. Every writer stores
  such text as a string cell with the quote prefix.
- :func:`has_control_characters` / :func:`drop_control_characters` — characters
  no xlsx cell may hold (XML 1.0).
- :func:`format_number` — a Decimal written with exactly the decimals given;
  :data:`EXCEL_DIGITS` — the digits of a number a spreadsheet keeps exactly.

Pure Python, standard library only.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, localcontext
from typing import Any

__all__ = [
    "cell_text",
    "looks_like_non_text",
    "has_control_characters",
    "CONTROL_CHARACTERS",
    "drop_control_characters",
    "format_number",
    "EXCEL_DIGITS",
]

#: significant digits Excel keeps of a number exactly (IEEE double: 15); a longer amount
#: loses its last digits (the cents) when written as a number
EXCEL_DIGITS = 15


def cell_text(value: Any) -> str:
    """Text of one cell as a person reads it.

    None → ``''``; numbers without a spurious ``.0`` (``10.0`` → ``'10'``) or a sum's binary noise
    (``0.30000000000000004`` → ``'0.3'``, as Excel shows it); NaN
    and infinities → ``''``; dates as ``YYYY-MM-DD``; booleans as ``TRUE`` /
    ``FALSE`` (what the cell shows); line breaks as ``\\n``; no-break spaces as
    spaces; text trimmed.
    """
    if value is None:
        return ""
    if value.__class__ is str:
        return value.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").strip()
    if isinstance(value, float):  # before the others: most cells that are no text are numbers
        if math.isnan(value) or math.isinf(value):
            return ""
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return _float_text(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, (int, Decimal)):
        return str(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").strip()


def _significant(text: str) -> int:
    return len(text.lstrip("-").split("e")[0].replace(".", "").lstrip("0"))


def _float_text(value: float) -> str:
    """A float as Excel shows it: a sum's binary noise gone (495435.09 + 44949.11 is 540384.2000000001, which Excel
    shows as 540384.2, at most 15 significant digits), a number that needs all 15 or more digits as it is (an
    amount past what Excel keeps is then flagged, not rounded away)."""
    text = repr(value)
    if len(text) <= EXCEL_DIGITS or _significant(text) <= EXCEL_DIGITS:
        return text
    short = format(value, f".{EXCEL_DIGITS}g")
    return short if _significant(short) < EXCEL_DIGITS else text


_NON_TEXT = re.compile(
    r"""^\s*(
        [-+]?[\d,.]*\d[\d,.]*(e[-+]?\d+)?\s*%?       # 12, 0012, .5, 1,000.5, 1e5, 50%, 12 %
      | [-+]?\d+[./\-年月]\d+([./\-月]\d+)?日?.*    # 7.11…, 2024-01-01, 2026/1/1, 3/4, 5月1日
      | \d+\s*[:：]\s*\d+.*                          # times: 12:30
      | (true|false)                                # booleans: TRUE
      | \(\s*\d[\d,.]*\s*\)                         # accounting negatives: (12) is -12
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def looks_like_non_text(text: str) -> bool:
    """True when Excel/WPS would read *text*, typed into a cell, as a formula, number,
    boolean, date or time (``=1+1``, ``0012``, ``TRUE``, ``(12)``, ``7.11世界人口日``)."""
    if not text:
        return False
    if text[0] in "=+-@":
        return True
    return _NON_TEXT.match(text) is not None


#: control characters no xlsx cell may hold (XML 1.0)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def has_control_characters(text: str) -> bool:
    """True when *text* holds a character no xlsx cell may hold."""
    return CONTROL_CHARACTERS.search(text) is not None


def drop_control_characters(text: str) -> str:
    """*text* without the characters no xlsx cell may hold (a \\x01 pasted from another system)."""
    return CONTROL_CHARACTERS.sub("", text) if CONTROL_CHARACTERS.search(text) else text


def format_number(number: Decimal, decimals: int) -> str:
    """``Decimal('10')``, 2 → ``'10.00'``; no thousands separators, no exponent; zero unsigned (``-0`` → ``'0'``)."""
    if number.is_zero():
        number = number.copy_abs()  # no reviewer writes -0 (nor Excel shows it): the canonical form is 0
    q = Decimal(1).scaleb(-decimals) if decimals else Decimal(1)
    digits = len(number.as_tuple().digits) + decimals + 2
    if digits <= 28:  # the default context is exact here
        return f"{number.quantize(q):f}"
    with localcontext() as ctx:  # exact for any length of digits
        ctx.prec = digits
        return f"{number.quantize(q):f}"
