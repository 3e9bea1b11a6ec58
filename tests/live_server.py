"""A real server (uvicorn, real Redis, real silero-vad) on a loopback port, per test. Loaded as a
pytest plugin by tests/conftest.py, so every test directory can use it."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import httpx
import pytest_asyncio
import uvicorn
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from agent.audio.codecs import Encoding
from agent.audio.wav import read_wav
from agent.store import CallStore
from server.app import create_app
from server.components import open_knowledge_base
from server.runner import start_server, uvicorn_config
from server.settings import Settings
from workbench.demo.player import encode_call, play
from workbench.demo.synth import SynthesizedCall

T = TypeVar("T")

INGEST = "ingest-key"
AGENT_A = "agent-a-key"
AGENT_B = "agent-b-key"
SUPERVISOR = "supervisor-key"


@dataclass
class LiveServer:
    settings: Settings
    port: int
    app: Any
    uvicorn: uvicorn.Server
    task: asyncio.Task[None]

    async def stop(self) -> None:
        """Shut down as uvicorn does on SIGTERM: connections close, then the lifespan exits."""
        self.uvicorn.should_exit = True
        await self.task

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def store(self) -> CallStore:
        return self.app.state.services.store  # type: ignore[no-any-return]

    def connect(self, path: str, key: str | None = None, **params: str) -> Any:
        query = {**({"key": key} if key else {}), **params}
        url = f"{self.ws}{path}" + (f"?{urlencode(query)}" if query else "")
        return connect(url, max_size=None, open_timeout=5)


@pytest_asyncio.fixture
async def make_server(settings: Settings) -> AsyncIterator[Callable[..., Any]]:
    servers: list[LiveServer] = []

    async def start(**overrides: Any) -> LiveServer:
        effective = settings.model_copy(update=overrides)
        app = create_app(effective)
        server = uvicorn.Server(uvicorn_config(app, effective, "127.0.0.1", 0))
        task = await start_server(server)
        live = LiveServer(effective, server.servers[0].sockets[0].getsockname()[1], app, server, task)
        servers.append(live)
        return live

    yield start
    for live in servers:
        await live.stop()


@pytest_asyncio.fixture
async def server(make_server: Callable[..., Any]) -> LiveServer:
    return await make_server()  # type: ignore[no-any-return]


async def eventually(check: Callable[[], Awaitable[T | None]], within_s: float = 10.0) -> T:
    """Poll `check` until it returns something truthy: for state kept in Redis, with nothing to await."""
    deadline = time.monotonic() + within_s
    while not (result := await check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {within_s} s")
        await asyncio.sleep(0.05)
    return result


def start_message(**overrides: Any) -> str:
    message = {
        "type": "start",
        "agent_id": "agent-a",
        "encoding": "pcm_s16le",
        "sample_rate": 16000,
        "channels": 2,
        "channel_roles": ["customer", "agent"],
    }
    message.update(overrides)
    return json.dumps({k: v for k, v in message.items() if v is not None})


async def receive_until_closed(ws: ClientConnection) -> list[dict[str, Any]]:
    """Every JSON message until the server closes the socket."""
    messages: list[dict[str, Any]] = []
    try:
        while True:
            messages.append(json.loads(await ws.recv()))
    except ConnectionClosed:
        return messages


# --- a server that reads the demo call's script as its recognizer, the sample guides indexed ---

SAMPLES = Path(str(resources.files("kb").joinpath("samples")))


@pytest_asyncio.fixture
async def assist_server(make_server: Callable[..., Any], demo_call: SynthesizedCall) -> Callable[..., Any]:
    async def start(**overrides: Any) -> LiveServer:
        server: LiveServer = await make_server(
            asr_model=f"script:{demo_call.wav_path.with_suffix('.json')}", **overrides
        )
        services = server.app.state.services
        kb = await open_knowledge_base(services.redis, server.settings)
        await kb.ingest([SAMPLES])
        return server

    return start


async def play_demo_call(server: LiveServer, call: SynthesizedCall, call_id: str, **metadata: Any) -> dict:
    rate, audio = read_wav(call.wav_path)
    data, rate = encode_call(audio, rate, Encoding.PCM_S16LE, None)
    return await play(
        server.http,
        call_id,
        INGEST,
        data,
        encoding=Encoding.PCM_S16LE,
        sample_rate=rate,
        channel_roles=call.channel_roles,
        agent_id="agent-a",
        speed=0,
        metadata=metadata or None,
    )


async def archive_search_until_found(server: LiveServer, query: str) -> dict[str, Any]:
    """The supervisor's archive search for `query` once it finds something (archiving runs after a
    call has ended)."""
    async with httpx.AsyncClient(base_url=server.http, headers={"X-API-Key": SUPERVISOR}) as client:

        async def found() -> dict[str, Any] | None:
            result: dict[str, Any] = (await client.get("/v1/search/calls", params={"q": query})).json()
            return result if result["total"] else None

        return await eventually(found)
