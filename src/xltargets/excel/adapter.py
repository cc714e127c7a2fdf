"""The one adapter to desktop-only xlwings: everything else takes a ``Book``.

``Book.caller()`` lives here and nowhere else, so the ribbon actions also
run on xlwings' remote engine (tests, and later xlwings Server for Excel on
the web and Mac). Features an engine lacks (the status bar, reading fill
colours, opening a file) degrade to doing nothing instead of failing.
"""

from __future__ import annotations

from pathlib import Path

import xlwings as xw

__all__ = ["caller_book", "show_status", "fill_of", "open_workbook", "copy_sheets_from", "is_desktop"]

_UNSUPPORTED = (NotImplementedError, AttributeError)


def caller_book() -> xw.Book:
    """The workbook whose ribbon button was clicked (desktop Excel)."""
    return xw.Book.caller()


def is_desktop(book: xw.Book) -> bool:
    """True for desktop Excel (COM or AppleScript), False for the remote engine."""
    return book.app.engine.name == "excel"


def show_status(book: xw.Book, text: str) -> None:
    """Put *text* in Excel's status bar (ignored where the engine has none)."""
    try:
        book.app.status_bar = text
    except _UNSUPPORTED:
        pass


def fill_of(rng: xw.Range) -> str | None:
    """A cell's fill as ``#rrggbb``, or None for no fill or an engine that cannot tell."""
    try:
        color = rng.color
    except _UNSUPPORTED:
        return None
    if color is None:
        return None
    if isinstance(color, str):
        return color.lower()
    r, g, b = color
    return f"#{r:02x}{g:02x}{b:02x}"


def open_workbook(book: xw.Book, path: Path) -> None:
    """Open *path* in the same Excel (desktop only; elsewhere the file is only written)."""
    if is_desktop(book):
        book.app.books.open(str(path))


def copy_sheets_from(book: xw.Book, path: Path, names: list[str]) -> bool:
    """Copy sheets *names* of the workbook file *path* after the last sheet of *book*, formats and all.

    Desktop Excel only (returns False elsewhere, and the caller writes values instead).
    """
    if not is_desktop(book):
        return False
    app = book.app
    alerts = app.display_alerts
    app.display_alerts = False  # name conflicts resolve to the book's own names (the same lists)
    src = app.books.open(str(path))
    try:
        for name in names:
            src.sheets[name].copy(after=book.sheets[len(book.sheets) - 1], name=name)
    finally:
        src.close()
        app.display_alerts = alerts
    return True
