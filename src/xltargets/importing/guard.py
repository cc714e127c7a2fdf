"""The checks before a user's file is read: a regular file within the size limit, then a zip package (zipfile) or a
compound file (olefile) before python-calamine reads it (docs/reliability.md, "What the checks are")."""

from __future__ import annotations

import copy
import os
import re
import stat
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

import olefile

from .limits import LIMITS, broken, dtd_error, file_error, path_error, zip_bomb, zip_unreadable

__all__ = ["open_input", "check_zip", "read_parts", "check_cfb"]

_DTD = re.compile(rb"!(?:(?<=<!)|(?<=<\0!))\0?(?:D\0?O\0?C\0?T\0?Y\0?P\0?E[^>\[]*\[|E\0?N\0?T\0?I\0?T\0?Y)")
_BAD = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error, RuntimeError, LookupError)


def open_input(path: Path, *, what: str = "文件") -> BinaryIO:
    """*path* open for reading: a regular, non-empty file within ``file_bytes`` (a FIFO refused without a wait)."""
    path, limit = Path(path), LIMITS["file_bytes"]
    try:
        fh = open(path, "rb", opener=lambda name, flags: os.open(name, flags | getattr(os, "O_NONBLOCK", 0)))
    except OSError as exc:
        raise (file_error(path, "folder") if os.path.isdir(path) else path_error(path, exc)) from exc
    st = os.fstat(fh.fileno())
    kind = "special" if not stat.S_ISREG(st.st_mode) else "empty" if not st.st_size else "size"
    if kind != "size" or st.st_size > limit:
        fh.close()
        raise file_error(path, kind, st.st_size, limit, what=what)
    return fh


def _member(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, want=None) -> bytes | None:
    """Check a member a MB at a time (size, CRC, no DTD); its bytes if ``want(name, chunk)`` takes one or no *want*."""
    name = info.filename
    if info.flag_bits & 1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):  # not bzip2, lzma
        raise zip_unreadable(path, name, None if info.flag_bits & 1 else info.compress_type)
    probe = copy.copy(info)  # asked for one byte more than declared (a bomb if it is there), its CRC checked here
    probe.file_size, probe.CRC = info.file_size + 1, None
    size, crc, tail, kept, wanted = 0, 0, b"", [], want is None
    try:
        with zf.open(probe) as fh:
            while (chunk := fh.read(1 << 20)) and (size := size + len(chunk)) <= info.file_size:
                crc, window, tail = zlib.crc32(chunk, crc), tail + chunk, chunk[-64:]  # 64 bytes: a DTD's pattern fits
                if b"!" in window and _DTD.search(window):  # a byte search first: 5x faster than the pattern's
                    raise dtd_error(path, name)
                if wanted := wanted or want(name, window):
                    kept.append(chunk)
    except _BAD as exc:
        raise broken(path, f"“{name}”的数据无效", f"{name}: {exc}") from exc
    if size > info.file_size:
        raise zip_bomb(path, f"中的“{name}”解压后超过了文件记录的大小（{info.file_size} 字节）")
    if size < info.file_size or crc != info.CRC:
        raise broken(path, f"“{name}”校验失败", f"{name}: {'bad CRC' if size == info.file_size else 'short'}")
    if wanted and len(data := b"".join(kept)) < size:  # wanted from a later chunk on: read again, whole
        data = zf.read(info)
    return data if wanted else None


def _zip(path: Path, fh) -> zipfile.ZipFile:
    """zipfile's reading of *fh*, once its end record's count and directory size passed (zipfile lists them all)."""
    fh.seek(max(0, fh.seek(0, 2) - 22 - 65_535))  # the end record and its comment
    tail, limit = fh.read(), LIMITS["zip_members"]
    if (end := tail.rfind(b"PK\x05\x06")) >= 0 and end + 22 <= len(tail):
        count, directory = struct.unpack_from("<HI", tail, end + 10)
        if end >= 20 and tail[end - 20 : end - 16] == b"PK\x06\x07":  # ZIP64: its locator gives its end record
            fh.seek(struct.unpack_from("<Q", tail, end - 12)[0])
            if (record := fh.read(56))[:4] == b"PK\x06\x06" and len(record) == 56:
                count, directory = struct.unpack_from("<QQ", record, 32)
        if count > limit:
            raise zip_bomb(path, f"含有 {count} 个部件，超过 {limit} 个的上限")
        if directory > limit * 256:  # a count that lies: the directory's size bounds what zipfile lists
            raise zip_bomb(path, f"的部件目录有 {directory:,} 字节，超过 {limit} 个部件应有的大小")
    try:
        return zipfile.ZipFile(fh)
    except _BAD as exc:
        raise broken(path, "不是完整的 xlsx 压缩包，可能只下载或复制了一部分",
                     "not a complete zip; maybe only part of it was downloaded or copied") from exc


def read_parts(path: Path, keep, *, limit: int) -> dict[str, bytes]:
    """The members of the zip at *path* whose name (lower case, "/") *keep* takes, checked, *limit* bytes in all."""
    with open_input(path) as fh:
        zf = _zip(path, fh)
        infos = {key: i for i in zf.infolist() if keep(key := i.filename.replace("\\", "/").lower())}
        if (total := sum(i.file_size for i in infos.values())) > limit:
            raise zip_bomb(path, f"解压后有 {total:,} 字节，超过 {limit:,} 字节的上限")
        return {key: _member(path, zf, info) for key, info in infos.items()}


def check_zip(path: Path, fh, seen) -> set[str]:
    """Check every member of *fh*, each handed to ``seen(name, data)`` (None unless ``seen.wants``); their names."""
    zf, limit, most = _zip(path, fh), LIMITS["zip_members"], LIMITS["unzipped_bytes"]
    infos = [i for i in zf.infolist() if not i.filename.endswith("/")]
    if len(infos) > limit:
        raise zip_bomb(path, f"含有 {len(infos)} 个部件，超过 {limit} 个的上限")
    if (declared := sum(i.file_size for i in infos)) > most:
        raise zip_bomb(path, f"解压后共 {declared // 2**20} MB，超过 {most // 2**20} MB 的上限")
    for info in infos:
        seen(info.filename, _member(path, zf, info, seen.wants))
    return {i.filename for i in infos}


def check_cfb(path: Path, fh) -> tuple[olefile.OleFileIO, bytes | None]:
    """olefile's reading of *fh* and its Workbook (else Book) stream, its counts and sizes bounded by the file's."""
    size, _ = fh.seek(0, 2), fh.seek(0)
    head = fh.read(512)  # the FAT, mini FAT and DIFAT sector counts
    if len(head) == 512 and any(n > size // 512 for n in struct.unpack_from("<I16xI4xI", head, 0x2C)):
        raise broken(path, "Office 复合文档结构无效：文件头记录的扇区数超过文件大小",
                     "the header counts more sectors than the file holds")
    try:
        ole = olefile.OleFileIO(fh)
        book = next((b for b in ("Workbook", "Book") if ole.exists(b)), None)  # calamine's order; any letter case
        if ole.root.size > size or book and ole.get_size(book) > size:
            raise OSError("a stream declares more bytes than the file holds")
        return ole, book and ole.openstream(book).read()
    except _BAD as exc:
        raise broken(path, "Office 复合文档结构无效", f"invalid compound file ({exc})") from exc
