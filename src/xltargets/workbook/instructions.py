"""The 填写说明 sheet: how to fill in the workbook, and a list of its project sheets.

No cell here equals a form label (项目名称 …), so the importer, which reads
every visible sheet, finds no form on this sheet.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from ..model import Declaration
from .refs import quote_sheet

__all__ = ["INSTRUCTIONS_SHEET", "STEPS", "steps", "write_instructions_xlsx", "instruction_formats",
           "instructions_print_area", "write_project_list", "LIST_HEADER_ROW", "heading"]

INSTRUCTIONS_SHEET = "填写说明"

#: the steps; ``{amounts}`` is the amount step in the workbook's unit (:func:`steps`)
STEPS: tuple[str, ...] = (
    "每个项目一张工作表，工作表名取自项目名称（过长或含 [ ] : * ? / \\ 时自动改写，项目名称以表内为准）。"
    "新增项目：复制一张项目表后修改，或运行 xltargets new 本文件 --name 新项目名称。",
    "项目性质、项目类别、一级指标、二级指标请从下拉列表选择；二级指标的列表随同行的一级指标变化。",
    "计划开始日期、计划完成日期填写日期，如 2024-01-01；{amounts}",
    "年度资金申请总额应等于 当年财政拨款 + 上年结转资金 + 其他资金，G6 单元格即时显示是否相符。",
    "指标值写成“运算符数值(单位)”，如 ≥90.00(%)、=10.00(所)、<100(百分比)；定性指标写 及时、合理、管理良好 等。",
    "每张表的指标下方留有空行，可直接填写新指标；需要更多行时，在空行之间插入整行（右键 → 插入）。",
    "G 列为自动校验（不打印）：G1 显示本表的错误数和警告数，G2 列出表头、资金、目标的问题（警告以“警告：”开头），每个指标行右侧显示该行的问题。"
    "粉红底色标出有误的单元格，淡黄色标出必填而未填的单元格。",
    "以上检查都是普通公式，不需要宏或加载项，在 Excel、WPS 和 LibreOffice 中都能使用。"
    "安装 xltargets 加载项后，“校验”按钮按全部审核规则检查并给出修改建议。",
    "命令行：xltargets check 本文件 做完整校验；xltargets consolidate 本文件 生成项目绩效目标汇总表。",
)

#: how to write amounts, by the workbook's unit (the step names the unit the forms state, never another)
AMOUNT_STEP = {
    "元": "金额填写数字（元，两位小数），如 1391700.00。",
    "万元": "金额填写数字（万元，两位小数），如 139.17。",
}
#: … when the forms state different units
MIXED_AMOUNT_STEP = "金额填写数字（两位小数），单位以各表“项目资金”标明的为准（本工作簿中有的表是元，有的是万元，互不换算）。"


def steps(units: list[str] | None = None) -> tuple[str, ...]:
    """The numbered steps, the amount step in the projects' unit (元 when there are none)."""
    found = set(units or ()) or {"元"}
    amounts = AMOUNT_STEP[found.pop()] if len(found) == 1 else MIXED_AMOUNT_STEP
    return tuple(step.replace("{amounts}", amounts) for step in STEPS)


#: the row of the project list's header
LIST_HEADER_ROW = 16

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "宋体"


def heading(declaration: Declaration) -> tuple[str, str | None]:
    """The sheet's title (A1) and facts line (A2), from the user's organisation and year."""
    year = f"{declaration.year}年度" if declaration.year else ""
    facts = []
    if declaration.organisation:
        facts.append(f"单位：{declaration.organisation}")
    if declaration.year:
        facts.append(f"年度：{declaration.year}")
    return f"{declaration.organisation}{year}财政项目支出绩效目标申报：填写说明", "　".join(facts) or None


def list_rows(sheets: list[str]):
    """(row, sheet, its row's values) of the project list: number, sheet name, then formulas."""
    for i, sheet in enumerate(sheets, start=1):
        q = quote_sheet(sheet)
        yield LIST_HEADER_ROW + i, sheet, (i, sheet, f"={q}!B3", f"={q}!E6", f"={q}!G1")


