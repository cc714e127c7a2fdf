"""A sheet as a grid of cell texts, whatever it was read from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from ..text import cell_text
from .cells import label_of
from .cellref import cell_ref

__all__ = ["Grid", "text_row"]


def _text(value: Any) -> str:
    """:func:`cell_text`, with a fast path for the empty and plain text cells most sheets hold."""
    if value.__class__ is str:
        if not value:
            return value
        if "\r" in value or "\u00a0" in value:
            return cell_text(value)
        return value.strip()
    return cell_text(value)


def text_row(values: Sequence[Any]) -> list[str]:
    """A row of cell values as a grid holds it: each cell's :func:`cell_text` (:func:`_text`, with its
    fast paths for the empty cells, most, and plain text inline)."""
    return [
        ("" if not v else v.strip() if "\r" not in v and "\u00a0" not in v else cell_text(v))
        if v.__class__ is str
        else cell_text(v)
        for v in values
    ]


@dataclass
class Grid:
    """Rows of cell texts (0-based), with where they came from.

    ``rows[r][c]`` is the text a person sees in the cell; merged areas are
    empty except their top-left cell, exactly as in a TSV export.
    """

    rows: list[list[str]]
    sheet: str | None = None
    file: str | None = None
    #: cells whose text is a formula's (a typed ``=10.00(所)`` the spreadsheet made a formula
    #: of, :mod:`.formulas`): (row, col) → the formula text, or None where the file lost it
    #: (an .xls LibreOffice wrote: the cell keeps its error text)
    formulas: dict = field(default_factory=dict)
    #: the number formats of the sheet (:class:`.numfmt.SheetFormats`), when it has them: a number
    #: is read as it is displayed (0.95 formatted 0% is "95%")
    formats: object = None

    # A grid is read once and then only looked at: the forms reader asks for the
    # non-empty cells of each row many times, so they are worked out once, row by row
    # on first use (``_row_cells``: a :class:`_Labelled`).
    # Not pickled. :meth:`release` lets rows go once their forms are read.

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_row_cells", None)
        return state

    @classmethod
    def from_values(cls, values: Sequence[Sequence[Any]], *, sheet=None, file=None) -> "Grid":
        return cls(rows=[text_row(row) for row in values], sheet=sheet, file=file)

    @classmethod
    def from_texts(cls, rows: list[list[str]], *, sheet=None, file=None) -> "Grid":
        """A grid of *rows* that are already texts (each cell a ``str`` as :func:`cell_text` gives it)."""
        return cls(rows=rows, sheet=sheet, file=file)

    @property
    def height(self) -> int:
        return len(self.rows)

    def get(self, r: int, c: int) -> str:
        if 0 <= r < len(self.rows):
            row = self.rows[r]
            if 0 <= c < len(row):
                return row[c]
        return ""

    def row(self, r: int) -> list[str]:
        return self.rows[r] if 0 <= r < len(self.rows) else []

    def nonempty(self, r: int) -> list[tuple[int, str]]:
        """(col, text) of the non-empty cells of row *r*, left to right."""
        return [(c, t) for c, t, _ in self.labelled(r)]

    def labelled(self, r: int) -> tuple[tuple[int, str, str], ...]:
        """(col, text, :func:`~.cells.normalise_label` of text) of the non-empty cells of
        row *r*, left to right; worked out once per row (the rows must not change after)."""
        if 0 <= r < len(self.rows):
            cells = (self.__dict__.get("_row_cells") or self.labelled_rows())._by_row[r]
            return self._row_cells[r] if cells is None else cells
        return ()

    def labelled_rows(self) -> "_Labelled":
        """:meth:`labelled` of every row, indexed by row (for loops over many rows)."""
        cells = self.__dict__.get("_row_cells")
        if cells is None:
            cells = self._row_cells = _Labelled(self.rows)
        return cells

    def scan(self):
        """:meth:`labelled` of every row in order, without keeping those not yet worked out
        (a pass over a whole large grid that looks at most rows once)."""
        cells = self.labelled_rows()
        for r in range(len(cells)):
            yield cells.peek(r)

    def forget(self) -> None:
        """Drop what :meth:`labelled` worked out (worked out again when asked)."""
        self.__dict__.pop("_row_cells", None)

    def release(self, start: int, end: int) -> None:
        """Let rows *start* to *end* (excluded) go, and what was worked out for them: they read as
        empty after. For a grid whose forms are read in order, once a form's rows are read."""
        cells = self.labelled_rows()
        for r in range(max(start, 0), min(end, len(self.rows))):
            self.rows[r] = ()
            cells.drop(r)

    def holds(self, text: str) -> bool:
        """Whether the text of a cell contains *text*."""
        holds = getattr(self.rows, "holds", None)  # rows split from a text when asked for (.textrows)
        return holds(text) if holds is not None else any(text in t for row in self.rows for t in row)

    def ref(self, r: int, c: int) -> str:
        return cell_ref(r, c)


class _Labelled:
    """The labelled cells of each row of a grid (:meth:`Grid.labelled`), worked out when a row is
    first asked for and kept until :meth:`Grid.forget` or :meth:`Grid.release`."""

    __slots__ = ("_rows", "_by_row")

    def __init__(self, rows: list[list[str]]) -> None:
        self._rows = rows
        self._by_row: list = [None] * len(rows)

    def __len__(self) -> int:
        return len(self._by_row)

    def __getitem__(self, r: int) -> tuple[tuple[int, str, str], ...]:
        cells = self._by_row[r]
        if cells is None:
            cells = self._by_row[r] = self.peek(r)
        return cells

    def __iter__(self):
        by_row = self._by_row
        if None in by_row:  # every row asked for: those not worked out yet, in one pass
            by_row[:] = [
                tuple([(c, t, label_of(t)) for c, t in enumerate(row) if t]) if cells is None else cells
                for cells, row in zip(by_row, self._rows)
            ]
        return iter(by_row)

    def peek(self, r: int) -> tuple[tuple[int, str, str], ...]:
        """Row *r*'s labelled cells, kept only if they were already."""
        cells = self._by_row[r]
        if cells is None:
            cells = tuple([(c, t, label_of(t)) for c, t in enumerate(self._rows[r]) if t])
        return cells

    def drop(self, r: int) -> None:
        self._by_row[r] = ()

    def kept(self) -> int:
        """How many rows have had their labelled cells worked out (a row let go by :meth:`drop` counts)."""
        return sum(1 for cells in self._by_row if cells is not None)
