"""Opening a file a user named (an input, ``--vba-from``, an output checked for our mark): a regular file
within the size limit, or a clear refusal (docs/reliability.md, "What the checks are")."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import BinaryIO, Iterator

from .limits import LIMITS, file_error, path_error

__all__ = ["open_input"]


@contextlib.contextmanager
def open_input(path: Path, *, limit: int | None = None, what: str = "文件") -> Iterator[BinaryIO]:
    """*path* open for reading: a regular, non-empty file of at most *limit* bytes (``LIMITS["file_bytes"]``).
    Opened non-blocking and checked by its handle: a FIFO or a device is refused without waiting on it."""
    path, limit = Path(path), LIMITS["file_bytes"] if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise (file_error(path, "folder") if os.path.isdir(path) else path_error(path, exc)) from exc
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise file_error(path, "folder" if stat.S_ISDIR(st.st_mode) else "special", what=what)
        if st.st_size == 0 or st.st_size > limit:
            raise file_error(path, "empty" if st.st_size == 0 else "size", st.st_size, limit)
        yield fh
