"""Checking an OLE2 compound file (.xls, an encrypted .xlsx, a .doc …) before calamine reads it.

olefile builds the FAT. calamine follows each chain to its end marker, sizes buffers from
header counts, and takes the first directory entry named Workbook (else Book …) whether
the directory tree reaches it or not: so counts and chains are checked first, and the
stream read here is the one calamine reads. Its BIFF records tell a password, the sheets
and their used range (from the cells, not the ``DIMENSIONS`` record calamine reserves memory
from). The cell records the importer's *notes* ask for (:class:`.errorcells.ErrorCells`:
error cells) are handed to them as they are passed, so that nothing is read twice.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import olefile

from ..errors import InputError
from .limits import Checked, SheetScan, broken, password_error

__all__ = ["inspect_cfb"]

_END, _FREE = 0xFFFFFFFE, 0xFFFFFFFF
#: the streams calamine reads an .xls from, in the order it looks for them
_BOOKS = ("Workbook", "Book", "WORKBOOK", "BOOK")
#: the records calamine makes a cell of: Number, Label, RString, BoolErr, RK, LabelSst, Formula, MulRk (a
#: formula's STRING record is placed where its FORMULA is)
_CELLS = {0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006, 0x00BD}


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


def open_cfb(fh) -> tuple[olefile.OleFileIO, list[tuple[str, int, int]]]:
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


def biff_records(stream: bytes, pos: int):
    while pos + 4 <= len(stream):
        typ, size = struct.unpack_from("<HH", stream, pos)
        if pos + 4 + size > len(stream):
            raise _Broken("记录被截断", "a BIFF record is cut short")
        yield typ, stream[pos + 4 : pos + 4 + size]
        pos += 4 + size


def sheet_name(data: bytes, i: int) -> str:
    """stName of a BoundSheet8 record (BIFF8: cch, flags, chars; BIFF5: cch, code-page bytes)."""
    cch, flags = data[6], data[7]
    raw, enc = (data[8 : 8 + 2 * cch], "utf-16-le") if flags & 1 else (data[8 : 8 + cch], "latin-1") if flags == 0 else (data[7 : 7 + cch], "gbk")
    return raw.decode(enc, "replace") or f"第 {i} 个工作表"


def workbook_stream(ole: olefile.OleFileIO, entries: list[tuple[str, int, int]]) -> bytes | None:
    """The Workbook stream calamine reads (the first entry of the first of its names), its chain
    checked; None in a compound file without one."""
    for book in _BOOKS:
        if found := next((e for e in entries if e[0] == book), None):
            return _read(ole, found[1], found[2], mini=found[2] < 4096)
    return None


def _dimensions(data: bytes) -> None:
    """A DIMENSIONS record as calamine reads it (u32 arithmetic that wraps), within BIFF8's 65,536 × 256."""
    rf, rl, cf, cl = struct.unpack_from("<IIHH" if len(data) == 14 else "<HHHH", data)
    cf = 0 if cf > 0xFF or cl < cf else cf
    end_r, end_c = (rl - 1, cl - 1) if rl >= 1 and cl >= 1 else (rf, cf)
    rows, cols = (end_r - rf + 1) & 0xFFFFFFFF, (end_c - cf + 1) & 0xFFFFFFFF
    if rows > 65_536 or cols > 256:
        raise _Broken(f"工作表尺寸记录无效（{rows:,} 行 × {cols:,} 列）", f"a DIMENSIONS record claims {rows:,} rows x {cols:,} columns")


def _biff(path: Path, stream: bytes, notes=None) -> list[SheetScan]:
    sheets: list[tuple[int, SheetScan]] = []
    biff8 = stream[:2] == b"\x09\x08" and stream[4:6] == b"\x00\x06"  # the first BOF says version 0x0600
    for typ, data in biff_records(stream, 0):
        if typ == 0x002F and len(data) >= 2 and data[:2] != b"\0\0":
            raise password_error(path)
        if typ == 0x0085 and len(data) >= 8:
            sheets.append((struct.unpack_from("<I", data)[0], SheetScan(sheet_name(data, len(sheets) + 1))))
        if typ == 0x000A:
            break
    for pos, scan in sheets:
        depth = 0
        if pos + 4 > len(stream):
            raise _Broken("工作表位置超出数据流", "a sheet starts beyond the end of the Workbook stream")
        for typ, data in biff_records(stream, pos):
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
                if notes is not None and typ in notes.biff_records:
                    notes.biff_cell(path, scan, typ, data, biff8)
    return [s for _, s in sheets]  # the sheet and file limits: when calamine has read them (.sources)


def inspect_cfb(path: Path, fh, notes=None) -> Checked:
    """Check the compound file open as *fh*; return it as an .xls or raise a clear InputError."""
    try:
        ole, entries = open_cfb(fh)
        names = {name for name, _, _ in entries}
        if "EncryptedPackage" in names or "EncryptionInfo" in names:
            raise password_error(path)
        if (stream := workbook_stream(ole, entries)) is not None:
            return Checked("xls", _biff(path, stream, notes))
        what = "Word 文档" if "WordDocument" in names else "PowerPoint 演示文稿" if "PowerPoint Document" in names else "其他 Office 文档"
    except _Broken as exc:
        raise broken(path, f"Office 复合文档结构无效：{exc.args[0]}", f"invalid compound file: {exc.args[1]}") from None
    except (OSError, struct.error, IndexError, ValueError, StopIteration) as exc:
        raise broken(path, "Office 复合文档结构无效", "invalid compound file") from exc
    raise InputError(f"“{path.name}”是{what}，不是 Excel 工作簿。", hint="请提供 .xlsx / .xlsm / .xls 工作簿或 TSV 文本。",
                     path=str(path), en=f"cannot read {path.name}: an Office file but no workbook")
