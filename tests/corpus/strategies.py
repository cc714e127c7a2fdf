"""Hypothesis strategies for random declarations (shared by the property tests and roundtrip.py).

Texts mix CJK, ASCII punctuation and look-alikes of numbers, dates and
formulas (``0012``, ``1e5``, ``=1+1``, ``7.11世界人口日…``). Texts the
label-based importer cannot tell from a form's structure (a 三级指标 spelled
exactly like a label such as 年度总体目标, ``<p>`` tags, footers such as 注：)
are left out: docs/reliability.md lists this limit.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from xltargets import framework as fw
from xltargets.importing.cells import normalise_label
from xltargets.importing.forms import label_key
from xltargets.importing.labels import ALL_LABELS, FOOTER_PREFIXES, LEVEL_SYNONYMS
from xltargets.model import Declaration, Funds, Indicator, Project
from xltargets.targets import parse_target

__all__ = ["declarations", "texts", "LOOKALIKES"]

_ALPHABET = st.sampled_from(
    list("项目培训宣传服务家庭健康协会基层能力建设暖心行动青春率满意度人次场所")
    + list("abcXYZ0123456789=+-@.,()（）%：:/[]*?\\'\" ≥≤_&#|$!~^{}")
)
LOOKALIKES = ["7.11世界人口日主题宣传活动", "529会员日", "=1+1", "+1+2", "-2+3", "@SUM(A1)", "0012", "1e5",
              "2024-05-29", "TRUE", "#REF!", "50%", "3/4", "[试点]*项目?/a:b\\c", "'引号'", "History", "下拉列表"]
_LEVEL_WORDS = set(LEVEL_SYNONYMS)
_RESERVED = set(ALL_LABELS) | set(fw.LEVEL1) | set(fw.ALL_LEVEL2)


def _acceptable(text: str) -> bool:
    """Texts the label-based importer cannot tell from structure are out of scope (docs/reliability.md)."""
    n = normalise_label(text)
    return text == text.strip() and n not in _RESERVED and label_key(n) is None and n not in _LEVEL_WORDS and not n.startswith(FOOTER_PREFIXES) and "<" not in text


def texts(min_size=0, max_size=40):
    free = st.text(_ALPHABET, min_size=max(min_size, 1), max_size=max_size).filter(_acceptable)
    pool = st.one_of(st.sampled_from(LOOKALIKES), free)
    return pool if min_size else st.one_of(st.just(""), pool)


def _quantitative(op: str, number, decimals: int, unit: str) -> str:
    return f"{op}{number:.{decimals}f}({unit})"


def _parsed(text: str):
    return parse_target(text).target


def _lower(text: str) -> str:
    return text.lower()


# strategies are built once: building them inside a composite costs more than drawing
TARGETS = st.one_of(
    st.builds(
        _quantitative,
        st.sampled_from(["=", "≥", "≤", ">", "<"]),
        st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
        st.integers(0, 2),
        st.sampled_from(fw.UNITS),
    ),
    st.sampled_from(fw.QUALITATIVE_VALUES + fw.ASSESSMENT_GRADES),
).map(_parsed)
LEVEL_PAIRS = st.sampled_from([(l1, l2) for l1 in fw.LEVEL1 for l2 in fw.allowed_level2(l1)])
NAME = texts(1, 40)
LEVEL3 = texts(1, 30)
SHORT = texts()
GOAL = texts(max_size=200)
ANNUAL_GOAL = texts(1, 300)
AMOUNT = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**11, places=2, allow_nan=False))
DATE = st.one_of(st.none(), st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
NATURE = st.sampled_from(list(fw.PROJECT_NATURES))
CATEGORY = st.sampled_from(fw.PROJECT_CATEGORIES)
UNIT = st.sampled_from(["上海市计划生育协会", "某区卫生健康委员会"])
NAMES = st.lists(NAME, min_size=1, max_size=2, unique_by=_lower)


@st.composite
def indicators(draw):
    level1, level2 = draw(LEVEL_PAIRS)
    return Indicator(level1=level1, level2=level2, level3=draw(LEVEL3), target=draw(TARGETS))


INDICATORS = st.lists(indicators(), min_size=1, max_size=10)


@st.composite
def declarations(draw):
    year = draw(st.integers(2015, 2035))
    unit = draw(UNIT)
    projects = [
        Project(
            name=name,
            nature=draw(NATURE),
            category=draw(CATEGORY),
            department=draw(SHORT),
            unit=unit,
            start=draw(DATE),
            end=draw(DATE),
            funds=Funds(**{k: draw(AMOUNT) for k in Funds.model_fields}),
            total_goal=draw(GOAL),
            annual_goal=draw(ANNUAL_GOAL),
            year=year,
            indicators=draw(INDICATORS),
        )
        for name in draw(NAMES)
    ]
    return Declaration(title="", organisation=unit, year=year, projects=projects)
