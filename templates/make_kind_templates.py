"""Build the 汇总表 templates of the other form kinds (issue 15 point 6) from scratch.

``python templates/make_kind_templates.py`` writes

* ``templates/self_assessment.xlsx`` – 项目支出绩效自评表: budget, execution,
  rate and score, 年度总体目标 with its 实际完成情况, and the indicators with
  年度指标值, 实际完成值, 分值, 得分 and 偏差原因;
* ``templates/department.xlsx`` – 部门整体支出绩效目标表: 部门名称, funds by
  source, 年度主要任务 as a table (one row a task: 任务, 主要内容, 金额, each as
  written), 整体绩效目标 and the indicator grid.

Same machinery as templates/declaration.xlsx (make_template.py): jinja2
expressions in the cells, ``{% for … %}`` marks a repeat row (the 部门整体 form
has two: its tasks, then its indicators), the print area gives the printed
columns. Each kind is printed on its own sheet of the 汇总表, so its columns
are sized for its own content. After the first run the .xlsx files are the
source of truth (restyle them in Excel).
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_template import BODY, GREY, LABEL, LEFT, RIGHT, TOP_LEFT, print_setup, put  # noqa: E402
from make_template import box as _box  # noqa: E402

FONT = "宋体"
MONEY = "#,##0.00"
#: 自评表: 一级 | 二级 (and the funds labels) | 三级 (and 年初预算数) | 年度指标值 (全年预算数) |
#: 实际完成值 (全年执行数) | 分值 | 得分 (执行率) | 偏差原因分析及改进措施
SELF_ASSESSMENT_WIDTHS = {"A": 10, "B": 16, "C": 22, "D": 18, "E": 14, "F": 8, "G": 8, "H": 22}
#: 部门整体: labels | 一级 (task, with C) | 二级 | 三级 (主要内容) | 指标值 (金额)
DEPARTMENT_WIDTHS = {"A": 12, "B": 14, "C": 18, "D": 38, "E": 16}
#: ``project.execution.<field>``, None when the form has no 预算执行情况
EXEC = "{{ project.execution.%s if project.execution else none }}"


def _sheet(title: str, last: str, widths: dict[str, float]):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    put(ws, "A1", title, font=Font(name=FONT, size=18, bold=True), border=None)
    ws.merge_cells(f"A1:{last}1")
    put(ws, "A2", "({{ project.year or '' }}年度)", font=Font(name=FONT, size=12), border=None)
    ws.merge_cells(f"A2:{last}2")
    ws.row_dimensions[1].height = 36
    ws.row_dimensions[2].height = 22
    return wb, ws


def box(ws, area: str, **kw) -> None:
    """make_template's box, also for a single cell."""
    _box(ws, area if ":" in area else f"{area}:{area}", **kw)
    if ":" not in area or area.split(":")[0] == area.split(":")[1]:
        ws.unmerge_cells(area if ":" in area else f"{area}:{area}")


def label(ws, area: str, text: str) -> None:
    box(ws, area, font=LABEL)
    first = ws[area.split(":")[0]]
    first.value = text or None
    first.fill = GREY


def value(ws, area: str, expr: str, *, align=LEFT, fmt=None) -> None:
    box(ws, area, font=BODY, align=align)
    area = area if ":" in area else f"{area}:{area}"
    first = ws[area.split(":")[0]]
    first.value = expr
    if fmt:
        for row in ws[area]:
            for cell in row:
                cell.number_format = fmt


def _print_setup(ws, last_col: str, last_row: int) -> None:
    """As the project form: A4 portrait, one page wide, centred, page numbers in the footer."""
    for row in range(3, last_row + 1):
        ws.row_dimensions[row].height = ws.row_dimensions[row].height or 24
    print_setup(ws, f"A1:{last_col}{last_row}")


