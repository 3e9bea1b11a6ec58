"""The native websocket ingest protocol: `GET /v1/calls/{call_id}/audio` (docs/protocols.md).

    client                                   server
    {"type": "start", …}            ──▶
                                    ◀──      {"type": "started", "call_id": …}
    binary frames (interleaved)     ──▶
    {"type": "stop"}                ──▶
                                    ◀──      {"type": "stopped", …} + close 1000

Any bad input ends the socket with {"type": "error", …} and a close frame carrying a specific
code and reason; the call it belonged to (if started) is ended cleanly and other calls carry on.
"""

from __future__ import annotations

import structlog
from starlette.websockets import WebSocket

from server.auth import Role as KeyRole
from server.errors import CloseCode, ProtocolError
from server.ingest.lifecycle import IngestCall, receive, run_ingest
from server.ingest.messages import (
    ID_RE,
    NATIVE_MEDIA_FIELDS,
    NativeControl,
    NativeStart,
    json_object,
    parse,
)

START_TIMEOUT_S = 10.0


def parse_start(text: str) -> NativeStart:
    message = json_object(text, "native")
    if message.get("type") != "start":
        raise ProtocolError(
            CloseCode.BAD_REQUEST, f"expected a start message first, got type {message.get('type')!r}"
        )
    return parse(NativeStart, message, "start", NATIVE_MEDIA_FIELDS)


async def handle_ingest(websocket: WebSocket, call_id: str) -> None:
    await run_ingest(websocket, "native", lambda call: _native_call(call, call_id))


async def _native_call(call: IngestCall, call_id: str) -> None:
    services, websocket = call.services, call.websocket
    settings = services.settings
    structlog.contextvars.bind_contextvars(call_id=call_id)  # on every line, errors before the start too
    services.keys.require(websocket, KeyRole.INGEST)
    if not ID_RE.match(call_id):
        raise ProtocolError(CloseCode.BAD_REQUEST, "call id must be 1-128 letters, digits, '.', '_' or '-'")
    first = await receive(websocket, START_TIMEOUT_S)
    if first.get("text") is None:
        raise ProtocolError(CloseCode.BAD_REQUEST, "expected a JSON start message before any audio")
    start = parse_start(first["text"])
    session = await call.open(call_id, start.agent_id, start.format, start.channel_roles, start.metadata)
    await websocket.send_json({"type": "started", "call_id": call_id, "format": start.format.encoding.value})
    frame_bytes = session.format.frame_bytes
    while True:
        message = await call.receive()
        data = message.get("bytes")
        if data is not None:
            if len(data) > settings.max_frame_bytes:
                raise ProtocolError(
                    CloseCode.FRAME_TOO_LARGE,
                    f"binary frame of {len(data)} bytes exceeds the {settings.max_frame_bytes}-byte limit",
                )
            if len(data) % frame_bytes:
                raise ProtocolError(
                    CloseCode.BAD_REQUEST,
                    f"binary frame of {len(data)} bytes is not a whole number of {frame_bytes}-byte samples "
                    f"({session.format.encoding.value}, {session.format.channels} channel(s))",
                )
            await call.feed(data)
            continue
        call.idle.active()
        control = parse(NativeControl, json_object(message.get("text") or "", "native"), "message")
        if control.type == "stop":
            break
        if control.type == "transfer":  # telephony moved the call to another agent
            if not control.agent_id or not ID_RE.match(control.agent_id):
                raise ProtocolError(
                    CloseCode.BAD_REQUEST,
                    "transfer needs an agent_id of 1-128 letters, digits, '.', '_' or '-'",
                )
            await session.transfer(control.agent_id, "ingest")
            continue
        if control.type == "start":
            raise ProtocolError(CloseCode.BAD_REQUEST, "start was already received for this call")
        raise ProtocolError(
            CloseCode.BAD_REQUEST, f"unknown message type {control.type!r} (expected stop or transfer)"
        )
    await call.finish("stop")
    await websocket.send_json(
        {"type": "stopped", "call_id": call_id, "audio_seconds": round(session.received_seconds, 3)}
    )
    await websocket.close(CloseCode.NORMAL, "call ended")
