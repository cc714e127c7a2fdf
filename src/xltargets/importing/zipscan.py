"""Checking a zip package (xlsx/xlsm/xlsb/ods) before any reader opens it.

calamine trusts what a file says: a sheet with one value in A1 and one in
XFD1048576 makes it allocate the whole 17-billion-cell rectangle and the
process aborts; so does an ods row repeated a million times. This module
reads every member once, in bounded chunks (at most 16 KB of compressed data
at once), and refuses the package before a reader sees it when

- a member uses a compression other than stored/deflate, or its data does
  not match the sizes and CRC the zip records (a lying header, a truncated or
  corrupt archive, a zip bomb that inflates past its declared size);
- the members together unpack to more than ``LIMITS["unzipped_bytes"]``;
- an XML part declares a DTD (``<!DOCTYPE``/``<!ENTITY``: the billion-laughs
  XML bomb; Excel, WPS and LibreOffice never write one);
- a sheet's used range (from the cells that hold a value, not from the
  ``<dimension>`` tag a file may fake) is over the row or cell limit.

It also notes error cells (``#REF!`` …) by position, which calamine turns
into empty strings, so the importer can show them instead of a blank.
"""

from __future__ import annotations

import contextlib
import html
import posixpath
import re
import struct
import xml.parsers.expat
import zipfile
import zlib
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import not_
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from .limits import LIMITS, refuse_sheet_size

__all__ = ["Package", "SheetScan", "inspect_zip", "scan_sheet_parts"]

_CHUNK = 1 << 20
_AT_ONCE = 16 * 1024  # a member this small (compressed) inflates at once: to 16 MB at most
_PROLOG_BYTES = 64 * 1024
_DTD_MARKS = tuple(
    mark.encode(enc) for mark in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be")
)
_DTD_ASCII = re.compile(rb"<!(?:DOCTYPE|ENTITY)")  # the ASCII marks
_BROKEN_HINT = "在 Excel/WPS 中打开并另存为 .xlsx 后再导入；若无法打开，请向发件人索取原文件。"


@dataclass
class SheetScan:
    """What the scan saw in one sheet part: its used range and its error cells."""

    part: str
    name: str | None = None  # the sheet's name, when known
    rows: int = 0  # 1 + last row index holding a value (0 when empty)
    cols: int = 0
    errors: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass
class Package:
    """A zip package that passed the checks."""

    kind: str  # xlsx, xlsb, ods
    sheets: list[SheetScan] = field(default_factory=list)
    #: worksheet parts left for :func:`scan_sheet_parts` (``inspect_zip(defer_sheets=True)``), by sheet name
    deferred: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    #: worksheet part → sheet name (xlsx)
    sheet_names: dict[str, str] = field(default_factory=dict)


def _broken(path: Path, what: str, exc: BaseException | None = None, en_what: str | None = None) -> InputError:
    err = InputError(f"“{path.name}”已损坏（{what}），未做任何读取。", hint=_BROKEN_HINT, path=str(path), en=f"cannot read {path.name}: damaged ({en_what or what}); nothing was read")
    if exc is not None:
        err.__cause__ = exc
    return err


def _bomb(path: Path, what: str) -> InputError:
    return InputError(
        f"“{path.name}”{what}，疑似压缩炸弹，已拒绝读取。",
        hint=f"正常的申报表解压后只有几 MB（上限 {LIMITS['unzipped_bytes'] // 2**20} MB）；请确认文件来源，或拆分后再导入。",
        path=str(path), en=f"cannot read {path.name}: it looks like a zip bomb (it unpacks to more than it says or than {LIMITS['unzipped_bytes'] // 2**20} MB); refused",
    )


# --------------------------------------------------------------------------- member data


def _local_data_offset(fh, info: zipfile.ZipInfo) -> int:
    fh.seek(info.header_offset)
    head = fh.read(30)
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        raise ValueError("bad local header")
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    return info.header_offset + 30 + name_len + extra_len


