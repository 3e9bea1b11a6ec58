"""Malformed and hostile input at every edge gets a documented 44xx answer with a reason, never a
1011 or a traceback, while a canary call on the same server streams on to a normal end."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from tests.helpers.streams import FRAME, send_audio
from tests.live_server import AGENT_A, INGEST, LiveServer, receive_until_closed, start_message

DEEP = "[" * 100_000 + "]" * 100_000


def twilio_start(**parameters: Any) -> str:
    return json.dumps({
        "event": "start",
        "start": {
            "callSid": "CAbad", "streamSid": "MZbad", "tracks": ["inbound"],
            "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1},
            "customParameters": {"key": INGEST, "agent_id": "agent-a", **parameters},
        },
    })  # fmt: skip


def audiohook_open(parameters: Any) -> str:
    return json.dumps(
        {"version": "2", "type": "open", "seq": 1, "serverseq": 0, "id": "s-1", "parameters": parameters}
    )


SOCKET_CASES = [  # (name, path, key, messages, close code, fragment of the reason)
    ("native: 100k-deep JSON", "/v1/calls/bad-deep/audio", INGEST, [DEEP], 4400, "nested too deep"),
    ("native: deep metadata", "/v1/calls/bad-deep2/audio", INGEST,
     [start_message(metadata={"a": json.loads("[" * 40 + "]" * 40)})], 4400, "nested at most"),
    ("native: NaN", "/v1/calls/bad-nan/audio", INGEST, [start_message(metadata={"x": float("nan")})], 4400, "NaN"),
    ("native: lone surrogate", "/v1/calls/bad-sur/audio", INGEST,
     [start_message(metadata={"x": "a"}).replace('"x": "a"', '"x": "\\ud800"')], 4400, "surrogate"),
    ("twilio: deep start", "/v1/twilio/media", None, [DEEP], 4400, "nested too deep"),
    ("twilio: lone surrogate", "/v1/twilio/media", None,
     [twilio_start(note="a").replace('"note": "a"', '"note": "\\udfff"')], 4400, "surrogate"),
    ("twilio: parameters not strings", "/v1/twilio/media", None, [twilio_start(note={"a": 1})], 4400,
     "customParameters"),
    ("twilio: 800 KB parameters", "/v1/twilio/media", None, [twilio_start(note="x" * 800_000)], 4400,
     "customParameters"),
    ("audiohook: customConfig a list", "/v1/audiohook", INGEST,
     [audiohook_open({"conversationId": "c-1", "customConfig": [1, 2], "media": []})], 4400, "customConfig"),
    ("audiohook: parameters a string", "/v1/audiohook", INGEST,
     [json.dumps({"version": "2", "type": "open", "seq": 1, "serverseq": 0, "id": "s", "parameters": "x"})],
     4400, "parameters"),
    ("console: bad call id", "/v1/calls/a:summary/events", AGENT_A, [], 4400, "call id"),
    ("console: bad agent id", "/v1/agents/a%20b/events", AGENT_A, [], 4400, "agent id"),
    ("console: impossible event id", "/v1/agents/agent-a/events?last_event_id=" + "9" * 20 + "-" + "9" * 20,
     None, [], 4400, "not an event id"),
]  # fmt: skip


async def refused(server: LiveServer, path: str, key: str | None, messages: list[str]) -> tuple[int, str]:
    if "?" in path:  # a query of its own: the agent's key goes with it
        path, _, query = path.partition("?")
        name, _, value = query.partition("=")
        context = server.connect(path, AGENT_A, **{name: value})
    else:
        context = server.connect(path, key)
    async with context as ws:
        for message in messages:
            try:
                await ws.send(message)
            except Exception:
                break
        await asyncio.wait_for(receive_until_closed(ws), 15)
        return ws.close_code or 0, ws.close_reason or ""


async def test_bad_input_everywhere_while_a_canary_call_streams(make_server) -> None:  # type: ignore[no-untyped-def]
    server: LiveServer = await make_server(asr_model="none")
    async with server.connect("/v1/calls/canary-1/audio", INGEST) as canary:
        await canary.send(start_message())
        assert json.loads(await canary.recv())["type"] == "started"
        for name, path, key, messages, code, fragment in SOCKET_CASES:
            await send_audio(canary, b"\x00" * FRAME * 10)
            got, reason = await refused(server, path, key, messages)
            assert (got, fragment in reason) == (code, True), (name, got, reason)
        async with httpx.AsyncClient(
            base_url=server.http, headers={"Authorization": f"Bearer {AGENT_A}"}
        ) as http:
            for path in ["/v1/calls/x:summary", "/v1/calls/x:summary/summary", "/v1/calls/a%20b/export"]:
                response = await http.get(path)
                assert response.status_code == 422 and "call_id" in response.text, (path, response.text)
        await canary.send(json.dumps({"type": "stop"}))
        stopped = json.loads(await canary.recv())
    assert stopped["type"] == "stopped" and stopped["audio_seconds"] == pytest.approx(
        len(SOCKET_CASES) * 0.2, abs=0.05
    )
    call = await server.store.get_call("canary-1")
    assert call is not None and call["end_reason"] == "stop"
