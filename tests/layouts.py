"""Form layouts of other regions, built cell by cell (issue 15): fixtures for the importer tests.

Each builder returns a list of rows (lists of cell values), the way a sheet or a
TSV export holds them: merged cells blank except their top-left cell. *pad*
shifts a whole form right (tables "starting in any column"). :func:`write_xlsx`
saves grids as a workbook, one sheet each.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

INDICATORS = [
    # (一级, 二级, 三级, operator, number, unit, 权重)
    ("产出指标", "数量指标", "培训场次", "≥", "20", "场", "20"),
    ("产出指标", "质量指标", "培训合格率", "≥", "95", "%", "20"),
    ("产出指标", "时效指标", "按时完成率", "=", "100", "%", "10"),
    ("成本指标", "经济成本指标", "成本控制率", "≤", "100", "%", "10"),
    ("效益指标", "社会效益指标", "知晓率", "≥", "80", "%", "20"),
    ("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥", "90", "%", "20"),
]


def seed_like(*, pad: int = 0, labels: dict[str, str] | None = None, name: str = "测试项目",
              rows: list[list[str]] | None = None, title: str = "财政项目支出绩效目标申报表") -> list[list[str]]:
    """The seed's (Shanghai) layout; *labels* replaces labels by synonyms (canonical → as written)."""
    lab = {k: k for k in ("项目名称", "项目性质", "项目类别", "主管部门", "实施单位", "项目总目标", "年度总体目标")}
    lab.update(labels or {})
    p = [""] * pad
    rows = rows if rows is not None else [
        ["绩效指标", "产出指标", "数量指标", "培训场次", "=2.00(场)"],
        ["", "效益指标", "社会效益指标", "知晓率", "≥80.00(%)"],
        ["", "满意度指标", "服务对象满意度指标", "满意度", "≥90.00(%)"],
    ]
    return [
        p + [title],
        p + ["(2024年度)"],
        p + [lab["项目名称"], name, lab["项目性质"], "其他一次性项目", lab["项目类别"], "特定目标类"],
        p + [lab["主管部门"], "某委员会", lab["实施单位"], "某协会"],
        p + ["计划开始日期", "2024-01-01", "计划完成日期", "2024-12-31"],
        p + ["项目资金 (元)", "项目资金总额", "", "年度资金申请总额", "100.00"],
        p + ["", "其中：财政资金", "", "其中：当年财政拨款", "100.00"],
        p + ["", "", "", "上年结转资金", "0.00"],
        p + ["", "其他资金", "", "其他资金", "0.00"],
        p + ["项目 绩效 目标", lab["项目总目标"], "", lab["年度总体目标"]],
        p + ["", "", "", "年度目标文字"],
        p + ["", "一级指标", "二级指标", "三级指标", "年度(/项目)指标值"],
        *[p + r for r in rows],
    ]


def national(*, pad: int = 0, name: str = "农村公路养护", extra_columns: bool = True,
             department_label: str = "主管部门", unit_label: str = "实施单位") -> list[list[str]]:
    """The national 项目支出绩效目标表 (财预〔2021〕101号 style): amounts in 万元, value split over
    指标性质 / 指标值 / 计量单位, extra columns 权重 / 备注; the table starts in column *pad*+1."""
    p = [""] * pad
    head = ["", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "计量单位"]
    if extra_columns:
        head += ["权重", "备注"]
    rows = [
        p + ["项目支出绩效目标表"],
        p + ["(2024年度)"],
        p + ["项目名称", name],
        p + [department_label, "某市交通运输局", "", unit_label, "某市公路事业发展中心"],
        p + ["项目资金(万元)", "年度资金总额", "120.50"],
        p + ["", "其中：财政拨款", "100.50"],
        p + ["", "其他资金", "20.00"],
        p + ["年度总体目标", "完成农村公路日常养护。"],
        p + ["绩效指标", *head[1:]],
    ]
    for l1, l2, l3, op, num, unit, weight in INDICATORS:
        row = ["", l1, l2, l3, op, num, unit]
        if extra_columns:
            row += [weight, "无" if l3 == "培训场次" else ""]
        rows.append(p + row)
    return rows


