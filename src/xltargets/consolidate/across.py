"""The 汇总表's one-row label merges written as "centre across selection" instead (print-only forms).

XlsxWriter keeps, until the file is closed, an entry for every merged cell
and a record for every merge (its overlap check): about a third of its memory
at 4,000 forms is the one-row merges of centred text — the form's title
(A1:F1, A2:F2), the header 年度(/项目)指标值 (E12:F12) and each indicator's value
(E13:F13). Excel's "centre across selection" (XlsxWriter's documented
``center_across`` alignment, ``horizontal="centerContinuous"``) shows such a
text centred over the same cells without a merge, in Excel, WPS 表格 and
LibreOffice alike.

A merge is written that way only when it looks the same: one row, its text
centred, on one line in the merged width (:func:`xltargets.workbook.fit.lines_needed`,
the estimate the row heights use; a longer text keeps its merge and wraps), and
its other cells empty. Each of its cells keeps its own style but for the
alignment (centred across, no wrapping) and the borders inside the range,
which a merge hides (:class:`Across`: the first cell loses its right border,
the last its left, a middle one both). The forms staff edit (the declarations
workbook) keep their merges.
"""

from __future__ import annotations

import functools

from ..memo import remembered
from ..workbook.fit import lines_needed
from ..workbook.layout import Form, Plan
from ..workbook.values import TEXT
from ..workbook.xlsxform import Across

__all__ = ["centre_across"]


def centre_across(plan: Plan, form: Form) -> Form:
    """*form* with its one-row merges of centred one-line text centred across instead (see the module)."""
    kept = []
    cells = form.cells
    centred = _centred(plan)
    for merge in form.merges:
        c1, r1, c2, r2 = merge
        if r1 != r2 or not _fits(plan, centred, cells, merge):
            kept.append(merge)
            continue
        for c in range(c1, c2 + 1):
            kind, value, style, quote = cells.get((r1, c), (None, None, None, False))
            cells[(r1, c)] = (kind, value, _across(style, 0 if c == c1 else 2 if c == c2 else 1), quote)
    form.merges = kept
    return form


@functools.lru_cache(maxsize=None)
def _across(style: int | None, edge: int) -> Across:
    """One :class:`Across` a (style, edge): a form's cells share them."""
    return Across(style, edge)


@functools.lru_cache(maxsize=8)
def _centred(plan: Plan) -> tuple[bool, ...]:
    """For each style of *plan*: its text is centred (not shrunk, not indented), so a merge it starts
    may be centred across instead (worked out once a plan: openpyxl's style objects are slow to read)."""
    out = []
    for src in plan.styles:
        alignment = src.alignment
        out.append(alignment is not None and alignment.horizontal == "center" and not alignment.shrink_to_fit
                   and not alignment.indent)
    return tuple(out)


def _fits(plan: Plan, centred: tuple[bool, ...], cells: dict, merge: tuple[int, int, int, int]) -> bool:
    c1, row, c2, _ = merge
    kind, value, style, _ = cells.get((row, c1), (None, None, None, False))
    if style is None or kind not in (TEXT, None) or not centred[style]:
        return False
    get = cells.get
    for c in range(c1 + 1, c2 + 1):
        other = get((row, c))
        if other is not None and other[0] is not None:
            return False
    return kind is None or _one_line(value, plan.width(c1, c2))


@remembered(1 << 14)
def _one_line(text: str, width: float) -> bool:
    """*text* takes one line in a cell *width* units wide (the same texts recur on every form)."""
    return "\n" not in text and lines_needed(text, width) == 1
