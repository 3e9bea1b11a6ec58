"""Keys before bodies, bodies of bounded size: a stranger's megabytes are never read or parsed,
an over-long body gets 413 whether it says its length or streams it, and a body the API cannot
use gets a 4xx with the reason (never a 500)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

from tests.live_server import AGENT_A, INGEST, LiveServer

OFFER_PATH = "/v1/calls/body-1/webrtc"


async def test_no_body_is_read_before_its_key(make_server) -> None:  # type: ignore[no-untyped-def]
    server: LiveServer = await make_server(asr_model="none", max_body_bytes=64 * 1024)
    big = b"{" + b" " * (8 << 20) + b"}"
    async with httpx.AsyncClient(base_url=server.http, timeout=30) as http:
        unknown = await http.post(OFFER_PATH, content=big, headers={"content-type": "application/json"})
        assert unknown.status_code == 401 and "API key" in unknown.json()["detail"]
        keyed = await http.post(
            OFFER_PATH, content=big, headers={"content-type": "application/json", "X-API-Key": INGEST}
        )
        assert keyed.status_code == 413 and "at most 65536 bytes" in keyed.json()["detail"]

        async def streamed() -> AsyncIterator[bytes]:  # no Content-Length: chunked
            for _ in range(40):
                yield b" " * 4096

        chunked = await http.post(OFFER_PATH, content=streamed(), headers={"X-API-Key": INGEST})
        assert chunked.status_code == 413
        wrong = await http.post(OFFER_PATH, content=b"not json", headers={"X-API-Key": "nobody"})
        assert wrong.status_code == 401


async def test_non_finite_offer_metadata_is_a_422(make_server) -> None:  # type: ignore[no-untyped-def]
    server: LiveServer = await make_server(asr_model="none")
    body = '{"sdp": "v=0", "type": "offer", "track_roles": ["agent"], "metadata": {"x": NaN}}'
    async with httpx.AsyncClient(base_url=server.http) as http:
        response = await http.post(
            OFFER_PATH, content=body, headers={"content-type": "application/json", "X-API-Key": AGENT_A}
        )
    assert response.status_code == 422 and "NaN" in response.text, response.text
