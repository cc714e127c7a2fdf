"""``xltargets addin install | status | remove``: the add-in in Excel's startup folder.

Windows: ``%APPDATA%\\Microsoft\\Excel\\XLSTART`` (a trusted location, so the
macros run without a prompt); the add-in needs pywin32 and the xlwings
package of the same version it was built with (its DLL), not xlwings' own
add-in. macOS: Excel's ``Startup.localized/Excel`` folder plus xlwings'
AppleScript for RunPython. Both get a user config file naming this Python
(``INTERPRETER_WIN`` / ``INTERPRETER_MAC``), which the add-in's xlwings
module reads with VBA ``Input #``: in the Windows ANSI code page (cp936 on
Chinese Windows), so it is written in that code page (:attr:`Host.encoding`),
and a Python path the code page cannot hold is refused. Anywhere else Excel
is not available: ``install``/``remove`` say so, ``status`` still reports.

The installer touches only its own files: the add-in is written atomically
(a temporary file renamed over the target, never through a link at the
target); a foreign ``xltargets.xlam`` is moved to a backup folder outside
XLSTART first (Excel opens every file in XLSTART); ``remove`` deletes only
an add-in that xltargets built (:func:`is_our_addin`). Nothing here prints;
the CLI does.
"""

from __future__ import annotations

import importlib.util
import locale
import os
import platform as _platform
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..checklist import Check
from ..errors import ExcelNotAvailable, InputError, WorkbookError, XltargetsError
from ..fileio import atomic_output, require_folder
from .build import ADDIN_NAME
from .package import is_addin_package, is_our_addin
from .xlwings_files import PROJECT_NAME, xlwings_dir, xlwings_version

__all__ = [
    "Host",
    "Check",
    "Report",
    "detect_host",
    "install",
    "status",
    "remove",
    "ExcelNotAvailable",
    "is_addin_package",
    "is_our_addin",
    "write_config",
    "config_bytes",
    "read_config",
]

MAC_STARTUP = "Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel"
MAC_SCRIPTS = "Library/Application Scripts/com.microsoft.Excel"
MAC_CONFIG = "Library/Containers/com.microsoft.Excel/Data"
#: where a foreign xltargets.xlam found in XLSTART is kept (outside XLSTART: Excel opens every file there)
BACKUP_DIR = "backup"


TRUST_HINT_WIN = (
    "XLSTART 是 Excel 默认的受信任位置，重新打开 Excel 即可看到“绩效目标”选项卡。"
    "若仍看不到：文件 → 选项 → 信任中心 → 信任中心设置 → 受信任位置，确认 XLSTART 在列表中；"
    "文件 → 选项 → 加载项 → 管理“禁用项目”，启用 xltargets.xlam；"
    "从网络下载的 .xlam 需在文件属性中勾选“解除锁定”。"
)
TRUST_HINT_MAC = "重新打开 Excel 即可看到“绩效目标”选项卡；首次运行时 Excel 会询问是否启用宏，请选“启用宏”。"
NO_EXCEL_HINT = (
    "把 xltargets.xlam 复制到装有 Excel 的 Windows 或 macOS 电脑，在那里安装 xltargets 后运行 xltargets addin install。"
    "没有 Excel 时，可用 xltargets check / consolidate 命令完成校验和汇总。"
)


@dataclass(frozen=True)
class Host:
    """Where Excel keeps its startup folder on this machine, and how its VBA reads text files."""

    system: str  # "Windows", "Darwin" or anything else
    home: Path
    appdata: Path | None = None
    #: the code page xlwings' VBA reads the config file in: the ANSI code page on Windows
    #: (cp936 on Chinese Windows), what ``locale.getencoding()`` returns there
    encoding: str = "utf-8"

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
        if self.system == "Darwin":
            return self.home / MAC_CONFIG / f"{PROJECT_NAME}.conf"
        return self.home / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf"

    @property
    def backup_dir(self) -> Path:
        return self.home / f".{PROJECT_NAME}" / BACKUP_DIR

    @property
    def target(self) -> Path:
        return self.startup_dir / ADDIN_NAME


