"""A local OpenAI-compatible chat server for tests: real HTTP on loopback, server-sent events for
streamed completions, JSON mode, and configurable delays and failures. It stands in for the
paid LLM service only; it records every request so tests can check what was sent."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest_asyncio
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from server.runner import start_server


@dataclass
class FakeLlm:
    answer: list[str] = field(
        default_factory=lambda: [
            "고객님, ",
            "처음 해외 이용이시면 ",
            "로밍 요금을 ",
            "감면해 드릴 수 있습니다. [1]",
        ]
    )
    token_delay_s: float = 0.01
    # a stream that starts and then stalls: after this many tokens, wait `stall_s` before the rest
    stall_after: int | None = None
    stall_s: float = 0.0
    first_byte_delay_s: float = 0.0  # before the response starts (a slow or stuck server)
    fail_status: int | None = None  # answer every request with this HTTP status
    json_replies: list[str] = field(default_factory=list)  # JSON-mode replies, in order (last repeats)
    requests: list[dict[str, Any]] = field(default_factory=list)
    port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def prompts(self) -> str:
        """Every message text sent so far, joined."""
        return "\n".join(m["content"] for r in self.requests for m in r["messages"])

    async def completions(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append(body)
        if request.headers.get("authorization") != "Bearer test-llm-key":
            return JSONResponse({"error": {"message": "bad key", "type": "invalid_request_error"}}, 401)
        if self.first_byte_delay_s:
            await asyncio.sleep(self.first_byte_delay_s)
        if self.fail_status:
            return JSONResponse(
                {"error": {"message": "injected failure", "type": "server_error"}}, self.fail_status
            )
        if body.get("stream"):
            return StreamingResponse(self._events(body["model"]), media_type="text/event-stream")
        content = (
            self.json_replies[min(len(self.requests_json()) - 1, len(self.json_replies) - 1)]
            if (body.get("response_format", {}).get("type") == "json_object" and self.json_replies)
            else "".join(self.answer)
        )
        return JSONResponse({
            "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()), "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        })  # fmt: skip

    def requests_json(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r.get("response_format", {}).get("type") == "json_object"]

    async def _events(self, model: str) -> AsyncIterator[bytes]:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
            payload = {
                "id": "chatcmpl-test", "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }  # fmt: skip
            return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()

        yield chunk({"role": "assistant", "content": ""})
        for sent, token in enumerate(self.answer):
            if sent == self.stall_after:
                await asyncio.sleep(self.stall_s)
            await asyncio.sleep(self.token_delay_s)
            yield chunk({"content": token})
        yield chunk({}, "stop")
        yield b"data: [DONE]\n\n"


@pytest_asyncio.fixture
async def fake_llm() -> AsyncIterator[FakeLlm]:
    fake = FakeLlm()
    app = Starlette(routes=[Route("/v1/chat/completions", fake.completions, methods=["POST"])])
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    task = await start_server(server)
    fake.port = server.servers[0].sockets[0].getsockname()[1]
    yield fake
    server.should_exit = True
    await task
