"""The 填写说明 sheet: how to fill in the workbook, and a list of its project sheets.

No cell here equals a form label (项目名称 …), so the importer, which reads
every visible sheet, finds no form on this sheet.
"""

from __future__ import annotations

from copy import copy

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from ..model import Declaration
from .refs import quote_sheet

__all__ = ["INSTRUCTIONS_SHEET", "STEPS", "write_instructions", "write_project_list", "LIST_HEADER_ROW"]

INSTRUCTIONS_SHEET = "填写说明"

STEPS: tuple[str, ...] = (
    "每个项目一张工作表，工作表名取自项目名称（过长或含 [ ] : * ? / \\ 时自动改写，项目名称以表内为准）。"
    "新增项目：复制一张项目表后修改，或运行 xltargets new 本文件 --name 新项目名称。",
    "项目性质、项目类别、一级指标、二级指标请从下拉列表选择；二级指标的列表随同行的一级指标变化。",
    "计划开始日期、计划完成日期填写日期，如 2024-01-01；金额填写数字（元，两位小数），如 1391700.00。",
    "年度资金申请总额应等于 当年财政拨款 + 上年结转资金 + 其他资金，G6 单元格即时显示是否相符。",
    "指标值写成“运算符数值(单位)”，如 ≥90.00(%)、=10.00(所)、<100(百分比)；定性指标写 及时、合理、管理良好 等。",
    "每张表的指标下方留有空行，可直接填写新指标；需要更多行时，在空行之间插入整行（右键 → 插入）。",
    "G 列为自动校验（不打印）：G1 显示本表的错误数和警告数，G2 列出表头、资金、目标的问题（警告以“警告：”开头），每个指标行右侧显示该行的问题。"
    "粉红底色标出有误的单元格，淡黄色标出必填而未填的单元格。",
    "以上检查都是普通公式，不需要宏或加载项，在 Excel、WPS 和 LibreOffice 中都能使用。"
    "安装 xltargets 加载项后，“校验”按钮按全部审核规则检查并给出修改建议。",
    "命令行：xltargets check 本文件 做完整校验；xltargets consolidate 本文件 生成项目绩效目标汇总表。",
)

#: the row of the project list's header
LIST_HEADER_ROW = 16

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "宋体"


def write_instructions(ws: Worksheet, declaration: Declaration) -> None:
    """Fill the 填写说明 sheet (title, facts, steps); the project list follows."""
    ws.sheet_view.showGridLines = False
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 30
    ws.column_dimensions["D"].width = 20
    ws.column_dimensions["E"].width = 36
    year = f"{declaration.year}年度" if declaration.year else ""
    ws["A1"] = f"{declaration.organisation}{year}财政项目支出绩效目标申报：填写说明"
    ws["A1"].font = Font(name=_FONT, size=16, bold=True)
    ws.merge_cells("A1:E1")
    facts = []
    if declaration.organisation:
        facts.append(f"单位：{declaration.organisation}")
    if declaration.year:
        facts.append(f"年度：{declaration.year}")
    ws["A2"] = "　".join(facts) or None
    ws["A2"].font = Font(name=_FONT, size=11)
    ws.merge_cells("A2:E2")
    for i, text in enumerate(STEPS, start=1):
        row = 3 + i
        ws.cell(row=row, column=1, value=f"{i}.").alignment = Alignment(horizontal="right", vertical="top")
        cell = ws.cell(row=row, column=2, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(name=_FONT, size=11)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
        ws.row_dimensions[row].height = 32
    assert 3 + len(STEPS) < LIST_HEADER_ROW - 1


def write_project_list(wb: Workbook, ws: Worksheet, sheets: list[str]) -> None:
    """The list of project sheets: link, name, annual amount and check result (formulas)."""
    for row in ws.iter_rows(min_row=LIST_HEADER_ROW - 1):
        for cell in row:
            cell.value = None
            cell.hyperlink = None
    ws.cell(row=LIST_HEADER_ROW - 1, column=1, value="项目一览（点击工作表名跳转）").font = Font(
        name=_FONT, size=12, bold=True
    )
    headers = ("序号", "工作表", "项目", "年度资金申请总额（元）", "校验")
    grey = PatternFill("solid", fgColor="F2F2F2")
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=LIST_HEADER_ROW, column=col, value=text)
        cell.font = Font(name=_FONT, size=11, bold=True)
        cell.fill = grey
        cell.border = _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center")
    # the same five styles on every row: each worked out on its first cell, then copied
    # (assigning a font or border hashes it to find it in the workbook's tables)
    styles: dict[tuple, object] = {}
    for i, sheet in enumerate(sheets, start=1):
        row = LIST_HEADER_ROW + i
        q = quote_sheet(sheet)
        values = (i, sheet, f"={q}!B3", f"={q}!E6", f"={q}!G1")
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            if col == 2:
                cell.data_type = "s"
                cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"{q}!A1", display=sheet)
            key = (col, tuple(cell._style) if cell._style is not None else None)
            style = styles.get(key)
            if style is not None:
                cell._style = copy(style)
                continue
            if col == 2:
                cell.font = Font(name=_FONT, size=11, color="0563C1", underline="single")
            else:
                cell.font = Font(name=_FONT, size=11)
            cell.border = _BOX
            cell.alignment = Alignment(vertical="center", wrap_text=col in (2, 3, 5))
            if col == 4:
                cell.number_format = "#,##0.00"
            styles[key] = copy(cell._style)
    last = LIST_HEADER_ROW + max(len(sheets), 1)
    ws.print_area = f"A1:E{last}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
