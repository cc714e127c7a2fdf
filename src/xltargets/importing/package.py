"""Checking a zip package (xlsx/xlsm/xlsb/ods) before python-calamine reads it.

zipfile gives the entries, declared sizes, compression types and flags, and reads each member
no further than its declared size, checking its CRC at the end; one byte more is a bomb. Each
member is searched whole for a DTD (the XML bomb) in UTF-8 or UTF-16, and handed to the importer
(*seen*: error cells, :mod:`.errorcells`); XML parsed here goes through defusedxml.

Until python-calamine reads in the reader process, each sheet's used range is also measured from
the cells holding a value, as calamine places them: calamine allocates rows × columns of that
range at once (a ``<dimension>`` or BrtWsDim alone allocates nothing).
"""

from __future__ import annotations

import copy
import io
import operator
import posixpath
import re
import struct
import zipfile
import zlib
from functools import reduce
from itertools import compress
from pathlib import Path

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from ..errors import InputError
from .guard import open_input
from .limits import LIMITS, Checked, SheetScan, broken, dtd_error, password_error

__all__ = ["inspect_zip", "read_part", "read_parts", "xlsb_records"]

_DTD = re.compile(rb"!(?:(?<=<!)|(?<=<\0!))\0?(?:D\0?O\0?C\0?T\0?Y\0?P\0?E|E\0?N\0?T\0?I\0?T\0?Y)")  # UTF-8 or UTF-16
#: every unprefixed cell tag: letters, digits and "/" (empty) of a plainly referenced one, else empty groups;
#: a ">" or "/>" inside a quoted value does not end it, and a value it cannot place ends the fast path
_CELL = re.compile(rb'<c(?: r="([A-Z]{1,3})([0-9]{1,7})"(?:[^>"/<\']++|"[^"<]*+"|/(?!>))*+(/?)>|[\s/>])')
_PREFIXED = re.compile(rb":c[\s/>]")
_REF = re.compile(r"([A-Z]{1,3})?([0-9]{1,7})?")
_BAD_XML = (DET.ParseError, LookupError, ValueError)  # ValueError: a bad character or encoding
_T, _O = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}", "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _bomb(path: Path, what: str) -> InputError:
    mb = LIMITS["unzipped_bytes"] // 2**20
    return InputError(f"“{path.name}”{what}，疑似压缩炸弹，已拒绝读取。", path=str(path), hint=f"正常的申报表解压后只有几 MB（上限 {mb} MB）；请确认文件来源，或拆分后再导入。",
                      en=f"cannot read {path.name}: it looks like a zip bomb (it unpacks to more than it says or than {mb} MB); refused")


