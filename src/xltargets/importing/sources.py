"""Opening input files safely and turning each sheet into a :class:`Grid`.

Formats are recognised by their bytes, not their names:

=========================  ==================================================
bytes                      read as
=========================  ==================================================
zip with xl/workbook.xml   xlsx / xlsm (python-calamine)
zip with xl/workbook.bin   xlsb (python-calamine)
zip with content.xml       ods (python-calamine)
OLE2 with Workbook/Book    xls, BIFF8/BIFF5 (python-calamine)
OLE2 with EncryptionInfo   refused: password-protected workbook
%PDF-                      PDF, its 绩效目标 tables (.pdf; named files only)
text                       TSV or CSV by content (UTF-8, UTF-16, GB18030; .delimited)
anything else              refused, naming what it looks like (image, HTML …)
=========================  ==================================================

Every file is opened through :mod:`.guard` (a regular file within the size
limit). python-calamine reads a workbook in the reader process
(:mod:`xltargets.reader`, :mod:`xltargets.bookvalues`), a child process with a
memory cap and a time limit: calamine aborts the whole process (no Python
exception) on a sheet whose used range is huge and follows a compound file whose
sector chains loop until memory runs out, and only that child dies. It checks
each worksheet's used range (hidden ones too) against the limits before it makes
the values, and sends the visible sheets' values here, where the error cells, formula texts, number formats and cell lengths
are added and checked. Before that, :mod:`.guard` (zipfile, olefile)
checks the file's structure and size, and hands each part it reads to
the error cells (:mod:`.errorcells`: calamine reads ``#REF!`` as empty).
Limits are in :data:`LIMITS` (docs/limits.md). Values only: no macro runs, no
external link is followed, formulas give their cached values, error cells
(``#REF!``) keep their error text.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import pickle
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .. import bookvalues, reader
from ..errors import InputError
from ..text import cell_text
from .cellref import cell_ref
from .delimited import CellTooLong, UndecodableText, decode, delimiter_of, iter_rows
from .errorcells import ErrorCells
from .formulas import formula_texts, ods_formula_texts
from .numfmt import BiffFormats, OdsFormats, SheetFormats, XlsbFormats, expect
from .grid import Grid
from .guard import check_cfb, check_zip, open_input
from .kinds import cfb_kind, zip_kind
from .limits import (LIMITS, Checked, SheetScan, password_error, path_error, reader_failure, refuse_cell_length, refuse_sheet_size,
                     refuse_total_cells)
from .ownfiles import DIFF_VALUE, VALUE, own_kind
from .textrows import TextRows

__all__ = ["read_grids", "grid_stream", "GridStream", "expand_sources", "Skipped", "classify", "open_workbook", "sheet_grids", "LIMITS", "SUPPORTED_SUFFIXES"]

#: the names a folder's files are read by (a file named directly is read by its bytes, whatever its name);
#: ``.et``: WPS 表格's own format, a compound file with the BIFF8 Workbook stream of an .xls
SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".et", ".ods", ".tsv", ".txt", ".csv")

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_RESAVE = "在 Excel/WPS 中打开并另存为 .xlsx 后再导入。"

#: other files people mistake for a workbook: leading bytes → what it is
_NOT_WORKBOOKS = (
    (b"\x89PNG", "图片（PNG）"),
    (b"\xff\xd8\xff", "图片（JPEG）"),
    (b"GIF8", "图片（GIF）"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"{\\rtf", "RTF 文档"),
)


@dataclass(frozen=True)
class Skipped:
    """A file in a folder that is not read, and why (the user is told: nothing is skipped silently)."""

    path: Path
    reason: str


def skip_reason(f: Path) -> str | None:
    """Why the file *f* of a folder is not read (None: it is read). ``check`` and ``consolidate`` agree."""
    if f.name.startswith("~$"):
        return "是 Excel/WPS 打开文件时留下的临时文件"
    if f.name.startswith("."):
        return "是隐藏文件"
    if f.suffix.lower() == ".pdf":
        return "是 PDF（文件夹中的 PDF 不读入，常是通知或上年的公开文件；要读它，请在命令中直接写出这个文件）"
    if f.suffix.lower() not in SUPPORTED_SUFFIXES:
        return f"不是可导入的格式（{f.suffix or '没有扩展名'}）"
    if not f.is_file():
        return "不是普通文件"
    kind = own_kind(f)
    if kind == VALUE:
        return "是 xltargets 生成的汇总表（不再读入，以免把旧汇总表重复汇总）"
    if kind == DIFF_VALUE:
        return "是 xltargets 生成的对比工作簿（对比上年的结果，不是申报表）"
    return None


def expand_sources(paths, skipped: list[Skipped] | None = None) -> list[Path]:
    """Files named, with folders expanded to the workbooks and TSV files inside them.

    The files of a folder that are not read are added to *skipped* with the reason.
    """
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        try:
            is_dir = p.is_dir()
        except OSError as exc:
            raise path_error(p, exc) from exc
        if is_dir:
            found, passed = [], []
            for f in sorted(p.iterdir()):
                reason = None if f.is_dir() else skip_reason(f)
                if reason is not None:
                    passed.append(Skipped(f, reason))
                elif not f.is_dir():
                    found.append(f)
            if skipped is not None:
                skipped.extend(passed)
            if not found:
                named = "；".join(f"“{s.path.name}”：{s.reason}" for s in passed[:5])
                more = f"等 {len(passed)} 个文件" if len(passed) > 5 else ""
                raise InputError(
                    f"文件夹“{p}”中没有申报表文件（工作簿或 TSV/CSV 文本）"
                    + (f"。跳过的文件{more}：{named}。" if passed else "。"),
                    hint="把各单位的申报表工作簿放进该文件夹，或直接列出文件名。",
                    path=str(p),
                    en=f"cannot read folder {p}: no workbook or TSV file in it",
                )
            out.extend(found)
        else:
            out.append(p)
    return out


def _sniff_text_workbook(path: Path, head: bytes) -> None:
    """Refuse HTML tables and Excel 2003 XML saved under an Excel name."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or (
        text.startswith(b"<") and b"<html" in text[:2048]
    ):
        raise InputError(
            f"“{path.name}”是网页（HTML）格式，不是真正的 Excel 工作簿（常见于系统导出的 .xls）。",
            hint=_RESAVE,
            path=str(path),
            en=f"cannot read {path.name}: an HTML page saved with a spreadsheet name; save it as .xlsx in Excel/WPS",
        )
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in text[:4096]:
        raise InputError(
            f"“{path.name}”是 Excel 2003 XML 表格格式，不能直接导入。",
            hint=_RESAVE,
            path=str(path),
            en=f"cannot read {path.name}: an Excel 2003 XML spreadsheet; save it as .xlsx in Excel/WPS",
        )


