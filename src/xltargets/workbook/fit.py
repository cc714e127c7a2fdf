"""Row heights that show wrapped text whole.

Excel and LibreOffice keep a row's stored height, so a long 三级指标 or
年度总体目标 would be cut off in print. The height is estimated from the text:
CJK and full-width characters count two width units, others one, against the
width of the (merged) cell.
"""

from __future__ import annotations

import math
import unicodedata

from ..memo import remembered

__all__ = ["text_units", "lines_needed", "row_height"]

#: points per line for a font of 1 pt (line spacing of 宋体/SimSun in Excel)
LINE_FACTOR = 1.36
#: width units lost to cell padding
PADDING = 1.2


@remembered(1 << 16)
def text_units(text: str) -> float:
    """Width of *text* in column-width units (a CJK character is two)."""
    return sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.05 for ch in text)


def lines_needed(text: str, width: float) -> int:
    """Lines *text* takes in a cell *width* units wide, with wrapping."""
    usable = max(width - PADDING, 1.0)
    return sum(max(1, math.ceil(text_units(part) / usable)) for part in str(text).split("\n"))


@remembered(1 << 14)
def row_height(text: str, width: float, font_size: float = 11.0, *, minimum: float = 0.0) -> float:
    """Height (points) of a row holding *text* wrapped in a cell *width* units wide."""
    lines = lines_needed(text, width)
    needed = lines * font_size * LINE_FACTOR + 4
    return round(max(minimum, needed), 2)
