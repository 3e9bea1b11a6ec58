import pytest
from pydantic import ValidationError
from starlette.requests import Request

from server.audit import key_id
from server.auth import KeyRing, Principal, Role, presented_key
from server.errors import CloseCode, ProtocolError
from server.settings import Settings


def test_keys_parse_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLASSIST_INGEST_KEYS", "i1, i2")
    monkeypatch.setenv("CALLASSIST_AGENT_KEYS", "agent-7:k7,agent-8:k8")
    monkeypatch.setenv("CALLASSIST_SUPERVISOR_KEYS", "s1")
    settings = Settings(_env_file=None)
    assert settings.ingest_keys == ["i1", "i2"]
    assert settings.agent_keys == {"k7": "agent-7", "k8": "agent-8"}
    assert settings.supervisor_keys == ["s1"]


def test_malformed_agent_keys_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLASSIST_AGENT_KEYS", "just-a-key")
    with pytest.raises(ValidationError, match="AGENT_ID:KEY"):
        Settings(_env_file=None)


def _request(headers: dict[str, str] | None = None, query: str = "") -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    return Request({"type": "http", "headers": raw, "query_string": query.encode(), "path": "/"})


def test_key_sources() -> None:
    assert presented_key(_request({"Authorization": "Bearer abc"})) == "abc"
    assert presented_key(_request({"X-API-Key": "def"})) == "def"
    assert presented_key(_request(query="key=ghi")) == "ghi"
    assert presented_key(_request()) is None


def test_keyring_roles_and_agent_scope() -> None:
    ring = KeyRing(
        Settings(_env_file=None, ingest_keys=["i"], agent_keys={"a": "agent-1"}, supervisor_keys=["s"])
    )
    assert ring.identify("i") == Principal(Role.INGEST, key_id=key_id("i"))
    agent = ring.identify("a")
    assert agent == Principal(Role.AGENT, "agent-1", key_id("a"))
    assert key_id("a") != key_id("i") and len(key_id("a")) == 14  # a digest, not the key
    assert agent.can_view_call({"agent_id": "agent-1"}) and not agent.can_view_call({"agent_id": "agent-2"})
    assert ring.identify("s").can_view_call({"agent_id": "anyone"})  # type: ignore[union-attr]
    assert ring.identify("nope") is None and ring.identify("") is None
    with pytest.raises(ProtocolError) as denied:
        ring.require(_request({"X-API-Key": "a"}), Role.INGEST)
    assert denied.value.code is CloseCode.FORBIDDEN
    with pytest.raises(ProtocolError) as unknown:
        ring.require(_request({"X-API-Key": "zzz"}), Role.INGEST)
    assert unknown.value.code is CloseCode.UNAUTHENTICATED


def test_close_reason_is_cut_to_the_protocol_limit() -> None:
    error = ProtocolError(CloseCode.BAD_REQUEST, "통화" * 100)
    assert len(error.reason.encode()) <= 123
    assert error.to_message()["message"] == "통화" * 100


def test_logs_never_carry_keys() -> None:
    from server.logging import redact_secrets

    event = {
        "event": "< authorization: Bearer ca_ing_secret",
        "url": "ws://h/v1/calls/c/events?key=ca_sup_secret&last_event_id=1-0",
        "other": "x-api-key: abc123",
        "n": 3,
    }
    out = redact_secrets(None, "info", dict(event))
    assert "secret" not in str(out) and "abc123" not in str(out)
    assert out["url"].endswith("?key=[redacted]&last_event_id=1-0") and out["n"] == 3


def test_forwarded_addresses_are_believed_only_from_named_proxies() -> None:
    from fastapi import FastAPI

    from server.runner import uvicorn_config

    plain = uvicorn_config(FastAPI(), Settings(_env_file=None), "127.0.0.1", 0)
    assert plain.proxy_headers is False
    behind = Settings(_env_file=None, trusted_proxies="10.0.0.5, 192.168.0.0/24")  # type: ignore[arg-type]
    config = uvicorn_config(FastAPI(), behind, "127.0.0.1", 0)
    assert config.proxy_headers is True and config.forwarded_allow_ips == "10.0.0.5,192.168.0.0/24"
    with pytest.raises(ValueError, match="not an IP address"):
        Settings(_env_file=None, trusted_proxies="proxy.example")  # type: ignore[arg-type]


def test_metrics_are_open_to_loopback_and_named_networks_only() -> None:
    plain = Settings(_env_file=None)
    assert plain.metrics_open_to("127.0.0.1") and plain.metrics_open_to("::1")
    assert not plain.metrics_open_to("10.1.2.3") and not plain.metrics_open_to("testclient")
    cluster = Settings(_env_file=None, metrics_networks="10.0.0.0/8")  # type: ignore[arg-type]
    assert cluster.metrics_open_to("10.1.2.3") and not cluster.metrics_open_to("192.168.1.1")
    with pytest.raises(ValueError, match="metrics_networks"):
        Settings(_env_file=None, metrics_networks="pods")  # type: ignore[arg-type]


def test_end_of_turn_silences_are_checked_against_the_hangover(monkeypatch: pytest.MonkeyPatch) -> None:
    from server.recognizer import segmenter_config

    settings = Settings()
    config = segmenter_config(settings, recognizing=True)
    assert (config.complete_hangover_ms, config.incomplete_hangover_ms) == (160, 800)
    assert segmenter_config(settings, recognizing=False).complete_hangover_ms == 0
    off = segmenter_config(Settings(asr_speculative_ms=0), recognizing=True)
    assert off.complete_hangover_ms == 0 and off.speculative_ms == 0
    script = segmenter_config(Settings(asr_model="script:/tmp/x"), recognizing=True)
    assert script.complete_hangover_ms == 0 and script.speculative_ms == 64  # a line is no sentence end
    assert Settings(vad_end_complete_ms=0).vad_end_complete_ms == 0  # off
    with pytest.raises(ValidationError, match="outside asr_speculative_ms"):
        Settings(vad_end_complete_ms=600)
    with pytest.raises(ValidationError, match="shorter than vad_hangover_ms"):
        Settings(vad_end_incomplete_ms=300)
    monkeypatch.setenv("CALLASSIST_VAD_END_COMPLETE_MS", "50")  # under the speculative 64 ms
    with pytest.raises(ValidationError, match="outside"):
        Settings()
