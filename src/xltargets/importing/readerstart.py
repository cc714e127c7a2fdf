"""Why the reader process did not start, told from the detail of a ``start``
:class:`~xltargets.reader.ReaderFailure`, and the fix that matches the cause.

Only a broken install is mended by reinstalling. A machine out of memory or out of
processes, a program that blocks the start (an antivirus, a security policy), a moved
Python, a command line made too long by PYTHONPATH or a machine too busy to answer in
time each have their own fix. The detail is what the reader gives: an ``OSError`` of the
start as text (``[Errno 12] …``, ``[WinError 5] …``), the exit code of a child that died
before it said it was ready, or a sentence for a child that stayed silent.
"""

from __future__ import annotations

import errno
import os
import re

__all__ = ["CAUSES", "start_cause"]

_REINSTALL = "pip install --force-reinstall xltargets"

#: cause → (what happened, in Chinese; in English; the fix, in Chinese)
CAUSES = {
    "memory": ("内存不足", "out of memory", "关闭其他程序（尤其是占用内存多的程序）释放内存后再试；一次导入很多文件时可分批导入。"),
    "resources": ("系统的进程数或打开的文件数已达上限", "too many processes or open files",
                  "关闭不用的程序和窗口后再试；仍不行请重启电脑。"),
    "blocked": ("启动被系统拒绝，常见原因是杀毒软件或安全策略拦截了 Python", "the start was refused (an antivirus or a security policy)",
                "在杀毒软件或安全软件中把 Python（{exe}）加入信任（白名单）后再试；单位电脑请联系信息部门。"),
    "missing": ("找不到 Python 解释器，其所在文件夹可能已被移动、改名或删除", "the Python interpreter was not found (a moved or deleted folder)",
                "确认 Python（{exe}）仍在原处：它的文件夹被移动或改名的，移回原处；在 Excel 中运行时，检查 xlwings 设置中的 "
                "Interpreter 路径。"),
    "too-long": ("启动命令过长（环境变量 PYTHONPATH 中的路径过多或过长）", "the command line is too long (PYTHONPATH)",
                 "删去环境变量 PYTHONPATH 中不需要的路径后再试。"),
    "slow": ("读取进程没有在限定时间内响应，电脑可能过于繁忙，或杀毒软件正在扫描", "it did not answer in time (a busy machine or an antivirus scan)",
             "稍候再试；若反复出现，关闭占用 CPU 的程序，或在杀毒软件中把 Python（{exe}）加入信任。"),
    "install": ("xltargets 或其依赖的程序库安装不完整", "the install is incomplete",
                f"重新安装 xltargets（{_REINSTALL}）后再试；仍不行请把这条消息发给维护人员。"),
    "unknown": ("原因不明", "the cause is unknown",
                f"关闭其他程序后再试；仍不行，重新安装 xltargets（{_REINSTALL}）；再不行请把这条消息发给维护人员。"),
}

_ERRNO = {
    "memory": {errno.ENOMEM},
    "resources": {errno.EAGAIN, errno.EMFILE, errno.ENFILE},
    "blocked": {errno.EACCES, errno.EPERM},
    "missing": {errno.ENOENT, errno.ENOTDIR},
    "too-long": {errno.E2BIG, errno.ENAMETOOLONG},
    "install": {errno.ENOEXEC},
}
#: Windows system error codes of CreateProcess (the ``[WinError n]`` of an OSError)
_WINERROR = {
    "memory": {8, 14, 1455},  # not enough memory; not enough storage; the paging file is too small
    "resources": {4, 1450, 1453},  # too many open files; insufficient system resources; quota
    "blocked": {5, 225, 1260, 4551},  # access denied; a virus (Defender); blocked by a policy; Application Control
    "missing": {2, 3, 267},  # file, path or folder not found
    "too-long": {206},  # the file name or extension is too long
    "install": {193, 216},  # not a valid Win32 application
}
#: exit codes of a child that died before it was ready: POSIX signals (negative) and shell codes,
#: Windows NTSTATUS codes
_EXIT = {
    "memory": {-6, -9, 134, 137, 0xC0000017, *((3,) if os.name == "nt" else ())},
    "blocked": {0xC0000022},  # STATUS_ACCESS_DENIED
    "install": {1, 0xC0000135, 0xC000007B},  # an import failed; a DLL not found; a bad image
}
_OSERROR = re.compile(r"\[(Errno|WinError) (\d+)\]")


def start_cause(detail: str) -> str:
    """The key in :data:`CAUSES` for a reader process that did not start, from the failure's *detail*."""
    detail = (detail or "").strip()
    found = _OSERROR.search(detail)
    if found:
        table, code = (_ERRNO if found.group(1) == "Errno" else _WINERROR), int(found.group(2))
        return next((cause for cause, codes in table.items() if code in codes), "unknown")
    if detail.lstrip("-").isdigit():
        code = int(detail)
        return next((cause for cause, codes in _EXIT.items() if code in codes), "unknown")
    if detail == "未响应" or detail.endswith("秒内未开始读取"):
        return "slow"
    return "unknown"
