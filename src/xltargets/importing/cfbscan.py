"""Checking an OLE2 compound file (.xls, encrypted .xlsx, .doc …) before calamine opens it.

calamine's compound-file reader follows sector chains without a loop check
and sizes buffers from header fields, so one wrong number in a 512-byte
header makes it allocate without end and the process dies. This module walks
the structure itself, with every index bounded and every chain checked for
loops, and tells what the file is:

- a CFB holding ``EncryptionInfo``/``EncryptedPackage`` is an xlsx saved
  with a password (Excel writes encrypted OOXML that way);
- a CFB holding a ``Workbook`` (BIFF8) or ``Book`` (BIFF5) stream is an
  .xls; its BIFF records are walked for a ``FILEPASS`` (password) record,
  sheet offsets inside the stream, and each sheet's used range;
- anything else (a Word .doc, an Outlook .msg …) is not a workbook.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .limits import LIMITS, refuse_sheet_size
from .zipscan import SheetScan

__all__ = ["Compound", "inspect_cfb", "password_error"]

_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END, _FREE, _FATSECT, _DIFSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFC
_MAXREG = 0xFFFFFFFA
_HINT = "在 Excel/WPS 中打开并另存为 .xlsx 后再导入；若无法打开，请向发件人索取原文件。"


@dataclass
class Compound:
    """What a compound file holds, once its structure passed the checks."""

    kind: str  # "xls"
    sheets: list[SheetScan] = field(default_factory=list)


class _Broken(Exception):
    """The compound file's structure is invalid: (Chinese reason, English reason)."""


def password_error(path: Path) -> InputError:
    return InputError(
        f"“{path.name}”受密码保护（已加密），无法读取。",
        hint="在 Excel/WPS 中打开，取消密码（文件→信息→保护工作簿→用密码进行加密→清空密码），另存后再导入。",
        path=str(path), en=f"cannot read {path.name}: password-protected; remove the password in Excel/WPS and save again",
    )


