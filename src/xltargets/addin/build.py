"""``xltargets addin build``: the Excel add-in ``xltargets.xlam`` from source.

The route reproduces what xlwings itself ships: start from the ribbon
add-in template inside the installed xlwings package; set the ``xlwings``
module (PROJECT_NAME = xltargets), add ``addin/*.bas`` and the generated UDF
wrappers, drop the template's ``RibbonMyAddin``; force a source-only VBA
project; replace customUI at the zip level. The build fails when a UDF has
no wrapper or an ``onAction`` names a sub that does not exist.

Two changes to what xlwings' generator writes: a wrapper whose call fails
(Python or the xlwings DLL unreachable, any Mac) returns ``#VALUE!``
(``CVErr(xlErrValue)``) instead of ``Err.Description`` as text, so the check
cells' ``IFERROR`` falls back to the native formula; and the generated
module ``XltargetsText`` (:mod:`.vbatext`) carries the Chinese texts of the
VBA and registers the function wizard's descriptions.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import TemplateError
from ..fileio import atomic_output, check_output_path, require_suffix
from .package import is_our_addin, rewrite_package
from .sources import AddinSources, onaction_targets, onload_target, read_sources
from .vbatext import TEXT_MODULE, text_module
from .vbaproject import finish_project_bin, write_modules
from .xlwings_files import PROJECT_NAME, ribbon_template, xlwings_module_source, xlwings_version

__all__ = ["build_addin", "BuildResult", "UDF_MODULE", "ADDIN_NAME", "generate_udf_wrappers", "failsafe_wrappers", "UdfWrappers"]

ADDIN_NAME = "xltargets.xlam"
UDF_MODULE = "xltargets.excel.udfs"
#: the template's own ribbon module, replaced by RibbonXltargets
TEMPLATE_RIBBON_MODULE = "RibbonMyAddin"
CONF_SHEET_OLD = "_myaddin.conf"
CONF_SHEET_NEW = f"_{PROJECT_NAME}.conf"


#: what the build imports, and who brings it: ``pip install "xltargets[excel]"``
BUILD_TOOLS = {"xlwings": "xlwings", "pyopenvba": "pyOpenVBA"}


def require_build_tools(find_spec=importlib.util.find_spec) -> None:
    """Refuse, in Chinese, a build on an install without the ``excel`` extra (before any child process)."""
    missing = [name for module, name in BUILD_TOOLS.items() if find_spec(module) is None]
    if missing:
        raise TemplateError(
            f"未安装生成 Excel 加载项所需的 {'、'.join(missing)}，无法生成 xltargets.xlam。",
            hint='运行 pip install "xltargets[excel]" 后重试。',
        )


@dataclass
class BuildResult:
    """What went into the built add-in."""

    path: Path
    modules: dict[str, str]  # every standard module we wrote: name -> source
    udfs: list[str]
    xlwings_version: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class UdfWrappers:
    """What xlwings' generator wrote for a UDF module, and what the module declares."""

    vba: str  # the module text as xlwings writes it
    udfs: list[str]  # names of the @xw.func functions
    declared: list[str]  # names in the module's __all__
    described: list[dict]  # the function wizard's texts (xltargets.excel.udf_vba.describe)


def generate_udf_wrappers(module: str = UDF_MODULE) -> UdfWrappers:
    """The VBA wrappers of *module*'s UDFs from xlwings' generator, run in a child process."""
    env = dict(os.environ)
    env.pop("XLWINGS_ON_SERVER", None)  # the desktop decorators are the ones that write VBA
    src_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src_root, env.get("PYTHONPATH", "")) if p)
    proc = subprocess.run(
        [sys.executable, "-m", "xltargets.excel.udf_vba", module],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
    )
    if proc.returncode != 0:
        raise TemplateError(
            f"生成 UDF 的 VBA 包装失败（{module}）。",
            hint=(proc.stderr or proc.stdout).strip()[-800:] or None,
        )
    data = json.loads(proc.stdout)
    return UdfWrappers(data["vba"], data["udfs"], data["declared"], data["described"])


_FUNCTION = re.compile(r"^Function (\w+)\(.*\)\r$", flags=re.M)
_CALLER_GUARD = "        If TypeOf Application.Caller Is Range Then On Error GoTo failed\r\n"
_ERR_TEXT = re.compile(r"^(    )(\w+) = Err\.Description\r$", flags=re.M)


