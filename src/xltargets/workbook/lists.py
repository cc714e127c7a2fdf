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

from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook

from .. import framework as fw

__all__ = ["LISTS_SHEET", "LEVEL2_PREFIX", "framework_lists", "ensure_lists", "write_lists", "list_names"]

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


def ensure_lists(wb: Workbook) -> None:
    """Add (or refresh) the hidden lists sheet and its names in an openpyxl workbook.

    The sheet is rewritten from :mod:`xltargets.framework` each time, so a
    workbook saved again picks up an extended framework.
    """
    lists = framework_lists()
    if LISTS_SHEET in wb.sheetnames:
        ws = wb[LISTS_SHEET]
        ws.delete_rows(1, ws.max_row)
    else:
        ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    for col, (name, values) in enumerate(lists.items(), start=1):
        ws.cell(row=1, column=col, value=name).data_type = "s"
        for row, value in enumerate(values, start=2):
            ws.cell(row=row, column=col, value=value).data_type = "s"
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = 24
        ref = _name_ref(col, values)
        if name in wb.defined_names:
            del wb.defined_names[name]
        wb.defined_names[name] = DefinedName(name, attr_text=ref)


def write_lists(workbook, ws) -> None:
    """Fill the hidden lists sheet *ws* of a new XlsxWriter *workbook* and define its names."""
    from .xlsxform import openpyxl_margins, set_width

    openpyxl_margins(ws)
    lists = framework_lists()
    columns = [(name, *values) for name, values in lists.items()]
    for row in range(max(len(c) for c in columns)):  # row by row (constant_memory)
        for col, column in enumerate(columns):
            if row < len(column):
                ws.write_string(row, col, column[row])
    for col in range(1, len(lists) + 1):
        set_width(ws, col, col, 24)
    list_names(workbook, ws)


def list_names(workbook, ws) -> None:
    """The lists' workbook names (一级指标 …) in a new XlsxWriter *workbook*, and the lists sheet *ws* hidden."""
    for col, (name, values) in enumerate(framework_lists().items(), start=1):
        workbook.define_name(name, "=" + _name_ref(col, values))
    ws.hide()
