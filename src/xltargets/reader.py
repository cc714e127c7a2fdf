"""The reader process: the libraries that read a user's file (python-calamine, pdfplumber) run in
a child process with a memory cap and a wall-clock limit, so a crafted file can only kill that child.

python-calamine (Rust) aborts the whole process when an allocation fails, panics on some damaged
records and follows a looping compound file until memory runs out; pdfminer can spend minutes on
a crafted page. So neither runs in the process that holds the user's work:

- the parent starts ``python -P -m xltargets.reader`` (:func:`command`: this interpreter, the
  current folder off its path, this very package first on it) on first need, or early
  (:func:`start`), and keeps it for every file it reads: one start a process, not one a file (a
  start costs 0.36-0.64 s on Windows). It is started again after a file killed it and closed at
  exit. Always a fresh interpreter (``spawn``, never ``fork``): Linux runs what Windows runs;
- requests and answers are pickled frames (8-byte length, then the pickle) on the child's stdin
  and stdout. The child moves its own fd 1 to the null device first, so nothing a library prints
  can mix into them; its stderr (a Rust panic's text) is the null device too;
- before each request the child caps its memory at its size + the request's budget
  (:func:`cap_memory`); the parent waits for each frame at most the time the caller gives and
  kills the child past it. A request's handler (``serve(request, send)`` of the module named in
  :data:`_OPS`) sends frames and ends with ``("done", …)`` or ``("error", kind, …)``;
- a child that dies, hangs or cannot start raises :class:`ReaderFailure` in the parent, which
  :func:`xltargets.importing.limits.reader_failure` turns into the user's message.

This module imports only the standard library: the child never loads the model (pydantic).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from pathlib import Path

__all__ = ["ReaderFailure", "session", "start", "close", "command", "cap_memory"]

_FRAME = struct.Struct("<Q")
#: request op → (the module serving it, the library it imports before the memory cap is set)
_OPS = {"book": ("xltargets.bookvalues", "python_calamine"), "pdf": ("xltargets.pdfpages", "pdfplumber")}
#: how a child out of memory ends: SIGABRT (Rust's allocation failure), SIGKILL (the kernel's
#: out-of-memory killer), their shell codes, and Windows' abort, fail-fast and commit-limit codes
_MEMORY_DEATHS = {-6, -9, 134, 137, 3, 0xC0000409, 0xC0000017}
START_SECONDS = 60  # the interpreter's start and the libraries' import, on a slow, busy machine


class ReaderFailure(Exception):
    """The reader process gave no answer. *kind*: ``memory``, ``time``, ``crash`` or ``start``."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind, detail)
        self.kind, self.detail = kind, detail


def command() -> list[str]:
    """This interpreter, without the current folder (``-P``) and without ``site`` (``-S``): its path is
    the parent's (:class:`_Process`), and no ``.pth`` hook runs (they cost 40 ms a start where one imports certifi)."""
    return [sys.executable, "-P", "-S", "-m", __name__]


def _write(stream, *message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_FRAME.pack(len(data)))
    stream.write(data)
    stream.flush()


def _read(stream):
    """The next frame on *stream*; None at its end."""
    head = stream.read(_FRAME.size)
    data = stream.read(_FRAME.unpack(head)[0]) if len(head) == _FRAME.size else b""
    return pickle.loads(data) if data else None


# --------------------------------------------------------------------------- the parent's end


class _Process:
    """One reader process, and the thread that queues its frames as they come."""

    def __init__(self) -> None:
        self.owner, self.ready, self.lock, self.frames = os.getpid(), False, threading.Lock(), queue.Queue()
        # the parent's path, where this package was imported from first (a wheel, a source tree on xlwings' PYTHONPATH)
        path = [str(Path(__file__).resolve().parent.parent), *(os.path.abspath(p) for p in sys.path if p)]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(dict.fromkeys(path))}
        try:
            self.proc = subprocess.Popen(command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                         env=env, creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))  # no console under Excel
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
            raise ReaderFailure("time") from None
        if frame is None:
            code = self.kill()
            raise ReaderFailure("memory" if code in _MEMORY_DEATHS and self.ready else "crash" if self.ready else "start", str(code))
        return frame

    def kill(self) -> int:
        with contextlib.suppress(OSError):
            self.proc.kill()
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        return self.proc.wait()


_current: _Process | None = None
_guard = threading.Lock()


def _process() -> _Process:
    global _current
    with _guard:  # a process inherited through fork belongs to the parent; a dead one is replaced
        if _current is None or _current.owner != os.getpid() or _current.proc.poll() is not None:
            if _current is not None and _current.owner == os.getpid():
                _current.kill()  # reaped, its pipe closed
            _current = _Process()
        return _current


def start(paths=None) -> None:
    """Start the reader process now, if none runs, so that its start overlaps this process's own work;
    with *paths* (what a command will read), only when one may be a workbook or a PDF (not a TSV/CSV)."""
    if not paths or any(Path(p).suffix.lower() not in (".tsv", ".csv", ".txt") for p in paths):
        with contextlib.suppress(ReaderFailure):
            _process()


