"""The native checks of a project sheet: formulas that need no add-in.

They run in Excel, WPS and LibreOffice alike and refer to the framework lists
only by name (see :mod:`.lists`). Three kinds:

* check cells in column G, outside the print area (``G1`` summary, ``G2`` the
  form's problems, ``G6`` the funds sum, ``G<row>`` each indicator row);
  ``G1`` counts errors and warnings as ``xltargets check`` does (an error or a
  warning of the same rule), and says "无错误，有 N 条警告" when there are only
  warnings: see :func:`summary_text`;
* data validation (dropdowns, dates, amounts, the 指标值 form);
* conditional formatting that colours the cell that is wrong.

The formulas are written for template rows (header block rows 3–11, the
indicator repeat row); the renderer moves them with the rows.
"""

from __future__ import annotations

from .. import framework as fw
from .lists import LEVEL2_PREFIX

__all__ = [
    "SUMMARY_CELL",
    "WARNING_LABEL",
    "FORM_WARNINGS",
    "cell_message",
    "summary_text",
    "FORM_CHECK_CELL",
    "FUNDS_CHECK_CELL",
    "MESSAGES",
    "summary_formula",
    "form_check_formula",
    "funds_check_formula",
    "indicator_check_formula",
    "value_ok_formula",
    "value_suspect_formula",
    "level2_list_formula",
    "CF_RULES",
]

#: the add-in's row check (xltargets.excel.udfs)
UDF_ROW = "XLT_CHECK_ROW"

SUMMARY_CELL = "G1"
FORM_CHECK_CELL = "G2"
FUNDS_CHECK_CELL = "G6"
#: the template's indicator repeat row
REPEAT_ROW = 13
#: separator after each message in the form check cell
SEP = "；"
#: before a form message that ``check`` reports as a warning (its Severity label), and in the
#: add-in's messages ("XLT-W009 警告：…"); errors are the rest
WARNING_LABEL = "警告："
ERROR_LABEL = "错误："

#: message texts, by check (the add-in and the tests read them from here)
MESSAGES = {
    "name_empty": "项目名称为空",
    "nature_empty": "项目性质为空",
    "nature_unknown": "项目性质不在列表中",
    "category_empty": "项目类别为空",
    "category_unknown": "项目类别不在列表中",
    "date_invalid": "计划日期不是有效日期",
    "date_order": "计划开始日期晚于计划完成日期",
    "annual_sum": "年度资金申请总额不等于当年财政拨款、上年结转资金、其他资金之和",
    "total_sum": "项目资金总额不等于财政资金与其他资金之和",
    "annual_goal_empty": "年度总体目标为空",
    "total_below_annual": "项目资金总额小于年度资金申请总额",
    "level1_missing": "缺少{level1}",
    "level1_unknown": "一级指标不在列表中",
    "level2_unknown": "二级指标不在列表中",
    "level2_pair": "二级指标不属于该一级指标",
    "level3_empty": "三级指标为空",
    "level3_duplicate": "三级指标重复",
    "value_empty": "指标值为空",
    "value_form": "指标值无法识别：定量指标值应为“运算符数值(单位)”（如 ≥90.00(%)）",
    "value_nonstandard": "指标值写法不规范：应为半角的“运算符数值(单位)”（如 ≥90.00(%)）",
    "percent_over": "百分比指标值超过100",
}


#: form checks that ``check`` reports as warnings (rule codes in brackets); every other native check
#: is an error there too: XLT-W015, XLT-W035, XLT-W054, and XLT-W009 (a missing recommended 一级)
FORM_WARNINGS = frozenset(
    {"nature_empty", "nature_unknown", "category_empty", "category_unknown", "total_below_annual"}
)
#: row checks that ``check`` reports as warnings: XLT-W043 (a value read after normalising)
ROW_WARNINGS = frozenset({"value_nonstandard"})


def _is_warning(key: str, level1: str = "") -> bool:
    return key in FORM_WARNINGS | ROW_WARNINGS or (key == "level1_missing" and level1 in fw.RECOMMENDED_LEVEL1)


