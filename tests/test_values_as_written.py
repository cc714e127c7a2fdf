"""Issue 15, point 11: 指标值 as written, everywhere; normalising is a suggestion and an explicit command."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from xltargets.cli import app
from xltargets.cli.testing import CliRunner
from xltargets.importing import read_sources
from xltargets.pipeline import check, consolidate, read_sources as pipeline_read
from xltargets.workbook.build import build_workbook

import layouts

WRITTEN = {  # 三级 → (as written, canonical)
    "培训场次": ("25000人", "=25000(人)"),
    "知晓率": ("不低于50%", "≥50(%)"),
    "满意度": ("≥90%", "≥90(%)"),
    "及时性": ("及时", "及时"),
    "合格率": ("≥95.00(%)", "≥95.00(%)"),
}


@pytest.fixture(scope="module")
def tsv(tmp_path_factory):
    rows = [["绩效指标", "产出指标", "数量指标", "培训场次", WRITTEN["培训场次"][0]],
            ["", "", "质量指标", "合格率", WRITTEN["合格率"][0]],
            ["", "", "时效指标", "及时性", WRITTEN["及时性"][0]],
            ["", "效益指标", "社会效益指标", "知晓率", WRITTEN["知晓率"][0]],
            ["", "满意度指标", "服务对象满意度指标", "满意度", WRITTEN["满意度"][0]]]
    path = tmp_path_factory.mktemp("written") / "forms.tsv"
    path.write_text("\n".join("\t".join(r) for r in layouts.seed_like(rows=rows)) + "\n", encoding="utf-8")
    return path


def test_model_keeps_the_text_and_the_parse(tsv):
    p = read_sources([tsv]).declaration.projects[0]
    for ind in p.indicators:
        written, canonical = WRITTEN[ind.level3]
        assert ind.value == written
        assert ind.canonical == canonical
    assert str(p.indicators[3].target.number) == "50" and p.indicators[3].target.operator == "≥"


def test_dump_shows_value_as_written_and_parsed_beside_it(tsv):
    result = CliRunner().invoke(app, ["dump", str(tsv)])
    assert result.exit_code == 0, result.output
    inds = json.loads(result.stdout)["projects"][0]["indicators"]
    by_name = {i["level3"]: i for i in inds}
    assert by_name["知晓率"]["value"] == "不低于50%"
    assert by_name["知晓率"]["parsed"] == {"operator": "≥", "number": "50", "unit": "%"}
    assert by_name["知晓率"]["canonical"] == "≥50(%)"
    assert by_name["培训场次"]["parsed"] == {"operator": "=", "number": "25000", "unit": "人"}
    assert by_name["及时性"]["parsed"] is None and by_name["及时性"]["value"] == "及时"


def test_rules_use_the_parse_and_suggest_the_canonical_text(tsv):
    report = check(pipeline_read([tsv]))
    w043 = {f.cell: f for f in report.findings if f.code == "XLT-W043"}
    assert {f.suggestion for f in w043.values()} == {"=25000(人)", "≥50(%)", "≥90(%)"}
    # the parse drives the rules: 不低于50% is a ≥ target, so no direction warning for 知晓率
    assert not [f for f in report.findings if f.code == "XLT-W044" and "知晓率" in f.message]


def test_declarations_workbook_and_summary_keep_the_text(tsv, tmp_path):
    decl = read_sources([tsv]).declaration
    wb_path = tmp_path / "declarations.xlsx"
    build_workbook(decl, wb_path)
    texts = {str(c.value) for ws in load_workbook(wb_path).worksheets for row in ws.iter_rows() for c in row
             if c.value is not None}
    for written, _ in WRITTEN.values():
        assert written in texts
    back = read_sources([wb_path]).declaration.projects[0]
    assert [i.value for i in back.indicators] == [i.value for i in decl.projects[0].indicators]

    out = tmp_path / "汇总表.xlsx"
    consolidate([wb_path], out, cwd=tmp_path)
    summary = load_workbook(out)
    printed = {str(c.value) for ws in summary.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    for written, canonical in WRITTEN.values():
        assert written in printed
        if canonical != written:
            assert canonical not in printed  # the 汇总表 prints what the unit declared


def test_normalize_writes_a_new_workbook_only_on_request(tsv, tmp_path):
    decl = read_sources([tsv]).declaration
    src = tmp_path / "declarations.xlsx"
    build_workbook(decl, src)
    before = src.read_bytes()
    dry = CliRunner().invoke(app, ["normalize", str(src), "-o", str(tmp_path / "x.xlsx"), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "不低于50%" in dry.stdout and not (tmp_path / "x.xlsx").exists()
    out = tmp_path / "normalized.xlsx"
    result = CliRunner().invoke(app, ["normalize", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 个指标值" in result.stdout
    assert src.read_bytes() == before  # the input is never changed
    after = read_sources([out]).declaration.projects[0]
    assert {i.level3: i.value for i in after.indicators} == {k: v[1] for k, v in WRITTEN.items()}
    again = check(pipeline_read([out]))
    assert not [f for f in again.findings if f.code == "XLT-W043"]


def test_normalize_refuses_to_overwrite_its_input(tsv, tmp_path):
    src = tmp_path / "declarations.xlsx"
    build_workbook(read_sources([tsv]).declaration, src)
    result = CliRunner().invoke(app, ["normalize", str(src), "-o", str(src), "--force"])
    assert result.exit_code == 2
