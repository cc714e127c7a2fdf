"""Safe file handling: atomic writes, no overwriting, inputs never touched.

Every output goes to a temporary file in the target folder and is renamed
over the target only once complete, so a crash or a full disk leaves the old
output intact. An output that is one of the inputs is refused.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import WorkbookError

__all__ = ["atomic_output", "atomic_write", "check_output_path"]


def check_output_path(out: Path, *, force: bool, inputs: Iterable[Path] = ()) -> None:
    """Refuse to write *out* over an input, or over an existing file without *force*."""
    out = Path(out)
    for src in inputs:
        try:
            if Path(src).exists() and out.exists() and os.path.samefile(src, out):
                raise WorkbookError(
                    f"输出文件“{out}”就是输入文件，不能覆盖输入。",
                    hint="用 -o 指定另一个输出文件名。",
                    path=str(out),
                )
        except OSError:
            continue
    if out.exists() and not force:
        raise WorkbookError(
            f"输出文件“{out}”已存在，未做任何修改。",
            hint="换一个文件名，或加 --force 覆盖它。",
            path=str(out),
        )
    if not out.parent.exists():
        raise WorkbookError(
            f"输出文件夹“{out.parent}”不存在。",
            hint="先创建该文件夹，或换一个输出路径。",
            path=str(out),
        )


@contextlib.contextmanager
def atomic_output(out: Path) -> Iterator[Path]:
    """Yield a temp path beside *out*; rename it over *out* when the block succeeds.

    On any exception the temp file is removed and *out* is left as it was.
    """
    out = Path(out)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        try:
            os.replace(tmp, out)
        except PermissionError as exc:
            raise WorkbookError(
                f"无法写入“{out}”：文件可能正在被 Excel 或 WPS 打开（已锁定）。",
                hint="关闭该文件后重试，或用 -o 换一个文件名。",
                path=str(out),
            ) from exc
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, PermissionError):
            raise WorkbookError(
                f"无法写入“{out}”：没有写权限或文件被锁定。",
                hint="关闭占用该文件的程序，或换一个输出位置。",
                path=str(out),
            ) from exc
        if exc.errno == errno.ENOSPC:
            raise WorkbookError(
                f"磁盘空间不足，未能写入“{out}”；原有文件未被改动。",
                hint="清理磁盘空间后重试。",
                path=str(out),
            ) from exc
        raise WorkbookError(f"写入“{out}”失败：{exc.strerror or exc}", path=str(out)) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write(out: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp_path)`` and move the result over *out* atomically."""
    with atomic_output(out) as tmp:
        write(tmp)