def classify(path: Path):
    """What *path* holds, by its bytes: ``"tsv"``, ``"pdf"``, or the checked package / compound file.

    Raises :class:`InputError` for a missing, empty, oversized, special, broken or unsafe file.
    """
    try:
        with open_input(path) as fh:
            head = fh.read(8192)
            if head.startswith(_ZIP_MAGICS) or head.startswith(_CFB_MAGIC):  # checked, the parts the error cells want kept
                notes = ErrorCells()
                if head.startswith(_ZIP_MAGICS):
                    kind = zip_kind(path, check_zip(path, fh, notes))
                else:
                    ole, stream = check_cfb(path, fh)
                    kind = cfb_kind(path, ole, stream)
                    notes("Workbook", stream)
                return Checked(kind, notes.sheets(path, kind))
            if b"%PDF-" in head[:1024]:
                return "pdf"  # read by .pdf (published 部门预算公开 files)
    except OSError as exc:
        raise path_error(path, exc) from exc
    for magic, what in _NOT_WORKBOOKS:
        if head.startswith(magic):
            raise InputError(
                f"“{path.name}”是{what}，不是 Excel 工作簿。",
                hint="请提供 .xlsx / .xlsm / .xls 工作簿或 TSV 文本。",
                path=str(path),
                en=f"cannot read {path.name}: not a workbook ({magic[:4]!r}…)",
            )
    _sniff_text_workbook(path, head)
    return "tsv"


# --------------------------------------------------------------------------- TSV


