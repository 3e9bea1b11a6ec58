"""Twilio Media Streams: `GET /v1/twilio/media` (websocket; docs/protocols.md, "Twilio Media Streams").

Twilio sends JSON text messages: `connected`, `start` (call and stream ids, tracks, media format,
custom parameters), `media` (one track's base64 μ-law 8 kHz chunk with its `timestamp` in ms
since the stream began), `dtmf`, `mark`, `stop`. Each track becomes a channel of the call: by
default `inbound` (the caller) is the customer and `outbound` the agent
(`CALLASSIST_TWILIO_TRACK_ROLES`). Chunks are placed by timestamp, so duplicates are dropped and
gaps become silence (`agent/audio/tracks.py`).

Twilio's stream URL cannot carry a query string, so the ingest key and the agent come as
`<Parameter>`s of the `<Stream>`: `key` (unless the key is in a header) and `agent_id`; any other
parameters (for example `tags`, comma-separated) are kept with the call, redacted.
"""

from __future__ import annotations

from typing import Any

import structlog

from agent import metrics
from agent.audio.codecs import AudioFormat, Encoding
from agent.audio.tracks import TimestampGap, TrackAligner
from agent.events import Role
from agent.feed import Dtmf
from server.auth import Role as KeyRole
from server.auth import presented_key
from server.errors import CloseCode, ProtocolError
from server.ingest.lifecycle import IngestCall, receive, run_ingest
from server.ingest.messages import (
    ID_RE,
    TwilioDtmf,
    TwilioMedia,
    TwilioMessage,
    TwilioStart,
    json_object,
    parse,
)
from server.ingest.signatures import twilio_signature_ok

log = structlog.get_logger(__name__)

START_TIMEOUT_S = 10.0
MULAW_SILENCE = b"\xff"
TWILIO_RATE = 8000
SAMPLES_PER_MS = TWILIO_RATE // 1000


def _message(text: str | None) -> TwilioMessage:
    message = parse(TwilioMessage, json_object(text, "Twilio Media Streams"), "message")
    return message


async def handle_twilio(websocket: Any) -> None:
    await run_ingest(websocket, "twilio", _twilio_call)


