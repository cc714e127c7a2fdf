"""The labels of a 申报表, as data: how the importer recognises each field.

Every region prints the same fields under its own words. :data:`SYNONYMS` is the
one table of those words: a label as written (normalised, see
:func:`~.cells.normalise_label`) → the canonical label it stands for. The
importer looks labels up through :func:`canonical_label`; everything else in
this module is written with canonical labels only.
"""

from __future__ import annotations

import re

__all__ = [
    "FORM_TITLE",
    "FUNDS_OVER_AMOUNTS",
    "TITLE_LINE",
    "YEAR_LINE",
    "SYNONYMS",
    "canonical_label",
    "split_label",
    "HEADER_FIELDS",
    "SHORT_FIELDS",
    "FUND_LABELS",
    "OTHER_FUNDS",
    "FISCAL_FUNDS",
    "GOAL_LABELS",
    "BLOCK_LABELS",
    "INDICATOR_HEADERS",
    "VALUE_HEADERS",
    "OPERATOR_HEADERS",
    "UNIT_HEADERS",
    "EXTRA_HEADERS",
    "COLUMN_HEADERS",
    "LEVEL_SYNONYMS",
    "FOOTER_PREFIXES",
    "ALL_LABELS",
    "NAME_LABELS",
    "DEPARTMENT_NAME_LABELS",
    "TEXT_LIST_FUNDS",
    "TEXT_LIST_INDICATORS",
    "GOAL_LIST_NAME",
    "GOAL_LIST_GOAL",
    "GOAL_LIST_INTRO",
    "is_goal_list_header",
    "EXECUTION_HEADERS",
    "EXECUTION_PREFIXES",
    "SELF_GOAL_LABELS",
    "LIST_COLUMNS",
    "PERIOD_LABELS",
    "INLINE_LABELS",
    "UNREAD_LABELS",
    "UNREAD_FUNDS",
    "split_inline",
]

#: Title row of each form (normalised).
FORM_TITLE = "财政项目支出绩效目标申报表"

#: Any title row that starts a form: the current form's table ends above it.
#: (财政项目支出绩效目标申报表, 项目支出绩效目标表, …填报表, 部门整体支出绩效目标表,
#: 项目支出绩效自评表; an optional "(2024年度)" tail; 长春 2026 writes 「…绩效目标表预算表（预算表11）」.)
TITLE_LINE = re.compile(r"^.{0,40}?(?:绩效目标(?:申报|申请|填报)?表(?:预算表)?|绩效自评表|绩效评价表)(?:\(.{0,20}\))?$")

#: ``(2024年度)`` under the title.
YEAR_LINE = re.compile(r"^\(?(\d{4})年度?\)?$")

