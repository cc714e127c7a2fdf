"""Error cells: python-calamine reads a cell holding ``#REF!`` or ``#N/A`` as empty, so the importer
puts the code back (a funds cell holding ``#REF!`` is reported as such, not as blank).

The reading checks (:mod:`.guard`) inflate every part of a package, 1 MB at a
time (and read the Workbook stream of an .xls) anyway; an :class:`ErrorCells` is asked of each chunk
whether it wants the part (:meth:`ErrorCells.wants`) and is handed the ones it wants whole: the parts
that name the sheets, and the sheet parts that may hold an error cell (a byte test for ``t="e"``, so a
sheet without one costs nothing more; an xlsb's sheet parts; the Workbook stream). :meth:`ErrorCells.sheets` then gives a :class:`.limits.SheetScan` a sheet: its
part (xlsx, xlsb) and error cells by position, and for an .xls, ``typed``: what a user typed in a
FORMULA cell with an error (:func:`.formulas.biff_typed_text`).
"""

from __future__ import annotations

import io
import re
import struct
from functools import reduce
from pathlib import Path

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from .biff import biff8, sheet_records
from .formulas import biff_typed_text
from .limits import LIMITS, SheetScan, broken, refuse_sheet_size, refuse_total_cells
from .xlsbparts import xlsb_records, xlsb_sheet_parts

__all__ = ["ERRORS", "ErrorCells"]

#: error codes of BIFF8 cells (calamine reads such a cell as empty)
ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A"}
#: an xlsb's error codes (MS-XLSB 2.5.97.2 BErr): BIFF8's and #GETTING_DATA
XLSB_ERRORS = {**ERRORS, 0x2B: "#GETTING_DATA"}

#: a regex search, faster here than bytes.__contains__ (Excel, WPS, LibreOffice write t="e"; XML allows t='e' and
#: t = "e", UTF-8 or UTF-16): a character class repeated costs ~6 % more instructions than t="e" alone (a group
#: repeated, ``(?:\0?\s)*``, cost 2.6×: docs/reliability.md)
_IS_ERROR = re.compile(rb"""t[ \t\r\n\0]*=[ \t\r\n\0]*["']\0?e""")
#: t="e" spelt otherwise (the regular expression below would miss it), or after another space than " ": parsed as XML
_ODD_ERROR = re.compile(rb"""t(?:\s*=\s*'e'|\s+=\s*"e"|=\s+"e")""")
#: plainly referenced cell tags (what Excel, WPS, LibreOffice, openpyxl and XlsxWriter write)
_ERROR_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]* t="e"[^>]*(?<!/)>')
_ERROR_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>([^<]{1,16})<")
#: a cell tag that is not plainly referenced (searched, not counted: two findall lists of 3 million cells took 300 MB)
_UNPLAIN_CELL = re.compile(rb'<c(?! r="[A-Z]{1,3}[0-9]{1,7}")[\s>/]')
_PREFIXED = re.compile(rb":c[\s/>]")
_REF = re.compile(r"([A-Z]{1,3})?([0-9]{1,7})?")
_BOOL_ERR, _FORMULA = 0x0205, 0x0006


def _col(letters: bytes) -> int:
    return reduce(lambda n, ch: n * 26 + ch - 64, letters, 0)


def _key(name: str) -> str:
    """A part's name as calamine looks it up: any case, "\\" or "/"."""
    return name.replace("\\", "/").lower()