def _inflate(path: Path, fh, info: zipfile.ZipInfo, budget: list[int]) -> Iterator[bytes]:
    """The member's real bytes, in chunks, checked against its declared size and CRC.

    Reads exactly ``compress_size`` stored bytes (what any reader reads) and
    inflates them *fully*, so data hidden past the declared size is seen.
    *budget* holds the bytes still allowed for the whole package.
    """
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise InputError(
            f"“{path.name}”中的“{info.filename}”使用了不支持的压缩方式（{info.compress_type}）。",
            hint=_BROKEN_HINT,
            path=str(path), en=f"cannot read {path.name}: part {info.filename} uses compression method {info.compress_type}, which Excel never writes",
        )
    if info.flag_bits & 0x1:
        raise InputError(
            f"“{path.name}”是加密的压缩包，无法读取。",
            hint="请提供未加密的 .xlsx 工作簿。",
            path=str(path), en=f"cannot read {path.name}: an encrypted zip",
        )
    try:
        start = _local_data_offset(fh, info)
    except (OSError, ValueError, struct.error) as exc:
        raise _broken(path, f"“{info.filename}”的文件头无效", exc, f"bad local header of {info.filename}") from exc
    fh.seek(start)
    if info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size <= _AT_ONCE and info.file_size < _CHUNK:
        # what the loop below does with a whole, sound member (one chunk), in one call
        # into an output buffer of the right size; anything else goes to the loop
        raw = fh.read(info.compress_size)
        try:
            data = zlib.decompress(raw, -15, info.file_size or 1)
        except zlib.error:
            data = None
        if data is not None and len(raw) == info.compress_size and len(data) == info.file_size:
            if data:
                budget[0] -= len(data)
                if budget[0] < 0:
                    raise _bomb(path, f"解压后超过 {LIMITS['unzipped_bytes'] // 2**20} MB")
                yield data
            if zlib.crc32(data) != info.CRC:
                raise _broken(path, f"“{info.filename}”校验失败", None, f"CRC of {info.filename} does not match")
            return
        fh.seek(start)
    left = info.compress_size
    crc = 0
    produced = 0
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    held = False  # the last call filled its output: zlib may hold more even when all input is in
    while left > 0 or (inflater is not None and (inflater.unconsumed_tail or held)):
        if inflater is not None and inflater.unconsumed_tail:
            raw = inflater.unconsumed_tail
        elif left <= 0:
            raw = b""  # what zlib still holds of input it has taken
        else:
            raw = fh.read(min(_CHUNK, left))
            if not raw:
                raise _broken(path, f"“{info.filename}”的数据不完整，文件被截断", None, f"{info.filename} is cut short")
            left -= len(raw)
        if inflater is None:
            data = raw
        else:
            try:
                data = inflater.decompress(raw, _CHUNK)
                held = len(data) == _CHUNK
            except zlib.error as exc:
                raise _broken(path, f"“{info.filename}”的压缩数据无法解开", exc, f"{info.filename} does not inflate") from exc
        if data:
            produced += len(data)
            budget[0] -= len(data)
            if produced > info.file_size:
                raise _bomb(path, f"中的“{info.filename}”解压后超过了文件记录的大小（{info.file_size} 字节）")
            if budget[0] < 0:
                raise _bomb(path, f"解压后超过 {LIMITS['unzipped_bytes'] // 2**20} MB")
            crc = zlib.crc32(data, crc)
            yield data
        if inflater is not None and inflater.eof:
            break
    if inflater is not None and not inflater.eof:
        raise _broken(path, f"“{info.filename}”的压缩数据不完整", None, f"{info.filename} is incomplete")
    if produced != info.file_size:
        raise _broken(path, f"“{info.filename}”的大小与记录不符", None, f"{info.filename} has the wrong size")
    if crc != info.CRC:
        raise _broken(path, f"“{info.filename}”校验失败", None, f"CRC of {info.filename} does not match")


# --------------------------------------------------------------------------- xlsx sheets

_ROOT = re.compile(rb"<(?![?!])(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_SHEET_ROOTS = {b"worksheet", b"dialogsheet", b"macrosheet", b"chartsheet"}
_TOKEN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_R_ATTR = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Za-z]*)(\d*)["']""")
_T_ERR = re.compile(rb"""(?:^|\s)t\s*=\s*["']e["']""")
_ERR_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v>([^<]{1,16})<")


