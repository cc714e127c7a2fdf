"""Reading sheets into grids and writing plain tables, on any xlwings engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import xlwings as xw

from ..pipeline import ADDIN_SHEETS, Sheet
from ..text import looks_like_non_text

__all__ = ["used_size", "sheet_values", "book_sheets", "as_cell_text", "write_rows", "ensure_sheet", "OWN_SHEETS"]

#: sheets the add-in writes itself; never read as project sheets
RESULTS_SHEET, MARKS_SHEET = ADDIN_SHEETS
OWN_SHEETS = ADDIN_SHEETS

def used_size(sheet: xw.Sheet, file: str = "") -> tuple[int, int]:
    """Rows and columns from A1 to the end of the sheet's used range, refused past the CLI's limits *before*
    a value is read: a used range to XFD1048576 (a stray value far away, or a crafted file) asked Excel for
    17 billion values, and Excel, then this process, ran out of memory."""
    from ..importing.limits import LIMITS, refuse_sheet_size

    last = sheet.used_range.last_cell
    rows, cols = last.row, last.column
    if rows > LIMITS["rows"] or cols > LIMITS["cols"] or rows * cols > LIMITS["cells"]:
        refuse_sheet_size(Path(file or sheet.book.name), sheet.name, rows, cols)
    return rows, cols


def sheet_values(sheet: xw.Sheet, file: str = "", size: tuple[int, int] | None = None) -> list[list[Any]]:
    """The sheet's cells from A1 to the end of its used range (*size*: :func:`used_size`'s, measured before), as rows."""
    rows, cols = size or used_size(sheet, file)
    values = sheet.range((1, 1), (rows, cols)).options(ndim=2).value
    return values or []


def book_sheets(book: xw.Book, *, skip: Sequence[str] = OWN_SHEETS) -> list[Sheet]:
    """Every visible sheet except *skip*, as ``(name, values)`` for :func:`xltargets.pipeline.read_sheets`;
    the used ranges are measured, all of them, before any value is read."""
    from ..importing.limits import LIMITS, refuse_total_cells

    sheets = [sheet for sheet in book.sheets if sheet.name not in skip and sheet.visible]
    sizes = [used_size(sheet, book.name) for sheet in sheets]
    if (total := sum(r * c for r, c in sizes)) > LIMITS["total_cells"]:
        refuse_total_cells(Path(book.name), total)
    return [(sheet.name, sheet_values(sheet, book.name, size)) for sheet, size in zip(sheets, sizes)]


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
