"""Synthetic declarations for the benchmark: N projects × 15 indicators, realistic CJK text.

Deterministic (a seeded ``random.Random``): the same N gives the same
declaration, so runs and machines compare. The text is what real 申报表 carry:
long project names, 100–200 character 年度总体目标, 三级指标 of 6–30
characters, 指标值 such as ``≥85.00(百分比)``, ``=10.00(所)``, ``及时``; some
names look like dates or numbers (``7.11世界人口日…``), as in the seed.

:func:`write_tsv` writes the declaration as a 汇总表 TSV export in the seed's
layout (examples/sh-jishengxie-2024-summary.tsv): the input of ``import``.

:func:`type_values` makes of the workbook ``import`` wrote the file a user sends
back after typing some 指标值 as numbers: a share of the quantitative values a
bare number with a number format (``0.9`` shown ``90.00%``, ``38`` shown
``38.00``), the whole file re-saved by a library (as Excel or WPS re-save it:
every part rewritten). ``check`` reads those as displayed (importing/numfmt.py).
"""

from __future__ import annotations

import datetime as dt
import random
import re
from decimal import Decimal
from pathlib import Path

from xltargets.model import Declaration, Funds, Indicator, Project
from xltargets.targets import parse_target

__all__ = ["INDICATORS", "ORGANISATION", "TYPED_SHARE", "YEAR", "declaration", "type_values", "write_tsv"]

INDICATORS = 15
ORGANISATION = "上海市计划生育协会"
YEAR = 2024

_TOPICS = (
    "青少年生殖健康教育", "家庭健康促进及优生优育服务", "生殖健康咨询服务", "计划生育特殊家庭帮扶",
    "流动人口健康关爱", "优生优育指导中心建设", "向日葵亲子小屋运营", "7.11世界人口日主题宣传",
    "5.29会员活动日", "社区婴幼儿照护服务", "青春健康俱乐部管理", "家庭健康指导员培训",
    "新市民健康服务", "生育友好宣传倡导", "志愿者队伍建设", "信息化管理平台维护",
)
_SUFFIXES = ("项目", "专项", "工作经费", "服务项目", "（第二期）", "能力提升项目", "")
_NATURES = ("其他一次性项目", "经常性项目", "阶段性项目", "其他经常性项目")
_CATEGORIES = ("特定目标类", "运转类")
_DEPARTMENTS = ("上海市卫生健康委员会", "上海市民政局", "上海市妇女联合会")
_GOAL_PARTS = (
    "扩大工作覆盖面，实现青少年培训和家长培训街镇级全覆盖",
    "加大宣传力度，开展宣传倡导活动，发挥阵地作用",
    "青春健康俱乐部动态管理，完善师资队伍，培养青春健康工作专业师资",
    "深入开展家庭健康促进行动，对照家庭健康促进行动目标任务，针对薄弱环节抓住突出问题",
    "培训村居级家庭健康指导员6000人、家庭健康指导员骨干150人",
    "建设优生优育服务中心1家、向日葵亲子小屋32家",
    "开展新市民健康服务活动不少于20场次，服务150000人次",
    "落实计划生育特殊家庭帮扶政策，做到应帮尽帮",
    "提升服务对象满意度，满意度不低于90%",
)
#: (一级, 二级, 三级 stem, 指标值 patterns)
_ROWS = (
    ("成本指标", "经济成本指标", "成本控制率", ("≤100.00(%)", "<100(百分比)")),
    ("产出指标", "数量指标", "开展培训场次", ("≥{n}.00(场次)", "={n}.00(场)")),
    ("产出指标", "数量指标", "受益群众人数", ("={k}000.00(人)", "≥{k}500.00(人次)")),
    ("产出指标", "数量指标", "建设服务阵地数量", ("={n}.00(个)", "≥{n}.00(家)")),
    ("产出指标", "数量指标", "编印宣传资料", ("≥{k}000.00(份)", "={n}.00(册)")),
    ("产出指标", "质量指标", "培训合格率", ("≥9{d}.00(%)", "≥8{d}.00(百分比)")),
    ("产出指标", "质量指标", "活动覆盖街镇比例", ("=100.00(%)", "≥9{d}.00(%)")),
    ("产出指标", "时效指标", "预算执行率", ("=100.00(百分比)", "≥9{d}.00(%)")),
    ("产出指标", "时效指标", "项目按时完成情况", ("及时",)),
    ("效益指标", "社会效益指标", "群众健康知识知晓率提升情况", ("提升", "显著", "≥8{d}.00(%)")),
    ("效益指标", "社会效益指标", "家庭健康促进行动社会影响", ("社会效益良好", "明显")),
    ("效益指标", "可持续影响指标", "长效管理制度建设及落实情况", ("健全", "完善")),
    ("效益指标", "可持续影响指标", "师资队伍稳定性", ("稳步提高", "持续改善")),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", ("≥90.00(%)", "≥85.00(百分比)")),
    ("满意度指标", "服务对象满意度指标", "参与活动学生及家长满意度", ("≥9{d}.00(%)",)),
)


