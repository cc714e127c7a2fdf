"""The typer application and the one error policy of the CLI."""

from __future__ import annotations

import functools
import os
import sys
from typing import Callable, TypeVar

import typer
from rich.console import Console

from ..errors import XltargetsError

__all__ = ["app", "main", "console", "err_console", "handle_errors", "EXIT_OK", "EXIT_FINDINGS", "EXIT_INPUT"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3

app = typer.Typer(
    name="xltargets",
    help="财政项目支出绩效目标申报表：导入、校验、生成汇总表。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

F = TypeVar("F", bound=Callable)


def report_error(exc: XltargetsError) -> None:
    """Print an error as one line: what failed and the fix in Chinese, then English."""
    err_console.print(exc.one_line(), markup=False, soft_wrap=True)


def handle_errors(func: F) -> F:
    """Turn XltargetsError into a message and an exit code (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except XltargetsError as exc:
            report_error(exc)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        app(args=argv, prog_name="xltargets")
    except XltargetsError as exc:  # pragma: no cover - handle_errors covers commands
        report_error(exc)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:  # pragma: no cover
        err_console.print("已中断，未写入任何文件。 | Interrupted; no file was written")
        sys.exit(130)
    except MemoryError:  # pragma: no cover
        err_console.print("错误：文件过大，内存不足。处理办法：拆分文件后分别处理。 | Error: out of memory; split the input")
        sys.exit(EXIT_INPUT)
    except (SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        # (BaseException: a panic inside a Rust extension is pyo3's PanicException)
        if os.environ.get("XLTARGETS_DEBUG"):
            raise
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        err_console.print(
            f"错误：xltargets 内部错误（{detail}），未写入任何文件。"
            "处理办法：请把所用命令和输入文件发给维护人员；设置环境变量 XLTARGETS_DEBUG=1 可显示详细信息。"
            f" | Error: internal error ({detail}); no file was written",
            markup=False,
            soft_wrap=True,
        )
        sys.exit(EXIT_INTERNAL)
