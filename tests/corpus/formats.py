"""Small, dependency-free writers for the file formats the corpus needs.

Each writer makes a file byte by byte so a case can hold exactly the
oddity it is about (an error cell, a DTD, a lying zip header, a FILEPASS
record …), which no ordinary library would write:

- :func:`xlsx` — a minimal SpreadsheetML package (inline strings, typed cells, sheet states);
- :func:`raw_zip` — a zip whose central directory says whatever the caller wants;
- :func:`cfb` — an OLE2 compound file (MS-CFB v3, 512-byte sectors, with a mini stream);
- :func:`xls` — a BIFF8 workbook stream (MS-XLS) inside a CFB;
- :func:`xlsb` — a BIFF12 package (MS-XLSB) with inline-string cells (and styles.bin for :class:`Formatted`);
- :func:`ods` — an OpenDocument spreadsheet (content.xml only).

Cell values in a grid: ``str`` (text), ``int``/``float`` (number), ``bool``,
:class:`Formula`, :class:`Error`, ``None`` (empty); in an .xls also :class:`BiffFormula`; in an
.xls, an .xlsb and an .ods also :class:`Formatted` (a number with a number format).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

__all__ = ["Formula", "Error", "BiffFormula", "Formatted", "ptg_str", "PTG_ERR_NA", "PTG_PAREN", "col_name", "xlsx", "sheet_xml", "raw_zip", "ZipEntry", "cfb", "xls", "xlsb", "ods"]


@dataclass(frozen=True)
class Formula:
    """A formula cell with its cached value (what calamine reports)."""

    text: str
    cached: object = None


@dataclass(frozen=True)
class Error:
    """An error cell such as ``#REF!``."""

    code: str = "#REF!"


@dataclass(frozen=True)
class BiffFormula:
    """An .xls FORMULA cell: its parsed expression (``rgce``, MS-XLS 2.5.198.103) and its cached error."""

    rgce: bytes
    error: str = "#N/A"


@dataclass(frozen=True)
class Formatted:
    """A number with a number format: in an .xls its XF and FORMAT records (an ``int`` is written as
    an RK record, a ``float`` as NUMBER), in an .xlsb its BrtXF and BrtFmt records (an ``int`` as
    BrtCellRk, a ``float`` as BrtCellReal); in an .ods the text *shown* stored with the cell."""

    value: float
    code: str
    shown: str


def ptg_str(text: str, wide: bool = True) -> bytes:
    """A ptgStr token (0x17): ``cch``, flags (1: UTF-16), the characters."""
    return struct.pack("<BBB", 0x17, len(text), int(wide)) + text.encode("utf-16-le" if wide else "latin-1")


#: ptgErr #N/A: all LibreOffice writes for a typed =10.00(所) it could not compile
PTG_ERR_NA = b"\x1c\x2a"
#: ptgParen: the expression before it, in brackets
PTG_PAREN = b"\x15"

_ERROR_CODES = {"#NULL!": 0, "#DIV/0!": 7, "#VALUE!": 15, "#REF!": 23, "#NAME?": 29, "#NUM!": 36, "#N/A": 42}


