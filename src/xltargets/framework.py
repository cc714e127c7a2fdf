"""The indicator framework and the known vocabulary, as plain data.

A reviewer can read and extend this module without reading any control flow:
rules and the importer look names up here and never hard-code them.
"""

from __future__ import annotations

__all__ = [
    "LEVEL1",
    "LEVEL2_CURRENT",
    "LEVEL2_OLDER",
    "ALL_LEVEL2",
    "REQUIRED_LEVEL1",
    "RECOMMENDED_LEVEL1",
    "COST_LEVEL1",
    "PROJECT_NATURES",
    "ONE_OFF_NATURES",
    "RECURRING_NATURES",
    "PHASED_NATURES",
    "PROJECT_CATEGORIES",
    "OPERATORS",
    "OPERATOR_ALIASES",
    "OPERATOR_SUFFIXES",
    "UNITS",
    "GLUED_UNITS",
    "PERCENT_UNITS",
    "QUALITATIVE_VALUES",
    "ASSESSMENT_GRADES",
    "QUALITATIVE_IMPLIES_LEVEL2",
    "HIGHER_IS_BETTER_KEYWORDS",
    "LOWER_IS_BETTER_KEYWORDS",
    "SATISFACTION_KEYWORDS",
    "SATISFACTION_FLOOR",
    "PERCENT_NAME_SUFFIXES",
    "PLACEHOLDER_TEXTS",
    "LEVEL1_PRESENT_VIA_LEVEL2",
    "PERCENT_MAY_EXCEED_100_KEYWORDS",
    "QUALITATIVE_SHARE_LIMIT",
    "GOAL_QUANTITY_UNITS",
    "GOAL_MULTIPLIERS",
    "GOAL_NOT_QUANTITY_BEFORE",
    "GOAL_VERBS",
    "GOAL_TRAILING_WORDS",
    "GOAL_MONEY_UNITS",
    "UNIT_GROUPS",
    "NAME_GENERIC_SUFFIXES",
    "allowed_level2",
    "is_known_pair",
    "level1_of",
]

#: 一级指标, in the order a form lists them.
LEVEL1: tuple[str, ...] = ("成本指标", "产出指标", "效益指标", "满意度指标")

