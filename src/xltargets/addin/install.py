"""``xltargets addin install | status | remove``: the add-in in Excel's startup folder.

Windows: ``%APPDATA%\\Microsoft\\Excel\\XLSTART`` (a trusted location, so the
macros run without a prompt); the add-in needs pywin32 and the xlwings
package of the same version it was built with (its DLL), not xlwings' own
add-in. macOS: Excel's ``Startup.localized/Excel`` folder plus xlwings'
AppleScript for RunPython. Both get a user config file naming this Python
(``INTERPRETER_WIN`` / ``INTERPRETER_MAC``), which the add-in's xlwings
module reads. Anywhere else Excel is not available: the report says so and
where the built file is. Nothing here prints; the CLI does.
"""

from __future__ import annotations

import importlib.util
import os
import platform as _platform
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import WorkbookError, XltargetsError
from .build import ADDIN_NAME
from .xlwings_files import PROJECT_NAME, xlwings_dir, xlwings_version

__all__ = ["Host", "Check", "Report", "detect_host", "install", "status", "remove", "ExcelNotAvailable"]

MAC_STARTUP = "Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel"
MAC_SCRIPTS = "Library/Application Scripts/com.microsoft.Excel"
MAC_CONFIG = "Library/Containers/com.microsoft.Excel/Data"

TRUST_HINT_WIN = (
    "XLSTART 是 Excel 默认的受信任位置，重新打开 Excel 即可看到“绩效目标”选项卡。"
    "若仍看不到：文件 → 选项 → 信任中心 → 信任中心设置 → 受信任位置，确认 XLSTART 在列表中；"
    "文件 → 选项 → 加载项 → 管理“禁用项目”，启用 xltargets.xlam；"
    "从网络下载的 .xlam 需在文件属性中勾选“解除锁定”。"
)
TRUST_HINT_MAC = "重新打开 Excel 即可看到“绩效目标”选项卡；首次运行时 Excel 会询问是否启用宏，请选“启用宏”。"


class ExcelNotAvailable(XltargetsError):
    """This machine has no Microsoft Excel (neither Windows nor macOS)."""


@dataclass(frozen=True)
class Host:
    """Where Excel keeps its startup folder on this machine."""

    system: str  # "Windows", "Darwin" or anything else
    home: Path
    appdata: Path | None = None

    @property
    def has_excel(self) -> bool:
        return self.system in ("Windows", "Darwin")

    @property
    def startup_dir(self) -> Path:
        if self.system == "Windows":
            return (self.appdata or self.home / "AppData" / "Roaming") / "Microsoft" / "Excel" / "XLSTART"
        if self.system == "Darwin":
            return self.home / MAC_STARTUP
        raise ExcelNotAvailable("此电脑不是 Windows 或 macOS，没有 Microsoft Excel。")

    @property
    def config_file(self) -> Path:
        """xlwings' user config file for an add-in named xltargets (see GetConfigFilePath in its VBA)."""
        if self.system == "Windows":
            return self.home / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf"
        return self.home / MAC_CONFIG / f"{PROJECT_NAME}.conf"

    @property
    def target(self) -> Path:
        return self.startup_dir / ADDIN_NAME


def detect_host() -> Host:
    appdata = os.environ.get("APPDATA")
    return Host(system=_platform.system(), home=Path.home(), appdata=Path(appdata) if appdata else None)


@dataclass(frozen=True)
class Check:
    """One line of a report: what was checked, whether it is fine, what to do."""

    what: str
    ok: bool
    detail: str = ""


@dataclass
class Report:
    """What install/status/remove found and did."""

    host: Host
    target: Path | None
    checks: list[Check] = field(default_factory=list)
    done: str = ""
    hint: str = ""

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


def _not_available(addin: Path | None) -> ExcelNotAvailable:
    where = f"加载项文件在“{addin}”。" if addin and addin.exists() else "可先运行 xltargets addin build 生成 xltargets.xlam。"
    return ExcelNotAvailable(
        f"此电脑（{_platform.system() or '未知系统'}）上没有 Microsoft Excel，无法安装加载项。{where}",
        hint="把 xltargets.xlam 复制到装有 Excel 的 Windows 或 macOS 电脑，在那里安装 xltargets 后运行 xltargets addin install。"
        "没有 Excel 时，可用 xltargets check / consolidate 命令完成校验和汇总。",
        path=str(addin) if addin else None,
    )


