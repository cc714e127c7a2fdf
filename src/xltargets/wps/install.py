"""Installing the WPS add-in offline: its folder in WPS' ``jsaddons`` and an entry in ``jsplugins.xml``.

Windows: ``%APPDATA%\\kingsoft\\wps\\jsaddons``; Linux (UOS, Kylin, …):
``~/.local/share/Kingsoft/wps/jsaddons``. The add-in's files go into
``xltargets_<version>/`` there, with ``js/config.js`` (the service's port and
token, readable by the user only) and a manifest of what was written;
``jsplugins.xml`` gets one ``<jsplugin name="xltargets" type="et" …/>``
entry and keeps every other entry. ``--autostart`` adds a login item that
runs ``xltargets serve`` (the Startup folder on Windows, XDG autostart on
Linux).

Safety, as for ``addin install``: every check runs before anything is
written; no path through a symlink is written or deleted; a file we did not
write is never overwritten (a foreign ``xltargets_<version>`` folder or
autostart file is refused); ``remove`` deletes exactly the files the
manifest lists and the entry it added. Nothing here prints; the CLI does.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import platform as _platform
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree as SafeET

from .. import __version__
from ..checklist import Check
from ..errors import WorkbookError, WpsNotAvailable, XltargetsError
from ..fileio import require_folder
from ..serve import DEFAULT_PORT
from ..serve.state import ServeState, load_token, read_state, write_state

__all__ = ["WpsHost", "Check", "Report", "detect_host", "install", "status", "remove", "source_dir", "WpsNotAvailable"]

NAME = "xltargets"
MANIFEST = ".xltargets-install.json"
JSPLUGINS = "jsplugins.xml"
AUTOSTART_MARK = "X-xltargets-installed=true"
CMD_MARK = "rem xltargets-installed"
ADDIN_FILES = ("ribbon.xml", "index.html", "main.js", "js/service.js", "js/sheets.js", "js/marks.js", "js/results.js")
CONFIG = "js/config.js"


def source_dir() -> Path:
    """``addin/wps`` of the checkout, else the copy a wheel ships (``xltargets/addin/source/wps``)."""
    from ..addin.sources import default_source_dir

    return default_source_dir() / "wps"


@dataclass(frozen=True)
class WpsHost:
    """Where WPS keeps its add-ins and the desktop its login items, for the current user."""

    system: str
    home: Path
    appdata: Path | None = None
    xdg_data: Path | None = None
    xdg_config: Path | None = None

    def _require(self) -> None:
        if self.system not in ("Windows", "Linux"):
            raise WpsNotAvailable(
                f"WPS 加载项只支持 Windows 和 Linux，此电脑是 {self.system or '未知系统'}。",
                hint="在装有 WPS 的 Windows 或 Linux 电脑上安装 xltargets 后运行 xltargets wps install；"
                "也可以运行 xltargets serve，在浏览器中打开它打印的地址完成校验和汇总。",
            )

    @property
    def jsaddons(self) -> Path:
        self._require()
        if self.system == "Windows":
            return (self.appdata or self.home / "AppData" / "Roaming") / "kingsoft" / "wps" / "jsaddons"
        return (self.xdg_data or self.home / ".local" / "share") / "Kingsoft" / "wps" / "jsaddons"

    @property
    def folder(self) -> Path:
        return self.jsaddons / f"{NAME}_{__version__}"

    @property
    def jsplugins(self) -> Path:
        return self.jsaddons / JSPLUGINS

    @property
    def autostart(self) -> Path:
        self._require()
        if self.system == "Windows":
            base = self.appdata or self.home / "AppData" / "Roaming"
            return base / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup" / "xltargets-serve.cmd"
        return (self.xdg_config or self.home / ".config") / "autostart" / "xltargets-serve.desktop"


def detect_host() -> WpsHost:
    env = os.environ

    def path(name: str) -> Path | None:
        value = env.get(name)
        return Path(value) if value and Path(value).is_absolute() else None

    return WpsHost(
        system=_platform.system(),
        home=Path.home(),
        appdata=path("APPDATA"),
        xdg_data=path("XDG_DATA_HOME"),
        xdg_config=path("XDG_CONFIG_HOME"),
    )


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    hint: str = ""

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


# --- safety helpers -------------------------------------------------------------


def _refuse(message: str, path: Path, hint: str = "删除或改名它后重试。") -> WorkbookError:
    return WorkbookError(message, hint=hint, path=str(path), en=f"refused to write {path}")


def _no_symlinks(path: Path, stop: Path) -> None:
    """Refuse when *path* or a folder between *stop* and it is a symlink (checked before writing)."""
    parts = [path, *path.parents]
    for p in parts:
        if p == stop or p in stop.parents:
            break
        if p.is_symlink():
            raise _refuse(f"“{p}”是符号链接，xltargets 不会通过它写入或删除文件。", p)


def _missing_dirs(path: Path) -> list[Path]:
    """The folders of *path* (itself included) that do not exist yet, outermost first."""
    missing = []
    for p in [path, *path.parents]:
        if p.exists() or p.is_symlink():
            break
        missing.append(p)
    return missing[::-1]


def _mkdirs(path: Path, stop: Path) -> None:
    _no_symlinks(path, stop)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)


def _write_new(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Create *path* (never following a symlink, never replacing a file)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(path, mode)


def _replace(path: Path, data: bytes) -> None:
    """Write *path* atomically (a new file renamed over it; a symlink at *path* is refused before)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    _write_new(tmp, data)
    os.replace(tmp, path)


