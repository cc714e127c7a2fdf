"""The worksheet functions and ``check`` agree on the indicator rows.

For the seed's sheets and for sheets with one deliberately broken row per
row rule (docs/rules.md, scope 指标行), the set of (rule code, sheet row)
that ``XLT_CHECK_ROW`` (cell by cell, as the G column calls it: 一级/二级/三级
as columns from the table's first row) and ``XLT_CHECK_TABLE`` (the whole
table) report equals what ``pipeline.check`` reports for the same values
(``read_sheets``, as the 校验 button reads an open workbook).
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from xltargets.excel import udfs
from xltargets.pipeline import check, read_sheets
from xltargets.rules import rules_by_code
from xltargets.udfcore import SEPARATOR

ROOT = Path(__file__).resolve().parents[1]

#: row rules the worksheet functions cannot apply, and why (also in docs/workbook.md and docs/addin.md)
NOT_MIRRORED = {
    "XLT-E030": "自评表的得分与分值：不在 UDF 的四个单元格（一级、二级、三级、指标值）中，"
                "申报表也没有这两栏",
    "XLT-W031": "自评表的实际完成值：不在 UDF 的四个单元格中，申报表也没有这一栏",
}

RULES = rules_by_code()
ROW_RULES = {code for code, r in RULES.items() if r.scope == "row"} - set(NOT_MIRRORED)
TABLE_RULES = {code for code, r in RULES.items() if r.scope == "table"}

SHEET = "生殖健康咨询服务"
#: the seed sheet's indicator rows: 13 … 18, then spare rows 19 … 23
FIRST = 13

#: code → {cell: value} that breaks one row of SHEET for that rule (and, where it cannot be
#: helped, for another rule too: the sets are compared whole)
BROKEN = {
    "XLT-E001": {"C16": "经济效益指标"},
    # a blank 一级 with nothing above to inherit: the importer says XLT-E101 (its name for E021 on a sheet)
    "XLT-E021": {"B13": None},
    "XLT-E002": {"D14": None},
    "XLT-E022": {"D19": "青春健康 高校项目", "E19": "=3.00(所)"},
    "XLT-E003": {"E14": None},
    "XLT-E023": {"E14": "=abc(个)"},
    "XLT-W043": {"E14": ">=24(个)"},
    "XLT-W063": {"E14": "=24"},
    "XLT-E004": {"E17": "=120.00(%)"},
    "XLT-W010": {"E18": "≤85.00(%)"},
    "XLT-W030": {"B19": "成本指标", "C19": "经济成本指标", "D19": "人均培训成本", "E19": "≥100.00(元)"},
    "XLT-W011": {"E18": "≥80.00(%)"},
    "XLT-W013": {"B19": "效益指标", "C19": "经济效益指标", "D19": "家庭收入", "E19": "社会效益良好"},
    "XLT-E017": {"D14": "XX活动次数"},
}

#: rows with several findings (G1 counts each): {case: (cells, the codes expected on that row, in order)}
SEVERAL = {
    "w043-and-w063": ({"E14": ">=24"}, ["XLT-W043", "XLT-W063"]),
    "e004-and-w063": ({"E17": "≥120"}, ["XLT-E004", "XLT-W063"]),
    "e022-and-w063": ({"D19": "青春健康高校项目", "E19": "=3"}, ["XLT-E022", "XLT-W063"]),
    "e001-and-e004": ({"C18": "数量指标", "E18": "≥120.00(%)"}, ["XLT-E001", "XLT-E004"]),
}

#: importer codes that are a row rule's finding on a sheet: the importer does not guess, so the rule
#: never sees the row (E101: 一级指标无法确定, i.e. blank with nothing above to inherit)
SAME_AS = {"XLT-E101": "XLT-E021"}

#: rows where the UDFs and check differ, and why (also in docs/workbook.md and docs/addin.md):
#: {case: (cells, UDF codes, check codes on that row, reason)}
DIFFERENT = {
    "unknown-level1-word": (
        {"B19": "成果指标", "C19": "数量指标", "D19": "培训人数", "E19": "=5.00(人)"},
        {"XLT-E021"},
        {"XLT-W101", "XLT-E001"},
        "the importer reads a word that is no 一级 in the 一级 column as an extra cell (W101) and the row "
        "inherits the 一级 above (here 满意度指标, so E001); the UDF sees the cell's text and says E021",
    ),
    "level1-with-score": (
        {"B19": "产出指标（50分）", "C19": "数量指标", "D19": "培训人数", "E19": "=5.00(人)"},
        {"XLT-E021"},
        set(),
        "the importer reads 产出指标（50分） as 产出指标 (a score written after the 一级); the UDF does not",
    ),
}

CODE = re.compile(r"(?:^|" + re.escape(SEPARATOR) + r")(XLT-[EW]\d{3}) (?:错误|警告)：")


def _seed_sheets() -> list[tuple[str, list[list]]]:
    wb = openpyxl.load_workbook(ROOT / "declarations.xlsm", data_only=True)
    out = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        values = [list(row) for row in ws.iter_rows(min_col=1, max_col=6, values_only=True)]
        out.append((ws.title, values))
    return out


SEED = _seed_sheets()


def _broken(code: str) -> list[tuple[str, list[list]]]:
    return _with(BROKEN[code])


def _with(cells: dict) -> list[tuple[str, list[list]]]:
    values = [list(row) for row in dict(SEED)[SHEET]]
    for ref, value in cells.items():
        values[int(ref[1:]) - 1]["ABCDEF".index(ref[0])] = value
    return [(SHEET, values)]


def _table_rows(values: list[list]) -> tuple[int, int]:
    """(first, last) sheet row of the indicator table: below the header row, down to the last row filled."""
    header = next(i for i, row in enumerate(values) if row[3] == "三级指标") + 1
    last = max(i + 1 for i, row in enumerate(values) if any(c is not None for c in row[1:5]))
    return header + 1, last


def _codes(text: str) -> list[str]:
    return CODE.findall(text)


def _by_udfs(values: list[list]) -> tuple[set, set]:
    """(row findings of XLT_CHECK_ROW, findings of XLT_CHECK_TABLE) as {(code, sheet row or None for
    the table's own)}."""
    first, last = _table_rows(values)
    column = lambda c, r: [values[i - 1][c] for i in range(first, r + 1)]  # noqa: E731
    per_row = set()
    for r in range(first, last + 1):
        text = udfs.XLT_CHECK_ROW(column(1, r), column(2, r), column(3, r), values[r - 1][4])
        per_row |= {(code, r) for code in _codes(text)}
        # G1 counts a row cell's findings by their labels: one label per finding
        assert text.count("错误：") + text.count("警告：") == len(_codes(text)), text
        # 三级 given as a column too (what finds a repeat): the same, plus E022
        text3 = udfs.XLT_CHECK_ROW(column(1, r), column(2, r), column(3, r), column(4, r))
        assert set(_codes(text3)) == set(_codes(text))
    table = udfs.XLT_CHECK_TABLE(*(column(c, last) for c in (1, 2, 3, 4)))
    whole = {(code, None if code in TABLE_RULES else first + i) for i, (text,) in enumerate(table)
             for code in _codes(text)}
    return per_row, whole


def _by_check(sheets: list[tuple[str, list[list]]], name: str) -> set:
    report = check(read_sheets(sheets))
    return {
        # a table finding is about the table (check names its header cell, the UDF its first row)
        (SAME_AS.get(f.code, f.code), None if f.code in TABLE_RULES else int(re.sub(r"\D", "", f.cell)))
        for f in report.findings
        if f.sheet == name and SAME_AS.get(f.code, f.code) in ROW_RULES | TABLE_RULES
    }


def _compare(sheets, name):
    values = dict(sheets)[name]
    per_row, whole = _by_udfs(values)
    expected = _by_check(sheets, name)
    assert per_row == {p for p in expected if p[0] in ROW_RULES}
    assert whole == expected
    return expected


@pytest.mark.parametrize("name", [name for name, _ in SEED if name != "填写说明"])
def test_seed_sheet_agrees_with_check(name):
    _compare(SEED, name)


@pytest.mark.parametrize("code", sorted(BROKEN))
def test_broken_row_agrees_with_check(code):
    found = _compare(_broken(code), SHEET)
    assert code in {c for c, _ in found}  # the case does break the rule it is named for


def test_every_row_rule_has_a_broken_row_or_a_reason():
    assert ROW_RULES == set(BROKEN)
    assert set(NOT_MIRRORED) <= {code for code, r in RULES.items() if r.scope == "row"}


def test_a_row_cell_shows_every_finding_errors_first():
    """Two findings on one row: both shown (G1 counts each label), the error before the warning."""
    text = udfs.XLT_CHECK_ROW(["产出指标", None], ["数量指标", None], ["参加人数", "参加人数"], ["=5(人)", "=8"])
    assert _codes(text) == ["XLT-E022", "XLT-W063"]
    assert text.count("错误：") == 1 and text.count("警告：") == 1
    text = udfs.XLT_CHECK_ROW("产出指标", "数量指标", "合格率", "≥120")
    assert _codes(text) == ["XLT-E004", "XLT-W063"]


@pytest.mark.parametrize("case", sorted(DIFFERENT))
def test_known_difference(case):
    """Each difference listed is still there: when one goes, take it out of DIFFERENT and the docs."""
    cells, by_udf, by_check, _reason = DIFFERENT[case]
    values = [list(row) for row in dict(SEED)[SHEET]]
    for ref, value in cells.items():
        values[int(ref[1:]) - 1]["ABCDEF".index(ref[0])] = value
    row = int(next(iter(cells))[1:])
    per_row, _ = _by_udfs(values)
    report = check(read_sheets([(SHEET, values)]))
    assert {c for c, r in per_row if r == row} == by_udf
    assert {f.code for f in report.findings if f.cell and int(re.sub(r"\D", "", f.cell)) == row} == by_check


def test_repeated_level3_message_is_checks_but_for_the_place():
    """XLT-E022's text is check's, except that check names the first occurrence's cell (D13) and the
    UDF, which gets values and no addresses, its place in the range (第 1 行)."""
    values = _broken("XLT-E022")[0][1]
    first, last = _table_rows(values)
    column = lambda c: [values[i - 1][c] for i in range(first, last + 1)]  # noqa: E731
    text = udfs.XLT_CHECK_ROW(column(1), column(2), column(3), column(4))
    report = check(read_sheets(_broken("XLT-E022")))
    (finding,) = [f for f in report.findings if f.code == "XLT-E022"]
    assert finding.cell == f"D{last}"
    assert text == f"XLT-E022 错误：{finding.message}".replace("第一次在 D13", "第一次在 第 1 行")


@pytest.mark.parametrize("case", sorted(SEVERAL))
def test_several_findings_on_one_row_agree_with_check(case):
    cells, codes = SEVERAL[case]
    sheets = _with(cells)
    found = _compare(sheets, SHEET)
    row = int(next(iter(cells))[1:])
    values = sheets[0][1]
    first = _table_rows(values)[0]
    column = lambda c: [values[i - 1][c] for i in range(first, row + 1)]  # noqa: E731
    text = udfs.XLT_CHECK_ROW(column(1), column(2), column(3), column(4))
    assert _codes(text) == codes  # errors first
    assert sorted(c for c, r in found if r == row) == sorted(codes)