#: the common case, in C: every cell carries its reference (Excel, WPS, openpyxl, XlsxWriter)
_FAST_ROWS = re.compile(rb'<c r="[A-Z]{1,3}(\d{1,7})"[^>]*(?<!/)>')
_FAST_COLS = re.compile(rb'<c r="([A-Z]{1,3})\d{1,7}"[^>]*(?<!/)>')
_FAST_ALL = re.compile(rb'<c r="[A-Z]{1,3}\d{1,7}"')
_ANY_C = re.compile(rb"<c[\s/>]")

#: one pass over a chunk's cells, for ``_quick``: one match per ``<c`` that ``_ANY_C`` counts,
#: as (column letters, row digits, the attributes after the reference); letters are empty
#: unless the tag is ``<c r="`` + a ``_FAST_ALL`` reference + attributes + ``>``
_CELL_TAGS = re.compile(rb'<c(?: r="([A-Z]{1,3})(\d{1,7})"([^>]*)>|(?=[\s/>]))')
#: the same for ``_whole``, with empty letters too when the tag does not follow a ``>`` (and
#: up to 16 spaces: else it could sit inside another tag, where the tokeniser skips it), and
#: one more empty match per prefixed cell (``<x:c r="A1">``, which the tokeniser reads too)
_AFTER_TAG = (  # looking back from after "<c": a ">" right before, or after up to 16 spaces
    rb"(?:(?<=><c)|(?<=\s<c)(?:" + b"|".join(rb"(?<=>" + rb"\s" * k + rb"<c)" for k in range(1, 17)) + rb"))"
)
_CELL_TAGS_AFTER_TAG = re.compile(
    rb"c(?:(?<=<c)(?:" + _AFTER_TAG + rb' r="([A-Z]{1,3})(\d{1,7})"([^>]*)>|(?=[\s/>]))|(?<=:c)(?=[\s/>]))'
)
#: three of the five substrings that keep ``_fast`` off (``:c ``, ``:c>``, ``:row``)
_FAST_OFF = re.compile(rb":(?:c[ >]|row)")


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ch - 64)
    return n - 1