def _indicator(rng: random.Random, i: int, row: tuple) -> Indicator:
    level1, level2, stem, patterns = row
    level3 = stem if rng.random() < 0.6 else f"{rng.choice(_TOPICS)}{stem}"
    value = rng.choice(patterns).format(n=rng.randint(2, 60), k=rng.randint(1, 9), d=rng.randint(0, 9))
    return Indicator(level1=level1, level2=level2, level3=level3, target=parse_target(value).target)


def _project(rng: random.Random, i: int) -> Project:
    name = f"{rng.choice(_TOPICS)}{rng.choice(_SUFFIXES)}{i + 1:04d}"
    annual = Decimal(rng.randint(5, 3000) * 1000) + Decimal(rng.choice(("0.00", "0.50", "700.00")))
    carry = Decimal(rng.choice((0, 0, 0, 10000, 25000)))
    other = Decimal(rng.choice((0, 0, 5000)))
    fiscal = annual - carry - other
    phased = rng.random() < 0.3
    funds = Funds(
        annual=annual, annual_fiscal=fiscal, annual_carryover=carry.quantize(Decimal("0.01")),
        annual_other=other.quantize(Decimal("0.01")),
    )
    if phased:
        funds = funds.model_copy(update={
            "total": annual * 3, "total_fiscal": annual * 3 - other * 3, "total_other": (other * 3).quantize(Decimal("0.01")),
        })
    goal = "；".join(rng.sample(_GOAL_PARTS, rng.randint(2, 4))) + "。"
    return Project(
        name=name,
        nature=rng.choice(_NATURES),
        category=rng.choice(_CATEGORIES),
        department=rng.choice(_DEPARTMENTS),
        unit=ORGANISATION,
        start=dt.date(YEAR, 1, 1),
        end=dt.date(YEAR + (2 if phased else 0), 12, 31),
        funds=funds,
        total_goal="三年内建成覆盖全市的服务网络，" + goal if phased else "",
        annual_goal=goal,
        year=YEAR,
        indicators=[_indicator(rng, k, row) for k, row in enumerate(_ROWS[:INDICATORS])],
    )


def declaration(n: int, *, seed: int = 20240101) -> Declaration:
    """*n* projects of 15 indicators each."""
    rng = random.Random(seed)
    return Declaration(organisation=ORGANISATION, year=YEAR, projects=[_project(rng, i) for i in range(n)])


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:,.2f}"