def _manifest(folder: Path) -> dict | None:
    path = folder / MANIFEST
    if path.is_symlink() or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("name") == NAME else None


def _our_folders(host: WpsHost) -> list[Path]:
    if not host.jsaddons.is_dir() or host.jsaddons.is_symlink():
        return []
    return sorted(p for p in host.jsaddons.glob(f"{NAME}_*") if p.is_dir() and not p.is_symlink() and _manifest(p))


# --- jsplugins.xml ----------------------------------------------------------------


def _read_jsplugins(path: Path) -> Element | None:
    if path.is_symlink():
        raise _refuse(f"“{path}”是符号链接，xltargets 不会修改它。", path)
    if not path.exists():
        return None
    if not path.is_file():
        raise _refuse(f"“{path}”不是普通文件（是文件夹或设备），xltargets 不会修改它；未做任何修改。", path,
                      hint="删除或改名它后重试（WPS 会重新生成它）。")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise WorkbookError(f"无法读取“{path}”：{exc.strerror or exc}。未做任何修改。", hint="检查该文件的权限后重试。",
                            path=str(path), en=f"cannot read {path}: {exc.strerror or exc}; nothing was changed") from None
    try:
        root = SafeET.fromstring(_xml_text(raw))
    except Exception as exc:  # noqa: BLE001 - defusedxml raises several kinds
        if not _DECLARED.match(raw) and not raw.startswith(_BOMS) and _gbk_not_utf8(raw):
            raise WorkbookError(
                f"无法读取“{path}”：它不是 UTF-8 编码，也没有声明编码（像是用记事本按 ANSI/GBK 保存的）。未做任何修改。",
                hint="用记事本打开它，“另存为”时编码选 UTF-8 后重试；或在第一行写明 <?xml version=\"1.0\" encoding=\"GBK\"?>。",
                path=str(path),
                en=f"{path} is neither UTF-8 nor declares its encoding; nothing was changed",
            ) from None
        raise WorkbookError(
            f"无法读取“{path}”：它不是有效的 XML（{exc}）。未做任何修改。",
            hint="用记事本打开它修正，或把它改名备份后重试（WPS 会重新生成它）。",
            path=str(path),
            en=f"{path} is not valid XML; nothing was changed",
        ) from None
    if root.tag != "jsplugins":
        raise _refuse(f"“{path}”的根元素是 <{root.tag}>，不是 <jsplugins>；未做任何修改。", path)
    return root


#: an XML declaration naming its encoding (ASCII in every encoding a declaration may name but UTF-16/32)
_DECLARED = re.compile(rb"""\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']""")
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _xml_text(raw: bytes) -> bytes | str:
    """The file to parse: decoded here when it declares an encoding expat cannot read (GBK, GB2312, GB18030,
    Big5: expat reads only UTF-8, UTF-16, Latin-1 and ASCII; another add-in's installer may write GBK)."""
    declared = _DECLARED.match(raw)
    if declared is None or raw.startswith(_BOMS):
        return raw
    name = declared.group(1).decode("ascii")
    try:
        return raw.decode(name)
    except LookupError:  # an encoding Python does not know: expat names it
        return raw
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ValueError(f"第一行声明的编码是 {name}，但第 {line} 行有不是 {name} 的字节") from None


