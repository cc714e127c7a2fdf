"""A row rule runs only on its row set (``rule(rows=...)``): on every other row it must find nothing."""

from __future__ import annotations

import itertools

import pytest

from xltargets import framework as fw
from xltargets.model import Indicator, Project, QuantitativeTarget
from xltargets.rules import RULES
from xltargets.rules.context import Form
from xltargets.targets import parse_target

LEVEL3 = ["服务对象满意度", "成本控制率", "培训场次", "覆盖率", "同比增长率", "费用", "", " 服务 对象满意度 ", "XX指标", "请填写"]
VALUES = ["≥90.00(%)", "=10.00(所)", "<100(百分比)", "及时", ">=90%", "≥", "=abc(个)", "90", "社会效益良好", "经济效益显著",
          "#REF!", "", "≤100.00(%)", ">100(%)", "=100(%)", "≤50(%)", "≥80(%)", "XX", "  及时 "]
EXTRAS = [{"得分": "12", "分值": "10"}, {"实际完成值": "8(场)"}, {"实际完成值": "80(%)", "偏差原因": "天气"}, {"备注": "无"}]
PAIRS = [("产出指标", "数量指标"), ("效益指标", "经济效益指标"), ("效益指标", "社会效益指标"), ("成本指标", "经济成本指标"),
         ("满意度指标", "服务对象满意度指标"), ("", ""), ("产出", "x")]


def _form() -> Form:
    indicators = [
        Indicator(level1=l1, level2=l2, level3=l3, target=parse_target(v).target, value_raw=v)
        for (l1, l2), l3, v in itertools.product(PAIRS, LEVEL3, VALUES)
    ]
    # a 自评 form's columns on some rows (the "extra" set): 得分 above 分值, 实际完成值 below the target
    indicators += [
        Indicator(level1="产出指标", level2="数量指标", level3=l3, target=parse_target(v).target, value_raw=v, extra=extra)
        for l3, v in (("培训场次", "≥10(场)"), ("覆盖率", "≥90.00(%)"))
        for extra in EXTRAS
    ]
    return Form(Project(name="甲", indicators=indicators))


ROW_RULES = [r for r in RULES if r.scope == "row" and r.rows != "all"]


def test_row_sets_are_used():
    assert {r.rows for r in ROW_RULES} >= {"quantity", "qualitative", "valued", "blank", "unreadable", "unnamed", "repeated", "extra"}


@pytest.mark.parametrize("rule", ROW_RULES, ids=[f"{r.code}-{r.rows}" for r in ROW_RULES])
def test_rule_finds_nothing_outside_its_rows(rule):
    form = _form()
    inside = {id(row) for row in form.row_sets[rule.rows]}
    assert inside and len(inside) < len(form.rows)
    outside = [row for row in form.rows if id(row) not in inside]
    assert outside
    assert list(rule.function(outside)) == []
    assert [issue for row in outside for issue in rule.function([row])] == []
    # and the set holds rows it does report on (the form is varied enough to tell)
    assert any(list(rule.function([row])) for row in form.row_sets[rule.rows])


def test_row_sets_in_row_order():
    form = _form()
    for name, rows in form.row_sets.items():
        assert [row.index for row in rows] == sorted(row.index for row in rows), name
    assert form.row_sets["all"] is form.rows
    assert all(isinstance(row.target, QuantitativeTarget) for row in form.row_sets["quantity"])
    assert len(fw.LEVEL1) > 1
