"""Files of the installed xlwings package that the build starts from.

Found by location, without importing xlwings (only ``xltargets.excel``
imports it): the ribbon add-in template ``quickstart_addin_ribbon.xlam``
(what ``xlwings quickstart NAME --addin --ribbon`` copies) and the
``xlwings`` VBA module of custom add-ins, ``xlwings_custom_addin.bas``.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
from pathlib import Path

from ..errors import TemplateError

__all__ = ["xlwings_dir", "xlwings_version", "ribbon_template", "xlwings_module_source", "PROJECT_NAME"]

#: The add-in's name for xlwings' config lookups (``xltargets.conf``, ``%USERPROFILE%\.xltargets\``).
PROJECT_NAME = "xltargets"

_INSTALL_HINT = "安装 xlwings：pip install \"xlwings>=0.33,<0.38\"（或 pip install -e \".[excel]\"）。"


def xlwings_dir() -> Path:
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        raise TemplateError("未安装 xlwings，无法生成 Excel 加载项。", hint=_INSTALL_HINT)
    return Path(list(spec.submodule_search_locations)[0])


def xlwings_version() -> str:
    return importlib.metadata.version("xlwings")


def ribbon_template() -> Path:
    path = xlwings_dir() / "quickstart_addin_ribbon.xlam"
    if not path.is_file():
        raise TemplateError(f"xlwings 安装不完整：缺少“{path.name}”。", hint=_INSTALL_HINT, path=str(path))
    return path


def xlwings_module_source() -> str:
    """xlwings' VBA module for custom add-ins, CRLF, with ``PROJECT_NAME`` set to xltargets."""
    path = xlwings_dir() / "xlwings_custom_addin.bas"
    if not path.is_file():
        raise TemplateError(f"xlwings 安装不完整：缺少“{path.name}”。", hint=_INSTALL_HINT, path=str(path))
    text = path.read_text(encoding="ascii").replace("\r\n", "\n").replace("\r", "\n")
    text, n = re.subn(
        r'^Public Const PROJECT_NAME As String = "[^"]*"$',
        f'Public Const PROJECT_NAME As String = "{PROJECT_NAME}"',
        text,
        count=1,
        flags=re.M,
    )
    if n != 1:
        raise TemplateError(
            f"xlwings {xlwings_version()} 的“{path.name}”中找不到 PROJECT_NAME 常量。",
            hint="使用 pyproject.toml 中允许的 xlwings 版本。",
        )
    return text.replace("\n", "\r\n")
