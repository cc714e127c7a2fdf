"""``xltargets addin build | install | status | remove`` as a user runs them."""

from __future__ import annotations

import zipfile

import pytest
from xltargets.cli.testing import CliRunner

from xltargets.cli import app

runner = CliRunner()


def test_build_writes_the_addin(tmp_path):
    out = tmp_path / "xltargets.xlam"
    result = runner.invoke(app, ["addin", "build", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "已生成" in result.output and "XLT_CHECK_TABLE" in result.output
    with zipfile.ZipFile(out) as zf:
        assert "xl/vbaProject.bin" in zf.namelist()


def test_build_default_output_is_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["addin", "build"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "xltargets.xlam").is_file()


def test_build_error_is_one_clear_message(tmp_path):
    result = runner.invoke(app, ["addin", "build", "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    assert "错误：输出文件“x.xlsx”的扩展名是 .xlsx，Excel 加载项须保存为 .xlam 文件。" in result.output
    assert "把输出文件名改为“x.xlam”" in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["install", "remove"])
def test_without_excel(monkeypatch, tmp_path, command):
    from xltargets.addin import install as inst

    monkeypatch.setattr(inst, "detect_host", lambda: inst.Host(system="Linux", home=tmp_path))
    result = runner.invoke(app, ["addin", command])
    assert result.exit_code == 2
    assert "没有 Microsoft Excel" in result.output and "Traceback" not in result.output


def test_status_without_excel_prints_the_status_and_exits_0(monkeypatch, tmp_path):
    from xltargets.addin import install as inst

    monkeypatch.setattr(inst, "detect_host", lambda: inst.Host(system="Linux", home=tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["addin", "status"])
    assert result.exit_code == 0, result.output
    for line in ("✓ Python：", "✓ xlwings（Python 包）：版本", "· 加载项文件：尚未生成", "配置文件：", "没有 Microsoft Excel"):
        assert line in result.output
    assert "✓ 加载项文件" not in result.output  # a file not built yet is no success
    assert "Traceback" not in result.output and "错误" not in result.output


def test_build_refuses_to_overwrite_a_file_it_did_not_write(tmp_path):
    out = tmp_path / "xltargets.xlam"
    out.write_bytes(b"someone else's add-in")
    result = runner.invoke(app, ["addin", "build", "-o", str(out)])
    assert result.exit_code == 2 and "已存在" in result.output and "--force" in result.output
    assert out.read_bytes() == b"someone else's add-in"
    result = runner.invoke(app, ["addin", "build", "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(out)


def test_build_replaces_an_addin_it_wrote_itself(tmp_path):
    out = tmp_path / "xltargets.xlam"
    assert runner.invoke(app, ["addin", "build", "-o", str(out)]).exit_code == 0
    first = out.read_bytes()
    again = runner.invoke(app, ["addin", "build", "-o", str(out)])
    assert again.exit_code == 0, again.output
    assert out.read_bytes() == first


@pytest.mark.parametrize("missing", ["xlwings", "pyOpenVBA"])
def test_build_without_the_excel_extra_says_what_to_install(tmp_path, monkeypatch, missing):
    """``pip install xltargets`` without ``[excel]``: one Chinese message, no child's traceback."""
    from xltargets.addin import build

    tools = {("no_such_module_" + m.lower() if m == missing else mod): m for mod, m in build.BUILD_TOOLS.items()}
    monkeypatch.setattr(build, "BUILD_TOOLS", tools)
    result = runner.invoke(app, ["addin", "build", "-o", str(tmp_path / "xltargets.xlam")])
    assert result.exit_code == 2
    assert f"未安装生成 Excel 加载项所需的 {missing}" in result.stderr
    assert 'pip install "xltargets[excel]"' in result.stderr
    assert "Traceback" not in result.output and "Error:" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_remove_without_excel_does_not_talk_of_installing(monkeypatch, tmp_path):
    from xltargets.addin import install as inst

    monkeypatch.setattr(inst, "detect_host", lambda: inst.Host(system="Linux", home=tmp_path))
    result = runner.invoke(app, ["addin", "remove"])
    assert result.exit_code == 2
    assert "无需删除" in result.stderr and "无法安装" not in result.stderr