def col_name(c: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


# --------------------------------------------------------------------------- xlsx

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _cell_xml(ref: str, v) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        return f'<c r="{ref}" t="b"><v>{int(v)}</v></c>'
    if isinstance(v, (int, float)):
        return f'<c r="{ref}"><v>{v!r}</v></c>'
    if isinstance(v, Error):
        return f'<c r="{ref}" t="e"><v>{escape(v.code)}</v></c>'
    if isinstance(v, Formula):
        cached = v.cached
        if cached is None:
            return f"<c r=\"{ref}\"><f>{escape(v.text)}</f></c>"
        if isinstance(cached, Error):
            return f'<c r="{ref}" t="e"><f>{escape(v.text)}</f><v>{escape(cached.code)}</v></c>'
        if isinstance(cached, str):
            return f'<c r="{ref}" t="str"><f>{escape(v.text)}</f><v>{escape(cached)}</v></c>'
        if isinstance(cached, bool):
            return f'<c r="{ref}" t="b"><f>{escape(v.text)}</f><v>{int(cached)}</v></c>'
        return f"<c r=\"{ref}\"><f>{escape(v.text)}</f><v>{cached!r}</v></c>"
    text = str(v)
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def sheet_xml(rows: Sequence[Sequence[object]], *, prolog: str = "", extra: str = "") -> str:
    """The worksheet part for *rows* (0-based grid → A1 refs)."""
    out = [_XML_DECL, prolog, f'<worksheet xmlns="{_NS}"><sheetData>']
    for r, row in enumerate(rows):
        cells = "".join(_cell_xml(f"{col_name(c)}{r + 1}", v) for c, v in enumerate(row))
        if cells:
            out.append(f'<row r="{r + 1}">{cells}</row>')
    out.append(f"</sheetData>{extra}</worksheet>")
    return "".join(out)


def xlsx(
    path: Path,
    sheets: Sequence[tuple[str, object]] | None,
    *,
    states: dict[str, str] | None = None,
    shared_strings: str | None = None,
    styles: str | None = None,
    vba: bytes | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """Write a workbook: *sheets* is ``[(name, rows or raw sheet XML), …]``.

    *states* maps a sheet name to ``hidden``/``veryHidden``; *shared_strings*
    is a raw sharedStrings part, *styles* a raw styles part; *vba* a vbaProject.bin (makes an .xlsm).
    """
    sheets = list(sheets or [])
    states = states or {}
    main_ct = (
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
        if vba is not None
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    )
    overrides = [f'<Override PartName="/xl/workbook.xml" ContentType="{main_ct}"/>']
    rels = []
    entries = []
    for i, (name, body) in enumerate(sheets, start=1):
        overrides.append(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        )
        rels.append(
            f'<Relationship Id="rId{i}" Type="{_R}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        )
        state = f' state="{states[name]}"' if name in states else ""
        entries.append(f"<sheet name={quoteattr(name)} sheetId=\"{i}\"{state} r:id=\"rId{i}\"/>")
    n = len(sheets)
    if shared_strings is not None:
        overrides.append(
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
        rels.append(f'<Relationship Id="rId{n + 1}" Type="{_R}/sharedStrings" Target="sharedStrings.xml"/>')
    if styles is not None:
        rels.append(f'<Relationship Id="rId{n + 3}" Type="{_R}/styles" Target="styles.xml"/>')
    if vba is not None:
        rels.append(
            f'<Relationship Id="rId{n + 2}" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
            'Target="vbaProject.bin"/>'
        )
    content_types = (
        f'{_XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        f'{"".join(overrides)}</Types>'
    )
    root_rels = (
        f'{_XML_DECL}<Relationships xmlns="{_PR}">'
        f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        f'{_XML_DECL}<workbook xmlns="{_NS}" xmlns:r="{_R}"><sheets>{"".join(entries)}</sheets></workbook>'
    )
    wb_rels = f'{_XML_DECL}<Relationships xmlns="{_PR}">{"".join(rels)}</Relationships>'
    with zipfile.ZipFile(path, "w", compression) as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("_rels/.rels", root_rels)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", wb_rels)
        for i, (_, body) in enumerate(sheets, start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", body if isinstance(body, (str, bytes)) else sheet_xml(body))
        if shared_strings is not None:
            z.writestr("xl/sharedStrings.xml", shared_strings)
        if styles is not None:
            z.writestr("xl/styles.xml", styles)
        if vba is not None:
            z.writestr("xl/vbaProject.bin", vba)
    return path


# --------------------------------------------------------------------------- raw zip


@dataclass
class ZipEntry:
    """One member as stored: *data* is the stored bytes (raw deflate when method 8).

    ``size``/``crc`` default to the truth; set them to lie in the headers.
    """

    name: str
    data: bytes
    method: int = 0
    size: int | None = None
    crc: int | None = None
    plain: bytes | None = None  # the uncompressed bytes, to compute the truth

    @classmethod
    def deflated(cls, name: str, plain: bytes, **kw) -> "ZipEntry":
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        return cls(name, c.compress(plain) + c.flush(), 8, plain=plain, **kw)


def raw_zip(path: Path, entries: Iterable[ZipEntry]) -> Path:
    """A zip written by hand (no zip64): sizes and CRCs exactly as the entries say."""
    out = bytearray()
    central = bytearray()
    count = 0
    for e in entries:
        plain = e.plain if e.plain is not None else (e.data if e.method == 0 else b"")
        size = e.size if e.size is not None else len(plain)
        crc = e.crc if e.crc is not None else zlib.crc32(plain)
        name = e.name.encode("utf-8")
        offset = len(out)
        flags = 0x800  # UTF-8 names
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, e.method, 0, 0x21, crc, len(e.data), size, len(name), 0)
        out += name + e.data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, e.method, 0, 0x21, crc, len(e.data), size,
            len(name), 0, 0, 0, 0, 0, offset,
        )
        central += name
        count += 1
    cd_offset = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), cd_offset, 0)
    Path(path).write_bytes(bytes(out))
    return Path(path)


# --------------------------------------------------------------------------- CFB (OLE2)

_FREE, _END, _FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_NOSTREAM = 0xFFFFFFFF


def _chain(fat: list[int], start: int, count: int) -> None:
    for i in range(count):
        fat[start + i] = start + i + 1 if i < count - 1 else _END


def cfb(path: Path, streams: dict[str, bytes]) -> Path:
    """An MS-CFB v3 file holding *streams* at the root (small ones in the mini stream)."""
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    big = {n: streams[n] for n in names if len(streams[n]) >= 4096}
    small = {n: streams[n] for n in names if len(streams[n]) < 4096}

    def sectors(n: int, size: int) -> int:
        return -(-n // size)

    # mini stream: each small stream padded to 64-byte mini sectors
    mini = bytearray()
    minifat: list[int] = []
    mini_start: dict[str, int] = {}
    for n, data in small.items():
        k = sectors(len(data), 64)
        mini_start[n] = len(minifat) if k else _END
        start = len(minifat)
        minifat.extend([0] * k)
        _chain(minifat, start, k)
        mini += data + b"\0" * (k * 64 - len(data))
    # regular sectors: big streams, mini stream container, mini FAT, directory, FAT
    layout: list[tuple[str, bytes]] = [(n, d) for n, d in big.items()]
    if mini:
        layout.append(("<mini>", bytes(mini)))
    if minifat:
        mf = struct.pack(f"<{len(minifat)}I", *minifat)
        layout.append(("<minifat>", mf))
    n_entries = 1 + len(names)
    dir_bytes_len = sectors(n_entries, 4) * 512
    layout.append(("<dir>", b"\0" * dir_bytes_len))
    data_sectors = sum(max(1, sectors(len(d), 512)) for _, d in layout)
    n_fat = 1
    while sectors(data_sectors + n_fat, 128) > n_fat:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("cfb(): too large for a header-only DIFAT")
    fat = [_FREE] * (n_fat * 128)
    start: dict[str, int] = {}
    pos = 0
    for n, d in layout:
        k = max(1, sectors(len(d), 512))
        start[n] = pos
        _chain(fat, pos, k)
        pos += k
    fat_start = pos
    for i in range(n_fat):
        fat[fat_start + i] = _FATSECT

    def entry(name: str, typ: int, child: int, right: int, first: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(raw), typ, 1, _NOSTREAM, right, child)
            + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
            + struct.pack("<IQ", first, size)
        )

    dir_entries = [
        entry("Root Entry", 5, 1 if names else _NOSTREAM, _NOSTREAM,
              start.get("<mini>", _END), len(mini))
    ]
    for i, n in enumerate(names, start=1):
        first = start[n] if n in big else mini_start[n]
        right = i + 1 if i < len(names) else _NOSTREAM
        dir_entries.append(entry(n, 2, _NOSTREAM, right, first, len(streams[n])))
    dir_bytes = b"".join(dir_entries)
    assert len(dir_bytes) % 128 == 0
    dir_bytes += (b"\0" * 64 + struct.pack("<HBBIII", 0, 0, 0, _NOSTREAM, _NOSTREAM, _NOSTREAM) + b"\0" * 48) * (
        (dir_bytes_len - len(dir_bytes)) // 128
    )
    layout[[n for n, _ in layout].index("<dir>")] = ("<dir>", dir_bytes)

    difat = [fat_start + i for i in range(n_fat)] + [_FREE] * (109 - n_fat)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, n_fat, start["<dir>"], 0, 4096,
                      start.get("<minifat>", _END), sectors(len(minifat) * 4, 512), _END, 0)
        + struct.pack("<109I", *difat)
    )
    body = bytearray(header)
    for _, d in layout:
        k = max(1, sectors(len(d), 512))
        body += d + b"\0" * (k * 512 - len(d))
    body += struct.pack(f"<{len(fat)}I", *fat)
    Path(path).write_bytes(bytes(body))
    return Path(path)


