"""Legal, unique worksheet names made from 项目名称.

Excel's rules: 1–31 characters, none of ``[ ] : * ? / \\``, not starting or
ending with an apostrophe, not ``History``, unique without regard to case.
Forbidden characters become their full-width look-alikes so the name still
reads the same; the project's real name always stays in its cell.
"""

from __future__ import annotations

from typing import Iterable

__all__ = ["MAX_LEN", "legal_sheet_name", "unique_sheet_name", "sheet_names_for"]

MAX_LEN = 31

_REPLACE = str.maketrans({
    "[": "［", "]": "］", ":": "：", "*": "＊", "?": "？", "/": "／", "\\": "＼",
    "\n": " ", "\r": " ", "\t": " ",
})
_RESERVED = {"history"}
#: the sheets the Excel and WPS add-ins write themselves (``xltargets.pipeline.ADDIN_SHEETS``, a test keeps them
#: equal): never a project's. A project named 校验结果 got that sheet; the add-ins skip it when they read the
#: workbook, and 校验 cleared it to write its results there (the form's cells lost)
_ADDIN = {"校验结果", "_xlt_marks"}


def _units(text: str) -> int:
    """Length as Excel counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, limit: int) -> str:
    out = ""
    for ch in text:
        if _units(out + ch) > limit:
            break
        out += ch
    return out


def legal_sheet_name(name: str, *, fallback: str = "项目") -> str:
    """*name* made acceptable to Excel (not yet unique)."""
    text = " ".join(str(name).translate(_REPLACE).split())
    text = "".join(ch for ch in text if ch.isprintable())
    text = text.strip("'").strip()
    text = _cut(text, MAX_LEN).strip().rstrip("'")
    if not text or text.lower() in _RESERVED:
        text = fallback
    return text


def unique_sheet_name(
    name: str, taken: Iterable[str], *, fallback: str = "项目", lowered: set[str] | None = None
) -> str:
    """A legal name for *name* not in *taken* (case-insensitive): adds ``(2)``, ``(3)`` …

    A caller adding many sheets may pass *lowered*, the taken names already
    lower-cased, instead of *taken*.
    """
    used = lowered if lowered is not None else {t.lower() for t in taken}
    base = legal_sheet_name(name, fallback=fallback)
    if base.lower() not in used and base.lower() not in _ADDIN:
        return base
    n = 2
    while True:
        suffix = f"({n})"
        cand = _cut(base, MAX_LEN - _units(suffix)).rstrip().rstrip("'") + suffix
        if cand.lower() not in used:
            return cand
        n += 1


def sheet_names_for(names: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """Unique legal sheet names for project names, in order."""
    used = list(taken)
    out = []
    for i, name in enumerate(names, start=1):
        sheet = unique_sheet_name(name, used, fallback=f"项目{i}")
        used.append(sheet)
        out.append(sheet)
    return out