def cell_message(key: str, **kw) -> str:
    """A message as its check cell shows it (``G2`` adds the separator): a warning starts with ``警告：``."""
    text = MESSAGES[key].format(**kw)
    return WARNING_LABEL + text if _is_warning(key, kw.get("level1", "")) else text


def _q(text: str) -> str:
    """A formula string literal."""
    return '"' + text.replace('"', '""') + '"'


def _msg(key: str, **kw) -> str:
    return _q(cell_message(key, **kw) + SEP)


def _number_part(ref: str) -> str:
    return f'MID({ref},2,FIND("(",{ref})-2)'


#: the full-width digits of the Chinese IME's full-width mode (U+FF10–FF19): ``check`` reads them as 0–9
#: with a warning (XLT-W043), so the formulas take them for digits too
FULL_WIDTH_DIGITS = "０１２３４５６７８９"
#: full-width characters ``check`` reads as their ASCII form with XLT-W043 that VALUE may read too (the
#: digits), or that a unit may hold (％): a row check flags a value with one as 写法不规范
FULL_WIDTH_READ = FULL_WIDTH_DIGITS + "％"


def _full_width(ref: str) -> str:
    """A count of the characters of :data:`FULL_WIDTH_READ` that occur in *ref*: non-zero when one does."""
    return "COUNT(FIND({" + ",".join(f'"{d}"' for d in FULL_WIDTH_READ) + f"}},{ref}))"


def _quantitative_ok(ref: str, *, ascii_digits: bool = False) -> str:
    # inside IFERROR: a FIND that finds nothing is an error (so "no"), a position reads as TRUE in AND.
    # *ascii_digits*: a full-width digit or ％ makes it "no", also where VALUE reads full-width digits
    # (Excel does in DBCS locales; LibreOffice's VALUE refuses them): the same answer everywhere
    guard = f",{_full_width(ref)}=0" if ascii_digits else ""
    return (
        f'IFERROR(AND(FIND(LEFT({ref}),"=≥≤><"),RIGHT({ref})=")",'
        f"ISNUMBER(VALUE({_number_part(ref)})),LEN({ref})-FIND(\"(\",{ref})>1{guard}),FALSE)"
    )


def value_suspect_formula(ref: str, *, ascii_digits: bool = False) -> str:
    """TRUE when the 指标值 in *ref* is meant as a number but is not ``op number(unit)``.

    As ``check`` reads values: one that starts with an operator or a digit (0–9 or full-width ０–９)
    is quantitative and must parse; any other text is a qualitative value (``及时``, ``约500人次``).
    With *ascii_digits* a value with a full-width digit or ％ is never ``op number(unit)`` (the row
    check; the conditional format, under 255 characters (tested), leaves the digits to VALUE). ``looks > ok`` is
    ``AND(looks, NOT(ok))`` written shorter (TRUE > FALSE; both are truth values).
    """
    # LEFT(ref&" "): an empty cell's first character is then a space, found in neither list (Excel's
    # FIND("",…) finds the empty text at 1, so LEFT(ref) would mark every empty 指标值 there)
    looks = f'ISNUMBER(FIND(LEFT({ref}&" "),"=≥≤><＝＞＜0123456789{FULL_WIDTH_DIGITS}"))'
    return f"{looks}>{_quantitative_ok(ref, ascii_digits=ascii_digits)}"


def _has_digit(ref: str) -> str:
    """A count of the digits 0–9 and ０–９ that occur in *ref* (COUNT skips the FINDs that fail):
    non-zero when one does (a value with a digit that does not parse is a warning, as ``check``
    reads full-width digits as 0–9: XLT-W043)."""
    fw = ",".join(f'"{d}"' for d in FULL_WIDTH_DIGITS)
    return f"COUNT(FIND({{0,1,2,3,4,5,6,7,8,9,{fw}}},{ref}))"