def _decode(path: Path) -> str:
    """The text of a TSV/CSV file in its encoding (:func:`.delimited.decode`)."""
    data = b""
    try:
        with open_input(path) as fh:
            data = fh.read()
        return decode(data)[0]
    except UndecodableText as exc:
        if str(exc).startswith("utf-16"):
            raise InputError(
                f"“{path.name}”的文字编码无法识别（UTF-16 数据不完整）。",
                hint="另存为 UTF-8 编码的文本后再导入。",
                path=str(path),
                en=f"cannot read {path.name}: broken UTF-16 text",
            ) from exc
        if str(exc) == "binary":
            raise InputError(
                f"“{path.name}”不是文本，也不是可识别的工作簿。",
                hint="请提供 .xlsx / .xlsm / .xls 工作簿或 UTF-8 编码的 TSV/CSV 文本。",
                path=str(path),
                en=f"cannot read {path.name}: neither text nor a known workbook format",
            ) from exc
        if exc.at is not None and 0 < data.decode("utf-8", "replace").count("\ufffd") <= 16:  # UTF-8 but a few bytes
            line = len(re.split(rb"\r\n|\r|\n", data[: exc.at]))
            raise InputError(
                f"“{path.name}”的文字编码无法识别：是 UTF-8 文字，但第 {line} 行有不是 UTF-8 的字节（0x{data[exc.at]:02X}），"
                "也读不成 GB18030（GBK）。",
                hint=f"用记事本或 WPS 打开该文件，改正第 {line} 行中显示异常的字符，另存为 UTF-8 编码的文本后再导入。",
                path=str(path),
                en=f"cannot read {path.name}: line {line} holds byte 0x{data[exc.at]:02X}, which is not UTF-8 (the rest is)",
            ) from exc
        raise InputError(
            f"“{path.name}”的文字编码无法识别。",
            hint="另存为 UTF-8 编码的文本后再导入。",
            path=str(path),
            en=f"cannot read {path.name}: unknown text encoding (save as UTF-8)",
        ) from exc


def _tsv_grid(path: Path) -> Grid:
    text = _decode(path)
    delimiter = delimiter_of(text)
    # \r, \n and \r\n each end a line: rows and cells are bounded before a row is made
    lines = text.count("\n") + text.count("\r") - text.count("\r\n") + (not text.endswith(("\n", "\r")))
    if lines > LIMITS["rows"]:
        head = re.split(r"\r\n?|\n", text[:65536])
        refuse_sheet_size(path, None, lines, max(line.count(delimiter) + 1 for line in head))
    fields = text.count(delimiter) + lines  # at least the cells split_rows would make
    if fields > LIMITS["total_cells"]:
        refuse_total_cells(path, fields)
    if '"' not in text:  # the usual export: each row split from the text when it is asked for (.textrows)
        return _text_grid(path, TextRows(text, delimiter))
    try:  # TSV or CSV by content (.delimited); each row made into the grid's as it comes
        grid = Grid.from_values(iter_rows(text, delimiter), sheet=None, file=str(path))
    except CellTooLong as exc:  # a quoted field is stopped at the cell limit, not read whole
        refuse_cell_length(path, None, cell_ref(exc.row, exc.col), exc.length)
    del text
    rows = grid.rows
    width = max(map(len, rows), default=0)
    if len(rows) > LIMITS["rows"] or width > LIMITS["cols"] or sum(map(len, rows)) > LIMITS["cells"]:
        refuse_sheet_size(path, None, len(rows), width)
    return _check_cell_lengths(path, None, grid)


def _text_grid(path: Path, rows: TextRows) -> Grid:
    """The grid of *rows*, refused as :func:`_tsv_grid` refuses a grid of the same rows (its size,
    then its first cell over the length limit), without making a row whose line is within it."""
    width = cells = 0
    long = None  # the first row with a cell over the limit
    limit = LIMITS["cell_chars"]
    for r, (n, chars) in enumerate(rows.widths()):
        cells += n
        if n > width:
            width = n
        if chars > limit and long is None and max(map(len, rows[r])) > limit:
            long = r
    if len(rows) > LIMITS["rows"] or width > LIMITS["cols"] or cells > LIMITS["cells"]:
        refuse_sheet_size(path, None, len(rows), width)
    if long is not None:
        row = rows[long]
        c = next(c for c, v in enumerate(row) if len(v) > limit)
        refuse_cell_length(path, None, cell_ref(long, c), len(row[c]))
    return Grid(rows, sheet=None, file=str(path))


