"""Progress of long tasks on stderr, only when stderr is a terminal.

The core reports progress through ``progress(done, total, what)`` (:mod:`xltargets.progress`):
*done* of *total* items (None: not known) are finished, *what* is a
:class:`~pathlib.Path` (a file being read) or a short Chinese label (``"读取工作表"``,
``"校验项目"``, ``"写入项目表"``, ``"LibreOffice 生成 PDF"``). This module draws one line
for it, rewritten in place with the seconds spent so far (a background ticker keeps the
seconds moving while one step, such as LibreOffice printing, takes long), and erases it
at the end. In a pipe or a file nothing is printed: :func:`terminal_progress` then gives
``None`` and the core does not even call it.

A task shorter than :data:`DELAY` seconds prints nothing at all.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from pathlib import PurePath

from . import output
from .output import columns, is_terminal, width

__all__ = ["Progress", "terminal_progress", "DELAY"]

#: seconds before the first line is drawn (a short task stays silent)
DELAY = 0.5
#: seconds between two redraws
INTERVAL = 0.1


class Progress:
    """A one-line progress display on *stream* (a terminal)."""

    def __init__(
        self, stream=None, *, delay: float | None = None, clock=time.monotonic, ticker: bool = False
    ) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.clock = clock
        self.start = clock()
        self.delay = DELAY if delay is None else delay
        self.last = float("-inf")
        self.shown = False
        self.state: tuple[int, int | None, object] | None = None
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._tick, name="xltargets-progress", daemon=True) if ticker else None
        if self.thread is not None:
            self.thread.start()

    def __call__(self, done: int, total: int | None, what=None) -> None:
        self.state = (done, total, what)
        now = self.clock()
        if now - self.start < self.delay or now - self.last < INTERVAL:
            return
        self.last = now
        self.draw(self.line(done, total, what, now - self.start))

    def _tick(self) -> None:
        while not self.stop.wait(1.0):
            state = self.state
            if state is not None and self.clock() - self.start >= self.delay:
                self.draw(self.line(*state, self.clock() - self.start))

    @staticmethod
    def line(done: int, total: int | None, what, elapsed: float | None = None) -> str:
        if isinstance(what, PurePath):
            label, item = "读取", what.name
        else:
            label, item = (str(what) if what else "处理"), ""
        if total:
            count = f"{done}/{total} {100 * done // total:3d}%"
        else:
            count = f"{done}" if done else "……"
        seconds = f"{elapsed:.0f} 秒" if elapsed is not None else ""
        return " ".join(x for x in (label, count, item, seconds) if x)

    def draw(self, text: str) -> None:
        with self.lock:
            if self.stop.is_set() and self.shown is None:
                return
            room = max(columns(self.stream) - 1, 10)
            text = output.shown(text)
            while width(text) > room:
                text = text[:-1]
            self.stream.write("\r" + text + " " * (room - width(text)) + "\r")
            self.stream.flush()
            self.shown = True
            output.before_print = self.erase

    def erase(self) -> None:
        """Take the line off the screen (it comes back at the next report)."""
        with self.lock:
            if self.shown:
                room = max(columns(self.stream) - 1, 10)
                self.stream.write("\r" + " " * room + "\r")
                self.stream.flush()
                self.shown = False
            output.before_print = None

    def close(self) -> None:
        self.stop.set()
        if self.thread is not None and self.thread is not threading.current_thread():
            self.thread.join(timeout=2)
        self.erase()
        self.shown = None  # closed: nothing is drawn any more


@contextlib.contextmanager
def terminal_progress(stream=None):
    """A :class:`Progress` when *stream* (default stderr) is a terminal, else None; erased on exit."""
    stream = sys.stderr if stream is None else stream
    if not is_terminal(stream):
        yield None
        return
    progress = Progress(stream, ticker=True)
    try:
        yield progress
    finally:
        progress.close()
