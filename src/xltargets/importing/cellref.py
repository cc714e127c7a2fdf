"""A1-style cell references."""

from __future__ import annotations

__all__ = ["col_letters", "cell_ref"]


def col_letters(col: int) -> str:
    """0-based column index → ``A``, ``B`` … ``AA``."""
    if col < 0:
        raise ValueError(col)
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """0-based (row, col) → ``B5``."""
    return f"{col_letters(col)}{row + 1}"