#: 一级 → 二级 on current forms (post-2021).
LEVEL2_CURRENT: dict[str, tuple[str, ...]] = {
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
    "产出指标": ("数量指标", "质量指标", "时效指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}

#: 一级 → 二级 placements also accepted because older forms use them.
LEVEL2_OLDER: dict[str, tuple[str, ...]] = {
    "产出指标": ("成本指标",),
    "效益指标": ("环境效益指标", "社会公众或服务对象满意度指标", "服务对象满意度指标"),
    "满意度指标": ("社会公众或服务对象满意度指标",),
}

#: Every 二级 name of either generation.
ALL_LEVEL2: tuple[str, ...] = tuple(
    dict.fromkeys(
        name
        for table in (LEVEL2_CURRENT, LEVEL2_OLDER)
        for names in table.values()
        for name in names
    )
)

#: 一级 that every form must carry (missing one is an error).
REQUIRED_LEVEL1: tuple[str, ...] = ("产出指标", "效益指标", "满意度指标")

#: 一级 that current Shanghai forms require (missing one is a warning).
RECOMMENDED_LEVEL1: tuple[str, ...] = ("成本指标",)

#: The 一级 that holds cost indicators; older forms put 成本指标 as a 二级 under 产出.
COST_LEVEL1 = "成本指标"

#: 项目性质: the generic kinds and Shanghai's sub-types, mapped to their kind.
PROJECT_NATURES: dict[str, str] = {
    "一次性项目": "一次性",
    "经常性项目": "经常性",
    "阶段性项目": "阶段性",
    "其他一次性项目": "一次性",
    "结转项目": "一次性",
    "经常性专项业务费": "经常性",
    "其他经常性项目": "经常性",
    "经常性项目（专项业务费）": "经常性",
    "跨年度项目": "阶段性",
}
ONE_OFF_NATURES = tuple(k for k, v in PROJECT_NATURES.items() if v == "一次性")
RECURRING_NATURES = tuple(k for k, v in PROJECT_NATURES.items() if v == "经常性")
PHASED_NATURES = tuple(k for k, v in PROJECT_NATURES.items() if v == "阶段性")

#: 项目类别.
PROJECT_CATEGORIES: tuple[str, ...] = ("人员类", "运转类", "特定目标类")

#: Canonical operators of a quantitative 指标值.
OPERATORS: tuple[str, ...] = ("=", "≥", "≤", ">", "<")

#: Spellings normalised to a canonical operator (longest first when matching).
OPERATOR_ALIASES: dict[str, str] = {
    ">=": "≥",
    "=>": "≥",
    "<=": "≤",
    "=<": "≤",
    "＞＝": "≥",
    "＜＝": "≤",
    "≧": "≥",
    "≦": "≤",
    "⩾": "≥",
    "⩽": "≤",
    "＝": "=",
    "＞": ">",
    "＜": "<",
    "不低于": "≥",
    "不少于": "≥",
    "大于等于": "≥",
    "大于或等于": "≥",
    "至少": "≥",
    "不超过": "≤",
    "不高于": "≤",
    "不多于": "≤",
    "小于等于": "≤",
    "小于或等于": "≤",
    "至多": "≤",
    "大于": ">",
    "高于": ">",
    "超过": ">",
    "小于": "<",
    "低于": "<",
    "少于": "<",
    "等于": "=",
}

#: Words after the number that stand for the operator (``90%以上`` → ``≥90(%)``).
OPERATOR_SUFFIXES: dict[str, str] = {
    "及以上": "≥",
    "以上": "≥",
    "及以下": "≤",
    "以下": "≤",
    "以内": "≤",
    "之内": "≤",
}

#: Units seen on real forms (others are accepted; these are offered in dropdowns).
UNITS: tuple[str, ...] = (
    "所", "个", "场", "场次", "分", "人", "人次", "人数", "到达量", "百分比", "%",
    "米", "元", "万元", "天", "次", "期", "家", "户", "项", "篇", "份", "件", "册",
)

#: Units longer than two characters that are read when glued on without brackets (``384.3平方米``,
#: 广州市生态环境局 2026). A list, never a length: the words after a number (``24小时内响应``,
#: ``100%合格``, ``11个辖区``) are no unit. A unit "per" another (``7万元/人``, ``25微克/立方米``) is read
#: when each of its parts is a unit: one of these, of :data:`UNITS`, or at most two characters.
GLUED_UNITS: tuple[str, ...] = (
    "平方米", "立方米", "平方公里", "平方千米", "万平方米", "千瓦时", "万千瓦时", "工作日", "个工作日",
)

#: Units that make a value a percentage.
PERCENT_UNITS: tuple[str, ...] = ("%", "％", "百分比")

#: Names ending like this are rates (a value above 100 is impossible).
PERCENT_NAME_SUFFIXES: tuple[str, ...] = ("率", "比率", "比例")

#: Qualitative 指标值 seen on real forms.
QUALITATIVE_VALUES: tuple[str, ...] = (
    "及时", "合理", "可控", "提升", "提高", "减少", "降低", "健全", "优良",
    "管理良好", "社会效益良好", "经济效益良好", "生态效益良好", "稳步提高", "持续改善",
    "有效", "明显", "显著", "良好", "达标", "完善",
)

#: Assessment grades (评价等级) used as qualitative values.
ASSESSMENT_GRADES: tuple[str, ...] = ("达到预期目标", "部分达到预期目标", "未达到预期目标")

#: A qualitative value that names a kind of benefit belongs under that 二级.
#: (rule: the value contradicts its 二级, e.g. 社会效益良好 under 经济效益指标)
QUALITATIVE_IMPLIES_LEVEL2: dict[str, str] = {
    "社会效益": "社会效益指标",
    "经济效益": "经济效益指标",
    "生态效益": "生态效益指标",
    "环境效益": "生态效益指标",
    "满意": "服务对象满意度指标",
}

#: 三级 names (or 二级) meaning "more is better": `<`/`≤` targets are suspicious.
HIGHER_IS_BETTER_KEYWORDS: tuple[str, ...] = (
    "满意度", "覆盖率", "达标率", "合格率", "知晓率", "完成率", "执行率", "到位率", "受益",
)

#: 三级 names meaning "less is better": `>`/`≥` targets are suspicious.
#: These take precedence over HIGHER_IS_BETTER_KEYWORDS (成本完成率 is a cost measure).
LOWER_IS_BETTER_KEYWORDS: tuple[str, ...] = (
    "成本", "成本控制率", "成本控制比率", "费用", "支出", "投诉",
)

#: 三级 names that are satisfaction measures.
SATISFACTION_KEYWORDS: tuple[str, ...] = ("满意度", "满意率")

#: Satisfaction targets below this (percent) draw a warning.
SATISFACTION_FLOOR = 85

#: Leftover template text that must not reach a reviewer.
PLACEHOLDER_TEXTS: tuple[str, ...] = ("XX", "ＸＸ", "×××", "xxx", "XXX", "待填写", "请填写", "请输入")


#: A 一级 also counts as present when one of these 二级 stands under another 一级
#: (older forms: 成本指标 as a 二级 under 产出指标; satisfaction under 效益指标).
LEVEL1_PRESENT_VIA_LEVEL2: dict[str, tuple[str, ...]] = {
    "成本指标": ("成本指标",),
    "满意度指标": ("服务对象满意度指标", "社会公众或服务对象满意度指标"),
}

#: Rates whose 三级 contains one of these may exceed 100% (growth: 同比增长率 150%).
PERCENT_MAY_EXCEED_100_KEYWORDS: tuple[str, ...] = ("增长", "增加", "增幅", "同比", "环比", "倍")

#: A form whose share of qualitative 指标值 is above this draws a warning.
QUALITATIVE_SHARE_LIMIT = 0.5

#: Measure words that make a number in 年度总体目标 a quantity (``向日葵亲子小屋32家``).
#: Numbers followed by anything else (年, 月, 日, 周, 世界人口日 …) are not quantities.
GOAL_QUANTITY_UNITS: tuple[str, ...] = (
    "人次", "人数", "场次", "万元", "百分比", "课时", "学时", "小时", "平方米", "公里",
    "个", "家", "所", "人", "名", "位", "场", "次", "期", "项", "篇", "份", "件", "册",
    "户", "处", "座", "支", "批", "门", "节", "条", "部", "本", "套", "台", "张", "元",
    "天", "米", "%", "％",
)

#: Multipliers between a number and its unit (``50万人次``).
GOAL_MULTIPLIERS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}

#: A number right after one of these is an ordinal or a date part, not a quantity (``第3期``).
GOAL_NOT_QUANTITY_BEFORE: tuple[str, ...] = ("第", "每", "年", "月", "周")

#: Verbs that open a clause of 年度总体目标; stripped before comparing with 三级 names.
#: (Words that are also nouns, such as 服务 or 组织, are left out on purpose.)
GOAL_VERBS: tuple[str, ...] = (
    "开展", "培训", "建设", "建成", "新建", "新增", "完成", "举办", "达到", "实现",
    "覆盖", "提供", "发放", "培养", "推进", "累计", "共计", "共", "约", "力争", "用于",
)

#: Words between a thing and its number (满意度**达到**90%, 指导员**不少于**6000人); stripped too.
GOAL_TRAILING_WORDS: tuple[str, ...] = (
    "达到", "达", "为", "约", "共", "共计", "累计", "超过", "不少于", "不低于", "至少", "不超过", "控制在",
)

#: Units of money: an amount in 年度总体目标 that equals one of the project's funds is carried by them.
GOAL_MONEY_UNITS: tuple[str, ...] = ("元",)

#: Units that count the same thing (a goal's "32家" matches an indicator's "(个)").
UNIT_GROUPS: tuple[tuple[str, ...], ...] = (
    ("个", "家", "所", "处", "座", "项", "支", "批", "门", "套", "台"),
    ("人", "人数", "名", "位"),
    ("人次",),
    ("场", "场次", "次", "期"),
    ("%", "％", "百分比"),
    ("元",),
    ("万元",),
    ("篇", "份", "件", "册", "本", "部", "张", "条"),
    ("天",),
    ("小时", "课时", "学时"),
)

#: Endings of 三级 names that only say "how many" (向日葵亲子小屋**建成数**).
NAME_GENERIC_SUFFIXES: tuple[str, ...] = (
    "建成数", "完成数", "数量", "个数", "人数", "人次", "场次", "次数", "覆盖数", "数",
)


def allowed_level2(level1: str) -> tuple[str, ...]:
    """二级 names acceptable under *level1*, current generation first."""
    return LEVEL2_CURRENT.get(level1, ()) + LEVEL2_OLDER.get(level1, ())


def is_known_pair(level1: str, level2: str) -> bool:
    """True when *level2* belongs under *level1* in either generation."""
    return (level1, level2) in _KNOWN_PAIRS


#: every (一级, 二级) of both generations: :func:`is_known_pair` is asked for every row of every form
_KNOWN_PAIRS = frozenset(
    (level1, level2) for table in (LEVEL2_CURRENT, LEVEL2_OLDER) for level1, names in table.items() for level2 in names
)


def level1_of(level2: str) -> str | None:
    """The current-generation 一级 of *level2*, else the older one, else None."""
    for table in (LEVEL2_CURRENT, LEVEL2_OLDER):
        for level1, names in table.items():
            if level2 in names:
                return level1
    return None