def detect_host() -> Host:
    appdata = os.environ.get("APPDATA")
    return Host(
        system=_platform.system(),
        home=Path.home(),
        appdata=Path(appdata) if appdata else None,
        encoding=locale.getencoding(),
    )


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


def _not_available(addin: Path | None, *, removing: bool = False) -> ExcelNotAvailable:
    if removing:
        what = "也就没有安装过加载项，无需删除。"
    else:
        where = f"加载项文件在“{addin}”。" if addin and addin.exists() else "可先运行 xltargets addin build 生成 xltargets.xlam。"
        what = f"无法安装加载项。{where}"
    return ExcelNotAvailable(
        f"此电脑（{_platform.system() or '未知系统'}）上没有 Microsoft Excel，{what}",
        hint=NO_EXCEL_HINT,
        path=str(addin) if addin else None,
    )


# -- the config file xlwings' VBA reads ---------------------------------------------------------


def _unencodable(text: str, encoding: str) -> str:
    """The characters of *text* that *encoding* cannot hold ('' when all fit)."""
    bad = []
    for ch in text:
        try:
            ch.encode(encoding)
        except UnicodeEncodeError:
            if ch not in bad:
                bad.append(ch)
    return "".join(bad)


def _path_check(host: Host, interpreter: Path) -> Check:
    bad = _unencodable(str(interpreter), host.encoding)
    if not bad:
        return Check("Python 路径", True, str(interpreter))
    return Check(
        "Python 路径",
        False,
        f"“{interpreter}”含有字符“{bad}”，Excel 按本机代码页 {host.encoding} 读配置文件，读不出这些字符，"
        "加载项将找不到 Python。处理办法：把 Python 安装到只含中英文和数字的文件夹（如 C:\\Python311），"
        "用它运行 pip install \"xltargets[excel]\" 后，再运行 xltargets addin install。",
    )


def read_config(host: Host) -> list[str]:
    """The lines of the config file (none when it does not exist).

    Read as UTF-8 when it is UTF-8 (a file an earlier xltargets wrote, or one saved by Notepad, with or
    without its BOM; it is rewritten in the code page on the next install), else in the host's code page.
    UTF-8 first: Chinese in UTF-8 is mostly also valid cp936 (用户 reads as 鐢ㄦ埛), while cp936 text is
    almost never valid UTF-8.
    """
    try:
        raw = host.config_file.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise WorkbookError(f"无法读取配置文件“{host.config_file}”：{exc.strerror or exc}。", path=str(host.config_file)) from exc
    for encoding in ("utf-8-sig", host.encoding):
        try:
            return raw.decode(encoding).splitlines()
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputError(
        f"配置文件“{host.config_file}”既不是代码页 {host.encoding} 也不是 UTF-8 文本，未做修改。",
        hint="删除或改正该文件后重新运行 xltargets addin install。",
        path=str(host.config_file),
    )


def config_bytes(host: Host, key: str, value: str) -> bytes:
    """The config file with ``"KEY","value"`` set, its other lines kept, in the host's code page (nothing written)."""
    lines = [line for line in read_config(host) if not line.upper().startswith(f'"{key.upper()}"')]
    lines.append(f'"{key}","{value}"')
    text = "\r\n".join(lines) + "\r\n" if host.system == "Windows" else "\n".join(lines) + "\n"
    try:
        return text.encode(host.encoding)
    except UnicodeEncodeError:
        bad = [(n, _unencodable(line, host.encoding)) for n, line in enumerate(lines, 1)]
        where = "、".join(f"第 {n} 行的“{chars}”" for n, chars in bad if chars)
        raise InputError(
            f"配置文件“{host.config_file}”中{where}无法用本机代码页 {host.encoding} 保存，未做修改。",
            hint="删除该文件中含这些字符的行后重新运行 xltargets addin install。",
            path=str(host.config_file),
        ) from None


def write_config(host: Host, key: str, value: str, data: bytes | None = None) -> Path:
    """Set ``"KEY","value"`` in the config file (*data*: :func:`config_bytes` made before), atomically."""
    data = config_bytes(host, key, value) if data is None else data
    host.config_file.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(host.config_file) as tmp:
        tmp.write_bytes(data)
    return host.config_file