def _check_cell_lengths(path: Path, sheet: str | None, grid: Grid) -> Grid:
    """Refuse a cell longer than Excel allows; return *grid* (one C-level pass a row)."""
    limit = LIMITS["cell_chars"]
    for r, row in enumerate(grid.rows):
        if row and max(map(len, row)) > limit:
            c = next(c for c, v in enumerate(row) if len(v) > limit)
            refuse_cell_length(path, sheet, cell_ref(r, c), len(row[c]))
    return grid


# --------------------------------------------------------------------------- workbooks


def _calamine_error(path: Path, detail: str, sheet: str | None = None) -> InputError:
    """calamine's refusal (*detail*: the first line of its message, "" for a Rust panic) as the user's message."""
    where = f"的工作表“{sheet}”" if sheet else ""
    detail, detail_en = (detail, detail) if detail else ("文件结构异常", "its structure is invalid")
    return InputError(
        f"“{path.name}”{where}无法读取（{detail}）。",
        hint=_RESAVE,
        path=str(path),
        en=f"cannot read {path.name}{f' sheet {sheet}' if sheet else ''}: {detail_en}",
    )


#: the reader process's refusals of a workbook that are no limit of limits.py: kind → (message, fix, English)
_BOOK_REFUSALS = {
    "bytes": ("“{name}”的单元格内容共超过 {mb} MB，超出每个文件 {mb} MB 的上限，已拒绝读取（常见原因：大量单元格引用同一段很长的文字，或文件被人为改造）。",
              "删除与申报表无关的工作表和大段文字，或拆分为较小的文件后再导入。",
              "cannot read {name}: its cells hold more than {mb} MB of values, over the limit"),
    "no-sheets": ("“{name}”中没有工作表。", "请提供含申报表的工作簿。", "cannot read {name}: no sheets"),
    "sheets": ("“{name}”有 {n:,} 个工作表，超过 {limit:,} 个的上限。", "拆分工作簿后再导入。",
               "cannot read {name}: {n} sheets, more than the limit of {limit}"),
    "hidden": ("“{name}”中没有可见的工作表（{n} 个工作表全部被隐藏或不是普通工作表）。",
               "在 Excel/WPS 中右击工作表标签→取消隐藏，把含申报表的工作表显示出来后再导入。",
               "cannot read {name}: no visible worksheet (all hidden); unhide the 申报表 sheets"),
}


def _book_error(path: Path, kind: str, *args) -> InputError:
    """The message for the reader process's ``("error", kind, *args)`` on a workbook (:mod:`xltargets.bookvalues`)."""
    if kind == "password":
        return password_error(path)
    if kind == "size":
        refuse_sheet_size(path, *args)
    if kind == "total":
        refuse_total_cells(path, *args)
    if kind in _BOOK_REFUSALS:
        n, mb = (args[0] if args else 0), LIMITS["values_bytes"] // 2**20
        zh, hint, en = (text.format(name=path.name, n=n, mb=mb, limit=LIMITS["sheets"]) for text in _BOOK_REFUSALS[kind])
        return InputError(zh, hint=hint, path=str(path), en=en)
    return _calamine_error(path, *args)


