"""The reader process: python-calamine and pdfplumber read a user's file in a child process with a memory cap
and a time limit, so that a crafted file can only kill that child. How it works and what it costs:
docs/reliability.md, "The reader process". ``serve(request, send)`` of the module :data:`_OPS` names answers a
request. Standard library only, and pywin32's ``win32job`` for the cap on Windows.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import pickle
import queue
import signal
import struct
import sys
import threading

__all__ = ["ReaderFailure", "session", "start", "close", "command", "cap_memory"]

_FRAME = struct.Struct("<Q")
#: request op → (the module serving it, the library imported before the memory cap is set)
_OPS = {"book": ("xltargets.bookvalues", "python_calamine"), "pdf": ("xltargets.pdfpages", "pdfplumber")}
#: a child out of memory: SIGABRT (Rust's allocation failure), SIGKILL (the kernel's OOM killer), their
#: shell codes, os._exit(137) below, and Windows' abort, fail-fast and commit-limit codes
_MEMORY_DEATHS = {-6, -9, 134, 137, 3, 0xC0000409, 0xC0000017}


class ReaderFailure(Exception):
    """The reader process failed a file: *kind* ``memory``, ``time``, ``crash`` or ``start``."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind, detail)
        self.kind, self.detail = kind, detail


def command() -> list[str]:
    """This interpreter with ``-I -S -c`` (docs/reliability.md); a host that embeds Python (its executable not
    python*/pythonw*) gets the interpreter of its ``sys.exec_prefix`` instead of a second host."""
    exe = sys.executable
    if not os.path.basename(exe).lower().startswith("python"):
        exe = os.path.join(sys.exec_prefix, *(["python.exe"] if os.name == "nt" else ["bin", "python3"]))
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # this package's folder first
    path = list(dict.fromkeys([here, *map(os.path.abspath, filter(os.path.exists, sys.path))]))
    # this path after the standard library, and -I: no PYTHONPATH before it (a user's pickle.py shadows nothing)
    return [exe, ("-I", "-IB")[sys.dont_write_bytecode], "-S", "-c", f"import sys; sys.path += {path!r}; import {__name__} as r; r.main()"]


def _write(stream, *message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_FRAME.pack(len(data)) + data)
    stream.flush()


def _read(stream):
    """The next frame on *stream*; None at its end."""
    head = stream.read(_FRAME.size)
    data = stream.read(_FRAME.unpack(head)[0]) if len(head) == _FRAME.size else b""
    return pickle.loads(data) if data else None


class _Process:
    """A reader process and the thread that queues its frames as they come."""

    def __init__(self) -> None:
        import subprocess  # the parent's alone: the reader process's start does without it

        self.ready, self.pending, self.frames = False, False, queue.Queue()
        pipe, no_window = subprocess.PIPE, getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console under Excel
        try:
            self.proc = subprocess.Popen(command(), stdin=pipe, stdout=pipe, stderr=subprocess.DEVNULL,
                                         creationflags=no_window)
        except OSError as exc:
            raise ReaderFailure("start", str(exc)) from None
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        with contextlib.suppress(Exception), self.proc.stdout:
            while (frame := _read(self.proc.stdout)) is not None:
                self.frames.put(frame)
        self.frames.put(None)

    def receive(self, seconds: float) -> tuple:
        try:
            frame = self.frames.get(timeout=max(seconds, 0))
        except queue.Empty:
            self.kill()
            raise ReaderFailure("time" if self.ready else "start", "" if self.ready else "未响应") from None
        if frame is None:
            code = self.kill()
            raise ReaderFailure(("memory" if code in _MEMORY_DEATHS else "crash") if self.ready else "start", str(code))
        if frame == ("ready",):  # it started (a death from now on is a file's doing): the answer follows
            self.ready = True
            return self.receive(seconds)
        if frame[0] == "error" and frame[1] in ("memory", "crash"):  # caught in the child (main)
            raise ReaderFailure(*frame[1:])
        self.pending = frame[0] not in ("done", "error")
        return frame

    def kill(self) -> int:
        for end in (self.proc.kill, self.proc.stdin.close):
            with contextlib.suppress(OSError):
                end()
        return self.proc.wait()


