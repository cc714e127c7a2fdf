"""``xltargets addin build | install | status | remove``."""

from __future__ import annotations

from pathlib import Path

from ..checklist import report_lines
from .app import EXIT_FINDINGS
from .output import out

DESCRIPTION = "Excel 加载项 xltargets.xlam：生成、安装、查看状态、删除。"

__all__ = ["configure"]


def configure(parser) -> None:
    commands = parser.add_subparsers(dest="addin_command", required=True)
    build = commands.add_parser("build", help="由 addin/ 中的 VBA 源码和功能区生成 xltargets.xlam", run=build_command)
    build.add_argument("-o", "--output", type=Path, metavar="文件", help="输出的 .xlam 文件（默认 ./xltargets.xlam）")
    build.add_argument("--source", type=Path, metavar="文件夹", help="含 .bas 与 customUI.xml 的文件夹（默认用 xltargets 自带的加载项源码）")
    build.add_argument("--force", action="store_true", help="覆盖已存在的、不是 xltargets 生成的输出文件")
    install = commands.add_parser("install", help="把加载项复制到 Excel 的启动文件夹（XLSTART）", run=install_command,
                                  description="把加载项复制到 Excel 的启动文件夹（XLSTART），并让它使用当前的 Python。")
    install.add_argument("--addin", type=Path, metavar="文件", help="已生成的 .xlam（默认现场生成一个）")
    commands.add_parser("status", help="查看加载项是否已安装、Python 端是否就绪", run=status_command,
                        description="查看加载项是否已安装、Python 端是否就绪（没有 Excel 的电脑上也显示，退出码 0）。")
    commands.add_parser("remove", help="从 Excel 的启动文件夹删除加载项", run=remove_command)


def _print_report(report) -> None:
    for line in report_lines(report):
        out(line)


def build_command(args) -> int:
    from ..addin import build_addin

    result = build_addin(args.output, source=args.source, force=args.force)
    out(f"已生成“{result.path}”（xlwings {result.xlwings_version}）。")
    out(f"工作表函数：{', '.join(result.udfs)}")
    return 0


def install_command(args) -> int:
    import tempfile

    from ..addin import ADDIN_NAME, build_addin
    from ..addin import install as _install

    host = _install.detect_host()
    if not host.has_excel:
        raise _install._not_available(args.addin)
    with tempfile.TemporaryDirectory(prefix="xlt-addin-") as tmp:
        path = args.addin if args.addin is not None else build_addin(Path(tmp) / ADDIN_NAME).path
        report = _install.install(path, host=host)
    _print_report(report)
    return 0 if report.ok else EXIT_FINDINGS


def status_command(args) -> int:
    from ..addin import ADDIN_NAME
    from ..addin import install as _install

    report = _install.status(built=Path.cwd() / ADDIN_NAME)
    _print_report(report)
    return EXIT_FINDINGS if report.host.has_excel and not report.ok else 0


def remove_command(args) -> int:
    from ..addin import install as _install

    _print_report(_install.remove())
    return 0
