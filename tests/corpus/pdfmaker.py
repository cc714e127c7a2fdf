"""Small PDFs written by hand for the PDF importer's tests: ruled tables of CJK text.

No PDF library is needed: the text uses a CID font (Identity-H) with a
ToUnicode map, so pdfminer reads every character back; cell borders are
stroked rectangles, as LibreOffice and WPS draw them.

>>> data = pdf([[Text(50, 40, "标题"), Table(50, 60, [80, 120], [["项目名称", "甲"]])]])
>>> data[:5]
b'%PDF-'
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

__all__ = ["Text", "Table", "Image", "pdf", "A4"]

A4 = (595.0, 842.0)
SIZE = 9.0  # font size of every text
LINE = 12.0  # distance between the lines of a wrapped cell


@dataclass
class Text:
    """A line of text at (x, top) in points from the page's top-left corner."""

    x: float
    top: float
    text: str
    size: float = SIZE


@dataclass
class Table:
    """A ruled table at (x, top): column widths, and rows of cells.

    A cell is a text (``"\\n"`` starts a new line inside it) or ``(text, colspan)``;
    each row is as high as its tallest cell (*row_height* a line).
    """

    x: float
    top: float
    widths: list[float]
    rows: list[list[object]]
    row_height: float = 18.0


@dataclass
class Image:
    """A grey picture filling (x, top, width, height): a scanned page has only these."""

    x: float
    top: float
    width: float
    height: float


def _starts(cells) -> list[int]:
    out, col = [], 0
    for _, span in cells:
        out.append(col)
        col += span
    return out


def _wrap(text: str, width: float) -> str:
    """*text* broken into lines that fit *width* (every character is one em wide here)."""
    per_line = max(1, int((width - 4) // SIZE))
    lines = []
    for line in text.split("\n"):
        lines.extend([line[k : k + per_line] for k in range(0, len(line), per_line)] or [""])
    return "\n".join(lines)


def _hex(text: str) -> str:
    return "".join(f"{ord(ch):04X}" for ch in text)


@dataclass
class _Page:
    ops: list[str] = field(default_factory=list)
    images: int = 0


def _text_op(x: float, y: float, text: str, size: float) -> str:
    return f"BT /F1 {size:g} Tf {x:.2f} {y:.2f} Td <{_hex(text)}> Tj ET"


def _draw(items, height: float) -> _Page:
    page = _Page()
    for item in items:
        if isinstance(item, Text):
            page.ops.append(_text_op(item.x, height - item.top - item.size, item.text, item.size))
        elif isinstance(item, Image):
            page.ops.append(
                f"q {item.width:.2f} 0 0 {item.height:.2f} {item.x:.2f} {height - item.top - item.height:.2f} cm /Im1 Do Q"
            )
            page.images += 1
        elif isinstance(item, Table):
            top = item.top
            for row in item.rows:
                cells = [c if isinstance(c, tuple) else (c, 1) for c in row]
                cells, col = [(_wrap(str(t or ""), sum(item.widths[i : i + n])), n) for (t, n), i in
                              zip(cells, _starts(cells))], 0
                lines = max((t.count("\n") + 1 for t, _ in cells), default=1)
                h = max(item.row_height, lines * LINE + 6)
                x, col = item.x, 0
                for text, span in cells:
                    w = sum(item.widths[col : col + span])
                    y = height - top - h
                    page.ops.append(f"0.5 w {x:.2f} {y:.2f} {w:.2f} {h:.2f} re S")
                    for k, line in enumerate(str(text or "").split("\n")):
                        if line:
                            page.ops.append(_text_op(x + 2, height - top - 3 - SIZE - k * LINE, line, SIZE))
                    x += w
                    col += span
                top += h
    return page


def pdf(pages: list[list[object]], *, size: tuple[float, float] = A4) -> bytes:
    """A PDF of *pages*, each a list of :class:`Text`, :class:`Table` and :class:`Image`."""
    width, height = size
    drawn = [_draw(items, height) for items in pages]
    chars = sorted({ch for p in drawn for op in p.ops for ch in _decode_ops(op)})
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes, extra: str = "") -> bytes:
        packed = zlib.compress(data)
        return f"<< /Length {len(packed)} /Filter /FlateDecode {extra}>>\nstream\n".encode() + packed + b"\nendstream"

    cmap = _to_unicode(chars)
    to_unicode = add(stream(cmap.encode()))
    descriptor = add(
        b"<< /Type /FontDescriptor /FontName /SimSun /Flags 6 /FontBBox [0 -141 1000 859] /ItalicAngle 0 "
        b"/Ascent 859 /Descent -141 /CapHeight 859 /StemV 80 >>"
    )
    descendant = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) "
        + f"/Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /DW 1000 /CIDToGIDMap /Identity >>".encode()
    )
    font = add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [{descendant} 0 R] "
        f"/ToUnicode {to_unicode} 0 R >>".encode()
    )
    image = add(stream(bytes([200]) * 64, "/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 "))
    pages_id = len(objects) + 1 + 2 * len(drawn)  # after every page and its content
    kids = []
    for p in drawn:
        content = add(stream("\n".join(p.ops).encode()))
        kids.append(
            add(
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {width:g} {height:g}] /Contents {content} 0 R "
                f"/Resources << /Font << /F1 {font} 0 R >> /XObject << /Im1 {image} 0 R >> >> >>".encode()
            )
        )
    assert add(f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()) == pages_id
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode())
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _decode_ops(op: str) -> str:
    out = []
    start = op.find("<")
    while start != -1 and not op.startswith("<<", start):
        end = op.index(">", start)
        h = op[start + 1 : end]
        out.extend(chr(int(h[i : i + 4], 16)) for i in range(0, len(h), 4))
        start = op.find("<", end)
    return "".join(out)


