"""A server that reads the demo call's script as its recognizer, with the sample guides indexed."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest_asyncio

from agent.audio.codecs import Encoding
from agent.audio.wav import read_wav
from server.components import open_knowledge_base
from server.demo.player import encode_call, play
from server.demo.synth import SynthesizedCall
from tests.live_server import INGEST, LiveServer

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
