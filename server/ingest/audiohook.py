"""Genesys AudioHook (protocol version 2): `GET /v1/audiohook` (websocket; docs/protocols.md, "Genesys AudioHook").

Genesys (the client) authenticates with the `X-API-KEY` header (an ingest key), then sends JSON
control messages, each with `version: "2"`, the session `id`, its own `seq` (1, 2, 3 …), the last
server `serverseq` it saw and the stream `position`; audio comes as binary frames. The server
answers with `seq` of its own and `clientseq`:

    open    → opened   (media chosen: PCMU 8 kHz, stereo external+internal preferred, else mono)
    ping    → pong
    update  → updated
    paused  (audio stops; the call's clock waits)    resumed (its `discarded` time becomes silence)
    close   → closed   (the call ends)
    error   (logged and kept with the call)

An `open` for conversation 00000000-0000-0000-0000-000000000000 is Genesys' connection probe: it
is answered like any other and starts no call. Channel `external` (left) is the customer and
`internal` (right) the agent (`CALLASSIST_AUDIOHOOK_CHANNEL_ROLES`). Anything wrong (bad JSON,
a sequence number out of order, audio before `opened`, no usable media) ends the session with a
`disconnect` message (reason `unauthorized` or `error`, with `info`) and a close code.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

import structlog
from pydantic import ValidationError
from starlette.websockets import WebSocket, WebSocketDisconnect

from agent.audio.codecs import AudioFormat, Encoding
from agent.feed import AudioPaused, AudioResumed, IngestError
from server.auth import Role as KeyRole
from server.errors import CloseCode, ProtocolError
from server.ingest.lifecycle import IngestCall, receive, run_ingest
from server.ingest.messages import (
    ID_RE,
    AudioHookError,
    AudioHookMedia,
    AudioHookMessage,
    AudioHookOpen,
    AudioHookResumed,
    json_object,
    parse,
)
from server.ingest.signatures import audiohook_signature_ok

log = structlog.get_logger(__name__)

PROBE_CONVERSATION = "00000000-0000-0000-0000-000000000000"
OPEN_TIMEOUT_S = 10.0
RATE = 8000
MAX_DISCARDED_S = 600.0  # silence put back for pauses, at most, in one session
_DURATION = re.compile(r"^PT(\d+(?:\.\d+)?)S$")


def duration_s(value: Any) -> float:
    """ISO 8601 `PT12.5S` → 12.5 (the only form AudioHook uses)."""
    match = _DURATION.match(str(value or ""))
    if match is None:
        raise ProtocolError(CloseCode.BAD_REQUEST, f"{value!r} is not a duration like PT1.5S")
    return float(match.group(1))


class AudioHookSession:
    def __init__(self, call: IngestCall) -> None:
        self.call = call
        self.websocket: WebSocket = call.websocket
        self.session_id = call.websocket.headers.get("audiohook-session-id", "")
        self.server_seq = 0
        self.client_seq = 0
        self.opened = False
        self.probe = False
        self.paused = False
        self.channels = 0
        self.agent_id = ""
        self.call_id = ""
        self.discarded_s = 0.0  # silence put back for pauses so far (at most MAX_DISCARDED_S a session)

    async def send(self, type_: str, parameters: dict[str, Any] | None = None) -> None:
        self.server_seq += 1
        await self.websocket.send_json({
            "version": "2", "type": type_, "seq": self.server_seq, "clientseq": self.client_seq,
            "id": self.session_id, "parameters": parameters or {},
        })  # fmt: skip

    def parse(self, text: str | None) -> AudioHookMessage:
        message = parse(AudioHookMessage, json_object(text, "AudioHook control"), "message")
        if message.version != "2":
            raise ProtocolError(CloseCode.BAD_REQUEST, f'protocol version {message.version!r} (expected "2")')
        if message.seq != self.client_seq + 1:
            raise ProtocolError(
                CloseCode.BAD_REQUEST, f"seq {message.seq!r} out of order: expected {self.client_seq + 1}"
            )
        if message.serverseq > self.server_seq:
            raise ProtocolError(
                CloseCode.BAD_REQUEST, f"serverseq {message.serverseq!r} is not one the server sent"
            )
        self.client_seq = message.seq
        self.session_id = self.session_id or message.id
        return message

    async def run(self) -> None:
        services = self.call.services
        services.keys.require(self.websocket, KeyRole.INGEST)
        secret = services.settings.audiohook_client_secret
        if secret and not audiohook_signature_ok(secret, self.websocket):
            raise ProtocolError(
                CloseCode.UNAUTHENTICATED, "the connection's message signature is missing or wrong"
            )
        first = await receive(self.websocket, OPEN_TIMEOUT_S)
        if first.get("text") is None:
            raise ProtocolError(CloseCode.BAD_REQUEST, "audio before 'open'")
        message = self.parse(first["text"])
        if message.type != "open":
            raise ProtocolError(CloseCode.BAD_REQUEST, f"expected 'open' first, got {message.type!r}")
        await self.open(parse(AudioHookOpen, message.parameters, "open.parameters"))
        while True:
            incoming = await self.call.receive()
            data = incoming.get("bytes")
            if data is not None:
                if data:
                    self.call.idle.active()  # a paused or probe session's audio counts too
                await self.audio(data)
                continue
            self.call.idle.active()
            message = self.parse(incoming.get("text"))
            if await self.control(message):
                return

    async def open(self, parameters: AudioHookOpen) -> None:
        settings = self.call.services.settings
        conversation = parameters.conversationId
        media = self.choose_media(parameters.media)
        self.channels = len(media.channels)
        if conversation == PROBE_CONVERSATION:
            self.probe = True
            await self.send("opened", {"startPaused": False, "media": [media.model_dump()]})
            self.opened = True
            return
        custom = parameters.customConfig
        self.agent_id = str(custom.get("agent_id") or settings.audiohook_default_agent)
        if not ID_RE.match(self.agent_id):
            raise ProtocolError(
                CloseCode.BAD_REQUEST, f"customConfig.agent_id {self.agent_id!r} is not a usable id"
            )
        if not ID_RE.match(conversation):
            raise ProtocolError(
                CloseCode.BAD_REQUEST, f"conversationId {conversation!r} is not a usable call id"
            )
        roles_by_channel = settings.audiohook_roles
        roles = [roles_by_channel[c] for c in media.channels]
        metadata = {
            "source": "genesys-audiohook",
            "audiohook": {
                "organizationId": parameters.organizationId, "conversationId": conversation,
                "sessionId": self.session_id, "participant": parameters.participant,
                "language": parameters.language, "channels": media.channels,
            },
            "tags": [t for t in custom.get("tags", []) if isinstance(t, str)],
        }  # fmt: skip
        self.call_id = conversation
        if await self.call.services.store.call_exists(conversation):  # a second session of the conversation
            self.call_id = f"{conversation}.{self.session_id[:8] or self.client_seq}"
        await self.call.open(
            self.call_id, self.agent_id, AudioFormat(Encoding.MULAW, RATE, self.channels), roles, metadata
        )
        await self.send("opened", {"startPaused": False, "media": [media.model_dump()]})
        self.opened = True

    def choose_media(self, offered: list[dict[str, Any]]) -> AudioHookMedia:
        names = set(self.call.services.settings.audiohook_roles)
        usable = []
        for offer in offered:
            try:
                media = AudioHookMedia.model_validate(offer)
            except ValidationError:
                continue
            if (
                (media.type, media.format, media.rate) == ("audio", "PCMU", RATE)
                and set(media.channels) <= names
                and len(set(media.channels)) == len(media.channels)
            ):
                usable.append(media)
        if not usable:
            raise ProtocolError(
                CloseCode.UNSUPPORTED_MEDIA, f"no PCMU 8000 Hz audio with channels {sorted(names)} offered"
            )
        return max(usable, key=lambda m: len(m.channels))  # both sides when offered

    async def _silence(self, seconds: float) -> None:
        """`seconds` of silence, fed a second at a time (never one large job)."""
        second = b"\xff" * RATE * self.channels
        whole, rest = divmod(round(seconds * RATE), RATE)
        for _ in range(whole):
            await self.call.feed(second)
        if rest:
            await self.call.feed(b"\xff" * rest * self.channels)

    async def audio(self, data: bytes) -> None:
        if not self.opened:
            raise ProtocolError(CloseCode.BAD_REQUEST, "audio before 'opened'")
        if len(data) > self.call.services.settings.max_frame_bytes:
            raise ProtocolError(CloseCode.FRAME_TOO_LARGE, f"audio frame of {len(data)} bytes is too large")
        if len(data) % self.channels:
            raise ProtocolError(
                CloseCode.BAD_REQUEST,
                f"audio frame of {len(data)} bytes is not whole {self.channels}-channel PCMU samples",
            )
        if not self.probe and not self.paused:
            await self.call.feed(data)

    async def control(self, message: AudioHookMessage) -> bool:
        """Handle one control message; True when the session is over."""
        kind, parameters = message.type, message.parameters
        store = self.call.services.store
        if kind == "ping":
            await self.send("pong")
        elif kind == "update":
            await self.send("updated")
        elif kind == "paused":
            self.paused = True
            if not self.probe:
                await store.announce(self.agent_id, AudioPaused(call_id=self.call_id))
        elif kind == "resumed":
            self.paused = False
            resumed = parse(AudioHookResumed, parameters, "resumed.parameters")
            gap = min(duration_s(resumed.discarded), MAX_DISCARDED_S - self.discarded_s)
            self.discarded_s += gap
            if not self.probe:
                await store.announce(self.agent_id, AudioResumed(call_id=self.call_id, discarded_s=gap))
                await self._silence(gap)  # keep the call's clock true
        elif kind == "discarded":
            log.info("audiohook_discarded", position=message.position)
        elif kind == "error":
            error = parse(AudioHookError, parameters, "error.parameters")
            log.warning("audiohook_client_error", code=error.code, message=error.message[:200])
            if not self.probe:
                reported = IngestError(call_id=self.call_id, code=error.code, message=error.message[:200])
                await store.announce(self.agent_id, reported)
        elif kind == "close":
            await self.call.finish("stop")
            await self.send("closed")
            return True
        elif kind == "open":
            raise ProtocolError(CloseCode.BAD_REQUEST, "'open' was already received for this session")
        else:
            raise ProtocolError(CloseCode.BAD_REQUEST, f"unknown message type {kind!r}")
        return False


async def _reply_error(session: AudioHookSession, websocket: WebSocket, error: ProtocolError) -> None:
    """AudioHook's way to refuse: a `disconnect` message, then the close frame."""
    if error.code in (CloseCode.UNAUTHENTICATED, CloseCode.FORBIDDEN):
        reason = "unauthorized"
    else:
        reason = "completed" if error.code is CloseCode.GOING_AWAY else "error"
    try:
        await session.send("disconnect", {"reason": reason, "info": error.message})
        await websocket.close(error.code, error.reason)
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass


async def handle_audiohook(websocket: WebSocket) -> None:
    holder: dict[str, AudioHookSession] = {}

    async def body(call: IngestCall) -> None:
        holder["session"] = AudioHookSession(call)
        await holder["session"].run()
        with contextlib.suppress(RuntimeError, OSError):
            await websocket.close(CloseCode.NORMAL, "closed")

    async def on_error(ws: WebSocket, error: ProtocolError) -> None:
        await _reply_error(holder["session"], ws, error)

    await run_ingest(websocket, "audiohook", body, on_error)
