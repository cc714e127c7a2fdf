"""Progress of long tasks on stderr, only when stderr is a terminal.

The core reports progress through an optional callback ``progress(done, total, what)``:
*done* items of *total* are finished (or the item *done* is starting), *what* names the
item: a :class:`~pathlib.Path` (a file being read) or a short Chinese label
(``"校验项目"``, ``"写入申报表"``, ``"PDF 页"``). This module draws one line for it,
rewritten in place, and erases it at the end. In a pipe or a file nothing is printed:
:func:`terminal_progress` then gives ``None`` and the core does not even call it.

A task shorter than :data:`DELAY` seconds prints nothing at all.
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import PurePath

from .output import columns, is_terminal, width

__all__ = ["Progress", "terminal_progress", "DELAY"]

#: seconds before the first line is drawn (a short task stays silent)
DELAY = 0.5
#: seconds between two redraws
INTERVAL = 0.1


class Progress:
    """A one-line progress display on *stream* (a terminal)."""

    def __init__(self, stream=None, *, delay: float = DELAY, clock=time.monotonic) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.clock = clock
        self.start = clock()
        self.delay = delay
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int | None, what=None) -> None:
        now = self.clock()
        if now - self.start < self.delay or now - self.last < INTERVAL and not (total and done + 1 >= total):
            return
        self.last = now
        self.draw(self.line(done, total, what))

    @staticmethod
    def line(done: int, total: int | None, what) -> str:
        if isinstance(what, PurePath):
            label, item = "读取", what.name
        else:
            label, item = (str(what) if what else "处理"), ""
        count = f"{done}/{total}" if total else f"{done}"
        percent = f" {100 * done // total:3d}%" if total else ""
        return " ".join(x for x in (label, count + percent, item) if x)

    def draw(self, text: str) -> None:
        room = max(columns(self.stream) - 1, 10)
        while width(text) > room:
            text = text[:-1]
        self.stream.write("\r" + text + " " * (room - width(text)) + "\r")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            room = max(columns(self.stream) - 1, 10)
            self.stream.write("\r" + " " * room + "\r")
            self.stream.flush()
            self.shown = False


@contextlib.contextmanager
def terminal_progress(stream=None):
    """A :class:`Progress` when *stream* (default stderr) is a terminal, else None; erased on exit."""
    stream = sys.stderr if stream is None else stream
    if not is_terminal(stream):
        yield None
        return
    progress = Progress(stream)
    try:
        yield progress
    finally:
        progress.close()
