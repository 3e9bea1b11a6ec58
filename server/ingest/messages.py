"""What telephony clients send the ingest edge, as typed models (docs/protocols.md, tables generated
from here by `message_tables()`).

Three protocols: the native one (`start`, binary audio, `stop`), Twilio Media Streams (`connected`,
`start`, `media`, `dtmf`, `mark`, `stop`) and Genesys AudioHook v2 (an envelope with `type`,
`seq`, `serverseq`, `parameters`; `open` carries the media offer). Models check shape and types;
the handlers check what depends on settings (track roles, channel names) and on the session
(sequence numbers). `parse()` turns a validation failure into a `ProtocolError` with close code
4400 (or 4415 for media fields) and a reason naming the field.

Metadata that a client attaches to a call (native `metadata`, Twilio custom parameters, AudioHook
participant and custom config) is capped at `MAX_METADATA_BYTES` of JSON and may hold only finite
numbers: `NaN` and `1e999` cannot be exported or sent to a browser.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from agent.audio.codecs import SUPPORTED_SAMPLE_RATES, AudioFormat, Encoding
from agent.events import Role
from server.errors import CloseCode, ProtocolError

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
ID_RE = re.compile(ID_PATTERN)
MAX_METADATA_BYTES = 8192
MAX_METADATA_DEPTH = 16
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")

Message = TypeVar("Message", bound=BaseModel)


def _depth(value: Any, limit: int) -> int:
    """Nesting depth of a JSON value, counted without recursion, up to limit + 1."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth > limit:
                return depth
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def checked_metadata(value: Any) -> Any:
    """`value` if it is at most MAX_METADATA_BYTES of JSON, MAX_METADATA_DEPTH deep, with finite
    numbers and valid Unicode only; else ValueError saying which."""
    if _depth(value, MAX_METADATA_DEPTH) > MAX_METADATA_DEPTH:
        raise ValueError(f"must be nested at most {MAX_METADATA_DEPTH} deep")
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except ValueError:
        raise ValueError("numbers must be finite (no NaN or Infinity)") from None
    try:
        size = len(text.encode())
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from None
    if size > MAX_METADATA_BYTES:
        raise ValueError(f"must be at most {MAX_METADATA_BYTES} bytes of JSON")
    return value


def finite_json(text: str) -> Any:
    """json.loads that refuses NaN/Infinity literals and numbers too large for a float (ValueError)."""

    def refuse(literal: str) -> float:
        raise ValueError(f"{literal} is not a JSON number")

    def parse_float(literal: str) -> float:
        number = float(literal)
        if not math.isfinite(number):
            raise ValueError(f"{literal[:20]} is out of range")
        return number

    def parse_int(literal: str) -> int:
        if len(literal) > 300:  # a browser reads it as Infinity
            raise ValueError(f"{literal[:20]}… is out of range")
        return int(literal)

    return json.loads(text, parse_constant=refuse, parse_float=parse_float, parse_int=parse_int)


def json_object(text: str | None, what: str) -> dict[str, Any]:
    """One JSON text message as an object, or a ProtocolError 4400 that says what was wrong."""
    if text is None:
        raise ProtocolError(CloseCode.BAD_REQUEST, f"{what} messages are JSON text, not binary")
    if _SURROGATE_ESCAPE.search(text) and not _encodable(text):
        raise ProtocolError(
            CloseCode.BAD_REQUEST, "invalid JSON: a \\u escape is a lone surrogate, not a character"
        )
    try:
        message = finite_json(text)
    except json.JSONDecodeError as exc:
        raise ProtocolError(CloseCode.BAD_REQUEST, f"invalid JSON: {exc.msg} at position {exc.pos}") from None
    except ValueError as exc:
        raise ProtocolError(CloseCode.BAD_REQUEST, f"invalid JSON: {exc}") from None
    except RecursionError:
        raise ProtocolError(CloseCode.BAD_REQUEST, "invalid JSON: nested too deep") from None
    if not isinstance(message, dict):
        raise ProtocolError(CloseCode.BAD_REQUEST, f"{what} messages are JSON objects")
    return message


def _encodable(text: str) -> bool:
    try:
        json.dumps(json.loads(text), ensure_ascii=False).encode()
    except (ValueError, RecursionError):
        return False
    return True


