"""Running the service: bind 127.0.0.1, record serve.json, print the URL line, serve until stopped."""

from __future__ import annotations

import errno
import gc
import os
import socket
from pathlib import Path
from typing import Callable

from ..errors import WorkbookError
from . import DEFAULT_PORT, HOST
from .state import ServeState, clear_state, load_token, write_state

__all__ = ["bind", "serve", "ready_line"]


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1:*port* (0: a free port), or a Chinese error."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if os.name != "nt":  # on Windows SO_REUSEADDR would let a second server steal the port
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1), errno.EACCES):
            raise WorkbookError(
                f"端口 {port} 已被占用（或无权使用），xltargets 服务未启动。",
                hint="可能 xltargets serve 已在运行（见 ~/.xltargets/serve.json）；否则用 --port 换一个端口，--port 0 自动选择空闲端口。",
                en=f"port {port} is in use",
            ) from None
        raise WorkbookError(f"无法在 {HOST}:{port} 上启动服务：{exc.strerror or exc}。", hint="用 --port 换一个端口。", en=str(exc)) from None
    # accepted connections inherit it: a response's head and body are two writes, and without
    # it the body waits for the client's delayed ACK (40 ms a request on Linux)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def ready_line(state: ServeState) -> str:
    return f"xltargets 服务已启动：{state.url}#token={state.token} （WPS 加载项和浏览器页面使用此地址；按 Ctrl+C 停止）"


def serve(
    port: int = DEFAULT_PORT,
    *,
    home: Path | None = None,
    renew_token: bool = False,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted. *on_ready* gets the one line with the URL (default: print it)."""
    import uvicorn

    from .app import create_app
    from .work import preload

    sock = bind(port)
    actual = sock.getsockname()[1]
    state = ServeState(port=actual, token=load_token(home, renew=renew_token), pid=os.getpid())
    app = create_app(port=actual, token=state.token)
    preload()
    from .coalesce import Protocol

    config = uvicorn.Config(app, http=Protocol, log_level="warning", access_log=False, lifespan="off", server_header=False)

    class Server(uvicorn.Server):
        async def startup(self, sockets=None):
            await super().startup(sockets=sockets)
            if self.should_exit:
                return
            # what was loaded to start lives as long as the service: the cycle collector no longer walks
            # it again and again in each request (about 0.07 ms of a 2-3 ms check)
            gc.freeze()
            write_state(state, home)
            line = ready_line(state)
            if on_ready is not None:
                on_ready(line)
            else:
                print(line, flush=True)

        async def shutdown(self, sockets=None):
            await super().shutdown(sockets=sockets)
            clear_state(state.pid or 0, home)  # before uvicorn re-raises a caught SIGTERM

    try:
        Server(config).run(sockets=[sock])
    finally:
        sock.close()
        clear_state(state.pid or 0, home)
