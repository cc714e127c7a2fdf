"""A reader process that does not start: the message names the cause and gives its fix. Only a broken
install (or an unknown cause) is told to reinstall; no memory, too many processes, an antivirus, a moved
Python or a command line too long each get their own fix (importing/readerstart.py)."""

from __future__ import annotations

import os
import sys

import pytest

from xltargets import reader
from xltargets.errors import InputError
from xltargets.importing.limits import reader_failure
from xltargets.importing.readerstart import CAUSES
from xltargets.pipeline import read_sources

REINSTALL = "重新安装"


@pytest.mark.parametrize(
    ("detail", "cause"),
    [
        pytest.param("[Errno 12] Cannot allocate memory", "memory", id="posix-no-memory"),
        pytest.param("[Errno 11] Resource temporarily unavailable", "resources", id="posix-too-many-processes"),
        pytest.param("[Errno 24] Too many open files", "resources", id="posix-too-many-open-files"),
        pytest.param("[Errno 13] Permission denied: '/opt/py/bin/python3'", "blocked", id="posix-permission-denied"),
        pytest.param("[Errno 2] No such file or directory: '/old/venv/bin/python3'", "missing", id="posix-moved-python"),
        pytest.param("[Errno 7] Argument list too long: '/usr/bin/python3'", "too-long", id="posix-command-too-long"),
        pytest.param("[Errno 8] Exec format error: '/usr/bin/python3'", "install", id="posix-broken-interpreter"),
        pytest.param("[WinError 8] 存储空间不足，无法处理此命令。", "memory", id="windows-not-enough-memory"),
        pytest.param("[WinError 1455] 页面文件太小，无法完成操作。", "memory", id="windows-paging-file-too-small"),
        pytest.param("[WinError 1450] 系统资源不足，无法完成请求的服务。", "resources", id="windows-no-resources"),
        pytest.param("[WinError 5] 拒绝访问。", "blocked", id="windows-access-denied"),
        pytest.param("[WinError 225] 无法成功完成操作，因为文件包含病毒或潜在的垃圾软件。", "blocked", id="windows-antivirus"),
        pytest.param("[WinError 4551] 应用程序控制策略已阻止此文件。", "blocked", id="windows-application-control"),
        pytest.param("[WinError 2] 系统找不到指定的文件。", "missing", id="windows-python-not-found"),
        pytest.param("[WinError 206] 文件名或扩展名太长。", "too-long", id="windows-command-too-long"),
        pytest.param("[WinError 193] %1 不是有效的 Win32 应用程序。", "install", id="windows-bad-interpreter"),
        pytest.param("-9", "memory", id="killed-at-start"),
        pytest.param("137", "memory", id="killed-at-start-shell-code"),
        pytest.param(str(0xC0000017), "memory", id="windows-no-memory-status"),
        pytest.param(str(0xC0000022), "blocked", id="windows-access-denied-status"),
        pytest.param("1", "install", id="import-failed"),
        pytest.param(str(0xC0000135), "install", id="windows-dll-not-found"),
        pytest.param("未响应", "slow", id="no-answer"),
        pytest.param("10 秒内未开始读取", "slow", id="pdf-not-started-in-time"),
        pytest.param("42", "unknown", id="other-exit-code"),
        pytest.param("", "unknown", id="no-detail"),
    ],
)
def test_a_reader_start_failure_names_its_cause(detail, cause):
    error = reader_failure("申报表.xlsx", reader.ReaderFailure("start", detail))
    zh, en, fix = CAUSES[cause]
    line = error.one_line()
    told = f"（{detail}）" if detail else ""
    assert f"“申报表.xlsx”无法读取：读取进程未能启动{told}，{zh}。" in line
    assert error.hint == fix.format(exe=reader.command()[0])
    assert en in error.english
    assert (REINSTALL in line) == (cause in ("install", "unknown")), line
    assert "{exe}" not in line


def _workbook(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "申报表.xlsx"
    wb = Workbook()
    wb.active["A1"] = "项目名称"
    wb.save(path)
    return path


def _not_executable(tmp_path):
    path = tmp_path / "python3"
    path.write_text("")
    path.chmod(0o644)
    return str(path)


@pytest.mark.skipif(os.name == "nt", reason="the errno of a POSIX exec")
@pytest.mark.parametrize(
    ("command", "cause"),
    [
        pytest.param(lambda tmp: [str(tmp / "moved" / "python3"), "-c", "pass"], "missing", id="python-moved-away"),
        pytest.param(lambda tmp: [_not_executable(tmp), "-c", "pass"], "blocked", id="start-refused"),
        pytest.param(lambda tmp: [sys.executable, "-c", "pass", "x" * 200_000], "too-long", id="command-too-long"),
        pytest.param(lambda tmp: [sys.executable, "-c", "import no_such_module_xlt"], "install", id="import-fails"),
        pytest.param(lambda tmp: [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"],
                     "memory", id="killed-before-ready"),
    ],
)
def test_a_real_start_failure_is_told_by_its_cause(tmp_path, monkeypatch, command, cause):
    """The same through a real start: the reader's own failure, then the message a user sees."""
    path = _workbook(tmp_path)
    argv = command(tmp_path)
    monkeypatch.setattr(reader, "command", lambda: argv)
    reader.close()
    try:
        with pytest.raises(InputError) as info:
            read_sources([path])
    finally:
        reader.close()
    line = info.value.one_line()
    assert "读取进程未能启动" in line and CAUSES[cause][0] in line, line
    assert (REINSTALL in line) == (cause == "install"), line
    assert "Traceback" not in line
