"""Progress of long tasks, reported from inside the core without threading a callback through every layer.

A front end passes ``progress=`` to a :mod:`xltargets.pipeline` function (or wraps any core
call in :func:`reporting`); the loops that take time call :func:`report` as they go:

- ``report(i, n, "读取工作表")`` in the importer, a sheet at a time;
- ``report(i, n, "校验项目")`` in the rules, a project at a time;
- ``report(i, n, "写入项目表")`` / ``"写入汇总表"`` in the writers, a form at a time;
- ``report(i, n, "读取 PDF 页")`` as the pages of an imported PDF are read;
- ``report(0, None, "LibreOffice 生成 PDF")`` before LibreOffice prints (pages are not known until it is done).

The callback is ``progress(done, total, what)``: *done* items of *total* (None: unknown) are
finished, *what* is a short Chinese label or a :class:`~pathlib.Path` (a file being read).
With no callback installed, :func:`report` does nothing (one context-variable lookup).
The CLI draws it on stderr at a terminal only (:mod:`xltargets.cli.progress`).
"""

from __future__ import annotations

import contextlib
import contextvars
from typing import Any, Callable, Iterator, Optional

__all__ = ["Progress", "report", "reporting"]

#: ``progress(done, total, what)``
Progress = Callable[[int, Optional[int], Any], None]

_current: contextvars.ContextVar[Progress | None] = contextvars.ContextVar("xltargets_progress", default=None)


def report(done: int, total: int | None, what: Any) -> None:
    """Tell the installed callback (if any) that *done* of *total* items of *what* are finished."""
    callback = _current.get()
    if callback is not None:
        callback(done, total, what)


@contextlib.contextmanager
def reporting(callback: Progress | None) -> Iterator[None]:
    """Install *callback* for :func:`report` calls made inside the block (None: leave as is)."""
    if callback is None:
        yield
        return
    token = _current.set(callback)
    try:
        yield
    finally:
        _current.reset(token)