def _member(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes as zipfile reads them: stored or deflated, not encrypted, no more than its
    declared size, its CRC checked at the end; one byte past the declared size is a bomb."""
    name, method = info.filename, info.compress_type
    if method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 1:
        what, en = ("是加密的压缩包", "an encrypted zip") if info.flag_bits & 1 else (f"中的“{name}”使用了不支持的压缩方式（{method}）", f"{name} uses compression {method}")
        raise InputError(f"“{path.name}”{what}，无法读取。", hint="在 Excel/WPS 中打开并另存为 .xlsx 后再导入。", path=str(path), en=f"cannot read {path.name}: {en}")
    if method == zipfile.ZIP_STORED and info.compress_size != info.file_size:
        raise broken(path, f"“{name}”校验失败", f"{name}: stored, but its sizes differ")
    probe = copy.copy(info)
    probe.file_size += 1  # zipfile stops at the declared size: asked for one byte more, a bomb gives it
    try:
        with zf.open(probe) as fh:
            data = fh.read()  # CRC checked by zipfile where the stream ends
    except zipfile.BadZipFile as exc:  # a bad local header, or a CRC: of the data, or of one byte more
        try:
            with zf.open(info) as fh:
                fh.read()
        except (zipfile.BadZipFile, zlib.error, EOFError) as again:
            raise broken(path, f"“{name}”校验失败" if "CRC" in str(again) else f"“{name}”的文件头无效", f"{name}: {again}") from exc
        data = None  # the declared bytes are right: the byte more was there
    except (zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise broken(path, f"“{name}”的压缩数据无法解开", f"{name} does not inflate: {exc}") from exc
    if data is None or len(data) > info.file_size:
        raise _bomb(path, f"中的“{name}”解压后超过了文件记录的大小（{info.file_size} 字节）")
    if len(data) != info.file_size:
        raise broken(path, f"“{name}”校验失败", f"{name} is shorter than declared")
    if b"!" in data and _DTD.search(data):  # a byte search first: 5x faster than the pattern's
        raise dtd_error(path, name)
    return data


def _events(path: Path, name: str, data: bytes, events: tuple[str, ...] = ("end",)):
    """iterparse's events of the XML *data*, through defusedxml (no DTD, no entities)."""
    try:
        yield from DET.iterparse(io.BytesIO(data), events, forbid_dtd=True)
    except DefusedXmlException:
        raise dtd_error(path, name) from None
    except _BAD_XML as exc:
        raise broken(path, f"“{name}”不是有效的 XML：{exc}", f"{name} is no valid XML: {exc}") from exc


def _xml(path: Path, name: str, data: bytes):
    """The root element of the XML *data* (the last one to end)."""
    return [el for _, el in _events(path, name, data)][-1]


def _col(letters) -> int:
    return reduce(lambda n, ch: n * 26 + ch - 64, letters, 0)


def _xlsx_sheet(path: Path, scan: SheetScan, data: bytes) -> None:
    """Used range of a worksheet part: one regex pass when every cell tag is a plainly referenced one
    (what Excel, WPS, LibreOffice, openpyxl and XlsxWriter write), else an XML parse."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\0" in data[:4] or _PREFIXED.search(data):
        return _xlsx_sheet_parsed(path, scan, data)  # UTF-16, or prefixed tags (<x:c>)
    found = _CELL.findall(data)
    letters, digits, empty = zip(*found) if found else ((), (), ())
    if b"" in letters:
        return _xlsx_sheet_parsed(path, scan, data)  # a cell without a plain reference
    if b"/" in empty:  # <c r="B2" s="3"/> holds nothing
        full = list(map(operator.not_, empty))
        letters, digits = compress(letters, full), compress(digits, full)
    rows, cols = set(digits), set(letters)
    if rows:
        scan.grow(path, max(map(int, rows)), max(map(_col, cols)))


def _xlsx_sheet_parsed(path: Path, scan: SheetScan, data: bytes) -> None:
    """Used range by an XML parse, cells placed as calamine places them (without ``r``, the next one)."""
    row = col = 0
    for event, el in _events(path, scan.name, data, ("start", "end")):
        local, ref = el.tag.rsplit("}", 1)[-1], _REF.fullmatch(el.get("r", "")) or _REF.fullmatch("")
        if event == "start" and local == "row":
            row, col = int(ref.group(2) or row + 1), 0
        elif event == "start" and local == "c":
            col, row = (_col(ref.group(1).encode()) if ref.group(1) else col + 1), int(ref.group(2) or row)
        elif event == "end" and local == "c" and (len(el) or (el.text or "").strip()):
            scan.grow(path, row, col)
        if event == "end" and local == "row":
            el.clear()


def xlsb_records(data: bytes):
    """(type, body) of each BIFF12 record of *data*, in order, as calamine reads them: the type and
    size little-endian base 128 (at most 2 and 4 bytes); a record cut short by the end stops it."""
    pos, end = 0, len(data)
    while True:
        head = [0, 0]
        for k, width in enumerate((2, 4)):
            for i in range(width):
                if pos >= end:
                    return
                head[k], pos = head[k] | (data[pos] & 0x7F) << 7 * i, pos + 1
                if data[pos - 1] < 0x80:
                    break
        (typ, size), body = head, data[pos : pos + head[1]]
        if len(body) < size:
            return  # a record cut short by the end of the part: nothing after it to read
        pos += size
        yield typ, body


def _xlsb_sheet(path: Path, scan: SheetScan, data: bytes) -> None:
    """BIFF12 records as calamine reads them: from BrtBeginSheetData on, BrtRowHdr sets the row, a cell
    record its column, both from the start of one record buffer it reuses (a short record reads an
    earlier one's bytes)."""
    row, buf, started = 0, bytearray(8), False
    for typ, body in xlsb_records(data):
        buf[: len(body)] = body
        if typ == 0x0000 and (row := struct.unpack_from("<I", buf)[0]) > 0x100000 or typ == 0x0092:
            return  # a row calamine stops at, or BrtEndSheetData
        started = started or typ == 0x0091
        if started and 0x02 <= typ <= 0x0B:  # a cell
            col = struct.unpack_from("<I", buf)[0]
            scan.grow(path, row + 1, col + 1)


def _ods(path: Path, data: bytes) -> list[SheetScan]:
    """Used range of each table of content.xml, repeat counts honoured (calamine expands them)."""
    tables, depth, row, reach, rows_rep, col = [], 0, 0, 0, 1, 0
    for event, el in _events(path, "content.xml", data, ("start", "end")):
        tag, start = el.tag, event == "start"
        if tag == f"{_T}table":
            depth += 1 if start else -1
            if start and depth == 1:
                tables.append(SheetScan(el.get(f"{_T}name", "")))
                row = 0
        elif depth == 1 and tag == f"{_T}table-row":
            if start:
                rows_rep, col, reach = _repeat(el, "rows"), 0, 0
                continue
            if reach:
                tables[-1].grow(path, row + rows_rep, reach)
            row += rows_rep
            el.clear()
        elif depth == 1 and not start and tag in (f"{_T}table-cell", f"{_T}covered-table-cell"):
            col += _repeat(el, "columns")
            reach = col if el.get(f"{_O}value-type") or len(el) else reach
    return tables


def _repeat(el, what: str) -> int:
    return max(1, int(value)) if (value := el.get(f"{_T}number-{what}-repeated", "")).isdigit() else 1


def _xlsx_names(path: Path, read) -> dict[str, str]:
    """Worksheet part (lower case) → sheet name, found as calamine finds them: the workbook part that
    _rels/.rels names, its relationships, each target joined to its folder as written (no "..")."""
    rels = _xml(path, "_rels/.rels", read("_rels/.rels") or b"<r/>")
    doc = next((r.get("Target", "") for r in rels if r.get("Type", "").endswith("/officeDocument")), "xl/workbook.xml")
    base = doc[: doc.rfind("/") + 1].removeprefix("/")
    rels = _xml(path, "workbook.xml.rels", read(f"{base}_rels/workbook.xml.rels") or b"<r/>")
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    names = {}
    for sheet in _xml(path, "workbook.xml", read(f"{base}workbook.xml") or b"<r/>").iter():  # transitional or strict
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None) if sheet.tag.endswith("}sheet") else None
        if target := targets.get(rid, ""):
            names[(target[1:] if target.startswith("/") else base + target).lower()] = sheet.get("name")
    return names


def _zip(path: Path, fh) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error, NotImplementedError, RuntimeError, IndexError, KeyError) as exc:
        raise broken(path, "不是完整的 xlsx 压缩包，可能只下载或复制了一部分", "not a complete zip; maybe only part of it was downloaded or copied") from exc


