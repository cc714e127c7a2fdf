"""Shared formulas: a repeat-row formula stored once for all of its rows.

A project sheet's row check (``G13`` … ``G32``) is one formula moved down the
rows: each copy is the first with its relative references shifted, which is
what a spreadsheet's *shared formula* means (``<f t="shared" ref="G13:G32"
si="0">…</f>`` in the first cell, ``<f t="shared" si="0"/>`` in the others;
what Excel writes for a formula filled down, and what Excel, WPS, LibreOffice
and openpyxl read back as the shifted formula of each cell). XlsxWriter has no
call for it and rewrites each formula it is given (~30 regular expressions over
its text), so the first copy is written with its formula, the others with a
marker naming the first (:func:`follower`), and :func:`share` turns the markers
and the first cell into the shared form in the finished worksheet XML
(``workbook/batched.py`` applies it to each sheet part it copies).

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

_MARK = "_XLT_SHARED_"
_FOLLOWER = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"([^>]*)><f>' + _MARK.encode() + rb"([A-Z]{1,3})(\d+)</f>")


def follower(column: int, first_row: int) -> str:
    """The formula written into a later copy of the shared formula whose first cell is
    (*first_row*, *column*), 1-based: :func:`share` replaces it."""
    return f"={_MARK}{get_column_letter(column)}{first_row}"


def shifts_only(copies: list[str], column: int, rows: list[int]) -> bool:
    """True when each formula of *copies* (of the cells of *column* in *rows*, 1-based) is the
    first one shifted to its row, as a shared formula reads it."""
    letter = get_column_letter(column)
    first = Translator(copies[0], f"{letter}{rows[0]}")
    return all(first.translate_formula(f"{letter}{row}") == copy for copy, row in zip(copies[1:], rows[1:]))


def share(xml: bytes) -> bytes:
    """The worksheet *xml* with its followers (:func:`follower`) made shared formulas of their first cell."""
    if _MARK.encode() not in xml:
        return xml
    groups: dict[tuple[bytes, int], list[int]] = {}  # first cell → rows of its followers

    def shared(m: re.Match) -> bytes:
        col, row, attrs, first_col, first_row = m.group(1), int(m.group(2)), m.group(3), m.group(4), int(m.group(5))
        rows = groups.setdefault((first_col, first_row), [])
        if col != first_col or row != first_row + len(rows) + 1:
            raise AssertionError(f"shared formula of {first_col.decode()}{first_row}: "
                                 f"{col.decode()}{row} is not the next cell below")
        rows.append(row)
        return b'<c r="%s%d"%s><f t="shared" si="%d"/>' % (col, row, attrs, list(groups).index((first_col, first_row)))

    xml = _FOLLOWER.sub(shared, xml)
    if _MARK.encode() in xml:
        raise AssertionError("a shared-formula marker left in a worksheet")
    for si, ((col, row), rows) in enumerate(groups.items()):
        head = re.compile(rb'<c r="%s%d"([^>]*)><f>' % (col, row))
        xml, n = head.subn(lambda m: b'<c r="%s%d"%s><f t="shared" ref="%s%d:%s%d" si="%d">'
                           % (col, row, m.group(1), col, row, col, rows[-1], si), xml, count=1)
        if n != 1:
            raise AssertionError(f"the first cell of a shared formula, {col.decode()}{row}, has no formula")
    return xml
