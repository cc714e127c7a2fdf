"""Installing the add-in: Excel's startup folder on Windows and macOS, a clear refusal elsewhere.

The hosts are simulated in temporary folders (no machine here runs Excel);
the checks for pywin32 and xlwings' DLL see a fake Python folder. The add-in
packages are small zips with the parts that tell an add-in (and ours) apart.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import zipfile
from pathlib import Path

import pytest

from xltargets.addin import install as inst
from xltargets.addin.package import ADDIN_CONTENT_TYPE
from xltargets.addin.xlwings_files import xlwings_version
from xltargets.errors import InputError, WorkbookError

TYPES = f'<Types><Override PartName="/xl/workbook.xml" ContentType="{ADDIN_CONTENT_TYPE}"/></Types>'


def make_package(path: Path, *, ours: bool = True, addin: bool = True, tag: str = "") -> Path:
    """A minimal add-in package: an add-in content type, a VBA project and (ours) our ribbon callback."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", TYPES if addin else TYPES.replace("addin", "sheet"))
        zf.writestr("xl/vbaProject.bin", b"vba" + tag.encode())
        ui = '<customUI><button onAction="RibbonXltargets.OnAction"/></customUI>' if ours else "<customUI/>"
        zf.writestr("customUI/customUI.xml", ui)
    return path


@pytest.fixture
def addin_file(tmp_path) -> Path:
    return make_package(tmp_path / "build" / "xltargets.xlam")


def python_folder(folder: Path, monkeypatch) -> Path:
    """A Windows-like Python folder holding python.exe, pythonw.exe and xlwings' DLL, as this Python."""
    folder.mkdir(parents=True)
    for name in ("python.exe", "pythonw.exe", f"xlwings64-{xlwings_version()}.dll"):
        (folder / name).write_bytes(b"")
    monkeypatch.setattr(sys, "executable", str(folder / "python.exe"))
    monkeypatch.setattr(sys, "prefix", str(folder))
    return folder


@pytest.fixture
def fake_python(tmp_path, monkeypatch) -> Path:
    return python_folder(tmp_path / "Python311", monkeypatch)


def windows(tmp_path) -> inst.Host:
    return inst.Host(system="Windows", home=tmp_path / "Users" / "staff", appdata=tmp_path / "Users" / "staff" / "AppData" / "Roaming")


def mac(tmp_path) -> inst.Host:
    return inst.Host(system="Darwin", home=tmp_path / "Users" / "staff")


def with_pywin32(name):
    return object() if name == "win32com" else None


WINDOWS_CHECKS = ["Python", "xlwings（Python 包）", "pyOpenVBA（生成加载项）", "pywin32", "xlwings DLL", "xlwings 自带加载项", "Python 路径"]


def test_windows_install_copies_to_xlstart_and_names_this_python(tmp_path, addin_file, fake_python):
    host = windows(tmp_path)
    report = inst.install(addin_file, host=host, has_module=with_pywin32)
    target = tmp_path / "Users/staff/AppData/Roaming/Microsoft/Excel/XLSTART/xltargets.xlam"
    assert report.ok and report.target == target
    assert target.read_bytes() == addin_file.read_bytes()
    config = (tmp_path / "Users/staff/.xltargets/xltargets.conf").read_bytes()
    assert config == f'"INTERPRETER_WIN","{fake_python / "pythonw.exe"}"\r\n'.encode()
    assert "受信任位置" in report.hint
    assert [c.what for c in report.checks] == WINDOWS_CHECKS


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
    host.config_file.write_bytes(b'"INTERPRETER_WIN","C:\\old\\pythonw.exe"\r\n"SHOW CONSOLE","True"\r\n')
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


@pytest.mark.parametrize("call", ["install", "remove"])
def test_without_excel_says_so_and_where_the_file_is(tmp_path, addin_file, call):
    host = inst.Host(system="Linux", home=tmp_path)
    with pytest.raises(inst.ExcelNotAvailable, match="没有 Microsoft Excel") as info:
        if call == "install":
            inst.install(addin_file, host=host)
        else:
            inst.remove(host=host)
    if call != "remove":
        assert str(addin_file) in info.value.message
    assert "Windows 或 macOS" in info.value.hint
    assert list(tmp_path.iterdir()) == [addin_file.parent]


def test_install_refuses_a_missing_file(tmp_path):
    with pytest.raises(WorkbookError, match="找不到加载项文件"):
        inst.install(tmp_path / "nope.xlam", host=mac(tmp_path))


# -- issue 13 point 9: status on a machine without Excel ---------------------------------------


def test_status_without_excel_reports_everything_and_changes_nothing(tmp_path, addin_file):
    host = inst.Host(system="Linux", home=tmp_path / "home")
    report = inst.status(host=host, built=addin_file)
    what = {c.what: c for c in report.checks}
    assert list(what) == ["Python", "xlwings（Python 包）", "pyOpenVBA（生成加载项）", "加载项文件", "配置文件"]
    assert sys.executable in what["Python"].detail
    assert str(addin_file) in what["加载项文件"].detail
    assert "没有 INTERPRETER_WIN" in what["配置文件"].detail
    assert "没有 Microsoft Excel" in report.done and "xltargets check" in report.hint
    assert not (tmp_path / "home").exists()