def _gbk_not_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            return False
        return True
    return False


def _entry_url(host: WpsHost) -> str:
    return host.folder.as_uri() + "/"


def _jsplugins_with(root: Element | None, host: WpsHost, add: bool) -> Element:
    new = Element("jsplugins")
    new.text = "\n  "
    kept = [e for e in (list(root) if root is not None else []) if not (e.tag == "jsplugin" and e.get("name") == NAME)]
    for e in kept:
        new.append(e)
    if add:
        SubElement(new, "jsplugin", {"name": NAME, "type": "et", "url": _entry_url(host), "version": __version__})
    for i, e in enumerate(list(new)):
        e.tail = "\n" if i == len(new) - 1 else "\n  "
    return new


def _xml(root: Element) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode").encode("utf-8") + b"\n"


def _our_entry(root: Element | None) -> Element | None:
    if root is None:
        return None
    return next((e for e in root if e.tag == "jsplugin" and e.get("name") == NAME), None)


# --- autostart --------------------------------------------------------------------


def _interpreter() -> Path:
    exe = Path(sys.executable)
    pythonw = exe.with_name("pythonw.exe")
    return pythonw if pythonw.exists() else exe


def _desktop_quote(text: str) -> str:
    r"""*text* as one argument of a desktop entry's ``Exec`` (freedesktop Desktop Entry spec, "The Exec key").

    Three layers read it, outermost first: the key file's string escapes (``\\``, ``\n``), then the quoting of
    arguments (``\"``, ``\```, ``\$``, ``\\`` inside double quotes), then the field codes (``%f``; a literal ``%``
    is ``%%``). So a backslash in the path is written as four backslashes, and ``%`` as ``%%``."""
    quoted = '"' + "".join("\\" + ch if ch in '"`$\\' else ch for ch in text.replace("%", "%%")) + '"'
    return quoted.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def _desktop_program(python: Path) -> str:
    """The program of the ``Exec`` line. GLib (GNOME, most desktops) checks that it exists before turning ``%%`` back
    into ``%``, and would refuse the entry of a Python whose path holds ``%``: ``/usr/bin/env`` starts that one."""
    quoted = _desktop_quote(str(python))
    return f"/usr/bin/env {quoted}" if "%" in str(python) else quoted


def _cmd_quote(text: str) -> str:
    """*text* (a Windows path, which never holds ``"``) inside double quotes in a .cmd file: cmd.exe expands
    ``%NAME%`` even there, so a literal ``%`` is ``%%``; ``&``, ``^``, ``(`` and spaces are literal in quotes."""
    return '"' + text.replace("%", "%%") + '"'


def autostart_text(host: WpsHost, port: int, python: Path | None = None) -> str:
    python = python or _interpreter()
    if host.system == "Windows":
        return (
            "@echo off\r\nchcp 65001 >nul\r\n"
            f"{CMD_MARK}: starts the local service of the WPS add-in at login; `xltargets wps remove` deletes this file\r\n"
            f'start "" /min {_cmd_quote(str(python))} -m xltargets serve --port {port}\r\n'
        )
    return (
        "[Desktop Entry]\nType=Application\nName=xltargets 本地服务\n"
        "Comment=WPS 加载项“绩效目标”使用的 xltargets serve（xltargets wps remove 会删除本文件）\n"
        f"Exec={_desktop_program(python)} -m xltargets serve --port {port}\n"
        "Terminal=false\nX-GNOME-Autostart-enabled=true\n"
        f"{AUTOSTART_MARK}\n"
    )