def read_part(path: Path, name: str, *, limit: int) -> bytes | None:
    """One member of the zip at *path* (a file a user named), read as :func:`inspect_zip` reads it,
    at most *limit* bytes; None when there is none, InputError when it is unsafe or broken."""
    with open_input(path) as fh:
        zf = _zip(path, fh)
        info = next((i for i in zf.infolist() if i.filename == name), None)
        if info is not None and info.file_size > limit:
            raise _bomb(path, f"中的“{name}”解压后有 {info.file_size:,} 字节，超过 {limit:,} 字节的上限")
        return None if info is None else _member(path, zf, info)


def read_parts(path: Path, keep, *, limit: int) -> dict[str, bytes]:
    """The members of the zip at *path* whose name (lower case, "/") *keep* accepts, by that name,
    read as :func:`inspect_zip` reads them, in one opening; InputError past *limit* bytes in all."""
    with open_input(path) as fh:
        zf = _zip(path, fh)
        infos = {key: i for i in zf.infolist() if keep(key := i.filename.replace("\\", "/").lower())}
        if (total := sum(i.file_size for i in infos.values())) > limit:
            raise _bomb(path, f"解压后有 {total:,} 字节，超过 {limit:,} 字节的上限")
        return {key: _member(path, zf, info) for key, info in infos.items()}


