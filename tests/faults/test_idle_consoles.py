"""Hundreds of open, idle sidebars cost a call nothing: a server in its own process with 500 idle
agent feeds still takes a new call, streams it to a normal close, answers REST, and a feed past the
configured limit is refused with 1013 and a reason (never a dropped socket)."""

from __future__ import annotations

import asyncio
import contextlib

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from agent.audio.codecs import Encoding
from workbench.bench.harness import INGEST_KEY, SUPERVISOR_KEY, ServerProcess
from workbench.demo.player import play

FEEDS = 500


async def open_feed(base: str, agent: str) -> ClientConnection:
    url = f"{base.replace('http', 'ws')}/v1/agents/{agent}/events?key={SUPERVISOR_KEY}"
    return await connect(url, open_timeout=30)


async def test_five_hundred_idle_feeds_leave_calls_and_rest_untouched() -> None:
    async with ServerProcess(
        {"CALLASSIST_ASR_MODEL": "none", "CALLASSIST_CONSOLE_MAX_FEEDS": str(FEEDS)}
    ) as server:
        feeds: list[ClientConnection] = []
        try:
            for start in range(0, FEEDS, 50):  # in waves, as agents log in
                feeds += await asyncio.gather(
                    *(open_feed(server.url, f"agent-{n}") for n in range(start, start + 50))
                )
            refused = await open_feed(server.url, "agent-late")
            with contextlib.suppress(ConnectionClosed):
                while True:
                    await asyncio.wait_for(refused.recv(), 10)
            assert refused.close_code == 1013 and "console feeds" in (refused.close_reason or ""), (
                refused.close_reason
            )

            silence = b"\x00\x00" * 2 * 16000 * 3  # 3 s of 16 kHz stereo
            result = await play(
                server.url, "busy-1", INGEST_KEY, silence, encoding=Encoding.PCM_S16LE, sample_rate=16000,
                channel_roles=["customer", "agent"], agent_id="agent-1", speed=0, stop_timeout_s=30,
            )  # fmt: skip
            assert result["type"] == "stopped" and abs(result["audio_seconds"] - 3.0) < 0.05, result
            async with httpx.AsyncClient(
                base_url=server.url, headers={"Authorization": f"Bearer {SUPERVISOR_KEY}"}, timeout=30
            ) as http:
                listing = await http.get("/v1/calls")
                assert listing.status_code == 200, listing.text
                call = (await http.get("/v1/calls/busy-1")).json()["call"]
                assert call["status"] == "ended" and call["end_reason"] == "stop"
            # the idle feed of agent-1 saw its call: feeds are live, not just open
            seen = []
            with contextlib.suppress(TimeoutError):
                while "call_ended" not in seen:
                    seen.append(__import__("json").loads(await asyncio.wait_for(feeds[1].recv(), 10))["type"])
            assert "call_started" in seen and "call_ended" in seen, seen
            assert all(feed.close_code is None for feed in feeds)
        finally:
            await asyncio.gather(*(feed.close() for feed in feeds), return_exceptions=True)