def _config_key(host: Host) -> str:
    return "INTERPRETER_MAC" if host.system == "Darwin" else "INTERPRETER_WIN"


def _interpreter() -> Path:
    exe = Path(sys.executable)
    pythonw = exe.with_name("pythonw.exe")
    return pythonw if pythonw.exists() else exe


# -- checks -------------------------------------------------------------------------------------


def _python_checks(host: Host, *, has_module=importlib.util.find_spec) -> list[Check]:
    checks = [
        Check("Python", True, f"{_platform.python_version()}（{sys.executable}）"),
    ]
    try:
        version = xlwings_version()
        checks.append(Check("xlwings（Python 包）", True, f"版本 {version}"))
    except Exception:  # noqa: BLE001 - importlib.metadata raises PackageNotFoundError
        checks.append(Check("xlwings（Python 包）", False, "未安装：运行 pip install \"xltargets[excel]\"。"))
        return checks
    builder = importlib.util.find_spec("pyopenvba") is not None
    checks.append(
        Check("pyOpenVBA（生成加载项）", builder, "已安装" if builder else "未安装：运行 pip install \"xltargets[excel]\"。")
    )
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
            Check("xlwings 自带加载项", True, "已安装（可与本加载项共存）" if own.exists() else "未安装（本加载项不需要它）",
                  note=not own.exists())
        )
    if host.has_excel:
        checks.append(_path_check(host, _interpreter()))
    return checks


def _config_check(host: Host) -> Check:
    key = _config_key(host)
    try:
        lines = read_config(host)
    except XltargetsError as exc:
        return Check("配置文件", False, exc.message)
    value = next((line.split(",", 1)[1].strip().strip('"') for line in lines if line.upper().startswith(f'"{key}"')), None)
    if value is None:
        return Check("配置文件", not host.has_excel, f"{host.config_file}：没有 {key}（安装时写入）")
    return Check("配置文件", True, f"{host.config_file}：{key} = {value}")


# -- install / status / remove ------------------------------------------------------------------


def _refuse_link(path: Path, doing: str) -> None:
    if path.is_symlink():
        raise WorkbookError(
            f"“{path}”是一个链接（快捷方式），xltargets 不会{doing}它或它指向的文件。",
            hint="确认后手动删除这个链接，再重新运行本命令。",
            path=str(path),
        )


def _back_up(host: Host, target: Path) -> Path:
    """Move a foreign add-in out of XLSTART into the backup folder; return where it went."""
    host.backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = host.backup_dir / f"{target.stem}-{stamp}{target.suffix}"
    n = 1
    while backup.exists():
        n += 1
        backup = host.backup_dir / f"{target.stem}-{stamp}-{n}{target.suffix}"
    shutil.move(str(target), str(backup))
    return backup


