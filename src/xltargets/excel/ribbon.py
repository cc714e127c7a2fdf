"""What the ribbon's one VBA callback runs: ``run(action, answer_hex)``.

``RibbonXltargets.OnAction`` (addin/RibbonXltargets.bas) passes the button's
tag and the user's answer as hex UTF-16. :func:`perform` is the one error
policy: an :class:`~xltargets.errors.XltargetsError` becomes a message box
with the problem and the fix in Chinese; anything else a short message
naming the error, never a traceback.
"""

from __future__ import annotations

import xlwings as xw

from ..errors import XltargetsError
from . import adapter
from .actions import ACTIONS

__all__ = ["run", "perform", "decode_answer"]


def decode_answer(answer_hex: str) -> str:
    """The VBA side's hex UTF-16 code units back to text (surrogate pairs included)."""
    return bytes.fromhex(answer_hex or "").decode("utf-16-be")


def perform(book: xw.Book, action: str, answer: str = ""):
    """Run ribbon *action* on *book*; errors are shown to the user, not raised."""
    func = ACTIONS.get(action)
    if func is None:
        book.app.alert(f"xltargets 不认识按钮动作“{action}”。请更新 xltargets 后重试。", title="xltargets")
        return None
    try:
        return func(book, answer)
    except XltargetsError as exc:
        text = exc.message + (f"\n\n处理办法：{exc.hint}" if exc.hint else "")
        book.app.alert(text, title="xltargets")
    except Exception as exc:  # noqa: BLE001 - the one place that turns surprises into a message
        book.app.alert(f"xltargets 出错（{type(exc).__name__}）：{exc}\n\n请把此信息告诉维护人员。", title="xltargets")
    return None


def run(action: str, answer_hex: str = "") -> None:
    """Entry point of the VBA callback (desktop Excel)."""
    perform(adapter.caller_book(), action, decode_answer(answer_hex))
