#!/usr/bin/env python3
"""Make the bad-input corpus: every file that cases.tsv names, into one folder.

    python tests/corpus/make_corpus.py /tmp/corpus      # writes ~70 files, a few seconds

Nothing here is a hand-copied binary: each file is built from a clean
申报表 (:func:`form`) by the writers in :mod:`formats`, then broken in exactly
one way. The tests (tests/test_reliability_corpus.py) build the corpus into a
temp folder once per session and run the CLI on each case.

A builder is a function ``build_<name>(folder) -> None`` registered with
:func:`case_file`; the file name is the key used in cases.tsv.
"""

from __future__ import annotations

import io
import os
import re
import struct
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import formats as fmt  # type: ignore[no-redef]
    import pdfmaker  # type: ignore[no-redef]
else:
    from . import formats as fmt
    from . import pdfmaker

__all__ = ["BUILDERS", "build", "form", "form_tsv", "CLEAN"]

BUILDERS: dict[str, Callable[[Path], None]] = {}


def case_file(name: str):
    def register(func: Callable[[Path], None]) -> Callable[[Path], None]:
        BUILDERS[name] = func
        return func

    return register


# --------------------------------------------------------------------------- the clean form

#: indicator rows of the clean form: every 一级 present, values in the seed's style
CLEAN_ROWS = [
    ["绩效指标", "成本指标", "经济成本指标", "培训成本控制", "≤100000.00(元)"],
    ["", "产出指标", "数量指标", "培训场次", "=12.00(场)"],
    ["", "", "质量指标", "培训合格率", "≥90.00(%)"],
    ["", "", "时效指标", "按期完成率", "=100.00(%)"],
    ["", "效益指标", "社会效益指标", "政策知晓率", "≥80.00(%)"],
    ["", "满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90.00(%)"],
]


def form(
    *,
    name: object = "青春健康培训项目",
    nature: object = "其他一次性项目",
    category: object = "特定目标类",
    start: object = "2024-01-01",
    end: object = "2024-12-31",
    annual: object = "120,000.00",
    fiscal: object = "120,000.00",
    carry: object = "0.00",
    other: object = "0.00",
    goal: object = "开展青春健康培训12场，培训合格率不低于90%。",
    rows: list[list[object]] | None = None,
    title: bool = True,
) -> list[list[object]]:
    """One 申报表 in the seed's layout, as a grid of cell values."""
    head = [["财政项目支出绩效目标申报表"], ["(2024年度)"]] if title else []
    return [
        *head,
        ["项目名称", name, "项目性质", nature, "项目类别", category],
        ["主管部门", "上海市卫生健康委员会", "实施单位", "上海市计划生育协会"],
        ["计划开始日期", start, "计划完成日期", end],
        ["项目资金 (元)", "项目资金总额", "", "年度资金申请总额", annual],
        ["", "其中：财政资金", "", "其中：当年财政拨款", fiscal],
        ["", "", "", "上年结转资金", carry],
        ["", "其他资金", "", "其他资金", other],
        ["项目 绩效 目标", "项目总目标", "", "年度总体目标"],
        ["", "", "", goal],
        ["", "一级指标", "二级指标", "三级指标", "年度(/项目)指标值"],
        *[list(r) for r in (rows if rows is not None else CLEAN_ROWS)],
    ]


CLEAN = form()


def summary(*forms: list[list[object]]) -> list[list[object]]:
    """Several forms stacked under a 汇总表 title, a blank row between them."""
    out: list[list[object]] = [["上海市计划生育协会2024年度项目绩效目标汇总表"], []]
    for f in forms:
        out.extend(f)
        out.append([])
    return out


def _text(v: object) -> str:
    return "" if v is None else str(v)


def form_tsv(grid: list[list[object]]) -> str:
    return "\n".join("\t".join(_text(v) for v in row) for row in grid) + "\n"


def write_tsv(path: Path, grid: list[list[object]], encoding: str = "utf-8") -> None:
    path.write_bytes(form_tsv(grid).encode(encoding))


def with_row(index: int, cells: list[object]) -> list[list[object]]:
    """The clean indicator rows with row *index* replaced."""
    rows = [list(r) for r in CLEAN_ROWS]
    rows[index] = cells
    return rows


# --------------------------------------------------------------------------- valid files in every format


@case_file("clean.tsv")
def _(d: Path) -> None:
    write_tsv(d / "clean.tsv", summary(CLEAN))


@case_file("clean.xlsx")
def _(d: Path) -> None:
    fmt.xlsx(d / "clean.xlsx", [("申报表", summary(CLEAN))])


@case_file("clean.xls")
def _(d: Path) -> None:
    fmt.xls(d / "clean.xls", [("申报表", summary(CLEAN))])


@case_file("clean.xlsb")
def _(d: Path) -> None:
    fmt.xlsb(d / "clean.xlsb", [("申报表", summary(CLEAN))])


@case_file("clean.ods")
def _(d: Path) -> None:
    fmt.ods(d / "clean.ods", [("申报表", summary(CLEAN))])


@case_file("utf16.tsv")
def _(d: Path) -> None:
    write_tsv(d / "utf16.tsv", summary(CLEAN), encoding="utf-16")


@case_file("gb18030.tsv")
def _(d: Path) -> None:
    write_tsv(d / "gb18030.tsv", summary(CLEAN), encoding="gb18030")


@case_file("numbers-typed.xlsx")
def _(d: Path) -> None:
    """Funds as numbers, dates as Excel serials with a date style missing: read as amounts / serials."""
    fmt.xlsx(d / "numbers-typed.xlsx", [("申报表", summary(form(annual=120000, fiscal=120000, carry=0, other=0)))])


@case_file("hidden-extra.xlsx")
def _(d: Path) -> None:
    """A visible form plus a hidden sheet of lists (like our own workbooks): the hidden one is skipped."""
    fmt.xlsx(
        d / "hidden-extra.xlsx",
        [("申报表", summary(CLEAN)), ("lists", [["产出指标", "效益指标"]])],
        states={"lists": "veryHidden"},
    )


# --------------------------------------------------------------------------- not a workbook at all


@case_file("empty.xlsx")
def _(d: Path) -> None:
    (d / "empty.xlsx").write_bytes(b"")


@case_file("garbage.xlsx")
def _(d: Path) -> None:
    import random

    rnd = random.Random(6)
    (d / "garbage.xlsx").write_bytes(bytes([0, 1, 2, 0]) + bytes(rnd.randrange(256) for _ in range(4096)))


@case_file("plain-text.xlsx")
def _(d: Path) -> None:
    (d / "plain-text.xlsx").write_text("这不是工作簿，只是一段文字。\n第二行\n", encoding="utf-8")


@case_file("no-form.tsv")
def _(d: Path) -> None:
    write_tsv(d / "no-form.tsv", [["姓名", "部门"], ["张三", "财务处"]])


