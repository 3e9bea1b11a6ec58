"""Serving the app with uvicorn (the websockets library's sans-I/O engine)."""

from __future__ import annotations

import asyncio
import errno
import socket

import uvicorn
from fastapi import FastAPI

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
    )


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