LIST_TITLE = "项目一览（点击工作表名跳转）"
LIST_HEADERS = ("序号", "工作表", "项目", "年度资金申请总额（元）", "校验")
#: the amount column's header when the projects state different units (each row's format names its unit)
MIXED_AMOUNT_HEADER = "年度资金申请总额（各表单位不同，未换算）"
_MONEY = "#,##0.00"


def list_headers(units: list[str] | None) -> tuple[str, ...]:
    """The list's headers: the amount column names the projects' unit (元 or 万元), never converting."""
    found = set(units or ()) or {"元"}
    if len(found) == 1:
        amount = f"年度资金申请总额（{found.pop()}）"
    else:
        amount = MIXED_AMOUNT_HEADER
    return LIST_HEADERS[:3] + (amount,) + LIST_HEADERS[4:]


def amount_format(unit: str, mixed: bool) -> str:
    """The list's number format for one row: with the unit when the projects' units differ."""
    return f'{_MONEY}"{unit}"' if mixed else _MONEY
WIDTHS = {"A": 6, "B": 40, "C": 30, "D": 20, "E": 36}


_BOX_XLSX = {"left": 1, "right": 1, "top": 1, "bottom": 1}
_BODY = {"font_name": _FONT, "font_size": 11, **_BOX_XLSX, "valign": "vcenter"}
#: the sheet's XlsxWriter formats, by name
_FORMATS = {
    "title": {"font_name": _FONT, "font_size": 16, "bold": True},
    "facts": {"font_name": _FONT, "font_size": 11},
    "number": {"align": "right", "valign": "top"},
    "step": {"text_wrap": True, "valign": "top", "font_name": _FONT, "font_size": 11},
    "list_title": {"font_name": _FONT, "font_size": 12, "bold": True},
    "head": {"font_name": _FONT, "font_size": 11, "bold": True, "pattern": 1, "bg_color": "#F2F2F2", **_BOX_XLSX,
             "align": "center", "valign": "vcenter"},
    "body": _BODY,
    "link": {**_BODY, "font_color": "#0563C1", "underline": 1, "text_wrap": True},
    "wrap": {**_BODY, "text_wrap": True},
    "money": {**_BODY, "num_format": _MONEY},
}


def instruction_formats(workbook, units: list[str]) -> dict:
    """Every XlsxWriter format of the 填写说明 sheet of projects in *units*, by name, in one order
    (``title+quote``: with the quote prefix; ``unit:元``: the amount format of one unit, when they differ)."""
    formats = {name: workbook.add_format(props) for name, props in _FORMATS.items()}
    for name in ("title", "facts"):
        formats[name + "+quote"] = workbook.add_format({**_FORMATS[name], "quote_prefix": True})
    if len(set(units)) > 1:
        for u in sorted(set(units)):
            formats["unit:" + u] = workbook.add_format({**_BODY, "num_format": amount_format(u, True)})
    return formats


def instructions_print_area(ws, sheets: list[str]) -> None:
    """The sheet's print area: down to the project list's last row (the workbook stores it as a name)."""
    last = LIST_HEADER_ROW + max(len(sheets), 1)
    ws.print_area(0, 0, last - 1, 4)


