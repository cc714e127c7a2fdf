"""Sheet names made from 项目名称: legal, ≤ 31, unique, readable."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from xltargets.workbook.sheetnames import MAX_LEN, legal_sheet_name, sheet_names_for, unique_sheet_name

FORBIDDEN = set('[]:*?/\\')


@pytest.mark.parametrize(
    "name, expected",
    [
        pytest.param("生殖健康咨询服务", "生殖健康咨询服务", id="plain"),
        pytest.param("a/b:c", "a／b：c", id="forbidden-become-fullwidth"),
        pytest.param("[试点]*项目?", "［试点］＊项目？", id="brackets-star-question"),
        pytest.param("'引号'", "引号", id="apostrophes-trimmed"),
        pytest.param("History", "项目", id="reserved"),
        pytest.param("   ", "项目", id="blank"),
        pytest.param("第一行\n第二行", "第一行 第二行", id="newline"),
        pytest.param("长" * 40, "长" * 31, id="cut-to-31"),
    ],
)
def test_legal_sheet_name(name, expected):
    assert legal_sheet_name(name) == expected


def test_unique_is_case_insensitive_and_keeps_length():
    base = "A" * 31
    assert unique_sheet_name(base, [base.lower()]) == "A" * 28 + "(2)"
    assert unique_sheet_name("x", ["X", "x(2)"]) == "x(3)"


def test_names_for_duplicates_and_blanks():
    assert sheet_names_for(["甲", "甲", "", "乙"], taken=["填写说明"]) == ["甲", "甲(2)", "项目3", "乙"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=60), min_size=1, max_size=8))
def test_any_names_are_accepted_by_openpyxl(names):
    out = sheet_names_for(names, taken=["填写说明"])
    assert len({n.lower() for n in out}) == len(out)
    wb = Workbook()
    for n in out:
        assert 1 <= len(n.encode("utf-16-le")) // 2 <= MAX_LEN
        assert not FORBIDDEN & set(n)
        assert not n.startswith("'") and not n.endswith("'")
        wb.create_sheet(n)  # openpyxl raises on an illegal title