# --------------------------------------------------------------------------- xls (BIFF8)


def _rec(typ: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", typ, len(data)) + data


def _bof(dt: int) -> bytes:
    return _rec(0x0809, struct.pack("<HHHHII", 0x0600, dt, 0x0DBB, 0x07CC, 0, 0x0206))


def xls_stream(sheets: Sequence[tuple[str, Sequence[Sequence[object]]]], *, states: dict[str, int] | None = None,
               filepass: bool = False) -> bytes:
    """A BIFF8 Workbook stream: globals (SST, BOUNDSHEET8) and one substream per sheet."""
    states = states or {}
    strings: list[str] = []
    index: dict[str, int] = {}
    for _, rows in sheets:
        for row in rows:
            for v in row:
                if isinstance(v, str) and v and v not in index:
                    index[v] = len(strings)
                    strings.append(v)
    sst = struct.pack("<II", len(strings), len(strings)) + b"".join(
        struct.pack("<HB", len(s), 1) + s.encode("utf-16-le") for s in strings
    )
    if len(sst) > 8224:
        raise ValueError("xls_stream(): SST too large for one record (no CONTINUE support)")
    codes = list(dict.fromkeys(v.code for _, rows in sheets for row in rows for v in row if isinstance(v, Formatted)))

    def substream(rows) -> bytes:
        cells = bytearray()
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None or v == "":
                    continue
                if isinstance(v, Formatted):  # XF 16 + i has FORMAT 164 + i
                    ixfe = 16 + codes.index(v.code)
                    if isinstance(v.value, int):
                        cells += _rec(0x027E, struct.pack("<HHHI", r, c, ixfe, (v.value << 2) | 2))
                    else:
                        cells += _rec(0x0203, struct.pack("<HHHd", r, c, ixfe, v.value))
                elif isinstance(v, bool):
                    cells += _rec(0x0205, struct.pack("<HHHBB", r, c, 15, int(v), 0))
                elif isinstance(v, (int, float)):
                    cells += _rec(0x0203, struct.pack("<HHHd", r, c, 15, float(v)))
                elif isinstance(v, Error):
                    cells += _rec(0x0205, struct.pack("<HHHBB", r, c, 15, _ERROR_CODES.get(v.code, 23), 1))
                elif isinstance(v, BiffFormula):  # cached error: fExprO 0xFFFF, type 2, the code
                    cached = struct.pack("<BBBBBBH", 2, 0, _ERROR_CODES[v.error], 0, 0, 0, 0xFFFF)
                    cells += _rec(0x0006, struct.pack("<HHH", r, c, 15) + cached
                                  + struct.pack("<HIH", 0, 0, len(v.rgce)) + v.rgce)
                else:
                    cells += _rec(0x00FD, struct.pack("<HHHI", r, c, 15, index[str(v)]))
        nrows = len(rows)
        ncols = max((len(r) for r in rows), default=0)
        return _bof(0x0010) + _rec(0x0200, struct.pack("<IIHHH", 0, nrows, 0, ncols, 0)) + bytes(cells) + _rec(0x000A)

    subs = [substream(rows) for _, rows in sheets]
    head = [_bof(0x0005)]
    if filepass:
        # RC4 CryptoAPI header stub: calamine only needs to see the record
        head.append(_rec(0x002F, struct.pack("<HHH", 1, 2, 2) + b"\0" * 48))
    head.append(_rec(0x0042, struct.pack("<H", 1200)))
    head.append(_rec(0x0022, struct.pack("<H", 0)))
    # 16 cell XFs + 1 default so that ixfe 15 exists
    xf = _rec(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0))
    head.extend([xf] * 16)
    for i, code in enumerate(codes):
        head.append(_rec(0x041E, struct.pack("<HHB", 164 + i, len(code), 1) + code.encode("utf-16-le")))
    for i in range(len(codes)):
        head.append(_rec(0x00E0, struct.pack("<HHHBBBBIIH", 0, 164 + i, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0)))
    bound_len = [len(_rec(0x0085, struct.pack("<IBB", 0, 0, 0) + struct.pack("<BB", len(n), 1) + n.encode("utf-16-le")))
                 for n, _ in sheets]
    globals_len = sum(map(len, head)) + sum(bound_len) + len(_rec(0x00FC, sst)) + len(_rec(0x000A))
    pos = globals_len
    bounds = []
    for (name, _), sub in zip(sheets, subs):
        bounds.append(_rec(0x0085, struct.pack("<IBB", pos, states.get(name, 0), 0)
                           + struct.pack("<BB", len(name), 1) + name.encode("utf-16-le")))
        pos += len(sub)
    return b"".join(head) + b"".join(bounds) + _rec(0x00FC, sst) + _rec(0x000A) + b"".join(subs)


