"""Numbers as displayed: a 指标值 stored as a number with a number format reads as the user sees it.

A cell holding 0.95 formatted ``0%`` shows ``95%``; 1 formatted ``0.00%`` shows ``100.00%``;
85 formatted ``0.00`` shows ``85.00``. The reader gives the stored number; for the cells the
forms reader asks about (a 指标值 that is a bare number) this module looks up the cell's number
format in the xlsx (styles.xml and the sheet part, read once per sheet, on the first question)
and gives the displayed text. Sheets whose 指标值 are text never cost anything.
Formats handled: percent (``0%``, ``0.0%`` …) and fixed decimals (``0.00``, ``#,##0.00``);
any other format gives the stored number back unchanged.

The same for an ods (:class:`OdsFormats`: the text LibreOffice stored with the cell, taken
where it is one of those displays of the stored value) and an .xls (:class:`BiffFormats`: the
XF and FORMAT records of the globals and the cell records of the sheet's substream).
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

from defusedxml import ElementTree as SafeET

__all__ = ["SheetFormats", "OdsFormats", "BiffFormats", "display"]

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: built-in number formats that change how a number shows (ECMA-376 18.8.30)
_BUILTIN = {1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%"}
_SIMPLE = re.compile(r"^(?P<int>#,##0|0)(?:\.(?P<dec>0+))?(?P<pct>%)?$")
#: a text an ods stored as shown: percent, grouped, fixed decimals
_SHOWN = re.compile(r"^-?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?(?P<pct>%)?$")


def display(number_text: str, code: str) -> str:
    """*number_text* (the stored number as text) shown with the number format *code*."""
    m = _SIMPLE.match(code.split(";")[0].strip())
    if m is None:
        return number_text
    try:
        value = Decimal(number_text)
    except InvalidOperation:
        return number_text
    decimals = len(m.group("dec") or "")
    if m.group("pct"):
        value *= 100
    q = Decimal(1).scaleb(-decimals)
    grouped = m.group("int") == "#,##0"
    text = f"{value.quantize(q):,f}" if grouped else f"{value.quantize(q):f}"
    return text + ("%" if m.group("pct") else "")


def _position(ref: str) -> tuple[int, int]:
    col, i = 0, 0
    while i < len(ref) and ref[i].isalpha():
        col = col * 26 + ord(ref[i].upper()) - 64
        i += 1
    return int(ref[i:]) - 1, col - 1


class SheetFormats:
    """The number formats of one worksheet part of an xlsx, loaded on the first :meth:`shown`."""

    def __init__(self, path: Path, part: str):
        self.path, self.part = Path(path), part
        self._codes: dict[tuple[int, int], str] | None = None

    def shown(self, r: int, c: int, number_text: str) -> str:
        """The text cell (r, c) shows for its stored number *number_text*."""
        if self._codes is None:
            self._codes = self._load()
        code = self._codes.get((r, c))
        return display(number_text, code) if code else number_text

    def _load(self) -> dict[tuple[int, int], str]:
        try:
            with zipfile.ZipFile(self.path) as zf:
                styles = _style_codes(zf)
                if not styles:
                    return {}
                out: dict[tuple[int, int], str] = {}
                with zf.open(self.part) as fh:
                    for _, elem in SafeET.iterparse(fh, events=("end",)):
                        if elem.tag == _NS + "c":
                            s = elem.get("s")
                            if s is not None and int(s) in styles and elem.get("t") in (None, "n"):
                                out[_position(elem.get("r"))] = styles[int(s)]
                        elif elem.tag == _NS + "row":
                            elem.clear()
                return out
        except Exception:  # noqa: BLE001 - a format that cannot be read: the stored number stays
            return {}


def _style_codes(zf: zipfile.ZipFile) -> dict[int, str]:
    """Cell style index → its number format code, for the styles whose format shows numbers differently."""
    try:
        data = zf.read("xl/styles.xml")
    except KeyError:
        return {}
    root = SafeET.fromstring(data)
    custom = {int(n.get("numFmtId")): n.get("formatCode", "") for n in root.iter(_NS + "numFmt")}
    xfs = root.find(_NS + "cellXfs")
    out: dict[int, str] = {}
    if xfs is None:
        return out
    for i, xf in enumerate(xfs.findall(_NS + "xf")):
        fid = int(xf.get("numFmtId", "0"))
        code = custom.get(fid) or _BUILTIN.get(fid)
        if code and _SIMPLE.match(code.split(";")[0].strip()):
            out[i] = code
    return out


def _as_shown(number_text: str, shown: str | None) -> str:
    """*shown* where it is *number_text* displayed as percent, grouped or fixed decimals; else *number_text*."""
    m = _SHOWN.match(shown or "")
    if m is None:
        return number_text
    code = ("#,##0" if "," in m.group("int") else "0") + ("." + "0" * len(m.group("dec")) if m.group("dec") else "")
    return shown if display(number_text, code + (m.group("pct") or "")) == shown else number_text


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT_P = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}p"
_NUMERIC = frozenset({"float", "percentage", "currency"})


class OdsFormats:
    """The displayed texts of the numeric cells of one table of an ods, read on the first :meth:`shown`."""

    def __init__(self, path: Path, table: str):
        self.path, self.table = Path(path), table
        self._rows: dict[int, dict[int, str]] | None = None

    def shown(self, r: int, c: int, number_text: str) -> str:
        """The text cell (r, c) shows for its stored number *number_text*."""
        if self._rows is None:
            self._rows = self._load()
        return _as_shown(number_text, self._rows.get(r, {}).get(c))

    def _load(self) -> dict[int, dict[int, str]]:
        from .limits import LIMITS

        out: dict[int, dict[int, str]] = {}
        inside, row, col, repeat, cells = False, -1, 0, 1, {}
        try:
            with zipfile.ZipFile(self.path) as zf, zf.open("content.xml") as fh:
                for event, elem in SafeET.iterparse(fh, events=("start", "end")):
                    tag = elem.tag
                    if tag == _TABLE + "table":
                        if event == "end" and inside:
                            break
                        inside = event == "start" and elem.get(_TABLE + "name") == self.table
                    elif not inside:
                        if event == "end" and tag == _TABLE + "table-row":
                            elem.clear()
                    elif event == "start":
                        if tag == _TABLE + "table-row":
                            row, col, cells = row + 1, 0, {}
                            repeat = int(elem.get(_TABLE + "number-rows-repeated", "1"))
                    elif tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
                        span = int(elem.get(_TABLE + "number-columns-repeated", "1"))
                        if elem.get(_OFFICE + "value-type") in _NUMERIC and (p := elem.find(_TEXT_P)) is not None:
                            text = "".join(p.itertext())
                            for k in range(col, min(col + span, LIMITS["cols"])):
                                cells[k] = text
                        col += span
                        elem.clear()
                    elif tag == _TABLE + "table-row":
                        if cells:  # a repeated row holds the same cells in each of its rows
                            for k in range(row, min(row + repeat, LIMITS["rows"])):
                                out[k] = cells
                        row += repeat - 1
                        elem.clear()
        except Exception:  # noqa: BLE001 - what was read so far stands; elsewhere the stored number
            return out
        return out


class BiffFormats:
    """The number formats of the number cells of one sheet of an .xls, read on the first :meth:`shown`.

    FORMAT (0x041E) and XF (0x00E0) records of the globals give each XF index its format code,
    BOUNDSHEET (0x0085) the sheet's substream; NUMBER, RK and MULRK give each cell's XF index.
    """

    def __init__(self, path: Path, sheet: str):
        self.path, self.sheet = Path(path), sheet
        self._codes: dict[tuple[int, int], str] | None = None

    def shown(self, r: int, c: int, number_text: str) -> str:
        """The text cell (r, c) shows for its stored number *number_text*."""
        if self._codes is None:
            self._codes = self._load()
        code = self._codes.get((r, c))
        return display(number_text, code) if code else number_text

    def _load(self) -> dict[tuple[int, int], str]:
        out: dict[tuple[int, int], str] = {}
        try:
            with open(self.path, "rb") as fh:
                stream = _workbook_stream(fh)
            _biff_codes(stream, self.sheet, out)
        except Exception:  # noqa: BLE001 - a format that cannot be read: the stored number stays
            return out
        return out


def _workbook_stream(fh) -> bytes:
    """The Workbook stream calamine reads, through the pre-scan's checked chains (:mod:`.compound`)."""
    from .compound import _BOOKS, _open, _read

    ole, entries = _open(fh)
    for book in _BOOKS:
        if found := next((e for e in entries if e[0] == book), None):
            return _read(ole, found[1], found[2], mini=found[2] < 4096)
    return b""