#: label as written → canonical label (one table: each entry has its own test in
#: tests/test_importer_layouts.py)
SYNONYMS: dict[str, str] = {
    # 主管部门
    "项目主管部门": "主管部门",
    "主管单位": "主管部门",
    "预算部门": "主管部门",
    "主管部门及代码": "主管部门",
    "主管部门及编码": "主管部门",
    "业务主管部门": "主管部门",  # Chongqing's 审批表 (tests/realforms/chongqing-fengjie-*)
    # 实施单位
    "项目执行单位": "实施单位",
    "项目单位": "实施单位",
    "项目实施单位": "实施单位",
    "执行单位": "实施单位",
    "资金使用单位": "实施单位",
    "预算单位": "实施单位",  # Sichuan's 申报表: the unit that holds the budget (tests/realforms/sichuan-zhaohua-*)
    "项目分类": "项目类别",  # Chongqing's 审批表: 资产资源类--房屋类
    # funds
    "项目总预算": "项目资金总额",  # Chongqing's 审批表: 项目总预算 / 当年年度预算 / 其中:财政资金 / 其中:其它资金
    "当年年度预算": "年度资金申请总额",
    "其中：其它资金": "其他资金",
    "中期资金总额": "项目资金总额",
    "年度资金总额": "年度资金申请总额",
    "年度资金总额：": "年度资金申请总额",
    "中期资金总额：": "项目资金总额",
    "项目资金总额：": "项目资金总额",
    "资金总额": "年度资金申请总额",
    "年度预算资金总额": "年度资金申请总额",  # 烟台 2026 (tests/realforms/pdf/yantai-*)
    "年度预算资金总额：": "年度资金申请总额",
    "当年资金总额": "年度资金申请总额",
    "当年资金总额：": "年度资金申请总额",
    "当年其他资金": "其他资金",
    "合计": "年度资金申请总额",
    "其中：财政拨款": "财政拨款",
    "财政拨款数": "财政拨款",  # 乌海's 投入目标 list (tests/realforms/neimenggu-wuhai-*)
    "其中：财政拨款数": "财政拨款",
    "财政拨款小计": "财政拨款",  # Sichuan's 资金来源 list: (一)财政拨款小计 over its 1、2、3、 parts
    "(一)财政拨款小计": "财政拨款",
    "财政性资金": "财政拨款",
    "其他来源资金": "其他资金",
    # goals
    "项目总体目标": "项目总目标",
    "中期目标": "项目总目标",
    "总目标": "项目总目标",
    "年度目标": "年度总体目标",
    "年度绩效目标": "年度总体目标",
    "项目实施期目标": "项目总目标",  # 泉州 2026 (tests/realforms/pdf): the goal of the whole implementation period
    "年度主要目标和成果": "年度总体目标",  # Chongqing's 审批表
    # the name a form starts at: 部门整体 forms name the department
    "部门名称": "项目名称",
    "部门": "项目名称",
    "转移支付(项目)名称": "项目名称",
    "转移支付名称": "项目名称",
    "单位(项目)名称": "项目名称",  # 长沙 2026's list table: a unit's row, then its projects' rows
    "项目名称(资金使用单位)": "项目名称",  # 广州 2026's list: a unit's row, then its projects' rows
    "单位名称": "项目名称",
    "部门(单位)名称": "项目名称",
    "预算部门名称": "项目名称",
    # 部门整体 goals
    "整体绩效目标": "年度总体目标",
    "部门整体绩效目标": "年度总体目标",
    "年度整体绩效目标": "年度总体目标",
    # 自评 funds
    "总额": "年度资金申请总额",
    "其中：本年财政拨款": "财政拨款",
    # indicator table columns
    "指标内容": "三级指标",
    "指标名称": "三级指标",
    "指标类型": "一级指标",
    "目标值": "指标值",
    "年度目标值": "指标值",
    "指标值(含数字及文字描述)": "指标值",
    "符号": "指标性质",
    "指标值类型": "指标性质",  # 长沙 2026: ≥ / ≤ / ＝, or 定性
    "运算符": "指标性质",
    "比较符": "指标性质",
    "度量单位": "计量单位",
    # 北京 2026 (预算表12 项目支出绩效目标表): 绩效指标性质 (≥ / ≤ / ＝ / 定性) | 本年绩效指标值 | 绩效度量单位
    "绩效指标性质": "指标性质",
    "本年绩效指标值": "指标值",
    "绩效度量单位": "计量单位",
    "单位": "计量单位",
}

#: a unit of amounts or a period written after a label: ``项目资金(万元)``, ``项目总目标(2024年-2026年)``
_SUFFIX = re.compile(r"^(?P<base>.+?)\((?P<tail>[^()]*)\)$")


def split_label(label: str) -> tuple[str, str]:
    """``"项目资金(万元)"`` → (``"项目资金"``, ``"万元"``); a label without a tail → (label, '')."""
    if not label.endswith(")"):
        return label, ""
    m = _SUFFIX.match(label)
    return (m.group("base"), m.group("tail")) if m else (label, "")


def canonical_label(label: str) -> str:
    """The canonical label a (normalised) label stands for; itself when it has no synonym."""
    return SYNONYMS.get(label, label)


#: Header labels → Project field.
HEADER_FIELDS: dict[str, str] = {
    "项目名称": "name",
    "项目性质": "nature",
    "项目类别": "category",
    "主管部门": "department",
    "实施单位": "unit",
    "计划开始日期": "start",
    "计划完成日期": "end",
}

#: a label whose value is the whole period ("202001-202012", "2024年1月-2024年12月"): start and end
PERIOD_LABELS = ("项目起止时间", "项目起止日期", "项目实施期限", "实施期限", "起止时间", "项目实施周期", "建设周期")