def _form_lines(p: Project) -> list[list[str]]:
    f = p.funds
    lines = [
        ["财政项目支出绩效目标申报表"], [],
        [f"({p.year}年度)"], [],
        ["项目名称", p.name, "项目性质", p.nature, "项目类别", p.category],
        ["主管部门", p.department, "实施单位", p.unit, "", ""],
        ["计划开始日期", p.start.isoformat() if p.start else "", "计划完成日期", p.end.isoformat() if p.end else "", "", ""],
        ["项目资金 (元)", "项目资金总额", _money(f.total), "年度资金申请总额", _money(f.annual), ""],
        ["", "其中：财政资金", _money(f.total_fiscal), "其中：当年财政拨款", _money(f.annual_fiscal), ""],
        ["", "", "", "上年结转资金", _money(f.annual_carryover), ""],
        ["", "其他资金", _money(f.total_other), "其他资金", _money(f.annual_other), ""],
        ["项目 绩效 目标", "项目总目标", "", "年度总体目标", "", ""],
        ["", p.total_goal, "", p.annual_goal, "", ""],
        ["", "一级指标", "二级指标", "三级指标", "年度(/项目)指标值", ""],
    ]
    prev = ("", "")
    for k, ind in enumerate(p.indicators):
        l1 = ind.level1 if ind.level1 != prev[0] else ""
        l2 = ind.level2 if (ind.level1, ind.level2) != prev else ""
        prev = (ind.level1, ind.level2)
        lines.append(["绩效 指标" if k == 0 else "", l1, l2, ind.level3, ind.value, ""])
    lines.append([])
    return lines


def write_tsv(decl: Declaration, path: Path) -> Path:
    """*decl* as a 汇总表 TSV export (the seed's layout)."""
    lines: list[list[str]] = [[], [f"{decl.organisation}{decl.year}年度项目绩效目标汇总表"], []]
    for p in decl.projects:
        lines.extend(_form_lines(p))
    Path(path).write_text("\n".join("\t".join(cells) for cells in lines) + "\n", encoding="utf-8")
    return Path(path)


#: the share of quantitative 指标值 (``≥90.00(%)``, ``=38.00(场)``: about two thirds of them) typed as a bare number: a
#: quarter, some 17 % of all 指标值 (an assumption: forms from other regions keep percentages as numbers formatted
#: as percent, ../shared/docs/domain.md; no count of a real unit's files was at hand)
TYPED_SHARE = 0.25
_QUANTITATIVE = re.compile(r"^[=≥≤<>](\d+(?:\.\d+)?)\((%|百分比|[^()]+)\)$")


def type_values(src: Path, dst: Path, *, share: float = TYPED_SHARE, seed: int = 20240101) -> int:
    """*src* (a declarations workbook as ``xltargets import`` wrote it) saved as *dst* with *share* of its
    quantitative 指标值 typed as numbers, as a user types them: a percentage as its fraction formatted ``0.00%``
    (``≥90.00(%)`` → 0.9, shown ``90.00%``), any other as the number formatted ``0.00`` (``=38.00(场)`` → 38, shown
    ``38.00``); the operator and unit are lost, as when a user types the bare number. Written by openpyxl (VBA
    kept), which rewrites every part as a re-save does. Returns how many cells were typed."""
    import openpyxl

    rng = random.Random(seed)
    wb = openpyxl.load_workbook(src, keep_vba=True)
    typed = 0
    for ws in wb.worksheets:
        start = next((r for r in range(1, 30) if ws.cell(r, 1).value == "绩效指标"), None)
        if ws.sheet_state != "visible" or start is None:
            continue
        for row in range(start + 1, ws.max_row + 1):
            cell = ws.cell(row, 5)  # 年度(/项目)指标值
            m = _QUANTITATIVE.match(cell.value) if isinstance(cell.value, str) else None
            if m is None or rng.random() >= share:
                continue
            number = Decimal(m.group(1))
            if m.group(2) in ("%", "百分比"):
                cell.value, cell.number_format = float(number / 100), "0.00%"
            else:
                cell.value, cell.number_format = int(number) if number == int(number) else float(number), "0.00"
            typed += 1
    wb.save(dst)
    return typed
