"""One send a response: uvicorn's h11 protocol with its writes of one event-loop turn joined.

uvicorn writes a response's head and its body separately, and each write on an
idle connection is its own ``send()`` on the socket (the listening socket has
TCP_NODELAY, so each is its own packet too). On loopback every send costs a
system call and the kernel's delivery to the client: for ``POST /api/check``,
a few milliseconds of work, the second send was a measurable share of the
request. :class:`Protocol` hands uvicorn a transport that gathers the writes
made until the event loop turns again and passes them on as one write.
Everything else (reading, flow control, closing) is the real transport's.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["Protocol", "JoinedWrites"]


class JoinedWrites:
    """An :class:`asyncio.Transport` whose writes wait for the end of the event loop's turn, then go out together."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop):
        self.transport = transport
        self.loop = loop
        self.pending: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not data:
            return
        if not self.pending:
            self.loop.call_soon(self.flush)
        self.pending.append(bytes(data))

    def writelines(self, lines) -> None:
        for data in lines:
            self.write(data)

    def flush(self) -> None:
        if self.pending:
            data = b"".join(self.pending)
            self.pending.clear()
            if not self.transport.is_closing():
                self.transport.write(data)

    def get_write_buffer_size(self) -> int:
        return self.transport.get_write_buffer_size() + sum(map(len, self.pending))

    def close(self) -> None:
        self.flush()
        self.transport.close()

    def write_eof(self) -> None:
        self.flush()
        self.transport.write_eof()

    def __getattr__(self, name: str) -> Any:  # reading, flow control, extra info, abort: the real transport's
        return getattr(self.transport, name)


class Protocol(H11Protocol):
    """uvicorn's pure-Python HTTP/1.1 protocol (h11), writing through :class:`JoinedWrites`."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(JoinedWrites(transport, asyncio.get_running_loop()))  # type: ignore[arg-type]
