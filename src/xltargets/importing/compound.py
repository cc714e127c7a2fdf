"""Checking an OLE2 compound file (.xls, an encrypted .xlsx, a .doc …) with olefile.

olefile reads the header, the FAT and the directory, and reads a stream no further than its
declared size: a looping sector chain cannot make it run on (``test_olefile_stops_at_a_looping_chain``).
Refused here: an encrypted package (EncryptionInfo, EncryptedPackage) or an .xls whose globals hold
a FILEPASS record (the password message), a compound file without a Workbook/Book stream (naming
what it is: a Word or PowerPoint document), and what olefile cannot read. The Workbook stream is
handed to the importer (*seen*: its error cells, :mod:`.errorcells`).

Until python-calamine reads in the reader process, the chains, the directory and the BIFF records
are also checked as calamine reads them (the block below ``_calamine_guard``).
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import olefile

from ..errors import InputError
from .limits import Checked, SheetScan, broken, password_error

__all__ = ["inspect_cfb", "workbook_stream"]

_END, _FREE = 0xFFFFFFFE, 0xFFFFFFFF
#: the streams calamine reads an .xls from, in the order it looks for them (olefile's names ignore case)
_BOOKS = ("Workbook", "Book", "WORKBOOK", "BOOK")
#: the records calamine makes a cell of: Number, Label, RString, BoolErr, RK, LabelSst, Formula, MulRk (a
#: formula's STRING record is placed where its FORMULA is)
_CELLS = {0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006, 0x00BD}


def _ole(path: Path, fh) -> olefile.OleFileIO:
    """olefile's reading of the header, the FAT and the directory. olefile reads as many DIFAT and mini
    FAT sectors as the header counts, and a chain that loops as far as the size declared: each count
    and the sizes read are first bounded by the file's size."""
    size, _ = fh.seek(0, 2), fh.seek(0)
    head = fh.read(512)
    if len(head) == 512 and max(struct.unpack_from("<I", head, 0x2C)[0], *struct.unpack_from("<I4xI", head, 0x40)) > size // 512:
        raise broken(path, "Office 复合文档结构无效：文件头记录的扇区数超过文件大小", "the header counts more sectors than the file holds")
    try:
        fh.seek(0)
        ole = olefile.OleFileIO(fh)
        if ole.root.size > size or any(ole.get_size(book) > size for book in _BOOKS[:2] if ole.exists(book)):
            raise OSError("a stream declares more bytes than the file holds")
        return ole
    except (OSError, ValueError, struct.error, IndexError, KeyError, RuntimeError) as exc:
        raise broken(path, "Office 复合文档结构无效", f"invalid compound file ({exc})") from exc


def _stream(path: Path, ole: olefile.OleFileIO) -> bytes | None:
    try:
        return next((ole.openstream(book).read() for book in _BOOKS[:2] if ole.exists(book)), None)
    except (OSError, ValueError, struct.error, IndexError, KeyError, RuntimeError) as exc:
        raise broken(path, "Office 复合文档结构无效", f"invalid compound file ({exc})") from exc


def workbook_stream(path: Path, fh) -> bytes | None:
    """The Workbook (else Book) stream of the compound file open as *fh*, as olefile reads it; None without one."""
    return _stream(path, _ole(path, fh))


class _Broken(Exception):
    """The structure is invalid: (Chinese reason, English reason)."""


def _chain(step, start: int, limit: int, ends=(_END,)) -> list[int]:
    """A chain's sectors as calamine follows it (``start = step(start)``) to its end marker, never looping or leaving the file."""
    seen: dict[int, None] = {}
    while start not in ends:
        if start >= limit or start in seen:
            raise _Broken("扇区链无效（循环或越界）", "a sector chain loops or leaves the file")
        seen[start] = None
        start = step(start)
    return list(seen)


