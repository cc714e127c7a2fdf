"""Shared formulas: a repeat-row formula stored once for all of its rows.

A project sheet's row check (``G13`` … ``G32``) is one formula moved down the
rows: each copy is the first with its relative references shifted, which is
what a spreadsheet's *shared formula* means (``<f t="shared" ref="G13:G32"
si="0">…</f>`` in the first cell, ``<f t="shared" si="0"/>`` in the others;
what Excel writes for a formula filled down, and what Excel, WPS, LibreOffice
and openpyxl read back as the shifted formula of each cell). XlsxWriter has no
call for it, so the first copy is written with its formula, the others as a text
marker naming the first (:func:`follower`: a follower has no formula text of its
own, so it is written as the cheap string cell it stands for, not as a formula
XlsxWriter would rewrite with ~30 regular expressions), and :func:`share` turns
the markers and the first cell into the shared form in the finished worksheet
XML (``workbook/batched.py`` applies it to each sheet part it copies). The
marker starts with a control character, which XlsxWriter writes as ``_x0001_``
and a user's text cannot produce (XlsxWriter writes a literal ``_x0001_`` as
``_x005F_x0001_``; the importer drops control characters).

Only a formula whose copies are exactly its shifts is shared
(:func:`shifts_only`: checked with openpyxl's formula translator once per
template); one that also refers below or above the repeated rows, which move
otherwise, is written cell by cell as before.
"""

from __future__ import annotations

import re

from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import get_column_letter

__all__ = ["follower", "share", "shifts_only"]

_MARK = "\x01XLT_SHARED_"
#: the marker as XlsxWriter writes it, starting an inline string (its control character escaped); a user's
#: text that spells it starts ``<t>_x005F_x0001_`` (XlsxWriter escapes the escape), so it never matches
_WRITTEN = b"<t>_x0001_XLT_SHARED_"
_FOLLOWER = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"([^>]*) t="inlineStr"><is>' + _WRITTEN
                       + rb"([A-Z]{1,3})(\d+)</t></is></c>")


def follower(column: int, first_row: int) -> str:
    """The text written (as a string cell) into a later copy of the shared formula whose first cell
    is (*first_row*, *column*), 1-based: :func:`share` makes it a formula cell that follows the first."""
    return f"{_MARK}{get_column_letter(column)}{first_row}"


def shifts_only(copies: list[str], column: int, rows: list[int]) -> bool:
    """True when each formula of *copies* (of the cells of *column* in *rows*, 1-based) is the
    first one shifted to its row, as a shared formula reads it."""
    letter = get_column_letter(column)
    first = Translator(copies[0], f"{letter}{rows[0]}")
    return all(first.translate_formula(f"{letter}{row}") == copy for copy, row in zip(copies[1:], rows[1:]))


def share(xml: bytes) -> bytes:
    """The worksheet *xml* with its followers (:func:`follower`) made shared formulas of their first cell."""
    if _WRITTEN not in xml:
        return xml
    groups: dict[tuple[bytes, int], list[int]] = {}  # first cell → rows of its followers

    def shared(m: re.Match) -> bytes:
        col, row, attrs, first_col, first_row = m.group(1), int(m.group(2)), m.group(3), m.group(4), int(m.group(5))
        rows = groups.setdefault((first_col, first_row), [])
        if col != first_col or row != first_row + len(rows) + 1:
            raise AssertionError(f"shared formula of {first_col.decode()}{first_row}: "
                                 f"{col.decode()}{row} is not the next cell below")
        rows.append(row)
        # what XlsxWriter writes for a formula cell of no cached value, the formula shared
        return b'<c r="%s%d"%s><f t="shared" si="%d"/><v></v></c>' % (
            col, row, attrs, list(groups).index((first_col, first_row)))

    xml = _FOLLOWER.sub(shared, xml)
    if _WRITTEN in xml:
        raise AssertionError("a shared-formula marker left in a worksheet")
    for si, ((col, row), rows) in enumerate(groups.items()):
        head = re.compile(rb'<c r="%s%d"([^>]*)><f>' % (col, row))
        xml, n = head.subn(lambda m: b'<c r="%s%d"%s><f t="shared" ref="%s%d:%s%d" si="%d">'
                           % (col, row, m.group(1), col, row, col, rows[-1], si), xml, count=1)
        if n != 1:
            raise AssertionError(f"the first cell of a shared formula, {col.decode()}{row}, has no formula")
    return xml
