"""Recognising the files xltargets' ``consolidate`` wrote (its 汇总表 workbook and PDF), and ``diff``'s 对比 workbook.

They carry a mark where it is written, never found by searching bytes: the
workbook a custom document property (:data:`PROPERTY`), the PDF its keywords
(:data:`KEYWORD`, carried by LibreOffice from the workbook into the PDF's
document information). The mark is read through the importer's bounded
readers: ``docProps/custom.xml`` with zipfile and defusedxml, the PDF's
document information with pdfminer in the reader process (:mod:`xltargets.reader`, under its memory
cap: the dictionary may sit in a compressed object stream), each from a regular file within the size limit.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PROPERTY", "VALUE", "DIFF_VALUE", "KEYWORD", "is_ours", "own_kind"]

PROPERTY = "xltargets-output"
#: the mark's value: the 汇总表 (a rerun may replace it) and the 对比 workbook (never read as a declaration)
VALUE = "consolidate"
DIFF_VALUE = "diff"
KEYWORD = "xltargets-consolidate"

_CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
_MARK_BYTES = 1 << 20  # docProps/custom.xml of our workbooks: a few hundred bytes


def _xlsx_mark(path: Path) -> str | None:
    """The value of our mark in the workbook's custom properties (None: no mark)."""
    import defusedxml.ElementTree as DET

    from .guard import read_parts

    part = "docprops/custom.xml"  # read_parts names a member in lower case
    data = read_parts(path, part.__eq__, limit=_MARK_BYTES).get(part)
    root = DET.fromstring(data, forbid_dtd=True) if data else None
    if root is None:
        return None
    for p in root.iter(f"{_CUSTOM_NS}property"):
        if p.get("name") == PROPERTY:
            return "".join(p.itertext()).strip() or VALUE
    return None


def _pdf_is_ours(path: Path) -> bool:
    """The PDF's keywords, read in the reader process: pdfminer resolves the information dictionary
    wherever the file puts it (a 389 kB PDF whose dictionary sits in an object stream of 400 MB took
    805 MB in this process)."""
    from .. import reader
    from .guard import open_input
    from .limits import LIMITS

    with open_input(path):  # a regular file within the size limit (never a pipe or a device)
        pass
    request = {"op": "pdf", "path": str(path), "keywords": KEYWORD, "memory": LIMITS["reader_memory_bytes"]}
    with reader.session(request) as receive:
        kind, *args = receive(LIMITS["pdf_page_seconds"])
    return kind == "done" and args[0] is True


def own_kind(path: Path) -> str | None:
    """:data:`VALUE` for a 汇总表 workbook or PDF written by ``consolidate``, :data:`DIFF_VALUE` for a 对比
    workbook written by ``diff -o`` or 对比上年; None for any other file.

    Anything that cannot be read within the importer's limits (a bomb, a pipe,
    a device, a damaged or missing file) is not ours.
    """
    path = Path(path)
    if path.suffix.lower() not in (".pdf", ".xlsx", ".xlsm"):
        return None
    try:
        if path.suffix.lower() == ".pdf":
            return VALUE if _pdf_is_ours(path) else None
        return _xlsx_mark(path)
    except Exception:  # noqa: BLE001 - whatever a damaged or hostile file raises, it is not ours
        return None


def is_ours(path: Path) -> bool:
    """True when *path* is a 汇总表 workbook or PDF written by ``consolidate`` (a rerun may replace it)."""
    return own_kind(path) == VALUE