def inspect_zip(path: Path, fh, seen=None) -> Checked:
    """Check every member of the zip open as *fh* (each read whole, handed to *seen* as (name, bytes));
    return what kind of workbook it is."""
    zf = _zip(path, fh)
    infos = [i for i in zf.infolist() if not i.filename.endswith("/")]
    names = {i.filename for i in infos}
    kind = ("xlsx" if "xl/workbook.xml" in names else "xlsb" if "xl/workbook.bin" in names
            else "ods" if "content.xml" in names and names & {"mimetype", "META-INF/manifest.xml"} else None)
    if kind is None:
        raise InputError(f"“{path.name}”是一个压缩包，但不是 Excel 工作簿（没有 xl/workbook.xml）。", path=str(path), hint="请提供 .xlsx / .xlsm 工作簿或 TSV 文本；Word 文档、压缩的文件夹等不能导入。",
                         en=f"cannot read {path.name}: a zip file but no workbook (no xl/workbook.xml)")
    if len(infos) > LIMITS["zip_members"]:
        raise _bomb(path, f"含有 {len(infos)} 个部件，超过 {LIMITS['zip_members']} 个的上限")
    declared = sum(i.file_size for i in infos)  # and no member inflates past its declared size
    if declared > LIMITS["unzipped_bytes"]:
        raise _bomb(path, f"解压后共 {declared // 2**20} MB，超过 {LIMITS['unzipped_bytes'] // 2**20} MB 的上限")
    parts: dict[str, bytes] = {}
    by_key = {i.filename.replace("\\", "/").lower(): i for i in infos}  # calamine's lookup: any case, "\\" or "/"

    def read(name: str) -> bytes | None:
        info = by_key.get(name.lower())
        if info is not None and info.filename not in parts:
            parts[info.filename] = _member(path, zf, info)
        return None if info is None else parts[info.filename]

    manifest = read("META-INF/manifest.xml") if kind == "ods" else None
    if manifest and any(el.tag.endswith("}encryption-data") for el in _xml(path, "META-INF/manifest.xml", manifest).iter()):
        raise password_error(path)
    # calamine picks its reader by the file's extension, not by what the package holds: the parts
    # of each reader are measured whatever the package's kind
    sheet_names, package = _xlsx_names(path, read), Checked(kind)
    xlsb = "xl/workbook.bin" in by_key  # calamine's xlsb reader takes any part a relationship names
    for info in infos:
        name, key = info.filename, info.filename.replace("\\", "/").lower()
        data = parts.pop(name) if name in parts else _member(path, zf, info)
        if seen is not None:
            seen(name, data)
        if key == "content.xml":
            _ods(path, data)
        elif (key in sheet_names or name.lower() in sheet_names or key.endswith(".xml") and b"<" in data[:4096]):
            _xlsx_sheet(path, SheetScan(sheet_names.get(key) or sheet_names.get(name.lower()) or name.rsplit("/", 1)[-1]), data)
        if xlsb and b"\x91\x01" in data:  # a BrtBeginSheetData record may be in it: walked as a sheet
            _xlsb_sheet(path, SheetScan(name.rsplit("/", 1)[-1]), data)
    return package
