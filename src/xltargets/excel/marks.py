"""Marking offending cells (fill and note) and taking our own marks off again.

Every mark is recorded in the hidden sheet ``_xlt_marks`` (sheet, cell, the
fill the cell had before, whether the note is ours). A re-run compares the
new findings with that record: cells no longer at fault get their old fill
back and lose our note; cells still at fault keep their original fill on
record; nothing we did not mark is touched, so the user's own formatting
stays. A cell that already carries the user's note keeps it (the finding is
still listed in 校验结果).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import xlwings as xw

from ..errors import XltargetsError
from ..findings import Finding
from . import adapter
from .cells import MARKS_SHEET, ensure_sheet, used_size, write_rows

__all__ = ["MARK_COLORS", "NOTE_HEADING", "Mark", "read_marks", "apply_marks", "cell_marks"]

MARK_COLORS = {"error": "#ffc7ce", "warning": "#ffeb9c"}
NOTE_HEADING = "xltargets 校验："
HEADER = ["工作表", "单元格", "原底色", "批注由校验添加", "级别"]


@dataclass(frozen=True)
class Mark:
    sheet: str
    cell: str
    original_fill: str | None
    own_note: bool
    severity: str


def cell_marks(findings: Iterable[Finding]) -> dict[tuple[str, str], tuple[str, str]]:
    """``{(sheet, cell): (severity, note text)}``: one mark per cell, errors over warnings."""
    grouped: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.sheet and f.cell:
            grouped.setdefault((f.sheet, f.cell), []).append(f)
    out = {}
    for key, items in grouped.items():
        severity = "error" if any(f.is_error for f in items) else "warning"
        lines = [f"{f.severity.label} {f.code}：{f.message}" for f in items]
        out[key] = (severity, NOTE_HEADING + "\n" + "\n".join(lines))
    return out


def read_marks(book: xw.Book) -> dict[tuple[str, str], Mark]:
    """The marks recorded by the last run (empty when there was none)."""
    if MARKS_SHEET not in [s.name for s in book.sheets]:
        return {}
    try:
        used_size(book.sheets[MARKS_SHEET])  # a crafted workbook's huge hidden record: not read, forgotten
    except XltargetsError:
        return {}
    rows = book.sheets[MARKS_SHEET].used_range.options(ndim=2).value or []
    marks = {}
    for row in rows[1:]:
        row = list(row) + [None] * 5
        sheet, cell, fill, own, severity = (row[i] for i in range(5))
        if sheet and cell:
            marks[(str(sheet), str(cell))] = Mark(str(sheet), str(cell), fill or None, bool(own), str(severity or ""))
    return marks


def _unmark(book: xw.Book, mark: Mark, sheet_names: set[str]) -> None:
    if mark.sheet not in sheet_names:
        return
    rng = book.sheets[mark.sheet].range(mark.cell)
    current = adapter.fill_of(rng)
    if current is None or current == MARK_COLORS.get(mark.severity):  # else the user recoloured it: leave it
        rng.color = mark.original_fill
    if mark.own_note and rng.note is not None:
        rng.note.delete()


def _mark(rng: xw.Range, severity: str, text: str, previous: Mark | None) -> Mark:
    # a cell marked before keeps the fill on record, not our own colour
    original = previous.original_fill if previous is not None else adapter.fill_of(rng)
    rng.color = MARK_COLORS[severity]
    note = rng.note
    if previous is not None and previous.own_note and note is not None:
        note.text = text
        own = True
    elif note is None:
        rng.add_note(text)
        own = True
    else:  # the user's own note: keep it
        own = False
    return Mark(rng.sheet.name, rng.address.replace("$", ""), original, own, severity)


def apply_marks(book: xw.Book, findings: Iterable[Finding]) -> list[Mark]:
    """Take off the marks of the last run that no longer apply, mark the cells of *findings*, record them."""
    old = read_marks(book)
    wanted = cell_marks(findings)
    names = {s.name for s in book.sheets}
    for key, mark in old.items():
        if key not in wanted:
            _unmark(book, mark, names)
    new: list[Mark] = []
    for (sheet, cell), (severity, text) in wanted.items():
        if sheet not in names:
            continue
        previous = old.get((sheet, cell))
        new.append(_mark(book.sheets[sheet].range(cell), severity, text, previous))
    record, _created = ensure_sheet(book, MARKS_SHEET, visible=False)
    write_rows(record, [HEADER, *[[m.sheet, m.cell, m.original_fill or "", 1 if m.own_note else 0, m.severity] for m in new]])
    return new
