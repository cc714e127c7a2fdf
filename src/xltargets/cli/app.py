"""The one entry point of the CLI: dispatch, ``--version``, help, and the one error policy.

``xltargets COMMAND ...`` imports only ``xltargets.cli.COMMAND``'s module; ``--version``
and ``-h`` import nothing beyond the standard library. Every
:class:`~xltargets.errors.XltargetsError` becomes one Chinese line and its exit code;
anything else becomes an "internal error" line with exit 3, never a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import NoReturn

from .commands import COMMANDS
from .output import err, out

# argparse, difflib and the command modules are imported only when a command runs, so that
# --version and -h start with the interpreter and little else (issue 14's start-up target)

__all__ = ["app", "main", "build_parser", "EXIT_OK", "EXIT_FINDINGS", "EXIT_INPUT", "EXIT_INTERNAL", "PROG"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3

PROG = "xltargets"
DESCRIPTION = "财政项目支出绩效目标申报表：导入、校验、生成汇总表。"


def _version() -> str:
    from .. import __version__

    return __version__


def _top_help() -> str:
    names = max(len(name) for name, _, _ in COMMANDS)
    lines = [
        f"用法：{PROG} [-h] [--version] 命令 [参数 ...]",
        "",
        DESCRIPTION,
        "",
        "命令：",
        *(f"  {name.ljust(names)}  {summary}" for name, _, summary in COMMANDS),
        "",
        "选项：",
        "  -h, --help     显示本帮助并退出",
        "  -V, --version  显示版本号并退出",
        "",
        f"运行“{PROG} 命令 -h”查看该命令的参数和选项。",
    ]
    return "\n".join(lines)


def _module(name: str):
    for command, module, _ in COMMANDS:
        if command == name:
            return importlib.import_module(f"{__package__}.{module}")
    raise KeyError(name)


def build_parser(name: str):
    """The parser of one command (its module's ``configure`` fills it in)."""
    from .parser import Parser

    module = _module(name)
    summary = next(s for c, _, s in COMMANDS if c == name)
    parser = Parser(
        prog=f"{PROG} {name}",
        description=getattr(module, "DESCRIPTION", summary + "。"),
        epilog=getattr(module, "EPILOG", None),
    )
    module.configure(parser)
    parser.set_defaults(_run=getattr(module, "run", None))
    return parser


def _dispatch(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        if len(argv) > 1 and argv[0] == "help" and argv[1] in {c for c, _, _ in COMMANDS}:
            return _dispatch([argv[1], "-h"])
        out(_top_help())
        return EXIT_OK
    first = argv[0]
    if first in ("-V", "--version"):
        out(f"{PROG} {_version()}")
        return EXIT_OK
    names = [c for c, _, _ in COMMANDS]
    if first not in names:
        import difflib

        from .parser import usage_error

        usage = f"用法：{PROG} [-h] [--version] 命令 [参数 ...]"
        if first.startswith("-"):
            usage_error(PROG, f"无法识别的选项“{first}”", usage)
        close = difflib.get_close_matches(first, names, n=1, cutoff=0.5)
        guess = f"您是不是要找“{close[0]}”？" if close else ""
        usage_error(PROG, f"没有命令“{first}”。{guess}可用的命令：{'、'.join(names)}", usage)
    args = build_parser(first).parse_args(argv[1:])
    from ..progress import reporting
    from .progress import terminal_progress

    # every command's long loops report through xltargets.progress; drawn at a terminal only
    with terminal_progress() as progress, reporting(progress):
        code = args._run(args)
    return EXIT_OK if code is None else int(code)


#: what a shell reports for a process ended by SIGPIPE (128 + 13)
EXIT_BROKEN_PIPE = 141


def _silence_stdout() -> None:
    """Point stdout at the null device, so that Python's flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests): nothing to flush
        pass


def _tolerant_streams() -> None:
    """Never fail on a character the output's encoding lacks (a pipe on Chinese Windows is GBK: no ✓).

    Such a character is written as ``\\u2713``: text stays readable, and JSON stays exact
    (it is JSON's own escape). So is a file name that is no UTF-8 (Linux: a GBK name from a Windows zip,
    lone surrogates in Python) on a strict UTF-8 output.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if (encoding != "utf8" or getattr(stream, "errors", "") == "strict") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # pragma: no cover - a stream that cannot change
                pass


def _report(exc) -> None:
    err(exc.one_line())


def app(argv: list[str] | None = None) -> int:
    """Run ``xltargets ARGV`` in this process; the exit code (usage errors raise SystemExit)."""
    from ..errors import XltargetsError

    argv = list(sys.argv[1:] if argv is None else argv)
    _tolerant_streams()
    try:
        return _dispatch(argv)
    except XltargetsError as exc:
        _report(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        err("已中断，未写入任何文件。")
        return 130
    except BrokenPipeError:  # the reader went away (xltargets check … | head): stop quietly
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except MemoryError:
        err("错误：文件过大，内存不足，未写入任何文件。处理办法：拆分文件后分别处理。 | Error: out of memory")
        return EXIT_INPUT
    except (SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        # (BaseException: a panic inside a Rust extension is pyo3's PanicException)
        if os.environ.get("XLTARGETS_DEBUG"):
            raise
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        err(
            f"错误：xltargets 内部错误（{detail}），未写入任何文件。"
            "处理办法：请把所用命令和输入文件发给维护人员；设置环境变量 XLTARGETS_DEBUG=1 可显示详细信息。"
        )
        return EXIT_INTERNAL


def main(argv: list[str] | None = None) -> NoReturn:
    """Console-script entry point: run, then exit with the code."""
    sys.exit(app(argv))
