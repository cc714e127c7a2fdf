"""Build templates/declaration.xlsx, the 申报表 template, from scratch.

Run once to (re)create the template: ``python templates/make_template.py``.
After that the .xlsx is the source of truth: restyle it in Excel or WPS
(fonts, widths, borders, colours) and the renderer follows. Keep the
``{{ … }}`` expressions, the ``{% for ind in project.indicators %}`` marker
and the check formulas in column G (see docs/workbook.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from xltargets.workbook.checks import (  # noqa: E402
    CF_RULES,
    FORM_CHECK_CELL,
    FUNDS_CHECK_CELL,
    SUMMARY_CELL,
    form_check_formula,
    funds_check_formula,
    indicator_check_formula,
    level2_list_formula,
    summary_formula,
    value_ok_formula,
)
from xltargets.workbook.lists import ensure_lists  # noqa: E402

FONT = "宋体"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center", wrap_text=True)
BODY = Font(name=FONT, size=11)
LABEL = Font(name=FONT, size=11, bold=True)
CHECK = Font(name=FONT, size=10, color="C00000")
GREY = PatternFill("solid", fgColor="F2F2F2")

WIDTHS = {"A": 11, "B": 15, "C": 17, "D": 32, "E": 13, "F": 13, "G": 46}
REPEAT = 13


def put(ws, ref, value, *, font=BODY, align=CENTER, border=BOX, fmt=None, fill=None):
    cell = ws[ref]
    cell.value = value
    cell.font = font
    cell.alignment = align
    if border is not None:
        cell.border = border
    if fmt:
        cell.number_format = fmt
    if fill is not None:
        cell.fill = fill
    return cell


def box(ws, area, *, font=BODY, align=CENTER):
    """Border (and font/alignment) on every cell of *area*, then merge it."""
    for row in ws[area]:
        for cell in row:
            cell.border = BOX
            cell.font = font
            cell.alignment = align
    if ":" in area:
        ws.merge_cells(area)


def print_setup(ws, area: str) -> None:
    """The forms' print setup: A4 portrait, one page wide, centred, title rows repeated, page numbers."""
    ws.print_area = area
    ws.print_title_rows = "1:2"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.sheet_view.showGridLines = False


