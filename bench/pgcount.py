"""Counts the SQL statements a server sends to PostgreSQL: a TCP proxy that reads the
frontend messages of the wire protocol (no TLS) and counts each `Query` (simple
protocol, `Q`) and `Execute` (extended protocol, `E`). `BEGIN`, `COMMIT`, `ROLLBACK`
and a server's `SET`s are statements too, and counted. Used by `bench.run` to measure
statements per request for any server, whatever its language.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct


class StatementCounter:
    """A proxy on a loopback port in front of PostgreSQL; `count` is the running total."""

    def __init__(self, upstream_port: int = 5432, host: str = "127.0.0.1") -> None:
        self.upstream = (host, upstream_port)
        self.count = 0
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        back = asyncio.create_task(_pipe(up_reader, writer))
        try:
            await self._frontend(reader, up_writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            up_writer.close()
            back.cancel()
            writer.close()

    async def _frontend(self, reader: asyncio.StreamReader, up: asyncio.StreamWriter) -> None:
        # Start-up messages have no type byte: an SSL or GSS request first (answered by
        # the server with one byte, forwarded by the other pipe), then the start-up.
        while True:
            head = await reader.readexactly(8)
            length, code = struct.unpack("!ii", head)
            up.write(head + await reader.readexactly(length - 8))
            await up.drain()
            if code not in (80877103, 80877104):  # not SSLRequest/GSSENCRequest
                break
        while True:
            kind = await reader.readexactly(1)
            size = await reader.readexactly(4)
            body = await reader.readexactly(struct.unpack("!i", size)[0] - 4)
            if kind in (b"Q", b"E"):
                self.count += 1
            up.write(kind + size + body)
            await up.drain()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(Exception):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()  # the server hung up (after a Terminate): so does the client's side