_current: _Process | None = None
_turn = threading.Lock()  # threads take turns: one file at a time


def _forget() -> None:
    """In a forked process (the corpus harness): the reader is its parent's; this one starts its own."""
    global _current, _turn
    _current, _turn = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget)


def _process() -> _Process:
    """The reader process; a dead one is reaped (close) and replaced."""
    global _current
    if _current is None or _current.proc.poll() is not None:
        close()
        _current = _Process()
    return _current


def start(paths=None) -> None:
    """Start the reader process now, so that its start overlaps this process's own imports; with
    *paths* (what a command will read), only if one may be a workbook or a PDF (not a TSV/CSV)."""
    if not paths or any(os.path.splitext(str(p))[1].lower() not in (".tsv", ".csv", ".txt") for p in paths):
        with _turn, contextlib.suppress(ReaderFailure):
            _process()


@contextlib.contextmanager
def session(request: dict):
    """Send *request*; yield ``receive(seconds)``, its answer's frames in order. Leaving before the last
    frame, or through a :class:`ReaderFailure`, kills the process (the next file gets a fresh one)."""
    with _turn:
        proc = _process()
        proc.pending = True
        try:
            with contextlib.suppress(OSError):  # one that died: receive() says why
                _write(proc.proc.stdin, request)
            yield proc.receive
        finally:
            if proc.pending:
                proc.kill()


@atexit.register
def close() -> None:
    """End the reader process and reap it (its CPU time then counts as this process's)."""
    global _current
    if _current is not None:
        _current.kill()
    _current = None


_job: list = []  # Windows: the job object this process put itself in


def cap_memory(limit: int) -> None:
    """Cap this process's memory at *limit* bytes: its address space (``RLIMIT_AS``) on POSIX, its commit (a job
    object's process memory limit, pywin32's ``win32job``) on Windows. A failure leaves it uncapped (the time
    limit holds): not run here, tests/test_reader_process.py runs it against a stand-in ``win32job``."""
    with contextlib.suppress(Exception):
        import resource

        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        soft = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        return resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    with contextlib.suppress(Exception):
        import pywin32_bootstrap  # noqa: F401 - what pywin32's .pth does (not under -S): its DLL folder on the path
        import win32api
        import win32job

        if not _job:
            _job.append(win32job.CreateJobObject(None, ""))
            win32job.AssignProcessToJobObject(_job[0], win32api.GetCurrentProcess())
        info = win32job.QueryInformationJobObject(_job[0], win32job.JobObjectExtendedLimitInformation)
        info["BasicLimitInformation"]["LimitFlags"] |= win32job.JOB_OBJECT_LIMIT_PROCESS_MEMORY
        info["ProcessMemoryLimit"] = limit
        win32job.SetInformationJobObject(_job[0], win32job.JobObjectExtendedLimitInformation, info)


def main() -> None:
    """The child: answer requests until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it kills this process
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    sys.stdout = sys.stderr
    importlib.import_module(_OPS["book"][1])  # while the parent starts: the first workbook pays no import
    _write(out, "ready")
    while (frame := _read(sys.stdin.buffer)) is not None:
        final = [("error", "crash", "no answer")]

        def send(*message) -> None:
            if message[0] in ("done", "error"):
                final[:] = [message]  # written once the handler's values are freed and the heap trimmed
            else:
                _write(out, *message)

        try:
            module, library = _OPS[frame[0]["op"]]
            importlib.import_module(library)  # before the cap: the import is not the file's memory
            cap_memory(frame[0]["memory"])
            importlib.import_module(module).serve(frame[0], send)
        except MemoryError:
            final = [("error", "memory", "")]
        except BaseException as exc:  # noqa: BLE001 - the handler's own failure; the file is the likely cause
            final = [("error", "crash", f"{type(exc).__name__}: {exc}"[:160])]
        with contextlib.suppress(Exception):  # glibc: give the freed heap back, or a large file's stays all day
            import ctypes

            ctypes.CDLL(None).malloc_trim(0)
        try:
            _write(out, *final[0])
        except MemoryError:
            os._exit(137)  # no memory even for the message: the exit code says it
