"""``consolidate --template``: each form kind's template can be the user's (a folder, 种类=文件, or a file).

The user's templates are the shipped ones restyled (here: a column width changed, the
thing a budget office changes first); every kind not given keeps the shipped template.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook, load_workbook

import layouts
from xltargets.cli import app
from xltargets.cli.testing import CliRunner
from xltargets.consolidate.templates import templates_from
from xltargets.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "templates"
ZIPING = Path(__file__).parent / "realforms" / "anhui-chizhou-tangxi-2022-ziping.xlsx"
DEPARTMENT_SHEET = "部门整体支出绩效目标表"
SELF_SHEET = "项目支出绩效自评表"


def _restyled(src: Path, out: Path, column: str, width: float) -> Path:
    """The shipped template *src* with one column's width changed, saved as *out*."""
    wb = load_workbook(src)
    wb.active.column_dimensions[column].width = width
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


@pytest.fixture(scope="module")
def sources(tmp_path_factory, seed_path):
    work = tmp_path_factory.mktemp("sources")
    wb = Workbook()
    for row in layouts.department():
        wb.active.append(row)
    wb.save(work / "部门整体.xlsx")
    return [seed_path, work / "部门整体.xlsx", ZIPING]


def _consolidate(tmp_path, sources, *options):
    out = tmp_path / "汇总表.xlsx"
    result = CliRunner().invoke(app, ["consolidate", *map(str, sources), "-o", str(out), *options],
                                catch_exceptions=False)
    return result, out


def _width(path: Path, sheet: str, column: str) -> float:
    return load_workbook(path)[sheet].column_dimensions[column].width


def test_a_folder_replaces_the_kinds_it_holds(tmp_path, sources):
    folder = tmp_path / "本单位模板"
    _restyled(SHIPPED / "self_assessment.xlsx", folder / "self_assessment.xlsx", "H", 40)
    _restyled(SHIPPED / "department.xlsx", folder / "department.xlsx", "D", 50)
    result, out = _consolidate(tmp_path, sources, "--template", folder)
    assert result.exit_code == 0, result.output
    assert _width(out, SELF_SHEET, "H") == pytest.approx(40, abs=0.8)
    assert _width(out, DEPARTMENT_SHEET, "D") == pytest.approx(50, abs=0.8)
    assert _width(out, "汇总表", "D") == pytest.approx(32, abs=0.8)  # the 申报表: shipped


@pytest.mark.parametrize("kind", ["自评表", "self_assessment"], ids=["chinese-kind", "english-kind"])
def test_one_kind_by_name(tmp_path, sources, kind):
    mine = _restyled(SHIPPED / "self_assessment.xlsx", tmp_path / "我们的自评表.xlsx", "H", 40)
    result, out = _consolidate(tmp_path, sources, "--template", f"{kind}={mine}")
    assert result.exit_code == 0, result.output
    assert _width(out, SELF_SHEET, "H") == pytest.approx(40, abs=0.8)
    assert _width(out, DEPARTMENT_SHEET, "D") == pytest.approx(38, abs=0.8)  # shipped


def test_a_file_alone_is_the_project_template_and_later_values_win(tmp_path, sources):
    first = _restyled(SHIPPED / "declaration.xlsx", tmp_path / "a" / "申报表.xlsx", "D", 45)
    second = _restyled(SHIPPED / "declaration.xlsx", tmp_path / "b" / "申报表.xlsx", "D", 50)
    result, out = _consolidate(tmp_path, sources, "--template", first, "--template", f"申报表={second}")
    assert result.exit_code == 0, result.output
    assert _width(out, "汇总表", "D") == pytest.approx(50, abs=0.8)


def test_the_pdf_uses_the_users_templates_too(tmp_path, sources, monkeypatch):
    """write_pdf gets the same templates as the workbook (the printable workbook is checked, not printed)."""
    from xltargets.consolidate import run as run_module

    seen = {}

    def fake_write_pdf(path, declaration, *, title, templates=None):
        seen["templates"] = templates
        path.write_bytes(b"%PDF-1.7")

    monkeypatch.setattr(run_module, "write_pdf", fake_write_pdf)
    monkeypatch.setattr(run_module, "find_soffice", lambda: "/usr/bin/soffice")
    mine = _restyled(SHIPPED / "department.xlsx", tmp_path / "部门.xlsx", "D", 50)
    result, _ = _consolidate(tmp_path, sources, "--pdf", "--template", f"部门整体={mine}")
    assert result.exit_code == 0, result.output
    assert seen["templates"]["department"].path == mine


@pytest.mark.parametrize(
    "value, message",
    [
        pytest.param("自评=nope.xlsx", "找不到项目支出绩效自评表的模板文件", id="missing-file"),
        pytest.param("年报=x.xlsx", "不认识表的种类“年报”", id="unknown-kind"),
        pytest.param("{empty}", "中没有 declaration.xlsx、self_assessment.xlsx、department.xlsx", id="folder-without-templates"),
        pytest.param("自评表={empty}", "是文件夹", id="kind-given-a-folder"),
        pytest.param("{broken}", "单元格 A1 的表达式有语法错误", id="broken-template"),
    ],
)
def test_a_bad_template_stops_before_anything_is_read_or_written(tmp_path, sources, value, message, monkeypatch):
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    broken = tmp_path / "坏模板.xlsx"
    wb = Workbook()
    wb.active["A1"] = "{{ project.name "
    wb.save(broken)
    monkeypatch.chdir(tmp_path)
    import xltargets.pipeline as pipeline

    monkeypatch.setattr(pipeline, "read_sources", lambda *a, **k: pytest.fail("no source is read"))
    result, out = _consolidate(tmp_path, sources, "--template", value.format(empty=empty, broken=broken))
    assert result.exit_code == 2
    assert message in result.output, result.output
    assert not out.exists()


def test_templates_from_python_api(tmp_path):
    mine = _restyled(SHIPPED / "department.xlsx", tmp_path / "d.xlsx", "D", 50)
    t = templates_from([f"部门整体={mine}"])
    assert t["department"].path == mine
    assert t["self_assessment"].path.name == "self_assessment.xlsx"  # shipped, loaded when asked
    with pytest.raises(InputError):
        templates_from([tmp_path])  # a folder with no template in it
