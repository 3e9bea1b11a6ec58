"""A `callassist serve` in its own process, driven from outside as an operator's clients would:
started on a free port with its own data directory and embedded Redis, waited for, stopped with
SIGTERM. Used by the benchmarks and the end-to-end evaluation."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect

FRAME_S = 0.02  # audio per ingest frame, as telephony sends it
INGEST_KEY = "bench-ingest"
SUPERVISOR_KEY = "bench-supervisor"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """`callassist serve` in a child process; `env` adds settings. Its Redis is an embedded one
    unless `env` names `CALLASSIST_REDIS_URL`."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self._tmp = tempfile.TemporaryDirectory(prefix="callassist-bench-")
        self.env = {
            **os.environ,
            "CALLASSIST_PORT": str(self.port),
            "CALLASSIST_DATA_DIR": self._tmp.name,
            "CALLASSIST_INGEST_KEYS": INGEST_KEY,
            "CALLASSIST_SUPERVISOR_KEYS": SUPERVISOR_KEY,
            "CALLASSIST_LOG_LEVEL": "warning",
        }
        self.env.pop("CALLASSIST_REDIS_URL", None)  # not the caller's: this server's own, or env's
        self.env.update(env)
        self._process: asyncio.subprocess.Process | None = None
        self.log = ""  # what the server wrote to stderr, once it has stopped

    @property
    def pid(self) -> int:
        assert self._process is not None, "the server is not started"
        return self._process.pid

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> ServerProcess:
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "server.cli",
            "serve",
            env=self.env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self._process.returncode is not None:
                err = await self._process.stderr.read() if self._process.stderr else b""
                raise RuntimeError(f"server exited: {err.decode()[-2000:]}")
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                return self
            await asyncio.sleep(0.2)
        raise RuntimeError("server did not start within 120 s")

    @property
    def data_dir(self) -> Path:
        """This server's CALLASSIST_DATA_DIR (its embedded Redis's AOF is under redis/)."""
        return Path(self.env["CALLASSIST_DATA_DIR"])

    async def stop(self, grace_s: float = 30.0) -> int | None:
        """SIGTERM, then wait up to `grace_s` (then SIGKILL); returns the exit code."""
        if self._process and self._process.returncode is None:
            self._process.send_signal(signal.SIGTERM)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._process.wait(), grace_s)
            if self._process.returncode is None:
                self._process.kill()
                await self._process.wait()
            if self._process.stderr is not None:
                self.log = (await self._process.stderr.read()).decode("utf-8", "replace")
        return self._process.returncode if self._process else None

    async def kill(self) -> None:
        """SIGKILL: the server dies mid-whatever, as in a crash or an OOM kill."""
        if self._process and self._process.returncode is None:
            self._process.kill()
            await self._process.wait()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
        self._tmp.cleanup()

    async def metrics(self) -> dict[str, float]:
        import httpx

        async with httpx.AsyncClient(base_url=self.url) as client:
            text = (await client.get("/metrics")).text
        values: dict[str, float] = {}
        for line in text.splitlines():
            match = re.match(r"^(callassist_asr_[a-z_]+(?:\{[^}]*\})?) ([0-9.e+-]+)$", line)
            if match:
                values[match.group(1)] = float(match.group(2))
        return values

    async def cli(self, *args: str) -> str:
        """Run a `callassist` command against this server's data (its embedded Redis)."""
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "server.cli",
            *args,
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await process.communicate()
        if process.returncode:
            raise RuntimeError(f"callassist {' '.join(args)} failed: {err.decode()[-2000:]}")
        return out.decode()


class FeedRecorder:
    """A call's console feed, read from outside as a supervisor's screen would, every event kept
    with its arrival time (monotonic). Open it once the call has started; it closes by itself
    after `call_ended`."""

    def __init__(self, base_url: str, call_id: str, key: str = SUPERVISOR_KEY) -> None:
        self.url = f"{base_url.replace('http://', 'ws://')}/v1/calls/{call_id}/events?key={key}"
        self.arrivals: list[tuple[float, dict[str, Any]]] = []
        self._task: asyncio.Task[None] | None = None

    async def open(self, _began: float = 0.0) -> None:
        """Start reading (usable as `play(…, on_started=recorder.open)`)."""
        self._task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async with connect(self.url, max_size=None) as feed:
            async for message in feed:
                self.arrivals.append((time.monotonic(), json.loads(message)))

    async def close(self, wait_s: float = 0.0) -> None:
        """Wait up to `wait_s` for the feed to end by itself (after `call_ended`), then stop reading."""
        if self._task is None:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._task), wait_s)
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
