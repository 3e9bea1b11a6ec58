"""Checking that a telephony connection comes from who it says, when the deployment has the secret.

Twilio signs every request it makes, the Media Streams websocket upgrade included: header
`X-Twilio-Signature` = base64(HMAC-SHA1(auth token, the URL as Twilio requested it)) (for a GET,
no body parameters are appended). The URL is the `<Stream url>`; behind a proxy the scheme seen
here may differ from Twilio's, so both `ws://` and `wss://` forms of this host and path are tried.

Genesys AudioHook signs the upgrade with HTTP Message Signatures (RFC 9421), HMAC-SHA256 keyed by
the integration's client secret (base64): `Signature-Input: sig1=("@request-target" "@authority"
"audiohook-organization-id" "audiohook-session-id" "audiohook-correlation-id" "x-api-key");
keyid=…;nonce=…;alg="hmac-sha256";created=…;expires=…` and `Signature: sig1=:BASE64:`. The
signature base is one `"name": value` line per covered component, then `"@signature-params": `
and the inner list with its parameters, as sent. `created`/`expires` are checked against the clock
(with a minute of skew allowed)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import time
from collections.abc import Mapping

from starlette.requests import HTTPConnection

SKEW_S = 60.0
_INPUT = re.compile(r'^\s*([A-Za-z0-9_-]+)=(\(([^)]*)\)((?:;[^;=]+=(?:"[^"]*"|[0-9]+))*))\s*$')
_PARAM = re.compile(r';([^;=]+)=("[^"]*"|[0-9]+)')
_SIGNATURE = re.compile(r"^\s*([A-Za-z0-9_-]+)=:([A-Za-z0-9+/=]+):\s*$")


def twilio_signature_ok(auth_token: str, conn: HTTPConnection) -> bool:
    presented = conn.headers.get("x-twilio-signature", "")
    if not presented:
        return False
    target = conn.url.path + (f"?{conn.url.query}" if conn.url.query else "")
    host = conn.headers.get("host", "")
    for scheme in ("wss", "ws", "https", "http"):
        digest = hmac.new(auth_token.encode(), f"{scheme}://{host}{target}".encode(), hashlib.sha1).digest()
        if hmac.compare_digest(base64.b64encode(digest).decode(), presented):
            return True
    return False


def audiohook_signature_ok(client_secret_b64: str, conn: HTTPConnection, now: float | None = None) -> bool:
    signature_input = conn.headers.get("signature-input", "")
    signature = conn.headers.get("signature", "")
    parsed_input, parsed_signature = _INPUT.match(signature_input), _SIGNATURE.match(signature)
    if parsed_input is None or parsed_signature is None or parsed_input.group(1) != parsed_signature.group(1):
        return False
    params = {name.strip(): value.strip('"') for name, value in _PARAM.findall(parsed_input.group(4))}
    if params.get("alg", "hmac-sha256") != "hmac-sha256":
        return False
    now = time.time() if now is None else now
    try:
        if "created" in params and int(params["created"]) > now + SKEW_S:
            return False
        if "expires" in params and int(params["expires"]) < now - SKEW_S:
            return False
        secret = base64.b64decode(client_secret_b64, validate=True)
        presented = base64.b64decode(parsed_signature.group(2), validate=True)
    except (ValueError, binascii.Error):
        return False
    base = signature_base(conn, parsed_input.group(3).split(), parsed_input.group(2))
    if base is None:
        return False
    expected = hmac.new(secret, base.encode(), hashlib.sha256).digest()
    return hmac.compare_digest(expected, presented)


def signature_base(conn: HTTPConnection, components: list[str], signature_params: str) -> str | None:
    """RFC 9421's signature base, or None when a covered component is missing."""
    lines = []
    for quoted in components:
        name = quoted.strip('"').lower()
        value = _component(conn, name, conn.headers)
        if value is None:
            return None
        lines.append(f'"{name}": {value}')
    lines.append(f'"@signature-params": {signature_params}')
    return "\n".join(lines)


def _component(conn: HTTPConnection, name: str, headers: Mapping[str, str]) -> str | None:
    if name == "@request-target":
        return conn.url.path + (f"?{conn.url.query}" if conn.url.query else "")
    if name == "@authority":
        return headers.get("host", "").lower()
    if name == "@method":
        return "GET"
    if name == "@path":
        return conn.url.path
    if name.startswith("@"):
        return None
    value = headers.get(name)
    return None if value is None else value.strip()
