"""A sheet as a grid of cell texts, whatever it was read from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from .cells import cell_text
from .cellref import cell_ref

__all__ = ["Grid"]


def _text(value: Any) -> str:
    """:func:`cell_text`, with a fast path for the empty and plain text cells most sheets hold."""
    if value.__class__ is str:
        if not value:
            return value
        if "\r" in value or "\u00a0" in value:
            return cell_text(value)
        return value.strip()
    return cell_text(value)


@dataclass
class Grid:
    """Rows of cell texts (0-based), with where they came from.

    ``rows[r][c]`` is the text a person sees in the cell; merged areas are
    empty except their top-left cell, exactly as in a TSV export.
    """

    rows: list[list[str]]
    sheet: str | None = None
    file: str | None = None

    @classmethod
    def from_values(cls, values: Sequence[Sequence[Any]], *, sheet=None, file=None) -> "Grid":
        return cls(rows=[[_text(v) for v in row] for row in values], sheet=sheet, file=file)

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
