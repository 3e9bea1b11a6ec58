"""Serving the app with uvicorn (the websockets library's sans-I/O engine), with a drain on SIGTERM."""

from __future__ import annotations

import asyncio
import errno
import signal
import socket
from types import FrameType

import uvicorn
from fastapi import FastAPI

from server.services import Services
from server.settings import Settings


def uvicorn_config(app: FastAPI, settings: Settings, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        ws="websockets-sansio",
        ws_max_size=max(settings.max_frame_bytes * 2, 1 << 20),  # our own cap answers first, with a reason
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=10,
        # X-Forwarded-For / -Proto only from the proxies named; from anyone else they are ignored
        # (the throttle of wrong keys counts per client address: a forged one must not move it)
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
    )


class DrainingServer(uvicorn.Server):
    """uvicorn's server, but the first SIGTERM (or Ctrl-C) drains instead of cutting: the app's
    services stop taking calls, let live ones finish for `drain_s` (0 on Ctrl-C), end the rest
    as `server_shutdown` with their post-call work done, and only then does uvicorn shut down; the
    process exits 0. A second signal stops at once, as uvicorn does."""

    def __init__(self, config: uvicorn.Config, app: FastAPI, drain_s: float) -> None:
        super().__init__(config)
        self.app = app
        self.drain_s = drain_s
        self._loop: asyncio.AbstractEventLoop | None = None
        self._drain: asyncio.Task[None] | None = None

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        self._loop = asyncio.get_running_loop()
        await super().serve(sockets)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        services = getattr(self.app.state, "services", None)
        if self._drain is not None or self._loop is None or services is None or not self.started:
            super().handle_exit(sig, frame)
            return
        grace = self.drain_s if sig == signal.SIGTERM else 0.0
        self._loop.call_soon_threadsafe(self._start_drain, services, grace)

    def _start_drain(self, services: Services, grace_s: float) -> None:
        async def drain() -> None:
            try:
                await services.drain(grace_s)
            finally:
                self.should_exit = True

        if self._drain is None:
            self._drain = asyncio.create_task(drain(), name="drain")


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise
    return True


async def start_server(server: uvicorn.Server) -> asyncio.Task[None]:
    """Start serving in the background; returns once the app is up (or raises why it is not)."""
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("server stopped during start-up; see the log above")
        await asyncio.sleep(0.05)
    return task
