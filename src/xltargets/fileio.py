"""Safe file handling: atomic writes, no overwriting, inputs never touched.

Every output goes to a temporary file in the target folder, is flushed to
disk, and is renamed over the target only once complete, so a crash, a full
disk or a killed process leaves the old output intact and never a half-written
file under the real name. Two runs writing the same output each write their
own temporary file; the last rename wins and the result is always one whole
file. An output that is one of the inputs is refused.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

from .errors import WorkbookError

__all__ = ["atomic_output", "atomic_open", "atomic_write", "check_output_path", "require_suffix", "require_folder"]

_LOCKED_HINT = "关闭在 Excel/WPS 中打开的该文件后重试，或用 -o 换一个文件名。"
#: what the temporary file beside an output adds to its path (``.<name>.<8 random>.tmp``, see :func:`atomic_output`)
TEMP_EXTRA = 14
#: Windows' MAX_PATH less its terminating NUL: without long paths enabled, no longer path can be opened
_WINDOWS_PATH = 259
_ON_WINDOWS = sys.platform == "win32"


def require_suffix(out: Path, allowed: tuple[str, ...], what: str, *, why: str = "") -> str:
    """The lower-case suffix of *out* when it is one of *allowed*; else a WorkbookError.

    The message names what was given, what is expected (*what* is the kind of file,
    e.g. "汇总表工作簿"; *why* an optional reason, starting with "，") and the name to use.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix in allowed:
        return suffix
    given = f"的扩展名是 {out.suffix}" if out.suffix else "没有扩展名"
    try:
        fixed = out.with_suffix(allowed[0]).name
    except ValueError:  # a name such as "." has no stem to put a suffix on
        fixed = f"{what}{allowed[0]}"
    raise WorkbookError(
        f"输出文件“{out.name}”{given}，{what}须保存为 {' 或 '.join(allowed)} 文件{why}。",
        hint=f"把输出文件名改为“{fixed}”。",
        path=str(out),
        en=f"the output {out.name} must end with {' or '.join(allowed)}",
    )


def require_folder(path: Path) -> None:
    """Refuse before writing when *path*, or the nearest of its folders that exists, is not a folder (a file there)."""
    for p in [Path(path), *Path(path).parents]:
        if p.exists() or p.is_symlink():
            if not p.is_dir():
                raise WorkbookError(
                    f"“{p}”应是文件夹，但它是一个文件；未做任何修改。", hint="删除或改名这个文件后重试。",
                    path=str(p), en=f"{p} should be a folder but is a file; nothing was changed",
                )
            return


def check_output_path(out: Path, *, force: bool, inputs: Iterable[Path] = ()) -> None:
    """Refuse to write *out* over an input, or over an existing file without *force*."""
    out = Path(out)
    try:
        _check_output_path(out, force=force, inputs=inputs)
    except OSError as exc:  # a name too long, a path through a file, no access to the folder …
        raise _write_error(out, exc) from exc


def _check_output_path(out: Path, *, force: bool, inputs: Iterable[Path]) -> None:
    exists = out.exists()
    for src in inputs:
        try:
            same = exists and Path(src).exists() and os.path.samefile(src, out)
            read_there = exists and not same and Path(src).is_dir() and os.path.samefile(src, out.parent)
        except OSError:
            continue
        if same:
            raise WorkbookError(
                f"输出文件“{out}”就是输入文件，不能覆盖输入。",
                hint="用 -o 指定另一个输出文件名。",
                path=str(out), en=f"the output {out} is one of the inputs",
            )
        if read_there and _read_from_folder(out):  # a rerun would read its own last output, then replace it
            raise WorkbookError(
                f"输出文件“{out}”在输入文件夹“{src}”中，会被当作输入读入，不能覆盖输入。",
                hint="用 -o 把输出写到输入文件夹以外，或先把该文件移出文件夹。",
                path=str(out), en=f"the output {out} is read as an input from the folder {src}",
            )
    if out.is_dir():
        raise WorkbookError(
            f"输出路径“{out}”是一个文件夹。",
            hint="在 -o 后写出文件名，例如 -o 汇总表.xlsx。",
            path=str(out), en=f"the output {out} is a folder",
        )
    if exists and not stat.S_ISREG(os.stat(out).st_mode):  # a pipe or device would hang or be replaced
        raise WorkbookError(
            f"输出路径“{out}”不是普通文件（是管道、设备或套接字），未做任何修改。",
            hint="用 -o 指定一个普通文件名，例如 -o 汇总表.xlsx。",
            path=str(out), en=f"the output {out} is not a regular file (a pipe, device or socket); nothing was changed",
        )
    if exists:
        _refuse_read_only(out)
    if exists and not force:
        raise WorkbookError(
            f"输出文件“{out}”已存在，未做任何修改。",
            hint="换一个文件名，或加 --force 覆盖它。",
            path=str(out), en=f"{out} exists; nothing was changed (use --force to replace it)",
        )
    if not out.parent.is_dir():
        raise WorkbookError(
            f"输出文件夹“{out.parent}”不存在。",
            hint="先创建该文件夹，或换一个输出路径。",
            path=str(out), en=f"the folder {out.parent} does not exist",
        )