def national_facts(extra_columns: bool = True) -> list[tuple]:
    """(一级, 二级, 三级, 指标值 as joined, extra) of :func:`national`."""
    out = []
    for l1, l2, l3, op, num, unit, weight in INDICATORS:
        extra = {"权重": weight} if extra_columns else {}
        if extra_columns and l3 == "培训场次":
            extra["备注"] = "无"
        out.append((l1, l2, l3, f"{op}{num}({unit})", extra))
    return out


def two_level(*, pad: int = 0) -> list[list[str]]:
    """A two-level indicator table: 指标类型 (一级 written 产出类指标) / 指标名称 / 指标值."""
    p = [""] * pad
    return [
        p + ["2024年项目支出绩效目标填报表"],
        p + ["项目名称", "社区养老服务", "项目单位", "某区民政局"],
        p + ["项目主管部门", "某区人民政府"],
        p + ["资金来源", "财政拨款", "50.00", "其他资金", "0.00", "单位：万元"],
        p + ["年度绩效目标", "为老年人提供助餐服务。"],
        p + ["指标类型", "指标名称", "指标值"],
        p + ["产出类指标", "助餐服务人次", "≥10000人次"],
        p + ["", "服务覆盖街道", "=12个"],
        p + ["效益类指标", "老年人生活质量", "提升"],
        p + ["满意度类指标", "老年人满意度", "≥90%"],
    ]


TWO_LEVEL_FACTS = [
    ("产出指标", "", "助餐服务人次", "≥10000人次"),
    ("产出指标", "", "服务覆盖街道", "=12个"),
    ("效益指标", "", "老年人生活质量", "提升"),
    ("满意度指标", "", "老年人满意度", "≥90%"),
]


def write_xlsx(path: Path, grids: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, grid in grids.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(grid, start=1):
            for c, v in enumerate(row, start=1):
                if v not in ("", None):
                    cell = ws.cell(r, c, v)
                    if isinstance(v, str):
                        cell.data_type = "s"
    wb.save(path)
    return path


def department(*, pad: int = 0) -> list[list[str]]:
    """A 部门整体支出绩效目标表: 部门名称, 部门资金 in 万元, 年度主要任务 (a list with amounts),
    整体绩效目标, then the indicator grid."""
    p = [""] * pad
    return [
        p + ["部门整体支出绩效目标表"],
        p + ["(2024年度)"],
        p + ["部门名称", "某市生态环境局"],
        p + ["部门资金(万元)", "年度资金总额", "1,250.00"],
        p + ["", "其中：财政拨款", "1,200.00"],
        p + ["", "其他资金", "50.00"],
        p + ["年度主要任务", "任务名称", "主要内容", "预算金额"],
        p + ["", "大气污染防治", "开展重点行业治理", "800.00"],
        p + ["", "水环境监测", "完成断面监测", "450.00"],
        p + ["整体绩效目标", "空气质量优良天数比例稳定提升。"],
        p + ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
        p + ["", "产出指标", "数量指标", "监测断面数", "≥30个"],
        p + ["", "效益指标", "生态效益指标", "空气质量优良天数比例", "≥85%"],
        p + ["", "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"],
    ]


def self_assessment(*, pad: int = 0, score: str = "10", actual: str = "25场") -> list[list[str]]:
    """A 项目支出绩效自评表 (national template): 预算执行情况, goal with 实际完成情况, indicators
    with 年度指标值, 实际完成值, 分值, 得分, 偏差原因."""
    p = [""] * pad
    return [
        p + ["项目支出绩效自评表"],
        p + ["(2023年度)"],
        p + ["项目名称", "社区健康讲座"],
        p + ["主管部门", "某区卫生健康委", "", "", "实施单位", "某社区卫生服务中心"],
        p + ["项目资金(万元)", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        p + ["", "年度资金总额", "20.00", "20.00", "19.50", "10", "97.5%", "9.75"],
        p + ["", "其中：当年财政拨款", "20.00", "20.00", "19.50"],
        p + ["年度总体目标", "预期目标", "", "", "实际完成情况"],
        p + ["", "开展健康讲座30场。", "", "", "开展健康讲座25场。"],
        p + ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        p + ["", "产出指标", "数量指标", "讲座场次", "≥30场", actual, "10", score, "疫情影响"],
        p + ["", "满意度指标", "服务对象满意度指标", "居民满意度", "≥90%", "95%", "10", "10", ""],
    ]
