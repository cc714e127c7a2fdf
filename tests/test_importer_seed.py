"""The importer on the real 汇总表 (examples/sh-jishengxie-2024-summary.tsv)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xltargets.importing import read_sources

# (project, 一级, 二级, 三级, 指标值) for all 41 rows, in the seed's order, as printed
# in the seed (merged 一级/二级 cells filled down, shifted rows put back in place).
EXPECTED = [
    ('生殖健康咨询服务', '产出指标', '数量指标', '青春健康高校项目', '=10.00(所)'),
    ('生殖健康咨询服务', '产出指标', '数量指标', '生命之舞推进项目', '=24.00(个)'),
    ('生殖健康咨询服务', '产出指标', '数量指标', '主持人培训及拓展开展活动次数', '=2.00(场)'),
    ('生殖健康咨询服务', '产出指标', '质量指标', '主持人培训', '≥85.00(分)'),
    ('生殖健康咨询服务', '产出指标', '时效指标', '预算执行率', '=100.00(百分比)'),
    ('生殖健康咨询服务', '满意度指标', '服务对象满意度指标', '生命之舞推进项目参与活动学生满意度', '≥85.00(百分比)'),
    ('家庭健康促进及优生优育服务', '成本指标', '经济成本指标', '成本控制率', '<100(百分比)'),
    ('家庭健康促进及优生优育服务', '产出指标', '数量指标', '家庭健康促进综合试点项目受益群众', '=1000.00(人)'),
    ('家庭健康促进及优生优育服务', '产出指标', '数量指标', '新市民健康服务活动场次', '≥20.00(场次)'),
    ('家庭健康促进及优生优育服务', '产出指标', '数量指标', '新市民健康服务人次', '≥150000.00(人次)'),
    ('家庭健康促进及优生优育服务', '产出指标', '数量指标', '村居级家庭健康指导员', '=6000.00(人数)'),
    ('家庭健康促进及优生优育服务', '产出指标', '数量指标', '家庭健康促进主题活动', '=1.00(场次)'),
    ('家庭健康促进及优生优育服务', '产出指标', '质量指标', '新市民健康服务经费执行', '≥99.00(百分比)'),
    ('家庭健康促进及优生优育服务', '产出指标', '时效指标', '长效管理情况维持项目发展所需要的制度建设以及维护费用等落实情况', '及时'),
    ('家庭健康促进及优生优育服务', '效益指标', '社会效益指标', '向日葵亲子小屋建成数', '=32.00(个)'),
    ('家庭健康促进及优生优育服务', '效益指标', '社会效益指标', '新市民健康服务活动宣传报道', '≥5000.00(人次)'),
    ('家庭健康促进及优生优育服务', '效益指标', '可持续影响指标', '新市民健康服务需求调查', '≥80.00(百分比)'),
    ('家庭健康促进及优生优育服务', '满意度指标', '服务对象满意度指标', '服务对象满意度', '≥90.00(百分比)'),
    ('家庭健康促进及优生优育服务', '满意度指标', '服务对象满意度指标', '新市民健康服务活动满意度', '≥90.00(百分比)'),
    ('计生特殊家庭帮扶及权益维护', '成本指标', '经济成本指标', '成本控制比率', '<100(百分比)'),
    ('计生特殊家庭帮扶及权益维护', '产出指标', '数量指标', '暖心家园健康行', '=8.00(个)'),
    ('计生特殊家庭帮扶及权益维护', '产出指标', '数量指标', '送法到身边社区讲座咨询活动', '=16.00(场)'),
    ('计生特殊家庭帮扶及权益维护', '产出指标', '质量指标', '项目经费按实使用情况', '=100.00(百分比)'),
    ('计生特殊家庭帮扶及权益维护', '产出指标', '时效指标', '长效管理情况', '管理良好'),
    ('计生特殊家庭帮扶及权益维护', '效益指标', '经济效益指标', '法律服务热线运行', '社会效益良好'),
    ('计生特殊家庭帮扶及权益维护', '满意度指标', '服务对象满意度指标', '送法到身边服务对象满意度', '≥90.00(百分比)'),
    ('计生特殊家庭帮扶及权益维护', '满意度指标', '服务对象满意度指标', '暖心家园健康行服务对象满意度', '≥90.00(百分比)'),
    ('宣传教育及基层能力建设', '成本指标', '经济成本指标', '成本完成率', '<100.00(百分比)'),
    ('宣传教育及基层能力建设', '产出指标', '数量指标', '529会员日主题活动参与人次', '≥25000.00(人次)'),
    ('宣传教育及基层能力建设', '产出指标', '数量指标', '7.11世界人口日主题参与人数', '≥100.00(人次)'),
    ('宣传教育及基层能力建设', '产出指标', '数量指标', '基层计生协工作人员能力提升系列活动参与人次', '=10000.00(人次)'),
    ('宣传教育及基层能力建设', '产出指标', '数量指标', '市计生协微信阅读量', '=50000.00(人次)'),
    ('宣传教育及基层能力建设', '产出指标', '质量指标', '市计生协网站访问量同比增加', '=30.00(百分比)'),
    ('宣传教育及基层能力建设', '产出指标', '质量指标', '志愿服务激励机制探索项目参与团队', '=4.00(个)'),
    ('宣传教育及基层能力建设', '产出指标', '质量指标', '志愿服务激励机制探索项目报告', '=4.00(个)'),
    ('宣传教育及基层能力建设', '产出指标', '质量指标', '婚育文化进万家项目', '=5.00(个)'),
    ('宣传教育及基层能力建设', '产出指标', '时效指标', '微信每周2期', '=100.00(百分比)'),
    ('宣传教育及基层能力建设', '效益指标', '社会效益指标', '科普讲座直播覆盖人群', '=500000.00(人次)'),
    ('宣传教育及基层能力建设', '效益指标', '社会效益指标', '计生协组织社会知晓率', '≥50.00(百分比)'),
    ('宣传教育及基层能力建设', '效益指标', '社会效益指标', '社会公益广告投放', '=500000.00(到达量)'),
    ('宣传教育及基层能力建设', '满意度指标', '服务对象满意度指标', '基层计生协工作人员能力提升项目满意度', '≥90.00(百分比)'),]

NAMES = ["生殖健康咨询服务", "家庭健康促进及优生优育服务", "计生特殊家庭帮扶及权益维护", "宣传教育及基层能力建设"]


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
