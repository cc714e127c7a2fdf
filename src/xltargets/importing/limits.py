"""The limits past which an input is refused, and the messages a user then gets.

The numbers are data: docs/limits.md lists each with its message, and a test
(tests/test_reliability_limits.py) reads this table so the two cannot drift.
Every limit sits well above a real 申报表 (a few hundred rows per sheet, cells
of a few hundred characters) and well below what would exhaust memory.

Where each is enforced: ``file_bytes`` when a named file is opened (:mod:`.guard`);
``unzipped_bytes`` and ``zip_members`` by :mod:`.guard` (zipfile's own sizes) in this
process; ``sheets``, ``rows``, ``cols``, ``cells``, ``total_cells`` and ``values_bytes`` by
the reader process for a workbook (:mod:`xltargets.bookvalues`, python-calamine's sizes) before
it sends a sheet, and by :mod:`.sources` for TSV/CSV text; ``reader_memory_bytes`` as the reader
process's own memory cap and ``read_seconds`` / ``pdf_page_seconds`` as the parent's wait
(:mod:`xltargets.reader`); ``cell_chars`` in this process on the values received (:mod:`.sources`;
:mod:`.delimited` while it reads text); ``pdf_pages`` in the reader process
(:mod:`xltargets.pdfpages`). The
parts this process reads itself (error cells, number formats, formula texts) are bounded by
``total_cells`` too, hidden sheets included. :func:`reader_failure` turns the reader process's
failures into these messages.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from ..errors import InputError

__all__ = ["LIMITS", "SheetScan", "Checked", "refuse_sheet_size", "refuse_cell_length", "broken", "dtd_error", "password_error",
           "reader_failure", "path_error", "file_error", "zip_bomb", "zip_unreadable", "not_a_workbook"]

#: Limits past which an input is refused (docs/limits.md, README "Limits").
LIMITS: dict[str, int] = {
    "file_bytes": 100 * 1024 * 1024,  # size of one input file on disk
    "unzipped_bytes": 256 * 1024 * 1024,  # all parts of a package, unpacked
    "zip_members": 10_000,  # parts in one package
    "sheets": 4_000,  # sheets in one workbook (a department merging 1,000+ project sheets)
    "rows": 100_000,  # rows per sheet (up to the last cell holding a value)
    "cols": 16_384,  # columns per sheet (Excel's own maximum, XFD)
    "cells": 1_000_000,  # rows × columns of one sheet's used range
    "total_cells": 2_000_000,  # used-range cells of all sheets of one file together
    "cell_chars": 32_767,  # characters in one cell (Excel's own maximum)
    "pdf_pages": 2_000,  # pages of one PDF (a 部门预算公开 file has 20-60)
    "pdf_page_seconds": 10,  # seconds to read one PDF page (a form page takes ~0.05 s)
    "reader_memory_bytes": 1024 * 1024 * 1024,  # memory the reader process may take for one file, its own included
    "values_bytes": 64 * 1024 * 1024,  # one workbook's values as the reader process sends them (text as UTF-8; 1,000 projects: 2.4 MB)
    "read_seconds": 60,  # seconds the reader process may take for one workbook (1,000 project sheets take ~0.5 s)
}


def _sheet(sheet: str | None) -> str:
    return f"工作表“{sheet}”" if sheet else "文件"


def refuse_sheet_size(path: Path, sheet: str | None, rows: int, cols: int) -> NoReturn:
    """Raise the message for a sheet whose used range is past the limits."""
    raise InputError(
        f"“{Path(path).name}”的{_sheet(sheet)}数据区域至少有 {rows:,} 行 × {cols:,} 列，"
        f"超出上限（每个工作表 {LIMITS['rows']:,} 行、{LIMITS['cols']:,} 列、{LIMITS['cells']:,} 个单元格），已拒绝读取。",
        hint="删除表格下方和右侧多余的内容（选中多余的行/列后“删除”，不是“清除内容”），或拆分工作表后再导入。",
        path=str(path), en=f"cannot read {Path(path).name}{f' sheet {sheet}' if sheet else ''}: at least {rows:,} rows x {cols:,} columns, over the limit ({LIMITS['rows']:,} rows, {LIMITS['cols']:,} columns, {LIMITS['cells']:,} cells a sheet)",
    )


def refuse_total_cells(path: Path, cells: int) -> NoReturn:
    raise InputError(
        f"“{Path(path).name}”的各工作表共有 {cells:,} 个单元格，超出每个文件 {LIMITS['total_cells']:,} 个的上限，已拒绝读取。",
        hint="拆分为几个较小的工作簿后再导入。",
        path=str(path), en=f"cannot read {Path(path).name}: {cells:,} cells in all, over the limit of {LIMITS['total_cells']:,}",
    )


def refuse_cell_length(path: Path, sheet: str | None, ref: str, length: int) -> NoReturn:
    """Raise the message for a cell holding more text than Excel allows."""
    raise InputError(
        f"“{Path(path).name}”的{_sheet(sheet)}单元格 {ref} 有 {length:,} 个字符，"
        f"超过 Excel 单元格 {LIMITS['cell_chars']:,} 个字符的上限，已拒绝读取。",
        hint="缩短该单元格的文字（Excel 也无法完整显示和保存它）后再导入。",
        path=str(path), en=f"cannot read {Path(path).name}{f' sheet {sheet}' if sheet else ''}: cell {ref} holds {length:,} characters, over Excel's {LIMITS['cell_chars']:,}",
    )


@dataclass
class SheetScan:
    """One sheet's part and its error cells by position (:mod:`.errorcells`; calamine reads them as empty)."""

    name: str
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    part: str = ""  # the worksheet part of an xlsx or xlsb package
    #: an .xls: what a user typed in the FORMULA cells with an error, "" where the file lost it
    typed: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass
class Checked:
    """A workbook that passed the checks: its kind (xlsx, xlsb, ods, xls) and each sheet's error cells."""

    kind: str
    sheets: list[SheetScan] = field(default_factory=list)


_BROKEN_HINT = "在 Excel/WPS 中打开并另存为 .xlsx 后再导入；若无法打开，请向发件人索取原文件。"


def broken(path: Path, what: str, en: str) -> InputError:
    """A damaged file: the message (*what* in Chinese, *en* in English)."""
    return InputError(f"“{path.name}”已损坏（{what}），未做任何读取。", hint=_BROKEN_HINT, path=str(path),
                      en=f"cannot read {path.name}: damaged ({en}); nothing was read")


def dtd_error(path: Path, part: str) -> InputError:
    return InputError(
        f"“{path.name}”的“{part}”含有 DTD/实体定义（可用于 XML 炸弹），已拒绝读取。",
        hint="Excel、WPS 和 LibreOffice 保存的文件不会含有这种内容；请确认文件来源，或在 Excel/WPS 中另存后再导入。",
        path=str(path), en=f"cannot read {path.name}: {part} declares a DTD/entities (XML bomb); refused",
    )


def password_error(path: Path) -> InputError:
    return InputError(
        f"“{path.name}”受密码保护（已加密），无法读取。",
        hint="在 Excel/WPS 中打开，取消密码（文件→信息→保护工作簿→用密码进行加密→清空密码），另存后再导入。",
        path=str(path), en=f"cannot read {path.name}: password-protected; remove the password in Excel/WPS and save again",
    )


def reader_failure(path: Path, failure, fix: str | None = None, sheet: str | None = None) -> InputError:
    """The message for a file the reader process (:mod:`xltargets.reader`) failed, naming the *sheet* it was
    reading when known: out of memory (*fix*: what to do, for a PDF), out of time, crashed, or not started."""
    name, mb, seconds, detail = Path(path).name, LIMITS["reader_memory_bytes"] // 2**20, LIMITS["read_seconds"], failure.detail
    zh, en, hint = {
        "memory": (f"读取时所需内存超过 {mb} MB 的上限，已停止读取（常见原因：某个工作表的数据区域大得异常，如表格下方或右侧远处留有内容；"
                   "或文件已损坏、被人为改造）", f"reading it needs more than {mb} MB of memory (a huge used range, or a damaged or crafted file)",
                   fix or "删除表格下方和右侧多余的内容（选中多余的行/列后“删除”），在 Excel/WPS 中另存为 .xlsx 后再导入；若无法打开，请向发件人索取原文件。"),
        "time": (f"读取超过 {seconds} 秒的上限，已停止读取（文件结构异常或已损坏）", f"reading took longer than {seconds} s", _BROKEN_HINT),
        "start": None,
    }.get(failure.kind, (f"无法读取（文件结构异常，读取进程异常退出{f'，代码 {detail}' if detail.lstrip('-').isdigit() else ''}）",
                         f"its structure is invalid (the reader process failed: {detail})", _BROKEN_HINT)) or _not_started(detail)
    where, where_en = (f"的工作表“{sheet}”", f" sheet {sheet}") if sheet and failure.kind in ("memory", "time") else ("", "")
    return InputError(f"“{name}”{where}{zh}。", hint=hint, path=str(path), en=f"cannot read {name}{where_en}: {en}")


