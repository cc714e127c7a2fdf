"""Issue 15 point 6: the 汇总表 lays out a 自评表 and a 部门整体 form each with its own template."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from xltargets.pipeline import consolidate

import layouts
from test_consolidate_libreoffice import pdf_text

REAL_ZIPING = Path(__file__).parent / "realforms" / "anhui-chizhou-tangxi-2022-ziping.xlsx"


def _grid_file(path: Path, grid) -> Path:
    wb = Workbook()
    ws = wb.active
    for row in grid:
        ws.append(list(row))
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    work = tmp_path_factory.mktemp("kinds")
    dept = _grid_file(work / "部门整体.xlsx", layouts.department())
    result = consolidate([REAL_ZIPING, dept], work / "汇总表.xlsx", cwd=work)
    return result


@pytest.fixture(scope="module")
def sheet(made):
    return load_workbook(made.output)["汇总表"]


def texts(ws) -> dict[str, object]:
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


#: the 自评 section (the real form from 安徽池州棠溪镇, tests/realforms): cell → label or value
ZIPING = {
    "A3": "项目支出绩效自评表", "A4": "(2022年度)",
    "A5": "项目名称", "B5": "委托业务项目", "E5": "主管部门", "F5": "219-池州市贵池区棠溪镇人民政府",
    "A6": "实施单位", "B6": "219001-池州市贵池区棠溪镇人民政府", "E6": "项目类别",
    "A7": "项目资金\n（万元）", "B7": "年初预算数", "C7": "全年预算数", "D7": "全年执行数",
    "E7": "分值", "F7": "执行率", "G7": "得分",
    "B8": 0, "C8": 0, "D8": 0, "E8": "10", "F8": "0", "G8": "0",
    "A9": "年度总体目标", "B9": "预期目标", "E9": "实际完成情况",
    "B10": "本项目共申请预算资金90万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计;"
           "30万元用于基建工程项目设计、规划、测绘。",
    "E10": "本项目共完成预算资金89.97万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计;"
           "29.99万元用于基建工程项目设计、规划、测绘。",
    "A11": "一级指标", "B11": "二级指标", "C11": "三级指标", "D11": "年度指标值", "E11": "实际完成值",
    "F11": "分值", "G11": "得分", "H11": "偏差原因分析及改进措施",
    "A12": "产出指标", "B12": "数量指标", "C12": "基建工程委托业务项目数量", "D12": "≥50个", "E12": "50",
    "F12": "8", "G12": "8",
    "B13": "质量指标", "C13": "委托业务报告合格率",
    "B16": "成本指标", "C16": "项目总成本", "D16": "≤90万元", "E16": "90",
    "A18": "效益指标", "B18": "社会效益指标", "C20": "对推动基建项目“四项制度”健全和落实的持续性影响",
    "D20": "效果明显", "E20": "达成预期指标", "F20": "10", "G20": "10",
}

#: the 部门整体 section (tests/layouts.department()), after the 自评 section and a blank row
DEPARTMENT = {
    "A22": "部门整体支出绩效目标表", "A23": "(2024年度)",
    "A24": "部门名称", "B24": "某市生态环境局",
    "A25": "年度资金\n（万元）", "B25": "年度资金总额", "D25": 1250, "B26": "其中：财政拨款", "D26": 1200,
    "B27": "上年结转资金", "D27": None, "B28": "其他资金", "D28": 50,
    "A29": "年度主要任务",
    "B29": "任务名称 | 主要内容 | 预算金额\n大气污染防治 | 开展重点行业治理 | 800.00\n水环境监测 | 完成断面监测 | 450.00",
    "A30": "整体绩效目标", "B30": "空气质量优良天数比例稳定提升。",
    "A31": "绩效指标", "B31": "一级指标", "C31": "二级指标", "D31": "三级指标", "E31": "年度指标值",
    "B32": "产出指标", "C32": "数量指标", "D32": "监测断面数", "E32": "≥30个",
    "B33": "效益指标", "C33": "生态效益指标", "D33": "空气质量优良天数比例", "E33": "≥85%",
    "B34": "满意度指标", "C34": "服务对象满意度指标", "D34": "群众满意度", "E34": "≥90%",
}


@pytest.mark.parametrize("expected", [ZIPING, DEPARTMENT], ids=["self_assessment", "department"])
def test_section_cells(sheet, expected):
    got = {ref: sheet[ref].value for ref in expected}
    assert got == expected


def test_self_assessment_rows_are_boxed_and_merged_like_the_template(sheet):
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A3:H3", "A7:A8", "G7:H7", "G8:H8", "B9:D9", "E9:H9", "B10:D10", "E10:H10", "A12:A15", "A16:A17", "A18:A20"} <= merged
    assert {"A22:F22", "A25:A28", "B29:F29", "A31:A34", "E32:F32"} <= merged
    for ref in ("A5", "H11", "H12", "G20", "E34"):
        assert sheet[ref].border.left.style == "thin", ref
    assert sheet["B29"].alignment.wrap_text


def test_print_ready_like_the_project_form(sheet):
    assert sheet.print_area == "'汇总表'!$A$1:$H$34"
    ps = sheet.page_setup
    assert (ps.paperSize, ps.orientation, ps.fitToWidth or 1, ps.fitToHeight) == (9, "portrait", 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_options.horizontalCentered
    assert [b.id for b in sheet.row_breaks.brk] == [21]  # the 部门整体 section starts a page
    assert "第 &P 页" in sheet.oddFooter.center.text
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEFGH"}
    assert widths["D"] == pytest.approx(32, abs=0.1) and widths["H"] == pytest.approx(26, abs=0.1)


def test_a_project_only_declaration_keeps_the_project_print_area(tmp_path, seed_path):
    made = consolidate([seed_path], tmp_path / "汇总表.xlsx", cwd=tmp_path)
    ws = load_workbook(made.output)["汇总表"]
    assert ws.print_area.split("!")[1].startswith("$A$1:$F$")
    assert ws.column_dimensions["H"].width != pytest.approx(26, abs=0.1)


@pytest.mark.libreoffice
def test_self_assessment_section_prints(tmp_path, soffice):
    made = consolidate([REAL_ZIPING], tmp_path / "汇总表.xlsx", cwd=tmp_path, pdf=True)
    text = pdf_text(made.pdf)
    for want in ("项目支出绩效自评表", "委托业务项目", "全年执行数", "执行率", "实际完成情况",
                 "本项目共完成预算资金89.97万元", "偏差原因分析及改进措施", "≤90万元", "严格执行相关制度规定",
                 "≥50个", "达成预期指标"):
        assert want in text, want
