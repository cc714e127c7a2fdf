"""The reader process: python-calamine and pdfplumber read a user's file in a child process with a memory cap
and a time limit, so that a crafted file can only kill that child. How it works (one long-lived process, its
frames, the caps, what a death means) and what it costs: docs/reliability.md, "The reader process".
``serve(request, send)`` of the module :data:`_OPS` names answers a request. Standard library only.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import pickle
import struct
import sys
import threading

__all__ = ["ReaderFailure", "session", "start", "close", "command", "cap_memory"]

_FRAME = struct.Struct("<Q")
_PATH = "XLTARGETS_READER_PATH"  # this process's sys.path (this package's folder first) for the reader process
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
    """This interpreter with ``-P -S -c`` (docs/reliability.md); a host that embeds Python (its executable not
    python*/pythonw*) gets the interpreter of its ``sys.exec_prefix`` instead of a second host."""
    exe = sys.executable
    if not os.path.basename(exe).lower().startswith("python"):
        exe = os.path.join(sys.exec_prefix, "python.exe") if os.name == "nt" else os.path.join(sys.exec_prefix, "bin", "python3")
    # the parent's path after the standard library, not before it as PYTHONPATH: a user's pickle.py on it shadows nothing
    start = f"import os, sys; sys.path += os.environ.pop('{_PATH}').split(os.pathsep); import {__name__} as r; r.main()"
    return [exe, "-P", "-S", "-c", start]


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
        import queue  # the parent's alone, as subprocess: the reader process's start does without them
        import subprocess

        self.owner, self.ready, self.pending, self.lock, self.frames = os.getpid(), False, False, threading.Lock(), queue.Queue()
        self.empty = queue.Empty
        path = [os.path.dirname(os.path.dirname(os.path.abspath(__file__))), *(os.path.abspath(p) for p in sys.path if p)]
        try:
            self.proc = subprocess.Popen(command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                         env={**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
                                              _PATH: os.pathsep.join(dict.fromkeys(path))},
                                         creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))  # no console under Excel
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
        except self.empty:
            self.kill()
            raise ReaderFailure("time") from None
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
_guard = threading.Lock()


def _process() -> _Process:
    global _current
    with _guard:  # one inherited through fork is the parent's; a dead one is reaped (close) and replaced
        if _current is None or _current.owner != os.getpid() or _current.proc.poll() is not None:
            close()
            _current = _Process()
        return _current


def start(paths=None) -> None:
    """Start the reader process now, so that its start overlaps this process's own imports; with
    *paths* (what a command will read), only if one may be a workbook or a PDF (not a TSV/CSV)."""
    if not paths or any(os.path.splitext(str(p))[1].lower() not in (".tsv", ".csv", ".txt") for p in paths):
        with contextlib.suppress(ReaderFailure):
            _process()


@contextlib.contextmanager
def session(request: dict):
    """Send *request*; yield ``receive(seconds)``, its answer's frames in order. Leaving before the last
    frame, or through a :class:`ReaderFailure`, kills the process (the next file gets a fresh one)."""
    proc = _process()
    proc.lock.acquire()
    while proc.proc.poll() is not None:  # another thread's file killed it while this one waited
        proc.lock.release()
        proc = _process()
        proc.lock.acquire()
    try:
        proc.pending = True
        with contextlib.suppress(OSError):  # one that died: receive() says why
            _write(proc.proc.stdin, request)
        yield proc.receive
    finally:
        if proc.pending:
            proc.kill()
        proc.lock.release()


@atexit.register
def close() -> None:
    """End the reader process and reap it (its CPU time then counts as this process's)."""
    global _current
    if _current is not None and _current.owner == os.getpid():
        _current.kill()
    _current = None


_base: list = []


def cap_memory(extra: int) -> None:
    """Cap this process's memory at its size at the first request + *extra* bytes: ``RLIMIT_AS`` on POSIX, a
    job object's limit on 64-bit Windows (:func:`_cap_windows`). A failure leaves it uncapped (the time limit holds)."""
    try:
        import resource
    except ImportError:
        return _cap_windows(extra)
    if not _base:
        try:
            with open("/proc/self/statm") as fh:
                _base.append(int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE"))
        except (OSError, ValueError):  # no /proc (macOS): the cap counts from zero
            _base.append(0)
    with contextlib.suppress(ValueError, OSError):
        hard, limit = resource.getrlimit(resource.RLIMIT_AS)[1], _base[0] + extra
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))


_job: list = []


def _cap_windows(extra: int) -> None:
    """JOBOBJECT_EXTENDED_LIMIT_INFORMATION (144 bytes: LimitFlags at 16, ProcessMemoryLimit at 112) set to
    the commit at the first request (PROCESS_MEMORY_COUNTERS, 72 bytes: PagefileUsage at 56) + *extra*, on a
    job object made then. Not run here (no Windows; tests/test_reader_process.py checks the offsets): every
    error is swallowed, so a bug means "no memory cap", never "cannot read"."""
    with contextlib.suppress(Exception):
        import ctypes as c

        k32, me = c.WinDLL("kernel32"), c.c_void_p(-1)  # GetCurrentProcess()'s pseudo-handle
        if not _job and c.sizeof(c.c_void_p) == 8:
            k32.CreateJobObjectW.restype = c.c_void_p
            counters = c.create_string_buffer(72)
            struct.pack_into("<I", counters, 0, 72)
            commit = struct.unpack_from("<Q", counters, 56)[0] if k32.K32GetProcessMemoryInfo(me, counters, 72) else 0
            if (job := c.c_void_p(k32.CreateJobObjectW(None, None))) and k32.AssignProcessToJobObject(job, me):
                _job.extend((job, commit))
        info = c.create_string_buffer(144)
        struct.pack_into("<I", info, 16, 0x100)  # JOB_OBJECT_LIMIT_PROCESS_MEMORY
        struct.pack_into("<Q", info, 112, _job[1] + extra)
        k32.SetInformationJobObject(_job[0], 9, info, 144)  # 9: JobObjectExtendedLimitInformation


def main() -> int:
    """The child: answer requests until stdin closes."""
    import signal

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
    return 0
