"""The typed inbound messages: shapes accepted, failures named by field with the right close code."""

import base64
import json
import math

import pytest

from server.errors import CloseCode, ProtocolError
from server.ingest.messages import (
    MAX_METADATA_BYTES,
    AudioHookOpen,
    TwilioMedia,
    TwilioStart,
    checked_metadata,
    finite_json,
    json_object,
    parse,
)

TWILIO_START = {
    "callSid": "CA01",
    "streamSid": "MZ01",
    "tracks": ["inbound", "outbound"],
    "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1},
    "customParameters": {"agent_id": "a-1", "tags": "vip"},
    "somethingNew": True,
}


def test_twilio_start_keeps_known_fields_and_ignores_new_ones() -> None:
    start = parse(TwilioStart, TWILIO_START, "start")
    assert start.callSid == "CA01" and start.mediaFormat.sampleRate == 8000
    assert start.customParameters["tags"] == "vip" and not hasattr(start, "somethingNew")


def test_twilio_start_without_media_format_is_unsupported_media() -> None:
    body = {k: v for k, v in TWILIO_START.items() if k != "mediaFormat"}
    with pytest.raises(ProtocolError) as error:
        parse(TwilioStart, body, "start", frozenset({"mediaFormat"}))
    assert error.value.code is CloseCode.UNSUPPORTED_MEDIA and "start.mediaFormat" in error.value.message


def test_twilio_custom_parameters_are_capped() -> None:
    body = {**TWILIO_START, "customParameters": {"note": "x" * (MAX_METADATA_BYTES + 1)}}
    with pytest.raises(ProtocolError) as error:
        parse(TwilioStart, body, "start")
    assert error.value.code is CloseCode.BAD_REQUEST and "start.customParameters" in error.value.message


def test_twilio_media_decodes_base64_and_string_timestamps() -> None:
    media = parse(
        TwilioMedia,
        {"track": "inbound", "timestamp": "40", "payload": base64.b64encode(b"\xff\x7f").decode()},
        "media",
    )
    assert media.timestamp == 40 and media.payload == b"\xff\x7f"
    for bad in ({"timestamp": "-5"}, {"payload": "%%%"}, {"payload": 7}):
        with pytest.raises(ProtocolError):
            parse(TwilioMedia, {"track": "inbound", "timestamp": "0", "payload": "", **bad}, "media")


def test_audiohook_open_metadata_is_checked() -> None:
    ok = parse(
        AudioHookOpen, {"conversationId": "c-1", "participant": {"ani": "tel:+8210"}}, "open.parameters"
    )
    assert ok.participant == {"ani": "tel:+8210"} and ok.media == []
    with pytest.raises(ProtocolError) as error:
        parse(AudioHookOpen, {"customConfig": {"x": math.inf}}, "open.parameters")
    assert "finite" in error.value.message


@pytest.mark.parametrize(
    "text", ['{"a": NaN}', '{"a": Infinity}', '{"a": -Infinity}', '{"a": 1e999}', '{"a": [2E+400]}']
)
def test_non_finite_numbers_are_not_json(text: str) -> None:
    with pytest.raises(ValueError):
        finite_json(text)
    with pytest.raises(ProtocolError) as error:
        json_object(text, "test")
    assert error.value.code is CloseCode.BAD_REQUEST


def test_finite_numbers_pass() -> None:
    assert finite_json('{"a": 1.5e300, "b": -2, "c": 0.0}') == {"a": 1.5e300, "b": -2, "c": 0.0}
    assert checked_metadata({"a": 1.0}) == {"a": 1.0}
    with pytest.raises(ValueError):
        checked_metadata({"a": math.nan})


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, {"deep": [1, math.inf]}])
def test_webrtc_offer_metadata_must_be_finite(value: object) -> None:
    from pydantic import ValidationError

    from server.ingest.messages import WebRtcOffer

    with pytest.raises(ValidationError, match="finite"):
        WebRtcOffer.model_validate(
            {"sdp": "v=0", "type": "offer", "track_roles": ["agent"], "metadata": {"x": value}}
        )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deep"),
        ('{"a": "\\ud800"}', "lone surrogate"),
        ('{"a": "\\uDFFF x"}', "lone surrogate"),
    ],
)
def test_hostile_json_is_a_clear_error(text: str, fragment: str) -> None:
    with pytest.raises(ProtocolError) as error:
        json_object(text, "test")
    assert error.value.code is CloseCode.BAD_REQUEST and fragment in error.value.message


def test_a_surrogate_pair_is_a_character() -> None:
    assert json_object('{"a": "\\ud83d\\ude00"}', "test") == {"a": "😀"}


def test_metadata_depth_is_capped() -> None:
    checked_metadata({"a": [[[1]]]})
    with pytest.raises(ValueError, match="nested at most"):
        checked_metadata({"a": json.loads("[" * 40 + "]" * 40)})