def value_ok_formula(ref: str) -> str:
    """TRUE when the 指标值 in *ref* is ``op number(unit)`` or a known qualitative value.

    Kept under Excel's 255-character limit for validation and conditional
    formatting formulas (tested).
    """
    # no full-width guard here: Excel refuses array constants in validation criteria
    quantitative = _quantitative_ok(ref)
    # EXACT, not MATCH/COUNTIF: those read wildcards (* ?) and operators (>=…) in the value
    return f"OR(SUMPRODUCT(--EXACT(定性指标值,{ref}))>0,{quantitative})"


def _percent_over(ref: str) -> str:
    num = _number_part(ref)
    # COUNT of the two FINDs: how many of the percent units occur (an array constant needs no array entry)
    return f'IFERROR(AND(COUNT(FIND({{"(%)","(百分比)"}},{ref})),VALUE({num})>100),FALSE)'


def level2_list_formula(row: int) -> str:
    """Dropdown source of the 二级 cell: the 二级 of this row's 一级, else all 二级."""
    return f'INDIRECT(IF(ISNA(MATCH($B{row},一级指标,0)),"二级指标","{LEVEL2_PREFIX}"&$B{row}))'


def _annual_diff() -> str:
    return "ROUND(N(E6)-N(E7)-N(E8)-N(E9),2)"


def _block(col: str, row: int = REPEAT_ROW) -> str:
    """The whole indicator column (absolute on the repeat row: grows with it)."""
    return f"${col}${row}:${col}${row}"


def form_check_formula(row: int = REPEAT_ROW) -> str:
    """``G2``: every problem of the header, funds and goals, each followed by ``；``."""
    parts = [
        f'IF(TRIM(B3)="",{_msg("name_empty")},"")',
        f'IF(TRIM(D3)="",{_msg("nature_empty")},IF(ISNA(MATCH(D3,项目性质,0)),{_msg("nature_unknown")},""))',
        f'IF(TRIM(F3)="",{_msg("category_empty")},IF(ISNA(MATCH(F3,项目类别,0)),{_msg("category_unknown")},""))',
        'IF(OR(AND(B5<>"",NOT(ISNUMBER(B5))),AND(D5<>"",NOT(ISNUMBER(D5)))),'
        f'{_msg("date_invalid")},IF(AND(ISNUMBER(B5),ISNUMBER(D5)),IF(B5>D5,{_msg("date_order")},""),""))',
        f'IF({_annual_diff()}<>0,{_msg("annual_sum")},"")',
        'IF(AND(ISNUMBER(C6),OR(ISNUMBER(C7),ISNUMBER(C9))),'
        f'IF(ROUND(C6-N(C7)-N(C9),2)<>0,{_msg("total_sum")},""),"")',
        f'IF(TRIM(D11)="",{_msg("annual_goal_empty")},"")',
        f'IF(AND(ISNUMBER(C6),ISNUMBER(E6)),IF(ROUND(C6-E6,2)<0,{_msg("total_below_annual")},""),"")',
    ]
    for level1 in fw.REQUIRED_LEVEL1 + fw.RECOMMENDED_LEVEL1:
        parts.append(
            f'IF(SUMPRODUCT(--({_block("B", row)}={_q(level1)}))=0,{_msg("level1_missing", level1=level1)},"")'
        )
    return "=" + "&".join(parts)


#: the sheet's money unit, as its 项目资金 label (A6) states it: 万元 when the label says so, else 元
#: (the importer reads the unit from the same label, so the check and the import agree)
MONEY_UNIT_FORMULA = 'IF(ISNUMBER(FIND("万元",$A$6)),"万元","元")'


def funds_check_formula() -> str:
    """``G6``: whether 年度资金申请总额 = 当年财政拨款 + 上年结转资金 + 其他资金 (blank while E6 is).

    The difference is given in the unit the sheet's 项目资金 label names (元 or 万元)."""
    return (
        f'=IF(E6="","",IF({_annual_diff()}=0,"✓ 年度资金申请总额 = 当年财政拨款 + 上年结转资金 + 其他资金",'
        f'"✗ 年度资金申请总额 ≠ 当年财政拨款 + 上年结转资金 + 其他资金（差 "&TEXT({_annual_diff()},"#,##0.00")'
        f'&" "&{MONEY_UNIT_FORMULA}&"）"))'
    )


