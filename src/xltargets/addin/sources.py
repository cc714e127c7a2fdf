"""The add-in's own sources: ``addin/*.bas`` (VBA as text) and ``addin/customUI.xml``.

Every ``.bas`` file is one standard module: CRLF line ends, ASCII only (the
VBA project's code page is 1252; Chinese text lives in customUI.xml or in
Python) and ``Attribute VB_Name = "<file stem>"`` as its first line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import TemplateError

__all__ = ["AddinSources", "default_source_dir", "read_sources", "onaction_targets", "onload_target", "button_tags"]

_NAME_LINE = re.compile(r'^Attribute VB_Name = "(?P<name>[A-Za-z][A-Za-z0-9_]{0,30})"\r\n')
_CUSTOMUI_NS = "{http://schemas.microsoft.com/office/2006/01/customui}"


@dataclass(frozen=True)
class AddinSources:
    """What a build puts into the add-in, read from one folder."""

    folder: Path
    modules: dict[str, str]  # module name -> source (CRLF)
    custom_ui: bytes

    @property
    def schema(self) -> Path:
        return self.folder / "customUI-subset.xsd"


def default_source_dir() -> Path:
    """``addin/`` at the root of the checkout, else the copy a wheel ships (``addin/source``)."""
    here = Path(__file__).resolve()
    checkout = here.parents[3] / "addin"
    if checkout.is_dir():
        return checkout
    return here.parent / "source"


def _module_source(path: Path) -> tuple[str, str]:
    raw = path.read_bytes()
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TemplateError(
            f"VBA 源文件“{path.name}”第 {line} 行含非 ASCII 字符。",
            hint="VBA 工程按代码页 1252 保存，中文会变成问号；把给员工看的文字放进 customUI.xml 的 tag 或 Python。",
            path=str(path),
        ) from None
    if re.search(r"(?<!\r)\n|\r(?!\n)", text):
        raise TemplateError(
            f"VBA 源文件“{path.name}”的换行不是 CRLF。",
            hint="用 CRLF 换行保存（addin/.gitattributes 已让 git 不改动 .bas 文件的换行）。",
            path=str(path),
        )
    m = _NAME_LINE.match(text)
    if not m or m.group("name") != path.stem:
        raise TemplateError(
            f"VBA 源文件“{path.name}”的第一行必须是 Attribute VB_Name = \"{path.stem}\"。",
            hint="模块名与文件名一致，且写在第一行。",
            path=str(path),
        )
    if not text.endswith("\r\n"):
        text += "\r\n"
    return m.group("name"), text


def read_sources(folder: Path | None = None) -> AddinSources:
    """Read and check ``*.bas`` and ``customUI.xml`` from *folder* (default: the repo's ``addin/``)."""
    folder = Path(folder) if folder is not None else default_source_dir()
    if not folder.is_dir():
        raise TemplateError(
            f"找不到加载项源文件夹“{folder}”。",
            hint="在 xltargets 源码目录中运行（pip install -e .），或用 --source 指定含 .bas 和 customUI.xml 的文件夹。",
            path=str(folder),
        )
    modules = dict(_module_source(p) for p in sorted(folder.glob("*.bas")))
    ui = folder / "customUI.xml"
    if not modules or not ui.is_file():
        raise TemplateError(
            f"文件夹“{folder}”中缺少 .bas 模块或 customUI.xml。",
            hint="加载项源文件夹须含至少一个 .bas 文件和 customUI.xml。",
            path=str(folder),
        )
    return AddinSources(folder=folder, modules=modules, custom_ui=ui.read_bytes())


def _buttons(custom_ui: bytes):
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(custom_ui)
    except ET.ParseError as exc:
        raise TemplateError(f"customUI.xml 不是合法的 XML：{exc}") from None
    return [el for el in root.iter() if el.get("onAction") is not None]


def onaction_targets(custom_ui: bytes) -> list[tuple[str, str]]:
    """``(module, sub)`` named by every ``onAction`` in *custom_ui*, in document order."""
    out = []
    for el in _buttons(custom_ui):
        module, _, sub = el.get("onAction", "").rpartition(".")
        out.append((module, sub))
    return out


def onload_target(custom_ui: bytes) -> tuple[str, str] | None:
    """``(module, sub)`` named by the root's ``onLoad``, or None."""
    import xml.etree.ElementTree as ET

    value = ET.fromstring(custom_ui).get("onLoad")
    if not value:
        return None
    module, _, sub = value.rpartition(".")
    return module, sub


def button_tags(custom_ui: bytes) -> dict[str, str]:
    """``{button id: action}``: the action part of each button's tag."""
    return {el.get("id", ""): (el.get("tag") or "").split("|", 1)[0] for el in _buttons(custom_ui)}
