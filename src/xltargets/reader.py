"""The reader process: python-calamine and pdfplumber read a user's file in a long-lived child process with a memory
cap and a time limit, so that a crafted file can only kill that child (docs/reliability.md, "The reader process")."""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import pickle
import queue
import signal
import sys
import threading

__all__ = ["ReaderFailure", "session", "start", "close", "command", "cap_memory"]

_OPS = {"book": ("xltargets.bookvalues", "python_calamine"), "pdf": ("xltargets.pdfpages", "pdfplumber")}
_MEMORY_DEATHS = {-6, -9, 134, 137, 3, 0xC0000409, 0xC0000017}  # exit codes of a child out of memory
_current: _Process | None = None
_turn = threading.Lock()  # threads take turns: one file at a time
_job: list = []  # Windows: the job object this process put itself in (cap_memory)


class ReaderFailure(Exception):
    """The reader process failed a file: its ``kind`` (``memory``, ``time``, ``crash`` or ``start``), a ``detail``."""

    kind = property(lambda self: self.args[0])
    detail = property(lambda self: self.args[1])


def command() -> list[str]:
    """This interpreter (under a host that embeds Python: its ``sys.exec_prefix``'s) with ``-I -S`` and this path."""
    exe = sys.executable
    if not os.path.basename(exe).lower().startswith("python"):
        exe = os.path.join(sys.exec_prefix, *(["python.exe"] if os.name == "nt" else ["bin", "python3"]))
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = list(dict.fromkeys([here, *map(os.path.abspath, filter(os.path.exists, sys.path))]))
    code = f"import sys; sys.path += {path!r}; import {__name__} as r; r.main()"  # after the standard library
    return [exe, "-IB" if sys.dont_write_bytecode else "-I", "-S", "-c", code]


def _write(stream, message) -> None:
    stream.write(pickle.dumps(message, pickle.HIGHEST_PROTOCOL))  # whole or not at all: pickle.load reads it back
    stream.flush()


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
            self.ready = pickle.load(self.proc.stdout) == ("ready",)  # started: a death from now on is a file's
            while True:
                self.frames.put(pickle.load(self.proc.stdout))
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
        if frame[0] == "error" and frame[1] in ("memory", "crash"):  # told by the handler, or caught in the child
            raise ReaderFailure(*frame[1:])
        self.pending = frame[0] not in ("done", "error")
        return frame

    def kill(self) -> int:
        for end in (self.proc.kill, self.proc.stdin.close):
            with contextlib.suppress(OSError):
                end()
        return self.proc.wait()


def _process() -> _Process:  # the reader process; a dead one reaped (close) and replaced
    global _current
    if _current is None or _current.proc.poll() is not None:
        close()
        _current = _Process()
    return _current


def start(paths=None) -> None:
    """Start the reader process now (overlapping this one's imports), unless *paths* are all TSV/CSV files."""
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


def cap_memory(limit: int) -> None:
    """Cap this process's memory at *limit* bytes (RLIMIT_AS; Windows: a job object); a failure leaves it uncapped."""
    with contextlib.suppress(Exception):
        import resource

        return resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
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
    """The child: answer requests until the parent closes its stdin."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it kills this process
    out = os.fdopen(os.dup(1), "wb")  # the frames; what a library prints goes to the null device
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    importlib.import_module(_OPS["book"][1])  # while the parent starts: the first workbook pays no import
    _write(out, ("ready",))
    with contextlib.suppress(EOFError):
        while request := pickle.load(sys.stdin.buffer):
            try:
                module, library = _OPS[request["op"]]
                importlib.import_module(library)  # before the cap: the import is not the file's memory
                cap_memory(request["memory"])
                answer = importlib.import_module(module).serve(request, lambda *frame: _write(out, frame))
            except MemoryError:
                os._exit(137)  # as a kill at the cap: the exit code says it
            except BaseException as exc:  # noqa: BLE001 - the handler's own failure; the file is the likely cause
                answer = ("error", "crash", f"{type(exc).__name__}: {exc}"[:160])
            with contextlib.suppress(Exception):  # the handler's values freed: glibc gives the heap back (malloc_trim)
                importlib.import_module("ctypes").CDLL(None).malloc_trim(0)
            try:
                _write(out, answer or ("error", "crash", "no answer"))  # the last frame, ("done", …) or ("error", …)
            except MemoryError:
                os._exit(137)
