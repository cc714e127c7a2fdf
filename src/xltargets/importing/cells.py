"""Turning raw cell values (from TSV or a workbook) into text, labels, money and dates."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Context, Decimal, InvalidOperation

from ..memo import remembered

__all__ = [
    "normalise_label",
    "label_of",
    "strip_html",
    "parse_money",
    "parse_date",
    "MoneyError",
    "DateError",
]

_HTML_TAG = re.compile(r"</?(?:p|br|span|div|b|i|u|strong|em|font)(?:\s[^<>]*)?/?>", re.IGNORECASE)
_WS = re.compile(r"\s+")
_MONEY = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


class MoneyError(ValueError):
    """A funds cell that is not an amount."""


class DateError(ValueError):
    """A date cell that is not a date."""


def strip_html(text: str) -> tuple[str, bool]:
    """Remove literal ``<p>…</p>``-style tags; return (text, whether any were removed)."""
    if "<" not in text:  # every tag starts with it
        return text, False
    cleaned = _HTML_TAG.sub("", text)
    if cleaned == text:
        return text, False
    return cleaned.replace("&nbsp;", " ").replace("&amp;", "&").strip(), True


_LABEL_TRANS = str.maketrans({"（": "(", "）": ")", ":": "：", "／": "/"})


def normalise_label(text: str) -> str:
    """A label as compared: no whitespace, no tags, ASCII brackets, full-width colon."""
    # each step only where it changes something (a tag needs "<"; str.split() splits at
    # exactly the characters re's \s matches)
    label = strip_html(text)[0] if "<" in text else text
    label = "".join(label.split())
    if "（" in label or "）" in label or ":" in label or "／" in label:
        label = label.translate(_LABEL_TRANS)
    if label is text:
        label = "".join((text, ""))  # a new str, as translate() always gave
    return label


#: :func:`normalise_label`, remembered: labels and values repeat across thousands of forms
label_of = remembered(1 << 16)(normalise_label)


@remembered(1 << 12)
def parse_money(text: str) -> tuple[Decimal | None, bool]:
    """``'1,391,700.00'`` → ``Decimal('1391700.00')``; '' → None.

    Returns (amount, tolerated) where *tolerated* says that decoration (元, ¥,
    spaces) was removed. Raises :class:`MoneyError` for text that is no amount.
    Amounts are kept to the cent (two decimals) unless written with more. Remembered per
    text (amounts such as 0 repeat on every form; a Decimal is immutable, so it is shared).
    """
    raw = text.strip()
    if not raw:
        return None, False
    t = raw.replace("，", ",").replace("．", ".")
    decorated = False
    for deco in ("¥", "￥", "元", "人民币", " ", "\u3000"):
        if deco in t:
            t = t.replace(deco, "")
            decorated = True
    if not t or not _MONEY.match(t):
        raise MoneyError(raw)
    try:
        amount = Decimal(t.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - regex guarantees digits
        raise MoneyError(raw) from exc
    shape = amount.as_tuple()
    if shape.exponent >= -2:
        # exact for any number of digits (the default context holds 28: a 27-digit amount failed):
        # at most two zeros are appended, nothing is rounded, so any context with room for every
        # digit gives the same amount; writers refuse what Excel cannot keep exactly
        # (xltargets.workbook.values.excel_number)
        digits = len(shape.digits)
        amount = amount.quantize(_CENT, context=_CENTS if digits <= 24 else Context(prec=digits + 4))
    return amount, decorated


_CENT = Decimal("0.01")
#: room for an amount of up to 24 digits and its cents (the default context's 28 digits)
_CENTS = Context(prec=28)


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


@remembered(1 << 12)
def parse_date(text: str) -> tuple[dt.date | None, bool]:
    """``2024-01-01``, ``2026/1/1``, ``2024年1月1日``, ``20240101`` → date; '' → None.

    Returns (date, from_serial): a bare number between 1 and 2958465 is read as
    an Excel serial date (1900 system) and flagged. Raises :class:`DateError`. Remembered per
    text (a date is immutable).
    """
    raw = text.strip()
    if not raw:
        return None, False
    for pat in _DATE_PATTERNS:
        m = pat.match(raw)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                return dt.date(y, mo, d), False
            except ValueError as exc:
                raise DateError(raw) from exc
    if re.fullmatch(r"\d{4,5}(?:\.0+)?", raw):
        serial = int(float(raw))
        if 20000 <= serial <= 80000:
            return dt.date(1899, 12, 30) + dt.timedelta(days=serial), True
    raise DateError(raw)
