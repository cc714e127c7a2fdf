"""``xltargets wps install | status | remove``: the WPS add-in for the current user."""

from __future__ import annotations

from ..checklist import report_lines
from .app import EXIT_FINDINGS
from .output import out

DESCRIPTION = "WPS 加载项“绩效目标”：安装、查看状态、删除（离线 jsplugins.xml 方式，Windows 和 Linux）。"

__all__ = ["configure"]


def configure(parser) -> None:
    from ..serve import DEFAULT_PORT
    from .serve import _port

    commands = parser.add_subparsers(dest="wps_command", required=True)
    install = commands.add_parser("install", help="为当前用户安装 WPS 加载项", run=install_command,
                                  description="为当前用户安装 WPS 加载项（重新启动 WPS 表格后出现“绩效目标”选项卡）。")
    install.add_argument("--port", type=_port, default=DEFAULT_PORT, metavar="端口",
                         help=f"本地服务的端口（默认 {DEFAULT_PORT}）")
    install.add_argument("--autostart", action="store_true", help="登录时自动启动 xltargets serve")
    commands.add_parser("status", help="查看 WPS 加载项是否已安装、本地服务是否在运行", run=status_command,
                        description="查看 WPS 加载项是否已安装、本地服务是否在运行（有一项不正常时退出码 1）。")
    commands.add_parser("remove", help="删除 wps install 安装的全部内容", run=remove_command,
                        description="删除 xltargets wps install 安装的全部内容（不动其他文件）。")


def _print(report) -> None:
    for line in report_lines(report):
        out(line)


def install_command(args) -> int:
    from ..wps import install

    from ..serve import DEFAULT_PORT

    _print(install(port=args.port or DEFAULT_PORT, autostart=args.autostart))
    return 0


def status_command(args) -> int:
    from ..wps import status

    report = status()
    _print(report)
    return 0 if report.ok else EXIT_FINDINGS


def remove_command(args) -> int:
    from ..wps import remove

    _print(remove())
    return 0
