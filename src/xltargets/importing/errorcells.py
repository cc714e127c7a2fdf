"""Error cells, noted as the pre-scan passes them: python-calamine reads a cell holding
``#REF!`` or ``#N/A`` as empty, so the importer puts the code back (a funds cell holding
``#REF!`` is reported as such, not as blank).

The pre-scan (:mod:`.package`, :mod:`.compound`) is the one pass over a workbook's bytes
before calamine reads them; it hands what it passes to :data:`NOTES`, which keeps each
error cell in its :class:`.limits.SheetScan` (``errors``; for an .xls, ``typed``: what a
user typed in a FORMULA cell with an error, from :func:`.formulas.biff_typed_text`).
An xlsb's BrtCellError / BrtFmlaError cells are noted the same way (its scans are named by
sheet through workbook.bin, :func:`.xlsbparts.xlsb_sheet_parts`, handed to the pre-scan here).
"""

from __future__ import annotations

import re
import struct
from functools import reduce
from pathlib import Path

from .formulas import biff_typed_text
from .limits import SheetScan, broken
from .xlsbparts import xlsb_sheet_parts

__all__ = ["ERRORS", "NOTES", "ErrorCells"]

#: error codes of BIFF8 cells (calamine reads such a cell as empty)
ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A"}
#: an xlsb's error codes (MS-XLSB 2.5.97.2 BErr): BIFF8's and #GETTING_DATA
XLSB_ERRORS = {**ERRORS, 0x2B: "#GETTING_DATA"}

_ERROR_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]* t="e"[^>]*(?<!/)>')
_IS_ERROR = re.compile(rb' t="e"')  # a regex search: faster here than bytes.__contains__
_ERROR_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>([^<]{1,16})<")
_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_BOOL_ERR, _FORMULA = 0x0205, 0x0006


def _col(letters: bytes) -> int:
    return reduce(lambda n, ch: n * 26 + ch - 64, letters, 0)


class ErrorCells:
    """What the pre-scan hands over, per format; each method notes the error cells it is given."""

    #: the .xls cell records the pre-scan hands to :meth:`biff_cell`: BoolErr and FORMULA
    biff_records = frozenset({_BOOL_ERR, _FORMULA})

    def xlsx_part(self, scan: SheetScan, data: bytes) -> None:
        """A worksheet part whose cell tags are all plainly referenced (``<c r="B2" …>``)."""
        for m in _ERROR_CELL.finditer(data) if _IS_ERROR.search(data) else ():
            if v := _ERROR_VALUE.search(data, m.end(), m.end() + 300):
                scan.errors[(int(m.group(2)) - 1, _col(m.group(1)) - 1)] = v.group(1).decode("ascii", "replace")

    def xlsx_cell(self, scan: SheetScan, row: int, col: int, el) -> None:
        """A cell holding a value, at (*row*, *col*) counted from 1, of a part read by an XML parse."""
        if el.get("t") == "e" and (v := el.find(f"{_M}v")) is not None and v.text:
            scan.errors[(row - 1, col - 1)] = v.text

    #: an xlsb's sheet name → part (lower case), for the pre-scan to name its scans: given a part reader
    xlsb_sheet_parts = staticmethod(xlsb_sheet_parts)

    def xlsb_error(self, scan: SheetScan, row: int, col: int, code: int) -> None:
        """A BrtCellError or BrtFmlaError at (*row*, *col*) counted from 0, its BErr *code*."""
        scan.errors[(row, col)] = XLSB_ERRORS.get(code, "#REF!")

    def biff_cell(self, path: Path, scan: SheetScan, typ: int, data: bytes, biff8: bool) -> None:
        """A BoolErr or FORMULA record (whole: the pre-scan checked its length). A FORMULA with an
        error result (MS-XLS 2.4.127) is an error cell; in BIFF8, with the text a user typed
        (or "" where the file lost it)."""
        if typ == _BOOL_ERR:
            if len(data) >= 8 and data[7] == 1:
                scan.errors[struct.unpack_from("<HH", data)] = ERRORS.get(data[6], "#REF!")
            return
        if data[12:14] != b"\xff\xff" or data[6] != 2:  # fExprO 0xFFFF with type 2: an error result
            return
        pos = struct.unpack_from("<HH", data)
        scan.errors[pos] = ERRORS.get(data[8], "#REF!")
        try:
            text = biff_typed_text(data[22 : 22 + struct.unpack_from("<H", data, 20)[0]]) if biff8 else None
        except ValueError:
            raise broken(path, "Office 复合文档结构无效：公式记录无效", "invalid compound file: a ptgStr runs past the end of a FORMULA record's tokens") from None
        if text is not None:
            scan.typed[pos] = text


#: the notes :func:`.sources.classify` hands to the pre-scan
NOTES = ErrorCells()
