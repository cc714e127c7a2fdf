"""``xltargets addin build | install | status | remove``."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Optional

import typer

from ..addin import ADDIN_NAME, build_addin
from ..addin import install as _install
from ._app import EXIT_FINDINGS, app, console, handle_errors

__all__ = ["addin_app"]

addin_app = typer.Typer(
    name="addin",
    help="Excel 加载项 xltargets.xlam：生成、安装、查看状态、删除。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(addin_app, name="addin")


def _print_report(report: _install.Report) -> None:
    for check in report.checks:
        mark = "✓" if check.ok else "✗"
        console.print(f"{mark} {check.what}：{check.detail}", markup=False)
    if report.done:
        console.print(report.done, markup=False)
    if report.hint:
        console.print(report.hint, markup=False)


@addin_app.command("build")
@handle_errors
def build_command(
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="输出的 .xlam 文件（默认 ./xltargets.xlam）"),
    source: Optional[Path] = typer.Option(None, "--source", help="含 .bas 与 customUI.xml 的文件夹（默认仓库的 addin/）"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的、不是 xltargets 生成的输出文件"),
) -> None:
    """由 addin/ 中的 VBA 源码和功能区生成 xltargets.xlam。"""
    result = build_addin(output, source=source, force=force)
    console.print(f"已生成“{result.path}”（xlwings {result.xlwings_version}）。", markup=False)
    console.print(f"工作表函数：{', '.join(result.udfs)}", markup=False)


@addin_app.command("install")
@handle_errors
def install_command(
    addin: Optional[Path] = typer.Option(None, "--addin", help="已生成的 .xlam（默认现场生成一个）"),
) -> None:
    """把加载项复制到 Excel 的启动文件夹（XLSTART），并让它使用当前的 Python。"""
    host = _install.detect_host()
    if not host.has_excel:
        raise _install._not_available(addin)
    with tempfile.TemporaryDirectory(prefix="xlt-addin-") as tmp:
        path = addin if addin is not None else build_addin(Path(tmp) / ADDIN_NAME).path
        report = _install.install(path, host=host)
    _print_report(report)
    if not report.ok:
        raise typer.Exit(EXIT_FINDINGS)


@addin_app.command("status")
@handle_errors
def status_command() -> None:
    """查看加载项是否已安装、Python 端是否就绪（没有 Excel 的电脑上也显示，退出码 0）。"""
    built = Path.cwd() / ADDIN_NAME
    report = _install.status(built=built)
    _print_report(report)
    if report.host.has_excel and not report.ok:
        raise typer.Exit(EXIT_FINDINGS)


@addin_app.command("remove")
@handle_errors
def remove_command() -> None:
    """从 Excel 的启动文件夹删除加载项。"""
    _print_report(_install.remove())
