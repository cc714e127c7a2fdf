"""Mark the files consolidation writes, so a rerun may replace them.

``consolidate`` refuses to overwrite a file it did not create unless given
``--force``. Its workbooks carry a custom document property
(:data:`PROPERTY`); its PDFs carry :data:`KEYWORD` as their keywords (set on
the workbook, carried into the PDF by LibreOffice). The importer recognises
them (:func:`is_ours`, in :mod:`xltargets.importing.ownfiles`).
"""

from __future__ import annotations

from ..importing.ownfiles import KEYWORD, PROPERTY, VALUE, is_ours

__all__ = ["PROPERTY", "KEYWORD", "mark", "is_ours"]


def mark(workbook, title: str) -> None:
    """Set the marker and the document properties of a 汇总表 XlsxWriter workbook."""
    workbook.set_custom_property(PROPERTY, VALUE)
    workbook.set_properties({"title": title, "author": "xltargets", "keywords": KEYWORD})
