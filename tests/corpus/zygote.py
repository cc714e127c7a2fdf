#!/usr/bin/env python3
"""Run many CLI cases fast: import xltargets once, then fork one child per case (POSIX).

The harness writes one JSON object per line to stdin,
``{"args": [...], "cwd": "...", "memory": bytes}``, and reads one line back per case,
``{"code": int, "stdout": str, "stderr": str}``. Each case runs in its own forked
process exactly as ``python -m xltargets ARGS`` would (``xltargets.cli.main``,
its own stdout/stderr, its own exit code, a memory cap), minus the interpreter's
start-up, so a case that aborts or panics only kills its child. A child killed
by a signal reports ``-signal`` as its code.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile


def _child(args: list[str], cwd: str, memory: int, out_fd: int, err_fd: int) -> None:  # pragma: no cover
    code = 0
    try:
        os.chdir(cwd)
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        except (ImportError, ValueError, OSError):
            pass
        os.dup2(out_fd, 1)
        os.dup2(err_fd, 2)
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", write_through=True)
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", write_through=True)
        sys.argv = ["xltargets", *args]
        from xltargets.cli import main

        try:
            main(args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - what `python -m` would do: print the traceback, exit 1
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def main() -> int:
    import xltargets.cli  # noqa: F401 - the warm-up every child shares

    for line in sys.stdin:
        job = json.loads(line)
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                _child(job["args"], job["cwd"], job["memory"], out.fileno(), err.fileno())
            _, status = os.waitpid(pid, 0)
            code = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            reply = {
                "code": code,
                "stdout": out.read().decode("utf-8", "replace"),
                "stderr": err.read().decode("utf-8", "replace"),
            }
        sys.stdout.write(json.dumps(reply, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
