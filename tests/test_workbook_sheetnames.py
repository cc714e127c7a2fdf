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


@pytest.mark.parametrize("name", ["校验结果", "_xlt_marks", "_XLT_MARKS"])
def test_a_project_never_gets_a_sheet_the_add_ins_write(name):
    # a project named 校验结果 got that sheet: the add-ins skip it when reading the workbook (the project missing from
    # 校验 and 汇总), and 校验 cleared it to write its results (the form's cells lost): session 8's attack pass
    assert unique_sheet_name(name, []) == f"{name}(2)"
    assert sheet_names_for([name, name]) == [f"{name}(2)", f"{name}(3)"]


def test_the_add_ins_sheets_are_the_pipelines():
    from xltargets.pipeline import ADDIN_SHEETS
    from xltargets.workbook import sheetnames

    assert sheetnames._ADDIN == {s.lower() for s in ADDIN_SHEETS}


def test_an_imported_project_named_like_the_results_sheet_keeps_its_form(tmp_path, seed_path):
    from openpyxl import load_workbook

    from xltargets.cli import app
    from xltargets.cli.testing import CliRunner

    src = tmp_path / "申报.tsv"
    src.write_text(seed_path.read_text(encoding="utf-8").replace("生殖健康咨询服务", "校验结果"), encoding="utf-8")
    out = tmp_path / "申报.xlsm"
    assert CliRunner().invoke(app, ["import", str(src), "-o", str(out)], catch_exceptions=False).exit_code in (0, 1)
    names = load_workbook(out, read_only=True).sheetnames
    assert "校验结果(2)" in names and "校验结果" not in names