class ErrorCells:
    """Given each part as it is checked (``notes(name, data)``), the sheets' error cells."""

    def __init__(self) -> None:
        self.parts: dict[str, bytes] = {}
        self.names: dict[str, str] = {}  # key → the part's own name

    def wants(self, name: str, chunk: bytes) -> bool:
        """Whether the part *name* is kept, given one of its chunks (a part is checked in chunks): the parts
        that name the sheets, and the sheet parts that may hold an error cell (UTF-8 or UTF-16)."""
        key = _key(name)
        return (key.endswith((".rels", "workbook.xml", "workbook.bin")) or key == "workbook"
                or key.endswith(".bin") and b"\x91\x01" in chunk or _IS_ERROR.search(chunk) is not None)

    def __call__(self, name: str, data: bytes | None) -> None:
        key = _key(name)
        if data is not None:
            self.parts[key], self.names[key] = data, name
        elif key.endswith(".xml"):
            self.names[key] = name

    def sheets(self, path: Path, kind: str) -> list[SheetScan]:
        """A :class:`SheetScan` a sheet, named as calamine names it, with its part and error cells.

        Every sheet is scanned, hidden ones too, here in this process and before the reader process
        measures anything: a sheet's error cells are bounded by the cells a sheet may have, all of them by a file's."""
        if kind == "xls":
            return _biff_sheets(path, self.parts.get("workbook", b""))
        scans: list[SheetScan] = []
        done = 0
        if kind == "xlsb":
            for name, part in xlsb_sheet_parts(self.parts.get).items():
                scans.append(_xlsb_sheet(name, self.names.get(part, part), self.parts.get(part, b""), path, done))
                done += len(scans[-1].errors)
        elif kind == "xlsx":
            for part, name in _xlsx_names(path, self.parts.get).items():
                scans.append(_xlsx_sheet(path, name, self.names.get(part, part), self.parts.get(part), done))
                done += len(scans[-1].errors)
        return scans


def _cap(done: int) -> int:
    """How many error cells a sheet may hold, *done* being those of the file's sheets before it."""
    return min(LIMITS["cells"], LIMITS["total_cells"] - done)


def _refuse(path: Path, scan: SheetScan, done: int):
    """More error cells than a sheet (or, with the sheets before it, a file) may hold cells: a bomb
    (3 million #N/A in a hidden sheet of a 7.5 MB file took 900 MB and 17 s here)."""
    if len(scan.errors) > LIMITS["cells"]:
        refuse_sheet_size(path, scan.name, 1 + max(r for r, _ in scan.errors), 1 + max(c for _, c in scan.errors))
    refuse_total_cells(path, done + len(scan.errors))


def _xml(path: Path, name: str, data: bytes):
    try:
        return DET.fromstring(data, forbid_dtd=True)
    except (DET.ParseError, LookupError, ValueError, DefusedXmlException):
        return DET.fromstring(b"<r/>")  # the names calamine cannot read either: the sheets are named by part


def _xlsx_names(path: Path, read) -> dict[str, str]:
    """Worksheet part (lower case) → sheet name, found as calamine finds them: the workbook part that
    _rels/.rels names, its relationships, each target joined to its folder as written (no "..")."""
    rels = _xml(path, "_rels/.rels", read("_rels/.rels") or b"<r/>")
    doc = next((r.get("Target", "") for r in rels if r.get("Type", "").endswith("/officeDocument")), "xl/workbook.xml")
    base = doc[: doc.rfind("/") + 1].removeprefix("/").lower()
    targets = {r.get("Id"): r.get("Target", "") for r in _xml(path, "workbook.xml.rels", read(f"{base}_rels/workbook.xml.rels") or b"<r/>")}
    names = {}
    for sheet in _xml(path, "workbook.xml", read(f"{base}workbook.xml") or b"<r/>").iter():  # transitional or strict
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None) if sheet.tag.endswith("}sheet") else None
        if target := targets.get(rid, ""):
            names[_key(target[1:] if target.startswith("/") else base + target)] = sheet.get("name")
    return names


