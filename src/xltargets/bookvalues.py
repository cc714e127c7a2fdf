"""A workbook's values read by python-calamine, in the reader process (:mod:`xltargets.reader`).

The answer to ``{"op": "book", "path": …, "limits": {sheets, rows, cols, cells, total_cells, values_bytes}}``:
``("sheets", count, visible)`` (the visible worksheets' names, in order), then
``("sheet", name, values)`` for each of them (``to_python(skip_empty_area=False)``, pickled),
then ``("done",)``; or, in their place, ``("error", kind, *args)``, kind being ``password``,
``calamine`` (the first line of calamine's message, "" for a Rust panic, and the sheet or
None), ``no-sheets``, ``sheets`` (count), ``hidden`` (count), ``size`` (sheet, rows, columns),
``total`` (cells) or ``bytes`` (the pickled values past ``values_bytes``). A sheet's size is checked after ``get_sheet_by_name`` and before
``to_python``, which makes the rows and columns of its used range; hidden worksheets are measured (first) but not
sent. The parent
(:mod:`xltargets.importing.sources`) turns each error into its message.

Like :mod:`xltargets.pdfpages`, this module imports no part of xltargets' model.
"""

from __future__ import annotations

import pickle

import python_calamine as pc

__all__ = ["serve"]


class _Refused(Exception):
    pass


def _call(call, sheet: str | None = None):
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


def serve(request: dict, send) -> None:
    limits = request["limits"]
    try:
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
            # string in 8,000 cells makes 256 MB of values
            values = pickle.dumps(_call(lambda: sheet.to_python(skip_empty_area=False), name), pickle.HIGHEST_PROTOCOL)
            size += len(values)
            if size > limits["values_bytes"]:
                raise _Refused("bytes", size)
            send("sheet", name, values)
        send("done")
    except _Refused as refused:
        send("error", *refused.args)