def _biff_codes(stream: bytes, sheet: str, out: dict[tuple[int, int], str]) -> None:
    """Into *out*: (row, col) → format code of the number cells of *sheet* whose format shows numbers differently."""
    import struct

    from .compound import _records, _sheet_name

    if not (stream[:2] == b"\x09\x08" and stream[4:6] == b"\x00\x06"):  # BIFF8 only
        return
    custom: dict[int, str] = {}
    xfs: list[int] = []
    start, n_sheets = None, 0
    for typ, data in _records(stream, 0):
        if typ == 0x041E and len(data) >= 5:  # FORMAT: ifmt, XLUnicodeString
            cch, wide = struct.unpack_from("<H", data, 2)[0], data[4] & 1
            custom[struct.unpack_from("<H", data)[0]] = data[5 : 5 + cch * (1 + wide)].decode("utf-16-le" if wide else "latin-1", "replace")
        elif typ == 0x00E0 and len(data) >= 4:  # XF: ifnt, ifmt
            xfs.append(struct.unpack_from("<H", data, 2)[0])
        elif typ == 0x0085 and len(data) >= 8:
            n_sheets += 1
            if start is None and _sheet_name(data, n_sheets) == sheet:
                start = struct.unpack_from("<I", data)[0]
        elif typ == 0x000A:
            break
    codes = {}
    for i, fid in enumerate(xfs):
        code = custom.get(fid) or _BUILTIN.get(fid)
        if code and _SIMPLE.match(code.split(";")[0].strip()):
            codes[i] = code
    if start is None or not codes:
        return
    depth = 0
    for typ, data in _records(stream, start):
        if typ in (0x0809, 0x000A):  # BOF / EOF: a chart substream may nest inside
            depth += 1 if typ == 0x0809 else -1
            if depth <= 0:
                break
        elif depth > 1 or len(data) < 6:
            continue
        elif typ in (0x0203, 0x027E):  # NUMBER, RK: row, col, ixfe
            row, col, xf = struct.unpack_from("<HHH", data)
            if xf in codes:
                out[(row, col)] = codes[xf]
        elif typ == 0x00BD:  # MULRK: row, first col, (ixfe, rk) …, last col
            row, col = struct.unpack_from("<HH", data)
            for k in range((len(data) - 6) // 6):
                xf = struct.unpack_from("<H", data, 4 + 6 * k)[0]
                if xf in codes:
                    out[(row, col + k)] = codes[xf]