class _XlsxSheetScanner:
    """Feeds on a worksheet part's bytes; tracks the used range of cells holding content.

    The meaning is the tokeniser's (``_tokenise``), applied to the pieces ``feed`` cuts;
    ``_fast`` finds the same used range without a Python step per cell when every cell
    carries its reference. ``_quick`` and ``_whole`` give, in fewer passes over the
    bytes, exactly what ``_fast``/``_tokenise`` give (tests/test_zipscan_fast.py checks
    this against them); anything unusual goes to those two.
    """

    def __init__(self, path: Path, part: str, name: str | None):
        self.path = path
        self.scan = SheetScan(part, name=name)
        self.hint = name or part.rsplit("/", 1)[-1]
        self.row = -1
        self.col = -1
        self.buf = b""
        self.max_errors = 10_000

    def _fast(self, text: bytes) -> bool:
        """The used range of a chunk whose every cell has an ``r`` reference, without a
        Python step per cell; False (tokenise instead) for anything unusual: prefixed
        tags, cells without references, error cells."""
        if b"t=\"e\"" in text or b"t='e'" in text or b":c " in text or b":c>" in text or b":row" in text:
            return False
        if len(_ANY_C.findall(text)) != len(_FAST_ALL.findall(text)):
            return False
        rows = set(_FAST_ROWS.findall(text))
        if not rows:
            return True  # no cell holds content in this chunk
        cols = set(_FAST_COLS.findall(text))
        self._fast_result(text, rows, cols)
        return True

    def _fast_result(self, text: bytes, rows: set[bytes], cols: set[bytes]) -> None:
        """What ``_fast`` does with a chunk's row digits and column letters of cells holding content."""
        scan = self.scan
        n_rows = max(map(int, rows))
        n_cols = max(_col_index(c) for c in cols) + 1
        if n_rows > scan.rows:
            scan.rows = n_rows
        if n_cols > scan.cols:
            scan.cols = n_cols
        if scan.rows > LIMITS["rows"] or scan.cols > LIMITS["cols"] or scan.rows * scan.cols > LIMITS["cells"]:
            refuse_sheet_size(self.path, self.hint, scan.rows, scan.cols)
        last = list(_FAST_ALL.finditer(text[-4096:]))
        if last:  # where a later cell without a reference would continue from
            m = _R_ATTR.search(last[-1].group(0)[2:])
            if m:
                self.row, self.col = int(m.group(2)) - 1, _col_index(m.group(1))

    @staticmethod
    def _cells(pattern: re.Pattern, text: bytes, end: int) -> tuple | None:
        """The ``<c`` tags of ``text[:end]`` in one pass of *pattern*, or None unless each is a
        plain referenced cell (attributes without ``<``). Then ``_ANY_C`` and ``_FAST_ALL``
        count the same, each tag is one ``_FAST_ALL`` cell, and the cells ``_FAST_ROWS``
        finds are those that are not self-closed.

        Returns (letters, digits) of the cells holding content, and all attributes joined.
        """
        found = pattern.findall(text, 0, end)
        if not found:
            return (), (), b""
        letters, digits, attrs = zip(*found)
        if b"" in letters:
            return None
        joined = b"\n".join(attrs)
        if b"<" in joined:
            return None  # a tag inside a tag: the regexes would disagree on where it ends
        if b"/" in joined and (b"/\n" in joined or joined.endswith(b"/")):  # self-closed: no content
            keep = list(map(not_, map(bytes.endswith, attrs, repeat(b"/"))))
            letters, digits = tuple(compress(letters, keep)), tuple(compress(digits, keep))
        return letters, digits, joined

    def _quick(self, text: bytes) -> bool | None:
        """``_fast(text)``, in fewer passes: True when ``_fast`` takes the chunk (its effects
        done), False when it does not (tokenise), None when unsure (ask ``_fast``)."""
        cells = self._cells(_CELL_TAGS, text, len(text))
        if cells is None:
            return None
        if b't="e"' in text or (b"'" in text and b"t='e'" in text) or _FAST_OFF.search(text):
            return False  # _fast's first test, the same five substrings
        rows = set(cells[1])
        if rows:
            self._fast_result(text, rows, set(cells[0]))
        return True

    def _whole(self, text: bytes, end: int) -> bool:
        """The effect of ``_tokens(text[:end])`` on the used range when nothing reads the
        scanner's position afterwards (the last piece of a member with tags), done (True)
        when ``_fast`` and the tokeniser agree whichever ``_tokens`` would pick; else False,
        nothing done.

        They agree when each ``<c`` tag is a plain referenced cell right after a tag (so no
        other tag swallows one), no cell tag is prefixed, no cell may be an error cell and
        the used range stays within the limits (past them the message depends on the order
        of the cells). Row tags, prefixed or not, only move the position, which each cell's
        reference sets anew.
        """
        cells = self._cells(_CELL_TAGS_AFTER_TAG, text, end)
        if cells is None:
            return False
        letters, digits, joined = cells
        if b"e" in joined and (b'"e' in joined or (b"'" in joined and b"'e" in joined)):
            return False  # maybe t="e" (_T_ERR)
        rows = set(digits)
        if rows:
            scan = self.scan
            n_rows = max(scan.rows, max(map(int, rows)))
            n_cols = max(scan.cols, max(map(_col_index, set(letters))) + 1)
            if n_rows > LIMITS["rows"] or n_cols > LIMITS["cols"] or n_rows * n_cols > LIMITS["cells"]:
                return False
            scan.rows, scan.cols = n_rows, n_cols
        return True

    @staticmethod
    def _cut(buf: bytes) -> int:
        """Where ``feed`` cuts *buf*: after its last ``</c>``, ``</row>`` or ``/>``, else before
        its last ``<``; 0 when it keeps it all for later."""
        cut = buf.rfind(b"/>")
        cut = max(cut, buf.rfind(b"</c>", cut + 1), buf.rfind(b"</row>", cut + 1))
        if cut < 0:
            cut = buf.rfind(b"<")
            return max(cut, 0)
        return buf.index(b">", cut) + 1

    def feed(self, data: bytes, final: bool = False) -> None:
        buf = self.buf + data
        cut = len(buf) if final else self._cut(buf)
        if cut <= 0:
            self.buf = buf
            return
        self._tokens(buf[:cut])
        self.buf = buf[cut:]

    def feed_member(self, data: bytes) -> None:
        """``feed(data)`` when *data* is the whole member (``feed(b"", final=True)`` follows):
        the piece it cuts is the last with tags when the rest has none."""
        if self.buf:
            self.feed(data)
            return
        cut = self._cut(data)
        if cut <= 0:
            self.buf = data
            return
        if _TOKEN.search(data, cut) is not None:
            self._tokens(data[:cut])
        elif self._whole(data, cut):
            return  # and _tokens would change nothing in the rest, which holds no tag it reads
        elif not self._fast(data[:cut]):  # _tokens without _quick, which would not do either
            self._tokenise(data[:cut])
        self.buf = data[cut:]

    def _tokens(self, text: bytes) -> None:
        quick = self._quick(text)
        if quick or (quick is None and self._fast(text)):
            return
        self._tokenise(text)

    def _tokenise(self, text: bytes) -> None:
        scan = self.scan
        limit_rows = LIMITS["rows"]
        for m in _TOKEN.finditer(text):
            attrs = m.group(2)
            r = _R_ATTR.search(attrs)
            if m.group(1) == b"row":
                self.row = int(r.group(2)) - 1 if r and r.group(2) else self.row + 1
                self.col = -1
                if self.row >= limit_rows and not attrs.endswith(b"/"):
                    # a row element past the limit: decided when it holds a value
                    pass
                continue
            if r and r.group(1):
                self.col = _col_index(r.group(1))
                if r.group(2):
                    self.row = int(r.group(2)) - 1
            else:
                self.col += 1
            if attrs.endswith(b"/"):
                continue  # <c r="B2" s="3"/>: formatting only, calamine skips it
            if self.row + 1 > scan.rows:
                scan.rows = self.row + 1
            if self.col + 1 > scan.cols:
                scan.cols = self.col + 1
            if scan.rows > limit_rows or scan.cols > LIMITS["cols"] or scan.rows * scan.cols > LIMITS["cells"]:
                refuse_sheet_size(self.path, self.hint, scan.rows, scan.cols)
            if _T_ERR.search(attrs) and len(scan.errors) < self.max_errors:
                v = _ERR_VALUE.match(text, m.end())
                if v is None:
                    v = _ERR_VALUE.search(text, m.end(), m.end() + 200)
                if v is not None:
                    scan.errors[(self.row, self.col)] = v.group(1).decode("ascii", "replace")