def failsafe_wrappers(vba: str) -> str:
    """xlwings' wrappers, changed so that every call that fails returns ``#VALUE!``, never text.

    The error handler is set first thing in every function (not only when
    called from a cell), and the handler returns ``CVErr(xlErrValue)``.
    """
    names = _FUNCTION.findall(vba)
    guards = vba.count(_CALLER_GUARD)
    out, texts = _ERR_TEXT.subn(r"\1\2 = CVErr(xlErrValue)", vba.replace(_CALLER_GUARD, ""))
    out = _FUNCTION.sub(lambda m: m.group(0) + "\n    On Error GoTo failed\r", out)
    if not names or guards != len(names) or texts != len(names):
        raise TemplateError(
            f"xlwings {xlwings_version()} 生成的工作表函数包装与预期不同（{len(names)} 个函数、{guards} 处错误处理、{texts} 处错误返回）。",
            hint="使用 pyproject.toml 中允许的 xlwings 版本，或更新 xltargets/addin/build.py 的 failsafe_wrappers。",
        )
    return out


def _check_wrappers(vba: str, udfs: list[str], declared: list[str]) -> None:
    wrapped = set(re.findall(r"^Function (\w+)\(", vba, flags=re.M))
    lacking = [name for name in declared if name not in wrapped]
    if lacking or not declared:
        raise TemplateError(
            f"这些 UDF 没有 VBA 包装：{', '.join(lacking) or '（没有任何 UDF）'}。",
            hint="给它们加上 @xw.func，并列入 xltargets.excel.udfs 的 __all__。",
        )
    stray = sorted(set(udfs) - set(declared))
    if stray:
        raise TemplateError(
            f"这些 @xw.func 函数不在 __all__ 中：{', '.join(stray)}。",
            hint="把它们加入 xltargets.excel.udfs 的 __all__，或去掉 @xw.func。",
        )


def _subs(modules: dict[str, str], argument_type: str) -> set[tuple[str, str]]:
    return {
        (name, sub)
        for name, source in modules.items()
        for sub in re.findall(rf"^(?:Public )?Sub (\w+)\(\w+ As {argument_type}\)", source, flags=re.M)
    }


def _check_onactions(custom_ui: bytes, modules: dict[str, str]) -> None:
    subs = _subs(modules, "IRibbonControl")
    missing = [f"{m}.{s}" for m, s in onaction_targets(custom_ui) if (m, s) not in subs]
    onload = onload_target(custom_ui)
    if onload is not None and onload not in _subs(modules, "IRibbonUI"):
        missing.append(".".join(onload) + "（onLoad，签名为 Sub 名称(ribbon As IRibbonUI)）")
    if missing:
        raise TemplateError(
            f"customUI.xml 的 onAction 指向不存在的过程：{', '.join(missing)}。",
            hint="onAction 写成“模块名.过程名”，过程签名为 Sub 名称(control As IRibbonControl)。",
        )


def _rename_conf_sheet(data: bytes) -> bytes:
    return data.replace(f'name="{CONF_SHEET_OLD}"'.encode(), f'name="{CONF_SHEET_NEW}"'.encode())


def build_addin(out: Path | None = None, *, source: Path | None = None, force: bool = False) -> BuildResult:
    """Build the add-in to *out* (default ``./xltargets.xlam``), atomically; return what went in.

    An existing *out* is replaced only when xltargets built it or with *force*
    (the rule of every output).
    """
    out = Path(out) if out is not None else Path.cwd() / ADDIN_NAME
    require_suffix(out, (".xlam",), "Excel 加载项")
    check_output_path(out, force=force or is_our_addin(out))
    require_build_tools()
    sources: AddinSources = read_sources(source)
    wrappers = generate_udf_wrappers()
    _check_wrappers(wrappers.vba, wrappers.udfs, wrappers.declared)
    modules = {
        "xlwings": xlwings_module_source(),
        **sources.modules,
        "xlwings_udfs": failsafe_wrappers(wrappers.vba),
        TEXT_MODULE: text_module(wrappers.described),
    }
    _check_onactions(sources.custom_ui, modules)
    with tempfile.TemporaryDirectory(prefix="xlt-addin-") as tmp:
        stage = Path(tmp) / ADDIN_NAME
        write_modules(ribbon_template(), stage, modules, drop=(TEMPLATE_RIBBON_MODULE,))
        with atomic_output(out) as target:
            rewrite_package(
                stage,
                target,
                custom_ui=sources.custom_ui,
                edit={"xl/vbaProject.bin": finish_project_bin, "xl/workbook.xml": _rename_conf_sheet},
            )
    return BuildResult(path=out, modules=modules, udfs=wrappers.udfs, xlwings_version=xlwings_version())