def _python_checks(host: Host, *, has_module=importlib.util.find_spec) -> list[Check]:
    checks = []
    try:
        version = xlwings_version()
        checks.append(Check("xlwings（Python 包）", True, f"版本 {version}"))
    except Exception:  # noqa: BLE001 - importlib.metadata raises PackageNotFoundError
        checks.append(Check("xlwings（Python 包）", False, "未安装：运行 pip install \"xltargets[excel]\"。"))
        return checks
    if host.system == "Windows":
        checks.append(
            Check("pywin32", has_module("win32com") is not None, "Excel 通过它调用 Python；缺少时运行 pip install pywin32。")
        )
        dll = [p for p in (Path(sys.executable).parent, Path(sys.prefix)) if list(p.glob(f"xlwings*-{version}.dll"))]
        checks.append(
            Check(
                "xlwings DLL",
                bool(dll),
                f"xlwings64-{version}.dll（或 32 位版）" + ("已找到" if dll else "未找到：重新运行 pip install xlwings。"),
            )
        )
        own = host.startup_dir / "xlwings.xlam"
        checks.append(
            Check("xlwings 自带加载项", True, "已安装（可与本加载项共存）" if own.exists() else "未安装（本加载项不需要它）")
        )
    return checks


def _write_config(host: Host, interpreter: Path) -> None:
    key = "INTERPRETER_WIN" if host.system == "Windows" else "INTERPRETER_MAC"
    host.config_file.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    if host.config_file.exists():
        lines = [
            line
            for line in host.config_file.read_text(encoding="utf-8").splitlines()
            if not line.upper().startswith(f'"{key}"')
        ]
    lines.append(f'"{key}","{interpreter}"')
    host.config_file.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _interpreter() -> Path:
    exe = Path(sys.executable)
    pythonw = exe.with_name("pythonw.exe")
    return pythonw if pythonw.exists() else exe


def install(addin: Path, *, host: Host | None = None, has_module=importlib.util.find_spec) -> Report:
    """Copy the built *addin* into Excel's startup folder and point xlwings at this Python."""
    host = host or detect_host()
    addin = Path(addin)
    if not host.has_excel:
        raise _not_available(addin)
    if not addin.is_file():
        raise WorkbookError(f"找不到加载项文件“{addin}”。", hint="先运行 xltargets addin build。", path=str(addin))
    report = Report(host=host, target=host.target, checks=_python_checks(host, has_module=has_module))
    if not report.ok:
        report.hint = "按上面的提示补齐后重新运行 xltargets addin install；加载项未安装。"
        return report
    try:
        host.startup_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(addin, host.target)
        _write_config(host, _interpreter())
        if host.system == "Darwin":
            scripts = host.home / MAC_SCRIPTS
            scripts.mkdir(parents=True, exist_ok=True)
            applescript = xlwings_dir() / f"xlwings-{xlwings_version()}.applescript"
            if applescript.exists():
                shutil.copyfile(applescript, scripts / applescript.name)
    except PermissionError as exc:
        raise WorkbookError(
            f"无法写入“{host.target}”：文件可能正被 Excel 使用。", hint="关闭 Excel 后重试。", path=str(host.target)
        ) from exc
    report.done = f"已安装到“{host.target}”。"
    report.hint = TRUST_HINT_WIN if host.system == "Windows" else TRUST_HINT_MAC
    return report


def status(*, host: Host | None = None, built: Path | None = None, has_module=importlib.util.find_spec) -> Report:
    """Is the add-in installed, and is this Python ready to serve it?"""
    host = host or detect_host()
    if not host.has_excel:
        raise _not_available(built)
    report = Report(host=host, target=host.target, checks=_python_checks(host, has_module=has_module))
    installed = host.target.exists()
    report.checks.insert(0, Check("xltargets.xlam", installed, f"{'已安装' if installed else '未安装'}：{host.target}"))
    if not installed:
        report.hint = "运行 xltargets addin install 安装。"
    return report


def remove(*, host: Host | None = None) -> Report:
    """Delete the add-in from the startup folder (the config file stays, it is harmless)."""
    host = host or detect_host()
    if not host.has_excel:
        raise _not_available(None)
    report = Report(host=host, target=host.target)
    if not host.target.exists():
        report.done = f"未安装，无需删除（{host.target}）。"
        return report
    try:
        host.target.unlink()
    except PermissionError as exc:
        raise WorkbookError(
            f"无法删除“{host.target}”：Excel 正在使用它。", hint="关闭 Excel 后重试。", path=str(host.target)
        ) from exc
    report.done = f"已从“{host.target}”删除；重新打开 Excel 后“绩效目标”选项卡消失。"
    return report
