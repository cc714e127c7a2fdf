"""The 汇总表 workbook of a small fixture compared with a golden file, part by part.

As in XlsxWriter's comparison tests: both files are opened as zips, the member
lists compared, and each XML part split into elements and compared so a failure
prints a readable diff. Volatile bits (``docProps/core.xml`` dates) are masked;
zip member times are pinned by the writer.

Regenerate after an intended change with ``XLTARGETS_REGEN_GOLDEN=1 pytest
tests/test_consolidate_golden.py`` and review the diff of the unzipped parts.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from xltargets.consolidate import write_summary_only, write_workbook
from xltargets.findings import Finding, Severity
from xltargets.model import Declaration, Funds, Indicator, Project
from xltargets.targets import parse_target
from xltargets.workbook import load_template

from xlsxcompare import compare_xlsx

GOLDEN = Path(__file__).parent / "golden" / "consolidate"
#: a pinned copy of templates/declaration.xlsx: this golden tests consolidation,
#: not edits of the form template (those have their own golden files)
TEMPLATE = load_template(GOLDEN / "template.xlsx")
REGEN = os.environ.get("XLTARGETS_REGEN_GOLDEN") == "1"
TITLE = "示例单位2024年度项目绩效目标汇总表"


def _ind(l1: str, l2: str, l3: str, value: str) -> Indicator:
    return Indicator(level1=l1, level2=l2, level3=l3, target=parse_target(value).target)


def small_declaration() -> Declaration:
    """Two forms with the awkward cases: text that looks like numbers, dates and formulas."""
    one = Project(
        name="7.11世界人口日主题活动",
        nature="其他一次性项目",
        category="特定目标类",
        department="示例主管部门",
        unit="示例单位",
        start=dt.date(2024, 1, 1),
        end=dt.date(2024, 12, 31),
        year=2024,
        funds=Funds(
            annual=Decimal("571000.00"),
            annual_fiscal=Decimal("571000.00"),
            annual_carryover=Decimal("0.00"),
            annual_other=Decimal("0.00"),
        ),
        annual_goal="扩大工作覆盖面。实现青少年培训和家长培训街镇级全覆盖；加大宣传力度，开展宣传倡导活动；发挥阵地作用。",
        indicators=[
            _ind("成本指标", "经济成本指标", "成本控制率", "<100(百分比)"),
            _ind("产出指标", "数量指标", "青春健康高校项目", "=10.00(所)"),
            _ind("产出指标", "数量指标", "2024-01-01", "≥85.00(分)"),
            _ind("产出指标", "时效指标", "预算执行率", "及时"),
            _ind("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90.00(%)"),
        ],
    )
    two = Project(
        name="=1+1",
        nature="经常性项目",
        category="特定目标类",
        department="示例主管部门",
        unit="0012",
        start=dt.date(2024, 3, 1),
        end=dt.date(2026, 1, 1),
        year=2024,
        funds=Funds(
            total=Decimal("300000"),
            total_fiscal=Decimal("250000"),
            total_other=Decimal("50000"),
            annual=Decimal("100000.5"),
            annual_fiscal=Decimal("100000.5"),
            annual_carryover=Decimal("0"),
            annual_other=Decimal("0"),
        ),
        total_goal="三年内建成",
        annual_goal="完成第一期",
        indicators=[
            _ind("产出指标", "数量指标", "529会员日", "=1(次)"),
            _ind("效益指标", "社会效益指标", "知晓率", "≥abc(个)"),
        ],
    )
    return Declaration(organisation="示例单位", year=2024, projects=[one, two])


FINDINGS = [
    Finding(code="XLT-E007", severity=Severity.ERROR, message="缺少效益指标：请添加。", project="7.11世界人口日主题活动",
            sheet="7.11世界人口日主题活动", cell="B18", file="declarations.xlsm"),
    Finding(code="XLT-W009", severity=Severity.WARNING, message="缺少成本指标。", project="=1+1"),
]


def _compare(got: Path, want: Path) -> None:
    problems = compare_xlsx(got, want)
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize(
    "golden, write",
    [
        pytest.param("small.xlsx", lambda p: write_workbook(p, small_declaration(), FINDINGS, title=TITLE, template=TEMPLATE), id="workbook"),
        pytest.param("small-summary-only.xlsx", lambda p: write_summary_only(p, small_declaration(), title=TITLE, template=TEMPLATE), id="pdf-input"),
    ],
)
def test_matches_golden(tmp_path, golden, write):
    got = tmp_path / golden
    write(got)
    want = GOLDEN / golden
    if REGEN:
        want.write_bytes(got.read_bytes())
    _compare(got, want)


def test_golden_comparison_can_fail(tmp_path):
    """The comparison sees a one-character change in a cell."""
    decl = small_declaration()
    decl.projects[0].indicators[1].target = parse_target("=11.00(所)").target
    got = tmp_path / "changed.xlsx"
    write_workbook(got, decl, FINDINGS, title=TITLE, template=TEMPLATE)
    with pytest.raises(AssertionError, match="sheet1.xml"):
        _compare(got, GOLDEN / "small.xlsx")


def test_two_runs_differ_only_in_masked_parts(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for p in (a, b):
        write_workbook(p, small_declaration(), FINDINGS, title=TITLE, template=TEMPLATE)
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        differing = [n for n in za.namelist() if za.read(n) != zb.read(n)]
    assert set(differing) <= {"docProps/core.xml"}
