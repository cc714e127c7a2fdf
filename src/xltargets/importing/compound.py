"""Checking an OLE2 compound file (.xls, an encrypted .xlsx, a .doc …) with olefile before python-calamine
reads it in the reader process (docs/reliability.md, "What the checks are"). What it is: :mod:`.kinds`."""

from __future__ import annotations

import struct
from pathlib import Path

import olefile

from .limits import broken

__all__ = ["check_cfb"]


def check_cfb(path: Path, fh) -> tuple[olefile.OleFileIO, bytes | None]:
    """olefile's reading of the compound file open as *fh*, and its Workbook (else Book) stream, None without
    one. olefile reads as many DIFAT and mini FAT sectors as the header counts, and a stream as far as its
    declared size, through chains that may loop: each count and size is first bounded by the file's size."""
    size, _ = fh.seek(0, 2), fh.seek(0)
    head = fh.read(512)
    counts = (struct.unpack_from("<I", head, 0x2C)[0], *struct.unpack_from("<I4xI", head, 0x40)) if len(head) == 512 else ()
    if any(count > size // 512 for count in counts):
        raise broken(path, "Office 复合文档结构无效：文件头记录的扇区数超过文件大小", "the header counts more sectors than the file holds")
    try:
        ole = olefile.OleFileIO(fh)
        book = next((b for b in ("Workbook", "Book") if ole.exists(b)), None)  # calamine's order; any letter case
        if ole.root.size > size or book and ole.get_size(book) > size:
            raise OSError("a stream declares more bytes than the file holds")
        return ole, book and ole.openstream(book).read()
    except (OSError, ValueError, struct.error, IndexError, KeyError, RuntimeError) as exc:
        raise broken(path, "Office 复合文档结构无效", f"invalid compound file ({exc})") from exc

