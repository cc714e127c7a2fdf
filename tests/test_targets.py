"""The 指标值 grammar: canonical round trips, normalisation on input, unparseable values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xltargets.framework import OPERATORS, QUALITATIVE_VALUES, UNITS
from xltargets.model import QualitativeTarget, QuantitativeTarget, RawTarget
from xltargets.targets import format_target, looks_quantitative, parse_target

# -- canonical values: format(parse(s)) == s, nothing to note ------------------------------------

CANONICAL = [
    "=10.00(所)",
    "<100(百分比)",
    "≥90.00(%)",
    "及时",
    "≥85.00(分)",
    "≤5(天)",
    ">0.5(万元)",
    "=500000.00(到达量)",
    "≥150000.00(人次)",
    "社会效益良好",
    "部分达到预期目标",
    "≥153.3(㎡)",
    "=10(m²)",
]


@pytest.mark.parametrize("text", CANONICAL)
def test_canonical_round_trip(text: str):
    parsed = parse_target(text)
    assert format_target(parsed.target) == text
    assert parsed.notes == [] and not parsed.normalised


def test_canonical_parts():
    t = parse_target("=10.00(所)").target
    assert t == QuantitativeTarget(operator="=", number=Decimal("10.00"), decimals=2, unit="所")
    assert parse_target("<100(百分比)").target.decimals == 0
    assert parse_target("及时").target == QualitativeTarget(text="及时")


@pytest.mark.parametrize("text", ["", "   ", None, "\n"])
def test_blank_is_none(text):
    parsed = parse_target(text)
    assert parsed.target is None and parsed.notes == []


# -- normalisation: parsed, with a note saying how -----------------------------------------------

NORMALISED = [
    pytest.param("＝10.00(所)", "=10.00(所)", "运算符“＝”按“=”理解", id="full-width-equals"),
    pytest.param("＞5(人)", ">5(人)", "运算符“＞”按“>”理解", id="full-width-greater"),
    pytest.param("＜3(次)", "<3(次)", "运算符“＜”按“<”理解", id="full-width-less"),
    pytest.param(">=90(%)", "≥90(%)", "运算符“>=”按“≥”理解", id="ascii-greater-equal"),
    pytest.param("<=5(天)", "≤5(天)", "运算符“<=”按“≤”理解", id="ascii-less-equal"),
    pytest.param("不低于90.00(%)", "≥90.00(%)", "运算符“不低于”按“≥”理解", id="words-不低于"),
    pytest.param("不超过5(天)", "≤5(天)", "运算符“不超过”按“≤”理解", id="words-不超过"),
    pytest.param("不少于10个", "≥10(个)", "运算符“不少于”按“≥”理解", id="words-不少于"),
    pytest.param("不高于3次", "≤3(次)", "运算符“不高于”按“≤”理解", id="words-不高于"),
    pytest.param("100%", "=100(%)", "缺少运算符，按“=”理解", id="missing-brackets-and-operator"),
    pytest.param("985米", "=985(米)", "单位“米”未加括号", id="missing-operator-985米"),
    pytest.param("≥80M", "≥80(M)", "单位“M”未加括号", id="glued-unit-80M"),
    pytest.param("250万", "=250(万)", "单位“万”未加括号", id="glued-unit-250万"),
    pytest.param("=10.00（所）", "=10.00(所)", "全角括号按半角理解", id="full-width-brackets"),
    pytest.param("≥９０％", "≥90(%)", "单位“%”未加括号", id="full-width-digits-percent"),
    pytest.param("90%以上", "≥90(%)", "“以上”按运算符“≥”理解", id="suffix-以上"),
    pytest.param("5天以内", "≤5(天)", "“以内”按运算符“≤”理解", id="suffix-以内"),
    pytest.param("=1,000.00(元)", "=1000.00(元)", "数值中的千分位逗号已去掉", id="thousands-comma"),
    pytest.param("=10", "=10", "缺少计量单位", id="no-unit"),
    pytest.param("≥ 90 (%)", "≥90(%)", "已规范为“≥90(%)”", id="inner-spaces"),
    pytest.param("及  时", "及 时", "去掉了多余的空白", id="qualitative-spaces"),
    # a unit sign glued on is kept as written: NFKC would spell ㎡ as m2 (a unit holding a digit: unreadable,
    # 广州市生态环境局 2026 wrote ≥153.3㎡) and ㎏ as kg
    pytest.param("≥153.3㎡", "≥153.3(㎡)", "单位“㎡”未加括号", id="glued-unit-sign-㎡"),
    pytest.param("≥153.3（㎡）", "≥153.3(㎡)", "全角括号按半角理解", id="unit-sign-㎡-full-width-brackets"),
    pytest.param("≤5000m³", "≤5000(m³)", "单位“m³”未加括号", id="glued-unit-m³"),
    pytest.param("≥100m²", "≥100(m²)", "单位“m²”未加括号", id="glued-unit-m²"),
    pytest.param("=5㎏", "=5(㎏)", "单位“㎏”未加括号", id="glued-unit-sign-㎏-kept"),
    pytest.param("≤26℃", "≤26(℃)", "单位“℃”未加括号", id="glued-unit-sign-℃-kept"),
    # a sentence's full stop after the number (广州市交通运输局 2026 writes every 年度指标值 as a sentence)
    pytest.param("47.1公里。", "=47.1(公里)", "末尾的句号“。”已去掉", id="full-stop-after-a-number"),
    pytest.param("≥90%。", "≥90(%)", "末尾的句号“。”已去掉", id="full-stop-after-a-percentage"),
    # units longer than two characters, known by name, or a unit per another (广州市生态环境局 2026)
    pytest.param("384.3平方米", "=384.3(平方米)", "单位“平方米”未加括号", id="glued-unit-平方米"),
    pytest.param("15个工作日", "=15(个工作日)", "单位“个工作日”未加括号", id="glued-unit-个工作日"),
    pytest.param("≤7万元/人", "≤7(万元/人)", "单位“万元/人”未加括号", id="glued-unit-per-万元/人"),
    pytest.param("≤25微克/立方米", "≤25(微克/立方米)", "单位“微克/立方米”未加括号", id="glued-unit-per-微克/立方米"),
    pytest.param("1份/月", "=1(份/月)", "单位“份/月”未加括号", id="glued-unit-per-份/月"),
    pytest.param("≤100元/人/半天", "≤100(元/人/半天)", "单位“元/人/半天”未加括号", id="glued-unit-per-per-元/人/半天"),
    pytest.param("≤66.72元/㎡/月", "≤66.72(元/㎡/月)", "单位“元/㎡/月”未加括号", id="glued-unit-per-sign-元/㎡/月"),
    pytest.param("12台/套", "=12(台/套)", "单位“台/套”未加括号", id="glued-unit-either-台/套"),
    pytest.param("≥30平方米。", "≥30(平方米)", "末尾的句号“。”已去掉", id="glued-unit-平方米-full-stop"),
]


@pytest.mark.parametrize("text, canonical, note", NORMALISED)
def test_normalisation(text: str, canonical: str, note: str):
    parsed = parse_target(text)
    assert not isinstance(parsed.target, RawTarget)
    assert format_target(parsed.target) == canonical
    assert note in parsed.notes
    # the canonical form reads back to itself, with nothing left to note except a missing unit
    again = parse_target(canonical)
    assert format_target(again.target) == canonical
    assert again.notes in ([], ["缺少计量单位"])


# -- unparseable: kept verbatim as RawTarget ------------------------------------------------------

UNPARSEABLE = [
    pytest.param("≥", id="operator-only"),
    pytest.param("=abc(个)", id="letters-for-number"),
    pytest.param(">=90%%", id="double-percent"),
    pytest.param("=10.00(所)(个)", id="two-units"),
    pytest.param("24小时内响应", id="number-then-prose"),
    pytest.param("≥90.00(%)以上", id="operator-and-suffix"),
    pytest.param("#REF!", id="excel-error-ref"),
    pytest.param("#N/A", id="excel-error-na"),
    pytest.param("#DIV/0!", id="excel-error-div0"),
    pytest.param("=10(m2)", id="digit-in-unit"),  # a unit holding a digit, as written: no sign to read
    # words after a number are never a unit (广州市生态环境局 2026): what the number counts belongs in the 三级
    # name (合格率 =100(%)); read as =100(%) the word would be dropped, read as a unit a word would be one
    pytest.param("100%合格", id="percentage-then-word-合格"),
    pytest.param("100%全覆盖", id="percentage-then-word-全覆盖"),
    pytest.param("≥95%以上", id="operator-and-suffix-after-percent"),
    pytest.param("11个辖区", id="measure-word-then-noun-个辖区"),
    pytest.param("≥140个排污许可证", id="measure-word-then-noun-个排污许可证"),
    pytest.param("24小时内", id="number-then-小时内"),
    pytest.param("≥600罐车次", id="unknown-long-unit-罐车次"),
    pytest.param("28台（套）", id="unit-then-bracketed-unit"),  # =28(台(套)) would nest brackets
    pytest.param("2026/6/1", id="date-with-slashes"),
    pytest.param("=10/", id="per-nothing"),
    pytest.param("=10元//人", id="per-empty-part"),
    pytest.param("=10元/人员名单", id="per-prose"),
]


@pytest.mark.parametrize("text", UNPARSEABLE)
def test_unparseable(text: str):
    parsed = parse_target(text)
    assert parsed.target == RawTarget(text=text)
    assert format_target(parsed.target) == text


@pytest.mark.parametrize("text", ["应急抢险及时率为100%。", "安全事故发生控制数为零。", "。"])
def test_words_ending_in_a_full_stop_keep_it(text: str):
    parsed = parse_target(text)
    assert parsed.target == QualitativeTarget(text=text) and parsed.notes == []


@pytest.mark.parametrize("text", ["及时", "提高", "达到预期目标", "大于预期", "至少每季度一次", "大于"])
def test_words_without_numbers_are_qualitative(text: str):
    parsed = parse_target(text)
    assert parsed.target == QualitativeTarget(text=text)
    assert parsed.notes == []  # an operator word inside prose is not an operator
    assert not looks_quantitative(text)


# -- hypothesis: random canonical targets survive the round trip ----------------------------------

_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@st.composite
def quantitative_targets(draw) -> QuantitativeTarget:
    decimals = draw(st.integers(0, 4))
    units = st.one_of(st.sampled_from(UNITS), st.text(_CJK, min_size=1, max_size=4))
    return QuantitativeTarget(
        operator=draw(st.sampled_from(OPERATORS)),
        number=Decimal(draw(st.integers(0, 10**9))).scaleb(-decimals),
        decimals=decimals,
        unit=draw(units),
    )


@given(quantitative_targets())
def test_quantitative_round_trip(target: QuantitativeTarget):
    text = format_target(target)
    parsed = parse_target(text)
    assert parsed.target == target
    assert parsed.notes == []
    assert format_target(parsed.target) == text


@given(st.one_of(st.sampled_from(QUALITATIVE_VALUES), st.text(_CJK, min_size=1, max_size=12)))
def test_qualitative_round_trip(text: str):
    parsed = parse_target(text)
    assert parsed.target == QualitativeTarget(text=text)
    assert parsed.notes == []
