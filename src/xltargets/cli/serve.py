"""``xltargets serve``: the local service for the WPS add-in and the browser page.

Starlette and uvicorn are imported only when the command runs.
"""

from __future__ import annotations

DESCRIPTION = (
    "启动本地服务（只在本机 127.0.0.1 上）：供 WPS 加载项“绩效目标”和浏览器页面校验、生成汇总表。"
    "启动后打印一行地址，用浏览器打开它即可使用页面；按 Ctrl+C 停止。"
)

__all__ = ["configure", "run"]

SERVE_EXTRA_HINT = '运行 pip install "xltargets[serve]" 安装本地服务所需的 Starlette 和 uvicorn。'


def _port(text: str) -> int:
    import argparse

    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"端口须是 0 到 65535 之间的整数：{text}")
    return int(text)


def configure(parser) -> None:
    from ..serve import DEFAULT_PORT

    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, metavar="端口",
                        help=f"端口（默认 {DEFAULT_PORT}；0 表示自动选择空闲端口）")
    parser.add_argument("--new-token", action="store_true",
                        help="换一个新的访问令牌（之后需重新运行 xltargets wps install）")


def run(args) -> int:
    import importlib

    from ..errors import InputError

    try:
        for name in ("starlette", "uvicorn"):  # installed with the [serve] extra only
            importlib.import_module(name)
    except ModuleNotFoundError as exc:
        raise InputError(
            f"未安装本地服务所需的组件（{exc.name}）。", hint=SERVE_EXTRA_HINT, en=f"missing {exc.name}: install xltargets[serve]"
        ) from None
    from ..serve import server

    try:
        server.serve(args.port, renew_token=args.new_token)
    except KeyboardInterrupt:
        pass
    return 0