def indicator_check_formula(row: int = REPEAT_ROW, *, with_udf: bool = True) -> str:
    """``G<row>``: the first problem of one indicator row, '' when it is fine or empty.

    With *with_udf* the add-in's ``XLT_CHECK_ROW`` answers when the add-in is
    loaded; without the add-in its ``#NAME?`` is caught by ``IFERROR`` and
    the native check answers, so no error value ever shows.
    """
    b, c, d, e = (f"{col}{row}" for col in "BCDE")
    # the value's own problem, tested once: a number that does not parse is value_form without a digit,
    # value_nonstandard with one; the two messages end alike, so the formula writes their end once
    form, nonstandard = cell_message("value_form"), cell_message("value_nonstandard")
    tail = _common_tail(form, nonstandard)
    value = (
        f"IF({value_suspect_formula(e, ascii_digits=True)},IF({_has_digit(e)},{_q(nonstandard[:len(nonstandard) - len(tail)])},"
        f"{_q(form[:len(form) - len(tail)])})&{_q(tail)},"
        f"IF({_percent_over(e)},{_q(cell_message('percent_over'))},\"\"))"
    )
    checks = [
        (f'AND({b}<>"",ISNA(MATCH({b},一级指标,0)))', "level1_unknown"),
        (f'AND({c}<>"",ISNA(MATCH({c},二级指标,0)))', "level2_unknown"),
        (f'AND({b}<>"",{c}<>"",ISNA(MATCH({c},INDIRECT("{LEVEL2_PREFIX}"&{b}),0)))', "level2_pair"),
        (f'TRIM({d})=""', "level3_empty"),
        # the second and later rows of a repeated 三级 (as check reports it: once, where it repeats)
        (f"SUMPRODUCT(--($D${REPEAT_ROW}:{d}={d}))>1", "level3_duplicate"),
        (f'TRIM({e})=""', "value_empty"),
    ]
    formula = value
    for cond, key in reversed(checks):
        formula = f"IF({cond},{_q(cell_message(key))},{formula})"
    # "" for a row of four empty (or blank) cells; joined, as one comparison
    native = f'IF({b}&{c}&{d}&{e}="","",{formula})'
    if not with_udf:
        return "=" + native
    # the add-in's UDF when it is loaded; without it #NAME? is caught and the native check shows.
    # 一级/二级 go in as columns from the table's first row, so a row under a merged
    # 一级/二级 cell (blank B/C) inherits them as the importer does; 三级 too, so that a
    # 三级 repeating one above is flagged (XLT-E022) as check flags it.
    first = REPEAT_ROW
    return f"=IFERROR({UDF_ROW}($B${first}:{b},$C${first}:{c},$D${first}:{d},{e}),{native})"


def _common_tail(x: str, y: str) -> str:
    n = 0
    while n < min(len(x), len(y)) and x[-1 - n] == y[-1 - n]:
        n += 1
    return x[len(x) - n:]


def _occurrences(ref: str, text: str) -> str:
    """How often *text* occurs in *ref* (a cell, or a range inside SUMPRODUCT)."""
    count = f'(LEN({ref})-LEN(SUBSTITUTE({ref},"{text}","")))'
    return count if len(text) == 1 else f"{count}/{len(text)}"


#: G1 when the formulas find nothing (the add-in's 校验 and ``xltargets check`` apply every rule)
ALL_CLEAR = "✓ 公式检查未发现问题"


def summary_text(errors: int, warnings: int) -> str:
    """What ``G1`` shows for *errors* and *warnings* (the formula computes the same text)."""
    if errors:
        return f"✗ 本表有 {errors} 处错误" + (f"、{warnings} 条警告" if warnings else "") + "，见 G 列"
    if warnings:
        return f"✓ 本表无错误，有 {warnings} 条警告，见 G 列"
    return ALL_CLEAR