def write_instructions_xlsx(workbook, ws, declaration: Declaration, sheets: list[str], formats: dict | None = None,
                            units: list[str] | None = None) -> None:
    """The whole 填写说明 sheet in a new XlsxWriter workbook: title, facts, steps, project list.

    *formats*: :func:`instruction_formats` of the workbook (made here when not given); *units*: each
    project's money_unit (default: of *declaration*'s projects; given when they were let go)."""
    from .values import cell_value
    from .xlsxform import openpyxl_margins, set_width

    if units is None:
        units = [p.money_unit for p in declaration.projects]
    f = formats if formats is not None else instruction_formats(workbook, units)
    ws.hide_gridlines(2)
    openpyxl_margins(ws)
    for i, (letter, width) in enumerate(WIDTHS.items(), start=1):
        set_width(ws, i, i, width)
    title, facts = heading(declaration)

    def text(r: int, c: int, value, style: str) -> None:
        kind, stored, quote = cell_value(value, lambda: f"{INSTRUCTIONS_SHEET}!{chr(65 + c)}{r + 1}")
        if kind is None:
            ws.write_blank(r, c, None, f[style])
        else:
            ws.write_string(r, c, stored, f[style + "+quote" if quote else style])

    ws.merge_range(0, 0, 0, 4, None)
    text(0, 0, title, "title")
    ws.merge_range(1, 0, 1, 4, None)
    text(1, 0, facts, "facts")
    for i, words in enumerate(steps(units), start=1):
        row = 3 + i
        ws.set_row(row - 1, 32)
        ws.write_string(row - 1, 0, f"{i}.", f["number"])
        ws.merge_range(row - 1, 1, row - 1, 4, None)
        ws.write_string(row - 1, 1, words, f["step"])
    ws.write_string(LIST_HEADER_ROW - 2, 0, LIST_TITLE, f["list_title"])
    for col, words in enumerate(list_headers(units)):
        ws.write_string(LIST_HEADER_ROW - 1, col, words, f["head"])
    styles = [f["body"], f["link"], f["wrap"], f["money"], f["wrap"]]
    for (row, sheet, values), unit in zip(list_rows(sheets), units or [None] * len(sheets)):
        r = row - 1
        ws.write_number(r, 0, values[0], styles[0])
        ws.write_url(r, 1, f"internal:{quote_sheet(sheet)}!A1", styles[1], string=sheet)
        for c in (2, 3, 4):
            ws.write_formula(r, c, values[c], f.get(f"unit:{unit}", styles[c]) if c == 3 else styles[c], "")
    instructions_print_area(ws, sheets)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def write_project_list(wb: Workbook, ws: Worksheet, sheets: list[str], units: list[str] | None = None) -> None:
    """The project list of an existing workbook's 填写说明 (openpyxl): link, name, amount, check result.

    *units* (each sheet's project's money_unit) name the amount column's unit;
    without them the column keeps the header the workbook has.
    """
    kept = ws.cell(row=LIST_HEADER_ROW, column=4).value
    headers = list_headers(units)
    if units is None and isinstance(kept, str) and kept.startswith("年度资金申请总额"):
        headers = headers[:3] + (kept,) + headers[4:]
    mixed = len(set(units or ())) > 1
    row_units = units or [None] * len(sheets)
    for row in ws.iter_rows(min_row=LIST_HEADER_ROW - 1):
        for cell in row:
            cell.value = None
            cell.hyperlink = None
    ws.cell(row=LIST_HEADER_ROW - 1, column=1, value=LIST_TITLE).font = Font(name=_FONT, size=12, bold=True)
    grey = PatternFill("solid", fgColor="F2F2F2")
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=LIST_HEADER_ROW, column=col, value=text)
        cell.font = Font(name=_FONT, size=11, bold=True)
        cell.fill = grey
        cell.border = _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center")
    fonts = {2: Font(name=_FONT, size=11, color="0563C1", underline="single")}
    plain = Font(name=_FONT, size=11)
    aligns = {wrap: Alignment(vertical="center", wrap_text=wrap) for wrap in (True, False)}
    for (row, sheet, values), unit in zip(list_rows(sheets), row_units):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            if col == 2:
                cell.data_type = "s"  # a sheet name is text, whatever it looks like
                cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"{quote_sheet(sheet)}!A1", display=sheet)
            cell.font = fonts.get(col, plain)
            cell.border = _BOX
            cell.alignment = aligns[col in (2, 3, 5)]
            if col == 4:
                cell.number_format = amount_format(unit, mixed) if unit else _MONEY
    last = LIST_HEADER_ROW + max(len(sheets), 1)
    ws.print_area = f"A1:E{last}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
