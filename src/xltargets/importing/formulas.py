"""Values that became formulas: the text a user typed, read back from the formula.

Excel, WPS and LibreOffice turn a typed ``=10.00(所)`` into a formula whose cached
value is an error (``#VALUE!``) or nothing. The reader gives the cached value; for
the error cells the pre-scan found (:class:`.limits.SheetScan`.errors) this module
reads the formula text of those cells only, from the sheet part already checked by
the pre-scan, so a sheet without error cells costs nothing more.
The importer then reads the formula's text (``=10(所)``) as the 指标值 the user typed
and warns (XLT-W107) that a leading ``'`` keeps it text.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from defusedxml import ElementTree as SafeET

__all__ = ["formula_texts"]

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
    except Exception:  # noqa: BLE001 - the cached values stay; the file passed the pre-scan already
        return found
    return found
