"""Cell helpers shared by the 汇总表 sheets: safe text, styles, merged boxes.

Text that Excel would read as a formula, number or date (``=10.00(所)``,
``7.11世界人口日…``, ``0012``) is written as text and marked with a quote
prefix, so it stays text when a user edits the cell.
"""

from __future__ import annotations

import datetime as dt
import functools
from copy import copy
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from ..text import looks_like_non_text

__all__ = [
    "Styler",
    "RowFiller",
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


_KEEP = object()


class Styler:
    """Gives cells fonts, borders, fills, alignments and number formats, remembering the result.

    Assigning ``cell.font = f`` makes openpyxl hash *f* to find it in the
    workbook's font table; for a hundred thousand cells that is most of the
    time of writing a sheet. The first cell with a given style and given
    attributes is styled the ordinary way; later ones get a copy of its style
    array: the same tables, the same cells. Attributes are remembered by
    identity: pass the same (module-level or per-sheet) objects each time.
    """

    def __init__(self) -> None:
        self._done: dict[tuple, object] = {}
        self._keep: list = []  # the objects whose ids are in the keys stay alive

    def __call__(self, cell: Cell, *, font=_KEEP, border=_KEEP, fill=_KEEP, alignment=_KEEP, number_format=_KEEP) -> Cell:
        st = cell._style
        key = (tuple(st) if st is not None else None, id(font), id(border), id(fill), id(alignment), number_format)
        done = self._done.get(key)
        if done is not None:
            cell._style = copy(done)
            return cell
        if font is not _KEEP:
            cell.font = font
        if border is not _KEEP:
            cell.border = border
        if fill is not _KEEP:
            cell.fill = fill
        if alignment is not _KEEP:
            cell.alignment = alignment
        if number_format is not _KEEP:
            cell.number_format = number_format
        self._keep.append((font, border, fill, alignment))
        self._done[key] = copy(cell._style)
        return cell


class RowFiller:
    """``put(ws, r, c, value, number_format=…)`` then ``cell.font = font`` for many new cells, fast.

    Texts and amounts (the bulk of a table) get their style array from the
    first cell of the same kind (quote prefix or not, number format, font):
    that one is written the ordinary way, so the workbook's tables fill in
    the same order. Anything else, or a cell that already exists, goes the
    ordinary way.
    """

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.style = Styler()
        self._arrays: dict[tuple, object] = {}
        self._last = 0

    def __call__(self, r: int, c: int, value, *, font: Font, number_format: str | None = None) -> None:
        cells = self.ws._cells
        if (r, c) in cells or not (value is None or value == "" or value.__class__ in (str, Decimal)):
            cell = self.ws.cell(row=r, column=c)
            if value is not None and value != "":
                put(self.ws, r, c, value, number_format=number_format)
            self.style(cell, font=font)
            return
        cell = cells[(r, c)] = Cell(self.ws, row=r, column=c)
        if r > self._last:
            self._last = r
        if value is None or value == "":
            key = (None, id(font))
        elif value.__class__ is str:
            _store_text(cell, value)
            key = ("s", _looks_like_non_text(value), id(font))
        else:
            cell._value = value  # a Decimal: cell.value = value stores it as a number
            key = ("d", number_format or MONEY_FORMAT, id(font))
        array = self._arrays.get(key)
        if array is not None:
            cell._style = copy(array)
            return
        if key[0] == "s" and key[1]:
            cell.quotePrefix = True
        elif key[0] == "d":
            cell.number_format = key[1]
        self.style(cell, font=font)
        self._arrays[key] = copy(cell._style)

    def close(self) -> None:
        """Keep the sheet's row counter as ``ws.cell`` would have."""
        if self._last > self.ws._current_row:
            self.ws._current_row = self._last


@functools.lru_cache(maxsize=1 << 14)
def _looks_like_non_text(text: str) -> bool:
    return looks_like_non_text(text)


def _store_text(cell: Cell, value: str) -> None:
    """``cell.value = value`` for a str (openpyxl's checks included), then text whatever it looks like."""
    if len(value) <= 32767 and not ILLEGAL_CHARACTERS_RE.search(value):
        cell._value = value
    else:
        cell.value = value
    cell.data_type = "s"


def put(ws: Worksheet, row: int, col: int, value, *, number_format: str | None = None) -> Cell:
    """Write *value* to (row, col); a str is always stored as text, never as a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        _store_text(cell, value)
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
