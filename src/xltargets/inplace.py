"""Editing a user's workbook in place, safely: one editor at a time, the real file, whole or not at all.

``xltargets new WORKBOOK`` (and any later in-place edit) runs inside
:func:`edit_in_place`:

- **a lock** (``filelock``: ``fcntl`` on Linux and macOS, ``msvcrt`` on Windows) on a
  lock file of the user's own, ``~/.xltargets/locks/<hash of the real path>.lock``, so
  that nothing is ever left in the user's folder. A second xltargets editing the same
  workbook waits for the first (up to *wait* seconds, saying so), then reads the
  workbook *after* the first one's change: both changes are kept. After *wait* it is
  refused with a message and changes nothing.
- **the real file**: a symlink is resolved first, so the edit changes the file it points
  to and the link stays a link (the lock is on the real file, so two links to one
  workbook share it).
- **compare and swap** (also what protects a workbook on a shared drive against another
  user's edit, whose lock lives in their own profile): the workbook's identity (size, modification time, inode) is
  taken when it is read and compared again before the new one is written; a workbook saved
  meanwhile by another program (Excel, WPS) is not overwritten.
- **atomic**: the new workbook is written beside it and renamed over it
  (:mod:`xltargets.fileio`), so a failure leaves the old file as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .errors import WorkbookError

__all__ = ["edit_in_place", "Edit", "lock_path", "WAIT_SECONDS"]

#: how long a second editor waits for the first before it is refused
WAIT_SECONDS = 120.0


def lock_path(real: Path, home: Path | None = None) -> Path:
    """The lock file of the workbook at *real* (a resolved path), in the user's ``~/.xltargets/locks``.

    Named by a hash of the path (case-folded where the file system is, as on Windows), so
    that two links to one workbook share it and the user's folder stays as it was.
    """
    key = hashlib.sha256(os.path.normcase(str(real)).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return (home or Path.home()) / ".xltargets" / "locks" / f"{key}.lock"


def _identity(path: Path) -> tuple[int, int, int, int]:
    st = path.stat()
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)


@dataclass
class Edit:
    """An in-place edit in progress: the real path to read and :meth:`unchanged` to call before writing."""

    path: Path  # what the user named
    real: Path  # the file it resolves to: read it, write it
    identity: tuple[int, int, int, int] | None  # None: it does not exist yet (it is being created)

    def unchanged(self) -> None:
        """Raise WorkbookError when another program saved the workbook since it was read."""
        try:
            now = _identity(self.real)
        except OSError:
            now = None
        if now != self.identity:
            raise WorkbookError(
                f"“{self.path}”在 xltargets 读取之后被其他程序修改或移走，为免覆盖他人的修改，未写入任何内容。",
                hint="在 Excel/WPS 中保存并关闭该工作簿后，重新运行本命令。",
                path=str(self.path), en=f"{self.path} changed while it was being edited; nothing was written",
            )


@contextlib.contextmanager
def edit_in_place(
    path: Path, *, wait: float | None = None, on_wait: Callable[[str], None] | None = None, create: bool = False
) -> Iterator[Edit]:
    """Lock the workbook *path* for an edit; yield the :class:`Edit` (read ``edit.real``, write ``edit.real``).

    *on_wait* is called with a message when another edit holds the lock (the CLI prints it).
    With *create*, *path* may not exist yet: ``edit.identity`` is then None, and
    :meth:`Edit.unchanged` refuses if something appeared there meanwhile.
    """
    from filelock import FileLock, Timeout

    wait = WAIT_SECONDS if wait is None else wait
    path = Path(path)
    real = Path(os.path.realpath(path))
    lock = FileLock(str(lock_path(real)))
    try:
        lock_path(real).parent.mkdir(parents=True, exist_ok=True)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if on_wait is not None:
                on_wait(f"“{path}”正由另一个 xltargets 修改，等它完成（最多 {wait:.0f} 秒）……")
            lock.acquire(timeout=wait)
    except Timeout:
        raise WorkbookError(
            f"“{path}”正由另一个 xltargets 修改，等待 {wait:.0f} 秒后仍未完成；未做任何修改。",
            hint=f"等另一个命令结束后重试；若没有其他命令在运行，删除锁文件“{lock_path(real)}”。",
            path=str(path), en=f"{path} is locked by another xltargets edit ({lock_path(real)})",
        ) from None
    except OSError as exc:
        raise WorkbookError(
            f"无法创建锁文件“{lock_path(real)}”，未做任何修改：{exc.strerror or exc}。",
            hint="检查用户目录下的 .xltargets 文件夹是否可写。",
            path=str(path), en=f"cannot create the lock file {lock_path(real)}: {exc.strerror or exc}",
        ) from exc
    try:
        try:
            identity = _identity(real)
        except FileNotFoundError as exc:
            if not create:
                raise WorkbookError(
                    f"找不到工作簿“{path}”。", hint="检查文件名和所在文件夹。", path=str(path),
                ) from exc
            identity = None
        yield Edit(path, real, identity)
    finally:
        lock.release()
