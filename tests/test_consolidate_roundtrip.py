"""Declaration → 汇总表 workbook → importer is the identity (hypothesis).

Random forms with awkward text (names that look like formulas, numbers or
dates, long goals, many indicators, blank amounts) survive consolidation and
read back unchanged: nothing is lost in the 汇总表.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xltargets.consolidate import write_workbook
from xltargets.framework import LEVEL2_CURRENT, PROJECT_CATEGORIES, PROJECT_NATURES, QUALITATIVE_VALUES, UNITS
from xltargets.importing import read_sources
from xltargets.model import Declaration, Funds, Indicator, Project, QualitativeTarget, QuantitativeTarget

_CHARS = "甲乙丙丁戊己庚辛壬癸春夏秋冬山水云天计生健康服务活动0123456789.-+/=%"
_text = st.text(alphabet=_CHARS, min_size=1, max_size=40).map(str.strip).filter(bool)
_tricky = st.sampled_from(["7.11世界人口日主题活动", "=1+1", "0012", "529会员日", "2024-01-01", "1.5", "-3", "+86"])
_name = st.one_of(_tricky, _text)

_pairs = [(l1, l2) for l1, l2s in LEVEL2_CURRENT.items() for l2 in l2s]
_quant = st.builds(
    lambda op, n, d, u: QuantitativeTarget(operator=op, number=Decimal(n).scaleb(-d), decimals=d, unit=u),
    st.sampled_from(["=", "≥", "≤", ">", "<"]),
    st.integers(0, 10**7),
    st.integers(0, 2),
    st.sampled_from(sorted(UNITS)),
)
_qual = st.sampled_from(sorted(QUALITATIVE_VALUES)).map(lambda t: QualitativeTarget(text=t))
_indicator = st.builds(
    lambda pair, l3, target: Indicator(level1=pair[0], level2=pair[1], level3=l3, target=target),
    st.sampled_from(_pairs),
    _name,
    st.one_of(_quant, _qual),
)
_money = st.one_of(st.none(), st.integers(0, 10**10).map(lambda c: Decimal(c).scaleb(-2)))
_date = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def projects(draw) -> Project:
    inds = draw(st.lists(_indicator, min_size=1, max_size=30))
    # the form groups indicators by 一级 then 二级, as merged cells do
    order = {pair: i for i, pair in enumerate(_pairs)}
    inds.sort(key=lambda i: order[(i.level1, i.level2)])
    return Project(
        name=draw(_name),
        nature=draw(st.sampled_from(sorted(PROJECT_NATURES))),
        category=draw(st.sampled_from(PROJECT_CATEGORIES)),
        department=draw(_text),
        unit=draw(_name),
        start=draw(_date),
        end=draw(_date),
        funds=Funds(**{f: draw(_money) for f in Funds.model_fields}),
        total_goal=draw(st.one_of(st.just(""), _text)),
        annual_goal=draw(st.text(alphabet=_CHARS + "，。；", min_size=1, max_size=600).map(str.strip).filter(bool)),
        year=2024,
        indicators=inds,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(projects(), min_size=1, max_size=3, unique_by=lambda p: p.name))
def test_summary_reads_back_as_the_same_declaration(items):
    decl = Declaration(organisation="示例单位", year=2024, projects=items)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "汇总表.xlsx"
        write_workbook(out, decl, [], title="示例单位2024年度项目绩效目标汇总表")
        back = read_sources([out]).declaration
    assert [p.content() for p in back.projects] == [p.content() for p in decl.projects]
    assert (back.organisation, back.year) == ("示例单位", 2024)