def _open_cfb(fh) -> tuple[olefile.OleFileIO, list[tuple[str, int, int]]]:
    """olefile's FAT, once the header's counts and the chains calamine follows are checked, and every
    directory entry as calamine reads it, whether olefile's tree reaches it or not: (name, start, size)."""
    fh.seek(0)
    head = fh.read(512)
    if len(head) < 512 or struct.unpack_from("<HHH", head, 0x1C) not in ((0xFFFE, 9, 6), (0xFFFE, 12, 6)):
        raise _Broken("文件头无效", "bad header")
    n_fat, dir_start, _, cutoff, minifat_start, n_minifat, difat_start, n_difat = struct.unpack_from("<8I", head, 0x2C)
    ssize = 1 << head[0x1E]
    nsec = (os.fstat(fh.fileno()).st_size + ssize - 1) // ssize - 1
    if max(n_fat, n_minifat, n_difat) > nsec or cutoff != 4096 or (minifat_start < _END and minifat_start >= nsec):
        raise _Broken("文件头记录的扇区数超过文件大小", "the header counts more sectors than the file holds")
    ole = olefile.OleFileIO(fh)
    _chain(lambda s: struct.unpack_from("<I", ole.getsect(s), ssize - 4)[0], difat_start, nsec, (_END, _FREE))
    raw = b"".join(_sector(ole, s) for s in _chain(ole.fat.__getitem__, dir_start, min(len(ole.fat), nsec)))
    if n_minifat:
        _chain(ole.fat.__getitem__, minifat_start, min(len(ole.fat), nsec))
        _chain(ole.fat.__getitem__, ole.root.isectStart if ole.root.size else _END, min(len(ole.fat), nsec))
    entries = []
    for i in range(0, len(raw) - 127, 128):
        start, size = struct.unpack_from("<II" if ssize == 512 else "<IQ", raw, i + 116)
        entries.append((_name(raw[i : i + 64]), start, size))
    return ole, entries