def install(addin: Path, *, host: Host | None = None, has_module=importlib.util.find_spec) -> Report:
    """Copy the built *addin* into Excel's startup folder and point xlwings at this Python."""
    host = host or detect_host()
    addin = Path(addin)
    if not host.has_excel:
        raise _not_available(addin)
    if not addin.is_file():
        raise WorkbookError(f"找不到加载项文件“{addin}”。", hint="先运行 xltargets addin build。", path=str(addin))
    if not is_addin_package(addin):
        raise InputError(
            f"“{addin}”不是 Excel 加载项（.xlam 加载项包），未安装。",
            hint="用 xltargets addin build 生成的 xltargets.xlam，或去掉 --addin 让本命令现场生成。",
            path=str(addin),
        )
    report = Report(host=host, target=host.target, checks=_python_checks(host, has_module=has_module))
    if not report.ok:
        report.hint = "按上面的提示补齐后重新运行 xltargets addin install；加载项未安装。"
        return report
    target = host.target
    _refuse_link(target, "写入")
    require_folder(host.startup_dir)  # a file named XLSTART (or Excel): «内部错误», exit 3, before
    config = config_bytes(host, _config_key(host), str(_interpreter()))  # its refusals before anything is written
    backup = None
    try:
        host.startup_dir.mkdir(parents=True, exist_ok=True)
        if target.exists() and not is_our_addin(target):
            backup = _back_up(host, target)
        with atomic_output(target) as tmp:
            shutil.copyfile(addin, tmp)
        write_config(host, _config_key(host), str(_interpreter()), config)
        if host.system == "Darwin":
            scripts = host.home / MAC_SCRIPTS
            scripts.mkdir(parents=True, exist_ok=True)
            applescript = xlwings_dir() / f"xlwings-{xlwings_version()}.applescript"
            if applescript.exists():
                with atomic_output(scripts / applescript.name) as tmp:
                    shutil.copyfile(applescript, tmp)
    except PermissionError as exc:
        raise WorkbookError(
            f"无法写入“{host.target}”：文件可能正被 Excel 使用。", hint="关闭 Excel 后重试。", path=str(host.target)
        ) from exc
    except OSError as exc:
        raise WorkbookError(
            f"无法写入“{host.target}”：{exc.strerror or exc}。", hint="检查该位置是否可写后重试。", path=str(host.target),
            en=f"cannot write {host.target}: {exc.strerror or exc}",
        ) from exc
    report.done = f"已安装到“{host.target}”。"
    if backup is not None:
        report.done += f"原有的同名文件不是 xltargets 生成的，已移到“{backup}”。"
    report.hint = TRUST_HINT_WIN if host.system == "Windows" else TRUST_HINT_MAC
    return report


def status(*, host: Host | None = None, built: Path | None = None, has_module=importlib.util.find_spec) -> Report:
    """Is the add-in installed, and is this Python ready to serve it? Reports on any machine."""
    host = host or detect_host()
    report = Report(host=host, target=host.target if host.has_excel else None)
    report.checks = _python_checks(host, has_module=has_module)
    if host.has_excel:
        target = host.target
        if target.is_symlink():
            report.checks.insert(0, Check("xltargets.xlam", False, f"“{target}”是一个链接，不是 xltargets 安装的文件"))
        elif not target.exists():
            report.checks.insert(0, Check("xltargets.xlam", False, f"未安装：{target}"))
            report.hint = "运行 xltargets addin install 安装。"
        elif not is_our_addin(target):
            report.checks.insert(0, Check("xltargets.xlam", False, f"“{target}”不是 xltargets 生成的加载项"))
            report.hint = "运行 xltargets addin install：它会把该文件移到备份文件夹，再安装 xltargets 的加载项。"
        else:
            report.checks.insert(0, Check("xltargets.xlam", True, f"已安装：{target}"))
    else:
        if built is not None and built.is_file():
            report.checks.append(Check("加载项文件", True, f"已生成：{built}"))
        else:
            report.checks.append(Check("加载项文件", True, "尚未生成（xltargets addin build 可生成 xltargets.xlam）", note=True))
        report.done = f"此电脑（{_platform.system() or '未知系统'}）上没有 Microsoft Excel，加载项只能在 Windows 或 macOS 上安装。"
        report.hint = NO_EXCEL_HINT
    report.checks.append(_config_check(host))
    return report


def remove(*, host: Host | None = None) -> Report:
    """Delete the add-in xltargets installed from the startup folder (the config file stays, it is harmless)."""
    host = host or detect_host()
    if not host.has_excel:
        raise _not_available(None, removing=True)
    report = Report(host=host, target=host.target)
    target = host.target
    _refuse_link(target, "删除")
    if not target.exists():
        report.done = f"未安装，无需删除（{target}）。"
        return report
    if not is_our_addin(target):
        raise WorkbookError(
            f"“{target}”不是 xltargets 生成的加载项，未删除。",
            hint="它可能是别的程序的同名文件：确认不再需要后手动删除。",
            path=str(target),
        )
    try:
        target.unlink()
    except PermissionError as exc:
        raise WorkbookError(
            f"无法删除“{target}”：Excel 正在使用它。", hint="关闭 Excel 后重试。", path=str(target)
        ) from exc
    report.done = f"已从“{target}”删除；重新打开 Excel 后“绩效目标”选项卡消失。"
    return report