def _to_unicode(chars: list[str]) -> str:
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    for i in range(0, len(chars), 100):
        chunk = chars[i : i + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines.extend(f"<{ord(c):04X}> <{ord(c):04X}>" for c in chunk)
        lines.append("endbfchar")
    lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    return "\n".join(lines)


#: column widths of a form drawn by :func:`form_pdf` (six columns, as the seed's layout)
FORM_WIDTHS = [62.0, 96.0, 80.0, 120.0, 110.0, 52.0]


def _is_title(row: list[object]) -> bool:
    texts = [str(v) for v in row if v not in (None, "")]
    return len(texts) == 1 and (row[0] not in (None, "")) and (
        "申报表" in texts[0] or "汇总表" in texts[0] or "年度" in texts[0]
    )


def form_pages(
    grid: list[list[object]], *, rows_per_page: int = 45, repeat_header: bool = False, widths: list[float] | None = None
) -> list[list[object]]:
    """Pages (lists of items) drawing a grid of stacked forms as a publisher prints them.

    Each form starts a page; its title lines are text above its table; a table
    longer than *rows_per_page* goes on over the next pages, with the indicator
    header row printed again on each when *repeat_header*. Blank rows end a table.
    """
    widths = list(widths or FORM_WIDTHS)
    ncols = len(widths)
    pages: list[list[object]] = []
    titles: list[object] = []
    rows: list[list[object]] = []
    header: list[object] | None = None

    def flush() -> None:
        nonlocal titles, rows
        if not rows and not titles:
            return
        top = 30.0
        items: list[object] = []
        for t in titles:
            items.append(Text(widths[0] + 40, top, str(t), 11))
            top += 18
        chunk, first = [], True
        for row in rows:
            chunk.append(row)
            if len(chunk) >= (rows_per_page if first else rows_per_page - 2):
                items.append(Table(40, top + 6, widths, chunk))
                pages.append(items)
                items, top, first = [], 30.0, False
                chunk = [list(header)] if repeat_header and header is not None else []
        if chunk and (not repeat_header or len(chunk) > 1 or first):
            items.append(Table(40, top + 6, widths, chunk))
        if items:
            pages.append(items)
        titles, rows = [], []

    for row in grid:
        cells = ["" if v is None else str(v) for v in row]
        if _is_title(row):
            if rows:
                flush()
            titles.append(cells[0])
        elif not any(cells):
            if rows:
                flush()
        else:
            cells = (cells + [""] * ncols)[:ncols]
            if "一级指标" in cells:
                header = cells
            rows.append(cells)
    flush()
    return pages


def form_pdf(grid: list[list[object]], **kw) -> bytes:
    """:func:`pdf` of :func:`form_pages`."""
    return pdf(form_pages(grid, **kw))


def bomb(size: int) -> bytes:
    """A one-page PDF whose content stream inflates to *size* bytes of spaces."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    comp = b"".join(packer.compress(chunk) for _ in range(size >> 20)) + packer.flush()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(comp) + comp + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
