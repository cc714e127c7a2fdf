"""The importer on the real 汇总表 (examples/sh-jishengxie-2024-summary.tsv)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xltargets.importing import read_sources

from seed_facts import EXPECTED, NAMES


@pytest.fixture(scope="module")
def seed(seed_path):
    return read_sources([seed_path])


def test_four_projects_in_order(seed):
    assert [p.name for p in seed.declaration.projects] == NAMES


def test_41_indicators_in_seed_order(seed):
    got = [
        (p.name, i.level1, i.level2, i.level3, i.value)
        for p in seed.declaration.projects
        for i in p.indicators
    ]
    assert len(got) == 41
    assert got == EXPECTED


def test_values_are_the_seed_text_verbatim(seed, seed_path):
    seed_cells = {c for line in seed_path.read_text(encoding="utf-8").splitlines() for c in line.split("\t")}
    for p in seed.declaration.projects:
        for i in p.indicators:
            assert i.value == i.value_raw
            assert i.value in seed_cells


def test_funds_sum_to_seed_total(seed):
    assert seed.declaration.annual_total == Decimal("4233700.00")
    assert [p.funds.annual for p in seed.declaration.projects] == [
        Decimal("571000.00"), Decimal("1391700.00"), Decimal("820000.00"), Decimal("1451000.00")
    ]
    for p in seed.declaration.projects:
        f = p.funds
        assert f.annual == f.annual_fiscal
        assert f.annual_carryover == Decimal("0.00") and f.annual_other == Decimal("0.00")
        assert f.total is None and f.total_fiscal is None and f.total_other is None


def test_header_fields(seed):
    for p in seed.declaration.projects:
        assert (p.nature, p.category) == ("其他一次性项目", "特定目标类")
        assert (p.department, p.unit) == ("上海市卫生健康委员会", "上海市计划生育协会")
        assert (p.start, p.end) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
        assert p.year == 2024
        assert p.total_goal == ""
        assert len(p.annual_goal) > 20


def test_declaration_title(seed):
    d = seed.declaration
    assert d.title == "上海市计划生育协会2024年度项目绩效目标汇总表"
    assert d.organisation == "上海市计划生育协会"
    assert d.year == 2024


def test_p_tags_stripped_and_reported(seed):
    p3 = seed.declaration.projects[2]
    assert not p3.annual_goal.startswith("<p>") and not p3.annual_goal.endswith("</p>")
    assert p3.annual_goal.startswith("继续深入推进暖心家园健康行服务项目")
    codes = [(f.code, f.project, f.cell) for f in seed.findings]
    assert codes == [("XLT-W103", "计生特殊家庭帮扶及权益维护", "D67")]


def test_origins_point_at_seed_cells(seed):
    p1 = seed.declaration.projects[0]
    assert p1.origin.cells["name"] == "B9"
    assert p1.origin.cells["funds.annual"] == "E12"
    assert p1.origin.cells["funds.annual_carryover"] == "F14"  # the shifted row
    quality = p1.indicators[3]
    assert (quality.level2, quality.origin.cells["value"]) == ("质量指标", "D22")
    # 一级 inherited from the merged cell above
    assert quality.origin.cells["level1"] == "B19"