def _xlsx_sheet(path: Path, name: str, part: str, data: bytes | None, done: int = 0) -> SheetScan:
    """The error cells of a worksheet part: by a regular expression over plainly referenced cell tags, else by an XML parse."""
    scan, cap = SheetScan(name, part=part), _cap(done)
    if not data:
        return scan
    if (data[:2] not in (b"\xff\xfe", b"\xfe\xff") and not _PREFIXED.search(data) and not _UNPLAIN_CELL.search(data)
            and not _ODD_ERROR.search(data) and data.count(b't="e"') == data.count(b' t="e"')):
        for m in _ERROR_CELL.finditer(data):
            if v := _ERROR_VALUE.search(data, m.end(), m.end() + 300):
                scan.errors[(int(m.group(2)) - 1, _col(m.group(1)) - 1)] = v.group(1).decode("ascii", "replace")
                if len(scan.errors) > cap:
                    _refuse(path, scan, done)
        return scan
    row = col = 0  # cells placed as calamine places them (without ``r``, the next one)
    try:
        for event, el in DET.iterparse(io.BytesIO(data), ("start", "end"), forbid_dtd=True):
            local, ref = el.tag.rsplit("}", 1)[-1], _REF.fullmatch(el.get("r", "")) or _REF.fullmatch("")
            if event == "start" and local == "row":
                row, col = int(ref.group(2) or row + 1), 0
            elif event == "start" and local == "c":
                col, row = (_col(ref.group(1).encode()) if ref.group(1) else col + 1), int(ref.group(2) or row)
            elif event == "end" and local == "c" and el.get("t") == "e":
                if v := next((x.text for x in el if x.tag.rsplit("}", 1)[-1] == "v" and x.text), None):
                    scan.errors[(row - 1, col - 1)] = v
                    if len(scan.errors) > cap:
                        _refuse(path, scan, done)
            if event == "end" and local == "row":
                el.clear()
    except (DET.ParseError, LookupError, ValueError, DefusedXmlException):
        pass  # what calamine reads of it stays
    return scan


def _xlsb_sheet(name: str, part: str, data: bytes, path: Path = Path(), done: int = 0) -> SheetScan:
    """BrtCellError and BrtFmlaError cells (calamine reads them empty): BrtRowHdr sets the row, the cell its column."""
    scan, row, cap = SheetScan(name, part=part), 0, _cap(done)
    for typ, body in xlsb_records(data):
        if typ == 0x0000 and len(body) >= 4:
            row = struct.unpack_from("<I", body)[0]
        elif typ in (0x0003, 0x000B) and len(body) >= 9:
            scan.errors[(row, struct.unpack_from("<I", body)[0])] = XLSB_ERRORS.get(body[8], "#REF!")
            if len(scan.errors) > cap:
                _refuse(path, scan, done)
        elif typ == 0x0092:  # BrtEndSheetData
            break
    return scan


def _biff_sheets(path: Path, stream: bytes) -> list[SheetScan]:
    """BoolErr and FORMULA records of each sheet. A FORMULA with an error result (MS-XLS 2.4.127) is an
    error cell; in BIFF8, with the text a user typed (or "" where the file lost it)."""
    scans, wide, done = [], biff8(stream), 0
    try:
        for name, records in sheet_records(stream):
            done += len(scans[-1].errors) if scans else 0
            scans.append(scan := SheetScan(name))
            cap = _cap(done)
            for typ, data in records:
                if len(scan.errors) > cap:
                    _refuse(path, scan, done)
                if typ == _BOOL_ERR and len(data) >= 8 and data[7] == 1:
                    scan.errors[struct.unpack_from("<HH", data)] = ERRORS.get(data[6], "#REF!")
                elif typ == _FORMULA and (len(data) < 22 or 22 + struct.unpack_from("<H", data, 20)[0] > len(data)):
                    raise broken(path, "Office 复合文档结构无效：公式记录被截断", "invalid compound file: a FORMULA record is cut short")
                elif typ == _FORMULA and data[12:14] == b"\xff\xff" and data[6] == 2:  # an error result: fExprO 0xFFFF, type 2
                    pos = struct.unpack_from("<HH", data)
                    scan.errors[pos] = ERRORS.get(data[8], "#REF!")
                    if wide and (text := biff_typed_text(data[22 : 22 + struct.unpack_from("<H", data, 20)[0]])) is not None:
                        scan.typed[pos] = text
    except ValueError:
        raise broken(path, "Office 复合文档结构无效：公式记录无效", "invalid compound file: a ptgStr runs past the end of a FORMULA record's tokens") from None
    return scans
