"""The one adapter to desktop-only xlwings: everything else takes a ``Book``.

``Book.caller()`` lives here and nowhere else, so the ribbon actions also
run on xlwings' remote engine (tests, and later xlwings Server for Excel on
the web and Mac). Features an engine lacks (the status bar, reading fill
colours, opening a file) degrade to doing nothing instead of failing.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import xlwings as xw

__all__ = [
    "caller_book",
    "show_status",
    "fill_of",
    "open_workbook",
    "copy_sheets_from",
    "is_desktop",
    "Protection",
    "protection",
    "is_read_only",
    "print_to_pdf",
    "relink_to_self",
]

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


@dataclass(frozen=True)
class Protection:
    """What of a workbook Excel would refuse to change."""

    structure: bool = False  # sheets cannot be added, renamed or deleted
    sheets: list[str] = field(default_factory=list)  # visible sheets whose cells are locked


def protection(book: xw.Book) -> Protection:
    """The workbook's protection (desktop Excel; other engines cannot tell and report none)."""
    if not is_desktop(book):
        return Protection()
    structure = bool(book.api.ProtectStructure)
    sheets = [s.name for s in book.sheets if s.visible and bool(s.api.ProtectContents)]
    return Protection(structure=structure, sheets=sheets)


def is_read_only(book: xw.Book) -> bool:
    """True when Excel opened the workbook read-only (changes cannot be saved to its file)."""
    return is_desktop(book) and bool(book.api.ReadOnly)


def print_to_pdf(book: xw.Book, workbook: Path, out: Path) -> Path:
    """Print the workbook file *workbook* (the printable 汇总表: its form sheets only, 汇总表 and one
    sheet per further form kind) to the PDF *out* with Excel's own export.

    Opens the file in the same Excel, exports to a temporary file beside
    *out* and renames it over *out* only when complete, then closes it.
    """
    app = book.app
    src = app.books.open(str(workbook))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".pdf", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        src.to_pdf(str(tmp))  # every sheet, in order
        os.replace(tmp, out)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
        src.close()
    return out


def relink_to_self(book: xw.Book, scratch: Path) -> None:
    """Desktop Excel: any link left to the scratch workbook file *scratch* is changed to *book* itself.

    Names are re-pointed before this (``actions.keep_whole``); this catches
    what else a sheet copy may carry (a formula with a direct reference).
    """
    if not is_desktop(book) or not Path(book.fullname).is_absolute():
        return  # an unsaved workbook has no file to link to; its names were re-pointed already
    links = book.api.LinkSources(1) or ()  # xlExcelLinks
    for link in links:
        if Path(str(link)).name == scratch.name:
            book.api.ChangeLink(str(link), book.fullname, 1)