#: Header labels that may carry their value in their own cell, after a colon: ``项目名称：XXX``,
#: ``预算单位: 奉节县…`` (a line above the form, or a form typed without a grid).
INLINE_LABELS = frozenset([*HEADER_FIELDS, *PERIOD_LABELS, *(s for s, c in SYNONYMS.items() if c in HEADER_FIELDS)])
# (UNREAD_LABELS join them below: ``联系人：李四`` is a label and its value, named in XLT-W113, never read)

#: an inline value this long, or holding sentence punctuation, is prose that merely has a colon in it
#: (``实施单位：由乡政府组织实施，…``): not a header field
_INLINE_MAX = 60
_PROSE = frozenset("。；;！!？?，,")


def split_inline(label: str) -> tuple[str, str] | None:
    """A normalised cell text holding a header label and its value after a colon, split:
    ``"项目名称：XXX"`` → (``"项目名称"``, ``"XXX"``); None for any other text.

    Only a label of :data:`INLINE_LABELS`, written exactly, counts: ``注：…``, ``指标1：…``
    and ``目标1：…`` are no labels. A value that is empty (``项目名称：``, the value in the next
    cell), longer than 60 characters or written as a sentence (``，`` ``。`` ``；``) is not split.
    """
    i = label.find("：")
    if i <= 0:
        return None
    head, value = label[:i], label[i + 1:]
    if head not in INLINE_LABELS or not value or len(value) > _INLINE_MAX or not _PROSE.isdisjoint(value):
        return None
    return head, value


#: Short header fields whose line breaks come from wrapping ("阶段\n性项\n目"): joined.
SHORT_FIELDS = ("name", "nature", "category", "department", "unit")

#: Funds labels → Funds field (其他资金 and 财政拨款 are positional, see OTHER_FUNDS / FISCAL_FUNDS).
FUND_LABELS: dict[str, str] = {
    "项目资金总额": "total",
    "年度资金申请总额": "annual",
    "其中：当年财政拨款": "annual_fiscal",
    "当年财政拨款": "annual_fiscal",
    "上年结转资金": "annual_carryover",
    "其中：上年结转资金": "annual_carryover",
    "上年结转": "annual_carryover",
}

#: Funds headed over their amounts (北京 2026 部门整体支出绩效目标表): the total's header, and the
#: blocks whose 合计 (the row under them) gives a field; the amounts in the row under the 合计 row
FUNDS_OVER_AMOUNTS = ("预算支出总额", {"财政拨款": "annual_fiscal", "其他资金": "annual_other"})

#: 其他资金 appears twice: left of 年度资金申请总额 (multi-year) and under it (annual).
OTHER_FUNDS = ("其他资金", "其中：其他资金")

#: 财政拨款 (national layout, 资金来源 lists): like 其他资金, its block is told by its column.
FISCAL_FUNDS = ("财政拨款", "其中：财政资金", "财政资金")

GOAL_LABELS: dict[str, str] = {
    "项目总目标": "total_goal",
    "年度总体目标": "annual_goal",
}

#: the labels a form starts at, as written: the first is a project's, the others a department's
NAME_LABELS = ("项目名称", "转移支付(项目)名称", "转移支付名称", "部门名称", "单位名称", "部门(单位)名称", "预算部门名称", "部门",
               "单位(项目)名称", "项目名称(资金使用单位)")
DEPARTMENT_NAME_LABELS = frozenset(NAME_LABELS[3:-2])

#: 项目支出绩效自评表: the columns of its 预算执行情况 row → Execution field
EXECUTION_HEADERS: dict[str, str] = {
    "年初预算数": "budget_initial",
    "年初预算": "budget_initial",
    "全年预算数": "budget",
    "调整后预算数": "budget",
    "全年执行数": "executed",
    "预算执行数": "executed",
    "执行率": "rate",
    "预算执行率": "rate",
    "分值": "weight",
    "权重": "weight",
    "得分": "score",
}

#: 自评 (Fujian's 部门整体 layout): execution headers that carry a formula after their name
#: ("小计④=①+②+③", "支出实现率(%)⑥=⑤/④"), matched by their start
EXECUTION_PREFIXES: tuple[tuple[str, str], ...] = (
    ("年初部门预算安排金额", "budget_initial"),
    ("小计", "budget"),
    ("年度拨付金额", "executed"),
    ("支出实现率", "rate"),
)