def _name(raw: bytes) -> str:
    """A directory entry's name as calamine decodes it: UTF-16LE unless a byte-order mark says otherwise."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom) :].decode(encoding, "replace").split("\0")[0]
    return raw.decode("utf-16-le", "replace").split("\0")[0]


def _sector(ole: olefile.OleFileIO, sect: int) -> bytes:
    """A sector of the file, the last one possibly short (calamine and olefile's streams allow it)."""
    ole.fp.seek(ole.sectorsize * (sect + 1))
    return ole.fp.read(ole.sectorsize)


def _read(ole: olefile.OleFileIO, start: int, size: int, *, mini: bool) -> bytes:
    """*size* bytes of the chain from *start*, checked first: in the FAT, or in the mini FAT over the mini stream."""
    if not mini:
        return b"".join(_sector(ole, s) for s in _chain(ole.fat.__getitem__, start, min(len(ole.fat), ole.nb_sect)))[:size]
    ole.loadminifat()
    stream = _read(ole, ole.root.isectStart, ole.root.size, mini=False)
    return b"".join(stream[s * 64 : s * 64 + 64] for s in _chain(ole.minifat.__getitem__, start, len(ole.minifat)))[:size]


def _records(stream: bytes, pos: int):
    while pos + 4 <= len(stream):
        typ, size = struct.unpack_from("<HH", stream, pos)
        if pos + 4 + size > len(stream):
            raise _Broken("记录被截断", "a BIFF record is cut short")
        yield typ, stream[pos + 4 : pos + 4 + size]
        pos += 4 + size


def _sheet_name(data: bytes, i: int) -> str:
    """stName of a BoundSheet8 record (BIFF8: cch, flags, chars; BIFF5: cch, code-page bytes)."""
    cch, flags = data[6], data[7]
    raw, enc = (data[8 : 8 + 2 * cch], "utf-16-le") if flags & 1 else (data[8 : 8 + cch], "latin-1") if flags == 0 else (data[7 : 7 + cch], "gbk")
    return raw.decode(enc, "replace") or f"第 {i} 个工作表"


def _dimensions(data: bytes) -> None:
    """A DIMENSIONS record as calamine reads it (u32 arithmetic that wraps), within BIFF8's 65,536 × 256."""
    rf, rl, cf, cl = struct.unpack_from("<IIHH" if len(data) == 14 else "<HHHH", data)
    cf = 0 if cf > 0xFF or cl < cf else cf
    end_r, end_c = (rl - 1, cl - 1) if rl >= 1 and cl >= 1 else (rf, cf)
    rows, cols = (end_r - rf + 1) & 0xFFFFFFFF, (end_c - cf + 1) & 0xFFFFFFFF
    if rows > 65_536 or cols > 256:
        raise _Broken(f"工作表尺寸记录无效（{rows:,} 行 × {cols:,} 列）", f"a DIMENSIONS record claims {rows:,} rows x {cols:,} columns")


def _calamine_guard(path: Path, fh) -> None:
    """What python-calamine would abort or loop on, as it reads: the header's counts, the chains it
    follows, the first directory entry named Workbook (reachable or not), a sheet's used range."""
    try:
        ole, entries = _open_cfb(fh)
        for book in _BOOKS:
            if found := next((e for e in entries if e[0] == book), None):
                return _biff(path, _read(ole, found[1], found[2], mini=found[2] < 4096))
    except _Broken as exc:
        raise broken(path, f"Office 复合文档结构无效：{exc.args[0]}", f"invalid compound file: {exc.args[1]}") from None
    except (OSError, struct.error, IndexError, ValueError, StopIteration) as exc:
        raise broken(path, "Office 复合文档结构无效", "invalid compound file") from exc


def _biff(path: Path, stream: bytes) -> None:
    sheets: list[tuple[int, SheetScan]] = []
    for typ, data in _records(stream, 0):
        if typ == 0x002F and len(data) >= 2 and data[:2] != b"\0\0":
            raise password_error(path)
        if typ == 0x0085 and len(data) >= 8:
            sheets.append((struct.unpack_from("<I", data)[0], SheetScan(_sheet_name(data, len(sheets) + 1))))
        if typ == 0x000A:
            break
    for pos, scan in sheets:
        depth = 0
        if pos + 4 > len(stream):
            raise _Broken("工作表位置超出数据流", "a sheet starts beyond the end of the Workbook stream")
        for typ, data in _records(stream, pos):
            if typ in (0x0809, 0x000A):  # BOF / EOF: a chart or other substream may nest inside
                depth += 1 if typ == 0x0809 else -1
                if depth <= 0:
                    break
            elif depth > 1 or len(data) < 4:
                continue
            elif typ == 0x0200 and len(data) in (10, 14):
                _dimensions(data)
            elif typ in _CELLS:
                row, col = struct.unpack_from("<HH", data)
                col = max(col, struct.unpack_from("<H", data, len(data) - 2)[0]) if typ == 0x00BD else col  # MulRk
                scan.grow(path, row + 1, col + 1)
                if typ == 0x0006 and (len(data) < 22 or 22 + struct.unpack_from("<H", data, 20)[0] > len(data)):
                    raise _Broken("公式记录被截断", "a FORMULA record is cut short")  # python-calamine panics on it


def inspect_cfb(path: Path, fh, seen=None) -> Checked:
    """Check the compound file open as *fh*; return it as an .xls (its stream given to *seen*) or raise a clear InputError."""
    _calamine_guard(path, fh)
    ole = _ole(path, fh)
    if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
        raise password_error(path)
    if (stream := _stream(path, ole)) is None:
        what = "Word 文档" if ole.exists("WordDocument") else "PowerPoint 演示文稿" if ole.exists("PowerPoint Document") else "其他 Office 文档"
        raise InputError(f"“{path.name}”是{what}，不是 Excel 工作簿。", hint="请提供 .xlsx / .xlsm / .xls 工作簿或 TSV 文本。",
                         path=str(path), en=f"cannot read {path.name}: an Office file but no workbook")
    pos, typ = 0, None
    while pos + 4 <= len(stream) and typ != 0x000A:  # the globals: a FILEPASS record says the workbook is encrypted
        typ, size = struct.unpack_from("<HH", stream, pos)
        if typ == 0x002F and stream[pos + 4 : pos + 6] not in (b"", b"\0\0"):
            raise password_error(path)
        pos += 4 + size
    if seen is not None:
        seen("Workbook", stream)
    return Checked("xls")
