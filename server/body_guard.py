"""Keys before bodies, and bodies of bounded size: an ASGI middleware in front of the REST API.

A request that carries a body under `/v1/` (POST, PUT, PATCH) has its key checked before a byte
of the body is read (401 / 429 with the reason, as `server/auth.py` decides), and its body read
here up to `CALLASSIST_MAX_BODY_BYTES`: a declared or streamed body past it gets 413 before any
parser sees it. The body read is then handed to the application unchanged. Roles are still
checked by each endpoint; this only makes sure a stranger cannot make the server read and parse
megabytes."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.auth import presented_key
from server.errors import CloseCode, ProtocolError

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


async def _reply(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({
        "type": "http.response.start", "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
    })  # fmt: skip
    await send({"type": "http.response.body", "body": body})


class BodyGuard:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in BODY_METHODS
            or not scope["path"].startswith("/v1/")
        ):
            await self.app(scope, receive, send)
            return
        services: Any = scope["app"].state.services
        conn = HTTPConnection(scope)
        try:
            services.keys.authenticate(conn, presented_key(conn))
        except ProtocolError as error:
            await _reply(send, 429 if error.code is CloseCode.POLICY_VIOLATION else 401, error.message)
            return
        declared = conn.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            await _reply(send, 413, f"a request body is at most {self.max_body_bytes} bytes")
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            size += len(message.get("body", b""))
            if size > self.max_body_bytes:
                await _reply(send, 413, f"a request body is at most {self.max_body_bytes} bytes")
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: a disconnect, when it comes

        await self.app(scope, replay, send)