#: a list table (one row per indicator, the project's cells merged down): its project columns
LIST_COLUMNS: dict[str, str] = {
    "项目名称": "name",
    "单位名称": "unit",
    "实施单位": "unit",
    "预算数": "annual",
    "预算金额": "annual",
    "年度资金总额": "annual",
    "年度资金申请总额": "annual",
    "年度目标": "annual_goal",
    "年度总体目标": "annual_goal",
    "年度绩效目标": "annual_goal",
    "绩效目标": "annual_goal",  # 长沙 2026
    "单位编码": "unit_code",  # 长沙 2026: a column of the list, no field (not an indicator's cell)
    # 北京 2026: 项目总额 | 其中： over 财政资金 / 其他资金, the year's amounts of the project
    "项目总额": "annual",
    "财政资金": "annual_fiscal",
    "其他资金": "annual_other",
}

#: a list whose indicators are one text a project (广州 2026, :mod:`.indicatortext`): its amount columns
TEXT_LIST_FUNDS: dict[str, str] = {
    "总计": "annual",
    "总计：": "annual",
    "财政拨款": "annual_fiscal",
    "其他资金": "annual_other",
}
#: the column header of that text
TEXT_LIST_INDICATORS = "绩效指标"

#: a goal list (广州市交通运输局 2026, 「重点项目预算绩效目标情况」): ``项目 | 预算数（单位：万元） | 绩效目标``,
#: one row a project, whose 绩效目标 cell holds its goal, or its indicators as one text (:mod:`.indicatortext`)
GOAL_LIST_NAME = "项目"
GOAL_LIST_GOAL = "绩效目标"
#: the line introducing a goal list, the one place its year is written: 「2026年，本部门重点项目绩效目标情况如下：」
GOAL_LIST_INTRO = re.compile(r"^(\d{4})年[^。]{0,30}绩效目标[^。]{0,10}[：:]$")


def is_goal_list_header(labels: list[str]) -> bool:
    """True for a row whose normalised labels start with 项目 and hold 绩效目标 (a goal list's header)."""
    return bool(labels) and labels[0] == GOAL_LIST_NAME and GOAL_LIST_GOAL in labels


#: 自评 goal block: label → field (text below the label)
SELF_GOAL_LABELS: dict[str, str] = {
    "预期目标": "annual_goal",
    "项目年度目标": "annual_goal",
    "实际完成情况": "actual_goal",
    "年度目标完成情况": "actual_goal",
    "目标实际完成情况": "actual_goal",
    "全年实际完成情况": "actual_goal",
    "总体目标": "annual_goal",
}

#: Labels of blocks (left column) that carry no value.
BLOCK_LABELS = (
    "项目资金(元)", "项目资金", "项目绩效目标", "绩效指标", "绩效目标",
    "资金来源", "金额", "总体目标", "投入目标", "年度总体目标及绩效指标",
    "资金情况", "专项资金情况",  # 福州 2026: 专项资金情况（万元）
    "总体资金情况",  # 北京 2026 部门整体: 总体资金情况（万元）
    "年度预算安排",  # 泉州 2026 部门整体: 年度预算安排（万元）
    "年度预算申请",  # 长沙 2026 部门整体 list: 年度预算申请 over 资金总额 / 按收入性质分 / 按支出性质分
    "部门资金", "预算资金", "资金结构", "预算整体情况", "年度主要任务", "重点工作任务", "项目基本情况", "预算执行情况",
    "年度预算数", "1.项目年度目标完成情况", "2.项目实施内容及过程概述",
)

#: Rows of a funds block the model has no field for: ``其中:上级资金 | 16`` (武汉青山 2020), a
#: 自评 form's ``其中:中央补助 | 4000 | 4000 | 100%`` (四川阆中 2021)
UNREAD_FUNDS = (
    "其中：上级资金", "其中：中央补助",
    "财政专户管理资金", "单位资金",  # 四川 自评 (tests/realforms/sichuan-daying-*, sichuan-qingshen-*)
    # 四川's 资金来源 list under (一)财政拨款小计 (tests/realforms/sichuan-zhaohua-*)
    "1、一般公共预算", "2、政府性基金", "3、国有资本经营预算", "(二)自有资金小计", "1、事业收入", "2、经营性收入", "(三)其他收入",
)

