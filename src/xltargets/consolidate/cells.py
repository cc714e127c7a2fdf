"""Cell helpers shared by the 汇总表 sheets (XlsxWriter): safe text, formats, merged boxes.

Every value goes through :func:`xltargets.workbook.values.cell_value`: text
that Excel would read as a formula, number or date (``=10.00(所)``,
``7.11世界人口日…``, ``0012``) is written as a string cell with the quote
prefix, so it stays text when a user edits the cell; amounts are refused
rather than rounded when Excel cannot keep them exactly.
"""

from __future__ import annotations

from typing import Any

from ..workbook.values import BOOL, DATE, NUMBER, TEXT, cell_value, looks_like_non_text

__all__ = [
    "Formats",
    "FONT_NAME",
    "MONEY_FORMAT",
    "DATE_FORMAT",
    "BOX",
    "font",
    "put",
    "box",
    "looks_like_non_text",
]

#: CJK font of every generated sheet (LibreOffice maps it to an installed CJK face).
FONT_NAME = "宋体"
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"

#: a thin black border on every side
BOX = {"left": 1, "right": 1, "top": 1, "bottom": 1, "left_color": "#000000", "right_color": "#000000",
       "top_color": "#000000", "bottom_color": "#000000"}


def font(size: float = 10.5, *, bold: bool = False) -> dict[str, Any]:
    props: dict[str, Any] = {"font_name": FONT_NAME, "font_size": size}
    if bold:
        props["bold"] = True
    return props


class Formats:
    """One XlsxWriter format per distinct set of properties."""

    def __init__(self, workbook):
        self.workbook = workbook
        self._made: dict[tuple, Any] = {}
        self._by_style: dict[tuple, Any] = {}
        self._keep: list = []  # the style dicts whose ids are keys of _by_style stay alive

    def of(self, style: dict | None, quote: bool = False, num_format: str | None = None) -> Any:
        """``self(style, quote_prefix=…, num_format=…)``, remembered by the identity of *style* (pass the same dict)."""
        key = (id(style), quote, num_format)
        fmt = self._by_style.get(key)
        if fmt is None:
            extra: dict[str, Any] = {}
            if quote:
                extra["quote_prefix"] = True
            if num_format:
                extra["num_format"] = num_format
            fmt = self._by_style[key] = self(style, extra)
            self._keep.append(style)
        return fmt

    def __call__(self, *parts: dict | None, **extra) -> Any:
        props: dict[str, Any] = {}
        for p in parts:
            if p:
                props.update(p)
        props.update(extra)
        key = tuple(sorted(props.items()))
        fmt = self._made.get(key)
        if fmt is None:
            fmt = self._made[key] = self.workbook.add_format(props)
        return fmt


def put(ws, fmts: Formats, row: int, col: int, value, style: dict | None = None, *,
        number_format: str | None = None, sheet: str = "") -> None:
    """Write *value* to (row, col) (1-based) with *style*; a str is always a string cell, never a formula."""
    kind, stored, quote = cell_value(value, (sheet, row, col))
    r, c = row - 1, col - 1
    if kind == TEXT:
        ws.write_string(r, c, stored, fmts.of(style, quote))
    elif kind == NUMBER:
        ws.write_number(r, c, stored, fmts.of(style, False, number_format or MONEY_FORMAT))
    elif kind == DATE:
        ws.write_datetime(r, c, stored, fmts.of(style, False, number_format or DATE_FORMAT))
    elif kind == BOOL:
        ws.write_boolean(r, c, stored, fmts.of(style))
    elif style:
        ws.write_blank(r, c, None, fmts.of(style))


def box(ws, fmts: Formats, r1: int, c1: int, r2: int, c2: int, value, style: dict, **kw) -> None:
    """*value* in the top-left cell of the rectangle (1-based), every cell styled, merged when larger than one."""
    if (r1, c1) != (r2, c2):
        ws.merge_range(r1 - 1, c1 - 1, r2 - 1, c2 - 1, None)
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            if (r, c) == (r1, c1):
                put(ws, fmts, r, c, value, style, **kw)
            else:
                ws.write_blank(r - 1, c - 1, None, fmts.of(style))