# --------------------------------------------------------------------------- xlsb sheets


def _varint(data: bytes, pos: int, max_len: int) -> tuple[int, int]:
    value = 0
    for i in range(max_len):
        if pos >= len(data):
            raise IndexError
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << (7 * i)
        if not b & 0x80:
            return value, pos
    return value, pos


class _XlsbSheetScanner:
    """BIFF12 records of a .bin sheet part: BrtRowHdr sets the row, cell records the column.

    Mirrors calamine exactly, quirks included: it reads every record into one
    buffer that only ever grows, and takes a cell's column (and a row header's
    row) from the buffer's first bytes, so a record shorter than its fields
    reads the stale bytes of an earlier, longer record.
    """

    _CELLS = set(range(0x02, 0x0C))  # 0x01 (BrtCellBlank) is skipped by calamine
    _ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A"}

    def __init__(self, path: Path, part: str, name: str | None):
        self.path = path
        self.scan = SheetScan(part, name=name)
        self.hint = name or part.rsplit("/", 1)[-1]
        self.row = 0
        self.buf = b""
        self.record = bytearray()  # calamine's reused record buffer
        self.first = True
        self.is_sheet = False
        self.ended = False

    def feed(self, data: bytes, final: bool = False) -> None:
        if self.ended:
            return
        buf = self.buf + data
        pos = 0
        record = self.record
        while True:
            try:
                typ, p = _varint(buf, pos, 2)
                size, p = _varint(buf, p, 4)
            except IndexError:
                break
            if p + size > len(buf):
                break
            if len(record) < size:
                record.extend(bytes(size - len(record)))
            record[:size] = buf[p : p + size]
            pos = p + size
            if self.first:
                self.first = False
                self.is_sheet = typ == 0x0081
            if not self.is_sheet:
                self.ended = True
                self.buf = b""
                return
            if len(record) < 4:
                continue
            if typ == 0x0000:
                self.row = struct.unpack_from("<I", record)[0]
                if self.row > 0x100000:
                    self.ended = True  # calamine stops reading the sheet here
                    self.buf = b""
                    return
            elif typ in self._CELLS:
                col = struct.unpack_from("<I", record)[0]
                scan = self.scan
                scan.rows = max(scan.rows, self.row + 1)
                scan.cols = max(scan.cols, col + 1)
                if scan.rows > LIMITS["rows"] or scan.cols > LIMITS["cols"] or scan.rows * scan.cols > LIMITS["cells"]:
                    refuse_sheet_size(self.path, self.hint, scan.rows, scan.cols)
                if typ == 0x0003 and size >= 9:
                    scan.errors[(self.row, col)] = self._ERRORS.get(record[8], "#REF!")
            elif typ == 0x0092:
                self.ended = True  # BrtEndSheetData
                self.buf = b""
                return
        self.buf = buf[pos:]