def build(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "申报表"

    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width

    # title and (年度)
    put(ws, "A1", "财政项目支出绩效目标申报表", font=Font(name=FONT, size=18, bold=True), border=None)
    ws.merge_cells("A1:F1")
    put(ws, "A2", "({{ project.year or '' }}年度)", font=Font(name=FONT, size=12), border=None)
    ws.merge_cells("A2:F2")
    ws.row_dimensions[1].height = 36
    ws.row_dimensions[2].height = 22

    # header block
    for ref, text in {"A3": "项目名称", "C3": "项目性质", "E3": "项目类别", "A4": "主管部门", "C4": "实施单位",
                      "A5": "计划开始日期", "C5": "计划完成日期"}.items():
        put(ws, ref, text, font=LABEL, fill=GREY)
    put(ws, "B3", "{{ project.name }}", align=LEFT)
    put(ws, "D3", "{{ project.nature }}", align=LEFT)
    put(ws, "F3", "{{ project.category }}", align=LEFT)
    put(ws, "B4", "{{ project.department }}", align=LEFT)
    put(ws, "D4", "{{ project.unit }}", align=LEFT)
    box(ws, "D4:F4", align=LEFT)
    put(ws, "B5", "{{ project.start }}", fmt="yyyy-mm-dd")
    put(ws, "D5", "{{ project.end }}", fmt="yyyy-mm-dd")
    box(ws, "D5:F5")
    ws["D5"].number_format = "yyyy-mm-dd"

    # 项目资金（元 or 万元: the project's own unit, so a form in 万元 is never relabelled 元）
    box(ws, "A6:A9", font=LABEL)
    ws["A6"].value = "项目资金\n（{{ project.money_unit }}）"
    funds = {
        "B6": ("项目资金总额", "C6", "project.funds.total"),
        "B7": ("其中：财政资金", "C7", "project.funds.total_fiscal"),
        "B8": ("", "C8", None),
        "B9": ("其他资金", "C9", "project.funds.total_other"),
        "D6": ("年度资金申请总额", "E6", "project.funds.annual"),
        "D7": ("其中：当年财政拨款", "E7", "project.funds.annual_fiscal"),
        "D8": ("上年结转资金", "E8", "project.funds.annual_carryover"),
        "D9": ("其他资金", "E9", "project.funds.annual_other"),
    }
    for label_ref, (label, value_ref, expr) in funds.items():
        put(ws, label_ref, label or None, font=LABEL if label else BODY)
        put(ws, value_ref, "{{ %s }}" % expr if expr else None, align=RIGHT, fmt="#,##0.00")
        if value_ref.startswith("E"):
            box(ws, f"{value_ref}:F{value_ref[1:]}", align=RIGHT)
            ws[value_ref].number_format = "#,##0.00"
            ws[value_ref].value = "{{ %s }}" % expr

    # 项目绩效目标
    box(ws, "A10:A11", font=LABEL)
    ws["A10"].value = "项目绩效目标"
    box(ws, "B10:C10", font=LABEL)
    ws["B10"].value = "项目总目标"
    box(ws, "D10:F10", font=LABEL)
    ws["D10"].value = "年度总体目标"
    box(ws, "B11:C11", align=TOP_LEFT)
    ws["B11"].value = "{{ project.total_goal }}"
    box(ws, "D11:F11", align=TOP_LEFT)
    ws["D11"].value = "{{ project.annual_goal }}"
    ws.row_dimensions[11].height = 60

    # 绩效指标
    box(ws, f"A12:A{REPEAT}", font=LABEL)
    ws["A12"].value = "绩效指标"
    for ref, text in {"B12": "一级指标", "C12": "二级指标", "D12": "三级指标"}.items():
        put(ws, ref, text, font=LABEL)
    box(ws, "E12:F12", font=LABEL)
    ws["E12"].value = "年度(/项目)指标值"
    r = REPEAT
    put(ws, f"B{r}", "{% for ind in project.indicators %}{{ ind.level1 | vmerge(ind.level2 in LEVEL1) }}")
    put(ws, f"C{r}", "{{ ind.level2 | vmerge(ind.level1) }}")
    put(ws, f"D{r}", "{{ ind.level3 }}", align=LEFT)
    box(ws, f"E{r}:F{r}")
    ws[f"E{r}"].value = "{{ ind.value }}"
    for row in range(3, REPEAT + 1):
        ws.row_dimensions[row].height = ws.row_dimensions[row].height or 24

    # checks (column G, outside the print area)
    check_align = Alignment(horizontal="left", vertical="center", wrap_text=True)
    put(ws, SUMMARY_CELL, summary_formula(), font=Font(name=FONT, size=11, bold=True, color="C00000"),
        align=check_align, border=None)
    put(ws, FORM_CHECK_CELL, form_check_formula(), font=CHECK, align=check_align, border=None)
    put(ws, FUNDS_CHECK_CELL, funds_check_formula(), font=CHECK, align=check_align, border=None)
    put(ws, "G12", "校验结果（不打印）", font=LABEL, align=check_align, border=None)
    put(ws, f"G{r}", indicator_check_formula(r), font=CHECK, align=check_align, border=None)

    # dropdowns and typed-input validation
    def dv(sqref, **kw):
        v = DataValidation(allow_blank=True, showErrorMessage=True, showInputMessage=True, **kw)
        for part in sqref.split():
            v.add(part)
        ws.add_data_validation(v)

    dv("D3", type="list", formula1="项目性质", errorStyle="warning", errorTitle="项目性质",
       error="不在常用的项目性质列表中。请从下拉列表选择；确需保留请点“是”。")
    dv("F3", type="list", formula1="项目类别", errorStyle="warning", errorTitle="项目类别",
       error="项目类别应为 人员类、运转类 或 特定目标类。")
    dv("B5 D5", type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2099,12,31)",
       errorTitle="日期", error="请填写日期，如 2024-01-01。", promptTitle="日期", prompt="格式：2024-01-01")
    # the messages name the form's own unit (元 or 万元): jinja2 in a validation text is rendered per project
    dv("C6 C7 C9 E6:F9", type="decimal", operator="greaterThanOrEqual", formula1="0",
       errorTitle="金额", error="请填写不小于 0 的金额（{{ project.money_unit }}，两位小数），"
       "如 {{ '1000000.00' if project.money_unit == '元' else '100.00' }}。",
       promptTitle="金额", prompt="单位：{{ project.money_unit }}，两位小数")
    dv(f"B{r}", type="list", formula1="一级指标", errorStyle="warning", errorTitle="一级指标",
       error="一级指标应为 成本指标、产出指标、效益指标 或 满意度指标。")
    dv(f"C{r}", type="list", formula1=level2_list_formula(r), errorStyle="warning", errorTitle="二级指标",
       error="该二级指标不属于所选的一级指标。请从下拉列表选择。")
    dv(f"E{r}:F{r}", type="custom", formula1=value_ok_formula(f"E{r}"), errorStyle="warning",
       errorTitle="指标值", error="指标值应为“运算符数值(单位)”，如 ≥90.00(%)、=10.00(所)，或定性值如 及时。",
       promptTitle="指标值", prompt="如 ≥90.00(%)、=10.00(所)、<100(百分比)，或 及时、合理 等定性值")

    # conditional formatting: mark the cell that is wrong
    red = DifferentialStyle(fill=PatternFill(bgColor="FFC7CE"), font=Font(color="9C0006"))
    todo = DifferentialStyle(fill=PatternFill(bgColor="FFF2CC"))
    for sqref, formula, kind in CF_RULES(r):
        rule = Rule(type="expression", formula=[formula], dxf=red if kind == "error" else todo)
        ws.conditional_formatting.add(sqref, rule)

    # print: A4 portrait, one page wide, title rows repeated
    print_setup(ws, f"A1:F{REPEAT}")

    ensure_lists(wb)
    wb.save(path)


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "declaration.xlsx"
    build(out)
    print(out)