def _not_started(detail: str) -> tuple[str, str, str]:
    """The reader process did not start: the cause its *detail* tells (memory, processes, an antivirus, a
    moved Python …) and the fix for that cause; reinstalling only for a broken install."""
    from .. import reader
    from .readerstart import CAUSES, start_cause

    cause = start_cause(detail)
    zh, en, fix = CAUSES[cause]
    exe = reader.command()[0] if "{exe}" in fix else ""
    told = f"（{detail}）" if detail else ""
    return (f"无法读取：读取进程未能启动{told}，{zh}", f"the reader process did not start{f' ({detail})' if detail else ''}: {en}",
            fix.format(exe=exe))


# --------------------------------------------------------------------------- opening a file, a zip, a compound file


def path_error(path: Path, exc: OSError) -> InputError:
    """The user's message for an OSError while opening *path*."""
    if exc.errno == errno.ENAMETOOLONG:
        return InputError(f"文件名“{path.name[:40]}…”太长（{len(path.name)} 个字符），无法打开。", hint="把文件改成较短的名字后再导入。",
                          path=str(path), en=f"cannot read: the file name is too long ({len(path.name)} characters)")
    if exc.errno == errno.ENOENT:
        return InputError(f"找不到文件“{path}”。", hint="检查文件名和路径。", path=str(path), en=f"cannot read {path}: file not found")
    if isinstance(exc, PermissionError):
        return InputError(f"没有权限读取“{path.name}”。", hint="检查文件权限，或先把文件复制到自己的文件夹。", path=str(path),
                          en=f"cannot read {path}: no permission")
    return InputError(f"无法读取“{path.name}”：{exc.strerror or exc}", hint="检查文件名和路径。", path=str(path),
                      en=f"cannot read {path}: {exc.strerror or exc}")


def file_error(path: Path, kind: str, size: int = 0, limit: int = 0, what: str = "文件") -> InputError:
    """A named file that is not read (:mod:`.guard`): *kind* ``folder``, ``special`` (a pipe, device or
    socket), ``empty`` or ``size`` (*size* bytes past *limit*); *what* is what the user should name."""
    zh, hint, en = {
        "folder": (f"“{path}”是文件夹，不是文件。", "写出文件夹中的文件名。", "it is a folder"),
        "special": (f"“{path.name}”不是普通文件（是管道、设备或套接字），已拒绝读取。", f"请指定保存在磁盘上的{what}。",
                    "not a regular file (a pipe, device or socket)"),
        "empty": (f"“{path.name}”是空文件（0 字节）。", "请提供含申报表的工作簿或 TSV 文本。", "empty (0 bytes)"),
        "size": (f"“{path.name}”有 {size / 2**20:,.0f} MB，超过每个文件 {limit // 2**20} MB 的上限。",
                 "删除与申报表无关的工作表和图片，或拆分为较小的文件后再导入。", f"larger than the {limit // 2**20} MB limit"),
    }[kind]
    return InputError(zh, hint=hint, path=str(path), en=f"cannot read {path if kind in ('folder', 'special') else path.name}: {en}")


def zip_bomb(path: Path, what: str) -> InputError:
    """A zip that unpacks (or lists) past the limits: *what* it does, in Chinese."""
    mb = LIMITS["unzipped_bytes"] // 2**20
    return InputError(f"“{path.name}”{what}，疑似压缩炸弹，已拒绝读取。", path=str(path),
                      hint=f"正常的申报表解压后只有几 MB（上限 {mb} MB）；请确认文件来源，或拆分后再导入。",
                      en=f"cannot read {path.name}: it looks like a zip bomb (it unpacks to more than it says or than {mb} MB); refused")


def zip_unreadable(path: Path, name: str, method: int | None = None) -> InputError:
    """A zip member encrypted (*method* None) or compressed other than stored or deflated (calamine reads those two)."""
    what = "是加密的压缩包" if method is None else f"中的“{name}”使用了不支持的压缩方式（{method}）"
    return InputError(f"“{path.name}”{what}，无法读取。", hint="在 Excel/WPS 中打开并另存为 .xlsx 后再导入。", path=str(path),
                      en=f"cannot read {path.name}: {name} is encrypted or uses compression {method}")


def not_a_workbook(path: Path, what: str | None = None) -> InputError:
    """A compound file that is *what* (a Word document …), not a workbook; None: a zip without a workbook part."""
    if what is None:
        return InputError(f"“{path.name}”是一个压缩包，但不是 Excel 工作簿（没有 xl/workbook.xml）。", path=str(path),
                          hint="请提供 .xlsx / .xlsm 工作簿或 TSV 文本；Word 文档、压缩的文件夹等不能导入。",
                          en=f"cannot read {path.name}: a zip file but no workbook (no xl/workbook.xml)")
    return InputError(f"“{path.name}”是{what}，不是 Excel 工作簿。", hint="请提供 .xlsx / .xlsm / .xls 工作簿或 TSV 文本。",
                      path=str(path), en=f"cannot read {path.name}: an Office file but no workbook")
