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

import json
import re
from typing import Any, Literal

import structlog
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from starlette.websockets import WebSocket

from agent.audio.codecs import SUPPORTED_SAMPLE_RATES, AudioFormat, Encoding
from agent.events import Role
from server.auth import Role as KeyRole
from server.errors import CloseCode, ProtocolError
from server.ingest.lifecycle import IngestCall, receive, run_ingest

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
ID_RE = re.compile(ID_PATTERN)
START_TIMEOUT_S = 10.0
MAX_METADATA_BYTES = 8192
_MEDIA_FIELDS = {"encoding", "sample_rate", "channels", "channel_roles"}


class StartMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["start"]
    agent_id: str = Field(pattern=ID_PATTERN)
    encoding: Encoding
    sample_rate: int
    channels: int = Field(ge=1, le=2)
    channel_roles: list[Role]
    metadata: dict[str, Any] = Field(default_factory=dict)

    @field_validator("sample_rate")
    @classmethod
    def _rate(cls, value: int) -> int:
        if value not in SUPPORTED_SAMPLE_RATES:
            raise ValueError(f"must be one of {', '.join(map(str, SUPPORTED_SAMPLE_RATES))}")
        return value

    @field_validator("metadata")
    @classmethod
    def _metadata_size(cls, value: dict[str, Any]) -> dict[str, Any]:
        if len(json.dumps(value, ensure_ascii=False).encode()) > MAX_METADATA_BYTES:
            raise ValueError(f"must be at most {MAX_METADATA_BYTES} bytes of JSON")
        return value

    @field_validator("channel_roles")
    @classmethod
    def _roles_match_channels(cls, roles: list[Role], info: ValidationInfo) -> list[Role]:
        channels = info.data.get("channels")  # absent when channels itself was invalid
        if channels is not None and len(roles) != channels:
            raise ValueError(f"must name one role per channel ({channels})")
        if len(set(roles)) != len(roles):
            raise ValueError("must not repeat a role")
        return roles

    @property
    def format(self) -> AudioFormat:
        return AudioFormat(self.encoding, self.sample_rate, self.channels)


def parse_start(text: str) -> StartMessage:
    message = _parse_json(text)
    if message.get("type") != "start":
        raise ProtocolError(
            CloseCode.BAD_REQUEST, f"expected a start message first, got type {message.get('type')!r}"
        )
    try:
        return StartMessage.model_validate(message)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "start"
        code = (
            CloseCode.UNSUPPORTED_MEDIA
            if error["loc"] and error["loc"][0] in _MEDIA_FIELDS
            else CloseCode.BAD_REQUEST
        )
        raise ProtocolError(code, f"start.{where}: {error['msg']}") from None


def _parse_json(text: str) -> dict[str, Any]:
    try:
        message = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProtocolError(CloseCode.BAD_REQUEST, f"invalid JSON: {exc.msg} at position {exc.pos}") from None
    if not isinstance(message, dict):
        raise ProtocolError(CloseCode.BAD_REQUEST, "messages must be JSON objects")
    return message


async def handle_ingest(websocket: WebSocket, call_id: str) -> None:
    await run_ingest(websocket, lambda call: _native_call(call, call_id))


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
        message = await receive(websocket, settings.idle_timeout_seconds)
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
        message_type = _parse_json(message.get("text") or "").get("type")
        if message_type == "stop":
            break
        if message_type == "start":
            raise ProtocolError(CloseCode.BAD_REQUEST, "start was already received for this call")
        raise ProtocolError(CloseCode.BAD_REQUEST, f"unknown message type {message_type!r} (expected stop)")
    await call.finish("stop")
    await websocket.send_json(
        {"type": "stopped", "call_id": call_id, "audio_seconds": round(session.received_seconds, 3)}
    )
    await websocket.close(CloseCode.NORMAL, "call ended")
