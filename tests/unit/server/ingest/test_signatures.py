"""Twilio's request signature and AudioHook's HTTP message signature (RFC 9421, HMAC-SHA256),
computed here the way their documentation describes, accepted when right and refused when the
secret, the covered headers or the time window are wrong."""

from __future__ import annotations

import base64
import hashlib
import hmac

from starlette.requests import HTTPConnection

from server.ingest.signatures import audiohook_signature_ok, twilio_signature_ok

SECRET = base64.b64encode(b"audiohook-client-secret-0123456789").decode()
NOW = 1_764_480_000


def connection(path: str, headers: dict[str, str], query: str = "") -> HTTPConnection:
    scope = {
        "type": "websocket", "path": path, "query_string": query.encode(), "scheme": "wss",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()], "server": ("ca.example.com", 443),
    }  # fmt: skip
    return HTTPConnection(scope)


def twilio_signature(token: str, url: str) -> str:
    return base64.b64encode(hmac.new(token.encode(), url.encode(), hashlib.sha1).digest()).decode()


def test_twilio_signature() -> None:
    good = twilio_signature("tok", "wss://ca.example.com/v1/twilio/media")
    assert twilio_signature_ok(
        "tok", connection("/v1/twilio/media", {"host": "ca.example.com", "x-twilio-signature": good})
    )
    assert not twilio_signature_ok(
        "other", connection("/v1/twilio/media", {"host": "ca.example.com", "x-twilio-signature": good})
    )
    assert not twilio_signature_ok(
        "tok", connection("/v1/twilio/media", {"host": "evil.example.com", "x-twilio-signature": good})
    )
    assert not twilio_signature_ok("tok", connection("/v1/twilio/media", {"host": "ca.example.com"}))


COVERED = '("@request-target" "@authority" "audiohook-organization-id" "audiohook-session-id" "audiohook-correlation-id" "x-api-key")'


def audiohook_headers(
    secret: str = SECRET, created: int = NOW, expires: int = NOW + 300, **override: str
) -> dict[str, str]:
    headers = {
        "host": "ca.example.com",
        "audiohook-organization-id": "d7934305-0972-4844-938e-9060eef73d05",
        "audiohook-session-id": "e160e428-53e2-487c-977d-96989bf5c99d",
        "audiohook-correlation-id": "30b0e395-84d3-4570-ac13-9a62d8f514c0",
        "x-api-key": "ingest-key",
    }
    params = f'{COVERED};keyid="SGVsbG8";nonce="VGhpc0lzQU5vbmNl";alg="hmac-sha256";created={created};expires={expires}'
    base = "\n".join([
        '"@request-target": /v1/audiohook',
        '"@authority": ca.example.com',
        f'"audiohook-organization-id": {headers["audiohook-organization-id"]}',
        f'"audiohook-session-id": {headers["audiohook-session-id"]}',
        f'"audiohook-correlation-id": {headers["audiohook-correlation-id"]}',
        f'"x-api-key": {headers["x-api-key"]}',
        f'"@signature-params": {params}',
    ])  # fmt: skip
    digest = hmac.new(base64.b64decode(secret), base.encode(), hashlib.sha256).digest()
    signed = {
        **headers,
        "signature-input": f"sig1={params}",
        "signature": f"sig1=:{base64.b64encode(digest).decode()}:",
    }
    return {**signed, **override}


def test_audiohook_signature() -> None:
    assert audiohook_signature_ok(SECRET, connection("/v1/audiohook", audiohook_headers()), now=NOW + 1)
    other = base64.b64encode(b"another secret").decode()
    assert not audiohook_signature_ok(
        SECRET, connection("/v1/audiohook", audiohook_headers(secret=other)), now=NOW
    )
    tampered = audiohook_headers(**{"x-api-key": "stolen-key"})
    assert not audiohook_signature_ok(SECRET, connection("/v1/audiohook", tampered), now=NOW)
    assert not audiohook_signature_ok(
        SECRET, connection("/v1/audiohook", audiohook_headers()), now=NOW + 3600
    )
    assert not audiohook_signature_ok(
        SECRET, connection("/v1/audiohook", {"host": "ca.example.com"}), now=NOW
    )
    garbage = audiohook_headers(signature="sig1=:%%%:")
    assert not audiohook_signature_ok(SECRET, connection("/v1/audiohook", garbage), now=NOW)
