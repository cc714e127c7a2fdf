"""Installing the add-in: Excel's startup folder on Windows and macOS, a clear refusal elsewhere.

The hosts are simulated in temporary folders (no machine here runs Excel);
the checks for pywin32 and xlwings' DLL see a fake Python folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from xltargets.addin import install as inst
from xltargets.addin.xlwings_files import xlwings_version


@pytest.fixture
def addin_file(tmp_path) -> Path:
    path = tmp_path / "build" / "xltargets.xlam"
    path.parent.mkdir()
    path.write_bytes(b"PK fake add-in")
    return path


@pytest.fixture
def fake_python(tmp_path, monkeypatch) -> Path:
    """A Windows-like Python folder holding python.exe, pythonw.exe and xlwings' DLL."""
    folder = tmp_path / "Python311"
    folder.mkdir()
    for name in ("python.exe", "pythonw.exe", f"xlwings64-{xlwings_version()}.dll"):
        (folder / name).write_bytes(b"")
    monkeypatch.setattr(sys, "executable", str(folder / "python.exe"))
    monkeypatch.setattr(sys, "prefix", str(folder))
    return folder


def windows(tmp_path) -> inst.Host:
    return inst.Host(system="Windows", home=tmp_path / "Users" / "staff", appdata=tmp_path / "Users" / "staff" / "AppData" / "Roaming")


def mac(tmp_path) -> inst.Host:
    return inst.Host(system="Darwin", home=tmp_path / "Users" / "staff")


def with_pywin32(name):
    return object() if name == "win32com" else None


def test_windows_install_copies_to_xlstart_and_names_this_python(tmp_path, addin_file, fake_python):
    host = windows(tmp_path)
    report = inst.install(addin_file, host=host, has_module=with_pywin32)
    target = tmp_path / "Users/staff/AppData/Roaming/Microsoft/Excel/XLSTART/xltargets.xlam"
    assert report.ok and report.target == target
    assert target.read_bytes() == addin_file.read_bytes()
    config = (tmp_path / "Users/staff/.xltargets/xltargets.conf").read_text(encoding="utf-8")
    assert config == f'"INTERPRETER_WIN","{fake_python / "pythonw.exe"}"\n'
    assert "受信任位置" in report.hint
    assert [c.what for c in report.checks] == ["xlwings（Python 包）", "pywin32", "xlwings DLL", "xlwings 自带加载项"]


def test_windows_install_without_pywin32_installs_nothing(tmp_path, addin_file, fake_python):
    host = windows(tmp_path)
    report = inst.install(addin_file, host=host, has_module=lambda name: None)
    assert not report.ok
    assert [c.what for c in report.checks if not c.ok] == ["pywin32"]
    assert "pip install pywin32" in next(c.detail for c in report.checks if c.what == "pywin32")
    assert not host.target.exists() and not host.config_file.exists()


def test_windows_install_without_xlwings_dll_installs_nothing(tmp_path, addin_file, fake_python):
    (fake_python / f"xlwings64-{xlwings_version()}.dll").unlink()
    report = inst.install(addin_file, host=windows(tmp_path), has_module=with_pywin32)
    assert [c.what for c in report.checks if not c.ok] == ["xlwings DLL"]
    assert not windows(tmp_path).target.exists()


def test_reinstall_keeps_other_config_lines(tmp_path, addin_file, fake_python):
    host = windows(tmp_path)
    host.config_file.parent.mkdir(parents=True)
    host.config_file.write_text('"INTERPRETER_WIN","C:\\old\\pythonw.exe"\n"SHOW CONSOLE","True"\n', encoding="utf-8")
    inst.install(addin_file, host=host, has_module=with_pywin32)
    lines = host.config_file.read_text(encoding="utf-8").splitlines()
    assert lines == ['"SHOW CONSOLE","True"', f'"INTERPRETER_WIN","{fake_python / "pythonw.exe"}"']


def test_mac_install_uses_excels_startup_folder(tmp_path, addin_file):
    host = mac(tmp_path)
    report = inst.install(addin_file, host=host)
    assert report.ok
    assert (host.home / inst.MAC_STARTUP / "xltargets.xlam").read_bytes() == addin_file.read_bytes()
    assert (host.home / inst.MAC_CONFIG / "xltargets.conf").read_text(encoding="utf-8").startswith('"INTERPRETER_MAC",')
    assert (host.home / inst.MAC_SCRIPTS / f"xlwings-{xlwings_version()}.applescript").exists()


def test_status_then_remove(tmp_path, addin_file):
    host = mac(tmp_path)
    before = inst.status(host=host)
    assert not before.ok and "未安装" in before.checks[0].detail
    inst.install(addin_file, host=host)
    assert inst.status(host=host).ok
    removed = inst.remove(host=host)
    assert "已从" in removed.done and not host.target.exists()
    assert "无需删除" in inst.remove(host=host).done


@pytest.mark.parametrize("call", ["install", "status", "remove"])
def test_without_excel_says_so_and_where_the_file_is(tmp_path, addin_file, call):
    host = inst.Host(system="Linux", home=tmp_path)
    with pytest.raises(inst.ExcelNotAvailable, match="没有 Microsoft Excel") as info:
        if call == "install":
            inst.install(addin_file, host=host)
        elif call == "status":
            inst.status(host=host, built=addin_file)
        else:
            inst.remove(host=host)
    if call != "remove":
        assert str(addin_file) in info.value.message
    assert "Windows 或 macOS" in info.value.hint
    assert list(tmp_path.iterdir()) == [addin_file.parent]


def test_install_refuses_a_missing_file(tmp_path):
    from xltargets.errors import WorkbookError

    with pytest.raises(WorkbookError, match="找不到加载项文件"):
        inst.install(tmp_path / "nope.xlam", host=mac(tmp_path))