#: Labels of what the model has no field for (kept in the file, listed in tests/realforms/*.json
#: ``not_compared``): known as labels so that they are never read as the value of the label left
#: of them (``实施单位 | (blank) | 项目负责人 | 徐德迁``: the 实施单位 is blank, not "项目负责人").
UNREAD_LABELS = (
    "项目负责人", "联系电话", "联系人", "项目负责人及联系电话", "财务负责人", "归口科室", "项目审批", "项目总体概况",
    "财政资金预算分类", "财政资金科目代码",
    "部门预算编码", "项目支出", "基本支出",  # 泉州 2026 部门整体 (tests/realforms/pdf), 福建宁德 2018 部门整体
    "项目属性", "项目期",  # 新疆阿拉尔 2021, 武汉青山 2020 (tests/realforms)
    "中央主管部门", "地方主管部门",  # 四川阆中 2021 转移支付自评 (which one is the form's 主管部门 is left open)
    "年度预算执行率",  # 重庆奉节 2023 审批表: 100% (its 分值 beside it is no label)
    "2.项目实施内容及过程概述",  # 四川 自评 (also a block label): the text right of it
    *UNREAD_FUNDS,
)
INLINE_LABELS = INLINE_LABELS | frozenset(UNREAD_LABELS)

INDICATOR_HEADERS: dict[str, str] = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "level3",
}

VALUE_HEADERS = ("年度(/项目)指标值", "年度指标值", "项目指标值", "指标值", "年度(项目)指标值", "指标值(年度)")

#: A split value: the operator column (≥ | 85 | 分 → ≥85(分)).
OPERATOR_HEADERS = ("指标性质",)

#: A split value: the unit column.
UNIT_HEADERS = ("计量单位",)

#: Columns of the indicator table kept as facts of each indicator (header → key).
EXTRA_HEADERS: dict[str, str] = {
    "权重": "权重",
    "分值": "分值",
    "权重(分值)": "分值",
    "分值权重": "分值",  # 国家信访局 2026 (tests/realforms/pdf), written "分值权重（90）"
    "全年完成值": "实际完成值",
    "实际完成值": "实际完成值",
    "完成值": "实际完成值",
    "未完成原因分析": "偏差原因",
    "评价标准": "评价标准",
    "得分": "得分",
    "偏差原因": "偏差原因",
    "偏差原因分析及改进措施": "偏差原因",
    "备注": "备注",
    "指标方向": "指标方向",
    "指标方向性": "指标方向",
    "指标解释": "指标解释",
    "评(扣)分标准": "评价标准",
    "指标值内容": "指标值内容",  # 长沙 2026
    "评分标准": "评价标准",
    # as Sichuan's forms write them (tests/realforms/)
    "完成值": "实际完成值",
    "未完成原因分析": "偏差原因",
    "指标方向性": "指标方向",
    "全年实际完成值": "实际完成值",
    "未完成原因和改进措施": "偏差原因",
}

#: Every header of the indicator table (canonical): a row holding them is a header row.
COLUMN_HEADERS = frozenset([*INDICATOR_HEADERS, *VALUE_HEADERS, *OPERATOR_HEADERS, *UNIT_HEADERS, *EXTRA_HEADERS])

#: 一级/二级 names as other forms write them → the framework's name.
LEVEL_SYNONYMS: dict[str, str] = {
    "产出类指标": "产出指标",
    "效益类指标": "效益指标",
    "成本类指标": "成本指标",
    "满意度类指标": "满意度指标",
    # Sichuan's older 申报表 (tests/realforms/sichuan-zhaohua-*)
    "项目完成指标": "产出指标",
    "项目效益指标": "效益指标",
}

#: A row in the indicator zone starting with one of these ends the table.
FOOTER_PREFIXES = ("注：", "注:", "备注", "填报人", "填表人", "审核人", "联系电话", "填报说明", "单位负责人",
                   "合计", "总分", "说明", "评价结论", "存在问题", "改进措施", "项目负责人", "财务负责人")

ALL_LABELS = frozenset(
    [FORM_TITLE, *HEADER_FIELDS, *PERIOD_LABELS, *UNREAD_LABELS, *FUND_LABELS, *OTHER_FUNDS, *FISCAL_FUNDS, *GOAL_LABELS, *BLOCK_LABELS,
     *INDICATOR_HEADERS, *VALUE_HEADERS, *SELF_GOAL_LABELS,
     *(s for s, c in SYNONYMS.items() if c not in COLUMN_HEADERS)]
)
