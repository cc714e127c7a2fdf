"""Moving template rows to their place in a rendered sheet: references, ranges, formulas.

A template sheet has one *repeat row* that becomes ``count`` rows. Every other
template row moves to a new row as well (rendering at ``start_row`` and the
rows added by the repeat). :class:`RowMap` says where each template row goes,
and rewrites what refers to rows: cell references and ranges in formulas,
merged ranges, validation and conditional-formatting ranges.

The rule is the one Excel applies when rows are inserted inside a block:

* a single cell on the repeat row means the first copy (or, in a formula *on*
  the repeat row, the copy the formula sits on when the row is relative);
* a range that touches the repeat row grows to cover every copy (in a formula
  on the repeat row only when both ends are absolute: ``$D$13:$D$13`` is the
  whole block, ``B13:D13`` the copy's own row);
* anything below the repeat row moves down by the rows added.

Absolute (``$``) and relative references move alike: the whole block moves.
References to other sheets are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openpyxl.formula.tokenizer import Token, Tokenizer

from ..memo import remembered

__all__ = ["RowMap", "split_sheet"]

_CELL = re.compile(r"^(\$?)([A-Za-z]{1,3})(\$?)([0-9]{1,7})$")
_ROW = re.compile(r"^(\$?)([0-9]{1,7})$")
_COL = re.compile(r"^(\$?)([A-Za-z]{1,3})$")


def split_sheet(ref: str) -> tuple[str | None, str]:
    """``"'My sheet'!A1:B2"`` → ``("My sheet", "A1:B2")``; no sheet → ``(None, ref)``."""
    if "!" not in ref:
        return None, ref
    sheet, _, rest = ref.rpartition("!")
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, rest


def quote_sheet(title: str) -> str:
    """A sheet name as written before ``!`` in a formula."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", title) and not _CELL.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


@dataclass(frozen=True)
class RowMap:
    """Where template rows land.

    ``offset`` = start_row - 1; ``repeat`` = the template's repeat row (None if
    it has none); ``count`` = number of copies of the repeat row (≥ 1).
    """

    offset: int = 0
    repeat: int | None = None
    count: int = 1

    @property
    def added(self) -> int:
        return self.count - 1 if self.repeat is not None else 0

    def first(self, row: int) -> int:
        """Target row of template *row* (the first copy for the repeat row)."""
        if self.repeat is not None and row > self.repeat:
            return row + self.offset + self.added
        return row + self.offset

    def last(self, row: int) -> int:
        """Target row of template *row* (the last copy for the repeat row)."""
        if self.repeat is not None and row >= self.repeat:
            return row + self.offset + self.added
        return row + self.offset

    def copy_row(self, index: int) -> int:
        """Target row of the *index*-th copy of the repeat row."""
        assert self.repeat is not None
        return self.repeat + self.offset + index

    # -- ranges ---------------------------------------------------------
    def span(self, r1: int, r2: int) -> tuple[int, int]:
        """Target rows of the template range r1..r2 (grows over the repeat row)."""
        return self.first(r1), self.last(r2)

    def range_ref(self, ref: str, *, on_copy: int | None = None) -> str:
        """Map one reference without sheet name: ``A1``, ``$A$1:B2``, ``3:5``, ``A:C``.

        *on_copy* is the copy index when the reference sits in a formula on
        the repeat row: relative references to the repeat row then follow
        the copy. Names and anything else come back unchanged.
        """
        parts = ref.split(":")
        if len(parts) > 2:
            return ref
        parsed = []
        for p in parts:
            m = _CELL.match(p)
            if m:
                parsed.append(("cell", m))
                continue
            m = _ROW.match(p)
            if m:
                parsed.append(("row", m))
                continue
            m = _COL.match(p)
            if m and len(parts) == 2:
                parsed.append(("col", m))
                continue
            return ref  # a name, an error literal, a structured reference …
        if any(kind == "col" for kind, _ in parsed):
            return ref  # whole columns do not move with rows
        if len(parsed) == 2 and parsed[0][0] != parsed[1][0]:
            return ref
        rows = [int(m.group(4) if kind == "cell" else m.group(2)) for kind, m in parsed]
        absolute = [bool(m.group(3) if kind == "cell" else m.group(1)) for kind, m in parsed]
        if len(rows) == 1:
            new = [self._point(rows[0], absolute[0], on_copy)]
        else:
            lo, hi = rows
            if on_copy is not None and self.repeat is not None and lo == hi == self.repeat and not all(absolute):
                new = [self._point(lo, absolute[0], on_copy), self._point(hi, absolute[1], on_copy)]
            elif on_copy is not None and self.repeat is not None and hi == self.repeat and not absolute[1]:
                new = [self.first(lo), self.copy_row(on_copy)]
            else:
                new = list(self.span(lo, hi))
        out = []
        for (kind, m), row in zip(parsed, new):
            if kind == "cell":
                out.append(f"{m.group(1)}{m.group(2)}{m.group(3)}{row}")
            else:
                out.append(f"{m.group(1)}{row}")
        return ":".join(out)

    def _point(self, row: int, absolute: bool, on_copy: int | None) -> int:
        if on_copy is not None and row == self.repeat and not absolute:
            return self.copy_row(on_copy)
        return self.first(row)

    def sqref(self, sqref: str) -> str:
        """Map a space-separated list of ranges (``A1:B2 D4``); a cell on the repeat row grows."""
        out = []
        for part in str(sqref).split():
            if ":" not in part:
                mapped = self.range_ref(f"{part}:{part}")
                a, _, b = mapped.partition(":")
                out.append(a if a == b else mapped)
            else:
                out.append(self.range_ref(part))
        return " ".join(out)

    # -- formulas -------------------------------------------------------
    def formula(
        self,
        formula: str,
        *,
        sheet: str | None = None,
        new_sheet: str | None = None,
        on_copy: int | None = None,
    ) -> str:
        """Map every same-sheet reference in *formula* (with or without ``=``).

        References qualified with *sheet* (the template sheet's name) are
        mapped and re-qualified with *new_sheet*; other sheets are untouched.
        """
        lead = formula.startswith("=")
        parts = list(_tokens(formula if lead else "=" + formula))
        changed = False
        for i, (value, is_range) in enumerate(parts):
            if not is_range:
                continue
            qual, ref = split_sheet(value)
            if qual is not None and qual != sheet:
                continue
            new = self.range_ref(ref, on_copy=on_copy)
            if qual is not None:
                new = f"{quote_sheet(new_sheet or qual)}!{new}"
            if new != value:
                parts[i] = (new, True)
                changed = True
        if not changed:
            return formula
        text = "=" + "".join(value for value, _ in parts)
        return text if lead else text[1:]


@remembered(4096)
def _tokens(formula: str) -> tuple[tuple[str, bool], ...]:
    """The formula's tokens as (text, is a range operand); parsed once per distinct formula."""
    return tuple(
        (item.value, item.type == Token.OPERAND and item.subtype == Token.RANGE)
        for item in Tokenizer(formula).items
    )
