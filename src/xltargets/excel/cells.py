"""Reading sheets into grids and writing plain tables, on any xlwings engine."""

from __future__ import annotations

from typing import Any, Sequence

import xlwings as xw

from ..pipeline import ADDIN_SHEETS, Sheet
from ..text import looks_like_non_text

__all__ = ["sheet_values", "book_sheets", "as_cell_text", "write_rows", "ensure_sheet", "OWN_SHEETS"]

#: sheets the add-in writes itself; never read as project sheets
RESULTS_SHEET, MARKS_SHEET = ADDIN_SHEETS
OWN_SHEETS = ADDIN_SHEETS

def sheet_values(sheet: xw.Sheet) -> list[list[Any]]:
    """The sheet's cells from A1 to the end of its used range, as rows."""
    last = sheet.used_range.last_cell
    values = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value
    return values or []


def book_sheets(book: xw.Book, *, skip: Sequence[str] = OWN_SHEETS) -> list[Sheet]:
    """Every visible sheet except *skip*, as ``(name, values)`` for :func:`xltargets.pipeline.read_sheets`."""
    return [(sheet.name, sheet_values(sheet)) for sheet in book.sheets if sheet.name not in skip and sheet.visible]


def as_cell_text(value: Any) -> Any:
    """A value to write: text that Excel would read as a formula, number, date or boolean (``0012``, ``1e5``),
    or whose apostrophe it would take as the text prefix, is kept as text."""
    if isinstance(value, str) and (value[:1] == "'" or looks_like_non_text(value)):
        return "'" + value
    return value


def write_rows(sheet: xw.Sheet, rows: Sequence[Sequence[Any]], *, formulas: Sequence[int] = ()) -> None:
    """Write *rows* from A1 in one go; columns in *formulas* may hold formulas, all else is text-safe."""
    width = max((len(r) for r in rows), default=0)
    table = [
        [cell if c in formulas else as_cell_text(cell) for c, cell in enumerate(list(row) + [None] * (width - len(row)))]
        for row in rows
    ]
    if table:
        sheet.range((1, 1)).value = table


def ensure_sheet(book: xw.Book, name: str, *, visible: bool = True) -> tuple[xw.Sheet, bool]:
    """The sheet *name* (cleared of contents) or a new one after the last sheet; True when new."""
    names = [s.name for s in book.sheets]
    if name in names:
        sheet = book.sheets[name]
        sheet.clear_contents()
        return sheet, False
    sheet = book.sheets.add(name=name, after=book.sheets[len(names) - 1])
    if not visible:
        sheet.visible = False
    return sheet, True
