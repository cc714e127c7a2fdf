"""Facts of the seed 汇总表 (examples/sh-jishengxie-2024-summary.tsv), read off the file by hand.

Shared by the importer, workbook and consolidation tests.
"""

#: (project, 一级, 二级, 三级, 指标值): all 41 rows of the seed, in order, as printed
#: (merged 一级/二级 cells filled down, shifted rows put back in place).
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
    ('宣传教育及基层能力建设', '满意度指标', '服务对象满意度指标', '基层计生协工作人员能力提升项目满意度', '≥90.00(百分比)'),
]

NAMES = ["生殖健康咨询服务", "家庭健康促进及优生优育服务", "计生特殊家庭帮扶及权益维护", "宣传教育及基层能力建设"]

#: (project, field, value) of each form's header and annual funds: 4 projects × 11 fields
HEADER_FACTS = [
    (name, fieldname, value)
    for name, annual in zip(NAMES, ["571000.00", "1391700.00", "820000.00", "1451000.00"])
    for fieldname, value in [
        ("name", name),
        ("nature", "其他一次性项目"),
        ("category", "特定目标类"),
        ("department", "上海市卫生健康委员会"),
        ("unit", "上海市计划生育协会"),
        ("start", "2024-01-01"),
        ("end", "2024-12-31"),
        ("funds.annual", annual),
        ("funds.annual_fiscal", annual),
        ("funds.annual_carryover", "0.00"),
        ("funds.annual_other", "0.00"),
    ]
]

#: every fact of the seed a reader must give back: 41 indicator rows + 44 header and funds fields
FACTS = [*EXPECTED, *HEADER_FACTS]
assert len(FACTS) == 85


def facts_of(declaration) -> list[tuple]:
    """The :data:`FACTS` as read in *declaration* (same order, same shapes)."""
    rows = [(p.name, i.level1, i.level2, i.level3, i.value) for p in declaration.projects for i in p.indicators]
    header = []
    for p in declaration.projects:
        for fieldname in ("name", "nature", "category", "department", "unit", "start", "end"):
            value = getattr(p, fieldname)
            header.append((p.name, fieldname, value.isoformat() if hasattr(value, "isoformat") else value))
        for fieldname in ("annual", "annual_fiscal", "annual_carryover", "annual_other"):
            amount = getattr(p.funds, fieldname)
            header.append((p.name, f"funds.{fieldname}", None if amount is None else f"{amount:.2f}"))
    return [*rows, *header]


# -- the 85 facts of the seed: 11 header and funds facts of each of the 4 forms + 41 indicators --------

from decimal import Decimal  # noqa: E402

HEADER = {
    "nature": "其他一次性项目",
    "category": "特定目标类",
    "department": "上海市卫生健康委员会",
    "unit": "上海市计划生育协会",
    "start": "2024-01-01",
    "end": "2024-12-31",
}
#: 年度资金申请总额 of each form (= 当年财政拨款; 上年结转资金 and 其他资金 are 0.00)
ANNUAL = ["571000.00", "1391700.00", "820000.00", "1451000.00"]


def value_fact(value) -> tuple:
    """A 指标值 as a fact: (operator, number, unit) of a quantity (10 and 10.00 are one number:
    a spreadsheet that made a value a formula keeps no trailing zeros), else its text."""
    from xltargets.model import QuantitativeTarget
    from xltargets.targets import parse_target

    target = parse_target(value).target if isinstance(value, str) else value
    if isinstance(target, QuantitativeTarget):
        return ("quantity", target.operator, target.number.normalize(), target.unit)
    return ("text", target.format() if target is not None else "")


def expected_facts() -> list[tuple]:
    out = []
    for name, annual in zip(NAMES, ANNUAL):
        out.append((name, "name", name))
        out.extend((name, key, text) for key, text in HEADER.items())
        out.extend((name, f"funds.{key}", Decimal(amount)) for key, amount in (
            ("annual", annual), ("annual_fiscal", annual), ("annual_carryover", "0.00"), ("annual_other", "0.00")))
        out.extend((p, "indicator", l1, l2, l3, value_fact(v)) for p, l1, l2, l3, v in EXPECTED if p == name)
    return out


def facts(decl) -> list[tuple]:
    """The same 85 facts, read off an imported declaration."""
    out = []
    for p in decl.projects:
        out.append((p.name, "name", p.name))
        out.extend((p.name, key, str(getattr(p, key)) if getattr(p, key) is not None else None) for key in HEADER)
        out.extend((p.name, f"funds.{key}", getattr(p.funds, key))
                   for key in ("annual", "annual_fiscal", "annual_carryover", "annual_other"))
        out.extend((p.name, "indicator", i.level1, i.level2, i.level3, value_fact(i.target)) for i in p.indicators)
    return out