def _refuse_read_only(out: Path) -> None:
    """Refuse to replace a read-only file: a rename needs only the folder's permission, so on Linux and
    macOS it would replace a file its owner made read-only (Windows refuses it, as Excel does)."""
    try:
        mode = os.stat(out).st_mode
    except OSError:
        return
    if stat.S_ISREG(mode) and (not mode & stat.S_IWUSR or not os.access(out, os.W_OK)):
        raise WorkbookError(
            f"“{out}”是只读文件，未做任何修改。",
            hint="在文件属性中取消“只读”（或 chmod u+w）后重试，或用 -o 换一个文件名。",
            path=str(out), en=f"{out} is read-only; nothing was changed",
        )


def _read_from_folder(f: Path) -> bool:
    """Whether reading the folder of *f* reads *f* (a 汇总表 of ours, a PDF, a hidden file are skipped)."""
    from .importing.sources import skip_reason

    return skip_reason(f) is None


def _write_error(out: Path, exc: OSError) -> WorkbookError:
    """The user's message for an OSError while writing *out*."""
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return WorkbookError(
            f"无法写入“{out}”：没有写权限，或文件正被其他程序（Excel/WPS）打开而锁定；原有文件未被改动。",
            hint=_LOCKED_HINT,
            path=str(out), en=f"cannot write {out}: no permission, or the file is open (locked) in Excel/WPS; the old file is unchanged",
        )
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return WorkbookError(
            f"磁盘空间不足，未能写入“{out}”；原有文件未被改动。",
            hint="清理磁盘空间后重试，或用 -o 写到另一个磁盘。",
            path=str(out), en=f"disk full while writing {out}; the old file is unchanged",
        )
    # a name's limit: 255 UTF-16 units on Windows, 255 bytes on Linux and macOS, and the temporary file's is longer
    if _too_long(out, exc) and (len(out.name) if _ON_WINDOWS else len(os.fsencode(out.name))) + TEMP_EXTRA > 255:
        return WorkbookError(
            f"输出文件名“{out.name[:40]}…”太长（{len(out.name)} 个字符）。",
            hint="换一个较短的文件名或文件夹。",
            path=str(out), en=f"cannot write: the file name is too long ({len(out.name)} characters)",
        )
    if _too_long(out, exc):
        length = len(str(out.absolute()))
        return WorkbookError(
            f"输出路径太长（{length} 个字符，写入时旁边的临时文件还要再长 {TEMP_EXTRA} 个字符），未能写入“{out}”；原有文件未被改动。",
            hint=f"换一个较短的文件夹（例如 D:\\绩效目标）或较短的文件名：Windows 未开启长路径支持时，完整路径不能超过 {_WINDOWS_PATH} 个字符。",
            path=str(out), en=f"cannot write {out}: the path is too long ({length} characters, its temporary file {TEMP_EXTRA} more)",
        )
    return WorkbookError(
        f"写入“{out}”失败：{exc.strerror or exc}；原有文件未被改动。",
        hint="检查输出位置是否可写，或用 -o 换一个位置。",
        path=str(out), en=f"writing {out} failed: {exc.strerror or exc}; the old file is unchanged",
    )


def _too_long(out: Path, exc: OSError) -> bool:
    """Whether *exc* (writing *out* or its temporary file) is a path or name too long for the system."""
    if exc.errno == errno.ENAMETOOLONG or getattr(exc, "winerror", None) == 206:  # ERROR_FILENAME_EXCED_RANGE
        return True
    # Windows without long paths: the C runtime's open() of a path past MAX_PATH fails as "not found" (errno only);
    # the folder is there (check_output_path made sure), so it is the length
    return (_ON_WINDOWS and exc.errno == errno.ENOENT and len(str(out.absolute())) + TEMP_EXTRA > _WINDOWS_PATH
            and out.parent.is_dir())


def _final_mode(out: Path) -> int:
    """Permissions for the new file: those of the file it replaces, else the umask's default."""
    try:
        return stat.S_IMODE(out.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_output(out: Path) -> Iterator[Path]:
    """Yield a temp path beside *out*; rename it over *out* when the block succeeds.

    On any exception the temp file is removed and *out* is left as it was;
    an OSError (no permission, file locked, disk full) becomes a
    :class:`WorkbookError` with a message for the user.
    """
    out = Path(out)
    _refuse_read_only(out)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
        os.close(fd)
    except OSError as exc:
        raise _write_error(out, exc) from exc
    tmp = Path(tmp_name)
    try:
        yield tmp
        mode = _final_mode(out)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode)
        os.replace(tmp, out)
        _fsync_dir(out.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _write_error(out, exc) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


@contextlib.contextmanager
def atomic_open(out: Path) -> Iterator[BinaryIO]:
    """Like :func:`atomic_output`, but yield the temp file opened for writing.

    The file is closed before the rename and on any failure, even when the
    writer (``wb.save(fh)``, a ZipFile) fails half-way and never closes its
    own objects; on Windows an open handle would keep the temp file from
    being removed.
    """
    with atomic_output(out) as tmp:
        with open(tmp, "wb") as fh:
            yield fh


def atomic_write(out: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp_path)`` and move the result over *out* atomically."""
    with atomic_output(out) as tmp:
        write(tmp)
