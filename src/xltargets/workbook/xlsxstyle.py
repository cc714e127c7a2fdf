"""openpyxl styles (as read from the template) as XlsxWriter format properties.

The template is an ordinary .xlsx a finance officer may restyle in Excel; it
is read with openpyxl. New workbooks are written with XlsxWriter, whose
formats are property dicts: :func:`format_props` translates a template
cell's font, fill, border, alignment, number format and protection, and
:func:`dxf_props` a conditional format's differential style.
"""

from __future__ import annotations

from typing import Any

__all__ = ["format_props", "dxf_props", "color"]

_BORDERS = {
    "thin": 1, "medium": 2, "dashed": 3, "dotted": 4, "thick": 5, "double": 6, "hair": 7,
    "mediumDashed": 8, "dashDot": 9, "mediumDashDot": 10, "dashDotDot": 11, "mediumDashDotDot": 12,
    "slantDashDot": 13,
}
_VERTICAL = {"center": "vcenter", "top": "top", "bottom": "bottom", "justify": "vjustify", "distributed": "vdistributed"}
_HORIZONTAL = {"centerContinuous": "center_across"}
_UNDERLINE = {"single": 1, "double": 2, "singleAccounting": 33, "doubleAccounting": 34}
_PATTERNS = {
    "solid": 1, "mediumGray": 2, "darkGray": 3, "lightGray": 4, "darkHorizontal": 5, "darkVertical": 6,
    "darkDown": 7, "darkUp": 8, "darkGrid": 9, "darkTrellis": 10, "lightHorizontal": 11, "lightVertical": 12,
    "lightDown": 13, "lightUp": 14, "lightGrid": 15, "lightTrellis": 16, "gray125": 17, "gray0625": 18,
}


def color(c) -> str | None:
    """``#RRGGBB`` of an openpyxl Color given as ARGB, else None (theme and indexed colours are left out)."""
    if c is None or getattr(c, "type", "rgb") != "rgb":
        return None
    rgb = c.rgb
    if isinstance(rgb, str) and len(rgb) in (6, 8):
        return "#" + rgb[-6:]
    return None


def _font(props: dict, font) -> None:
    if font is None:
        return
    if font.name:
        props["font_name"] = font.name
    if font.sz:
        props["font_size"] = float(font.sz)
    if font.b:
        props["bold"] = True
    if font.i:
        props["italic"] = True
    if font.u:
        props["underline"] = _UNDERLINE.get(font.u, 1)
    if font.strike:
        props["font_strikeout"] = True
    if font.vertAlign == "superscript":
        props["font_script"] = 1
    elif font.vertAlign == "subscript":
        props["font_script"] = 2
    c = color(font.color)
    if c:
        props["font_color"] = c


def format_props(cell, *, quote: bool = False) -> dict[str, Any]:
    """XlsxWriter format properties of an openpyxl cell's style (plus the quote prefix when asked)."""
    props: dict[str, Any] = {}
    if cell.has_style:
        _font(props, cell.font)
        fill = cell.fill
        pattern = getattr(fill, "fill_type", None)
        if pattern in _PATTERNS:
            props["pattern"] = _PATTERNS[pattern]
            fg, bg = color(fill.fgColor), color(fill.bgColor)
            if pattern == "solid":
                if fg:
                    props["bg_color"] = fg
            else:
                if fg:
                    props["fg_color"] = fg
                if bg:
                    props["bg_color"] = bg
        b = cell.border
        for side in ("left", "right", "top", "bottom"):
            s = getattr(b, side)
            if s is not None and s.style:
                props[side] = _BORDERS.get(s.style, 1)
                c = color(s.color)
                if c:
                    props[f"{side}_color"] = c
        d = b.diagonal
        if d is not None and d.style and (b.diagonalUp or b.diagonalDown):
            props["diag_type"] = 3 if b.diagonalUp and b.diagonalDown else (1 if b.diagonalUp else 2)
            props["diag_border"] = _BORDERS.get(d.style, 1)
            c = color(d.color)
            if c:
                props["diag_color"] = c
        a = cell.alignment
        if a.horizontal and a.horizontal != "general":
            props["align"] = _HORIZONTAL.get(a.horizontal, a.horizontal)
        if a.vertical:
            props["valign"] = _VERTICAL.get(a.vertical, a.vertical)
        if a.wrap_text:
            props["text_wrap"] = True
        if a.shrink_to_fit:
            props["shrink"] = True
        if a.indent:
            props["indent"] = int(a.indent)
        if a.text_rotation:
            props["rotation"] = int(a.text_rotation)
        if cell.number_format and cell.number_format != "General":
            props["num_format"] = cell.number_format
        if cell.protection.locked is False:
            props["locked"] = False
        if cell.protection.hidden:
            props["hidden"] = True
        if cell.quotePrefix:
            props["quote_prefix"] = True
    if quote:
        props["quote_prefix"] = True
    return props


def dxf_props(dxf) -> dict[str, Any]:
    """XlsxWriter format properties of a conditional format's differential style."""
    props: dict[str, Any] = {}
    if dxf is None:
        return props
    if dxf.font is not None:
        f = dxf.font
        if f.b:
            props["bold"] = True
        if f.i:
            props["italic"] = True
        if f.u:
            props["underline"] = _UNDERLINE.get(f.u, 1)
        if f.strike:
            props["font_strikeout"] = True
        c = color(f.color)
        if c:
            props["font_color"] = c
    if dxf.fill is not None:
        c = color(dxf.fill.bgColor) or color(dxf.fill.fgColor)
        if c:
            props["bg_color"] = c
    if dxf.border is not None:
        for side in ("left", "right", "top", "bottom"):
            s = getattr(dxf.border, side)
            if s is not None and s.style:
                props[side] = _BORDERS.get(s.style, 1)
                c = color(s.color)
                if c:
                    props[f"{side}_color"] = c
    if dxf.numFmt is not None:
        props["num_format"] = dxf.numFmt.formatCode
    return props
