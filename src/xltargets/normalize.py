"""``xltargets normalize``: write the canonical 指标值 (``≥50(%)``) where the user chose to.

The importer keeps every 指标值 as written (``不低于50%``); rule XLT-W043 suggests the
canonical text. Normalising is the user's explicit action, never a side effect:
:func:`normalize_workbook` writes a *new* workbook (the input is never changed) in
which each suggested 指标值 cell holds its canonical text, and returns what it
changed. VBA of an .xlsm is kept.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .model import Declaration, QualitativeTarget, QuantitativeTarget

__all__ = ["Change", "suggestions", "normalize_workbook", "check_output"]


@dataclass(frozen=True)
class Change:
    """One 指标值 cell: where it is, the text written there, the canonical text."""

    project: str
    sheet: str | None
    cell: str
    written: str
    canonical: str


def suggestions(decl: Declaration) -> list[Change]:
    """Every 指标值 whose written text differs from its canonical form, in form order.

    Unreadable values (no canonical form) and values made of several cells (split
    value columns: no one cell to rewrite) are left out.
    """
    out = []
    for p in decl.projects:
        for ind in p.indicators:
            t = ind.target
            if not isinstance(t, (QuantitativeTarget, QualitativeTarget)) or not ind.value_raw:
                continue
            canonical = ind.canonical
            cell = ind.origin.cells.get("value") if ind.origin else None
            if canonical == ind.value_raw or not cell:
                continue
            out.append(Change(p.name, ind.origin.sheet, cell, ind.value_raw, canonical))
    return out


def check_output(src: Path, out: Path) -> None:
    """WorkbookError unless *out* has *src*'s suffix: the copy keeps its kind (and its VBA), and a
    workbook saved under the other suffix is one Excel refuses to open."""
    from .fileio import require_suffix

    src = Path(src)
    if src.suffix.lower() in (".xlsx", ".xlsm"):
        why = f"（与“{src.name}”相同{'，保留其中的宏' if src.suffix.lower() == '.xlsm' else ''}）"
        require_suffix(Path(out), (src.suffix.lower(),), "规范后的工作簿", why=why)


KEEP_HINT = (
    "运行 xltargets normalize --dry-run 列出要改写的单元格，在 Excel 或 WPS 中手工改写（这些内容保留）；"
    "或先把这些内容移到另一个工作簿后重试。"
)


def normalize_workbook(src: Path, out: Path, decl: Declaration) -> list[Change]:
    """Write *src* to *out* with each of :func:`suggestions` applied; *decl* is *src* as imported.

    Only cells that still hold exactly the written text are changed (a value joined
    from split columns is left as it is). Returns the changes made.
    """
    from openpyxl import load_workbook

    from .fileio import atomic_write
    from .workbook.keeps import objects, quiet_load, require_kept
    from .workbook.values import write_value

    src, out = Path(src), Path(out)
    if src.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(
            f"“{src.name}”不是 xlsx/xlsm 工作簿，无法就地规范指标值。",
            hint="先用 xltargets import 生成申报工作簿，再对它运行 normalize。",
            path=str(src),
            en=f"cannot normalize {src.name}: only xlsx/xlsm workbooks",
        )
    check_output(src, out)
    wanted = suggestions(decl)
    keep_vba = src.suffix.lower() == ".xlsm"
    before = objects(src)  # text boxes, form controls … that openpyxl does not keep
    wb = quiet_load(load_workbook, src, keep_vba=keep_vba, rich_text=True)  # words in red or bold keep their look
    done: list[Change] = []
    for ch in wanted:
        if ch.sheet not in wb.sheetnames:
            continue
        cell = wb[ch.sheet][ch.cell]
        if cell.value is None or str(cell.value).strip() != ch.written:
            continue
        write_value(cell, ch.canonical)
        done.append(ch)
    buf = io.BytesIO()
    wb.save(buf)
    require_kept(src, before, buf.getvalue(), hint=KEEP_HINT)
    atomic_write(out, lambda tmp: tmp.write_bytes(buf.getbuffer()))
    return done