# -- issue 13 point 2: the config in the code page xlwings' VBA reads it with --------------------


def vba_input(path: Path, encoding: str) -> dict[str, str]:
    """What xlwings' GetConfigFromFile sees: ``Input #f, name, value`` over lines in the ANSI code page."""
    text = path.read_bytes().decode(encoding)  # VBA turns the file's bytes into text with the ANSI code page
    return {row[0]: row[1] for row in csv.reader(io.StringIO(text)) if row}


def chinese_windows(tmp_path) -> inst.Host:
    home = tmp_path / "Users" / "张三"
    return inst.Host(system="Windows", home=home, appdata=home / "AppData" / "Roaming", encoding="cp936")


@pytest.fixture
def chinese_python(tmp_path, monkeypatch) -> Path:
    """The default per-user Python of a user named 张三."""
    return python_folder(tmp_path / "Users" / "张三" / "AppData" / "Local" / "Programs" / "Python" / "Python311", monkeypatch)


def test_config_for_a_chinese_user_name_is_written_in_cp936(tmp_path, addin_file, chinese_python):
    host = chinese_windows(tmp_path)
    report = inst.install(addin_file, host=host, has_module=with_pywin32)
    assert report.ok, report.checks
    raw = host.config_file.read_bytes()
    expected = str(chinese_python / "pythonw.exe")
    assert raw == f'"INTERPRETER_WIN","{expected}"\r\n'.encode("cp936")
    assert "张三".encode("cp936") in raw and "张三".encode("utf-8") not in raw
    assert vba_input(host.config_file, "cp936") == {"INTERPRETER_WIN": expected}


def test_an_older_utf8_config_is_rewritten_in_cp936(tmp_path, addin_file, chinese_python):
    host = chinese_windows(tmp_path)
    host.config_file.parent.mkdir(parents=True)
    host.config_file.write_bytes('"PYTHONPATH","D:\\工作\\脚本"\n"INTERPRETER_WIN","C:\\旧\\python.exe"\n'.encode("utf-8"))
    inst.install(addin_file, host=host, has_module=with_pywin32)
    assert vba_input(host.config_file, "cp936") == {
        "PYTHONPATH": "D:\\工作\\脚本",
        "INTERPRETER_WIN": str(chinese_python / "pythonw.exe"),
    }


@pytest.mark.parametrize(
    "earlier",
    [
        pytest.param('"PYTHONPATH","C:\\用户\\张三\\文档"\n'.encode("utf-8"), id="utf8-that-cp936-also-decodes"),
        pytest.param('\ufeff"PYTHONPATH","C:\\用户\\张三\\文档"\r\n'.encode("utf-8"), id="utf8-with-bom-notepad"),
        pytest.param('"PYTHONPATH","C:\\用户\\张三\\文档"\r\n'.encode("cp936"), id="cp936"),
    ],
)
def test_an_earlier_config_keeps_its_lines_as_vba_reads_them(tmp_path, addin_file, chinese_python, earlier):
    # 用户 in UTF-8 is valid cp936 too (鐢ㄦ埛): read in the code page first, the line was kept as UTF-8 bytes
    # that xlwings' VBA reads as 鐢ㄦ埛; Notepad's BOM was refused as a character cp936 cannot hold
    host = chinese_windows(tmp_path)
    host.config_file.parent.mkdir(parents=True)
    host.config_file.write_bytes(earlier)
    assert inst.install(addin_file, host=host, has_module=with_pywin32).ok
    assert vba_input(host.config_file, "cp936") == {
        "PYTHONPATH": "C:\\用户\\张三\\文档",
        "INTERPRETER_WIN": str(chinese_python / "pythonw.exe"),
    }


@pytest.mark.parametrize("foreign", [None, "other-addin"], ids=["xlstart-empty", "foreign-addin-there"])
def test_a_config_line_cp936_cannot_hold_is_refused_before_anything_is_written(tmp_path, addin_file, chinese_python, foreign):
    # a folder named with 𠀀 (CJK Extension B) or an emoji in an older UTF-8 config: the install was copied into
    # XLSTART (a foreign add-in moved to the backup) before the config was refused «未做修改»
    host = chinese_windows(tmp_path)
    host.config_file.parent.mkdir(parents=True)
    earlier = '"PYTHONPATH","D:\\𠀀\\脚本😀"\n'.encode("utf-8")
    host.config_file.write_bytes(earlier)
    if foreign:
        make_package(host.target, ours=False)
    before = host.target.read_bytes() if foreign else None
    with pytest.raises(InputError, match="第 1 行的“𠀀😀”无法用本机代码页 cp936 保存，未做修改"):
        inst.install(addin_file, host=host, has_module=with_pywin32)
    assert host.config_file.read_bytes() == earlier
    assert not host.backup_dir.exists()
    if foreign:
        assert host.target.read_bytes() == before
    else:
        assert not host.target.exists()