@case_file("gb18030-bom.tsv")
def _(d: Path) -> None:
    """A 申报表 starting at its 项目名称 row, in GB18030 with GB18030's BOM (84 31 95 33, U+FEFF), CRLF lines:
    the BOM stayed in the first cell and hid the label (session 7's attack pass)."""
    text = form_tsv(form(title=False))
    (d / "gb18030-bom.tsv").write_bytes(b"\x84\x31\x95\x33" + text.replace("\n", "\r\n").encode("gb18030"))


@case_file("excel-unicode-text.txt")
def _(d: Path) -> None:
    """Excel's "Unicode 文本" export (UTF-16 LE with its BOM, tabs, CRLF) of the 汇总表."""
    (d / "excel-unicode-text.txt").write_bytes(b"\xff\xfe" + form_tsv(summary(CLEAN)).replace("\n", "\r\n").encode("utf-16-le"))


@case_file("bad-utf16.tsv")
def _(d: Path) -> None:
    (d / "bad-utf16.tsv").write_bytes(b"\xff\xfe" + "项目名称\t甲".encode("utf-16-le") + b"\x00")


@case_file("latin1-binary.tsv")
def _(d: Path) -> None:
    (d / "latin1-binary.tsv").write_bytes(b"\x81\xff\xfe\x80" * 64)


@case_file("utf8-stray-byte.tsv")
def _(d: Path) -> None:
    """The clean UTF-8 summary with one stray byte (A0, a no-break space from a Windows-1252 text pasted in) in the
    培训场次 row: «文字编码无法识别», «另存为 UTF-8» for a file that is UTF-8 but one byte (session 7's attack pass)."""
    data = form_tsv(summary(CLEAN)).encode("utf-8")
    at = data.index("培训场次".encode())
    (d / "utf8-stray-byte.tsv").write_bytes(data[:at] + b"\xa0" + data[at:])


@case_file("pdf.xlsx")
def _(d: Path) -> None:
    (d / "pdf.xlsx").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


@case_file("html-table.xls")
def _(d: Path) -> None:
    """What many finance systems export as “.xls”: an HTML table."""
    cells = "".join(f"<tr>{''.join(f'<td>{escape(str(v))}</td>' for v in row)}</tr>" for row in CLEAN)
    (d / "html-table.xls").write_text(
        f'<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8"></head>'
        f"<body><table>{cells}</table></body></html>",
        encoding="utf-8",
    )


@case_file("spreadsheetml-2003.xls")
def _(d: Path) -> None:
    (d / "spreadsheetml-2003.xls").write_text(
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="申报表"><Table>'
        '<Row><Cell><Data ss:Type="String">项目名称</Data></Cell></Row></Table></Worksheet></Workbook>\n',
        encoding="utf-8",
    )


# --------------------------------------------------------------------------- broken zips


def _clean_xlsx_bytes(d: Path) -> bytes:
    p = d / ".clean-src.xlsx"
    fmt.xlsx(p, [("申报表", summary(CLEAN))])
    data = p.read_bytes()
    p.unlink()
    return data