def summary_formula(row: int = REPEAT_ROW) -> str:
    """``G1``: the errors and warnings of the sheet, counted as ``xltargets check`` counts them.

    ``G2`` holds one message per problem, a warning prefixed ``警告：``. A row check
    cell holds the add-in's messages (``XLT-E004 错误：…``, ``XLT-W013 警告：…``,
    one per finding) or, without the add-in, the native check's one message, which
    is always an error. SUMPRODUCT without IF, so Excel, WPS and LibreOffice all
    compute it without array entry.
    """
    g2, rows = FORM_CHECK_CELL, _block("G", row)
    form_warnings = _occurrences(g2, WARNING_LABEL)
    form_errors = f"({_occurrences(g2, SEP)}-{form_warnings})"
    native_error = f'({rows}<>"")*ISERROR(SEARCH("XLT-",{rows}))*ISERROR(SEARCH("{WARNING_LABEL}",{rows}))'
    row_errors = f"SUMPRODUCT({_occurrences(rows, ERROR_LABEL)}+{native_error})"
    row_warnings = f"SUMPRODUCT({_occurrences(rows, WARNING_LABEL)})"
    errors = f"({form_errors}+{row_errors})"
    warnings = f"({form_warnings}+{row_warnings})"
    return (
        f'=IF({errors}>0,"✗ 本表有 "&{errors}&" 处错误"&IF({warnings}>0,"、"&{warnings}&" 条警告","")&"，见 G 列",'
        f'IF({warnings}>0,"✓ 本表无错误，有 "&{warnings}&" 条警告，见 G 列","{ALL_CLEAR}"))'
    )


def CF_RULES(row: int = REPEAT_ROW) -> list[tuple[str, str, str]]:  # noqa: N802 - a table
    """(range, formula, kind) of the conditional formats; kind is ``error`` or ``todo``.

    A range may have several rules: each formula stays under 255 characters.
    """
    b, c, d, e = (f"${col}{row}" for col in "BCDE")
    # short forms, same results (XlsxWriter rewrites these formulas at ~4.5 us a character):
    # COUNT(x,y) counts the numbers among the cells; B&C&D<>"" is OR(B<>"",C<>"",D<>"");
    # INDIRECT("二级_") of an empty 一级 is #REF!, which ISNA does not take for a miss
    return [
        ("B3", 'TRIM($B$3)=""', "todo"),
        ("D11:F11", 'TRIM($D$11)=""', "todo"),
        ("D3", 'AND($D$3<>"",ISNA(MATCH($D$3,项目性质,0)))', "error"),
        ("F3", 'AND($F$3<>"",ISNA(MATCH($F$3,项目类别,0)))', "error"),
        ("B5 D5:F5", 'OR(AND($B$5<>"",NOT(ISNUMBER($B$5))),AND($D$5<>"",NOT(ISNUMBER($D$5))),'
                     "AND(COUNT($B$5,$D$5)=2,$B$5>$D$5))", "error"),
        ("E6:F6", "ROUND(N($E$6)-N($E$7)-N($E$8)-N($E$9),2)<>0", "error"),
        ("C6", "AND(ISNUMBER($C$6),COUNT($C$7,$C$9),ROUND($C$6-N($C$7)-N($C$9),2)<>0)", "error"),
        (f"B{row}", f'AND({b}<>"",ISNA(MATCH({b},一级指标,0)))', "error"),
        (f"C{row}", f'AND({c}<>"",OR(ISNA(MATCH({c},二级指标,0)),'
                    f'ISNA(MATCH({c},INDIRECT("{LEVEL2_PREFIX}"&{b}),0))))', "error"),
        (f"D{row}", f'OR(AND(TRIM({d})="",{b}&{c}&{e}<>""),'
                    f"AND({d}<>\"\",SUMPRODUCT(--($D${REPEAT_ROW}:{d}={d}))>1))", "error"),
        # a value that does not read, or none in a row that has others (one rule: the same format)
        (f"E{row}:F{row}", f'OR({value_suspect_formula(e)},AND({e}="",{b}&{c}&{d}<>""))', "error"),
        (f"E{row}:F{row}", _percent_over(e), "error"),
    ]