class _Cfb:
    def __init__(self, data: bytes):
        self.data = data
        if len(data) < 512 or data[:8] != _MAGIC:
            raise _Broken("文件头无效", "bad header")
        major, byte_order, shift, mini_shift = struct.unpack_from("<HHHH", data, 0x1A)
        if byte_order != 0xFFFE or (major, shift) not in ((3, 9), (4, 12)) or mini_shift != 6:
            raise _Broken("文件头的版本或扇区大小无效", "bad version or sector size")
        self.ssize = 1 << shift
        (n_dir, self.n_fat, self.dir_start, _, cutoff, self.minifat_start, self.n_minifat,
         difat_start, n_difat) = struct.unpack_from("<IIIIIIIII", data, 0x28)
        if cutoff != 4096:
            raise _Broken("文件头的小流界限无效", "bad mini stream cutoff")
        if len(data) % self.ssize:
            data = self.data = data + b"\0" * (self.ssize - len(data) % self.ssize)
        self.nsec = len(data) // self.ssize - 1
        if self.nsec <= 0:
            raise _Broken("没有数据扇区", "no data sectors")
        if self.n_fat > self.nsec or self.n_minifat > self.nsec or n_difat > self.nsec:
            raise _Broken("文件头记录的扇区数超过文件大小", "header counts more sectors than the file holds")
        # the mini-FAT fields are read by calamine as one over-wide number too:
        # keep them within the file so nothing is sized from garbage
        if self.minifat_start not in (_END, _FREE) and self.minifat_start >= self.nsec:
            raise _Broken("小分配表位置无效", "bad mini FAT position")
        difat = list(struct.unpack_from("<109I", data, 0x4C))
        seen: set[int] = set()
        sec = difat_start
        while sec not in (_END, _FREE):
            if sec >= self.nsec or sec in seen:
                raise _Broken("扩展分配表链无效", "bad DIFAT chain")
            seen.add(sec)
            entries = struct.unpack_from(f"<{self.ssize // 4}I", data, self._off(sec))
            difat.extend(entries[:-1])
            sec = entries[-1]
        fat_secs = [s for s in difat if s < _DIFSECT]
        if any(s >= self.nsec for s in fat_secs):
            raise _Broken("分配表扇区位置超出文件", "FAT sector beyond the end of the file")
        if not fat_secs:
            raise _Broken("没有分配表", "no FAT")
        self.fat: list[int] = []
        for s in fat_secs:
            self.fat.extend(struct.unpack_from(f"<{self.ssize // 4}I", data, self._off(s)))
        self.dirs = self._directory()

    def _off(self, sec: int) -> int:
        return (sec + 1) * self.ssize

    def chain(self, start: int, table: list[int], limit: int) -> list[int]:
        """Sector ids of a chain; loops, gaps and out-of-range ids are refused."""
        out: list[int] = []
        seen: set[int] = set()
        sec = start
        while sec != _END:
            if sec > _MAXREG or sec >= len(table) or sec >= limit or sec in seen:
                raise _Broken("扇区链无效（循环或越界）", "a sector chain loops or leaves the file")
            seen.add(sec)
            out.append(sec)
            sec = table[sec]
        return out

    def _directory(self) -> list[tuple[str, int, int, int]]:
        secs = self.chain(self.dir_start, self.fat, self.nsec)
        raw = b"".join(self.data[self._off(s) : self._off(s) + self.ssize] for s in secs)
        dirs = []
        for i in range(0, len(raw) - 127, 128):
            e = raw[i : i + 128]
            name_len = min(struct.unpack_from("<H", e, 64)[0], 64)
            name = e[: max(name_len - 2, 0)].decode("utf-16-le", "replace")
            typ = e[66]
            start = struct.unpack_from("<I", e, 116)[0]
            size = struct.unpack_from("<I", e, 120)[0] if self.ssize == 512 else struct.unpack_from("<Q", e, 120)[0]
            dirs.append((name, typ, start, size))
        if not dirs or dirs[0][1] != 5:
            raise _Broken("没有根目录", "no root directory")
        return dirs

    def names(self) -> set[str]:
        return {d[0] for d in self.dirs if d[1] in (1, 2)}

    def stream(self, name: str) -> bytes:
        entry = next((d for d in self.dirs if d[0] == name and d[1] == 2), None)
        if entry is None:
            raise KeyError(name)
        _, _, start, size = entry
        if size > len(self.data):
            raise _Broken(f"流“{name}”的大小超过文件", f"stream {name} is larger than the file")
        if size >= 4096:
            secs = self.chain(start, self.fat, self.nsec)
            if len(secs) * self.ssize < size:
                raise _Broken(f"流“{name}”不完整", f"stream {name} is incomplete")
            return b"".join(self.data[self._off(s) : self._off(s) + self.ssize] for s in secs)[:size]
        root = self.dirs[0]
        mini = b""
        if self.n_minifat:
            mini_secs = self.chain(root[2], self.fat, self.nsec) if root[3] else []
            mini = b"".join(self.data[self._off(s) : self._off(s) + self.ssize] for s in mini_secs)[: root[3]]
            mf_secs = self.chain(self.minifat_start, self.fat, self.nsec)
            raw = b"".join(self.data[self._off(s) : self._off(s) + self.ssize] for s in mf_secs)
            minifat = list(struct.unpack_from(f"<{len(raw) // 4}I", raw))
        else:
            minifat = []
        if size == 0:
            return b""
        secs = self.chain(start, minifat, len(mini) // 64)
        if len(secs) * 64 < size:
            raise _Broken(f"流“{name}”不完整", f"stream {name} is incomplete")
        return b"".join(mini[s * 64 : s * 64 + 64] for s in secs)[:size]


# --------------------------------------------------------------------------- BIFF

_CELL_RECORDS = {0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006, 0x0207}
_BIFF_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A"}


def _records(stream: bytes, pos: int):
    n = len(stream)
    while pos + 4 <= n:
        typ, size = struct.unpack_from("<HH", stream, pos)
        start = pos + 4
        if start + size > n:
            raise _Broken("记录被截断", "a BIFF record is cut short")
        yield typ, stream[start : start + size]
        pos = start + size


def _sheet_name(data: bytes) -> str | None:
    """stName of a BoundSheet8 record (BIFF8: cch, flags, chars; BIFF5: cch, bytes)."""
    if len(data) < 8:
        return None
    cch, flags = data[6], data[7]
    raw = data[8:]
    try:
        if flags & 1:
            return raw[: 2 * cch].decode("utf-16-le")
        if len(raw) >= cch and flags == 0:
            return raw[:cch].decode("latin-1")
        return data[7 : 7 + cch].decode("gbk")  # BIFF5: no flags byte, codepage text
    except UnicodeDecodeError:
        return None


def _check_dimensions(data: bytes) -> None:
    """A DIMENSIONS record as calamine reads it (u32 arithmetic that wraps), within BIFF8's 65,536 × 256.

    calamine reserves memory for rows × columns of this record before reading
    a single cell, so a forged record is refused here, whatever the cells say.
    """
    if len(data) == 14:
        rf, rl, cf, cl = struct.unpack_from("<IIHH", data)
    else:
        rf, rl, cf, cl = struct.unpack_from("<HHHH", data)
    if cf > 0xFF or cl < cf:
        cf = 0
    end_r, end_c = (rl - 1, cl - 1) if rl >= 1 and cl >= 1 else (rf, cf)
    rows = (end_r - rf + 1) & 0xFFFFFFFF
    cols = (end_c - cf + 1) & 0xFFFFFFFF
    if rows > 65_536 or cols > 256:
        raise _Broken(f"工作表尺寸记录无效（{rows:,} 行 × {cols:,} 列）", f"a DIMENSIONS record claims {rows:,} rows x {cols:,} columns")


def _scan_biff(path: Path, stream: bytes) -> list[SheetScan]:
    sheets: list[tuple[int, str]] = []
    for typ, data in _records(stream, 0):
        if typ == 0x002F and len(data) >= 2 and struct.unpack_from("<H", data)[0] != 0:
            raise password_error(path)
        if typ == 0x0085 and len(data) >= 6:
            pos = struct.unpack_from("<I", data)[0]
            sheets.append((pos, _sheet_name(data) or f"第 {len(sheets) + 1} 个工作表"))
        if typ == 0x000A:
            break
    if len(sheets) > LIMITS["sheets"]:
        raise InputError(
            f"“{path.name}”有 {len(sheets)} 个工作表，超过 {LIMITS['sheets']:,} 个的上限。",
            hint="拆分工作簿后再导入。",
            path=str(path), en=f"cannot read {path.name}: {len(sheets)} sheets, more than the limit of {LIMITS['sheets']}",
        )
    scans = []
    total = 0
    for pos, label in sheets:
        if pos + 4 > len(stream):
            raise _Broken("工作表位置超出数据流", "a sheet starts beyond the end of the Workbook stream")
        scan = SheetScan(label, name=label)
        depth = 0
        seen_bof = False
        fmla_pos = (0, 0)
        for typ, data in _records(stream, pos):
            if depth:
                depth += typ == 0x0809
                depth -= typ == 0x000A
                continue
            if typ == 0x0809:
                if seen_bof:
                    depth += 1
                seen_bof = True
                continue
            if typ == 0x000A:
                break
            if typ == 0x0200 and len(data) in (10, 14):
                _check_dimensions(data)
                continue
            if typ == 0x00BD and len(data) >= 6:  # MulRk: row, first col, …, last col
                row, c0 = struct.unpack_from("<HH", data)
                c1 = struct.unpack_from("<H", data, len(data) - 2)[0]
                cells = [(row, max(c0, c1))]
            elif typ == 0x0207:
                cells = [fmla_pos]
            elif typ in _CELL_RECORDS and len(data) >= 4:
                cells = [struct.unpack_from("<HH", data)]
                if typ == 0x0006:
                    fmla_pos = cells[0]
                if typ == 0x0205 and len(data) >= 8 and data[7] == 1:
                    scan.errors[cells[0]] = _BIFF_ERRORS.get(data[6], "#REF!")
            else:
                continue
            for row, col in cells:
                scan.rows = max(scan.rows, row + 1)
                scan.cols = max(scan.cols, col + 1)
            if scan.rows > LIMITS["rows"] or scan.cols > LIMITS["cols"] or scan.rows * scan.cols > LIMITS["cells"]:
                refuse_sheet_size(path, label, scan.rows, scan.cols)
        total += scan.rows * scan.cols
        scans.append(scan)
    if total > LIMITS["total_cells"]:
        from .limits import refuse_total_cells

        refuse_total_cells(path, total)
    return scans


def inspect_cfb(path: Path) -> Compound:
    """Check the compound file at *path*; return it as an .xls or raise a clear InputError."""
    data = path.read_bytes()
    try:
        cfb = _Cfb(data)
        names = cfb.names()
        if "EncryptedPackage" in names or "EncryptionInfo" in names:
            raise password_error(path)
        for name in ("Workbook", "Book"):
            if name in names:
                return Compound("xls", _scan_biff(path, cfb.stream(name)))
    except _Broken as exc:
        raise InputError(
            f"“{path.name}”已损坏（Office 复合文档结构无效：{exc.args[0]}），未做任何读取。", hint=_HINT, path=str(path), en=f"cannot read {path.name}: damaged (invalid compound file: {exc.args[-1]}); nothing was read"
        ) from None
    except (struct.error, IndexError, ValueError) as exc:
        raise InputError(
            f"“{path.name}”已损坏（Office 复合文档结构无效），未做任何读取。", hint=_HINT, path=str(path), en=f"cannot read {path.name}: damaged (invalid compound file); nothing was read"
        ) from exc
    what = "Word 文档" if "WordDocument" in names else ("PowerPoint 演示文稿" if "PowerPoint Document" in names else "其他 Office 文档")
    raise InputError(
        f"“{path.name}”是{what}，不是 Excel 工作簿。",
        hint="请提供 .xlsx / .xlsm / .xls 工作簿或 TSV 文本。",
        path=str(path), en=f"cannot read {path.name}: an Office file but no workbook",
    )