def _book_frames(path: Path) -> Iterator[tuple]:
    """What the reader process sends of the workbook at *path*, past its first word: (count, visible
    names), then (name, pickled values) a visible worksheet. Its refusals and failures are raised as messages;
    a death names the sheet being read, the last one the reader process noted in *progress* as begun."""
    try:
        handle, progress = tempfile.mkstemp(prefix="xltargets-", suffix=".progress")
        os.close(handle)
    except OSError:  # no temporary folder: each sheet comes alone (xltargets.bookvalues)
        progress = None
    request = {
        "op": "book",
        "path": str(path),
        "progress": progress,
        "memory": LIMITS["reader_memory_bytes"],
        "limits": {k: LIMITS[k] for k in ("sheets", "rows", "cols", "cells", "total_cells", "values_bytes")},
    }
    visible, done = [], 0  # the sheets come in order: a death after *done* of them is in visible[done] or later
    try:
        with reader.session(request) as receive:
            deadline = time.monotonic() + LIMITS["read_seconds"]
            while (frame := receive(deadline - time.monotonic()))[0] != "done":
                if frame[0] == "error":
                    raise _book_error(path, *frame[1:])
                if frame[0] == "sheets":
                    visible = frame[2]
                    yield frame[1:]
                    continue
                for sheet in frame[1]:  # ("values", [(name, values), …])
                    done += 1
                    yield sheet
    except reader.ReaderFailure as failure:
        begun = 0
        with contextlib.suppress(OSError, TypeError):
            begun = os.path.getsize(progress)
        at = max(begun - 1, done)
        raise reader_failure(path, failure, sheet=visible[at] if at < len(visible) else None) from None
    finally:
        with contextlib.suppress(OSError, TypeError):
            os.unlink(progress)


def _value_text(value) -> str:
    """:func:`cell_text` of a value read from a workbook; a number no spreadsheet holds (NaN, an infinity: a crafted
    ``<v>NaN</v>``, ``1e400``) is Excel's ``#NUM!``, not a blank (an amount of NaN passed as empty)."""
    return "#NUM!" if value.__class__ is float and not math.isfinite(value) else cell_text(value)


def _scans_by_sheet(checked) -> dict[str, SheetScan]:
    """The error cells (and part) of each sheet, by name (:mod:`.errorcells`)."""
    return {s.name: s for s in getattr(checked, "sheets", []) if s.name is not None}


def open_workbook(path: Path) -> tuple[Iterator[tuple], list[str]]:
    """The reading of the workbook at *path* (already checked) by the reader process, and its
    visible worksheets' names, in order (refused when it has none, or too many sheets)."""
    book = _book_frames(path)
    _, visible = next(book)
    return book, visible


def sheet_grids(path: Path, book: Iterator[tuple], scans: dict[str, SheetScan], names: list[str] | None = None) -> Iterator[Grid]:
    """The visible worksheets of *book* (:func:`open_workbook`) as grids, in order.

    *scans* gives a sheet its part and error cells by position (:mod:`.errorcells`). The limits on
    the sheet's and the file's used range were checked by the reader process before it made the values.
    *names*: the sheets *book* will give, in order, when known (their number formats are then read ahead).
    """
    shared: dict = {}  # the sheets' number formats, read together on the first question (.numfmt)
    expect(shared, (scans[n].part for n in names or () if n in scans and scans[n].part.endswith(".xml")))
    limit = LIMITS["cell_chars"]
    with contextlib.closing(book):  # a reading left early (a refusal here) stops the reader process
        for name, pickled in book:
            lengths, text, odd = pickle.loads(pickled)  # bookvalues.texts: a plain str cell is its own text
            cells, scan = bookvalues.cells(lengths, text, odd, _value_text), scans.get(name)
            starts = [0, *itertools.accumulate(lengths)]
            formulas = {}
            if scan is not None and scan.errors:
                for (r, c), code in scan.errors.items():
                    if r < len(lengths) and c < lengths[r]:
                        i = starts[r] + c
                        if (odd[i] if i in odd else cells[i]) in ("", None):  # the value read, not its text
                            cells[i] = cell_text(code)
                # a typed =10.00(所) that became a formula: its text, not its error (.formulas)
                if scan.part.endswith(".xml"):
                    formulas = formula_texts(path, scan.part, scan.errors)
                else:  # an .xls: read from its records (.errorcells); None where the file lost the text
                    formulas = {pos: text or None for pos, text in scan.typed.items()}
                for (r, c), typed in formulas.items():
                    if typed and r < len(lengths) and c < lengths[r]:
                        cells[starts[r] + c] = cell_text(typed)
            grid = Grid.from_texts([cells[a:b] for a, b in zip(starts, starts[1:])], sheet=name, file=str(path))
            grid.formulas = formulas
            if scan is not None and scan.part.endswith(".xml"):
                grid.formats = SheetFormats(path, scan.part, shared)  # numbers as displayed (.numfmt), on demand
            yield _check_cell_lengths(path, name, grid) if cells and max(map(len, cells)) > limit else grid