def _is_our_autostart(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return AUTOSTART_MARK in text or CMD_MARK in text


# --- the commands -----------------------------------------------------------------


def _config_js(port: int, token: str) -> bytes:
    data = json.dumps({"port": port, "token": token})
    return (
        "// Written by `xltargets wps install`: where the add-in finds the local service. Readable by this user only.\n"
        f"var XLT_CONFIG = {data};\n"
    ).encode("utf-8")


def _service_token(home: Path) -> str:
    """The token the service uses (serve.json keeps it across restarts); created when there is none yet."""
    current = read_state(home)
    if current is not None:
        return current.token
    token = load_token(home)
    write_state(ServeState(port=0, token=token, pid=None), home)
    return token


def install(
    host: WpsHost | None = None, *, port: int = DEFAULT_PORT, autostart: bool = False, source: Path | None = None
) -> Report:
    """Install the add-in for the current user (and optionally the service's login item)."""
    host = host or detect_host()
    source = source or source_dir()
    folder, listing, auto = host.folder, host.jsplugins, host.autostart
    missing = [name for name in ADDIN_FILES if not (source / name).is_file()]
    if missing:
        raise WorkbookError(f"加载项文件缺失：{', '.join(missing)}（在“{source}”）。", hint="重新安装 xltargets。", path=str(source))
    # every check before the first write
    _no_symlinks(folder, host.home)
    _no_symlinks(listing, host.home)
    require_folder(host.jsaddons)
    if folder.exists() and not _manifest(folder):
        raise _refuse(f"“{folder}”已存在，但不是 xltargets 安装的；未做任何修改。", folder)
    root = _read_jsplugins(listing)
    if autostart:
        _no_symlinks(auto, host.home)
        require_folder(auto.parent)
        if auto.exists() and not _is_our_autostart(auto):
            raise _refuse(f"“{auto}”已存在，但不是 xltargets 写的；未做任何修改。", auto)
    token = _service_token(host.home)

    report = Report()
    earlier = [_manifest(f) or {} for f in _our_folders(host)]
    created_dirs = [str(p) for p in _missing_dirs(host.jsaddons)]
    created_dirs += [d for m in earlier for d in m.get("created_dirs", []) if d not in created_dirs]
    if autostart:
        created_dirs += [str(p) for p in _missing_dirs(auto.parent) if str(p) not in created_dirs]
    for old in _our_folders(host):  # an earlier install (this or another version): replaced
        _remove_folder(old, report)
    _mkdirs(folder / "js", host.home)
    written = []
    for name in ADDIN_FILES:
        _write_new(folder / name, (source / name).read_bytes())
        written.append(name)
    _write_new(folder / CONFIG, _config_js(port, token), mode=0o600)
    written.append(CONFIG)
    created_listing = root is None
    _replace(listing, _xml(_jsplugins_with(root, host, add=True)))
    if autostart:
        _mkdirs(auto.parent, host.home)
        if auto.exists():
            auto.unlink()
        _write_new(auto, autostart_text(host, port).encode("utf-8"))
    manifest = {
        "name": NAME,
        "version": __version__,
        "files": written,
        "jsplugins_created": created_listing or any(m.get("jsplugins_created") for m in earlier),
        "created_dirs": created_dirs,
        "autostart": str(auto) if autostart else None,
    }
    _write_new(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    report.done.append(f"已安装 WPS 加载项到“{folder}”，并在“{listing}”中登记。")
    if autostart:
        report.done.append(f"已设置登录时自动启动 xltargets serve（“{auto}”）。")
    report.hint = (
        "重新启动 WPS 表格即可看到“绩效目标”选项卡。使用前需运行本地服务："
        + ("下次登录时会自动启动；现在可先在命令行运行 xltargets serve。" if autostart else "在命令行运行 xltargets serve 并保持窗口打开（或加 --autostart 重新安装，让它随登录启动）。")
    )
    return report


def _remove_folder(folder: Path, report: Report) -> list[str]:
    """Delete the files the manifest of *folder* lists; return the folders install created (for the caller)."""
    manifest = _manifest(folder) or {}
    for name in [*manifest.get("files", []), MANIFEST]:
        path = folder / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            continue
        if path.is_symlink() or not path.is_file():
            continue
        path.unlink()
    for sub in sorted({(folder / n).parent for n in manifest.get("files", [])}, key=lambda p: len(p.parts), reverse=True):
        if sub != folder and sub.is_dir() and not sub.is_symlink() and not any(sub.iterdir()):
            sub.rmdir()
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
    elif folder.is_dir():
        report.done.append(f"“{folder}”中还有不是 xltargets 写入的文件，已保留它们。")
    auto = manifest.get("autostart")
    if auto and _is_our_autostart(Path(auto)):
        Path(auto).unlink()
        report.done.append(f"已删除登录时自动启动（“{auto}”）。")
    return list(manifest.get("created_dirs", []))


def _remove_empty_dirs(dirs: list[str], home: Path) -> None:
    """The folders install created, deepest first, when they are empty now (never through a symlink)."""
    for text in sorted(set(dirs), key=lambda d: len(Path(d).parts), reverse=True):
        path = Path(text)
        if home not in path.parents or path.is_symlink() or not path.is_dir():
            continue
        try:
            if not any(path.iterdir()):
                path.rmdir()
        except OSError:
            continue


def remove(host: WpsHost | None = None) -> Report:
    """Delete exactly what ``install`` wrote: the listed files, our jsplugins entry, our login item."""
    host = host or detect_host()
    listing = host.jsplugins
    _no_symlinks(listing, host.home)
    folders = _our_folders(host)
    root = _read_jsplugins(listing)
    report = Report()
    if not folders and _our_entry(root) is None:
        report.done.append(f"WPS 加载项未安装，无需删除（{host.jsaddons}）。")
        return report
    created = any((_manifest(f) or {}).get("jsplugins_created") for f in folders)
    dirs: list[str] = []
    for folder in folders:
        dirs += _remove_folder(folder, report)
    if root is not None and _our_entry(root) is not None:
        rest = _jsplugins_with(root, host, add=False)
        if created and not len(rest):
            listing.unlink()
        else:
            _replace(listing, _xml(rest))
    _remove_empty_dirs(dirs, host.home)
    report.done.insert(0, "已删除 WPS 加载项；重新启动 WPS 后“绩效目标”选项卡消失。")
    return report


def _health(port: int, timeout: float = 1.5) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=timeout) as resp:  # noqa: S310 - loopback
            return json.loads(resp.read().decode("utf-8"))
    except (OSError, ValueError):
        return None


def status(host: WpsHost | None = None) -> Report:
    """Is the add-in installed and registered, and does the service answer?"""
    host = host or detect_host()
    report = Report()
    folder = host.folder
    manifest = _manifest(folder)
    report.checks.append(Check("加载项文件", manifest is not None, f"{'已安装' if manifest else '未安装'}：{folder}"))
    try:
        entry = _our_entry(_read_jsplugins(host.jsplugins))
    except XltargetsError as exc:
        entry = None
        report.checks.append(Check("jsplugins.xml", False, exc.message))
    else:
        ok = entry is not None and entry.get("url") == _entry_url(host) and entry.get("version") == __version__
        report.checks.append(Check("jsplugins.xml 登记", ok, str(host.jsplugins) if ok else f"未登记本版本：{host.jsplugins}"))
    state = read_state(host.home)
    port = DEFAULT_PORT
    if manifest:
        try:
            text = (folder / CONFIG).read_text(encoding="utf-8")
            config = json.loads(text.split("=", 1)[1].strip().rstrip(";"))
            port = int(config["port"])
            same = state is not None and config["token"] == state.token
            report.checks.append(Check("访问令牌", same, "与本地服务一致" if same else "与本地服务不一致：重新运行 xltargets wps install"))
        except (OSError, ValueError, KeyError, IndexError):
            report.checks.append(Check("访问令牌", False, "js/config.js 无法读取：重新运行 xltargets wps install"))
    auto = host.autostart
    report.checks.append(
        Check("登录时自动启动", True, f"已设置：{auto}" if _is_our_autostart(auto) else "未设置（可用 xltargets wps install --autostart 设置）",
              note=not _is_our_autostart(auto))
    )
    health = _health(state.port if state and state.port else port)
    if health is None:
        report.checks.append(Check("本地服务", False, f"未运行：在命令行运行 xltargets serve（端口 {port}）"))
    else:
        same = health.get("version") == __version__
        report.checks.append(
            Check("本地服务", same, f"正在运行，版本 {health.get('version')}" + ("" if same else f"（加载项版本 {__version__}，请重新启动 xltargets serve）"))
        )
    if not manifest:
        report.hint = "运行 xltargets wps install 安装。"
    return report
