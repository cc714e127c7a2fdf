"""The checks that ``addin`` and ``wps`` install/status/remove report (xltargets.checklist)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

import pytest

from xltargets.checklist import Check, report_lines


def test_excel_and_wps_reports_share_one_check():
    excel, wps = (importlib.import_module(f"xltargets.{host}.install") for host in ("addin", "wps"))
    assert excel.Check is wps.Check is Check


@dataclass
class _Report:
    checks: list = field(default_factory=list)
    done: object = ""
    hint: str = ""


@pytest.mark.parametrize(
    "report, lines",
    [
        pytest.param(_Report([Check("Python", True, "3.12")]), ["✓ Python：3.12"], id="fine"),
        pytest.param(_Report([Check("本地服务", False, "未运行")], hint="运行 xltargets serve"),
                     ["✗ 本地服务：未运行", "运行 xltargets serve"], id="failed-with-hint"),
        pytest.param(_Report([], done="已删除。"), ["已删除。"], id="done-as-text-excel"),
        pytest.param(_Report([], done=["已写入 a", "已写入 b"]), ["已写入 a", "已写入 b"], id="done-as-lines-wps"),
        pytest.param(_Report([]), [], id="nothing"),
        pytest.param(_Report([Check("加载项文件", True, "尚未生成", note=True)]), ["· 加载项文件：尚未生成"], id="note-is-no-success"),
    ],
)
def test_report_lines(report, lines):
    assert report_lines(report) == lines
