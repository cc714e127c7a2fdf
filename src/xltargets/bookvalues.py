"""A workbook's values read by python-calamine, in the reader process (:mod:`xltargets.reader`).

The answer to ``{"op": "book", "path": …, "progress": file, "limits": {sheets, rows, cols, cells, total_cells,
values_bytes}}``: ``("sheets", count, visible)`` (the visible worksheets' names, in order), then
``("values", [(name, values), …])`` frames of about :data:`_BATCH_BYTES` with each visible sheet in order
(``to_python(skip_empty_area=False)`` as :func:`texts` gives it, pickled), then ``("done",)``; or, in their
place, ``("error", kind, *args)``, kind being ``password``, ``calamine`` (the first line of calamine's message,
"" for a Rust panic, and the sheet or None), ``no-sheets``, ``sheets`` (count), ``hidden`` (count), ``size``
(sheet, rows, columns), ``total`` (cells) or ``bytes`` (the pickled values past ``values_bytes``). A sheet's
size is checked after ``get_sheet_by_name`` and before ``to_python``, which makes the rows and columns of its
used range; hidden worksheets are measured (first) but not sent. The last frame is what :func:`serve` returns.
Before it opens a visible sheet it appends a byte to the *progress* file, so that when it dies (memory, time)
the parent can name the sheet whatever frames were still to come; without that file each sheet is sent
alone. The parent (:mod:`xltargets.importing.sources`) turns each error into its message.

Like :mod:`xltargets.pdfpages`, this module imports no part of xltargets' model; the parent uses
:func:`cells` (python-calamine is imported only to serve).
"""

from __future__ import annotations

import contextlib
import itertools
import operator
import os
import pickle

__all__ = ["serve", "texts", "cells", "SEP"]

#: the sheets' values are sent in frames of about this size: a frame costs the parent a thread's wake-up
#: (~45 µs: 1,000 sheets sent one by one cost it 0.05 s of CPU, in frames of 200 kB 0.006 s)
_BATCH_BYTES = 256 * 1024

#: between two cells in a sheet's text: a Unicode noncharacter, which no file is meant to hold (a cell that
#: holds it is sent as a value)
SEP = "\ufdd0"


def texts(values: list, room: int):
    """A sheet's values (rows of cells) as ``(lengths, text, odd)``, cheap to send and to make into rows:
    *lengths* the rows' lengths; *text* every cell joined by :data:`SEP`, row after row, where a str that
    is its own text (:func:`xltargets.text.cell_text` would leave it as it is: no ``\\r``, no no-break
    space, no whitespace around it, no :data:`SEP`) stands as itself and any other cell as ``""``; *odd*
    the value of each of those other cells (numbers, dates, such text), by its index among all cells.
    None when the text is longer than *room* characters (each at least a byte when pickled)."""
    flat = list(itertools.chain.from_iterable(values))
    odd = {}
    # the cells that are no str (a few a sheet: amounts, dates), picked in C: a Python step a cell is what this saves
    for i in itertools.compress(itertools.count(), map(operator.is_not, map(type, flat), itertools.repeat(str))):
        odd[i], flat[i] = flat[i], ""
    text = SEP.join(flat)
    if len(text) > room:
        return None
    if "\r" in text or "\xa0" in text or text.count(SEP) != len(flat) - 1 or list(map(str.strip, flat)) != flat:
        for i, value in enumerate(flat):
            if value != value.strip() or "\r" in value or "\xa0" in value or SEP in value:
                odd[i], flat[i] = value, ""
        text = SEP.join(flat)
    return list(map(len, values)), text, odd


def cells(lengths: list, text: str, odd: dict, text_of) -> list:
    """Every cell's text, row after row, of what :func:`texts` gave: an odd cell's is ``text_of(value)``."""
    cells = text.split(SEP) if sum(lengths) else []
    for i, value in odd.items():
        cells[i] = text_of(value)
    return cells


class _Refused(Exception):
    pass