async def _twilio_call(call: IngestCall) -> None:
    services, websocket = call.services, call.websocket
    settings = services.settings
    if settings.twilio_auth_token and not twilio_signature_ok(settings.twilio_auth_token, websocket):
        raise ProtocolError(CloseCode.UNAUTHENTICATED, "X-Twilio-Signature is missing or does not match")
    header_key = presented_key(websocket)
    body: dict[str, Any] | None = None
    while body is None:
        message = _message((await receive(websocket, START_TIMEOUT_S)).get("text"))
        if message.event == "connected":
            continue
        if message.event != "start":
            raise ProtocolError(CloseCode.BAD_REQUEST, f"expected 'start' before {message.event!r}")
        if message.start is None:
            raise ProtocolError(CloseCode.BAD_REQUEST, "start message without a 'start' object")
        body = message.start
    start = parse(TwilioStart, body, "start", frozenset({"mediaFormat", "tracks"}))
    params = start.customParameters
    principal = services.keys.authenticate(
        websocket, header_key or params.get("key", ""), ' (Stream <Parameter name="key">)'
    )
    if principal.role is not KeyRole.INGEST:
        raise ProtocolError(
            CloseCode.FORBIDDEN, f"this endpoint needs an ingest key, not a {principal.role} key"
        )
    media_format = start.mediaFormat
    if (media_format.encoding, media_format.sampleRate, media_format.channels) != (
        "audio/x-mulaw",
        TWILIO_RATE,
        1,
    ):
        raise ProtocolError(
            CloseCode.UNSUPPORTED_MEDIA,
            f"expected audio/x-mulaw, 8000 Hz, 1 channel; got {media_format.model_dump()}",
        )
    roles_by_track = settings.twilio_roles
    tracks = start.tracks
    if not tracks or any(t not in roles_by_track for t in tracks) or len(set(tracks)) != len(tracks):
        raise ProtocolError(
            CloseCode.UNSUPPORTED_MEDIA, f"tracks must be among {sorted(roles_by_track)}, got {tracks}"
        )
    call_id = start.callSid
    agent_id = params.get("agent_id", "")
    if not ID_RE.match(agent_id):
        raise ProtocolError(
            CloseCode.BAD_REQUEST, 'the Stream needs a <Parameter name="agent_id"> (letters, digits, . _ -)'
        )
    extra = {k: v for k, v in params.items() if k not in ("key", "agent_id")}
    tags = [t.strip() for t in extra.pop("tags", "").split(",") if t.strip()]
    metadata = {
        "source": "twilio",
        "twilio": {
            "callSid": call_id, "streamSid": start.streamSid, "accountSid": start.accountSid,
            "tracks": tracks, "parameters": extra,
        },
        "tags": tags,
    }  # fmt: skip
    roles = [roles_by_track[t] for t in tracks]
    if len(set(roles)) != len(roles):
        raise ProtocolError(CloseCode.UNSUPPORTED_MEDIA, "two tracks map to the same role")
    session = await call.open(
        call_id, agent_id, AudioFormat(Encoding.MULAW, TWILIO_RATE, len(tracks)), roles, metadata
    )
    aligner = TrackAligner(len(tracks), 1, MULAW_SILENCE, TWILIO_RATE, max_gap_s=settings.max_timestamp_gap_s)
    index = {track: i for i, track in enumerate(tracks)}

    while True:
        message = _message((await call.receive()).get("text"))
        event = message.event
        if event != "media":
            call.idle.active()
        if event == "media":
            track = (message.media or {}).get("track")
            if track not in index:
                raise ProtocolError(CloseCode.BAD_REQUEST, f"media for track {track!r}, not one of {tracks}")
            media = parse(
                TwilioMedia,
                message.media,
                "media",
                reason="media needs a base64 payload and a numeric timestamp",
            )
            if len(media.payload) > settings.max_frame_bytes:
                raise ProtocolError(
                    CloseCode.FRAME_TOO_LARGE, f"media payload of {len(media.payload)} bytes is too large"
                )
            if media.payload:
                call.idle.active()
            try:
                ready = aligner.push(index[track], media.timestamp * SAMPLES_PER_MS, media.payload)
            except TimestampGap as gap:
                raise ProtocolError(
                    CloseCode.BAD_REQUEST, f"media timestamp {media.timestamp}: {gap}"
                ) from None
            await call.feed(ready)
        elif event == "dtmf":
            # Digits pressed are often card numbers or PINs: only that a key was pressed is kept.
            dtmf = parse(TwilioDtmf, message.dtmf or {}, "dtmf")
            side = "inbound" if dtmf.track.startswith("inbound") else "outbound"
            role = roles_by_track.get(side, Role.CUSTOMER)
            await services.store.announce(agent_id, Dtmf(call_id=call_id, role=role.value))
        elif event == "mark":
            log.debug("twilio_mark", name=str((message.mark or {}).get("name", ""))[:64])
        elif event == "stop":
            break
        elif event in ("start", "connected"):
            raise ProtocolError(CloseCode.BAD_REQUEST, f"'{event}' was already received for this stream")
        else:
            raise ProtocolError(CloseCode.BAD_REQUEST, f"unknown Twilio event {event!r}")
    await call.feed(aligner.flush())
    _count(aligner, tracks)
    await call.finish("stop")
    log.info("twilio_stream_stopped", audio_seconds=round(session.received_seconds, 3))
    await websocket.close(CloseCode.NORMAL, "stream stopped")


def _count(aligner: TrackAligner, tracks: list[str]) -> None:
    for i, _ in enumerate(tracks):
        stats = aligner.stats(i)
        metrics.INGEST_CHUNKS.labels(protocol="twilio", outcome="duplicate").inc(stats.duplicates)
        metrics.INGEST_CHUNKS.labels(protocol="twilio", outcome="late").inc(stats.late)
        metrics.INGEST_FILLED_SECONDS.labels(protocol="twilio").inc(
            (stats.gap_samples + stats.lag_samples) / TWILIO_RATE
        )
