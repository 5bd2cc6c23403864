"""A loopback port between the cluster's nodes and PostgreSQL, which the test can cut: the
database's outage, made without touching the machine's PostgreSQL (shared with others)."""

from __future__ import annotations

import asyncio
import threading

from tests.cluster.harness import free_port


class TcpForwarder:
    """A loopback port that forwards to PostgreSQL, and can be cut: `cut()` drops every
    connection and refuses new ones, as a database server that went away does; `restore()`
    listens again on the same port."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.server: asyncio.AbstractServer | None = None
        self.open: set[asyncio.StreamWriter] = set()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True,
                                       name="pg-forwarder")

    def start(self) -> None:
        self.thread.start()
        self.restore()

    def _run(self, coroutine: object) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=10)  # type: ignore[arg-type]

    def restore(self) -> None:
        self._run(self._listen())

    def cut(self) -> None:
        self._run(self._cut())

    def close(self) -> None:
        self.cut()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()

    async def _listen(self) -> None:
        self.server = await asyncio.start_server(self._connection, "127.0.0.1", self.port,
                                                 reuse_address=True)

    async def _cut(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        for writer in list(self.open):
            writer.transport.abort()
        self.open.clear()

    async def _connection(self, client_in: asyncio.StreamReader,
                          client_out: asyncio.StreamWriter) -> None:
        try:
            server_in, server_out = await asyncio.open_connection(*self.target)
        except OSError:
            client_out.transport.abort()
            return
        self.open.update((client_out, server_out))

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (OSError, asyncio.IncompleteReadError):
                pass
            finally:
                sink.close()
                self.open.discard(sink)

        await asyncio.gather(pipe(client_in, server_out), pipe(server_in, client_out))
