"""Issue 15 ("never corrupt a value silently"): a header label the model has no field for
(:data:`~xltargets.importing.labels.UNREAD_LABELS`: 项目负责人, 联系电话, 项目审批 …) with a value
written beside it is not imported, and the importer says so: one XLT-W113 per form naming each
label, its value as written and its cell. Blank values, labels that are read, and the seed: none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from xltargets.importing import import_grid, read_sources

REAL = Path(__file__).parent / "realforms"

TABLE = [["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "培训场次", "=3(场)"]]


def unread_findings(rows):
    result = import_grid([*rows, *TABLE], sheet="Sheet1")
    (project,) = result.declaration.projects
    return project, [f for f in result.findings if f.code == "XLT-W113"]


@pytest.mark.parametrize("rows, message, cell", [
    pytest.param(
        [["项目名称", "乡村道路维护", "项目负责人", "张三", "联系电话", "0571-12345678"]],
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：项目负责人“张三”（D1）、联系电话“0571-12345678”（F1）。",
        "D1", id="负责人-and-电话-one-finding-naming-both"),
    pytest.param(
        [["项目名称", "乡村道路维护"], ["实施单位", "某镇政府", "项目负责人", "张三"], ["归口科室", "(08)经济贸易科"]],
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：项目负责人“张三”（D2）、归口科室“(08)经济贸易科”（B3）。",
        "D2", id="two-rows-in-reading-order"),
    pytest.param(
        [["项目名称：乡村道路维护"], ["联系人：", "李四"]],
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：联系人“李四”（B2）。",
        "B2", id="label-with-colon-value-in-next-cell"),
    pytest.param(
        [["项目名称", "乡村道路维护", "联系电话", "0571 1234 转 8"]],
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：联系电话“0571 1234 转 8”（D1）。",
        "D1", id="value-as-written-inner-spaces-kept"),
])
def test_unread_values_are_named_in_one_finding(rows, message, cell):
    project, found = unread_findings(rows)
    assert [(f.message, f.cell, f.severity.value, f.project) for f in found] == [(message, cell, "warning", "乡村道路维护")]
    assert project.name == "乡村道路维护"


@pytest.mark.parametrize("rows", [
    pytest.param([["项目名称", "乡村道路维护", "项目负责人", "", "联系电话", "   "]], id="blank-values"),
    pytest.param([["项目名称", "乡村道路维护", "项目负责人"]], id="label-with-no-cell"),
    pytest.param([["项目名称", "乡村道路维护", "实施单位", "某镇政府"], ["主管部门", "县交通运输局"]], id="only-read-labels"),
    pytest.param([["项目名称", "乡村道路维护"]], id="no-unread-label"),
])
def test_no_finding_without_an_unread_value(rows):
    project, found = unread_findings(rows)
    assert found == []
    assert project.name == "乡村道路维护"


def test_the_blank_label_left_of_an_unread_one_stays_blank():
    project, found = unread_findings([["项目名称", "乡村道路维护"], ["实施单位", "", "项目负责人", "徐德迁"]])
    assert project.unit == ""
    assert [f.cell for f in found] == ["D2"]


def test_the_seed_has_none(seed_path):
    assert [f for f in read_sources([seed_path]).findings if f.code == "XLT-W113"] == []


@pytest.mark.parametrize("name, message", [
    pytest.param(
        "shaanxi-qingjian-jiaotong-2021-guoyuanlu.xlsx",
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：项目负责人及联系电话“刘志龙09125222043”（D4）。",
        id="shaanxi-项目负责人及联系电话"),
    pytest.param(
        "neimenggu-wuhai-gxs-2021-zaisheng.xlsx",
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：归口科室“(08)经济贸易科”（B5）。",
        id="wuhai-归口科室"),
    pytest.param(
        "fujian-ningde-dangshi-2018-bumen-ziping.xlsx",
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：部门预算编码“901001033”（G3）。",
        id="ningde-部门整体-部门预算编码"),
    pytest.param(
        "pdf/quanzhou-zhengfuban-2026-budget.pdf",
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：部门预算编码“103”（E4）、项目支出“2285.57”（D6）、基本支出“5915.38”（D7）。",
        id="quanzhou-pdf-部门整体-编码-项目支出-基本支出"),
])
def test_real_form_names_what_is_not_imported(name, message):
    found = [f.message for f in read_sources([REAL / name]).findings if f.code == "XLT-W113"]
    assert found == [message]


def test_chongqing_names_every_not_compared_label():
    (finding,) = [f for f in read_sources([REAL / "chongqing-fengjie-yunwu-2023-jiagongyuan.xlsx"]).findings
                  if f.code == "XLT-W113"]
    # its JSON's not_compared: 项目负责人 / 联系电话, 项目审批, 项目总体概况, 财政资金预算分类 / 科目代码
    for part in ("项目负责人“徐德迁”（D6）", "联系电话“13452649655”（F6）", "项目审批“奉节县民族宗教事务委员会",
                 "项目总体概况“新建中药材晾晒房一座", "财政资金预算分类“一般公共预算”（E10）", "财政资金科目代码“21305”（E12）"):
        assert part in finding.message
    assert finding.cell == "D6"
