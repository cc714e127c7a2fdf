"""Issue 15, point 6: other form kinds (部门整体支出绩效目标表, 项目支出绩效自评表) are recognised and read."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from xltargets.cli import app
from xltargets.cli.testing import CliRunner
from xltargets.errors import InputError
from xltargets.importing import import_grid
from xltargets.model import Execution, Project
from xltargets.pipeline import check

import layouts


def one(grid):
    result = import_grid(grid, sheet="s")
    assert len(result.declaration.projects) == 1
    return result.declaration.projects[0], result


def test_department_form():
    p, result = one(layouts.department())
    assert (p.kind, p.name, p.year, p.money_unit) == ("department", "某市生态环境局", 2024, "万元")
    assert (p.funds.annual, p.funds.annual_fiscal, p.funds.annual_other) == (
        Decimal("1250.00"), Decimal("1200.00"), Decimal("50.00"))
    assert p.tasks == ["任务名称 | 主要内容 | 预算金额", "大气污染防治 | 开展重点行业治理 | 800.00", "水环境监测 | 完成断面监测 | 450.00"]
    assert p.annual_goal == "空气质量优良天数比例稳定提升。"
    assert [(i.level3, i.value) for i in p.indicators] == [
        ("监测断面数", "≥30个"), ("空气质量优良天数比例", "≥85%"), ("群众满意度", "≥90%")]
    assert result.findings == []


def test_self_assessment_form():
    p, result = one(layouts.self_assessment())
    assert (p.kind, p.name, p.year, p.money_unit) == ("self_assessment", "社区健康讲座", 2023, "万元")
    assert p.execution == Execution(budget_initial=Decimal("20.00"), budget=Decimal("20.00"), executed=Decimal("19.50"),
                                    rate="97.5%", weight="10", score="9.75", actual_goal="开展健康讲座25场。")
    assert p.annual_goal == "开展健康讲座30场。"
    assert p.indicators[0].extra == {"实际完成值": "25场", "分值": "10", "得分": "10", "偏差原因": "疫情影响"}


def test_project_form_stays_a_project():
    p, _ = one(layouts.seed_like())
    assert (p.kind, p.execution, p.tasks) == ("project", None, [])


def test_kind_is_validated():
    with pytest.raises(ValueError):
        Project(kind="budget")


def test_dump_shows_kind_and_name(tmp_path):
    path = tmp_path / "kinds.tsv"
    grid = layouts.department() + [[""]] + layouts.self_assessment() + [[""]] + layouts.seed_like()
    path.write_text("\n".join("\t".join(r) for r in grid) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["dump", str(path)])
    assert result.exit_code == 0, result.output
    projects = json.loads(result.stdout)["projects"]
    assert [(p["kind"], p["name"]) for p in projects] == [
        ("department", "某市生态环境局"), ("self_assessment", "社区健康讲座"), ("project", "测试项目")]


def _codes(grid):
    return [f.code for f in check(import_grid(grid, sheet="s")).findings]


def test_check_applies_the_rules_of_each_kind():
    # a 部门整体 form has no 项目性质/类别/计划日期: no finding about them
    dept = _codes(layouts.department())
    assert not {"XLT-W015", "XLT-W035", "XLT-E026"} & set(dept)
    assert "XLT-W015" in _codes([[c if c != "其他一次性项目" else "" for c in row] for row in layouts.seed_like()])
    # the hierarchy and the 指标值 grammar apply to every kind
    assert "XLT-W043" in dept


@pytest.mark.parametrize("score,expected", [("10", []), ("12", ["XLT-E030"])], ids=["within", "above"])
def test_score_not_above_weight(score, expected):
    codes = _codes(layouts.self_assessment(score=score, actual="30场"))
    assert [c for c in codes if c == "XLT-E030"] == expected


@pytest.mark.parametrize("actual,expected", [("30场", []), ("25场", ["XLT-W031"]), ("完成", [])],
                         ids=["met", "below", "not-a-number"])
def test_completion_against_target(actual, expected):
    codes = _codes(layouts.self_assessment(actual=actual))
    assert [c for c in codes if c == "XLT-W031"] == expected


def test_a_workbook_of_no_kind_is_refused_naming_what_was_found():
    grid = [["收入支出决算总表"], ["项目", "本年收入", "本年支出"], ["一般公共预算财政拨款收入", "100", "90"]]
    with pytest.raises(InputError) as info:
        import_grid(grid, sheet="s", file="决算.xlsx")
    assert "没有找到申报表" in str(info.value)
    assert "“收入支出决算总表”、“项目”、“本年收入”" in str(info.value)
    # the fix names every kind and every format that is read
    assert all(w in info.value.hint for w in ("部门整体支出绩效目标表", "绩效自评表", "xls", "ods", "CSV", "PDF"))


@pytest.mark.parametrize("label", ["部门", "单位名称", "部门名称"])
def test_a_loose_name_label_starts_a_form_only_under_a_title(label):
    with pytest.raises(InputError):
        import_grid([["姓名", label], ["张三", "财务处"]], sheet="s")
    grid = [["部门整体支出绩效目标表"], [label, "某局"], ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "场次", "≥3场"]]
    p, _ = one(grid)
    assert (p.kind, p.name) == ("department", "某局")
