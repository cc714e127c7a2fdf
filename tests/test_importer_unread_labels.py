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
    pytest.param(
        [["项目名称", "乡村道路维护"], ["联系人：李四", "项目负责人:张三"]],
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：联系人“李四”（A2）、项目负责人“张三”（B2）。",
        "A2", id="label-and-value-in-one-cell"),
    pytest.param(
        [["项目名称", "乡村道路维护"], ["项目属性", "基础建设、修缮类", "项目期", "1年"], ["中央主管部门", "财政部"]],
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：项目属性“基础建设、修缮类”（B2）、项目期“1年”（D2）、中央主管部门“财政部”（B3）。",
        "B2", id="项目属性-项目期-中央主管部门"),
    pytest.param(
        [["项目名称", "乡村道路维护"], ["资金情况(万元)", "年度资金总额:", "16"], ["", "其中 :上级资金", "16"]],
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：其中：上级资金“16”（C3）。",
        "C3", id="funds-row-其中上级资金"),
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


SELF = [["项目支出绩效自评表"], ["项目名称", "乡村道路维护"],
        ["项目资金(万元)", "", "全年预算数", "全年执行数", "执行率", "历年结余结转", "资金结余率(%)⑧=⑦/④"]]


@pytest.mark.parametrize("rows, message", [
    pytest.param(
        [["", "年度资金总额", "100", "90", "90%", "5", "10%"], ["", "其中:当年财政拨款", "80", "70", "87.5%", "", ""]],
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：历年结余结转“5”（F4）、资金结余率“10%”（G4）、"
        "其中：当年财政拨款 全年执行数“70”（D5）、其中：当年财政拨款 执行率“87.5%”（E5）。",
        id="columns-with-no-field-and-a-funds-row-beyond-its-read-cell"),
    pytest.param(
        [["", "年度资金总额", "100", "90", "90%", "", "—"], ["", "其中：中央补助", "—", "", "/", "", ""]],
        None, id="blank-and-not-applicable-cells-none"),
])
def test_a_self_assessment_block_names_its_unread_cells(rows, message):
    result = import_grid([*SELF, *rows, *TABLE], sheet="Sheet1")
    (project,) = result.declaration.projects
    assert project.execution.executed == 90 and project.funds.annual == 100
    found = [f.message for f in result.findings if f.code == "XLT-W113"]
    assert found == ([message] if message else [])


def test_a_read_inline_label_is_not_named():
    project, found = unread_findings([["项目名称：乡村道路维护"], ["实施单位：某镇政府", "联系人："]])
    assert (project.unit, found) == ("某镇政府", [])


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
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：部门预算编码“901001033”（G3）、历年结余结转“213722.82”（D12）、"
        "年中调整金额“0”（E12）、本年度结余金额“204743.84”（I12）、资金结余率“7%”（J12）。",
        id="ningde-部门整体-编码-and-资金结构-columns-with-no-field"),
    pytest.param(
        "wuhan-qingshan-edu-2020-boruo.xlsx",
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：其中：上级资金“16”（C6）。",
        id="wuhan-boruo-其中上级资金"),
    pytest.param(
        "wuhan-qingshan-edu-2020-jichusheshi.xlsx",
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：项目属性“基础建设、修缮类”（B5）。",
        id="wuhan-jichusheshi-项目属性"),
    pytest.param(
        "xinjiang-alaer-6tuan-2021-baoxianku.xlsx",
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：项目属性“兵团推进乡村振兴补助资金”（B5）、项目期“1年”（D5）。",
        id="xinjiang-项目属性-项目期"),
    pytest.param(
        "sichuan-langzhong-jiaotong-2021-zhuanyi-ziping.xlsx",
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：中央主管部门“财政部”（B4）、地方主管部门“阆中市交通运输局”（B5）、"
        "其中：中央补助 全年预算数“4000”（C8）、"
        "其中：中央补助 全年执行数“4000”（D8）、其中：中央补助 预算执行率“100%”（E8）。",
        id="langzhong-中央-and-地方主管部门-and-其中中央补助-row"),
    pytest.param(
        "anhui-jinzhai-chagu-2023-bumen-ziping.xlsx",
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：其中：当年财政拨款 全年预算数“329.77”（D6）、"
        "其中：当年财政拨款 全年执行数“338.31”（E6）、其中：当年财政拨款 执行率“102.59%”（G6）。",
        id="jinzhai-自评-其中当年财政拨款-row-beyond-its-read-cell"),
    pytest.param(
        "anhui-chizhou-tangxi-2022-ziping.xlsx",
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：其中：本年财政拨款 全年预算数“89.974”（D8）、"
        "其中：本年财政拨款 全年执行数“89.974”（E8）。",
        id="chizhou-自评-其中本年财政拨款-row"),
    pytest.param(
        "hb-langfang-spgcxx-2019-selfeval.xlsx",
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：其中：当年财政拨款 全年预算数“43.2”（D8）、"
        "其中：当年财政拨款 全年执行数“37.24”（E8）。",
        id="langfang-自评-其中当年财政拨款-row"),
    pytest.param(
        "sichuan-zhaohua-wjj-2021-tekun.xlsx",
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：1、一般公共预算“6.30”（C7）、2、政府性基金“0.00”（C8）、"
        "3、国有资本经营预算“0.00”（C9）、(二)自有资金小计“0.00”（C10）、1、事业收入“0.00”（C11）、2、经营性收入“0.00”（C12）、"
        "(三)其他收入“0.00”（C13）。",
        id="zhaohua-资金来源-list-under-财政拨款小计"),
    pytest.param(
        "pdf/quanzhou-zhengfuban-2026-budget.pdf",
        "以下栏目未导入（xltargets 没有对应字段），原文件中保留：部门预算编码“103”（E4）、项目支出“2285.57”（D6）、基本支出“5915.38”（D7）。",
        id="quanzhou-pdf-部门整体-编码-项目支出-基本支出"),
])
def test_real_form_names_what_is_not_imported(name, message):
    found = [f.message for f in read_sources([REAL / name]).findings if f.code == "XLT-W113"]
    assert found == [message]


