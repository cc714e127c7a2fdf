"""A1-style cell references."""

from __future__ import annotations

__all__ = ["col_letters", "cell_ref", "COLUMNS"]


def _letters(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


#: the letters of the columns a form uses (A … ZZ), worked out once: ``COLUMNS[c]``
COLUMNS: tuple[str, ...] = tuple(_letters(c) for c in range(26 * 27))
_COLUMNS = COLUMNS


def col_letters(col: int) -> str:
    """0-based column index → ``A``, ``B`` … ``AA``."""
    if col < 0:
        raise ValueError(col)
    if col < len(_COLUMNS):
        return _COLUMNS[col]
    return _letters(col)


def cell_ref(row: int, col: int) -> str:
    """0-based (row, col) → ``B5``."""
    if 0 <= col < len(_COLUMNS):
        return f"{_COLUMNS[col]}{row + 1}"
    return f"{col_letters(col)}{row + 1}"