def _call(call, sheet: str | None = None):
    import python_calamine as pc  # imported by the reader process before a request (xltargets.reader)

    try:
        return call()
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException as exc:  # noqa: BLE001 - pyo3's PanicException derives from BaseException
        if isinstance(exc, pc.PasswordError):
            raise _Refused("password") from None
        panic = type(exc).__name__ == "PanicException" or not str(exc).strip()
        if panic and "pointer is null" in str(exc):  # pyo3: Python could not make a value (MemoryError under the cap)
            raise MemoryError from None
        raise _Refused("calamine", "" if panic else str(exc).strip().splitlines()[0][:160], sheet) from None


def serve(request: dict, send) -> tuple:
    progress = None
    if request.get("progress"):  # without a file to note the sheets begun in, each sheet is sent as it is read
        with contextlib.suppress(OSError):
            progress = os.open(request["progress"], os.O_WRONLY | os.O_APPEND | getattr(os, "O_BINARY", 0))
    try:
        return _serve(request, send, progress)
    finally:
        if progress is not None:
            os.close(progress)


def _serve(request: dict, send, progress: int | None) -> tuple:
    import python_calamine as pc

    limits, batch, pending = request["limits"], [], 0
    try:
        try:
            request["path"].encode()
        except UnicodeEncodeError:  # a name not in UTF-8 (a GBK name unzipped on Linux): calamine opens no such name
            with open(request["path"], "rb") as fh:
                wb = _call(lambda: pc.CalamineWorkbook.from_filelike(fh))
        else:
            wb = _call(lambda: pc.CalamineWorkbook.from_path(request["path"]))
        metas = _call(lambda: wb.sheets_metadata)
        visible = [m.name for m in metas if m.visible == pc.SheetVisibleEnum.Visible and m.typ == pc.SheetTypeEnum.WorkSheet]
        if not metas:
            raise _Refused("no-sheets")
        if len(metas) > limits["sheets"]:
            raise _Refused("sheets", len(metas))
        if not visible:
            raise _Refused("hidden", len(metas))
        total = size = 0
        # the hidden worksheets are measured too (before the names go, so a death here names no visible sheet),
        # not sent: new (in place) and normalize load the whole workbook, hidden sheets included, with openpyxl
        hidden = [m.name for m in metas if m.typ == pc.SheetTypeEnum.WorkSheet and m.name not in visible]
        for name in hidden + [None] + visible:
            if name is None:
                send("sheets", len(metas), visible)
                continue
            if progress is not None and name not in hidden:  # a byte a visible sheet begun: a death names it
                try:
                    os.write(progress, b".")
                except OSError:  # a full disk: the frames name the sheet from now on
                    progress = None
                    if batch:
                        send("values", batch)
                        batch, pending = [], 0
            sheet = _call(lambda: wb.get_sheet_by_name(name), name)
            height, width = sheet.height, sheet.width
            if height > limits["rows"] or width > limits["cols"] or height * width > limits["cells"]:
                raise _Refused("size", name, height, width)
            total += height * width
            if total > limits["total_cells"]:
                raise _Refused("total", total)
            if name in hidden:
                continue
            # pickled here, to bound what the parent will hold: a 40 kB file of one 32,000-character shared
            # string in 8,000 cells makes 256 MB of values (refused before they are joined: at least a byte a character)
            sent = texts(_call(lambda: sheet.to_python(skip_empty_area=False), name), limits["values_bytes"] - size)
            if sent is None:
                raise _Refused("bytes", limits["values_bytes"] + 1)
            values = pickle.dumps(sent, pickle.HIGHEST_PROTOCOL)
            size += len(values)
            if size > limits["values_bytes"]:
                raise _Refused("bytes", size)
            batch.append((name, values))
            pending += len(values)
            if progress is None or pending >= _BATCH_BYTES:
                send("values", batch)
                batch, pending = [], 0
        if batch:
            send("values", batch)
        return ("done",)
    except _Refused as refused:
        if batch:  # the sheets before it first, as the parent read them when each came alone
            send("values", batch)
        return ("error", *refused.args)
