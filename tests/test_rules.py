"""Each rule on small hand-built forms: one that fails it and one that passes it (at least)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Callable

import pytest

from xltargets.findings import Severity
from xltargets.model import Declaration, Funds, Indicator, Origin, Project
from xltargets.rules import RULES, check_declaration, check_project
from xltargets.rules.goals import goal_quantities
from xltargets.targets import parse_target

# -- a form that passes every rule ---------------------------------------------------------

BASE_ROWS = [
    ("成本指标", "经济成本指标", "成本控制率", "≤100.00(%)"),
    ("产出指标", "数量指标", "青春健康高校项目", "=10.00(所)"),
    ("产出指标", "质量指标", "培训合格率", "≥90.00(%)"),
    ("产出指标", "时效指标", "预算执行率", "=100.00(%)"),
    ("效益指标", "社会效益指标", "学生健康知识知晓率", "≥85.00(%)"),
    ("满意度指标", "服务对象满意度指标", "学生满意度", "≥90.00(%)"),
]


def row(level1: str, level2: str, level3: str, value: str, *, cells: bool = False, n: int = 0) -> Indicator:
    origin = None
    if cells:
        r = 20 + n
        origin = Origin(sheet="项目1", row=r, cells={"level1": f"B{r}", "level2": f"C{r}", "level3": f"D{r}", "value": f"E{r}"})
    return Indicator(level1=level1, level2=level2, level3=level3, target=parse_target(value).target, value_raw=value, origin=origin)


def base(**changes) -> Project:
    """A clean form; keyword arguments replace fields (``rows=`` replaces the table)."""
    rows = changes.pop("rows", BASE_ROWS)
    funds = changes.pop("funds", {})
    data = dict(
        name="青春健康教育",
        nature="其他一次性项目",
        category="特定目标类",
        department="上海市卫生健康委员会",
        unit="上海市计划生育协会",
        start=dt.date(2024, 1, 1),
        end=dt.date(2024, 12, 31),
        year=2024,
        annual_goal="开展青春健康高校项目10所，提高学生健康素养。",
        funds=Funds(
            **{
                "annual": Decimal("100000.00"),
                "annual_fiscal": Decimal("100000.00"),
                "annual_carryover": Decimal("0.00"),
                "annual_other": Decimal("0.00"),
                **funds,
            }
        ),
        indicators=[row(*r, cells=True, n=i) for i, r in enumerate(rows)],
        origin=Origin(sheet="项目1", cells={"name": "B3", "nature": "D3", "start": "B5", "end": "D5",
                                             "funds.annual": "E6", "funds.total": "B6", "annual_goal": "D11",
                                             "indicators": "A12"}),
    )
    data.update(changes)
    return Project(**data)


def with_row(index: int, *values: str) -> list[tuple[str, str, str, str]]:
    """BASE_ROWS with row *index* replaced (or appended when index == len)."""
    rows = list(BASE_ROWS)
    if index == len(rows):
        rows.append(values)
    else:
        rows[index] = values
    return rows


def with_extra(index: int, extra: dict) -> Project:
    """base() with extra columns (自评: 分值, 得分, 实际完成值) on row *index*."""
    p = base()
    inds = list(p.indicators)
    inds[index] = dataclasses.replace(inds[index], extra=extra)
    return p.model_copy(update={"indicators": inds})


def without(level1: str) -> list[tuple[str, str, str, str]]:
    return [r for r in BASE_ROWS if r[0] != level1]


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def test_base_form_passes_every_rule():
    assert check_project(base()) == []


# -- failing and passing cases, per rule ---------------------------------------------------------

M = Decimal  # short for money in the tables below

FAILS: list = [
    # rule 1
    pytest.param("XLT-E001", base(rows=with_row(1, "产出指标", "经济效益指标", "高校项目", "=10.00(所)")), id="E001-二级-in-wrong-一级"),
    pytest.param("XLT-E001", base(rows=with_row(1, "产出指标", "数量指示", "高校项目", "=10.00(所)")), id="E001-unknown-二级"),
    pytest.param("XLT-E001", base(rows=with_row(1, "产出指标", "", "高校项目", "=10.00(所)")), id="E001-empty-二级"),
    pytest.param("XLT-E021", base(rows=with_row(6, "绩效指标", "数量指标", "新增项目", "=1.00(个)")), id="E021-unknown-一级"),
    pytest.param("XLT-E021", base(rows=with_row(6, "", "数量指标", "新增项目", "=1.00(个)")), id="E021-empty-一级"),
    pytest.param("XLT-E021", base(rows=with_row(6, "数量指标", "", "新增项目", "=1.00(个)")), id="E021-二级-name-as-一级"),
    # rule 2
    pytest.param("XLT-E002", base(rows=with_row(6, "产出指标", "数量指标", "", "=1.00(个)")), id="E002-empty-三级"),
    pytest.param("XLT-E022", base(rows=with_row(6, "产出指标", "数量指标", "青春健康高校项目", "=12.00(所)")), id="E022-same-三级"),
    pytest.param("XLT-E022", base(rows=with_row(6, "效益指标", "社会效益指标", "青春健康 高校项目", "=12.00(所)")), id="E022-same-三级-but-spaces"),
    # rule 3
    pytest.param("XLT-E003", base(rows=with_row(1, "产出指标", "数量指标", "青春健康高校项目", "")), id="E003-empty-value"),
    pytest.param("XLT-E023", base(rows=with_row(1, "产出指标", "数量指标", "青春健康高校项目", "=abc(个)")), id="E023-unparseable"),
    pytest.param("XLT-E023", base(rows=with_row(1, "产出指标", "数量指标", "青春健康高校项目", "≥")), id="E023-operator-only"),
    pytest.param("XLT-W043", base(rows=with_row(2, "产出指标", "质量指标", "培训合格率", ">=90%")), id="W043-ascii-operator"),
    pytest.param("XLT-W043", base(rows=with_row(1, "产出指标", "数量指标", "青春健康高校项目", "10所")), id="W043-no-operator"),
    pytest.param("XLT-W043", base(rows=with_row(2, "产出指标", "质量指标", "培训合格率", "≥ 90.00 (%)")), id="W043-spaces"),
    pytest.param("XLT-W043", base(rows=with_row(1, "产出指标", "数量指标", "青春健康高校项目", "≥153.3㎡")), id="W043-unit-sign-glued-on"),
    pytest.param("XLT-W043", base(rows=with_row(1, "产出指标", "数量指标", "青春健康高校项目", "384.3平方米")), id="W043-long-unit-glued-on"),
    pytest.param("XLT-W043", base(rows=with_row(1, "产出指标", "数量指标", "青春健康高校项目", "≤7万元/人")), id="W043-unit-per-unit-glued-on"),
    pytest.param("XLT-E023", base(rows=with_row(2, "产出指标", "质量指标", "培训合格率", "100%合格")), id="E023-percentage-then-word"),
    pytest.param("XLT-W063", base(rows=with_row(1, "产出指标", "数量指标", "出差人数", "=8")), id="W063-no-unit"),  # 乌海's G14
    pytest.param("XLT-W063", base(rows=with_row(1, "产出指标", "数量指标", "出差人数", "8")), id="W063-bare-number"),
    pytest.param("XLT-W063", base(rows=with_row(1, "产出指标", "数量指标", "出差人数", "=8()")), id="W063-empty-brackets"),
    pytest.param("XLT-W063", base(rows=with_row(3, "产出指标", "时效指标", "预算执行率", "=100")), id="W063-rate-name-without-(%)"),
    # rule 4
    pytest.param("XLT-E004", base(rows=with_row(3, "产出指标", "时效指标", "预算执行率", "=120.00(百分比)")), id="E004-above-100-百分比"),
    pytest.param("XLT-E004", base(rows=with_row(3, "产出指标", "时效指标", "预算执行率", "=120")), id="E004-rate-name-no-unit"),
    pytest.param("XLT-E004", base(rows=with_row(3, "产出指标", "时效指标", "预算执行率", ">100(%)")), id="E004-more-than-100"),
    # rule 5
    pytest.param("XLT-E005", base(funds={"annual_fiscal": M("90000.00")}), id="E005-annual-parts-short"),
    pytest.param("XLT-E005", base(funds={"annual": M("100000.01")}), id="E005-off-by-a-cent"),
    pytest.param("XLT-E005", base(funds={"annual": None}), id="E005-annual-blank-parts-filled"),
    pytest.param("XLT-E025", base(funds={"total": M("300000"), "total_fiscal": M("200000"), "total_other": M("50000")}), id="E025-total-parts-differ"),
    # rule 6
    pytest.param("XLT-E006", base(start=dt.date(2024, 12, 31), end=dt.date(2024, 1, 1)), id="E006-dates-swapped"),
    pytest.param("XLT-E026", base(start=None), id="E026-start-missing"),
    pytest.param("XLT-E026", base(end=None), id="E026-end-missing"),
    # rule 7
    pytest.param("XLT-E007", base(rows=without("效益指标")), id="E007-no-效益"),
    pytest.param("XLT-E007", base(rows=without("产出指标")), id="E007-no-产出"),
    pytest.param("XLT-E007", base(rows=without("满意度指标")), id="E007-no-满意度"),
    pytest.param("XLT-E007", base(rows=[]), id="E007-empty-table"),
    # rule 8
    pytest.param("XLT-E008", base(annual_goal=" \n"), id="E008-goal-blank"),
    pytest.param("XLT-E008", base(annual_goal="\u3000\u00a0"), id="E008-goal-blank-full-width-spaces"),
    pytest.param("XLT-E028", base(name=""), id="E028-name-empty"),
    # rule 9
    pytest.param("XLT-W009", base(rows=without("成本指标")), id="W009-no-成本"),
    # rule 10
    pytest.param("XLT-W010", base(rows=with_row(5, "满意度指标", "服务对象满意度指标", "学生满意度", "≤90.00(%)")), id="W010-satisfaction-capped"),
    pytest.param("XLT-W010", base(rows=with_row(4, "效益指标", "社会效益指标", "宣传覆盖率", "<80.00(%)")), id="W010-coverage-capped"),
    pytest.param("XLT-W030", base(rows=with_row(0, "成本指标", "经济成本指标", "成本控制率", "≥100.00(%)")), id="W030-cost-floored"),
    pytest.param("XLT-W030", base(rows=with_row(0, "成本指标", "经济成本指标", "人均培训费用", ">500(元)")), id="W030-expense-floored"),
    # rule 11
    pytest.param("XLT-W011", base(rows=with_row(5, "满意度指标", "服务对象满意度指标", "学生满意度", "≥80.00(%)")), id="W011-satisfaction-80"),
    # rule 12
    pytest.param("XLT-W012", base(rows=[
        ("成本指标", "经济成本指标", "成本控制", "可控"),
        ("产出指标", "数量指标", "青春健康高校项目", "=10.00(所)"),
        ("产出指标", "时效指标", "完成时间", "及时"),
        ("效益指标", "社会效益指标", "社会影响", "提升"),
        ("满意度指标", "服务对象满意度指标", "学生满意度", "≥90.00(%)"),
    ]), id="W012-three-of-five-qualitative"),
    # rule 13
    pytest.param("XLT-W013", base(rows=with_row(4, "效益指标", "经济效益指标", "法律服务热线运行", "社会效益良好")), id="W013-社会效益-under-经济效益"),
    pytest.param("XLT-W013", base(rows=with_row(4, "效益指标", "社会效益指标", "服务评价", "服务对象满意")), id="W013-满意-under-社会效益"),
    # rule 14
    pytest.param("XLT-W014", base(end=dt.date(2025, 6, 30)), id="W014-one-off-ends-next-year"),
    pytest.param("XLT-W014", base(nature="经常性项目", start=dt.date(2023, 7, 1)), id="W014-recurring-starts-last-year"),
    pytest.param("XLT-W034", base(nature="阶段性项目", start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 31)), id="W034-phased-starts-after-budget-year"),
    pytest.param("XLT-W054", base(funds={"total": M("50000"), "total_fiscal": M("50000")}), id="W054-total-below-annual"),
    # rule 15
    pytest.param("XLT-W015", base(nature="一次性"), id="W015-unknown-nature"),
    pytest.param("XLT-W015", base(nature=""), id="W015-empty-nature"),
    pytest.param("XLT-W035", base(category="专项类"), id="W035-unknown-category"),
    # rule 16
    pytest.param("XLT-W016", base(annual_goal="建设优生优育服务中心1家。"), id="W016-quantity-without-indicator"),
    pytest.param("XLT-W016", base(annual_goal="培训家庭健康指导员骨干150人。"), id="W016-people"),
    pytest.param("XLT-W016", base(annual_goal="申请资金12万元，开展青春健康高校项目10所。"), id="W016-money-not-the-funds"),
    pytest.param("XLT-W036", base(annual_goal="开展青春健康高校项目12所。"), id="W036-goal-says-12-indicator-10"),
    # template text
    pytest.param("XLT-E017", base(rows=with_row(1, "产出指标", "数量指标", "XX项目数", "=10.00(所)")), id="E017-XX-in-三级"),
    pytest.param("XLT-E017", base(rows=with_row(1, "产出指标", "数量指标", "青春健康高校项目", "请填写")), id="E017-请填写-as-value"),
    pytest.param("XLT-E037", base(name="×××项目"), id="E037-×××-in-name"),
    pytest.param("XLT-E037", base(annual_goal="待填写"), id="E037-待填写-goal"),
    pytest.param("XLT-E030", with_extra(1, {"分值": "10", "得分": "12"}), id="E030-score-above-weight"),
    pytest.param("XLT-E030", with_extra(1, {"权重": "5", "得分": "6分"}), id="E030-score-above-weight-column"),
    pytest.param("XLT-W031", with_extra(1, {"实际完成值": "8所"}), id="W031-target-missed"),
]

PASSES: list = [
    # rule 1: older placements are accepted, stray spaces ignored
    pytest.param("XLT-E001", base(rows=with_row(0, "产出指标", "成本指标", "成本控制率", "≤100.00(%)")), id="E001-older-成本-under-产出"),
    pytest.param("XLT-E001", base(rows=with_row(5, "效益指标", "社会公众或服务对象满意度指标", "学生满意度", "≥90.00(%)")), id="E001-older-满意度-under-效益"),
    pytest.param("XLT-E001", base(rows=with_row(5, "满意度指标", "服务对象满意度 指标", "学生满意度", "≥90.00(%)")), id="E001-stray-space"),
    pytest.param("XLT-E021", base(rows=with_row(5, "满意度指标 ", "服务对象满意度指标", "学生满意度", "≥90.00(%)")), id="E021-trailing-space"),
    # rule 2
    pytest.param("XLT-E002", base(), id="E002-all-named"),
    pytest.param("XLT-E022", base(rows=with_row(6, "产出指标", "数量指标", "青春健康高校项目参与人次", "=1000(人次)")), id="E022-similar-names"),
    # rule 3
    pytest.param("XLT-E003", base(rows=with_row(3, "产出指标", "时效指标", "完成时间", "及时")), id="E003-qualitative-filled"),
    pytest.param("XLT-E023", base(rows=with_row(1, "产出指标", "数量指标", "青春健康高校项目", "不低于10所")), id="E023-words-are-read"),
    pytest.param("XLT-E023", base(rows=with_row(1, "产出指标", "数量指标", "青春健康高校项目", "≥153.3㎡")), id="E023-unit-sign-㎡-is-read"),
    pytest.param("XLT-E023", base(rows=with_row(1, "产出指标", "数量指标", "青春健康高校项目", "384.3平方米")), id="E023-long-unit-is-read"),
    pytest.param("XLT-E023", base(rows=with_row(1, "产出指标", "数量指标", "青春健康高校项目", "≤7万元/人")), id="E023-unit-per-unit-is-read"),
    pytest.param("XLT-W043", base(), id="W043-canonical-values"),
    pytest.param("XLT-W043", base(rows=with_row(1, "产出指标", "数量指标", "青春健康高校项目", "=10")), id="W043-no-unit-nothing-to-rewrite"),
    pytest.param("XLT-W063", base(), id="W063-units-written"),
    pytest.param("XLT-W063", base(rows=with_row(1, "产出指标", "数量指标", "青春健康高校项目", "10所")), id="W063-unit-glued-on"),
    pytest.param("XLT-W063", base(rows=with_row(2, "产出指标", "质量指标", "培训合格率", "100%")), id="W063-percent-sign"),
    pytest.param("XLT-W063", base(rows=with_row(3, "产出指标", "时效指标", "完成时间", "及时")), id="W063-qualitative"),
    # rule 4
    pytest.param("XLT-E004", base(rows=with_row(3, "产出指标", "时效指标", "预算执行率", "=100.00(百分比)")), id="E004-exactly-100"),
    pytest.param("XLT-E004", base(rows=with_row(3, "产出指标", "质量指标", "网站访问量同比增长率", "=150.00(%)")), id="E004-growth-may-exceed"),
    pytest.param("XLT-E004", base(rows=with_row(1, "产出指标", "数量指标", "服务人次", "=150000.00(人次)")), id="E004-not-a-percentage"),
    # rule 5
    pytest.param("XLT-E005", base(funds={"annual": M("100000"), "annual_fiscal": M("60000"), "annual_carryover": M("30000"), "annual_other": M("10000")}), id="E005-parts-add-up"),
    pytest.param("XLT-E005", base(funds={"annual": M("100000"), "annual_fiscal": M("100000"), "annual_carryover": None, "annual_other": None}), id="E005-blank-parts-are-zero"),
    pytest.param("XLT-E025", base(funds={"total": M("300000"), "total_fiscal": M("250000"), "total_other": M("50000")}), id="E025-parts-add-up"),
    pytest.param("XLT-E025", base(funds={"total": M("300000")}), id="E025-parts-blank"),
    # rule 6
    pytest.param("XLT-E006", base(start=dt.date(2024, 3, 1), end=dt.date(2024, 3, 1)), id="E006-same-day"),
    pytest.param("XLT-E026", base(), id="E026-dates-filled"),
    # rule 7
    pytest.param("XLT-E007", base(rows=with_row(5, "效益指标", "社会公众或服务对象满意度指标", "学生满意度", "≥90.00(%)")), id="E007-older-满意度-under-效益"),
    # rule 8
    pytest.param("XLT-E008", base(), id="E008-goal-filled"),
    pytest.param("XLT-E028", base(), id="E028-name-filled"),
    # rule 9
    pytest.param("XLT-W009", base(rows=with_row(0, "产出指标", "成本指标", "成本控制率", "≤100.00(%)")), id="W009-older-成本-under-产出"),
    # rule 10
    pytest.param("XLT-W010", base(rows=with_row(0, "成本指标", "经济成本指标", "成本完成率", "<100.00(%)")), id="W010-成本完成率-is-a-cost"),
    pytest.param("XLT-W030", base(rows=with_row(0, "成本指标", "经济成本指标", "成本控制率", "<100(百分比)")), id="W030-cost-capped"),
    # rule 11
    pytest.param("XLT-W011", base(rows=with_row(5, "满意度指标", "服务对象满意度指标", "学生满意度", "≥85.00(%)")), id="W011-exactly-85"),
    pytest.param("XLT-W011", base(rows=with_row(5, "满意度指标", "服务对象满意度指标", "投诉处理率", "≥80.00(%)")), id="W011-not-satisfaction"),
    # rule 12
    pytest.param("XLT-W012", base(rows=[
        ("成本指标", "经济成本指标", "成本控制", "可控"),
        ("产出指标", "数量指标", "青春健康高校项目", "=10.00(所)"),
        ("产出指标", "时效指标", "完成时间", "及时"),
        ("效益指标", "社会效益指标", "知晓率", "≥80(%)"),
    ]), id="W012-exactly-half"),
    # rule 13
    pytest.param("XLT-W013", base(rows=with_row(4, "效益指标", "社会效益指标", "法律服务热线运行", "社会效益良好")), id="W013-社会效益-under-社会效益"),
    pytest.param("XLT-W013", base(rows=with_row(3, "产出指标", "时效指标", "长效管理情况", "管理良好")), id="W013-管理良好"),
    # rule 14
    pytest.param("XLT-W014", base(), id="W014-inside-budget-year"),
    pytest.param("XLT-W014", base(nature="阶段性项目", start=dt.date(2023, 1, 1), end=dt.date(2026, 12, 31)), id="W014-phased-may-span-years"),
    pytest.param("XLT-W034", base(nature="阶段性项目", start=dt.date(2023, 1, 1), end=dt.date(2025, 12, 31)), id="W034-phased-covers"),
    pytest.param("XLT-W054", base(funds={"total": M("300000"), "total_fiscal": M("300000")}), id="W054-total-above-annual"),
    # rule 15
    pytest.param("XLT-W015", base(nature="经常性专项业务费"), id="W015-shanghai-subtype"),
    pytest.param("XLT-W035", base(category="运转类"), id="W035-known-category"),
    # rule 16: years, dates, ordinals and names are no quantities; matching units and names
    pytest.param("XLT-W016", base(annual_goal="2024年，开展青春健康高校项目10所。"), id="W016-year-is-no-quantity"),
    pytest.param("XLT-W016", base(annual_goal="围绕7.11世界人口日、529会员日开展第3期活动，2024年1月启动。"), id="W016-names-dates-ordinals"),
    pytest.param("XLT-W016", base(annual_goal="建设青春健康高校项目10家。"), id="W016-家-matches-所"),
    pytest.param("XLT-W016", base(rows=with_row(1, "产出指标", "数量指标", "向日葵亲子小屋建成数", "=32.00(个)"),
                              annual_goal="建设向日葵亲子小屋32家。"), id="W016-向日葵亲子小屋32家"),
    pytest.param("XLT-W016", base(rows=with_row(1, "产出指标", "数量指标", "科普讲座直播覆盖人群", "=500000.00(人次)"),
                              annual_goal="科普讲座直播覆盖50万人次。"), id="W016-万-multiplier"),
    pytest.param("XLT-W016", base(annual_goal="申请资金10万元，开展青春健康高校项目10所。"), id="W016-money-is-the-funds"),
    pytest.param("XLT-W016", base(annual_goal="开展青春健康高校项目10所，学生满意度达到90%以上。"), id="W016-satisfaction-percent"),
    pytest.param("XLT-W036", base(), id="W036-same-number"),
    pytest.param("XLT-W036", base(rows=with_row(1, "产出指标", "数量指标", "村居级家庭健康指导员", "=6000.00(人数)"),
                              annual_goal="培训村居级家庭健康指导员6000人、家庭健康指导员骨干150人。"), id="W036-different-people-not-confused"),
    # template text
    pytest.param("XLT-E017", base(), id="E017-no-template-text"),
    pytest.param("XLT-E037", base(), id="E037-no-template-text"),
    pytest.param("XLT-E030", with_extra(1, {"分值": "10", "得分": "10"}), id="E030-score-equals-weight"),
    pytest.param("XLT-W031", with_extra(1, {"实际完成值": "10所"}), id="W031-target-met"),
    pytest.param("XLT-W031", with_extra(1, {"实际完成值": "完成"}), id="W031-qualitative-actual"),
]


@pytest.mark.parametrize("code, project", FAILS)
def test_rule_flags(code: str, project: Project):
    assert code in codes(check_project(project))


@pytest.mark.parametrize("code, project", PASSES)
def test_rule_passes(code: str, project: Project):
    assert code not in codes(check_project(project))


# rules that look across forms: whole declarations
DECL_FAILS: list = [
    pytest.param("XLT-E048", [base(), base(name="另一个项目"), base()], id="E048-same-name-twice"),
    pytest.param("XLT-E048", [base(), base(name=" 青春健康 教育")], id="E048-same-name-but-spaces"),
]
DECL_PASSES: list = [
    pytest.param("XLT-E048", [base(), base(name="青春健康教育（二期）")], id="E048-different-names"),
    pytest.param("XLT-E048", [base(name=""), base(name="")], id="E048-blank-names-are-E028-only"),
]


@pytest.mark.parametrize("code, projects", DECL_FAILS)
def test_declaration_rule_flags(code: str, projects: list[Project]):
    assert code in codes(check_declaration(Declaration(year=2024, projects=projects)))


@pytest.mark.parametrize("code, projects", DECL_PASSES)
def test_declaration_rule_passes(code: str, projects: list[Project]):
    assert code not in codes(check_declaration(Declaration(year=2024, projects=projects)))


def test_every_rule_has_a_failing_and_a_passing_case():
    failing = {p.values[0] for p in FAILS + DECL_FAILS}
    passing = {p.values[0] for p in PASSES + DECL_PASSES}
    all_codes = {r.code for r in RULES}
    assert all_codes - failing == set()
    assert all_codes - passing == set()


# -- messages ------------------------------------------------------------------------------


def _only(project: Project, code: str):
    found = [f for f in check_project(project) if f.code == code]
    assert len(found) == 1, found
    return found[0]


def test_message_percentage_above_100():
    f = _only(base(rows=with_row(3, "产出指标", "时效指标", "预算执行率", "=120.00(百分比)")), "XLT-E004")
    assert f.message == "三级指标“预算执行率”的指标值“=120.00(百分比)”超过 100%：百分比不能大于 100，请改为不超过 100 的数值。"
    assert (f.severity, f.project, f.sheet, f.cell, f.field) == (Severity.ERROR, "青春健康教育", "项目1", "E23", "indicators[3].value")


def test_message_qualitative_contradicts_level2():
    f = _only(base(rows=with_row(4, "效益指标", "经济效益指标", "法律服务热线运行", "社会效益良好")), "XLT-W013")
    assert f.message == (
        "三级指标“法律服务热线运行”的指标值“社会效益良好”说的是社会效益，却放在二级指标“经济效益指标”下："
        "请把二级指标改为“社会效益指标”，或把指标值改为与“经济效益指标”相符的内容（最好是可衡量的数值）。"
    )
    assert f.severity is Severity.WARNING


def test_message_annual_funds_sum():
    f = _only(base(funds={"annual_fiscal": Decimal("90000.00")}), "XLT-E005")
    assert f.message == (
        "年度资金申请总额 100,000.00 元不等于 当年财政拨款 90,000.00 + 上年结转资金 0.00 + 其他资金 0.00 = 90,000.00 元"
        "（相差 10,000.00 元）：请核对各项金额，使分项之和等于年度资金申请总额。"
    )
    assert (f.cell, f.field) == ("E6", "funds.annual")


@pytest.mark.parametrize("written, suggested", [
    pytest.param("=8", None, id="no-unit-already-canonical"),  # 乌海's 出差人数 (tests/realforms/neimenggu-wuhai-*)
    pytest.param("=8.00", None, id="no-unit-two-decimals"),
    pytest.param("≥90.00(%)", None, id="canonical"),
    pytest.param("及时", None, id="qualitative"),
    pytest.param("8", "=8", id="no-operator-no-unit"),
    pytest.param(">=90%", "≥90(%)", id="ascii-operator"),
    pytest.param("不低于50%", "≥50(%)", id="words"),
    pytest.param("＝8", "=8", id="full-width-operator"),
    pytest.param("=8()", "=8", id="empty-brackets"),
])
def test_normalised_value_suggests_only_a_different_text(written, suggested):
    """XLT-W043 suggests the canonical text only where it differs from the text written: a
    suggestion equal to the written text (``=8`` → ``=8``) is no suggestion."""
    found = [f for f in check_project(base(rows=with_row(1, "产出指标", "数量指标", "青春健康高校项目", written)))
             if f.code == "XLT-W043"]
    assert [f.suggestion for f in found] == ([] if suggested is None else [suggested])
    assert all(f.suggestion != written for f in found)


def test_message_value_without_unit_says_so_and_suggests_no_text():
    """``=8`` is already as canonical as it can be: the finding says the unit is missing (XLT-W063)
    and offers no rewrite; XLT-W043 (a rewrite) stays silent."""
    findings = check_project(base(rows=with_row(1, "产出指标", "数量指标", "出差人数", "=8")))
    assert [f.code for f in findings if f.field == "indicators[1].value"] == ["XLT-W063"]
    f = _only(base(rows=with_row(1, "产出指标", "数量指标", "出差人数", "=8")), "XLT-W063")
    assert f.message == (
        "三级指标“出差人数”的指标值“=8”没有计量单位：请在数值后用括号写明实际的计量单位，"
        "如“=8(个)”“=8(%)”（原文照样保留和公开）。"
    )
    assert (f.severity, f.cell, f.suggestion) == (Severity.WARNING, "E21", None)


def test_message_bare_number_rewrite_leaves_the_unit_to_w063():
    """``8`` → ``=8``: XLT-W043 gives the rewrite and how it was read, XLT-W063 the missing unit (said once)."""
    findings = [f for f in check_project(base(rows=with_row(1, "产出指标", "数量指标", "出差人数", "8")))
                if f.field == "indicators[1].value"]
    assert [f.code for f in findings] == ["XLT-W043", "XLT-W063"]
    assert findings[0].message == (
        "三级指标“出差人数”的指标值“8”按“=8”读入（缺少运算符，按“=”理解）："
        "建议改为规范写法“=8”（原文照样保留和公开；运行 xltargets normalize 可一次改好）。"
    )
    assert [sum("缺少计量单位" in f.message for f in findings), sum("没有计量单位" in f.message for f in findings)] == [0, 1]


def test_message_normalised_value_says_how_it_was_read():
    f = _only(base(rows=with_row(2, "产出指标", "质量指标", "培训合格率", ">=90%")), "XLT-W043")
    assert f.message == (
        "三级指标“培训合格率”的指标值“>=90%”按“≥90(%)”读入（运算符“>=”按“≥”理解；单位“%”未加括号）："
        "建议改为规范写法“≥90(%)”（原文照样保留和公开；运行 xltargets normalize 可一次改好）。"
    )
    assert f.suggestion == "≥90(%)"
    assert f.as_json()["suggestion"] == "≥90(%)"


def test_message_missing_level1_names_project_and_table_cell():
    f = _only(base(rows=without("效益指标")), "XLT-E007")
    assert f.message.startswith("项目“青春健康教育”缺少一级指标“效益指标”：每张申报表都必须有效益指标")
    assert "“社会效益指标”" in f.message
    assert (f.cell, f.field) == ("A12", "indicators")


def test_message_misplaced_level2_says_where_it_belongs():
    f = _only(base(rows=with_row(1, "产出指标", "经济效益指标", "高校项目", "=10.00(所)")), "XLT-E001")
    assert f.message == (
        "三级指标“高校项目”的二级指标“经济效益指标”不属于一级指标“产出指标”（它属于“效益指标”）："
        "请把一级指标改为“效益指标”，或把二级指标改为“数量指标”、“质量指标”、“时效指标”"
        "（旧版申报表还可用“成本指标”）之一。"
    )
    assert f.cell == "C21"


def test_message_goal_quantity_differs_names_both():
    f = _only(base(annual_goal="开展青春健康高校项目12所。"), "XLT-W036")
    assert f.message == (
        "年度总体目标写“开展青春健康高校项目12所”，而三级指标“青春健康高校项目”的指标值是“=10.00(所)”："
        "两处数量不一致，请统一年度总体目标和指标值。"
    )


def test_duplicate_level3_names_first_cell():
    f = _only(base(rows=with_row(6, "产出指标", "数量指标", "青春健康高校项目", "=12.00(所)")), "XLT-E022")
    assert "第一次在 D21" in f.message and f.cell == "D26"


def test_location_unknown_is_none():
    project = base(origin=None, indicators=[row(*r) for r in with_row(3, "产出指标", "时效指标", "预算执行率", "=120(%)")])
    f = _only(project, "XLT-E004")
    assert (f.sheet, f.cell, f.field) == (None, None, "indicators[3].value")


# -- across the workbook -------------------------------------------------------------------


def test_duplicate_project_name_across_workbook():
    decl = Declaration(year=2024, projects=[base(), base(annual_goal="提高学生健康素养。"), base(name="另一个项目")])
    found = [(f.project, f.code) for f in check_declaration(decl) if f.code == "XLT-E048"]
    assert found == [("青春健康教育", "XLT-E048")]
    f = next(f for f in check_declaration(decl) if f.code == "XLT-E048")
    assert "与第 1 个项目重复（项目1、B3）" in f.message


def test_check_project_alone_cannot_see_duplicates():
    assert "XLT-E048" not in codes(check_project(base()))


def test_findings_ordered_by_project_then_position():
    first = base(name="甲", annual_goal="", rows=with_row(3, "产出指标", "时效指标", "预算执行率", "=120(%)"))
    second = base(name="乙", nature="未知", rows=without("效益指标"))
    findings = check_declaration(Declaration(year=2024, projects=[first, second]))
    assert [(f.project, f.code) for f in findings] == [
        ("甲", "XLT-E008"),  # 年度总体目标 (header)
        ("甲", "XLT-E004"),  # row 4
        ("乙", "XLT-W015"),  # 项目性质
        ("乙", "XLT-E007"),  # the table
    ]


@pytest.mark.parametrize(
    "project_year, decl_year, start_year, flagged",
    [
        pytest.param(2025, 2024, 2024, True, id="project-year-first"),
        pytest.param(None, 2025, 2024, True, id="then-declaration-year"),
        pytest.param(None, None, 2024, False, id="then-start-year"),
    ],
)
def test_budget_year_precedence(project_year, decl_year, start_year, flagged):
    project = base(year=project_year, start=dt.date(start_year, 1, 1), end=dt.date(start_year, 12, 31))
    found = check_declaration(Declaration(year=decl_year, projects=[project]))
    assert ("XLT-W014" in codes(found)) is flagged


# -- quantities in 年度总体目标 -----------------------------------------------------------------


@pytest.mark.parametrize(
    "goal, expected",
    [
        pytest.param("建设优生优育服务中心1家、向日葵亲子小屋32家。",
                     [("建设优生优育服务中心1家", "1", "家", "优生优育服务中心"), ("向日葵亲子小屋32家", "32", "家", "向日葵亲子小屋")],
                     id="postposed-count"),
        pytest.param("开展4个项目", [("开展4个项目", "4", "个", "项目")], id="prenominal-count"),
        pytest.param("覆盖50万人次", [("覆盖50万人次", "500000", "人次", "")], id="万-multiplier"),
        pytest.param("申请资金57.1万元", [("申请资金57.1万元", "571000", "元", "申请资金")], id="万元-in-元"),
        pytest.param("服务对象满意度达到90%以上", [("服务对象满意度达到90%以上", "90", "%", "服务对象满意度")], id="percent"),
        pytest.param("新市民健康服务活动20余场", [("新市民健康服务活动20余场", "20", "场", "新市民健康服务活动")], id="approximate"),
        pytest.param("2024年1月起，每周2期，第3期起，7.11世界人口日，529会员日", [], id="years-dates-ordinals-names"),
    ],
)
def test_goal_quantities(goal: str, expected: list[tuple[str, str, str, str]]):
    found = [(q.text, q.number, q.unit, q.subject) for q in goal_quantities(goal)]
    assert found == [(t, Decimal(n), u, s) for t, n, u, s in expected]
