"""Numbers as displayed: a 指标值 stored as a number with a number format reads as the user sees it.

A cell holding 0.95 formatted ``0%`` shows ``95%``; 1 formatted ``0.00%`` shows ``100.00%``;
85 formatted ``0.00`` shows ``85.00``. The reader gives the stored number; for the cells the
forms reader asks about (a 指标值 that is a bare number) this module looks up the cell's number
format in the xlsx (styles.xml and the sheet part, read once per sheet, on the first question)
and gives the displayed text. Sheets whose 指标值 are text never cost anything.
Formats handled: percent (``0%``, ``0.0%`` …) and fixed decimals (``0.00``, ``#,##0.00``);
any other format gives the stored number back unchanged.
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

from defusedxml import ElementTree as SafeET

__all__ = ["SheetFormats", "display"]

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: built-in number formats that change how a number shows (ECMA-376 18.8.30)
_BUILTIN = {1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%"}
_SIMPLE = re.compile(r"^(?P<int>#,##0|0)(?:\.(?P<dec>0+))?(?P<pct>%)?$")


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