REASON = ("原因“1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因(100字以内);2.年中发生预算调整的(追加或调减),"
          "应单独说明理由;3.其他资金包括:社会投入资金、银行贷款.”")


@pytest.mark.parametrize("name, cell, parts", [
    pytest.param("sichuan-daying-sfj-2023-ziping.xlsx", "C6", [
        "：2.项目实施内容及过程概述“2023年购买13台安可电脑,并于12月前完成资金支付。”（C6）、", REASON + "（I8）",
        "、其中：财政资金 调整后预算数“3.36”（D9）、其中：财政资金 预算执行数“3.36”（E9）、其中：财政资金 预算执行率“100.00%”（F9）、",
        "、财政专户管理资金 年初预算“0.00”（C10）、", "、单位资金 预算执行率“0.00%”（F11）。"],
        id="daying-自评-实施内容-原因-and-funds-rows"),
    pytest.param("sichuan-qingshen-fgj-2023-ziping.xlsx", "I9", [
        "：" + REASON + "（I9）、其中：财政资金 调整后预算数“251.89”（D10）、", "、财政专户管理资金 调整后预算数“0.00”（D11）、",
        "、单位资金 预算执行数“0.00”（E12）、"],
        id="qingshen-自评-原因-and-funds-rows"),
])
def test_real_self_assessment_names_its_funds_block(name, cell, parts):
    (finding,) = [f for f in read_sources([REAL / name]).findings if f.code == "XLT-W113"]
    assert finding.cell == cell
    for part in parts:
        assert part in finding.message


W113 = "以下栏目未导入（xltargets 没有对应字段），原文件中保留："


@pytest.mark.parametrize("name, messages", [
    pytest.param("pdf/changsha-zhijiao-2026-budget.pdf", [
        W113 + "单位编码“201056”（B7）。",
        W113 + "单位编码“201056”（B6）、一般公共预算“656.73”（E6）、基本支出“386.73”（I6）、项目支出“270.00”（J6）。"],
        id="changsha-zhijiao-list-单位编码-and-部门整体-按收入-按支出性质分"),
    pytest.param("pdf/changsha-xinfangju-2026-budget.pdf", [
        W113 + "单位编码“126001”（B7）。",
        W113 + "单位编码“126001”（B6）、一般公共预算“1,935.36”（E6）、基本支出“1,517.95”（I6）、项目支出“417.41”（J6）。"],
        id="changsha-xinfangju-list-单位编码-and-部门整体-按收入-按支出性质分"),
])
def test_a_list_table_names_its_project_columns_with_no_field(name, messages):
    found = [f.message for f in read_sources([REAL / name]).findings if f.code == "XLT-W113"]
    assert found == messages


def test_chongqing_names_every_not_compared_label():
    (finding,) = [f for f in read_sources([REAL / "chongqing-fengjie-yunwu-2023-jiagongyuan.xlsx"]).findings
                  if f.code == "XLT-W113"]
    # its JSON's not_compared: 项目负责人 / 联系电话, 项目审批, 项目总体概况, 财政资金预算分类 / 科目代码, 年度预算执行率
    for part in ("项目负责人“徐德迁”（D6）", "联系电话“13452649655”（F6）", "项目审批“奉节县民族宗教事务委员会",
                 "项目总体概况“新建中药材晾晒房一座", "财政资金预算分类“一般公共预算”（E10）", "财政资金科目代码“21305”（E12）",
                 "、年度预算执行率“100%”（C14）。"):
        assert part in finding.message
    assert finding.cell == "D6"
