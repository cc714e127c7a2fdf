"""One 财政项目支出绩效目标申报表 written into a sheet at a given row.

This is the consolidation's own layout of the official form (six columns,
the seed's labels, merged 一级/二级 cells), used to stack the forms in the
汇总表 sheet. The labels are exactly those of the published form, so the
importer reads the 汇总表 back by the same label-based path.
"""

from __future__ import annotations

from itertools import groupby

from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from ..model import Project
from .cells import box, font, put, wrapped_height

__all__ = ["FORM_COLUMNS", "FORM_TITLE", "write_form"]

FORM_TITLE = "财政项目支出绩效目标申报表"

#: Column widths (Excel units) of the form: A label, B–F content.
FORM_COLUMNS: dict[str, float] = {"A": 12, "B": 15, "C": 14, "D": 16, "E": 12, "F": 19}

_W = list(FORM_COLUMNS.values())
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
_TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True, indent=1)
_RIGHT = Alignment(horizontal="right", vertical="center", wrap_text=True, indent=1)
_BODY = font()
_BOLD = font(bold=True)
_ROW = 20.0  # minimum height of a form row (points)


def _width(c1: int, c2: int) -> float:
    return sum(_W[c1 - 1 : c2])


def _height(*cells: tuple[object, int, int]) -> float:
    """Row height fitting every (text, first column, last column) given."""
    h = _ROW
    for text, c1, c2 in cells:
        if text not in (None, ""):
            h = max(h, wrapped_height(str(text), _width(c1, c2)))
    return h


def _label(ws: Worksheet, row: int, c1: int, text: str, r2: int | None = None, c2: int | None = None) -> None:
    put(ws, row, c1, text)
    box(ws, row, c1, r2, c2, font_=_BOLD, align=_CENTER)


def _value(ws: Worksheet, row: int, c1: int, value, c2: int | None = None, *, align: Alignment = _LEFT) -> None:
    if value is not None and value != "":
        put(ws, row, c1, value)
    box(ws, row, c1, None, c2, font_=_BODY, align=align)


def write_form(ws: Worksheet, project: Project, start_row: int = 1, *, year: int | None = None) -> int:
    """Write *project*'s form with its top at *start_row*; return the number of rows used."""
    r = start_row
    y = project.year or year or (project.start.year if project.start else None)

    put(ws, r, 1, FORM_TITLE)
    box(ws, r, 1, r, 6, font_=font(16, bold=True), align=_CENTER, border=None)
    ws.row_dimensions[r].height = 30
    r += 1
    put(ws, r, 1, f"({y}年度)" if y else "(    年度)")
    box(ws, r, 1, r, 6, font_=font(11), align=_CENTER, border=None)
    ws.row_dimensions[r].height = 20
    r += 1

    # header block
    _label(ws, r, 1, "项目名称")
    _value(ws, r, 2, project.name)
    _label(ws, r, 3, "项目性质")
    _value(ws, r, 4, project.nature)
    _label(ws, r, 5, "项目类别")
    _value(ws, r, 6, project.category)
    ws.row_dimensions[r].height = _height((project.name, 2, 2), (project.nature, 4, 4), (project.category, 6, 6))
    r += 1
    _label(ws, r, 1, "主管部门")
    _value(ws, r, 2, project.department)
    _label(ws, r, 3, "实施单位")
    _value(ws, r, 4, project.unit, 6)
    ws.row_dimensions[r].height = _height((project.department, 2, 2), (project.unit, 4, 6))
    r += 1
    _label(ws, r, 1, "计划开始日期")
    _value(ws, r, 2, project.start, align=_CENTER)
    _label(ws, r, 3, "计划完成日期")
    _value(ws, r, 4, project.end, 6, align=_CENTER)
    ws.row_dimensions[r].height = _height(("计划开始日期", 1, 1))
    r += 1

    # 项目资金 (元)
    f = project.funds
    rows = [
        ("项目资金总额", f.total, "年度资金申请总额", f.annual),
        ("其中：财政资金", f.total_fiscal, "其中：当年财政拨款", f.annual_fiscal),
        (None, None, "上年结转资金", f.annual_carryover),
        ("其他资金", f.total_other, "其他资金", f.annual_other),
    ]
    _label(ws, r, 1, "项目资金 (元)", r + 3, 1)
    for i, (left, left_value, right, right_value) in enumerate(rows):
        if left is None:
            box(ws, r + i, 2, font_=_BODY, align=_CENTER)
        else:
            _label(ws, r + i, 2, left)
        _value(ws, r + i, 3, left_value, align=_RIGHT)
        _label(ws, r + i, 4, right)
        _value(ws, r + i, 5, right_value, 6, align=_RIGHT)
        ws.row_dimensions[r + i].height = _ROW
    r += 4

    # 项目绩效目标
    _label(ws, r, 1, "项目 绩效 目标", r + 1, 1)
    _label(ws, r, 2, "项目总目标", None, 3)
    _label(ws, r, 4, "年度总体目标", None, 6)
    ws.row_dimensions[r].height = _height(("项目 绩效 目标", 1, 1))
    r += 1
    _value(ws, r, 2, project.total_goal, 3, align=_TOP_LEFT)
    _value(ws, r, 4, project.annual_goal, 6, align=_TOP_LEFT)
    ws.row_dimensions[r].height = _height((project.total_goal, 2, 3), (project.annual_goal, 4, 6))
    r += 1

    # 绩效指标
    n = len(project.indicators)
    _label(ws, r, 1, "绩效 指标", r + n, 1)
    for col, (text, c2) in zip((2, 3, 4, 6), (("一级指标", 2), ("二级指标", 3), ("三级指标", 5), ("年度(/项目)指标值", 6))):
        _label(ws, r, col, text, None, c2)
    ws.row_dimensions[r].height = _height(("年度(/项目)指标值", 6, 6))
    r += 1
    first = r
    for ind in project.indicators:
        _value(ws, r, 4, ind.level3, 5)
        _value(ws, r, 6, ind.value, align=_CENTER)
        ws.row_dimensions[r].height = _height((ind.level1, 2, 2), (ind.level2, 3, 3), (ind.level3, 4, 5), (ind.value, 6, 6))
        r += 1
    # merged 一级 cells over runs of equal 一级, 二级 over runs of equal (一级, 二级)
    row = first
    for level1, run1 in groupby(project.indicators, key=lambda i: i.level1):
        run1 = list(run1)
        _merged_text(ws, row, row + len(run1) - 1, 2, level1)
        sub = row
        for level2, run2 in groupby(run1, key=lambda i: i.level2):
            k = len(list(run2))
            _merged_text(ws, sub, sub + k - 1, 3, level2)
            sub += k
        row += len(run1)
    return r - start_row


def _merged_text(ws: Worksheet, r1: int, r2: int, col: int, text: str) -> None:
    if text:
        put(ws, r1, col, text)
    box(ws, r1, col, r2, col, font_=_BODY, align=_CENTER)
