"""A folder's files that are not read are named with the reason, by check and consolidate alike (issue 14 point 12)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from xltargets.cli import app
from xltargets.cli.testing import CliRunner


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture()
def folder(tmp_path, seed_path) -> Path:
    d = tmp_path / "各单位"
    d.mkdir()
    (d / "单位甲.tsv").write_bytes(seed_path.read_bytes())
    assert run("consolidate", seed_path, "-o", d / "去年汇总.xlsx").exit_code == 0  # our own output, renamed
    (d / "公开文件.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (d / "~$单位甲.xlsx").write_bytes(b"lock")
    (d / ".DS_Store").write_bytes(b"x")
    # 对比上年 (WPS, Excel) writes its 对比 workbook beside the open workbook, diff -o where it is told: the
    # folder's check and consolidate stopped, exit 2 «没有找到申报表…” in 对比上年-单位甲.xlsx (session 8's attack pass)
    assert run("diff", seed_path, seed_path, "-o", d / "对比上年-单位甲.xlsx").exit_code == 0
    (d / "说明.docx").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    return d


SKIPPED = {
    "去年汇总.xlsx": "xltargets 生成的汇总表",
    "公开文件.pdf": "文件夹中的 PDF 不读入",
    "~$单位甲.xlsx": "临时文件",
    ".DS_Store": "隐藏文件",
    "说明.docx": "不是可导入的格式（.docx）",
    "对比上年-单位甲.xlsx": "xltargets 生成的对比工作簿",
}


@pytest.mark.parametrize("command", ["check", "consolidate"])
def test_each_skipped_file_is_named_with_its_reason(folder, tmp_path, command):
    args = [command, folder] + (["-o", tmp_path / "汇总表.xlsx"] if command == "consolidate" else [])
    res = run(*args)
    assert res.exit_code in (0, 1), res.output
    for name, reason in SKIPPED.items():
        line = next((ln for ln in res.stdout.splitlines() if f"已跳过文件夹中的“{name}”" in ln), None)
        assert line is not None and reason in line, (name, res.stdout)
    assert re.search(r"4 个项目、41 条绩效指标", res.stdout)  # both read the same one file


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="symlinks need privileges on Windows")
@pytest.mark.parametrize("command", ["check", "consolidate"])
def test_a_symlink_loop_in_a_folder_is_named_not_a_crash(folder, tmp_path, command):
    """A link to itself is skipped as no regular file; its finding's link in the 校验结果 sheet resolved the path, which
    raised RuntimeError («内部错误», exit 3) until session 6's attack pass."""
    os.symlink("环.xlsx", folder / "环.xlsx")
    args = [command, folder] + (["-o", tmp_path / "汇总表.xlsx"] if command == "consolidate" else [])
    res = run(*args)
    assert res.exit_code in (0, 1), res.output
    assert "已跳过文件夹中的“环.xlsx”：它不是普通文件" in res.stdout


def test_a_wps_et_file_is_read_in_a_folder_as_when_named(tmp_path):
    """WPS 表格's .et (an .xls's Workbook stream in a compound file): read from a folder as when named."""
    from corpus import formats as fmt
    from corpus.make_corpus import CLEAN, summary

    d = tmp_path / "各单位"
    d.mkdir()
    et = fmt.xls(d / "单位乙.et", [("申报表", summary(CLEAN))])
    named, in_folder = run("check", "--json", et), run("check", "--json", d)
    assert named.exit_code == in_folder.exit_code == 0, in_folder.output
    assert json.loads(in_folder.stdout) == json.loads(named.stdout)
    assert "1 个项目" in run("check", d).stdout


def test_a_folder_with_nothing_to_read_names_what_it_skipped(tmp_path):
    d = tmp_path / "上年"
    d.mkdir()
    (d / "预算公开.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    res = run("check", d)
    assert res.exit_code == 2
    assert "中没有申报表文件" in res.stderr and "“预算公开.pdf”：是 PDF" in res.stderr and "直接写出这个文件" in res.stderr


def test_strict_names_the_file_of_each_error(folder, tmp_path, seed_path):
    (folder / "单位乙.tsv").write_bytes(seed_path.read_bytes())
    res = run("consolidate", folder, "-o", tmp_path / "汇总表.xlsx", "--strict")
    assert res.exit_code == 1
    errors = [ln for ln in res.stdout.splitlines() if ln.startswith("错误 XLT-")]
    assert errors and all("[单位甲.tsv]" in ln or "[单位乙.tsv]" in ln for ln in errors), errors


def test_a_comparison_workbook_is_ours_but_no_summary_a_rerun_may_replace(folder, tmp_path):
    from xltargets.importing.ownfiles import DIFF_VALUE, own_kind, is_ours

    comparison = folder / "对比上年-单位甲.xlsx"
    assert own_kind(comparison) == DIFF_VALUE and not is_ours(comparison)
    before = comparison.read_bytes()
    res = run("consolidate", folder / "单位甲.tsv", "-o", comparison)
    assert res.exit_code == 2 and "已存在" in res.output
    assert comparison.read_bytes() == before
