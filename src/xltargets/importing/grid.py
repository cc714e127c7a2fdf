"""A sheet as a grid of cell texts, whatever it was read from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from .cells import cell_text
from .cellref import cell_ref

__all__ = ["Grid"]


@dataclass
class Grid:
    """Rows of cell texts (0-based), with where they came from.

    ``rows[r][c]`` is the text a person sees in the cell; merged areas are
    empty except their top-left cell, exactly as in a TSV export.
    """

    rows: list[list[str]]
    sheet: str | None = None
    file: str | None = None
    #: (row, col) of cells whose value was a number/date in the source (not text)
    typed: set[tuple[int, int]] = field(default_factory=set)

    @classmethod
    def from_values(cls, values: Sequence[Sequence[Any]], *, sheet=None, file=None) -> "Grid":
        rows: list[list[str]] = []
        typed: set[tuple[int, int]] = set()
        for r, row in enumerate(values):
            out = []
            for c, v in enumerate(row):
                if v is not None and not isinstance(v, str):
                    typed.add((r, c))
                out.append(cell_text(v))
            rows.append(out)
        return cls(rows=rows, sheet=sheet, file=file, typed=typed)

    @property
    def height(self) -> int:
        return len(self.rows)

    def get(self, r: int, c: int) -> str:
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return ""

    def row(self, r: int) -> list[str]:
        return self.rows[r] if 0 <= r < len(self.rows) else []

    def nonempty(self, r: int) -> list[tuple[int, str]]:
        """(col, text) of the non-empty cells of row *r*, left to right."""
        return [(c, t) for c, t in enumerate(self.row(r)) if t]

    def ref(self, r: int, c: int) -> str:
        return cell_ref(r, c)
