"""Values that became formulas: the text a user typed, read back from the formula.

Excel, WPS and LibreOffice turn a typed ``=10.00(所)`` into a formula whose cached
value is an error (``#VALUE!``) or nothing. The reader gives the cached value; for
the error cells found (:class:`.limits.SheetScan`.errors, :mod:`.errorcells`) this module
reads the formula text of those cells only, from the sheet part already checked
(:mod:`.guard`), so a sheet without error cells costs nothing more.
The importer then reads the formula's text (``=10(所)``) as the 指标值 the user typed
and warns (XLT-W107) that a leading ``'`` keeps it text.

An .xls holds no formula text, only its parsed tokens (``rgce``): :func:`biff_typed_text`
reads the few forms LibreOffice writes there. Measured with LibreOffice 7.4, filter
"MS Excel 97" (the same from a TSV, an xlsx or an ods; docs/importer.md):

- ``=≥85(%)``, ``=及时``, ``=10个``: ptgStr holding the text after ``=`` (cached #N/A or
  #NAME?); ``=(所)``: ptgStr ``所`` then ptgParen. Read as typed, XLT-W107.
- ``=10.00(所)``, ``=38.00(场)``, ``=<100.00(百分比)``: ptgErr #N/A alone (cached #VALUE!).
  Nothing of the text is in the file: the importer keeps the cell's error text and reports
  the value lost (XLT-W112), never a guess.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from defusedxml import ElementTree as SafeET

__all__ = ["formula_texts", "ods_formula_texts", "biff_typed_text"]

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _position(ref: str) -> tuple[int, int]:
    col = 0
    i = 0
    while i < len(ref) and ref[i].isalpha():
        col = col * 26 + ord(ref[i].upper()) - 64
        i += 1
    return int(ref[i:]) - 1, col - 1


def formula_texts(path: Path, part: str, cells) -> dict[tuple[int, int], str]:
    """``{(row, col): "=formula"}`` for the *cells* (0-based positions) of the worksheet *part*
    of the xlsx at *path* that hold a formula with its own text (shared-formula followers have none)."""
    wanted = set(cells)
    if not wanted:
        return {}
    found: dict[tuple[int, int], str] = {}
    try:
        with zipfile.ZipFile(path) as zf, zf.open(part) as fh:
            for _, elem in SafeET.iterparse(fh, events=("end",)):
                if elem.tag != _NS + "c":
                    if elem.tag == _NS + "row":
                        elem.clear()
                    continue
                ref = elem.get("r")
                if ref:
                    pos = _position(ref)
                    if pos in wanted:
                        f = elem.find(_NS + "f")
                        if f is not None and f.text:
                            found[pos] = f.text if f.text.startswith("=") else "=" + f.text
                            if len(found) == len(wanted):
                                break
    except Exception:  # noqa: BLE001 - the cached values stay; the file passed the checks already
        return found
    return found


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
_T = "{%s}" % _TABLE
#: a cell whose formula failed: LibreOffice marks it so (the reader gives an empty value)
_ERROR_MARK = b'value-type="error"'


def ods_formula_texts(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Per sheet name, ``{(row, col): "=formula"}`` for the cells of an ods whose formula failed
    (LibreOffice shows Err:509; the reader gives nothing). Costs one ``in`` over content.xml
    when no cell failed."""
    try:
        with zipfile.ZipFile(path) as zf:
            data = zf.read("content.xml")
    except Exception:  # noqa: BLE001 - the file passed the checks; without content.xml nothing to add
        return {}
    if _ERROR_MARK not in data:
        return {}
    import io

    from .limits import LIMITS

    out: dict[str, dict[tuple[int, int], str]] = {}
    budget = LIMITS["total_cells"]  # failed cells kept for the file: past it, the cached values stay
    sheet: dict[tuple[int, int], str] | None = None
    row = -1
    col = 0
    row_repeat = 1
    try:
        for event, elem in SafeET.iterparse(io.BytesIO(data), events=("start", "end")):
            tag = elem.tag
            if event == "start":
                if tag == _T + "table":
                    sheet = out.setdefault(elem.get(_T + "name", ""), {})
                    row = -1
                elif tag == _T + "table-row":
                    row += 1
                    col = 0
                    row_repeat = int(elem.get(_T + "number-rows-repeated", "1"))
                continue
            if tag in (_T + "table-cell", _T + "covered-table-cell"):
                formula = elem.get(_T + "formula")
                failed = elem.get("{%s}value-type" % _CALCEXT) == "error"
                if formula and failed and sheet is not None:
                    text = formula.split(":", 1)[1] if formula.startswith("of:") else formula
                    sheet[(row, col)] = text if text.startswith("=") else "=" + text
                    budget -= 1
                    if budget < 0:  # every table, hidden ones too: parsed here, whatever the reader process measured
                        return {}
                col += int(elem.get(_T + "number-columns-repeated", "1"))
                elem.clear()
            elif tag == _T + "table-row":
                row += row_repeat - 1
                elem.clear()
    except Exception:  # noqa: BLE001 - what was found so far stands; the cached values stay
        return out
    return out


_PTG_STR, _PTG_PAREN, _PTG_ERR = 0x17, 0x15, 0x1C


def biff_typed_text(rgce: bytes) -> str | None:
    """What a user typed, from the tokens of an .xls FORMULA cell whose cached value is an error.

    ``"=≥85(%)"`` for a ptgStr (in as many ptgParen as follow it); ``""`` for a lone ptgErr
    (the text is not in the file); ``None`` for any other expression (a real formula,
    its error stands). Raises ValueError for a ptgStr that runs past the tokens.
    """
    if len(rgce) == 2 and rgce[0] == _PTG_ERR:
        return ""
    if not rgce or rgce[0] != _PTG_STR:
        return None
    wide = len(rgce) >= 3 and rgce[2] & 1
    if len(rgce) < 3 or (end := 3 + rgce[1] * (1 + wide)) > len(rgce):
        raise ValueError("ptgStr runs past the end of the formula")
    parens = len(rgce) - end
    if rgce[end:] != bytes([_PTG_PAREN]) * parens:
        return None
    text = rgce[3:end].decode("utf-16-le" if wide else "latin-1", "replace")
    return "=" + "(" * parens + text + ")" * parens
