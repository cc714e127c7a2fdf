"""Real public forms (issue 15 Evidence, issue 16 point 1): each file under tests/realforms/
imported through the public pipeline, every hand-checked fact of its JSON compared.

The JSON next to each form (``<id>.json``) was written by hand from the published original
(SOURCES.md), never from the importer's output. Per form it lists:

- ``header``: model fields of the form (name, department, unit, nature, category, start, end,
  year, money_unit, total_goal, annual_goal), as the form states them;
- ``funds``: amounts in the form's own unit (``money_unit``), compared as decimals;
- ``indicators``: every indicator row in order, ``[一级, 二级, 三级, 指标值, {extra column: text}]``,
  the 指标值 as written (split value columns joined as ``≥85(分)``), extra columns with text only;
- ``kind`` / ``kind_facts``: the form kind and the facts only that kind has (自评: budget and
  execution; 部门整体: department totals), for the importer's form kinds;
- ``not_compared``: what the form states that the model has no field for (documented, not tested).

A form the importer on main does not read right yet is marked ``xfail(strict=True)`` with the
facts that differ and why: it turns into a required pass the moment the importer reads it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from pydantic import BaseModel

from xltargets.errors import XltargetsError
from xltargets.pipeline import read_sources

REAL = Path(__file__).parent / "realforms"

#: form id → why it does not import right yet (every differing fact named); strict xfail
PENDING: dict[str, str] = {
}

HEADER_FIELDS = ("name", "nature", "category", "department", "unit", "start", "end", "year", "money_unit",
                 "total_goal", "annual_goal")


def _cases():
    cases = []
    for facts in sorted(REAL.glob("*.json")) + sorted((REAL / "pdf").glob("*.json")):
        marks = [pytest.mark.xfail(strict=True, reason=PENDING[facts.stem])] if facts.stem in PENDING else []
        cases.append(pytest.param(facts, id=facts.stem, marks=marks))
    return cases


def _text(value) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return value


def _same_amount(expected: str, actual) -> bool:
    if actual is None:
        return False
    try:
        return Decimal(expected) == Decimal(str(actual))
    except InvalidOperation:
        return False


def _lookup(project, key: str):
    """A kind-specific fact: on the project itself or on one of its sub-models."""
    if hasattr(project, key):
        return getattr(project, key)
    for name in type(project).model_fields:
        sub = getattr(project, name, None)
        if isinstance(sub, BaseModel) and key in type(sub).model_fields:
            return getattr(sub, key)
    return None


def differences(facts: dict, declaration) -> list[str]:
    """Every fact of *facts* the *declaration* states differently, one line each."""
    out: list[str] = []
    forms = facts["forms"]
    projects = declaration.projects
    if len(projects) != len(forms):
        out.append(f"forms: {len(projects)} read, {len(forms)} expected ({[p.name for p in projects]})")
    for n, (form, project) in enumerate(zip(forms, projects), start=1):
        where = f"form {n}"
        kind = form.get("kind")
        if kind and kind != "project" and _text(getattr(project, "kind", None)) != kind:
            out.append(f"{where} kind: {getattr(project, 'kind', None)!r} != {kind!r}")
        for field, expected in form.get("header", {}).items():
            actual = _text(getattr(project, field, None))
            if actual != expected:
                out.append(f"{where} {field}: {actual!r} != {expected!r}")
        for field, expected in form.get("funds", {}).items():
            actual = getattr(project.funds, field, None)
            if not _same_amount(expected, actual):
                out.append(f"{where} funds.{field}: {actual!r} != {expected!r}")
        for key, expected in form.get("kind_facts", {}).items():
            actual = _lookup(project, key)
            if not (str(_text(actual)) == expected or _same_amount(expected, actual)):
                out.append(f"{where} {key}: {actual!r} != {expected!r}")
        got = [[i.level1, i.level2, i.level3, i.value, {k: v for k, v in i.extra.items() if v}]
               for i in project.indicators]
        want = form["indicators"]
        for row, (g, w) in enumerate(zip(got, want), start=1):
            if g != w:
                out.append(f"{where} indicator {row}: {g} != {w}")
        if len(got) != len(want):
            out.append(f"{where} indicators: {len(got)} read, {len(want)} expected; "
                       f"extra {got[len(want):]} missing {want[len(got):]}")
    return out


def fact_count(facts: dict) -> int:
    """How many facts the JSON pins (each header field, amount, kind fact and indicator cell)."""
    total = 0
    for form in facts["forms"]:
        total += len(form.get("header", {})) + len(form.get("funds", {})) + len(form.get("kind_facts", {}))
        total += bool(form.get("kind") and form["kind"] != "project")
        total += sum(4 + len(row[4]) for row in form["indicators"])
    return total


@pytest.mark.parametrize("facts_path", _cases())
def test_real_form_keeps_every_fact(facts_path):
    facts = json.loads(facts_path.read_text(encoding="utf-8"))
    source = facts_path.with_name(facts["file"])
    assert source.exists(), source
    try:
        declaration = read_sources([source]).declaration
    except XltargetsError as exc:
        pytest.fail(f"refused, all {fact_count(facts)} facts lost: {exc}")
    diffs = differences(facts, declaration)
    assert not diffs, f"{len(diffs)} of {fact_count(facts)} facts differ:\n" + "\n".join(diffs)


def test_the_evidence_is_broad_enough():
    """Issue 15: at least 12 real forms in at least 6 layouts or kinds."""
    all_facts = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(REAL.glob("*.json"))]
    forms = sum(len(f["forms"]) for f in all_facts)
    layouts = {f["layout"] for f in all_facts}
    assert forms >= 12 and len(layouts) >= 6, (forms, len(layouts))


def test_every_form_has_its_source_recorded():
    sources = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    for p in sorted(REAL.glob("*.json")) + sorted((REAL / "pdf").glob("*.json")):
        facts = json.loads(p.read_text(encoding="utf-8"))
        assert f"`{facts['file']}`" in sources or f"`pdf/{facts['file']}`" in sources, facts["file"]
        assert facts["source"] in sources, facts["source"]


def test_differences_finds_a_changed_fact():
    """The comparison is not vacuous: a changed value, a lost extra column and a missing row are caught."""
    facts = json.loads((REAL / "sichuan-qingshen-fgj-2023-ziping.json").read_text(encoding="utf-8"))
    from xltargets.model import Declaration, Indicator, Project

    form = facts["forms"][0]
    rows = [Indicator(level1=a, level2=b, level3=c, value_raw=v, extra=dict(x)) for a, b, c, v, x in form["indicators"]]
    project = Project(**{k: v for k, v in form["header"].items() if k in Project.model_fields}, indicators=rows)
    clean = [d for d in differences(facts, Declaration(projects=[project])) if "kind" not in d
             and not any(k in d for k in form["kind_facts"])]
    assert clean == []
    rows[0] = dataclasses.replace(rows[0], value_raw="=10(%)")
    rows[1] = dataclasses.replace(rows[1], extra={})
    broken = Project(**{k: v for k, v in form["header"].items() if k in Project.model_fields}, indicators=rows[:1])
    diffs = differences(facts, Declaration(projects=[broken]))
    assert any("indicator 1" in d for d in diffs) and any("indicators: 1 read" in d for d in diffs)


@pytest.mark.parametrize("header,key,text", [
    ("完成值", "实际完成值", "完成"),  # 四川 自评表 (tests/realforms/sichuan-*-ziping)
    ("未完成原因分析", "偏差原因", "资金未到位"),
    ("指标方向性", "指标方向", "正向指标"),
    ("全年实际完成值", "实际完成值", "20"),  # 转移支付 自评 (tests/realforms/sichuan-langzhong-*)
    ("未完成原因和改进措施", "偏差原因", "工期顺延"),  # 四川 汇总表 (tests/realforms/sichuan-jingyan-mata-2023-huizong)
    ("分值（90）", "分值", "20"),  # 国家信访局 2026: the points the column sums to (tests/realforms/pdf/)
    ("分值权重（90）", "分值", "8"),
    ("分值权重（90分）", "分值", "10"),  # 西安市审计局 2026
], ids=lambda v: v if isinstance(v, str) else None)
def test_extra_columns_as_real_forms_head_them_are_kept(header, key, text):
    from xltargets.importing import import_grid

    grid = [["项目名称", "某项目"],
            ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", header],
            ["产出指标", "数量指标", "场次", "≥", "3", "场", text]]
    (project,) = import_grid(grid, sheet="Sheet1").declaration.projects
    assert [(i.level3, i.value, i.extra) for i in project.indicators] == [("场次", "≥3(场)", {key: text})]


def test_special_funds_block_gives_the_unit_of_its_amounts():
    """福州 2026 (tests/realforms/pdf/fuzhou-*): the funds block is headed 专项资金情况（万元）."""
    from xltargets.importing import import_grid

    grid = [["项目名称", "办公楼租金"],
            ["专项资金情况（万元）", "资金总额", "202.17"], ["", "财政拨款", "202.17"], ["", "其他资金", "0.00"],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "解决办公用房面积", "≤5137.26平方米"]]
    (project,) = import_grid(grid, sheet="Sheet1").declaration.projects
    assert (project.money_unit, str(project.funds.annual), str(project.funds.annual_fiscal)) == ("万元", "202.17", "202.17")


def test_rebuilt_workbooks_hold_exactly_their_page_tables():
    """Each xlsx rebuilt from a web page holds exactly the rows build_pages.py lists, as text cells."""
    import importlib.util

    import openpyxl

    spec = importlib.util.spec_from_file_location("build_pages", REAL / "build_pages.py")
    build_pages = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_pages)
    assert set(build_pages.FORMS) == {p.stem for p in REAL.glob("*.json")}  # every rebuilt form has its facts
    for name, rows in build_pages.FORMS.items():
        ws = openpyxl.load_workbook(REAL / f"{name}.xlsx").active
        width = max(ws.max_column, max(len(r) for r in rows))
        got = [[ws.cell(r, c).value for c in range(1, width + 1)] for r in range(1, ws.max_row + 1)]
        want = [[v if v != "" else None for v in row] + [None] * (width - len(row)) for row in rows]
        assert got == want, name
        assert all(isinstance(v, str) for row in got for v in row if v is not None), name


@pytest.mark.parametrize("source", sorted(REAL.glob("*.xlsx")), ids=lambda p: p.stem)
def test_no_value_suggestion_repeats_the_written_text(source):
    """XLT-W043 on real forms: every suggested 指标值 differs from the text the unit wrote (a
    suggestion equal to it, as ``=8`` → ``=8`` was, is noise)."""
    from xltargets.rules import check_declaration

    declaration = read_sources([source]).declaration
    written = {(p.name, i.origin.cells.get("value")): i.value_raw
               for p in declaration.projects for i in p.indicators if i.origin is not None}
    for f in check_declaration(declaration):
        if f.code == "XLT-W043":
            assert f.suggestion and f.suggestion != written[(f.project, f.cell)], f.message


def test_wuhai_value_without_unit_gets_no_suggestion():
    """乌海's 出差人数 (指标方向 = | 目标值 8 | 计量单位 blank) reads ``=8``: already canonical, so no
    XLT-W043 (a rewrite to the same text); the missing unit is what a reviewer asks about (XLT-W063)."""
    from xltargets.rules import check_declaration

    declaration = read_sources([REAL / "neimenggu-wuhai-gxs-2021-zaisheng.xlsx"]).declaration
    first = declaration.projects[0].indicators[0]
    assert (first.level3, first.value, first.origin.cells["value"]) == ("出差人数", "=8", "G14")
    at_g14 = [f for f in check_declaration(declaration) if f.cell == "G14"]
    assert [(f.code, f.suggestion) for f in at_g14] == [("XLT-W063", None)]
    assert "“=8”没有计量单位" in at_g14[0].message


RESAVED = REAL / "resaved"

#: what each re-saved copy must be (so a copy saved in the wrong format or encoding cannot pass)
_RESAVED_KIND = {".xls": b"\xd0\xcf\x11\xe0", ".ods": b"PK\x03\x04", ".csv": None}


@pytest.mark.parametrize("copy", sorted(RESAVED.iterdir()), ids=lambda p: p.name)
def test_real_form_resaved_by_a_user_keeps_every_fact(copy):
    """A real form as users re-save it (tests/realforms/resaved, SOURCES.md): LibreOffice headless made
    an .xls (BIFF8), an .ods and a CSV in GBK (code page 936, as Excel saves CSV on a Chinese Windows)
    from the rebuilt xlsx; each copy gives every hand-checked fact of the original's JSON."""
    magic = _RESAVED_KIND[copy.suffix]
    data = copy.read_bytes()
    if magic is None:  # the CSV is GBK: no UTF-8, and it decodes as GBK
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        assert "项目名称" in data.decode("gbk")
    else:
        assert data.startswith(magic), copy
    facts = json.loads((REAL / f"{copy.stem}.json").read_text(encoding="utf-8"))
    declaration = read_sources([copy]).declaration
    diffs = differences(facts, declaration)
    assert not diffs, f"{len(diffs)} of {fact_count(facts)} facts differ:\n" + "\n".join(diffs)
