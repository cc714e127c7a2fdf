"""Who may use the service: loopback Host, known Origin, the bearer token, bounded bodies.

Two pure ASGI middlewares around the app (outermost first):

* :class:`Gate` refuses a Host that is not the loopback address (DNS
  rebinding: a web page whose name resolves to 127.0.0.1 still sends its own
  name), an Origin other than the service's own page or the WPS add-in's, and
  a body declared larger than the limit (Content-Length);
  it answers CORS preflights for the allowed origins only;
* :class:`TokenGate` refuses ``/api/*`` requests (except ``/api/health``)
  without ``Authorization: Bearer <token>``, before their body is read;
* :class:`BodyGate` reads the body up to the limit and hands it on whole.

Refusals are JSON ``{"error", "hint", "message"}`` in Chinese, like every other
error of the service.
"""

from __future__ import annotations

import json
import secrets
from typing import Awaitable, Callable, Iterable

__all__ = ["Gate", "TokenGate", "BodyGate", "LOOPBACK_HOSTS", "ADDIN_ORIGINS", "allowed_origins", "error_body", "MAX_BODY"]

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
#: the Origin a WPS add-in page sends: it is loaded from the local jsaddons folder (file://)
ADDIN_ORIGINS = ("null", "file://")
#: the largest request body: a 100 MB file (the CLI's limit) as base64, plus the JSON around it
MAX_BODY = 140 * 1024 * 1024
PUBLIC_PATHS = ("/api/health",)

Scope = dict
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


def allowed_origins(port: int) -> tuple[str, ...]:
    """The service's own page (under each loopback name) and the WPS add-in."""
    return tuple(f"http://{h}:{port}" for h in LOOPBACK_HOSTS) + ADDIN_ORIGINS


def error_body(message: str, hint: str, en: str) -> dict:
    return {"error": message, "hint": hint, "message": f"错误：{message} 处理办法：{hint} | Error: {en}"}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


async def _send_json(send: Send, status: int, body: dict, headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(data)).encode()),
                (b"cache-control", b"no-store"),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


def host_name(host: str) -> str:
    """``127.0.0.1:8000`` → ``127.0.0.1``; ``[::1]:8000`` → ``[::1]``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if ":" in host else host


class Gate:
    """Host and Origin checks, CORS for the allowed origins, and the body size limit."""

    def __init__(self, app, *, port: int, max_body: int = MAX_BODY):
        self.app = app
        self.origins = frozenset(allowed_origins(port))
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        host = _header(scope, b"host")
        if host is None or host_name(host) not in LOOPBACK_HOSTS:
            return await _send_json(
                send,
                403,
                error_body(
                    f"拒绝访问：请求的主机名“{host or ''}”不是本机地址。",
                    "在浏览器地址栏中使用 xltargets serve 打印的地址（http://127.0.0.1:端口/）。",
                    "the Host header must be the loopback address",
                ),
            )
        origin = _header(scope, b"origin")
        if origin is not None and origin not in self.origins:
            return await _send_json(
                send,
                403,
                error_body(
                    f"拒绝访问：来源“{origin}”不是 xltargets 的页面或 WPS 加载项。",
                    "只能从 xltargets serve 自己的页面或 WPS 的“绩效目标”加载项使用本服务。",
                    "the Origin is not the service's own page or the WPS add-in",
                ),
            )
        cors: list[tuple[bytes, bytes]] = []
        if origin is not None:
            cors = [(b"access-control-allow-origin", origin.encode("latin-1")), (b"vary", b"Origin")]
        if scope["method"] == "OPTIONS" and origin is not None:  # a CORS preflight
            await send(
                {
                    "type": "http.response.start",
                    "status": 204,
                    "headers": [
                        *cors,
                        (b"access-control-allow-methods", b"GET, POST"),
                        (b"access-control-allow-headers", b"Authorization, Content-Type"),
                        (b"access-control-max-age", b"600"),
                    ],
                }
            )
            return await send({"type": "http.response.body", "body": b""})
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return await _send_json(send, 413, _too_large(self.max_body), cors)

        async def send_with_cors(message: dict) -> None:
            if cors and message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *cors]}
            await send(message)

        await self.app(scope, receive, send_with_cors)


def _too_large(max_body: int) -> dict:
    mb = max_body // 2**20
    return error_body(
        f"请求内容超过 {mb} MB 的上限，已拒绝。",
        "拆分文件后分几次处理（每个文件不超过 100 MB）。",
        f"the request body is over the limit of {mb} MB",
    )


class BodyGate:
    """The body read up to the limit and handed on whole (a refusal is never half-way); it sits inside
    :class:`TokenGate`, so a request without the token is refused before a byte of its body is kept."""

    def __init__(self, app, *, max_body: int = MAX_BODY):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_body:
                return await _send_json(send, 413, _too_large(self.max_body))
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        chunks.clear()
        delivered = False

        async def replay() -> dict:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class TokenGate:
    """``Authorization: Bearer <token>`` on every ``/api/`` request except health."""

    def __init__(self, app, *, token: str):
        self.app = app
        self.token = token.encode("ascii")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/api/") and scope["path"] not in PUBLIC_PATHS:
            given = (_header(scope, b"authorization") or "").encode("latin-1")
            scheme, _, value = given.partition(b" ")
            if scheme.lower() != b"bearer" or not secrets.compare_digest(value.strip(), self.token):
                return await _send_json(
                    send,
                    401,
                    error_body(
                        "拒绝访问：缺少或错误的访问令牌。",
                        "重新打开 xltargets serve 打印的地址；WPS 加载项请运行 xltargets wps install 更新配置。",
                        "missing or wrong bearer token",
                    ),
                    [(b"www-authenticate", b"Bearer")],
                )
        await self.app(scope, receive, send)