def parse(
    model: type[Message],
    data: Any,
    where: str,
    media_fields: frozenset[str] = frozenset(),
    reason: str | None = None,
) -> Message:
    """`model` validated from `data`; a failure is a ProtocolError naming `where.field`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = [str(part) for part in error["loc"]]
        code = CloseCode.UNSUPPORTED_MEDIA if loc and loc[0] in media_fields else CloseCode.BAD_REQUEST
        raise ProtocolError(code, reason or f"{'.'.join([where, *loc])}: {error['msg']}") from None


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


# ---- native -----------------------------------------------------------------------------------


class NativeStart(_Message):
    """First message of `GET /v1/calls/{call_id}/audio`: who, what audio, what metadata."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["start"]
    agent_id: str = Field(pattern=ID_PATTERN, description="The agent taking the call.")
    encoding: Encoding = Field(description="`pcm_s16le` or `mulaw`.")
    sample_rate: int = Field(description=f"One of {', '.join(map(str, SUPPORTED_SAMPLE_RATES))} Hz.")
    channels: int = Field(ge=1, le=2, description="1 or 2, interleaved.")
    channel_roles: list[Role] = Field(description='One role per channel, e.g. `["customer", "agent"]`.')
    metadata: dict[str, Any] = Field(
        default_factory=dict, description=f"Kept with the call (redacted), ≤ {MAX_METADATA_BYTES} bytes."
    )

    @field_validator("sample_rate")
    @classmethod
    def _rate(cls, value: int) -> int:
        if value not in SUPPORTED_SAMPLE_RATES:
            raise ValueError(f"must be one of {', '.join(map(str, SUPPORTED_SAMPLE_RATES))}")
        return value

    @field_validator("metadata")
    @classmethod
    def _metadata(cls, value: dict[str, Any]) -> dict[str, Any]:
        return checked_metadata(value)

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


class NativeControl(_Message):
    """Any later text message of the native protocol: `stop`, or `transfer` with `agent_id`."""

    type: str = Field(description="`stop` ends the call; `transfer` hands it to `agent_id`.")
    agent_id: str | None = Field(None, description="with `transfer`: the agent who takes the call")


NATIVE_MEDIA_FIELDS = frozenset({"encoding", "sample_rate", "channels", "channel_roles"})


# ---- Twilio Media Streams ---------------------------------------------------------------------


class TwilioMediaFormat(_Message):
    encoding: str = Field(description="Must be `audio/x-mulaw`.")
    sampleRate: int = Field(description="Must be 8000.")
    channels: int = Field(description="Must be 1 (each track is its own stream of chunks).")


class TwilioStart(_Message):
    """`start.start`: the call, its tracks and the `<Parameter>`s of the `<Stream>`."""

    callSid: str = Field(pattern=ID_PATTERN, description="Becomes the call id.")
    streamSid: str = Field(default="", description="Kept with the call.")
    accountSid: str = Field(default="", description="Kept with the call.")
    tracks: list[str] = Field(default_factory=lambda: ["inbound"], description="`inbound`, `outbound`.")
    mediaFormat: TwilioMediaFormat
    customParameters: dict[str, str] = Field(
        default_factory=dict,
        description="`key` (ingest key), `agent_id`, `tags` (comma-separated), others kept (redacted).",
    )

    @field_validator("customParameters")
    @classmethod
    def _parameters(cls, value: dict[str, str]) -> dict[str, str]:
        return checked_metadata(value)


MAX_TIMESTAMP_MS = 10 * 24 * 3600 * 1000  # ten days: no call stream runs longer


class TwilioMedia(_Message):
    """`media.media`: one track's chunk of μ-law audio."""

    track: str = Field(description="Which track the chunk belongs to.")
    timestamp: int = Field(
        ge=0,
        le=MAX_TIMESTAMP_MS,
        description="Milliseconds since the stream began (a string in Twilio's JSON).",
    )
    payload: bytes = Field(description="Base64 μ-law 8 kHz.")

    @field_validator("payload", mode="before")
    @classmethod
    def _base64(cls, value: Any) -> bytes:
        if not isinstance(value, str):
            raise ValueError("must be base64 text")
        try:
            return base64.b64decode(value, validate=True)
        except binascii.Error:
            raise ValueError("is not base64") from None


class TwilioDtmf(_Message):
    """`dtmf.dtmf`: a key was pressed. Only the side is kept, never the digit."""

    track: str = Field(default="", description="`inbound_track` or `outbound_track`.")


