"""``xltargets check`` and ``xltargets dump`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from xltargets.cli.testing import CliRunner

from xltargets.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(map(str, args)))


def test_check_seed_json(seed_path):
    res = run("check", seed_path, "--json")
    assert res.exit_code == 1, res.output
    findings = json.loads(res.stdout)
    assert all(set(f) >= {"code", "severity", "project", "sheet", "cell", "message"} for f in findings)
    errors = [(f["code"], f["project"]) for f in findings if f["severity"] == "error"]
    assert errors == [("XLT-E007", "生殖健康咨询服务")]
    assert "效益指标" in findings[0]["message"]
    warnings = {(f["code"], f["project"], f["cell"]) for f in findings if f["severity"] == "warning"}
    assert ("XLT-W009", "生殖健康咨询服务", "A18") in warnings
    assert ("XLT-W013", "计生特殊家庭帮扶及权益维护", "E75") in warnings


def test_check_json_names_the_file_of_each_finding_in_a_folder(seed_path, tmp_path):
    """A folder of units: each finding's ``file`` says which file it is in (scripts group by it)."""
    import shutil

    for name in ("甲单位.xlsm", "乙单位.xlsm"):
        shutil.copyfile(seed_path, tmp_path / name)
    findings = json.loads(run("check", tmp_path, "--json").stdout)
    assert {f["file"] for f in findings} == {str(tmp_path / "甲单位.xlsm"), str(tmp_path / "乙单位.xlsm")}


def test_check_seed_plain_grouped_by_project(seed_path):
    res = run("check", seed_path)
    assert res.exit_code == 1
    out = res.stdout
    assert out.index("== 生殖健康咨询服务") < out.index("== 计生特殊家庭帮扶及权益维护")
    assert "错误 XLT-E007 A18" in out
    assert "共 4 个项目、41 条绩效指标；错误 1 条" in out


def test_check_clean_form_exits_0(tmp_path):
    rows = [
        "财政项目支出绩效目标申报表", "(2024年度)",
        "项目名称\t示例项目\t项目性质\t其他一次性项目\t项目类别\t特定目标类",
        "主管部门\t某委员会\t实施单位\t某协会",
        "计划开始日期\t2024-01-01\t计划完成日期\t2024-12-31",
        "项目资金 (元)\t项目资金总额\t100.00\t年度资金申请总额\t100.00",
        "\t其中：财政资金\t100.00\t其中：当年财政拨款\t100.00",
        "\t\t\t上年结转资金\t0.00",
        "\t其他资金\t0.00\t其他资金\t0.00",
        "项目 绩效 目标\t项目总目标\t\t年度总体目标",
        "\t完成培训\t\t完成培训",
        "\t一级指标\t二级指标\t三级指标\t年度(/项目)指标值",
        "绩效 指标\t成本指标\t经济成本指标\t成本控制率\t≤100.00(%)",
        "\t产出指标\t数量指标\t培训场次\t=2.00(场)",
        "\t效益指标\t社会效益指标\t培训知晓率\t≥80.00(%)",
        "\t满意度指标\t服务对象满意度指标\t参训人员满意度\t≥90.00(%)",
    ]
    src = tmp_path / "ok.tsv"
    src.write_text("\n".join(rows), encoding="utf-8")
    res = run("check", src, "--json")
    assert res.exit_code == 0, res.stdout
    assert [f for f in json.loads(res.stdout) if f["severity"] == "error"] == []


@pytest.mark.parametrize(
    "content, message, english",
    [
        pytest.param(None, "找不到文件", "cannot read", id="missing-file"),
        pytest.param(b"", "空文件", "cannot read", id="empty"),
        pytest.param(bytes(range(256)) * 8, "不是文本", "cannot read", id="binary-garbage"),
        pytest.param("随便写点什么\t没有表头".encode(), "没有找到申报表", "no 申报表 found", id="text-that-is-no-form"),
        pytest.param(b"PK\x03\x04garbage", "已损坏", "cannot read", id="broken-zip"),
    ],
)
def test_unreadable_input_exits_2_with_one_line(tmp_path, content, message, english):
    src = tmp_path / "bad.xlsx"
    if content is not None:
        src.write_bytes(content)
    for command in ("check", "dump"):
        proc = subprocess.run(
            [sys.executable, "-m", "xltargets", command, str(src)],
            capture_output=True, text=True, encoding="utf-8",
        )
        assert proc.returncode == 2
        assert proc.stdout == ""
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, proc.stderr  # one line: Chinese, then English
        zh, _, en = lines[0].partition(" | Error: ")
        assert zh.startswith("错误：") and message in zh and "处理办法：" in zh
        assert en.startswith(english)
        assert "Traceback" not in proc.stderr


def test_dump_seed(seed_path):
    res = run("dump", seed_path)
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert [p["name"] for p in data["projects"]][0] == "生殖健康咨询服务"
    rows = [i for p in data["projects"] for i in p["indicators"]]
    assert len(rows) == 41
    assert set(rows[0]) >= {"level1", "level2", "level3", "value"}
    assert rows[0]["value"] == "=10.00(所)"
    assert data["projects"][0]["funds"]["annual"] == "571000.00"


def test_findings_of_several_files_name_their_file(tmp_path, seed_path):
    """A folder of units' files: "B9" alone does not say which file to open."""
    from xltargets.cli import app
    from xltargets.cli.testing import CliRunner

    (tmp_path / "单位甲.tsv").write_bytes(seed_path.read_bytes())
    (tmp_path / "单位乙.tsv").write_bytes(seed_path.read_bytes())
    res = CliRunner().invoke(app, ["check", str(tmp_path)])
    lines = [ln for ln in res.stdout.splitlines() if ln.startswith(("错误 ", "警告 "))]
    assert lines and all("[单位甲.tsv]" in ln or "[单位乙.tsv]" in ln for ln in lines), lines
    assert any(ln.startswith("错误 XLT-E048 [单位甲.tsv]B9 ") for ln in lines), lines  # 乙 sorts before 甲
    one = CliRunner().invoke(app, ["check", str(seed_path)])  # one file: the cell alone, as before
    assert "错误 XLT-E007 A18 " in one.stdout and "[" not in one.stdout.split("\n", 2)[1]


def test_a_name_twice_across_files_says_which_file_holds_the_first(tmp_path, seed_path):
    from xltargets.pipeline import check_sources

    (tmp_path / "单位甲.tsv").write_bytes(seed_path.read_bytes())
    (tmp_path / "单位乙.tsv").write_bytes(seed_path.read_bytes())
    dup = [f for f in check_sources([tmp_path]).findings if f.code == "XLT-E048"]
    assert len(dup) == 4 and all(f.file.endswith("单位甲.tsv") for f in dup)  # 乙 sorts first
    assert "（文件“单位乙.tsv”、B9）：同一批申报表" in dup[0].message, dup[0].message
    one = [f for f in check_sources([seed_path, seed_path]).findings if f.code == "XLT-E048"]  # the same file twice
    assert one and "同一工作簿中" in one[0].message and "文件“" not in one[0].message
