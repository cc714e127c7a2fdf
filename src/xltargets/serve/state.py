"""``~/.xltargets/serve.json``: where the running service listens and its token.

The file is readable by its owner only (0600) in a folder only the owner may
enter (0700). The token is kept across restarts, so an installed WPS add-in
(whose config holds it) keeps working; ``xltargets serve --new-token``
replaces it. Nothing else here touches the disk.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import WorkbookError

__all__ = ["ServeState", "state_dir", "state_file", "load_token", "new_token", "write_state", "read_state", "clear_state"]

FILE_NAME = "serve.json"


def state_dir(home: Path | None = None) -> Path:
    return (home or Path.home()) / ".xltargets"


def state_file(home: Path | None = None) -> Path:
    return state_dir(home) / FILE_NAME


@dataclass(frozen=True)
class ServeState:
    port: int
    token: str
    pid: int | None = None

    @property
    def url(self) -> str:
        from . import HOST

        return f"http://{HOST}:{self.port}/"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _private_file(path: Path) -> bool:
    """A regular file (not a symlink) of this user that nobody else may read."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode):
        return False
    if os.name == "nt":  # no POSIX modes: the user's profile folder is private by its ACL
        return True
    return not st.st_mode & 0o077 and st.st_uid == os.getuid()


def read_state(home: Path | None = None) -> ServeState | None:
    """The recorded state, or None when there is none or it is not private."""
    path = state_file(home)
    if not _private_file(path):
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        token = str(data["token"])
        port = int(data.get("port") or 0)
        pid = data.get("pid")
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if len(token) < 32:
        return None
    return ServeState(port=port, token=token, pid=int(pid) if isinstance(pid, int) else None)


def load_token(home: Path | None = None, *, renew: bool = False) -> str:
    """The token of the last run (when its file is private), else a new one."""
    old = None if renew else read_state(home)
    return old.token if old else new_token()


def _ensure_dir(folder: Path) -> None:
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise WorkbookError(f"无法创建文件夹“{folder}”：{exc.strerror or exc}。", hint="检查用户主目录的权限。", path=str(folder)) from exc
    if folder.is_symlink() or not folder.is_dir():
        raise WorkbookError(
            f"“{folder}”不是文件夹（或是符号链接），xltargets 不在其中写入。",
            hint="删除或改名该文件后重试。",
            path=str(folder),
        )
    os.chmod(folder, 0o700)


def write_state(state: ServeState, home: Path | None = None) -> Path:
    """Write serve.json (0600) atomically: a new private file renamed over the old one."""
    path = state_file(home)
    _ensure_dir(path.parent)
    tmp = path.with_name(f".{FILE_NAME}.{os.getpid()}.tmp")
    data = json.dumps({"port": state.port, "token": state.token, "pid": state.pid}, ensure_ascii=False)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(tmp, flags, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data + "\n")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WorkbookError(f"无法写入“{path}”：{exc.strerror or exc}。", hint="检查用户主目录的权限。", path=str(path)) from exc
    return path


def clear_state(pid: int, home: Path | None = None) -> None:
    """On exit: forget port and pid (only when the file is still ours), keep the token."""
    current = read_state(home)
    if current is not None and current.pid == pid:
        write_state(ServeState(port=0, token=current.token, pid=None), home)
