"""Checking a zip package (xlsx/xlsm/xlsb/ods) with zipfile before python-calamine reads it in the reader
process (docs/reliability.md, "What the checks are"). What kind of workbook it is: :mod:`.kinds`."""

from __future__ import annotations

import copy
import re
import struct
import zipfile
import zlib
from pathlib import Path

from .guard import open_input
from .limits import LIMITS, broken, dtd_error, zip_bomb, zip_unreadable

__all__ = ["check_zip", "read_part", "read_parts"]

_DTD = re.compile(rb"!(?:(?<=<!)|(?<=<\0!))\0?(?:D\0?O\0?C\0?T\0?Y\0?P\0?E[^>\[]*\[|E\0?N\0?T\0?I\0?T\0?Y)")
_BAD = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error, NotImplementedError, RuntimeError,
        IndexError, KeyError)
_CHUNK = 1 << 20


def _member(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, want=None) -> bytes | None:
    """Check the member as zipfile inflates it, 1 MB at a time: its declared size, its CRC, no entities. Its bytes
    when *want* (given each chunk after the end of the one before) takes one (no *want*: all), else None."""
    name = info.filename
    if info.flag_bits & 1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):  # not bzip2, lzma
        raise zip_unreadable(path, name, None if info.flag_bits & 1 else info.compress_type)
    probe = copy.copy(info)  # asked for one byte more than declared (a bomb if it is there), its CRC checked here
    probe.file_size, probe.CRC = info.file_size + 1, None
    size, crc, tail, kept, wanted = 0, 0, b"", [], want is None
    try:
        with zf.open(probe) as fh:
            while (chunk := fh.read(_CHUNK)) and (size := size + len(chunk)) <= info.file_size:
                crc, window, tail = zlib.crc32(chunk, crc), tail + chunk, chunk[-64:]  # 64 bytes: a DTD's pattern fits
                if b"!" in window and _DTD.search(window):  # a byte search first: 5x faster than the pattern's
                    raise dtd_error(path, name)
                if wanted := wanted or want(window):
                    kept.append(chunk)
    except _BAD as exc:
        raise broken(path, f"“{name}”的数据无效", f"{name}: {exc}") from exc
    if size > info.file_size:
        raise zip_bomb(path, f"中的“{name}”解压后超过了文件记录的大小（{info.file_size} 字节）")
    if size < info.file_size or crc != info.CRC:
        raise broken(path, f"“{name}”校验失败", f"{name}: {'bad CRC' if size == info.file_size else 'short'}")
    if wanted and len(data := b"".join(kept)) < size:  # wanted from a later chunk on: read again, whole
        with zf.open(info) as fh:
            data = fh.read()
    return data if wanted else None


def _zip(path: Path, fh) -> zipfile.ZipFile:
    """zipfile's reading of the zip open as *fh*, once the end record's member count and directory size passed
    the limit: zipfile lists every member (a ZipInfo each, ~570 bytes) before anyone can count them."""
    size = fh.seek(0, 2)
    fh.seek(max(0, size - 22 - 65_535))  # the end record and its comment
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
    """The members of the zip at *path* (a file a user named) whose name (lower case, "/") *keep* accepts,
    by that name, checked as :func:`check_zip` checks them; InputError past *limit* bytes in all."""
    with open_input(path) as fh:
        zf = _zip(path, fh)
        infos = {key: i for i in zf.infolist() if keep(key := i.filename.replace("\\", "/").lower())}
        if (total := sum(i.file_size for i in infos.values())) > limit:
            raise zip_bomb(path, f"解压后有 {total:,} 字节，超过 {limit:,} 字节的上限")
        return {key: _member(path, zf, info) for key, info in infos.items()}


def read_part(path: Path, name: str, *, limit: int) -> bytes | None:
    """The member *name* (in any letter case) as :func:`read_parts` reads it; None when there is none."""
    return read_parts(path, name.lower().__eq__, limit=limit).get(name.lower())


def check_zip(path: Path, fh, seen) -> set[str]:
    """Check every member of the zip open as *fh*; the parts *seen* wants (``seen.wants(name, chunk)``) are
    handed to it whole (``seen(name, data)``, the others with None). The members' names (folders left out)."""
    zf = _zip(path, fh)
    infos = [i for i in zf.infolist() if not i.filename.endswith("/")]
    if len(infos) > LIMITS["zip_members"]:
        raise zip_bomb(path, f"含有 {len(infos)} 个部件，超过 {LIMITS['zip_members']} 个的上限")
    if (declared := sum(i.file_size for i in infos)) > LIMITS["unzipped_bytes"]:
        raise zip_bomb(path, f"解压后共 {declared // 2**20} MB，超过 {LIMITS['unzipped_bytes'] // 2**20} MB 的上限")
    for info in infos:
        want = lambda chunk, name=info.filename: seen.wants(name, chunk)  # noqa: E731 - one part's question
        seen(info.filename, _member(path, zf, info, want))
    return {i.filename for i in infos}