# --------------------------------------------------------------------------- ods content


class _OdsScanner:
    """content.xml through expat: every table's used range, honouring repeat counts."""

    _T = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    _O = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    _X = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

    def __init__(self, path: Path):
        self.path = path
        self.tables: list[SheetScan] = []
        self.depth = 0  # nesting of table:table (sub-tables count towards the outer one)
        self.row = 0
        self.col = 0
        self.rows_rep = 1
        self.cell_rep = 1
        self.cell_has_value = False
        self.row_max_col = 0
        self.in_cell = False
        p = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        p.StartDoctypeDeclHandler = self._doctype
        p.EntityDeclHandler = self._doctype
        self.parser = p

    def _doctype(self, *args) -> None:
        raise _DtdFound

    def _start(self, name: str, attrs: dict) -> None:
        t = self._T
        if name == f"{t} table":
            self.depth += 1
            if self.depth == 1:
                name = attrs.get(f"{t} name", "")
                self.tables.append(SheetScan(name, name=name))
                self.row = 0
        elif not self.tables:
            return
        elif name == f"{t} table-row" and self.depth == 1:
            self.rows_rep = _rep(attrs.get(f"{t} number-rows-repeated"))
            self.col = 0
            self.row_max_col = 0
        elif name in (f"{t} table-cell", f"{t} covered-table-cell") and self.depth == 1:
            self.cell_rep = _rep(attrs.get(f"{t} number-columns-repeated"))
            self.cell_has_value = f"{self._O} value-type" in attrs
            self.in_cell = True
        elif self.in_cell and name.startswith(f"{self._X} "):
            self.cell_has_value = True

    def _end(self, name: str) -> None:
        t = self._T
        if name == f"{t} table":
            self.depth -= 1
        elif not self.tables or self.depth != 1:
            return
        elif name in (f"{t} table-cell", f"{t} covered-table-cell"):
            self.in_cell = False
            self.col += self.cell_rep
            if self.cell_has_value:
                self.row_max_col = self.col
        elif name == f"{t} table-row":
            if self.row_max_col:
                scan = self.tables[-1]
                scan.rows = max(scan.rows, self.row + self.rows_rep)
                scan.cols = max(scan.cols, self.row_max_col)
                if scan.rows > LIMITS["rows"] or scan.cols > LIMITS["cols"] or scan.rows * scan.cols > LIMITS["cells"]:
                    refuse_sheet_size(self.path, scan.part, scan.rows, scan.cols)
            self.row += self.rows_rep

    def feed(self, data: bytes, final: bool = False) -> None:
        try:
            self.parser.Parse(data, final)
        except (xml.parsers.expat.ExpatError, LookupError, ValueError) as exc:
            raise _broken(self.path, f"content.xml 不是有效的 XML：{exc}", exc, f"content.xml is no valid XML: {exc}") from exc


def _rep(value: str | None) -> int:
    try:
        return max(1, int(value)) if value else 1
    except ValueError:
        return 1


class _DtdFound(Exception):
    pass


# --------------------------------------------------------------------------- the package


def _kind(names: set[str]) -> str | None:
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "content.xml" in names and ("mimetype" in names or "META-INF/manifest.xml" in names):
        return "ods"
    return None


_SHEET_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet\b([^>]*)>")
_REL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\b([^>]*)>")


_ATTR_PATTERNS: dict[bytes, re.Pattern] = {}


