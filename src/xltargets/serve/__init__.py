"""``xltargets serve``: the local service behind the WPS add-in and the browser page.

The service is a thin front end over the one pipeline: each HTTP handler
reads its JSON (or uploaded files), calls one core function and answers with
JSON or file bytes. It listens on 127.0.0.1 only and refuses every request
without the bearer token in ``~/.xltargets/serve.json`` (except health), from
a foreign Host (DNS rebinding) or from a foreign Origin. See docs/wps.md.

Importing this package is cheap: Starlette and uvicorn are imported only by
:mod:`.app` and :mod:`.server`, which ``xltargets serve`` loads when it runs.
"""

from __future__ import annotations

__all__ = ["DEFAULT_PORT", "HOST"]

#: the port ``xltargets serve`` listens on by default (the WPS add-in's config names it)
DEFAULT_PORT = 47211
#: the only address the service binds to
HOST = "127.0.0.1"
