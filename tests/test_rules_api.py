"""The rules' public API: registry, docs/rules.md, plain-row checks for the add-in, the seed."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from xltargets import framework
from xltargets.findings import Severity
from xltargets.importing import read_sources
from xltargets.rules import (
    RULES,
    check_declaration,
    check_indicator_row,
    check_indicator_rows,
    check_indicator_table,
    rule_docs,
    rules_by_code,
)
from xltargets.rules.registry import CODE_PATTERN, rule

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "src" / "xltargets" / "rules"

# -- registry ------------------------------------------------------------------------------


def test_codes_are_unique_and_well_formed():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    for r in RULES:
        m = CODE_PATTERN.match(r.code)
        assert m, r.code
        assert r.severity is (Severity.ERROR if m.group("letter") == "E" else Severity.WARNING)
        assert r.title_zh and r.description_zh and r.scope in ("row", "table", "form")


def test_code_number_follows_domain_rule():
    for r in RULES:
        if r.domain_rule is not None:
            assert int(r.code[-2:]) % 20 == r.domain_rule % 20, r.code


def test_every_domain_check_has_a_rule():
    assert {r.domain_rule for r in RULES} >= set(range(1, 17))


def test_decorator_only_attaches_metadata():
    def f(x):
        return x

    assert rule("XLT-W099", "t", "d", scope="row", domain_rule=None)(f) is f
    assert f.__xlt_rule__.code == "XLT-W099" and f(3) == 3
    with pytest.raises(ValueError):
        rule("XLT-E101", "t", "d", scope="row", domain_rule=None)  # importer's range


def test_rules_by_code():
    assert rules_by_code()["XLT-E004"].function.__name__ == "percentage_above_100"


def _category_names() -> set[str]:
    return {
        *framework.LEVEL1,
        *framework.ALL_LEVEL2,
        *framework.PROJECT_NATURES,
        *framework.PROJECT_CATEGORIES,
    }


@pytest.mark.parametrize("path", sorted(RULES_DIR.glob("*.py")), ids=lambda p: p.name)
def test_no_rule_hard_codes_a_category_name(path: Path):
    names = _category_names()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    literals = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert literals & names == set()


# -- docs/rules.md -------------------------------------------------------------------------


def test_docs_rules_md_is_current():
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == rule_docs(), "docs/rules.md is stale: run `PYTHONPATH=src python -m xltargets.rules > docs/rules.md`"


def test_rule_docs_lists_every_code():
    text = rule_docs()
    for r in RULES:
        assert f"| {r.code} | {r.severity.label} |" in text
    from xltargets.rules.docs import import_codes

    for code in import_codes():
        assert f"| {code} |" in text


def test_python_m_prints_the_docs():
    out = subprocess.run(
        [sys.executable, "-m", "xltargets.rules"],
        capture_output=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "LC_ALL": "C", "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.decode("utf-8") == rule_docs()


# -- plain rows, as a UDF passes them ---------------------------------------------------------

GOOD_TABLE = [
    ["成本指标", "经济成本指标", "成本控制率", "≤100.00(%)"],
    ["产出指标", "数量指标", "青春健康高校项目", "=10.00(所)"],
    [None, None, "主持人培训场次", 2.0],  # merged cells, a number typed into the cell
    [None, "质量指标", "培训合格率", "≥90.00(%)"],
    [None, None, None, None],  # a blank row of the template
    ["效益指标", "社会效益指标", "知晓率", "≥85.00(%)"],
    ["满意度指标", "服务对象满意度指标", "学生满意度", "≥90.00(%)"],
]


def test_rows_fill_down_and_blank_rows():
    messages = check_indicator_rows(GOOD_TABLE)
    assert len(messages) == len(GOOD_TABLE)
    assert messages[4] == ""  # blank row: nothing
    assert messages[3] == ""  # 质量指标 inherits 产出指标
    assert messages[2].startswith("XLT-W043 警告：三级指标“主持人培训场次”的指标值“2”按“=2”读入")
    assert [i for i, m in enumerate(messages) if m] == [2]
    assert check_indicator_table(GOOD_TABLE) == []


def test_rows_report_on_the_right_row():
    rows = [list(r) for r in GOOD_TABLE]
    rows[3][3] = "=120(%)"
    messages = check_indicator_rows(rows)
    assert messages[3] == "XLT-E004 错误：三级指标“培训合格率”的指标值“=120(%)”超过 100%：百分比不能大于 100，请改为不超过 100 的数值。"


def test_rows_without_fill_down_need_every_level():
    messages = check_indicator_rows(GOOD_TABLE, fill_down=False)
    assert "XLT-E021" in messages[2] and "XLT-E021" in messages[3]
    assert "XLT-E001" not in messages[3]  # no 二级 check under an unknown 一级


def test_table_messages():
    rows = [r for r in GOOD_TABLE if r[0] != "效益指标"]
    table = check_indicator_table(rows, name="青春健康教育")
    assert len(table) == 1
    assert table[0].startswith("XLT-E007 错误：项目“青春健康教育”缺少一级指标“效益指标”")
    assert check_indicator_table(rows)[0].startswith("XLT-E007 错误：本表缺少一级指标")


def test_single_row():
    assert check_indicator_row("产出指标", "数量指标", "高校项目", "=10.00(所)") == ""
    text = check_indicator_row("产出指标", "经济效益指标", "高校项目", None)
    assert text.splitlines()[0].startswith("XLT-E001 错误：三级指标“高校项目”的二级指标“经济效益指标”不属于一级指标“产出指标”")
    assert text.splitlines()[1].startswith("XLT-E003 错误：三级指标“高校项目”的指标值为空")


# -- the seed ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_findings(seed_path):
    return check_declaration(read_sources([seed_path]).declaration)


def test_seed_has_exactly_one_error(seed_findings):
    errors = [(f.project, f.code, f.cell) for f in seed_findings if f.is_error]
    assert errors == [("生殖健康咨询服务", "XLT-E007", "A18")]
    assert "缺少一级指标“效益指标”" in next(f for f in seed_findings if f.is_error).message


def test_seed_expected_warnings(seed_findings):
    warnings = {(f.project, f.code) for f in seed_findings if not f.is_error}
    assert ("生殖健康咨询服务", "XLT-W009") in warnings
    assert ("计生特殊家庭帮扶及权益维护", "XLT-W013") in warnings
    w013 = next(f for f in seed_findings if f.code == "XLT-W013")
    assert "“社会效益良好”" in w013.message and "“经济效益指标”" in w013.message and w013.cell == "E75"


def test_seed_warnings_are_meaningful(seed_findings):
    """Only the expected warnings and the goal quantities no indicator carries."""
    warnings = [(f.project, f.code) for f in seed_findings if not f.is_error]
    assert sorted(set(warnings)) == sorted(
        {
            ("生殖健康咨询服务", "XLT-W009"),
            ("计生特殊家庭帮扶及权益维护", "XLT-W013"),
            ("家庭健康促进及优生优育服务", "XLT-W016"),
        }
    )
    goal_texts = " ".join(f.message for f in seed_findings if f.code == "XLT-W016")
    assert "向日葵亲子小屋" not in goal_texts  # carried by 向日葵亲子小屋建成数 =32.00(个)
    assert "6000" not in goal_texts  # carried by 村居级家庭健康指导员 =6000.00(人数)
    assert "2024" not in goal_texts  # a year is no quantity
    for part in ("家庭健康项目4个", "家庭健康指导员骨干150人", "优生优育服务中心1家"):
        assert part in goal_texts
