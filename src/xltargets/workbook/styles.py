"""Copying cell styles from the template workbook into another workbook, fast.

Styles are indices into a workbook's own tables, so a style cannot be copied
across workbooks as is. The first cell of each template style is copied
attribute by attribute; the resulting target style is remembered and given
to every later cell with the same template style (about 6× faster than
copying attributes each time).
"""

from __future__ import annotations

import weakref
from copy import copy

from openpyxl.cell.cell import Cell
from openpyxl.workbook.workbook import Workbook

__all__ = ["copy_style", "target_style"]

#: target workbook → template workbook → template style → target style
_CACHE: "weakref.WeakKeyDictionary[Workbook, weakref.WeakKeyDictionary]" = weakref.WeakKeyDictionary()


def target_style(src: Cell, dst: Cell):
    """The style array *dst* gets from :func:`copy_style` (registered in *dst*'s workbook), not copied.

    The caller copies it before giving it to a cell. None when *src* has no style.
    """
    if not src.has_style:
        return None
    if src.parent.parent is dst.parent.parent:
        return src._style
    per_source = _CACHE.setdefault(dst.parent.parent, weakref.WeakKeyDictionary())
    cache = per_source.setdefault(src.parent.parent, {})
    style = cache.get(tuple(src._style))
    if style is None:
        copy_style(src, dst)
        style = cache[tuple(src._style)]
    return style


def copy_style(src: Cell, dst: Cell) -> None:
    """Give *dst* the look of *src* (font, border, fill, number format, alignment, protection)."""
    if not src.has_style:
        return
    if src.parent.parent is dst.parent.parent:
        dst._style = copy(src._style)
        return
    per_source = _CACHE.setdefault(dst.parent.parent, weakref.WeakKeyDictionary())
    cache = per_source.setdefault(src.parent.parent, {})
    key = tuple(src._style)
    style = cache.get(key)
    if style is None:
        dst.font = copy(src.font)
        dst.border = copy(src.border)
        dst.fill = copy(src.fill)
        dst.number_format = src.number_format
        dst.alignment = copy(src.alignment)
        dst.protection = copy(src.protection)
        dst.quotePrefix = src.quotePrefix
        cache[key] = copy(dst._style)
    else:
        dst._style = copy(style)
