"""The Starlette application: routes, error policy, static page. Imported only by ``xltargets serve``.

Every handler reads its JSON body, calls one function of :mod:`.work` (one
core call) in a worker thread, and answers JSON or file bytes. An
:class:`~xltargets.errors.XltargetsError` becomes a 4xx JSON answer with the
CLI's Chinese message; an unexpected exception a 500 JSON answer without a
traceback (the log has it).
"""

from __future__ import annotations

import json
import logging
import re
import threading
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..errors import InputError, WorkbookError, XltargetsError
from . import work
from .inputs import broken_text
from .security import MAX_BODY, BodyGate, Gate, TokenGate, error_body

__all__ = ["create_app", "STATIC_DIR"]

STATIC_DIR = Path(__file__).with_name("static")
#: bodies up to this size are handled in the event loop's thread (milliseconds of work), larger ones in a worker thread
INLINE_BODY = 256 * 1024
log = logging.getLogger("xltargets.serve")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class _JSON(JSONResponse):
    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, default=str, separators=(",", ":")).encode("utf-8")


def _status(exc: XltargetsError) -> int:
    from ..errors import LibreOfficeMissing

    if isinstance(exc, LibreOfficeMissing):
        return 503
    if isinstance(exc, WorkbookError):
        return 409
    return 400 if isinstance(exc, InputError) else 422


#: the CLI's words for another output in the core's hints (fileio), as a user of the add-in or the page does it
_CLI_HINTS = ((re.compile(r"用 -o "), "在保存对话框中"), (re.compile(r"，?或加 --force 覆盖它"), "（xltargets 只覆盖它自己生成的文件）"))


def _error(exc: XltargetsError) -> _JSON:
    if exc.hint:  # «或加 --force 覆盖它» after the save dialog asked whether to replace: no use to a WPS user
        for cli, words in _CLI_HINTS:
            exc.hint = cli.sub(words, exc.hint)
    if exc.en:
        exc.en = exc.en.replace(" (use --force to replace it)", "")
    return _JSON({"error": exc.message, "hint": exc.hint or "", "message": exc.one_line()}, status_code=_status(exc))


def _refuse(status: int, message: str, hint: str, en: str) -> _JSON:
    return _JSON(error_body(message, hint, en), status_code=status)


def _download(out: work.Output) -> Response:
    if out.data is None:
        return _JSON({"path": str(out.path)})
    disposition = f"attachment; filename*=UTF-8''{quote(out.name)}"
    return Response(out.data, media_type=out.media_type, headers={"content-disposition": disposition, "cache-control": "no-store"})


def _endpoint(fn: Callable[[dict], Any], shape: Callable[[Any], Response], lock: threading.Lock, *, inline: Callable[[dict], bool] | None = None):
    async def endpoint(request: Request) -> Response:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype != "application/json":
            return _refuse(
                415, "请求内容须是 JSON（Content-Type: application/json）。", "按 docs/wps.md 中的接口说明发送请求。", "the body must be JSON"
            )
        raw = await request.body()
        try:
            body = json.loads(raw)
        except RecursionError:
            return _refuse(400, "请求内容嵌套过深。", "按 docs/wps.md 中的接口说明发送请求。", "the body is nested too deeply")
        except (ValueError, UnicodeDecodeError):
            return _refuse(400, "请求内容不是有效的 JSON。", "按 docs/wps.md 中的接口说明发送请求。", "the body is not valid JSON")
        if not isinstance(body, dict):
            return _refuse(400, "请求内容须是一个 JSON 对象。", "按 docs/wps.md 中的接口说明发送请求。", "the body must be a JSON object")
        # JSON may carry half of a UTF-16 pair (\ud83d: a cell holding half an emoji); no file and no
        # answer can hold it, so it is refused here, naming where it is (a byte search first: rare)
        where = broken_text(body) if _SURROGATE_ESCAPE.search(raw) else None
        if where is not None:
            return _refuse(
                400,
                f"{where}含有无效的字符（不成对的 UTF-16 代理项，常见于只剩一半的表情符号）。",
                "删除该处的特殊字符或重新输入这段文字后重试。",
                "the body holds a lone UTF-16 surrogate",
            )

        def call():
            with lock:
                return fn(body)

        try:
            # a small check (the add-in's 校验 of a workbook: a few ms) runs right here when no other job
            # holds the lock: handing it to a worker thread and back cost a good part of its time
            if inline is not None and len(raw) <= INLINE_BODY and inline(body) and lock.acquire(blocking=False):
                try:
                    result = fn(body)
                finally:
                    lock.release()
            else:
                result = await run_in_threadpool(call)
        except XltargetsError as exc:
            return _error(exc)
        except RecursionError:
            return _refuse(400, "请求内容嵌套过深。", "按 docs/wps.md 中的接口说明发送请求。", "the body is nested too deeply")
        except Exception:  # noqa: BLE001 - the last line of defence: no traceback to the client
            log.exception("internal error in %s", request.url.path)
            return _refuse(
                500,
                "xltargets 内部错误，未写入任何文件。",
                "请把所做的操作和文件发给维护人员；服务窗口中有详细信息。",
                "internal error; nothing was written",
            )
        return shape(result)

    return endpoint


def create_app(*, port: int, token: str, max_body: int = MAX_BODY) -> Starlette:
    """The service for *port* (its own page's origin) guarded by *token*."""
    lock = threading.Lock()

    async def health(request: Request) -> Response:
        return _JSON({"version": __version__, "pdf": work.pdf_available()})

    async def index(request: Request) -> Response:
        return FileResponse(STATIC_DIR / "index.html", headers={"cache-control": "no-store"})

    routes = [
        Route("/", index),
        Route("/api/health", health),
        Route("/api/check", _endpoint(work.check, _JSON, lock, inline=work.quick), methods=["POST"]),
        Route("/api/consolidate", _endpoint(work.consolidate, _download, lock), methods=["POST"]),
        Route("/api/pdf", _endpoint(work.pdf, _download, lock), methods=["POST"]),
        Route("/api/new-project", _endpoint(work.new_project, _JSON, lock), methods=["POST"]),
        Route("/api/import", _endpoint(work.import_files, _JSON, lock), methods=["POST"]),
        Route("/api/new-year", _endpoint(work.new_year, _JSON, lock), methods=["POST"]),
        Route("/api/compare", _endpoint(work.compare, _JSON, lock), methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]

    async def not_found(request: Request, exc) -> Response:
        return _refuse(404, f"没有“{request.url.path}”这个接口。", "接口列表见 docs/wps.md。", "no such endpoint")

    async def not_allowed(request: Request, exc) -> Response:
        return _refuse(405, f"“{request.url.path}”不接受 {request.method} 请求。", "接口列表见 docs/wps.md。", "method not allowed")

    return Starlette(
        routes=routes,
        middleware=[Middleware(Gate, port=port, max_body=max_body), Middleware(TokenGate, token=token), Middleware(BodyGate, max_body=max_body)],
        exception_handlers={404: not_found, 405: not_allowed},
    )