class TwilioMessage(_Message):
    """Every Twilio message: `event` and, under the event's own name, its body."""

    event: str = Field(description="`connected`, `start`, `media`, `dtmf`, `mark`, `stop`.")
    start: dict[str, Any] | None = None
    media: dict[str, Any] | None = None
    dtmf: dict[str, Any] | None = None
    mark: dict[str, Any] | None = None


# ---- Genesys AudioHook v2 ---------------------------------------------------------------------


class AudioHookMessage(_Message):
    """The envelope of every AudioHook control message."""

    version: str = Field(description='Always "2".')
    type: str = Field(
        description="`open`, `ping`, `update`, `paused`, `resumed`, `discarded`, `error`, `close`."
    )
    seq: int = Field(description="The client's own counter: 1, 2, 3 …")
    serverseq: int = Field(ge=0, description="The last `seq` the server sent.")
    id: str = Field(default="", description="The session id.")
    position: str = Field(default="PT0S", description="Stream position, e.g. `PT12.5S`.")
    parameters: dict[str, Any] = Field(default_factory=dict)


class AudioHookMedia(_Message):
    """One media offer in `open.parameters.media`; PCMU 8000 Hz with known channel names is used."""

    type: str = Field(description="`audio`.")
    format: str = Field(description="`PCMU`.")
    rate: int = Field(description="8000.")
    channels: list[str] = Field(min_length=1, max_length=2, description="`external`, `internal`.")


class AudioHookOpen(_Message):
    """`open.parameters`: the conversation, the media offers and the integration's custom config."""

    conversationId: str = Field(default="", description="Becomes the call id (all zeros: a probe).")
    organizationId: str = Field(default="", description="Kept with the call.")
    language: str | None = Field(default=None, description="Kept with the call.")
    participant: dict[str, Any] = Field(default_factory=dict, description="Kept with the call (redacted).")
    media: list[dict[str, Any]] = Field(default_factory=list, description="Offers; see the media row.")
    customConfig: dict[str, Any] = Field(
        default_factory=dict, description="`agent_id` and `tags` (a list of strings)."
    )

    @field_validator("participant", "customConfig")
    @classmethod
    def _metadata(cls, value: dict[str, Any]) -> dict[str, Any]:
        return checked_metadata(value)


class AudioHookResumed(_Message):
    discarded: str = Field(default="PT0S", description="Audio not sent while paused; becomes silence.")


class AudioHookError(_Message):
    code: int | str | None = None
    message: str = ""


# ---- WebRTC -----------------------------------------------------------------------------------


class WebRtcOffer(BaseModel):
    """Body of `POST /v1/calls/{call_id}/webrtc`."""

    sdp: str = Field(max_length=100_000, description="The SDP offer.")
    type: Literal["offer"] = Field(description="`offer`.")
    agent_id: str | None = Field(
        None, description="Needed with an ingest key; an agent key is its own agent."
    )
    track_roles: list[Role] = Field(
        min_length=1, max_length=2, description="Role of each audio track, in offer order."
    )
    metadata: dict[str, Any] = Field(
        default_factory=dict, description=f"Kept with the call (redacted), ≤ {MAX_METADATA_BYTES} bytes."
    )

    @field_validator("metadata")
    @classmethod
    def _metadata(cls, value: dict[str, Any]) -> dict[str, Any]:
        return checked_metadata(value)


# ---- documentation ----------------------------------------------------------------------------

DOCUMENTED: tuple[tuple[str, type[BaseModel]], ...] = (
    ("native `start`", NativeStart),
    ("Twilio message", TwilioMessage),
    ("Twilio `start.start`", TwilioStart),
    ("Twilio `start.start.mediaFormat`", TwilioMediaFormat),
    ("Twilio `media.media`", TwilioMedia),
    ("Twilio `dtmf.dtmf`", TwilioDtmf),
    ("AudioHook message", AudioHookMessage),
    ("AudioHook `open.parameters`", AudioHookOpen),
    ("AudioHook media offer", AudioHookMedia),
    ("WebRTC offer", WebRtcOffer),
)


def message_tables() -> str:
    """The Markdown table in docs/protocols.md ("Inbound messages"), generated from the models."""
    rows = ["| message | field | required | meaning |", "|---|---|---|---|"]
    for name, model in DOCUMENTED:
        for field, info in model.model_fields.items():
            if info.description is None:
                continue
            required = "yes" if info.is_required() else "no"
            rows.append(f"| {name} | `{field}` | {required} | {info.description} |")
    return "\n".join(rows)
