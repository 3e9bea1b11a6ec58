"""What an abusive client tries against a live server, and what it gets: wrong keys throttled
per address with 429 while right keys still pass (and every failure logged with the address
only; forwarded addresses believed only from trusted proxies), empty frames that cannot
keep a call alive past its idle timeout, an AudioHook pause that claims ten minutes of discarded
audio more than once, and pages with a strict content security policy, no framing, no referrer,
no cache for API data, and no third-party code (no Swagger UI from a CDN)."""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx
import pytest

from agent.assist.export import to_markdown
from tests.live_server import INGEST, LiveServer, receive_until_closed, start_message


async def test_wrong_keys_are_throttled_and_right_keys_still_pass(make_server) -> None:  # type: ignore[no-untyped-def]
    """Wrong keys from one address are refused past the limit, whatever X-Forwarded-For claims (no
    proxy is trusted by default: rotating the header neither escapes the throttle nor moves it onto
    someone else); the right supervisor and agent keys from the same address still pass."""
    server: LiveServer = await make_server(auth_failures_per_minute=5)
    async with httpx.AsyncClient(base_url=server.http) as http:
        codes = [
            (
                await http.get(
                    "/v1/calls", headers={"X-API-Key": f"guess-{n}", "X-Forwarded-For": f"203.0.113.{n}"}
                )
            ).status_code
            for n in range(7)
        ]
        assert codes == [401] * 5 + [429] * 2, codes
        refused = await http.get("/v1/calls", headers={"X-API-Key": "guess-8"})
        assert refused.status_code == 429 and "try again in" in refused.json()["detail"]
        assert (await http.get("/v1/calls", headers={"X-API-Key": "supervisor-key"})).status_code == 200
        for _ in range(5):  # a stale tab retrying a revoked key beside a working agent
            assert (await http.get("/v1/calls", headers={"X-API-Key": "revoked"})).status_code == 429
            assert (await http.get("/v1/calls", headers={"X-API-Key": "agent-a-key"})).status_code == 200
    async with server.connect("/v1/agents/agent-a/events", "wrong-key") as ws:
        await asyncio.wait_for(receive_until_closed(ws), 5)
    assert ws.close_code == 1008 and "too many wrong keys" in (ws.close_reason or "")
    async with server.connect("/v1/agents/agent-a/events", "agent-a-key") as ws:
        first = json.loads(await asyncio.wait_for(ws.recv(), 5))
    assert first["type"] != "error", first


async def test_empty_frames_do_not_keep_a_call_alive(make_server) -> None:  # type: ignore[no-untyped-def]
    server: LiveServer = await make_server(idle_timeout_seconds=1.0)
    async with server.connect("/v1/calls/empty-1/audio", INGEST) as ws:
        await ws.send(start_message())
        assert json.loads(await ws.recv())["type"] == "started"

        async def empties() -> None:
            for _ in range(100):
                await ws.send(b"")
                await asyncio.sleep(0.05)

        sender = asyncio.create_task(empties())
        messages = await asyncio.wait_for(receive_until_closed(ws), 4)
        sender.cancel()
    assert ws.close_code == 4408 and messages[-1]["code"] == 4408


def open_message(seq: int, parameters: dict) -> str:
    return json.dumps({"version": "2", "type": "open", "seq": seq, "serverseq": 0, "id": "s-1",
                       "parameters": parameters})  # fmt: skip


async def test_audiohook_discarded_time_is_capped_per_session(make_server) -> None:  # type: ignore[no-untyped-def]
    server: LiveServer = await make_server(max_call_seconds=3600)
    conversation = str(uuid.uuid4())
    media = [{"type": "audio", "format": "PCMU", "channels": ["external", "internal"], "rate": 8000}]
    async with server.connect("/v1/audiohook", INGEST) as ws:
        await ws.send(
            open_message(
                1, {"conversationId": conversation, "media": media, "customConfig": {"agent_id": "agent-a"}}
            )
        )
        assert json.loads(await ws.recv())["type"] == "opened"
        seq = 2
        for _ in range(3):  # three claims of ten minutes each
            for kind, parameters in (("paused", {}), ("resumed", {"discarded": "PT600S"})):
                await ws.send(json.dumps({"version": "2", "type": kind, "seq": seq, "serverseq": 1, "id": "s-1",
                                          "parameters": parameters}))  # fmt: skip
                seq += 1
        await ws.send(json.dumps({"version": "2", "type": "close", "seq": seq, "serverseq": 1, "id": "s-1",
                                  "parameters": {"reason": "end"}}))  # fmt: skip
        assert json.loads(await asyncio.wait_for(ws.recv(), 120))["type"] == "closed"
    call = await server.store.get_call(conversation)
    assert call is not None and call["audio_seconds"] == pytest.approx(600.0, abs=0.1)


async def test_pages_and_api_send_security_headers(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.http) as http:
        for path in ["/", "/agent", "/supervisor", "/softphone", "/calls/x-1", "/static/common.js"]:
            response = await http.get(path)
            assert response.status_code == 200, path
            csp = response.headers["content-security-policy"]
            assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["referrer-policy"] == "no-referrer"
        api = await http.get("/v1/calls", headers={"X-API-Key": "supervisor-key"})
        assert api.headers["cache-control"] == "no-store"
        assert (await http.get("/docs")).status_code == 404  # no Swagger UI pulled from a CDN
        assert (await http.get("/openapi.json")).status_code == 200
        for path in ["/", "/agent", "/supervisor", "/softphone"]:
            assert "cdn" not in (await http.get(path)).text.lower()


def test_markdown_export_shows_markup_as_text() -> None:
    document = {
        "call": {"call_id": "x-1", "agent_id": "a"},
        "summary": None,
        "transcript": [{"role": "customer", "start": 0.0, "text": "<img src=x onerror=alert(1)> & 요금"}],
        "suggestions": [{"suggestion_id": "s1", "mode": "extractive", "feedback": None, "reply": "<b>x</b>",
                         "sources": [{"title": "<script>t</script>", "heading_path": []}]}],
    }  # fmt: skip
    markdown = to_markdown(document)
    assert "<img" not in markdown and "<script>" not in markdown and "<b>" not in markdown
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; 요금" in markdown


async def test_unsigned_telephony_is_refused_when_secrets_are_set(make_server) -> None:  # type: ignore[no-untyped-def]
    server: LiveServer = await make_server(twilio_auth_token="tok", audiohook_client_secret="c2VjcmV0")
    for path in ["/v1/twilio/media", "/v1/audiohook"]:
        async with server.connect(path, INGEST) as ws:
            await ws.send(json.dumps({"event": "connected"}))
            await asyncio.wait_for(receive_until_closed(ws), 5)
        assert ws.close_code == 4401 and "ignature" in (ws.close_reason or ""), (path, ws.close_reason)