def _workbook_grids(path: Path, checked, frames: list) -> Iterator[Grid]:
    """The grids of the workbook at *path*, made from the sheets the reader process sent (*frames*,
    received already: :func:`grid_stream`), each let go as its grid is made."""
    # the sheets to come, named to the number formats before their grids are made one at a time (.numfmt.expect)
    names = [name for name, _ in frames]
    book = _replay(frames)
    formats: dict = {}  # an ods or .xls: the numbers as displayed of all its sheets, read once (.numfmt)
    expect(formats, names or ())
    kind = getattr(checked, "kind", None)
    with contextlib.closing(book):
        if kind in ("xls", "xlsb"):
            formats_of = BiffFormats if kind == "xls" else XlsbFormats
            for grid in sheet_grids(path, book, _scans_by_sheet(checked), names):
                grid.formats = formats_of(path, grid.sheet or "", formats)
                yield grid
            return
        if kind != "ods":
            yield from sheet_grids(path, book, _scans_by_sheet(checked), names)
            return
        # ods: a typed =10.00(所) LibreOffice made a failed formula reads empty; its text instead (.formulas)
        failed = ods_formula_texts(path)
        for grid in sheet_grids(path, book, _scans_by_sheet(checked), names):
            texts = failed.get(grid.sheet or "", {})
            for (r, c), text in texts.items():
                if r < len(grid.rows) and c < len(grid.rows[r]) and not grid.rows[r][c]:
                    grid.rows[r][c] = text
                    grid.formulas[(r, c)] = text
            grid.formats = OdsFormats(path, grid.sheet or "", formats)
            yield grid


def _replay(frames: list) -> Iterator[tuple]:
    """The received *frames* in order, each let go as it is handed out."""
    frames.reverse()
    while frames:
        yield frames.pop()


class GridStream:
    """A workbook's visible sheets as grids, each made when it is come to (:func:`grid_stream`):
    ``len()`` is the number of sheets. Iterated once, or, made with *again*, as often as asked (the
    grids made afresh each time from what the reader process sent)."""

    def __init__(self, count: int, grids: Callable[[], Iterator[Grid]], *, again: bool = False) -> None:
        self._count, self._grids, self._again = count, grids, again

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Grid]:
        grids = self._grids
        if not self._again:
            self._grids = lambda: iter(())
        return grids()


def grid_stream(path: Path, checked=None, *, again: bool = False) -> "Sequence[Grid] | GridStream":
    """Every visible sheet of *path* as a grid (a TSV file is one grid; *checked*: what :func:`classify`
    said of *path*, when known), a workbook's made one sheet at a time as they are iterated (a
    :class:`GridStream`), so that a caller that reads each sheet's forms and lets them go
    never holds every sheet's cells as grids. The reader process's answer is received whole first
    (its sheets' values as sent, a fraction of their grids' size), within its time limit: how long
    the caller takes over each sheet does not count. Refusals of the file come here; a sheet's own
    (a cell over the length limit) when it is come to.

    *again*: the grids may be iterated more than once (``import`` counts the forms, then reads them):
    the reader process's answer is kept until the stream is let go; otherwise each sheet's is let go
    as its grid is handed out."""
    path = Path(path)
    if checked is None:
        checked = classify(path)
    if checked == "tsv":
        return [_tsv_grid(path)]
    if checked == "pdf":
        from .pdf import pdf_grids

        return pdf_grids(path)
    book, _ = open_workbook(path)
    with contextlib.closing(book):
        frames = list(book)
    if again:
        return GridStream(len(frames), lambda: _workbook_grids(path, checked, list(frames)), again=True)
    return GridStream(len(frames), lambda: _workbook_grids(path, checked, frames))


def read_grids(path: Path, checked=None) -> list[Grid]:
    """Every visible sheet of *path* as a grid (a TSV file is one grid): :func:`grid_stream`'s grids, all made.

    *checked* is what :func:`classify` said of *path*, when already known.
    """
    return list(grid_stream(path, checked))
