"""The hidden sheet of framework lists and the workbook names that point at it.

Dropdowns (data validation) and check formulas refer to these names, never to
cells, so the lists can grow without touching a project sheet:

======================  ============================================
name                    contents
======================  ============================================
``一级指标``             :data:`~xltargets.framework.LEVEL1`
``二级指标``             every 二级 of either generation
``二级_<一级>``          the 二级 allowed under that 一级 (current first)
``项目性质``             :data:`~xltargets.framework.PROJECT_NATURES`
``项目类别``             :data:`~xltargets.framework.PROJECT_CATEGORIES`
``计量单位``             :data:`~xltargets.framework.UNITS`
``定性指标值``           qualitative values and assessment grades
======================  ============================================
"""

from __future__ import annotations

import functools

from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from .. import framework as fw

__all__ = ["LISTS_SHEET", "LEVEL2_PREFIX", "framework_lists", "ensure_lists"]

#: Title of the hidden sheet holding the lists.
LISTS_SHEET = "下拉列表"

#: Prefix of the per-一级 names: ``二级_产出指标``.
LEVEL2_PREFIX = "二级_"


def framework_lists() -> dict[str, tuple[str, ...]]:
    """Name → values, in the column order of the hidden sheet."""
    lists: dict[str, tuple[str, ...]] = {
        "一级指标": fw.LEVEL1,
        "二级指标": fw.ALL_LEVEL2,
    }
    for level1 in fw.LEVEL1:
        lists[LEVEL2_PREFIX + level1] = fw.allowed_level2(level1)
    lists["项目性质"] = tuple(fw.PROJECT_NATURES)
    lists["项目类别"] = fw.PROJECT_CATEGORIES
    lists["计量单位"] = fw.UNITS
    lists["定性指标值"] = tuple(dict.fromkeys(fw.QUALITATIVE_VALUES + fw.ASSESSMENT_GRADES))
    return lists


def _name_ref(col: int, values: tuple) -> str:
    letter = get_column_letter(col)
    return f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"


def _up_to_date(wb: Workbook, lists: dict[str, tuple[str, ...]]) -> bool:
    """True when rewriting the lists would leave *wb* exactly as it is."""
    ws = next((s for s in reversed(wb._sheets) if s.title == LISTS_SHEET), None)  # usually the last
    if not isinstance(ws, Worksheet) or ws.sheet_state != "hidden":
        return False
    want = {}
    for col, (name, values) in enumerate(lists.items(), start=1):
        want[(1, col)] = name
        for row, value in enumerate(values, start=2):
            want[(row, col)] = value
        dim = ws.column_dimensions.get(get_column_letter(col))
        if dim is None or dim.width != 24:
            return False
    cells = ws._cells
    if len(cells) != len(want):
        return False
    for key, cell in cells.items():
        if want.get(key) != cell._value or cell.data_type != "s" or cell.has_style or cell._hyperlink or cell._comment:
            return False
    names = list(wb.defined_names)
    if names[len(names) - len(lists):] != list(lists):
        return False
    for col, (name, values) in enumerate(lists.items(), start=1):
        ref = _name_ref(col, values)
        have = wb.defined_names[name]
        if have.attr_text != ref or tuple(have) != _fresh_name(name, ref):
            return False
    return True


@functools.lru_cache(maxsize=256)
def _fresh_name(name: str, ref: str) -> tuple:
    """The attributes of the DefinedName ensure_lists writes."""
    return tuple(DefinedName(name, attr_text=ref))


def ensure_lists(wb: Workbook) -> None:
    """Add (or refresh) the hidden lists sheet and its names in *wb*.

    The sheet is rewritten from :mod:`xltargets.framework` each time, so a
    workbook saved again picks up an extended framework (a sheet and names
    already exactly as they would be written are left alone: the same result,
    and rendering a thousand forms does not rewrite them a thousand times).
    """
    lists = framework_lists()
    if _up_to_date(wb, lists):
        return
    if LISTS_SHEET in wb.sheetnames:
        ws = wb[LISTS_SHEET]
        ws.delete_rows(1, ws.max_row)
    else:
        ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    for col, (name, values) in enumerate(lists.items(), start=1):
        ws.cell(row=1, column=col, value=name)
        for row, value in enumerate(values, start=2):
            ws.cell(row=row, column=col, value=value)
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = 24
        ref = _name_ref(col, values)
        if name in wb.defined_names:
            del wb.defined_names[name]
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
