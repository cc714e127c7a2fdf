"""Opening a file a user named (an input, ``--vba-from``, an output checked for our mark): a regular
file within the size limit, or a clear refusal. It is opened non-blocking and checked by its handle, so
a FIFO or device is refused without waiting on it, and what is checked is what is read."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO, Iterator

from ..errors import InputError
from .limits import LIMITS

__all__ = ["open_input", "path_error"]


def path_error(path: Path, exc: OSError) -> InputError:
    """The user's message for an OSError while opening *path*."""
    if exc.errno == errno.ENAMETOOLONG:
        return InputError(f"文件名“{path.name[:40]}…”太长（{len(path.name)} 个字符），无法打开。", hint="把文件改成较短的名字后再导入。",
                          path=str(path), en=f"cannot read: the file name is too long ({len(path.name)} characters)")
    if exc.errno == errno.ENOENT:
        return InputError(f"找不到文件“{path}”。", hint="检查文件名和路径。", path=str(path), en=f"cannot read {path}: file not found")
    if isinstance(exc, PermissionError):
        return InputError(f"没有权限读取“{path.name}”。", hint="检查文件权限，或先把文件复制到自己的文件夹。", path=str(path), en=f"cannot read {path}: no permission")
    return InputError(f"无法读取“{path.name}”：{exc.strerror or exc}", hint="检查文件名和路径。", path=str(path), en=f"cannot read {path}: {exc.strerror or exc}")


@contextlib.contextmanager
def open_input(path: Path, *, limit: int | None = None, what: str = "文件") -> Iterator[BinaryIO]:
    """*path* open for reading: a regular, non-empty file of at most *limit* bytes (``LIMITS["file_bytes"]``)."""
    path = Path(path)
    limit = LIMITS["file_bytes"] if limit is None else limit
    folder = InputError(f"“{path}”是文件夹，不是文件。", hint="写出文件夹中的文件名。", path=str(path), en=f"cannot read {path}: it is a folder")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise (folder if os.path.isdir(path) else path_error(path, exc)) from exc
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise folder
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"“{path.name}”不是普通文件（是管道、设备或套接字），已拒绝读取。", hint=f"请指定保存在磁盘上的{what}。",
                             path=str(path), en=f"cannot read {path}: not a regular file (a pipe, device or socket)")
        if (size := st.st_size) == 0:
            raise InputError(f"“{path.name}”是空文件（0 字节）。", hint="请提供含申报表的工作簿或 TSV 文本。", path=str(path), en=f"cannot read {path.name}: empty (0 bytes)")
        if size > limit:
            raise InputError(f"“{path.name}”有 {size / 2**20:,.0f} MB，超过每个文件 {limit // 2**20} MB 的上限。", path=str(path),
                             hint="删除与申报表无关的工作表和图片，或拆分为较小的文件后再导入。", en=f"cannot read {path.name}: larger than the {limit // 2**20} MB limit")
        yield fh
