"""The native websocket ingest protocol: `GET /v1/calls/{call_id}/audio` (README, "Ingest protocol").

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

import asyncio
import json
import re
from collections.abc import Mapping
from typing import Any, Literal

import structlog
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from starlette.websockets import WebSocket, WebSocketDisconnect

from agent.audio.codecs import SUPPORTED_SAMPLE_RATES, AudioFormat, Encoding
from agent.events import Role
from agent.session import CallSession, SessionFailed
from server.auth import Role as KeyRole
from server.errors import CloseCode, ProtocolError
from server.services import Services

log = structlog.get_logger(__name__)

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
_ID = re.compile(ID_PATTERN)
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


async def _receive(websocket: WebSocket, within_s: float) -> Mapping[str, Any]:
    try:
        message = await asyncio.wait_for(websocket.receive(), within_s)
    except TimeoutError:
        raise ProtocolError(CloseCode.IDLE_TIMEOUT, f"no message for {within_s:g} s") from None
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    return message


async def handle_ingest(websocket: WebSocket, call_id: str) -> None:
    services: Services = websocket.app.state.services
    settings = services.settings
    await websocket.accept()
    structlog.contextvars.bind_contextvars(call_id=call_id)
    session: CallSession | None = None
    try:
        services.keys.require(websocket, KeyRole.INGEST)
        if not _ID.match(call_id):
            raise ProtocolError(
                CloseCode.BAD_REQUEST, "call id must be 1-128 letters, digits, '.', '_' or '-'"
            )
        first = await _receive(websocket, START_TIMEOUT_S)
        if first.get("text") is None:
            raise ProtocolError(CloseCode.BAD_REQUEST, "expected a JSON start message before any audio")
        start = parse_start(first["text"])
        session = await services.open_session(
            call_id, start.agent_id, start.format, start.channel_roles, start.metadata
        )
        await websocket.send_json(
            {"type": "started", "call_id": call_id, "format": start.format.encoding.value}
        )
        reason = await _pump_audio(
            websocket,
            session,
            settings.max_frame_bytes,
            settings.max_call_seconds,
            settings.idle_timeout_seconds,
        )
        await services.close_session(session, reason)
        if reason == "max_duration":
            limit = f"{settings.max_call_seconds:g}"
            raise ProtocolError(CloseCode.TOO_LONG, f"call exceeded the maximum duration of {limit} s")
        await websocket.send_json(
            {"type": "stopped", "call_id": call_id, "audio_seconds": round(session.received_seconds, 3)}
        )
        await websocket.close(CloseCode.NORMAL, "call ended")
    except ProtocolError as error:
        log.info("ingest_rejected", code=int(error.code), reason=error.message)
        if session is not None:
            await services.close_session(session, f"error:{error.code.name.lower()}")
        await _send_error(websocket, error)
    except WebSocketDisconnect:
        if session is not None:
            await services.close_session(session, "disconnected")
    except SessionFailed:
        if session is not None:
            await services.close_session(session, "internal_error")
        await _send_error(
            websocket, ProtocolError(CloseCode.INTERNAL_ERROR, "the call's pipeline failed; see server logs")
        )
    except Exception:
        log.exception("ingest_failed")
        if session is not None:
            await services.close_session(session, "internal_error")
        await _send_error(
            websocket, ProtocolError(CloseCode.INTERNAL_ERROR, "internal error; see server logs")
        )
    finally:
        structlog.contextvars.unbind_contextvars("call_id")


async def _pump_audio(
    websocket: WebSocket, session: CallSession, max_frame_bytes: int, max_seconds: float, idle_timeout: float
) -> str:
    """Feed frames until stop; returns the end reason."""
    frame_bytes = session.format.frame_bytes
    while True:
        message = await _receive(websocket, idle_timeout)
        data = message.get("bytes")
        if data is not None:
            if len(data) > max_frame_bytes:
                raise ProtocolError(
                    CloseCode.FRAME_TOO_LARGE,
                    f"binary frame of {len(data)} bytes exceeds the {max_frame_bytes}-byte limit",
                )
            if len(data) % frame_bytes:
                raise ProtocolError(
                    CloseCode.BAD_REQUEST,
                    f"binary frame of {len(data)} bytes is not a whole number of {frame_bytes}-byte samples "
                    f"({session.format.encoding.value}, {session.format.channels} channel(s))",
                )
            await session.feed(data)
            if session.received_seconds > max_seconds:
                return "max_duration"
            continue
        message_type = _parse_json(message.get("text") or "").get("type")
        if message_type == "stop":
            return "stop"
        if message_type == "start":
            raise ProtocolError(CloseCode.BAD_REQUEST, "start was already received for this call")
        raise ProtocolError(CloseCode.BAD_REQUEST, f"unknown message type {message_type!r} (expected stop)")


async def _send_error(websocket: WebSocket, error: ProtocolError) -> None:
    try:
        await websocket.send_json(error.to_message())
        await websocket.close(error.code, error.reason)
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass  # the client is already gone
