"""Mark the files consolidation writes, so a rerun may replace them.

``consolidate`` refuses to overwrite a file it did not create unless given
``--force``. Its workbooks carry a custom document property
(:data:`PROPERTY`); its PDFs carry :data:`KEYWORD` in their keywords (set on
the workbook, carried into the PDF by LibreOffice).
"""

from __future__ import annotations

import binascii
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

__all__ = ["PROPERTY", "KEYWORD", "mark", "is_ours"]

PROPERTY = "xltargets-output"
VALUE = "consolidate"
KEYWORD = "xltargets-consolidate"

_CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


def mark(workbook, title: str) -> None:
    """Set the marker and the document properties of a 汇总表 XlsxWriter workbook."""
    workbook.set_custom_property(PROPERTY, VALUE)
    workbook.set_properties({"title": title, "author": "xltargets", "keywords": KEYWORD})


def _xlsx_is_ours(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            root = ET.fromstring(zf.read("docProps/custom.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, ET.ParseError):
        return False
    for prop in root.iter(f"{_CUSTOM_NS}property"):
        if prop.get("name") == PROPERTY:
            return True
    return False


def _pdf_is_ours(path: Path) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if KEYWORD.encode("ascii") in data:
        return True
    # PDF text strings may be UTF-16BE, literal or hex
    utf16 = KEYWORD.encode("utf-16-be")
    return utf16 in data or binascii.hexlify(utf16).upper() in data.upper()


def is_ours(path: Path) -> bool:
    """True when *path* is a 汇总表 workbook or PDF written by ``consolidate``."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        return _pdf_is_ours(path)
    return _xlsx_is_ours(path)