@pytest.mark.parametrize(
    "user, bad",
    [("Nguyễn", "ễ"), ("김민준", "김민준"), ("user😀", "😀")],
    ids=["vietnamese", "korean", "emoji"],
)
def test_a_python_path_cp936_cannot_hold_is_refused(tmp_path, addin_file, monkeypatch, user, bad):
    python_folder(tmp_path / "Users" / user / "Python311", monkeypatch)
    host = inst.Host(system="Windows", home=tmp_path / "Users" / user, appdata=tmp_path / "AppData", encoding="cp936")
    report = inst.install(addin_file, host=host, has_module=with_pywin32)
    assert not report.ok
    (failed,) = [c for c in report.checks if not c.ok]
    assert failed.what == "Python 路径"
    assert f"“{bad}”" in failed.detail and "cp936" in failed.detail and "C:\\Python311" in failed.detail
    assert not host.target.exists() and not host.config_file.exists()


def test_detect_host_uses_the_locale_code_page(monkeypatch):
    import locale

    monkeypatch.setattr(locale, "getencoding", lambda: "cp936")
    assert inst.detect_host().encoding == "cp936"


# -- issue 13 point 8: the installer touches only its own files ----------------------------------


def test_install_replaces_an_earlier_xltargets_addin_without_backup(tmp_path, fake_python):
    host = windows(tmp_path)
    make_package(host.target, tag="old")
    new = make_package(tmp_path / "new" / "xltargets.xlam", tag="new")
    report = inst.install(new, host=host, has_module=with_pywin32)
    assert report.ok and "备份" not in report.done and "移到" not in report.done
    assert host.target.read_bytes() == new.read_bytes()
    assert not host.backup_dir.exists()
    assert sorted(p.name for p in host.startup_dir.iterdir()) == ["xltargets.xlam"]  # no temporary file left


@pytest.mark.parametrize("foreign", ["not-a-zip", "other-addin"])
def test_install_moves_a_foreign_file_to_a_backup_outside_xlstart(tmp_path, addin_file, fake_python, foreign):
    host = windows(tmp_path)
    host.startup_dir.mkdir(parents=True)
    if foreign == "not-a-zip":
        host.target.write_bytes(b"someone else's file")
    else:
        make_package(host.target, ours=False)
    before = host.target.read_bytes()
    report = inst.install(addin_file, host=host, has_module=with_pywin32)
    (backup,) = host.backup_dir.iterdir()
    assert backup.read_bytes() == before and backup.suffix == ".xlam"
    assert str(backup) in report.done
    assert host.target.read_bytes() == addin_file.read_bytes()
    assert host.startup_dir not in backup.parents
    assert sorted(p.name for p in host.startup_dir.iterdir()) == ["xltargets.xlam"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
@pytest.mark.parametrize("command", ["install", "remove"])
def test_a_link_at_the_target_is_refused_and_what_it_points_to_is_untouched(tmp_path, addin_file, fake_python, command):
    host = windows(tmp_path)
    host.startup_dir.mkdir(parents=True)
    precious = make_package(tmp_path / "elsewhere" / "precious.xlam", tag="precious")
    before = precious.read_bytes()
    host.target.symlink_to(precious)
    with pytest.raises(WorkbookError, match="链接"):
        if command == "install":
            inst.install(addin_file, host=host, has_module=with_pywin32)
        else:
            inst.remove(host=host)
    assert precious.read_bytes() == before
    assert host.target.is_symlink() and not host.config_file.exists()


@pytest.mark.parametrize("kind", ["text", "xlsx", "missing-vba"])
def test_install_refuses_an_addin_option_that_is_not_an_addin_package(tmp_path, kind):
    path = tmp_path / "x.xlam"
    if kind == "text":
        path.write_text("hello", encoding="utf-8")
    elif kind == "xlsx":
        make_package(path, addin=False)
    else:
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("[Content_Types].xml", TYPES)
    host = mac(tmp_path)
    with pytest.raises(InputError, match="不是 Excel 加载项"):
        inst.install(path, host=host)
    assert not host.target.exists() and not host.config_file.exists()


def test_remove_refuses_a_file_xltargets_did_not_write(tmp_path):
    host = mac(tmp_path)
    make_package(host.target, ours=False)
    before = host.target.read_bytes()
    with pytest.raises(WorkbookError, match="不是 xltargets 生成的加载项"):
        inst.remove(host=host)
    assert host.target.read_bytes() == before


@pytest.mark.parametrize("where", ["XLSTART", "Excel"])
def test_a_file_where_excels_startup_folder_belongs_is_refused_before_anything_is_written(tmp_path, addin_file, fake_python, where):
    # «内部错误（FileExistsError / NotADirectoryError）», exit 3, until session 8's attack pass
    host = windows(tmp_path)
    blocker = host.startup_dir if where == "XLSTART" else host.startup_dir.parent
    blocker.parent.mkdir(parents=True)
    blocker.write_bytes(b"")
    with pytest.raises(WorkbookError, match=f"“{re.escape(str(blocker))}”应是文件夹，但它是一个文件；未做任何修改"):
        inst.install(addin_file, host=host, has_module=with_pywin32)
    assert blocker.read_bytes() == b"" and not host.config_file.exists() and not host.backup_dir.exists()
