"""The Excel layer: the only package of xltargets that imports xlwings.

Thin entry points: a ribbon action or a worksheet function reads cells,
calls one core function and writes cells. ``adapter`` alone touches
desktop-only parts of xlwings (``Book.caller()``, the status bar, opening
files), so the same actions can run on xlwings' remote engine.
"""