def _attr(attrs: bytes, name: bytes) -> str | None:
    # the first match of (?:^|\s)name\s*=\s*... in attrs is that of \sname\s*=\s*... in b" " + attrs
    # (the same attempts in the same order), which the regex engine finds faster
    pattern = _ATTR_PATTERNS.get(name)
    if pattern is None:
        pattern = _ATTR_PATTERNS[name] = re.compile(rb"\s" + name + rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')""")
    m = pattern.search(b" " + attrs)
    if m is None:
        return None
    return html.unescape((m.group(1) if m.group(1) is not None else m.group(2)).decode("utf-8", "replace"))


def _small_member(path: Path, fh, zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return b""
    if info.file_size > 16 * 2**20:
        return b""
    data = b"".join(_inflate(path, fh, info, [info.file_size]))
    _check_prolog(path, name, data[:_PROLOG_BYTES])
    return data


def _xlsx_sheet_names(path: Path, fh, zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → sheet name, from xl/workbook.xml and its relationships."""
    workbook = _small_member(path, fh, zf, "xl/workbook.xml")
    rels = _small_member(path, fh, zf, "xl/_rels/workbook.xml.rels")
    targets: dict[str, str] = {}
    for m in _REL_TAG.finditer(rels):
        rid, target = _attr(m.group(1), rb"Id"), _attr(m.group(1), rb"Target")
        if rid and target:
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            targets[rid] = part
    out: dict[str, str] = {}
    for m in _SHEET_TAG.finditer(workbook):
        name, rid = _attr(m.group(1), rb"name"), _attr(m.group(1), rb"(?:[A-Za-z_][\w.-]*:)?id")
        if name is not None and rid in targets:
            out[targets[rid]] = name
    return out


def _refuse_dtd(path: Path, member: str) -> InputError:
    return InputError(
        f"“{path.name}”的“{member}”含有 DTD/实体定义（可用于 XML 炸弹），已拒绝读取。",
        hint="Excel、WPS 和 LibreOffice 保存的文件不会含有这种内容；请确认文件来源，或在 Excel/WPS 中另存后再导入。",
        path=str(path), en=f"cannot read {path.name}: {member} declares a DTD/entities (XML bomb); refused",
    )


def inspect_zip(path: Path, *, defer_sheets: bool = False) -> Package:
    """Check every member of the zip at *path*; return what kind of workbook it is.

    Raises :class:`InputError` for anything unsafe or broken, before any
    workbook reader has opened the file. With *defer_sheets*, the worksheet
    parts the workbook names (xlsx) are left out and listed in
    ``Package.deferred``: the caller checks each with :func:`scan_sheet_parts`
    before a reader reads that sheet (several processes can share the work).
    """
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error, NotImplementedError, RuntimeError,
            IndexError, KeyError) as exc:
        raise _broken(path, "不是完整的 xlsx 压缩包，可能只下载或复制了一部分", exc, "not a complete zip; maybe only part of it was downloaded or copied") from exc
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        kind = _kind(names)
        if kind is None:
            raise InputError(
                f"“{path.name}”是一个压缩包，但不是 Excel 工作簿（没有 xl/workbook.xml）。",
                hint="请提供 .xlsx / .xlsm 工作簿或 TSV 文本；Word 文档、压缩的文件夹等不能导入。",
                path=str(path), en=f"cannot read {path.name}: a zip file but no workbook (no xl/workbook.xml)",
            )
        if len(infos) > LIMITS["zip_members"]:
            raise _bomb(path, f"含有 {len(infos)} 个部件，超过 {LIMITS['zip_members']} 个的上限")
        declared = sum(i.file_size for i in infos)
        if declared > LIMITS["unzipped_bytes"]:
            raise _bomb(path, f"解压后共 {declared // 2**20} MB，超过 {LIMITS['unzipped_bytes'] // 2**20} MB 的上限")
        package = Package(kind=kind)
        encrypted = False
        if kind == "ods" and "META-INF/manifest.xml" in names:
            manifest = zf.getinfo("META-INF/manifest.xml")
            if manifest.file_size < 2**20:
                with contextlib.suppress(InputError), open(path, "rb") as fh:
                    encrypted = b"encryption-data" in b"".join(_inflate(path, fh, manifest, [manifest.file_size]))
                if encrypted:
                    raise InputError(
                        f"“{path.name}”受密码保护（已加密），无法读取。",
                        hint="在 LibreOffice/WPS 中打开并取消密码，另存后再导入。",
                        path=str(path), en=f"cannot read {path.name}: password-protected",
                    )
        budget = [LIMITS["unzipped_bytes"]]
        with open(path, "rb") as fh:
            sheet_names = _xlsx_sheet_names(path, fh, zf) if kind == "xlsx" else {}
            package.sheet_names = sheet_names
            for info in infos:
                if info.filename.endswith("/"):
                    continue
                if defer_sheets and info.filename in sheet_names:
                    package.deferred[sheet_names[info.filename]] = info
                    continue
                _check_member(path, fh, info, kind, package, budget, sheet_names)
    return package


def scan_sheet_parts(path: Path, infos: list[zipfile.ZipInfo], sheet_names: dict[str, str]) -> list[SheetScan]:
    """Check the worksheet parts *infos* that :func:`inspect_zip` deferred, as it would have."""
    package = Package(kind="xlsx")
    budget = [LIMITS["unzipped_bytes"]]
    try:
        with open(path, "rb") as fh:
            for info in infos:
                _check_member(path, fh, info, "xlsx", package, budget, sheet_names)
    except OSError as exc:
        raise _broken(path, f"读取时出错：{exc.strerror or exc}", exc, f"read error: {exc.strerror or exc}") from exc
    return package.sheets


def _check_member(
    path: Path, fh, info: zipfile.ZipInfo, kind: str, package: Package, budget: list[int], sheet_names: dict[str, str]
) -> None:
    """Inflate one member fully; check its XML prolog; scan it when it is a sheet."""
    name = info.filename
    lower = name.lower()
    scanner = None
    if kind == "ods" and name == "content.xml":
        scanner = _OdsScanner(path)
    elif kind == "xlsb" and lower.endswith(".bin") and not lower.endswith("vbaproject.bin"):
        scanner = _XlsbSheetScanner(path, name, None)
    # XML parts are held back until their root element is known (a sheet is
    # recognised by its root, wherever the package put it)
    xml_part = lower.endswith((".xml", ".rels", ".vml")) or (kind == "xlsx" and scanner is None)
    head = b""
    pending: list[bytes] | None = [] if xml_part else None
    try:
        for data in _inflate(path, fh, info, budget):
            if pending is not None:
                pending.append(data)
                head = (head + data)[:_PROLOG_BYTES]
                root = _ROOT.search(head)
                if root is None and len(head) < _PROLOG_BYTES:
                    continue
                _check_prolog(path, name, head)
                if scanner is None and kind == "xlsx" and root is not None and root.group(1) in _SHEET_ROOTS:
                    scanner = _XlsxSheetScanner(path, name, sheet_names.get(name))
                chunks, pending = pending, None
                if isinstance(scanner, _XlsxSheetScanner) and len(chunks) == 1 and len(data) == info.file_size:
                    scanner.feed_member(data)  # the whole member (more data would fail the size check)
                elif scanner is not None:
                    for chunk in chunks:
                        scanner.feed(chunk)
                continue
            if scanner is not None:
                scanner.feed(data)
        if pending is not None:
            _check_prolog(path, name, head)
            if scanner is not None:
                for chunk in pending:
                    scanner.feed(chunk)
        if scanner is not None:
            scanner.feed(b"", final=True)
    except _DtdFound:
        raise _refuse_dtd(path, name) from None
    if isinstance(scanner, _OdsScanner):
        package.sheets.extend(scanner.tables)
    elif isinstance(scanner, _XlsxSheetScanner) or (isinstance(scanner, _XlsbSheetScanner) and scanner.is_sheet):
        package.sheets.append(scanner.scan)


def _check_prolog(path: Path, member: str, head: bytes) -> None:
    # every mark holds a "!" and, but for the ASCII ones, a NUL byte: two memchr calls rule most heads out
    if b"!" not in head:
        return
    if _DTD_ASCII.search(head) if b"\x00" not in head else any(mark in head for mark in _DTD_MARKS):
        raise _refuse_dtd(path, member)
