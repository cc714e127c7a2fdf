"""What the ribbon's one VBA callback runs: ``run(action, answer_file_hex)``.

``RibbonXltargets.OnAction`` (addin/RibbonXltargets.bas) writes the user's
answer (a project name, file paths, an output path) as hex UTF-16 code
units into a temporary file ``xltargets-answer-*.txt`` and passes only the
hex of that file's path on the command line, so the answer has no length
limit (cmd.exe stops at 8,191 characters). :func:`read_answer` reads and
deletes the file.

:func:`perform` is the one error policy: before an action that changes the
workbook it checks what Excel would refuse (a protected workbook or sheet)
and says so in Chinese; an :class:`~xltargets.errors.XltargetsError` becomes
a message box with the problem and the fix; anything else a short message
naming the error, never a traceback.
"""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path

import xlwings as xw

from ..errors import InputError, WorkbookError, XltargetsError
from . import adapter
from .actions import ACTIONS, MARKS_CELLS, WRITES_BOOK

__all__ = ["run", "perform", "decode_answer", "read_answer", "ANSWER_FILE"]

#: the names the VBA gives its answer files (RibbonXltargets.WriteAnswer); nothing else is read or deleted
ANSWER_FILE = re.compile(r"xltargets-answer-\d{1,5}-\d{1,10}\.txt")
TITLE = "xltargets"


def decode_answer(answer_hex: str) -> str:
    """The VBA side's hex UTF-16 code units back to text (surrogate pairs included)."""
    return bytes.fromhex(answer_hex or "").decode("utf-16-be")


def read_answer(answer_file_hex: str) -> str:
    """The answer in the file whose path *answer_file_hex* names ('' for none); the file is deleted."""
    if not answer_file_hex:
        return ""
    try:
        path = Path(decode_answer(answer_file_hex))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError("加载项传来的答案文件名无法识别。", hint="关闭 Excel 后重新运行 xltargets addin install。") from exc
    if not ANSWER_FILE.fullmatch(path.name):
        raise InputError(f"“{path}”不是加载项的答案文件，未读取。", hint="关闭 Excel 后重新运行 xltargets addin install。")
    try:
        digits = "".join(path.read_text(encoding="ascii").split())  # lines of whole code units
        return decode_answer(digits)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(
            f"读不出加载项写下的答案文件“{path}”。",
            hint="重新点按钮再试一次；若仍失败，检查临时文件夹（%TEMP%）是否可写。",
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


def _alert(book: xw.Book, text: str) -> None:
    book.app.alert(text, title=TITLE)


def _refusal(book: xw.Book, action: str) -> XltargetsError | None:
    """Why Excel would refuse *action* on *book*, as the error to show (None when nothing stands in the way)."""
    if action not in WRITES_BOOK:
        return None
    guard = adapter.protection(book)
    if guard.structure:
        return WorkbookError(
            f"工作簿“{book.name}”的结构受保护，xltargets 不能添加或改写工作表；未做任何修改。",
            hint="审阅 → 保护工作簿：输入密码取消保护后重试。",
        )
    if action in MARKS_CELLS and guard.sheets:
        names = "、".join(f"“{s}”" for s in guard.sheets)
        return WorkbookError(
            f"工作表{names}受保护，xltargets 不能在其中标记问题；未做任何修改。",
            hint="审阅 → 撤消工作表保护，然后重试（校验后可再保护）。",
        )
    return None


def perform(book: xw.Book, action: str, answer: str = ""):
    """Run ribbon *action* on *book*; errors are shown to the user, not raised."""
    func = ACTIONS.get(action)
    if func is None:
        _alert(book, f"xltargets 不认识按钮动作“{action}”。请更新 xltargets 后重试。")
        return None
    try:
        refusal = _refusal(book, action)
        if refusal is not None:
            raise refusal
        result = func(book, answer)
        if action in WRITES_BOOK and adapter.is_read_only(book):
            _alert(
                book,
                f"已完成。注意：工作簿“{book.name}”是以只读方式打开的，刚才的修改不能保存到原文件。\n\n"
                "处理办法：文件 → 另存为，换一个文件名保存。",
            )
        return result
    except XltargetsError as exc:
        _alert(book, exc.message + (f"\n\n处理办法：{exc.hint}" if exc.hint else ""))
    except Exception as exc:  # noqa: BLE001 - the one place that turns surprises into a message
        _alert(book, f"xltargets 出错（{type(exc).__name__}）：{exc}\n\n请把此信息告诉维护人员。")
    return None


def run(action: str, answer_file_hex: str = "") -> None:
    """Entry point of the VBA callback (desktop Excel)."""
    try:
        book = adapter.caller_book()
    except Exception:  # noqa: BLE001 - no workbook (the VBA checks first); xlwings shows stderr in a box
        sys.stderr.write("xltargets：没有打开的工作簿。请先打开申报表工作簿再点按钮。\n")
        with contextlib.suppress(XltargetsError):
            read_answer(answer_file_hex)  # still delete the answer file
        return
    try:
        answer = read_answer(answer_file_hex)
    except XltargetsError as exc:
        _alert(book, exc.message + (f"\n\n处理办法：{exc.hint}" if exc.hint else ""))
        return
    perform(book, action, answer)