@case_file("truncated.xlsx")
def _(d: Path) -> None:
    data = _clean_xlsx_bytes(d)
    (d / "truncated.xlsx").write_bytes(data[: len(data) * 2 // 3])


@case_file("truncated-head.xlsx")
def _(d: Path) -> None:
    (d / "truncated-head.xlsx").write_bytes(_clean_xlsx_bytes(d)[:100])


@case_file("bad-crc.xlsx")
def _(d: Path) -> None:
    """Every byte in place except one flipped inside the compressed sheet data."""
    plain = fmt.sheet_xml(summary(CLEAN)).encode()
    entry = fmt.ZipEntry.deflated("xl/worksheets/sheet1.xml", plain)
    data = bytearray(entry.data)
    data[len(data) // 2] ^= 0x01
    entry.data = bytes(data)
    _package(d / "bad-crc.xlsx", {"xl/worksheets/sheet1.xml": entry})


@case_file("zip-not-workbook.xlsx")
def _(d: Path) -> None:
    with zipfile.ZipFile(d / "zip-not-workbook.xlsx", "w") as z:
        z.writestr("readme.txt", "一个普通的压缩包")
        z.writestr("照片/1.txt", "x")


@case_file("docx-renamed.xlsx")
def _(d: Path) -> None:
    with zipfile.ZipFile(d / "docx-renamed.xlsx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")


@case_file("empty-zip.xlsx")
def _(d: Path) -> None:
    zipfile.ZipFile(d / "empty-zip.xlsx", "w").close()


@case_file("bzip2-member.xlsx")
def _(d: Path) -> None:
    """A zip member compressed with bzip2 (method 12), which no Excel writes."""
    p = d / "bzip2-member.xlsx"
    fmt.xlsx(p, [("申报表", summary(CLEAN))], compression=zipfile.ZIP_BZIP2)


def _package(path: Path, replace: dict[str, fmt.ZipEntry], extra: list[fmt.ZipEntry] | None = None) -> None:
    """The clean xlsx re-zipped by hand, with some members replaced or added."""
    tmp = path.with_name(f".{path.name}.src")
    fmt.xlsx(tmp, [("申报表", summary(CLEAN))])
    entries = []
    with zipfile.ZipFile(tmp) as z:
        for info in z.infolist():
            if info.filename in replace:
                entries.append(replace[info.filename])
            else:
                entries.append(fmt.ZipEntry.deflated(info.filename, z.read(info)))
    tmp.unlink()
    entries.extend(extra or [])
    fmt.raw_zip(path, entries)


# --------------------------------------------------------------------------- bombs


_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + "]>"
)


@case_file("xml-bomb-sharedstrings.xlsx")
def _(d: Path) -> None:
    sst = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + _LAUGHS
        + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        "<si><t>&lol9;</t></si></sst>"
    )
    sheet = fmt.sheet_xml([]).replace("<sheetData>", '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    fmt.xlsx(d / "xml-bomb-sharedstrings.xlsx", [("申报表", sheet)], shared_strings=sst)


@case_file("xml-bomb-sheet.xlsx")
def _(d: Path) -> None:
    sheet = fmt.sheet_xml([["项目名称", "&lol9;"]], prolog=_LAUGHS).replace("&amp;lol9;", "&lol9;")
    fmt.xlsx(d / "xml-bomb-sheet.xlsx", [("申报表", sheet)])


@case_file("xml-bomb-utf16.xlsx")
def _(d: Path) -> None:
    """The same bomb, with the sheet part encoded as UTF-16 (a plain byte search would miss it)."""
    sheet = fmt.sheet_xml([["项目名称", "&lol9;"]], prolog=_LAUGHS).replace("&amp;lol9;", "&lol9;")
    sheet = sheet.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    fmt.xlsx(d / "xml-bomb-utf16.xlsx", [("申报表", b"\xff\xfe" + sheet.encode("utf-16-le"))])


@case_file("xml-bomb.ods")
def _(d: Path) -> None:
    p = d / "xml-bomb.ods"
    fmt.ods(p, [("申报表", [["项目名称", "x"]])])
    with zipfile.ZipFile(p) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["content.xml"] = parts["content.xml"].replace(b"?>", b"?>" + _LAUGHS.encode(), 1).replace(
        b"<text:p>x</text:p>", b"<text:p>&lol9;</text:p>"
    )
    with zipfile.ZipFile(p, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data, compress_type=zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)


def _zeros_deflate(size: int) -> tuple[bytes, int]:
    """Raw deflate of *size* zero bytes, built from one repeated block: (data, crc)."""
    chunk = 1 << 20
    assert size % chunk == 0
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(b"\0" * chunk) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(b"\0" * chunk) + c.flush(zlib.Z_FULL_FLUSH)
    body = [block] + [again] * (size // chunk - 1)
    tail = c.flush()
    crc = 0
    zero = b"\0" * chunk
    for _ in range(size // chunk):
        crc = zlib.crc32(zero, crc)
    return b"".join(body) + tail, crc


@case_file("zip-bomb.xlsx")
def _(d: Path) -> None:
    """Honest headers: one 1 GB part of zeros in a ~1 MB file. Refused from the sizes alone."""
    size = 1 << 30
    data, crc = _zeros_deflate(size)
    bomb = fmt.ZipEntry("xl/media/image1.png", data, method=8, size=size, crc=crc)
    _package(d / "zip-bomb.xlsx", {}, extra=[bomb])


@case_file("zip-bomb-lying.xlsx")
def _(d: Path) -> None:
    """The sheet's header says 1 KB; its data inflates to 64 MB (with cells far away at the end)."""
    size = 64 << 20
    data, _ = _zeros_deflate(size)
    # the CRC and size of the first KB only: a reader that trusts the header
    # would stop there, one that does not sees the rest
    bomb = fmt.ZipEntry("xl/worksheets/sheet1.xml", data, method=8, size=1024, crc=zlib.crc32(b"\0" * 1024))
    _package(d / "zip-bomb-lying.xlsx", {"xl/worksheets/sheet1.xml": bomb})


@case_file("zip-many-parts.xlsx")
def _(d: Path) -> None:
    extra = [fmt.ZipEntry(f"xl/media/p{i}.bin", b"", method=0) for i in range(10_001)]
    _package(d / "zip-many-parts.xlsx", {}, extra=extra)


@case_file("sparse-bomb.xlsx")
def _(d: Path) -> None:
    """Two values, A1 and XFD1048576: calamine would allocate 17 billion cells and abort."""
    sheet = fmt.sheet_xml([["项目名称", "甲"]]).replace(
        "</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    )
    fmt.xlsx(d / "sparse-bomb.xlsx", [("申报表", sheet)])


@case_file("sparse-bomb-no-refs.xlsx")
def _(d: Path) -> None:
    """Cells without r= attributes: positions come from counting, 20,000 per row."""
    cells = "<c><v>1</v></c>" * 20_000
    sheet = fmt.sheet_xml([]).replace("<sheetData>", f"<sheetData><row>{cells}</row>")
    fmt.xlsx(d / "sparse-bomb-no-refs.xlsx", [("申报表", sheet)])


@case_file("repeat-bomb.ods")
def _(d: Path) -> None:
    """One row repeated 100,000 times holding a cell repeated 1,000 times: 10⁸ cells from 1 KB."""
    fmt.ods(
        d / "repeat-bomb.ods",
        [],
        raw_tables='<table:table table:name="申报表"><table:table-row table:number-rows-repeated="100000">'
        '<table:table-cell table:number-columns-repeated="1000" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row></table:table>",
    )


@case_file("wide-bomb.xlsb")
def _(d: Path) -> None:
    """An xlsb cell in column 4,000,000,000 (the record allows any 32-bit column)."""
    body = fmt._brt(0x0081) + fmt._brt(0x0094, struct.pack("<IIII", 0, 0, 0, 0)) + fmt._brt(0x0091)
    body += fmt._brt(0x0000, struct.pack("<IIHHBI", 0, 0, 300, 0, 0, 0))
    body += fmt._brt(0x0005, struct.pack("<II", 0, 0) + struct.pack("<d", 1.0))
    body += fmt._brt(0x0005, struct.pack("<II", 4_000_000_000, 0) + struct.pack("<d", 1.0))
    body += fmt._brt(0x0092) + fmt._brt(0x0082)
    fmt.xlsb(d / "wide-bomb.xlsb", [("申报表", body)])


@case_file("dims-bomb.xls")
def _(d: Path) -> None:
    """An .xls whose DIMENSIONS record claims 4 billion rows (calamine reserves memory from it)."""
    stream = bytearray(fmt.xls_stream([("申报表", [["项目名称", "甲"]])]))
    dims = struct.pack("<HH", 0x0200, 14)
    i = bytes(stream).index(dims)
    stream[i + 4 : i + 18] = struct.pack("<IIHHH", 0, 0xFFFFFFF0, 0, 0xFF, 0)
    fmt.cfb(d / "dims-bomb.xls", {"Workbook": bytes(stream)})


@case_file("rows-1e6.xlsx")
def _(d: Path) -> None:
    """10⁶ rows: the form on top, then a million numbered rows (sheet XML written directly)."""
    p = d / "rows-1e6.xlsx"
    head = fmt.sheet_xml(summary(CLEAN)).split("</sheetData>")[0]
    start = len(summary(CLEAN)) + 1
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        tmp = d / ".rows-src.xlsx"
        fmt.xlsx(tmp, [("申报表", "")])
        with zipfile.ZipFile(tmp) as src:
            for info in src.infolist():
                if info.filename != "xl/worksheets/sheet1.xml":
                    z.writestr(info.filename, src.read(info))
        tmp.unlink()
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(head.encode())
            block = []
            for r in range(start, start + 1_000_000):
                block.append(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>')
                if len(block) == 20_000:
                    fh.write("".join(block).encode())
                    block = []
            fh.write("".join(block).encode())
            fh.write(b"</sheetData></worksheet>")


@case_file("rows-1e6.tsv")
def _(d: Path) -> None:
    (d / "rows-1e6.tsv").write_bytes(form_tsv(summary(CLEAN)).encode() + b"1\n" * 1_000_000)


@case_file("long-cell.xlsx")
def _(d: Path) -> None:
    """A 40,000-character cell, past Excel's own 32,767."""
    fmt.xlsx(d / "long-cell.xlsx", [("申报表", summary(form(goal="很长的目标" * 8000)))])


@case_file("zero-sheets.xlsx")
def _(d: Path) -> None:
    fmt.xlsx(d / "zero-sheets.xlsx", [])


@case_file("only-hidden.xlsx")
def _(d: Path) -> None:
    fmt.xlsx(
        d / "only-hidden.xlsx",
        [("申报表", summary(CLEAN)), ("说明", [["x"]])],
        states={"申报表": "hidden", "说明": "veryHidden"},
    )


@case_file("only-hidden.xls")
def _(d: Path) -> None:
    fmt.xls(d / "only-hidden.xls", [("申报表", summary(CLEAN))], states={"申报表": 1})


# --------------------------------------------------------------------------- compound files


@case_file("password.xls")
def _(d: Path) -> None:
    fmt.xls(d / "password.xls", [("申报表", summary(CLEAN))], filepass=True)


@case_file("encrypted-synthetic.xlsx")
def _(d: Path) -> None:
    """The shape Excel gives a password-protected xlsx: a CFB with EncryptionInfo + EncryptedPackage."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<encryption xmlns=\"http://schemas.microsoft.com/office/2006/encryption\"/>"
    fmt.cfb(d / "encrypted-synthetic.xlsx", {"EncryptionInfo": info, "EncryptedPackage": b"\0" * 5000})


@case_file("encrypted.xlsx")
def _(d: Path) -> None:
    """A real password-protected xlsx (msoffcrypto-tool, agile encryption, password 123)."""
    try:
        import msoffcrypto.format.ooxml as ooxml
    except ImportError:  # pragma: no cover - msoffcrypto comes with oletools (test extra)
        BUILDERS["encrypted-synthetic.xlsx"](d)
        (d / "encrypted-synthetic.xlsx").rename(d / "encrypted.xlsx")
        return
    plain = io.BytesIO(_clean_xlsx_bytes(d))
    out = io.BytesIO()
    ooxml.OOXMLFile(plain).encrypt("123", out)
    (d / "encrypted.xlsx").write_bytes(out.getvalue())


@case_file("encrypted.ods")
def _(d: Path) -> None:
    p = d / "encrypted.ods"
    fmt.ods(p, [("申报表", [["x"]])])
    with zipfile.ZipFile(p) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["META-INF/manifest.xml"] = parts["META-INF/manifest.xml"].replace(
        b'manifest:media-type="text/xml"/>',
        b'manifest:media-type="text/xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K" '
        b'manifest:checksum="x"/></manifest:file-entry>',
    )
    with zipfile.ZipFile(p, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


@case_file("word.doc.xls")
def _(d: Path) -> None:
    fmt.cfb(d / "word.doc.xls", {"WordDocument": b"\xec\xa5" + b"\0" * 5000, "1Table": b"\0" * 600})


@case_file("cfb-fat-loop.xls")
def _(d: Path) -> None:
    """A compound file whose directory chain loops back on itself (calamine would read forever)."""
    p = d / "cfb-fat-loop.xls"
    fmt.xls(p, [("申报表", summary(CLEAN))])
    data = bytearray(p.read_bytes())
    n_fat, dir_start = struct.unpack_from("<II", data, 0x2C)
    fat_sec = struct.unpack_from("<I", data, 0x4C)[0]
    fat_off = 512 + fat_sec * 512
    struct.pack_into("<I", data, fat_off + 4 * dir_start, dir_start)  # dir sector → itself
    p.write_bytes(bytes(data))


@case_file("cfb-bad-header.xls")
def _(d: Path) -> None:
    """A compound file whose header claims 4 billion FAT sectors."""
    p = d / "cfb-bad-header.xls"
    fmt.xls(p, [("申报表", summary(CLEAN))])
    data = bytearray(p.read_bytes())
    struct.pack_into("<I", data, 0x2C, 0xFFFFFFF0)
    p.write_bytes(bytes(data))


@case_file("cfb-truncated.xls")
def _(d: Path) -> None:
    p = d / "cfb-truncated.xls"
    fmt.xls(p, [("申报表", summary(CLEAN))])
    data = p.read_bytes()
    p.write_bytes(data[:700])


@case_file("biff-sheet-offset.xls")
def _(d: Path) -> None:
    """A BOUNDSHEET8 record pointing past the end of the Workbook stream."""
    stream = bytearray(fmt.xls_stream([("申报表", summary(CLEAN))]))
    i = bytes(stream).index(struct.pack("<H", 0x0085))
    struct.pack_into("<I", stream, i + 4, 0x7FFFFFF0)
    fmt.cfb(d / "biff-sheet-offset.xls", {"Workbook": bytes(stream)})


@case_file("biff-formula-cut.xls")
def _(d: Path) -> None:
    """A FORMULA record whose token count (cce) runs past the record (python-calamine panics on it)."""
    rows = [list(r) for r in CLEAN_ROWS]
    rows[1][4] = fmt.BiffFormula(fmt.PTG_ERR_NA, "#VALUE!")  # what LibreOffice writes for a typed =12.00(场)
    stream = bytearray(fmt.xls_stream([("申报表", summary(form(rows=rows)))]))
    i = bytes(stream).index(struct.pack("<H", 2) + fmt.PTG_ERR_NA)  # cce, then the tokens
    struct.pack_into("<H", stream, i, 500)
    fmt.cfb(d / "biff-formula-cut.xls", {"Workbook": bytes(stream)})


def orphan_workbook(path: Path, name: bytes = "Workbook".encode("utf-16-le"), *, reachable: bool = False) -> Path:
    """A compound file with two Workbook streams: directory entry 1, named *name* (which calamine
    decodes to "Workbook"), holds a forged DIMENSIONS record; entry 2 holds the clean form. Unless
    *reachable*, the directory tree skips entry 1: olefile never sees it, but calamine takes the
    first entry of that name in the directory, reachable or not."""
    clean = fmt.xls_stream([("申报表", summary(CLEAN))])
    forged = bytearray(fmt.xls_stream([("申报表", [["项目名称", "甲"]])]))
    i = bytes(forged).index(struct.pack("<HH", 0x0200, 14))
    forged[i + 4 : i + 18] = struct.pack("<IIHHH", 0, 0xFFFFFFF0, 0, 0xFF, 0)
    fmt.cfb(path, {"Workbook": bytes(forged), "Workbooz": clean})
    data = bytearray(path.read_bytes())
    directory = 512 + 512 * struct.unpack_from("<I", data, 0x30)[0]
    if not reachable:
        struct.pack_into("<I", data, directory + 0x4C, 2)  # the root's child: entry 2, not 1
    data[directory + 256 : directory + 256 + 16] = "Workbook".encode("utf-16-le")
    data[directory + 128 : directory + 128 + 64] = name.ljust(64, b"\0")
    path.write_bytes(bytes(data))
    return path


@case_file("orphan-workbook.xls")
def _(d: Path) -> None:
    """A forged Workbook stream the directory tree does not reach (calamine reads it all the same)."""
    orphan_workbook(d / "orphan-workbook.xls")


_FAR = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'


def moved_sheet(path: Path, member: str, target: str, office: str = "xl/workbook.xml") -> Path:
    """An xlsx whose one sheet (a value in XFD1048576) is the zip member *member*, named by the
    relationship target *target*; *office*: the workbook part _rels/.rels names (its folder gets
    a copy of the workbook and its relationships; xl/ keeps the original as a decoy)."""
    src = fmt.xlsx(path.with_suffix(".src"), [("申报表", fmt.sheet_xml([["项目名称", "甲"]]).replace("</sheetData>", _FAR))])
    base = office.rsplit("/", 1)[0] + "/"
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == "_rels/.rels":
                data = data.replace(b"xl/workbook.xml", office.encode())
            if info.filename == "xl/worksheets/sheet1.xml":
                out.writestr(member, data)
                continue
            if info.filename == "xl/_rels/workbook.xml.rels":
                moved = data.replace(b"worksheets/sheet1.xml", target.encode())
                if base == "xl/":
                    data = moved
                else:
                    out.writestr(f"{base}_rels/workbook.xml.rels", moved)
            if info.filename == "xl/workbook.xml" and base != "xl/":
                out.writestr(f"{base}workbook.xml", data)
            out.writestr(info.filename, data)
    return path


def xlsb_sheet_part(path: Path, member: str, lead: bytes = b"") -> Path:
    """An xlsb whose sheet part (cells in columns 1 and 4,000,000,001) is *member*, starting with *lead*."""
    import struct
    body = lead + fmt._brt(0x0081) + fmt._brt(0x0091) + fmt._brt(0x0000, struct.pack("<IIHHBI", 0, 0, 300, 0, 0, 0))
    for col in (0, 4_000_000_000):
        body += fmt._brt(0x0005, struct.pack("<II", col, 0) + struct.pack("<d", 1.0))
    body += fmt._brt(0x0092) + fmt._brt(0x0082)
    src = fmt.xlsb(path.with_suffix(".src"), [("申报表", body)])
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info).replace(b"worksheets/sheet1.bin", member.removeprefix("xl/").encode())
            out.writestr(member if info.filename == "xl/worksheets/sheet1.bin" else info.filename, data)
    return path


def ods_beside_xlsx(path: Path) -> Path:
    """A package holding a clean xlsx workbook and an ods content.xml whose row repeats 100,000 ×
    1,000 cells: calamine reads it as the extension says (.ods: content.xml)."""
    xlsx, ods = path.with_suffix(".x.src"), path.with_suffix(".o.src")
    fmt.xlsx(xlsx, [("申报表", summary(CLEAN))])
    fmt.ods(ods, [], raw_tables='<table:table table:name="申报表"><table:table-row table:number-rows-repeated="100000">'
            '<table:table-cell table:number-columns-repeated="1000" office:value-type="string"><text:p>x</text:p>'
            "</table:table-cell></table:table-row></table:table>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for src in (ods, xlsx):
            with zipfile.ZipFile(src) as z:
                for name in z.namelist():
                    out.writestr(name, z.read(name))
            src.unlink()
    return path


@case_file("ods-beside-xlsx.ods")
def _(d: Path) -> None:
    ods_beside_xlsx(d / "ods-beside-xlsx.ods")


@case_file("sheet-part-elsewhere.xlsx")
def _(d: Path) -> None:
    """The sheet (A1 and XFD1048576) in a member named through "..", no .xml suffix (calamine reads it)."""
    moved_sheet(d / "sheet-part-elsewhere.xlsx", "xl/worksheets/../worksheets/s1", "worksheets/../worksheets/s1")


@case_file("sheet-record-first.xlsb")
def _(d: Path) -> None:
    """An xlsb sheet part whose first record is not BrtBeginSheet, with cells in columns 1 and 4,000,000,001."""
    xlsb_sheet_part(d / "sheet-record-first.xlsb", "xl/worksheets/sheet1.bin", lead=fmt._brt(0x0094, bytes(16)))


# --------------------------------------------------------------------------- forms with bad content


def _tsv_case(name: str, grid_factory: Callable[[], list[list[object]]]) -> None:
    @case_file(name)
    def _(d: Path) -> None:
        write_tsv(d / name, grid_factory())


_tsv_case("no-name.tsv", lambda: summary(form(name="")))
# issue 14 points 9-11: user text is never a formula or a web link; amounts exact or refused; text limits
_tsv_case("org-formula.tsv", lambda: [['=HYPERLINK("http://example.com/x","点击领奖")2024年度项目绩效目标汇总表'], [], *form(), []])
_tsv_case("http:source.tsv", lambda: summary(form(rows=with_row(1, ["", "产出指标", "数量指标", "培训场次", "=abc(个)"]))))
_tsv_case("amount-17-digits.tsv", lambda: summary(form(annual="123456789012345.67", fiscal="123456789012345.67")))
_tsv_case("amount-27-digits.tsv", lambda: summary(form(annual="123456789012345678901234567.00",
                                                        fiscal="123456789012345678901234567.00")))
_tsv_case("value-superscript.tsv", lambda: summary(form(rows=with_row(1, ["", "产出指标", "数量指标", "培训场次", "=10²(场)"]))))
_tsv_case("duplicate-name.tsv", lambda: summary(CLEAN, form()))
_tsv_case("name-44-chars.tsv", lambda: summary(form(name="上海市计划生育协会青春健康同伴教育与家庭发展能力建设及特殊家庭帮扶综合服务项目")))
_tsv_case("name-illegal-chars.tsv", lambda: summary(form(name="项目[2024]:培训*宣传?/评估\\总结")))
_tsv_case("funds-chinese.tsv", lambda: summary(form(annual="壹佰万", fiscal="壹佰万")))
_tsv_case("funds-bad-commas.tsv", lambda: summary(form(annual="1,000,00", fiscal="1,000,00")))
_tsv_case("funds-negative.tsv", lambda: summary(form(annual="-5", fiscal="-5")))
_tsv_case("date-month-13.tsv", lambda: summary(form(start="2024-13-01")))
_tsv_case("date-words.tsv", lambda: summary(form(end="明年")))
_tsv_case("value-operator-only.tsv", lambda: summary(form(rows=with_row(1, ["", "产出指标", "数量指标", "培训场次", "≥"]))))
_tsv_case("value-abc.tsv", lambda: summary(form(rows=with_row(1, ["", "产出指标", "数量指标", "培训场次", "=abc(个)"]))))
_tsv_case("value-double-percent.tsv", lambda: summary(form(rows=with_row(2, ["", "", "质量指标", "培训合格率", ">=90%%"]))))
_tsv_case(
    "value-40-digits.tsv",
    lambda: summary(form(rows=with_row(1, ["", "产出指标", "数量指标", "培训场次", "≥" + "9" * 40 + "(个)"]))),
)
_tsv_case(  # 50,000 rows of one 三级指标: every rule stays linear in the rows (bench/bench_bad_inputs.py)
    "level3-repeated-50000.tsv",
    lambda: summary(form(rows=CLEAN_ROWS + [["", "", "", "培训场次", "=12.00(场)"]] * 50_000)),
)
_tsv_case("level3-5000-chars.tsv", lambda: summary(form(rows=with_row(1, ["", "产出指标", "数量指标", "培训" * 2500, "=12.00(场)"]))))
_tsv_case(
    "formula-injection.tsv",
    lambda: summary(
        form(
            name="=HYPERLINK(\"http://evil.example\",\"点击\")",
            goal="+1+2 开展培训",
            rows=[
                ["绩效指标", "成本指标", "经济成本指标", "-2+3 成本控制", "≤100000.00(元)"],
                ["", "产出指标", "数量指标", "@SUM(A1:A2) 场次", "=12.00(场)"],
                ["", "", "质量指标", "=1+1", "≥90.00(%)"],
                ["", "效益指标", "社会效益指标", "=cmd|' /C calc'!A0", "≥80.00(%)"],
                ["", "满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90.00(%)"],
            ],
        )
    ),
)
_tsv_case(
    "number-like-names.tsv",
    lambda: summary(
        form(name="7.11世界人口日主题宣传活动"),
        form(name="0012"),
        form(name="1e5"),
        form(name="2024-05-29"),
    ),
)


@case_file("number-like-names.xlsx")
def _(d: Path) -> None:
    fmt.xlsx(
        d / "number-like-names.xlsx",
        [("申报表", summary(form(name="7.11世界人口日主题宣传活动"), form(name="0012"), form(name="1e5")))],
    )


@case_file("cell-types.xlsx")
def _(d: Path) -> None:
    """Formulas (cached values), an error cell, booleans and a formula without a cached value."""
    rows = with_row(1, ["", "产出指标", "数量指标", "培训场次", fmt.Formula('"="&"12.00(场)"', "=12.00(场)")])
    rows[2] = ["", "", "质量指标", True, "≥90.00(%)"]
    rows[3] = ["", "", "时效指标", "按期完成率", fmt.Error("#N/A")]
    grid = form(
        annual=fmt.Formula("SUM(E8:E10)", 120000),
        fiscal=fmt.Formula("120000"),  # no cached value: reads as blank
        carry=fmt.Error("#REF!"),
        rows=rows,
    )
    fmt.xlsx(d / "cell-types.xlsx", [("申报表", summary(grid))])


@case_file("errors-single-quoted.xlsx")
def _(d: Path) -> None:
    """An error cell written t='e' (XML's other quote): it was read as blank, so a #REF! amount passed check."""
    xml = fmt.sheet_xml(summary(form(carry=fmt.Error("#REF!")))).replace(' t="e"', " t='e'")
    fmt.xlsx(d / "errors-single-quoted.xlsx", [("申报表", xml)])


@case_file("errors-spaced.xlsx")
def _(d: Path) -> None:
    """An error cell written t = "e" (XML allows spaces around =): the byte test let its part go until session 8,
    so a #REF! amount was read as blank."""
    xml = fmt.sheet_xml(summary(form(carry=fmt.Error("#REF!")))).replace(' t="e"', ' t = "e"')
    assert ' t = "e"' in xml
    fmt.xlsx(d / "errors-spaced.xlsx", [("申报表", xml)])


@case_file("nan-amount.xlsx")
def _(d: Path) -> None:
    """A number no spreadsheet holds: <v>NaN</v> (calamine reads NaN) was read as a blank amount, silently."""
    xml = fmt.sheet_xml(summary(form(carry=12345.0))).replace("<v>12345.0</v>", "<v>NaN</v>")
    fmt.xlsx(d / "nan-amount.xlsx", [("申报表", xml)])


@case_file("infinite-amount.xls")
def _(d: Path) -> None:
    fmt.xls(d / "infinite-amount.xls", [("申报表", summary(form(carry=float("inf"))))])


@case_file("sum-with-cents.xlsx")
def _(d: Path) -> None:
    """年度资金申请总额 =SUM of amounts with cents, as Excel saves it: 540384.2000000001 (binary noise Excel does not show)."""
    grid = form(annual=fmt.Formula("SUM(E9:E11)", 495435.09 + 44949.11), fiscal=495435.09, carry=44949.11, other=0)
    fmt.xlsx(d / "sum-with-cents.xlsx", [("申报表", summary(grid))])


@case_file("errors.xls")
def _(d: Path) -> None:
    fmt.xls(d / "errors.xls", [("申报表", summary(form(carry=fmt.Error("#REF!"))))])


@case_file("errors.xlsb")
def _(d: Path) -> None:
    """Error cells of an xlsb on its second sheet (a sheet named through workbook.bin, not by its part)."""
    rows = with_row(3, ["", "", "时效指标", "按期完成率", fmt.Error("#N/A")])
    fmt.xlsb(d / "errors.xlsb", [("说明", [["填报说明"]]), ("申报表", summary(form(carry=fmt.Error("#REF!"), rows=rows)))])


@case_file("empty-folder")
def _(d: Path) -> None:
    (d / "empty-folder").mkdir()
    (d / "empty-folder" / "说明.docx").write_bytes(b"PK\x05\x06" + b"\0" * 18)


@case_file("mixed-folder")
def _(d: Path) -> None:
    """A department's folder: two good units' files and one damaged one."""
    folder = d / "mixed-folder"
    folder.mkdir()
    fmt.xlsx(folder / "单位甲.xlsx", [("申报表", summary(form(name="甲单位项目")))])
    write_tsv(folder / "单位乙.tsv", summary(form(name="乙单位项目")))
    (folder / "单位丙.xlsx").write_bytes(_clean_xlsx_bytes(d)[:900])


# --------------------------------------------------------------------------- PDFs (issue 16)


@case_file("clean.pdf")
def _(d: Path) -> None:
    """The clean form as a publisher prints it; its indicator table goes on over a second page."""
    (d / "clean.pdf").write_bytes(pdfmaker.form_pdf(summary(CLEAN), rows_per_page=14, repeat_header=True))


@case_file("pdf-truncated.pdf")
def _(d: Path) -> None:
    data = pdfmaker.form_pdf(summary(CLEAN))
    (d / "pdf-truncated.pdf").write_bytes(data[: len(data) // 2])


@case_file("pdf-garbage.pdf")
def _(d: Path) -> None:
    (d / "pdf-garbage.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)


@case_file("pdf-encrypted.pdf")
def _(d: Path) -> None:
    """The clean PDF with a password to open it (RC4, as older Acrobat writes)."""
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdfmaker.form_pdf(summary(CLEAN))))
    writer.encrypt("secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    (d / "pdf-encrypted.pdf").write_bytes(out.getvalue())


@case_file("pdf-scanned.pdf")
def _(d: Path) -> None:
    """Pages that are pictures only (a scan, no text layer)."""
    (d / "pdf-scanned.pdf").write_bytes(pdfmaker.pdf([[pdfmaker.Image(0, 0, 595, 842)]] * 3))


@case_file("pdf-no-form.pdf")
def _(d: Path) -> None:
    """A budget PDF's text page and table page, without any 绩效目标 table."""
    table = pdfmaker.Table(40, 60, [150, 100, 150, 100], [["收入", "预算数", "支出", "预算数"], ["财政拨款", "100.00", "一般公共服务", "100.00"]])
    (d / "pdf-no-form.pdf").write_bytes(pdfmaker.pdf([[pdfmaker.Text(60, 40, "一、部门基本情况")], [table]]))


@case_file("pdf-pages-2001.pdf")
def _(d: Path) -> None:
    """One page more than the page limit (each page a line of text)."""
    (d / "pdf-pages-2001.pdf").write_bytes(pdfmaker.pdf([[pdfmaker.Text(60, 40, "第页")]] * 2001))


@case_file("pdf-bomb.pdf")
def _(d: Path) -> None:
    """A 1 MB PDF whose page content inflates to 1.5 GB (past the memory limit of the PDF reader)."""
    (d / "pdf-bomb.pdf").write_bytes(pdfmaker.bomb(1536 << 20))


@case_file("pdf-owner-password.pdf")
def _(d: Path) -> None:
    """The clean PDF encrypted with an owner password only (no password to open: copying and printing
    restricted), as many published budgets are: read like any PDF (session 7's attack pass)."""
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdfmaker.form_pdf(summary(CLEAN))))
    writer.encrypt("", owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    (d / "pdf-owner-password.pdf").write_bytes(out.getvalue())


def _rotated_pdf(rotate: int, *, upright: bool) -> bytes:
    """The clean PDF with /Rotate *rotate* on its page: shown sideways, or (*upright*) with its content drawn
    turned the other way, so that it shows upright (a landscape page as printers and scanners write it)."""
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdfmaker.form_pdf(summary(CLEAN))))
    for page in writer.pages:
        if upright:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            page.add_transformation(pypdf.Transformation((0, 1, -1, 0, height, 0)))
            page.mediabox = pypdf.generic.RectangleObject([0, 0, height, width])
        page.rotate(rotate)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@case_file("pdf-sideways.pdf")
def _(d: Path) -> None:
    """A form page shown sideways (/Rotate 90 on an upright drawing): its columns came out as rows, and
    check found «1 个项目、1 条绩效指标» and ten errors (session 7's attack pass)."""
    (d / "pdf-sideways.pdf").write_bytes(_rotated_pdf(90, upright=False))


@case_file("pdf-landscape-rotated.pdf")
def _(d: Path) -> None:
    """A form page drawn turned and shown upright by /Rotate 90: read like the clean PDF."""
    (d / "pdf-landscape-rotated.pdf").write_bytes(_rotated_pdf(90, upright=True))


@case_file("pdf-no-tounicode.pdf")
def _(d: Path) -> None:
    """The clean PDF whose font has no ToUnicode map: pdfminer reads glyph ids, ``(cid:39033)``, not text."""
    (d / "pdf-no-tounicode.pdf").write_bytes(re.sub(rb"/ToUnicode \d+ 0 R", b"", pdfmaker.form_pdf(summary(CLEAN))))


@case_file("pdf-digits-unmapped.pdf")
def _(d: Path) -> None:
    """The clean PDF whose ToUnicode map covers the Chinese characters only (as when digits come from a second
    font without one): the form is found, but its amounts and values read as ``(cid:49)(cid:50)…``."""
    to_unicode = pdfmaker._to_unicode
    pdfmaker._to_unicode = lambda chars: to_unicode([c for c in chars if ord(c) > 0x7F])
    try:
        (d / "pdf-digits-unmapped.pdf").write_bytes(pdfmaker.form_pdf(summary(CLEAN)))
    finally:
        pdfmaker._to_unicode = to_unicode


# --------------------------------------------------------------------------- issue 14: attacks the corpus missed

_FAR_CELL = '<row r="1048576"><c r="XFD1048576"{attrs}><v>1</v></c></row>'


def _far_sheet(cell: str, root_attrs: str = "") -> str:
    """The clean form's sheet with one more cell in XFD1048576 written as *cell*."""
    sheet = fmt.sheet_xml(summary(CLEAN)).replace("</sheetData>", cell + "</sheetData>")
    return sheet.replace("<worksheet ", f"<worksheet {root_attrs} ", 1) if root_attrs else sheet


@case_file("dtd-after-comment.xlsx")
def _(d: Path) -> None:
    """The XML bomb behind a 600 KB comment: a scanner that reads only a part's head misses it."""
    sheet = fmt.sheet_xml([["项目名称", "&lol9;"]], prolog="<!--" + "x" * 600_000 + "-->" + _LAUGHS)
    fmt.xlsx(d / "dtd-after-comment.xlsx", [("申报表", sheet.replace("&amp;lol9;", "&lol9;"))])


@case_file("gt-in-attribute.xlsx")
def _(d: Path) -> None:
    """A far cell whose attribute value holds "/>": it must not pass for an empty, self-closed cell."""
    fmt.xlsx(d / "gt-in-attribute.xlsx", [("申报表", _far_sheet(_FAR_CELL.format(attrs=' x="/>"')))])


@case_file("prefixed-cells.xlsx")
def _(d: Path) -> None:
    """The far cell written with a namespace prefix (<x:c>), which calamine reads as any cell."""
    ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    cell = '<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>'
    fmt.xlsx(d / "prefixed-cells.xlsx", [("申报表", _far_sheet(cell, ns))])


@case_file("sparse-bomb-utf16.xlsx")
def _(d: Path) -> None:
    """The sparse bomb in a UTF-16 sheet part: no ASCII tag to find."""
    sheet = _far_sheet(_FAR_CELL.format(attrs="")).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    fmt.xlsx(d / "sparse-bomb-utf16.xlsx", [("申报表", b"\xff\xfe" + sheet.encode("utf-16-le"))])


@case_file("cr-rows.tsv")
def _(d: Path) -> None:
    """10⁶ rows ended by a bare \\r (old Mac line ends): counted like \\n, before any row is made."""
    (d / "cr-rows.tsv").write_bytes(form_tsv(summary(CLEAN)).encode().replace(b"\n", b"\r") + b"1\r" * 1_000_000)


@case_file("fifo.xlsx")
def _(d: Path) -> None:
    """A named pipe: reading it would wait for a writer for ever."""
    os.mkfifo(d / "fifo.xlsx")


@case_file("zero-link.xlsx")
def _(d: Path) -> None:
    """A link to /dev/zero: reading it never ends."""
    os.symlink("/dev/zero", d / "zero-link.xlsx")


@case_file("pdf-zero")
def _(d: Path) -> None:
    """A folder whose 汇总表.pdf (the PDF beside an output 汇总表.xlsx) is a link to /dev/zero."""
    (d / "pdf-zero").mkdir()
    os.symlink("/dev/zero", d / "pdf-zero" / "汇总表.pdf")


@case_file("user-pdf")
def _(d: Path) -> None:
    """A user's own PDF that merely mentions xltargets-consolidate: it is not ours to overwrite."""
    (d / "user-pdf").mkdir()
    pdf = fmt.pdf_bytes(b"made with xltargets-consolidate", b"<< /Keywords (xltargets-consolidate draft) >>")
    (d / "user-pdf" / "汇总表.pdf").write_bytes(pdf)


def _marker_bomb(path: Path) -> None:
    """A workbook whose docProps/custom.xml (where our mark lives) unpacks to 1 GB from 1 MB."""
    data, crc = _zeros_deflate(1 << 30)
    _package(path, {}, extra=[fmt.ZipEntry("docProps/custom.xml", data, method=8, size=1 << 30, crc=crc)])


@case_file("marker-bomb.xlsx")
def _(d: Path) -> None:
    _marker_bomb(d / "marker-bomb.xlsx")


@case_file("marker-bomb-folder")
def _(d: Path) -> None:
    """A unit's folder with a 汇总表.xlsx bomb: telling whether it is ours must not unpack it."""
    (d / "marker-bomb-folder").mkdir()
    write_tsv(d / "marker-bomb-folder" / "单位甲.tsv", summary(form(name="甲单位项目")))
    _marker_bomb(d / "marker-bomb-folder" / "汇总表.xlsx")


@case_file("own-summary-folder")
def _(d: Path) -> None:
    """A unit's folder holding the 汇总表 consolidate wrote: check and consolidate both skip it, and say so."""
    folder = d / "own-summary-folder"
    folder.mkdir()
    write_tsv(folder / "单位甲.tsv", summary(form(name="甲单位项目")))
    custom = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="xltargets-output">'
        "<vt:lpwstr>consolidate</vt:lpwstr></property></Properties>"
    )
    _package(folder / "汇总表.xlsx", {}, extra=[fmt.ZipEntry.deflated("docProps/custom.xml", custom.encode())])


def _formatted_form(value: float, code: str, shown: str) -> list[list[object]]:
    """The clean form with its 培训场次 指标值 a number in a number format."""
    rows = [list(r) for r in CLEAN_ROWS]
    rows[1][4] = fmt.Formatted(value, code, shown)
    return summary(form(rows=rows))


@case_file("format-30-decimals.xlsx")
def _(d: Path) -> None:
    """0.95 in the format 0.000… with 30 decimals (Excel's most): 31 digits shown, past Decimal's 28."""
    code = "0." + "0" * 30
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{code}"/></numFmts>'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>'
    )
    rows = [list(r) for r in CLEAN_ROWS]
    rows[1][4] = "@@E@@"
    xml = fmt.sheet_xml(summary(form(rows=rows)))
    xml = re.sub(r'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>@@E@@</t></is></c>', r'<c r="\1" s="1"><v>0.95</v></c>', xml)
    fmt.xlsx(d / "format-30-decimals.xlsx", [("申报表", xml)], styles=styles)


@case_file("format-30-decimals.xls")
def _(d: Path) -> None:
    fmt.xls(d / "format-30-decimals.xls", [("申报表", _formatted_form(0.95, "0." + "0" * 30, ""))])


@case_file("format-long-shown.ods")
def _(d: Path) -> None:
    """An ods whose stored display text of 0.95 has 200 decimals."""
    fmt.ods(d / "format-long-shown.ods", [("申报表", _formatted_form(0.95, "", "0.95" + "0" * 198))])


@case_file("utf32.tsv")
def _(d: Path) -> None:
    """UTF-32 with its BOM (FF FE 00 00 starts like UTF-16's FF FE): read as UTF-32, not as UTF-16 with NULs."""
    write_tsv(d / "utf32.tsv", summary(CLEAN), encoding="utf-32")


def _long_quoted_cell(delimiter: str) -> bytes:
    """The clean form with its 培训场次 三级指标 a quoted field of 200,000 characters."""
    rows = [list(r) for r in CLEAN_ROWS]
    rows[1][3] = "@@LONG@@"
    text = "\n".join(delimiter.join(_text(v) for v in row) for row in summary(form(rows=rows))) + "\n"
    return text.replace("@@LONG@@", '"' + "培训" * 100_000 + '"').encode("utf-8")


@case_file("quoted-200k.csv")
def _(d: Path) -> None:
    """A quoted CSV field of 200,000 characters: past the csv module's own limit of 131,072."""
    (d / "quoted-200k.csv").write_bytes(_long_quoted_cell(","))


@case_file("quoted-200k.tsv")
def _(d: Path) -> None:
    (d / "quoted-200k.tsv").write_bytes(_long_quoted_cell("\t"))


@case_file("read-only.xlsx")
def _(d: Path) -> None:
    """A workbook its owner made read-only (chmod 444; Windows' read-only attribute): a rename replaces it
    on Linux and macOS all the same, so in-place edits and --force must refuse it."""
    fmt.xlsx(d / "read-only.xlsx", [("申报表", summary(CLEAN))])
    os.chmod(d / "read-only.xlsx", 0o444)


@case_file("hidden-errors.xlsx")
def _(d: Path) -> None:
    """A hidden sheet of 1,000,010 #N/A cells (36 MB of XML, 2.5 MB zipped): the reader process never reads a
    hidden sheet, but the error cells are read in this process (3 million took 900 MB and 17 s)."""
    row = "".join(f'<c r="{fmt.col_name(c)}{{r}}" t="e"><v>#N/A</v></c>' for c in range(1000))
    body = "".join(f'<row r="{r}">' + row.replace("{r}", str(r)) + "</row>" for r in range(1, 1002))
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{fmt._NS}"><sheetData>{body}</sheetData></worksheet>'
    fmt.xlsx(d / "hidden-errors.xlsx", [("申报表", summary(CLEAN)), ("隐藏", sheet)], states={"隐藏": "hidden"})


@case_file("nul-byte.tsv")
def _(d: Path) -> None:
    """A UTF-8 TSV with one NUL byte in a cell: not text (NUL is no character a user types)."""
    (d / "nul-byte.tsv").write_bytes(form_tsv(summary(CLEAN)).replace("培训场次", "培训\x00场次").encode("utf-8"))


@case_file("rerun-folder")
def _(d: Path) -> None:
    """A unit's folder holding an earlier output (申报.xlsx): writing there again would read it as an input."""
    folder = d / "rerun-folder"
    folder.mkdir()
    write_tsv(folder / "单位甲.tsv", summary(form(name="甲单位项目")))
    fmt.xlsx(folder / "申报.xlsx", [("申报表", summary(form(name="乙单位项目")))])


@case_file("vba-bomb.xlsm")
def _(d: Path) -> None:
    """An .xlsm whose vbaProject.bin unpacks to 1 GB (for --vba-from)."""
    data, crc = _zeros_deflate(1 << 30)
    _package(d / "vba-bomb.xlsm", {}, extra=[fmt.ZipEntry("xl/vbaProject.bin", data, method=8, size=1 << 30, crc=crc)])


@case_file("projects-4100.tsv")
def _(d: Path) -> None:
    """4,100 forms: their workbook would have 4,102 sheets, more than check reads back."""
    write_tsv(d / "projects-4100.tsv", summary(*(form(name=f"项目{i:04d}") for i in range(4100))))


# --------------------------------------------------------------------------- driver


def build(folder: Path, names: list[str] | None = None) -> list[Path]:
    """Write the corpus (or the named files) into *folder*; return the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for name in names or list(BUILDERS):
        BUILDERS[name](folder)
        made.append(folder / name)
    return made


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    for p in build(Path(argv[0])):
        size = p.stat().st_size if p.is_file() else 0
        print(f"{size:>12,}  {p.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
