"""Run the CLI in-process for tests: ``CliRunner().invoke(app, [...])``.

The same shape as click's runner (``exit_code``, ``stdout``, ``stderr``, ``output``:
both streams as printed, interleaved), so a test reads like a user's session.
Streams are not terminals here; see tests/test_cli_terminal.py for a real pty.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass

__all__ = ["CliRunner", "Result"]


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str
    output: str
    exception: BaseException | None = None


class _Tee(io.StringIO):
    def __init__(self, both: io.StringIO) -> None:
        super().__init__()
        self.both = both

    def write(self, text: str) -> int:
        self.both.write(text)
        return super().write(text)

    def isatty(self) -> bool:
        return False


class CliRunner:
    """Invoke ``xltargets ARGS`` in this process, capturing what it prints."""

    def invoke(self, app, args, catch_exceptions: bool = True, input: str | None = None) -> Result:  # noqa: A002
        both = io.StringIO()
        out, err = _Tee(both), _Tee(both)
        saved = sys.stdout, sys.stderr, sys.stdin
        sys.stdout, sys.stderr = out, err
        if input is not None:
            sys.stdin = io.StringIO(input)
        exception = None
        try:
            code = app([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except Exception as exc:  # noqa: BLE001
            if not catch_exceptions:
                raise
            exception, code = exc, 1
        finally:
            sys.stdout, sys.stderr, sys.stdin = saved
        return Result(code, out.getvalue(), err.getvalue(), both.getvalue(), exception)