def xls(path: Path, sheets, **kw) -> Path:
    """A real BIFF8 .xls: the Workbook stream in a compound file."""
    return cfb(path, {"Workbook": xls_stream(sheets, **kw)})


# --------------------------------------------------------------------------- xlsb (BIFF12)


def _varint(n: int, limit: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            break
    if len(out) > limit:
        raise ValueError("varint too long")
    return bytes(out)


def _brt(typ: int, data: bytes = b"") -> bytes:
    return _varint(typ, 2) + _varint(len(data), 4) + data


def _wide(s: str) -> bytes:
    return struct.pack("<I", len(s.encode("utf-16-le")) // 2) + s.encode("utf-16-le")


def _xlsb_codes(sheets) -> list[str]:
    """The number format codes of the :class:`Formatted` cells of *sheets*, in order met: XF 1, 2 …"""
    codes: list[str] = []
    for _, rows in sheets:
        for row in rows if not isinstance(rows, bytes) else ():
            for v in row:
                if isinstance(v, Formatted) and v.code not in codes:
                    codes.append(v.code)
    return codes


def xlsb_styles(codes: Sequence[str]) -> bytes:
    """styles.bin: a BrtFmt (ids from 164) and a cellXfs BrtXF for each code, after XF 0 (General)."""
    xf = lambda fmt_id: struct.pack("<HHHHHBBI", 0xFFFF, fmt_id, 0, 0, 0, 0, 0, 0)  # noqa: E731
    fmts = b"".join(_brt(0x002C, struct.pack("<H", 164 + i) + _wide(code)) for i, code in enumerate(codes))
    cell_xfs = b"".join(_brt(0x002F, xf(f)) for f in [0] + [164 + i for i in range(len(codes))])
    return (_brt(0x0296) + _brt(0x0267, struct.pack("<I", len(codes))) + fmts + _brt(0x0268)
            + _brt(0x0272, struct.pack("<I", 1)) + _brt(0x002F, xf(0)) + _brt(0x0273)  # cellStyleXfs: not counted
            + _brt(0x0269, struct.pack("<I", len(codes) + 1)) + cell_xfs + _brt(0x026A) + _brt(0x0297))


_XLSB_ERR = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17, "#NAME?": 0x1D, "#NUM!": 0x24, "#N/A": 0x2A}


def xlsb_sheet(rows: Sequence[Sequence[object]], codes: Sequence[str] = ()) -> bytes:
    width = max((len(r) for r in rows), default=1)
    dim = struct.pack("<IIII", 0, max(len(rows) - 1, 0), 0, max(width - 1, 0))
    out = bytearray(_brt(0x0081) + _brt(0x0094, dim) + _brt(0x0091))
    for r, row in enumerate(rows):
        cells = bytearray()
        for c, v in enumerate(row):
            head = struct.pack("<II", c, 0)
            if v is None or v == "":
                continue
            if isinstance(v, Formatted):
                head = struct.pack("<II", c, list(codes).index(v.code) + 1)
                if isinstance(v.value, int):  # RkNumber: the integer shifted by 2, fInt set
                    cells += _brt(0x0002, head + struct.pack("<I", (v.value << 2 | 2) & 0xFFFFFFFF))
                else:
                    cells += _brt(0x0005, head + struct.pack("<d", v.value))
            elif isinstance(v, bool):
                cells += _brt(0x0004, head + bytes([int(v)]))
            elif isinstance(v, (int, float)):
                cells += _brt(0x0005, head + struct.pack("<d", float(v)))
            elif isinstance(v, Error):  # BrtCellError: the code's BErr
                cells += _brt(0x0003, head + bytes([_XLSB_ERR.get(v.code, 0x17)]))
            else:
                cells += _brt(0x0006, head + _wide(str(v)))
        if cells:
            out += _brt(0x0000, struct.pack("<IIHHBI", r, 0, 300, 0, 0, 0)) + cells
    out += _brt(0x0092) + _brt(0x0082)
    return bytes(out)


def xlsb(path: Path, sheets: Sequence[tuple[str, object]]) -> Path:
    """A minimal .xlsb: workbook.bin with BrtBundleSh records, one .bin part per sheet (styles.bin
    when a sheet holds a :class:`Formatted` cell)."""
    codes = _xlsb_codes(sheets)
    wb = bytearray(_brt(0x0083) + _brt(0x008F))
    rels = []
    overrides = []
    parts = {}
    for i, (name, rows) in enumerate(sheets, start=1):
        wb += _brt(0x009C, struct.pack("<II", 0, i) + _wide(f"rId{i}") + _wide(name))
        rels.append(f'<Relationship Id="rId{i}" Type="{_R}/worksheet" Target="worksheets/sheet{i}.bin"/>')
        overrides.append(
            f'<Override PartName="/xl/worksheets/sheet{i}.bin" ContentType="application/vnd.ms-excel.worksheet"/>'
        )
        parts[f"xl/worksheets/sheet{i}.bin"] = rows if isinstance(rows, bytes) else xlsb_sheet(rows, codes)
    if codes:
        rels.append(f'<Relationship Id="rIdS" Type="{_R}/styles" Target="styles.bin"/>')
        overrides.append('<Override PartName="/xl/styles.bin" ContentType="application/vnd.ms-excel.styles"/>')
        parts["xl/styles.bin"] = xlsb_styles(codes)
    wb += _brt(0x0090) + _brt(0x0084)
    ct = (
        f'{_XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
        f'{"".join(overrides)}</Types>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr(
            "_rels/.rels",
            f'{_XML_DECL}<Relationships xmlns="{_PR}"><Relationship Id="rId1" Type="{_R}/officeDocument" '
            'Target="xl/workbook.bin"/></Relationships>',
        )
        z.writestr("xl/workbook.bin", bytes(wb))
        z.writestr("xl/_rels/workbook.bin.rels", f'{_XML_DECL}<Relationships xmlns="{_PR}">{"".join(rels)}</Relationships>')
        for name, data in parts.items():
            z.writestr(name, data)
    return path


# --------------------------------------------------------------------------- ods

_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _ods_cell(v) -> str:
    if v is None or v == "":
        return "<table:table-cell/>"
    if isinstance(v, Formatted):
        kind = "percentage" if v.code.endswith("%") else "float"
        return f'<table:table-cell office:value-type="{kind}" office:value="{v.value!r}"><text:p>{escape(v.shown)}</text:p></table:table-cell>'
    if isinstance(v, bool):
        return f'<table:table-cell office:value-type="boolean" office:boolean-value="{str(v).lower()}"><text:p>{str(v).upper()}</text:p></table:table-cell>'
    if isinstance(v, (int, float)):
        return f'<table:table-cell office:value-type="float" office:value="{v!r}"><text:p>{v}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'


def ods_table(name: str, rows: Sequence[Sequence[object]]) -> str:
    body = "".join("<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>" for row in rows)
    return f"<table:table table:name={quoteattr(name)}>{body}</table:table>"


def ods(path: Path, sheets: Sequence[tuple[str, object]], *, raw_tables: str | None = None) -> Path:
    """An .ods: *sheets* as ``[(name, rows)]``, or *raw_tables* as the spreadsheet body XML."""
    tables = raw_tables if raw_tables is not None else "".join(ods_table(n, rows) for n, rows in sheets)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


# --------------------------------------------------------------------------- a minimal PDF


def pdf_bytes(text: bytes = b"", info: bytes | None = None) -> bytes:
    """A one-page PDF showing *text*, with *info* (a dictionary's source, e.g. ``<< /Keywords (x) >>``)
    as its document information."""
    content = b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)] + ([info] if info else [])
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = b"<< /Size %d /Root 1 0 R%s >>" % (len(objs) + 1, b" /Info 5 0 R" if info else b"")
    return bytes(out + b"trailer\n%s\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref))
