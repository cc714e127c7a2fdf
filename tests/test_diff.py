"""``xltargets diff`` and ``consolidate --against`` (issue 16, point 3): what changed since last year."""

from __future__ import annotations

import doctest
import json
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xltargets.diff.changes
import xltargets.rollover
from seed_facts import NAMES
from xltargets.cli import app
from xltargets.cli.testing import CliRunner
from xltargets.diff import compare, target_direction
from xltargets.consolidate.comparison_sheet import FILLS, SHEET_NAME, colour_of
from xltargets.model import Declaration, Indicator, Project, QuantitativeTarget
from xltargets.pipeline import read_sources
from xltargets.rollover import rollover
from xltargets.targets import parsed
from xltargets.workbook.build import build_workbook

runner = CliRunner()


@pytest.fixture(scope="module")
def seed(seed_path):
    return read_sources([seed_path]).declaration


@pytest.mark.parametrize("module", [xltargets.diff.changes, xltargets.rollover], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize(
    "old, new, direction",
    [
        ("≥85%", "≥80%", "lowered"),
        ("≥85.00(百分比)", "≥90.00(%)", "raised"),
        ("≤100000.00(元)", "≤90000.00(元)", "raised"),
        ("<100(百分比)", "<105(百分比)", "lowered"),
        ("=10.00(所)", "=12.00(所)", "raised"),
        ("=10.00(所)", "=8.00(所)", "lowered"),
        ("≥90(%)", ">90(%)", "raised"),
        ("<100(%)", "≤100(%)", "lowered"),
        ("=10.00(所)", "=10(所)", "changed"),
        ("≥90(%)", "≥95(分)", "changed"),
        ("≥90(%)", "≤95(%)", "changed"),
        ("及时", "=100(%)", "changed"),
        ("管理良好", "管理优良", "changed"),
    ],
    ids=["satisfaction-lowered", "percent-synonyms-raised", "cost-cap-cut", "cost-cap-raised",
         "count-up", "count-down", "strict-operator", "loose-operator", "same-number-other-writing",
         "other-unit", "other-operator", "qualitative-to-number", "qualitative"],
)
def test_target_direction(old, new, direction):
    assert target_direction(old, new) == direction


def _set_value(ind: Indicator, text: str) -> None:
    ind.value_raw = text
    ind.target = parsed(text).target


def test_rollover_then_diff_of_the_seed_shows_no_change_but_the_funds(seed):
    new = rollover(seed, 2025).declaration
    kinds = {c.kind for c in compare(seed, new).changes}
    assert kinds == {"funds_changed"}  # cleared for the new year; dates and years are no change to report
    assert compare(seed, rollover(seed, 2025, keep_funds=True).declaration).changes == []


def test_renamed_project_is_matched_by_a_similar_name(seed):
    new = rollover(seed, 2025, keep_funds=True).declaration
    new.projects[3].name = "宣传教育及基层能力建设项目（二期）"
    changes = compare(seed, new).changes
    assert [(c.kind, c.old, c.new) for c in changes] == [
        ("project_renamed", "宣传教育及基层能力建设", "宣传教育及基层能力建设项目（二期）")
    ]


def test_unrelated_projects_are_added_and_removed(seed):
    new = rollover(seed, 2025, keep_funds=True).declaration
    new.projects[0] = Project(name="老年健康服务", indicators=[Indicator(level1="产出指标", level2="数量指标", level3="讲座", value_raw="=3(场)")])
    kinds = [(c.kind, c.project) for c in compare(seed, new).changes]
    assert kinds == [("project_added", "老年健康服务"), ("project_removed", NAMES[0])]


def test_funds_change_gives_amount_and_percent(seed):
    new = rollover(seed, 2025, keep_funds=True).declaration
    new.projects[1].funds.annual = Decimal("1000000.00")
    (c,) = compare(seed, new).changes
    assert (c.field, c.old, c.new, c.direction) == ("funds.annual", "1,391,700.00", "1,000,000.00", "lowered")
    assert (c.delta, c.percent) == (Decimal("-391700.00"), Decimal("-28.15"))


def test_the_same_indicator_twice_pairs_in_order():
    def form(values):
        return Declaration(projects=[Project(name="甲", indicators=[
            Indicator(level1="产出指标", level2="数量指标", level3="场次", value_raw=v, target=parsed(v).target) for v in values])])

    changes = compare(form(["=1(场)", "=2(场)"]), form(["=1(场)", "=3(场)", "=4(场)"])).changes
    assert [(c.kind, c.old, c.new) for c in changes] == [("value_changed", "=2(场)", "=3(场)"), ("indicator_added", None, "=4(场)")]


# --------------------------------------------------------------------------- hypothesis: edits one for one


def _expected_direction(old: str, new: str) -> str:
    a, b = parsed(old).target, parsed(new).target
    if not isinstance(a, QuantitativeTarget) or not isinstance(b, QuantitativeTarget):
        return "changed"
    up = b.number > a.number
    return ("lowered" if up else "raised") if a.operator in ("≤", "<") else ("raised" if up else "lowered")


project_edit = st.one_of(
    st.just(("keep",)),
    st.just(("drop",)),
    st.just(("rename",)),
    st.tuples(
        st.just("edit"),
        st.sets(st.integers(0, 40), max_size=4),  # indicators whose 指标值 changes (index mod count)
        st.sets(st.integers(0, 40), max_size=2),  # indicators removed
        st.integers(0, 2),  # indicators added
        st.one_of(st.none(), st.decimals(min_value=1, max_value=10**7, places=2)),  # new annual amount
        st.booleans(),  # goal text changed
        st.integers(1, 50),  # how far a number moves
        st.booleans(),  # up or down
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(project_edit, min_size=4, max_size=4), add_project=st.booleans())
def test_rollover_then_random_edits_are_reported_one_for_one(seed, edits, add_project):
    drop = [n for n, e in zip(NAMES, edits) if e[0] == "drop"]
    if len(drop) == len(NAMES):
        drop = drop[1:]  # rollover keeps at least one project
    new = rollover(seed, 2025, keep_funds=True, drop=drop).declaration
    expected = []
    by_name = {p.name: p for p in new.projects}
    for name, edit in zip(NAMES, edits):
        if name in drop:
            expected.append(("project_removed", name, None, None, None, None))
            continue
        p = by_name[name]
        if edit[0] == "drop":
            continue
        if edit[0] == "rename":
            p.name = name + "（续）"
            expected.append(("project_renamed", p.name, None, None, None, None))
        if edit[0] != "edit":
            continue
        _, changed, removed, added, amount, goal, step, up = edit
        keys = [(i.level1, i.level2, i.level3) for i in p.indicators]
        unique = [k for k in range(len(keys)) if keys.count(keys[k]) == 1]
        removed_idx = {unique[k % len(unique)] for k in removed}
        changed_idx = {unique[k % len(unique)] for k in changed} - removed_idx
        for k in sorted(changed_idx):
            ind = p.indicators[k]
            old = ind.value_raw
            t = parsed(old).target
            if isinstance(t, QuantitativeTarget):
                number = t.number + step if up or t.number - step < 0 else t.number - step
                text = f"{t.operator}{number}({t.unit})" if t.unit else f"{t.operator}{number}"
            else:
                text = old + "，稳步提高"
            _set_value(ind, text)
            expected.append(("value_changed", name, "indicator", *keys[k]))
        for k in removed_idx:
            expected.append(("indicator_removed", name, "indicator", *keys[k]))
        p.indicators = [ind for k, ind in enumerate(p.indicators) if k not in removed_idx]
        for n in range(added):
            ind = Indicator(level1="效益指标", level2="社会效益指标", level3=f"新指标{n}")
            _set_value(ind, f"≥{80 + n}(%)")
            p.indicators.append(ind)
            expected.append(("indicator_added", name, "indicator", "效益指标", "社会效益指标", f"新指标{n}"))
        if amount is not None and amount != p.funds.annual:
            p.funds.annual = amount
            expected.append(("funds_changed", name, "funds.annual", None, None, None))
        if goal:
            p.annual_goal += "（本年度新增：开展评估。）"
            expected.append(("goal_changed", name, "annual_goal", None, None, None))
    if add_project:
        extra = Project(name="社区心理健康支持计划", year=2025)
        ind = Indicator(level1="产出指标", level2="质量指标", level3="咨询个案结案率")
        _set_value(ind, "≥95(%)")
        extra.indicators.append(ind)
        new.projects.append(extra)
        expected.append(("project_added", extra.name, None, None, None, None))
    got = compare(seed, new).changes
    assert sorted((c.key for c in got), key=repr) == sorted(expected, key=repr)
    for c in got:
        if c.kind == "value_changed":
            assert c.direction == _expected_direction(c.old, c.new)


# --------------------------------------------------------------------------- CLI and the 对比 sheet


@pytest.fixture()
def edited(tmp_path, seed):
    new = rollover(seed, 2025, keep_funds=True).declaration
    p = new.projects
    p[0].funds.annual = Decimal("600000.00")
    _set_value(p[1].indicators[0], "<95(百分比)")
    _set_value(p[1].indicators[-1], "≥85.00(百分比)")
    del p[2].indicators[1]
    ind = Indicator(level1="效益指标", level2="社会效益指标", level3="青春健康知晓率")
    _set_value(ind, "≥80%")
    p[0].indicators.append(ind)
    path = tmp_path / "2025.xlsx"
    build_workbook(new, path)
    return path


def test_cli_diff_report_json_and_workbook(tmp_path, seed_path, edited):
    out = tmp_path / "对比.xlsx"
    result = runner.invoke(app, ["diff", str(seed_path), str(edited), "-o", str(out)])
    assert result.exit_code == 1, result.output  # like diff: 1 = there are changes
    text = result.stdout
    assert "成本指标/经济成本指标/成本控制率：<100(百分比) → <95(百分比)（目标提高）" in text
    assert "新市民健康服务活动满意度：≥90.00(百分比) → ≥85.00(百分比)（目标降低）" in text
    assert "资金 年度资金申请总额：571,000.00 → 600,000.00（+29,000.00 元，+5.08%）" in text
    assert "删除指标 产出指标/数量指标/暖心家园健康行：=8.00(个)" in text
    data = json.loads(runner.invoke(app, ["diff", str(seed_path), str(edited), "--json"]).stdout)
    assert data["summary"]["raised"] == 1 and data["summary"]["lowered"] == 1
    assert {c["kind"] for c in data["changes"]} == {"funds_changed", "value_changed", "indicator_removed", "indicator_added"}
    wb = openpyxl.load_workbook(out)
    ws = wb[SHEET_NAME]
    rows = {(r[1].value, r[4].value): r for r in ws.iter_rows(min_row=4)}
    assert rows[("指标值变化", "成本控制率")][0].fill.fgColor.rgb.endswith(FILLS["raised"]["bg_color"][1:])
    assert rows[("指标值变化", "新市民健康服务活动满意度")][0].fill.fgColor.rgb.endswith(FILLS["lowered"]["bg_color"][1:])
    assert rows[("删除指标", "暖心家园健康行")][0].fill.fgColor.rgb.endswith(FILLS["removed"]["bg_color"][1:])
    assert rows[("新增指标", "青春健康知晓率")][0].fill.fgColor.rgb.endswith(FILLS["added"]["bg_color"][1:])
    # 指标值 that look like formulas stay text
    value = rows[("指标值变化", "成本控制率")][5]
    assert value.data_type == "s" and value.value == "<100(百分比)"
    assert ws.print_title_rows == "$3:$3" and ws.page_setup.orientation == "landscape"


def test_cli_diff_of_the_same_forms_exits_0(seed_path):
    result = runner.invoke(app, ["diff", str(seed_path), str(seed_path)])
    assert result.exit_code == 0
    assert "没有变化" in result.stdout


def test_consolidate_against_last_year_adds_the_comparison_sheet(tmp_path, seed_path, edited):
    out = tmp_path / "汇总表.xlsx"
    result = runner.invoke(app, ["consolidate", str(edited), "-o", str(out), "--against", str(seed_path)])
    assert result.exit_code == 0, result.output
    assert "对比上年" in result.stdout
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-1] == SHEET_NAME
    assert wb[SHEET_NAME].max_row == 3 + 5  # title, summary, header + 5 changes


def test_colour_of_every_kind():
    from xltargets.diff.changes import Change

    assert colour_of(Change("project_added", "甲")) == "added"
    assert colour_of(Change("indicator_removed", "甲")) == "removed"
    assert colour_of(Change("goal_changed", "甲")) == "changed"
    assert colour_of(Change("funds_changed", "甲", direction="raised")) == "raised"