@contextlib.contextmanager
def session(request: dict):
    """Send *request* to the reader process and yield ``receive(seconds)``, which gives its answer's
    frames in order. Leaving before the last frame, or after a memory error, kills the process."""
    proc = _process()
    with proc.lock:
        finished = False

        def receive(seconds: float) -> tuple:
            nonlocal finished
            frame = proc.receive(seconds)
            finished = frame[0] == "done" or (frame[0] == "error" and frame[1] != "memory")
            if frame[0] == "error" and frame[1] in ("memory", "crash"):  # caught in the child (:func:`main`)
                raise ReaderFailure(frame[1], frame[2])
            return frame

        try:
            if not proc.ready:
                proc.receive(START_SECONDS)  # ("ready",): the interpreter started and imported calamine
                proc.ready = True
            try:
                _write(proc.proc.stdin, request)
            except OSError:  # it died meanwhile: its exit code tells why
                proc.receive(START_SECONDS)
            yield receive
        finally:
            if not finished:
                proc.kill()


@atexit.register
def close() -> None:
    """End the reader process (it exits when its stdin closes) and reap it, so its CPU time counts as ours."""
    global _current
    if _current is not None and _current.owner == os.getpid():
        with contextlib.suppress(OSError):
            _current.proc.stdin.close()
        try:
            _current.proc.wait(2)
        except subprocess.TimeoutExpired:
            _current.kill()
    _current = None


# --------------------------------------------------------------------------- the child's end


def cap_memory(extra: int) -> None:
    """Cap this process's memory at its current size plus *extra* bytes: ``RLIMIT_AS`` on POSIX, a job
    object's ``ProcessMemoryLimit`` on Windows. Any failure leaves it uncapped (the time limit holds)."""
    try:
        import resource
    except ImportError:
        return _cap_windows(extra)
    try:
        with open("/proc/self/statm") as fh:
            now = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):  # no /proc (macOS): the cap counts from zero
        now = 0
    with contextlib.suppress(ValueError, OSError):
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        resource.setrlimit(resource.RLIMIT_AS, (now + extra if hard == resource.RLIM_INFINITY else min(now + extra, hard), hard))


_job = None


def _job_structures():
    """JOBOBJECT_EXTENDED_LIMIT_INFORMATION and PROCESS_MEMORY_COUNTERS (144 and 72 bytes on 64-bit Windows)."""
    import ctypes as c

    class Basic(c.Structure):  # JOBOBJECT_BASIC_LIMIT_INFORMATION
        _fields_ = [("user", c.c_int64), ("job_user", c.c_int64), ("flags", c.c_uint32), ("ws_min", c.c_size_t), ("ws_max", c.c_size_t),
                    ("processes", c.c_uint32), ("affinity", c.c_size_t), ("priority", c.c_uint32), ("scheduling", c.c_uint32)]

    class Extended(c.Structure):
        _fields_ = [("basic", Basic), ("io", c.c_uint64 * 6), ("process_memory", c.c_size_t), ("job_memory", c.c_size_t),
                    ("peak_process", c.c_size_t), ("peak_job", c.c_size_t)]

    class Counters(c.Structure):
        _fields_ = [("cb", c.c_uint32), ("faults", c.c_uint32)] + [(n, c.c_size_t) for n in ("ws_peak", "ws", "a", "b", "c", "d", "commit", "commit_peak")]

    return Extended, Counters


def _cap_windows(extra: int) -> None:
    """Put this process in a job object (once) whose process memory limit is its commit now + *extra*.
    Not run here (no Windows): every failure is swallowed, so a bug means "no cap", never "no reading"."""
    global _job
    try:
        import ctypes as c

        Extended, Counters = _job_structures()
        k32 = c.WinDLL("kernel32", use_last_error=True)
        k32.CreateJobObjectW.restype = k32.GetCurrentProcess.restype = c.c_void_p
        k32.AssignProcessToJobObject.argtypes = [c.c_void_p, c.c_void_p]
        k32.SetInformationJobObject.argtypes = [c.c_void_p, c.c_int, c.c_void_p, c.c_uint32]
        k32.K32GetProcessMemoryInfo.argtypes = [c.c_void_p, c.c_void_p, c.c_uint32]
        if _job is None:
            job = k32.CreateJobObjectW(None, None)
            if not job or not k32.AssignProcessToJobObject(job, k32.GetCurrentProcess()):
                return
            _job = job
        now = Counters(cb=c.sizeof(Counters))
        if not k32.K32GetProcessMemoryInfo(k32.GetCurrentProcess(), c.byref(now), now.cb):
            now.commit = 0
        info = Extended()
        info.basic.flags = 0x100  # JOB_OBJECT_LIMIT_PROCESS_MEMORY
        info.process_memory = now.commit + extra
        k32.SetInformationJobObject(_job, 9, c.byref(info), c.sizeof(info))  # 9: JobObjectExtendedLimitInformation
    except Exception:  # noqa: BLE001 - see the docstring
        pass


def main() -> int:
    """The child: answer requests until stdin closes."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # nothing else reaches the frames
    sys.stdout = sys.stderr

    def send(*message) -> None:
        _write(out, *message)

    importlib.import_module(_OPS["book"][1])  # the first workbook pays no import
    send("ready")
    while (frame := _read(sys.stdin.buffer)) is not None:
        request = frame[0]
        try:
            module, library = _OPS[request["op"]]
            importlib.import_module(library)  # before the cap: the import is not the file's memory
            cap_memory(request["memory"])
            importlib.import_module(module).serve(request, send)
        except MemoryError:
            try:
                send("error", "memory", "")
            except BaseException:  # noqa: BLE001 - no memory even for the message: the exit code says it
                os._exit(137)
        except BaseException as exc:  # noqa: BLE001 - a handler's own failure: the file is the likely cause
            send("error", "crash", f"{type(exc).__name__}: {exc}"[:160])
    return 0


if __name__ == "__main__":
    sys.exit(main())