def build_self_assessment(path: Path) -> None:
    wb, ws = _sheet("项目支出绩效自评表", "H", SELF_ASSESSMENT_WIDTHS)
    label(ws, "A3", "项目名称")
    value(ws, "B3:D3", "{{ project.name }}")
    label(ws, "E3", "主管部门")
    value(ws, "F3:H3", "{{ project.department }}")
    label(ws, "A4", "实施单位")
    value(ws, "B4:D4", "{{ project.unit }}")
    label(ws, "E4", "项目类别")
    value(ws, "F4:H4", "{{ project.category }}")
    # 项目资金: the 年度资金总额 row (budget, execution, weight, rate, score), then 当年财政拨款
    label(ws, "A5:A7", "项目资金\n（{{ project.money_unit }}）")
    label(ws, "B5", "")
    label(ws, "B6", "年度资金总额")
    label(ws, "B7", "其中：当年财政拨款")
    heads = {"C": ("年初预算数", "budget_initial", MONEY), "D": ("全年预算数", "budget", MONEY),
             "E": ("全年执行数", "executed", MONEY), "F": ("分值", "weight", None),
             "G": ("执行率", "rate", None), "H": ("得分", "score", None)}
    for col, (text, field, fmt) in heads.items():
        label(ws, f"{col}5", text)
        value(ws, f"{col}6", EXEC % field, align=RIGHT, fmt=fmt)
    value(ws, "C7", "{{ project.funds.annual_fiscal }}", align=RIGHT, fmt=MONEY)
    value(ws, "D7:H7", None)
    # 年度总体目标: expected and achieved
    label(ws, "A8:A9", "年度总体目标")
    label(ws, "B8:D8", "预期目标")
    label(ws, "E8:H8", "实际完成情况")
    value(ws, "B9:D9", "{{ project.annual_goal }}", align=TOP_LEFT)
    value(ws, "E9:H9", EXEC % "actual_goal", align=TOP_LEFT)
    ws.row_dimensions[9].height = 60
    # 绩效指标
    for col, text in zip("ABCDEFGH", ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
                                      "分值", "得分", "偏差原因分析及改进措施")):
        label(ws, f"{col}10", text)
    r = 11
    value(ws, f"A{r}", "{% for ind in project.indicators %}{{ ind.level1 | vmerge(ind.level2 in LEVEL1) }}",
          align=LEFT)
    value(ws, f"B{r}", "{{ ind.level2 | vmerge(ind.level1) }}")
    value(ws, f"C{r}", "{{ ind.level3 }}")
    value(ws, f"D{r}", "{{ ind.value }}")
    for col, key in zip("EFGH", ("实际完成值", "分值", "得分", "偏差原因")):
        value(ws, f"{col}{r}", "{{ ind.extra.get('%s', '') }}" % key)
    _print_setup(ws, "H", r)
    wb.save(path)


def build_department(path: Path) -> None:
    wb, ws = _sheet("部门整体支出绩效目标表", "E", DEPARTMENT_WIDTHS)
    label(ws, "A3", "部门名称")
    value(ws, "B3:E3", "{{ project.name }}")
    # funds by source
    label(ws, "A4:A7", "部门资金\n（{{ project.money_unit }}）")
    funds = (("年度资金总额", "annual"), ("其中：财政拨款", "annual_fiscal"),
             ("上年结转资金", "annual_carryover"), ("其他资金", "annual_other"))
    for i, (text, field) in enumerate(funds):
        row = 4 + i
        label(ws, f"B{row}:C{row}", text)
        value(ws, f"D{row}:E{row}", "{{ project.funds.%s }}" % field, align=RIGHT, fmt=MONEY)
    # 年度主要任务: a table, one row a task (its own repeat row: the first band ends here).
    # The label repeats on every task row and is merged down over them (vmerge).
    r = 8
    label(ws, f"A{r}", "{% for task in project.tasks %}{{ '年度主要任务' | vmerge }}")
    value(ws, f"B{r}:C{r}", "{{ task_cells(task).name }}")
    value(ws, f"D{r}", "{{ task_cells(task).content }}")
    value(ws, f"E{r}", "{{ task_cells(task).amount }}", align=RIGHT)
    label(ws, "A9", "整体绩效目标")
    value(ws, "B9:E9", "{{ project.annual_goal }}", align=TOP_LEFT)
    ws.row_dimensions[9].height = 48
    r = 11
    label(ws, f"A10:A{r}", "绩效指标")
    for col, text in zip("BCDE", ("一级指标", "二级指标", "三级指标", "年度指标值")):
        label(ws, f"{col}10", text)
    value(ws, f"B{r}", "{% for ind in project.indicators %}{{ ind.level1 | vmerge(ind.level2 in LEVEL1) }}",
          align=LEFT)
    value(ws, f"C{r}", "{{ ind.level2 | vmerge(ind.level1) }}")
    value(ws, f"D{r}", "{{ ind.level3 }}", align=LEFT)
    value(ws, f"E{r}", "{{ ind.value }}")
    _print_setup(ws, "E", r)
    wb.save(path)


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    build_self_assessment(out / "self_assessment.xlsx")
    build_department(out / "department.xlsx")
    print(out / "self_assessment.xlsx", out / "department.xlsx")
