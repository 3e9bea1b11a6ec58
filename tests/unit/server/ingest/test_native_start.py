import pytest

from server.errors import CloseCode, ProtocolError
from server.ingest.native import parse_start
from tests.live_server import start_message


def start(**overrides: object) -> str:
    """A phone-line start message (μ-law, 8 kHz, stereo) with `overrides`; None removes a field."""
    return start_message(**{"encoding": "mulaw", "sample_rate": 8000, **overrides})


def test_valid_start() -> None:
    message = parse_start(start(metadata={"queue": "billing"}))
    assert message.format.frame_bytes == 2 and message.metadata == {"queue": "billing"}


@pytest.mark.parametrize(
    ("overrides", "code", "fragment"),
    [
        ({"encoding": "opus"}, CloseCode.UNSUPPORTED_MEDIA, "start.encoding"),
        ({"sample_rate": 22050}, CloseCode.UNSUPPORTED_MEDIA, "start.sample_rate"),
        ({"channels": 3}, CloseCode.UNSUPPORTED_MEDIA, "start.channels"),
        ({"channel_roles": ["customer"]}, CloseCode.UNSUPPORTED_MEDIA, "one role per channel"),
        ({"channel_roles": ["customer", "robot"]}, CloseCode.UNSUPPORTED_MEDIA, "start.channel_roles"),
        ({"channel_roles": ["agent", "agent"]}, CloseCode.UNSUPPORTED_MEDIA, "repeat"),
        ({"agent_id": None}, CloseCode.BAD_REQUEST, "start.agent_id"),
        ({"agent_id": "a b"}, CloseCode.BAD_REQUEST, "start.agent_id"),
        ({"surprise": 1}, CloseCode.BAD_REQUEST, "start.surprise"),
        ({"metadata": {"x": "y" * 9000}}, CloseCode.BAD_REQUEST, "start.metadata"),
        ({"type": "stop"}, CloseCode.BAD_REQUEST, "expected a start message"),
    ],
)
def test_invalid_start(overrides: dict[str, object], code: CloseCode, fragment: str) -> None:
    with pytest.raises(ProtocolError) as error:
        parse_start(start(**overrides))
    assert error.value.code is code
    assert fragment in error.value.message


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", ""])
def test_non_object_json(text: str) -> None:
    with pytest.raises(ProtocolError) as error:
        parse_start(text)
    assert error.value.code is CloseCode.BAD_REQUEST


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "-1e400"])
def test_non_finite_metadata_is_refused(number: str) -> None:
    text = start(metadata={"score": 0}).replace('"score": 0', f'"score": {number}')
    assert number in text
    with pytest.raises(ProtocolError) as error:
        parse_start(text)
    assert error.value.code is CloseCode.BAD_REQUEST and "invalid JSON" in error.value.message
