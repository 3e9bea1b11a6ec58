"""API keys per role. Keys come from settings; each request or socket presents one as
`Authorization: Bearer KEY`, `X-API-Key: KEY`, or `?key=KEY` (browsers cannot set headers on
websockets). Keys are compared in constant time. A client address that presents
`auth_failures_per_minute` wrong keys within a minute has its further wrong keys refused (429 /
close 1008) until the minute is over; a right key is never refused, whoever shares the address
(the throttle counts failed attempts, it does not lock an address). The address is the socket's
peer, or what a proxy listed in `CALLASSIST_TRUSTED_PROXIES` forwarded (server/runner.py); every
failure is logged with the address, never with the key."""

from __future__ import annotations

import hmac
import secrets
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import structlog
from starlette.requests import HTTPConnection

from server.audit import key_id
from server.errors import CloseCode, ProtocolError
from server.settings import Settings

log = structlog.get_logger(__name__)
FAILURE_WINDOW_S = 60.0
TRACKED_ADDRESSES = 10_000  # the oldest are forgotten first: memory stays bounded under a flood


class FailureThrottle:
    """Wrong keys per client address within the last minute."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def locked(self, address: str) -> float:
        """Seconds until `address` may try again (0: it may now)."""
        failures = self._failures.get(address)
        if failures is None or len(failures) < self.limit:
            return 0.0
        return max(0.0, failures[0] + FAILURE_WINDOW_S - time.monotonic())

    def failed(self, address: str) -> None:
        failures = self._failures.pop(address, None) or deque(maxlen=self.limit)
        failures.append(time.monotonic())
        self._failures[address] = failures
        while len(self._failures) > TRACKED_ADDRESSES:
            self._failures.popitem(last=False)


class Role(StrEnum):
    INGEST = "ingest"
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    AUDITOR = "auditor"  # reads the access log, nothing else


@dataclass(frozen=True)
class Principal:
    role: Role
    agent_id: str | None = None  # set for agent keys
    key_id: str = ""  # a digest of the key, for the access log (server/audit.py)

    def can_view_agent(self, agent_id: str) -> bool:
        return self.role is Role.SUPERVISOR or (self.role is Role.AGENT and self.agent_id == agent_id)

    def can_view_call(self, call: dict[str, Any]) -> bool:
        """Its agent, an agent it was transferred away from (for their wrap-up), or a supervisor."""
        previous = call.get("previous_agents") or []
        return self.can_view_agent(str(call.get("agent_id", ""))) or (
            self.role is Role.AGENT and self.agent_id in previous
        )


class KeyRing:
    def __init__(self, settings: Settings) -> None:
        self.throttle = FailureThrottle(settings.auth_failures_per_minute)
        self._keys: list[tuple[bytes, Principal]] = [
            *((k.encode(), Principal(Role.INGEST, key_id=key_id(k))) for k in settings.ingest_keys),
            *(
                (k.encode(), Principal(Role.AGENT, agent_id, key_id(k)))
                for k, agent_id in settings.agent_keys.items()
            ),
            *((k.encode(), Principal(Role.SUPERVISOR, key_id=key_id(k))) for k in settings.supervisor_keys),
            *((k.encode(), Principal(Role.AUDITOR, key_id=key_id(k))) for k in settings.auditor_keys),
        ]

    @property
    def empty(self) -> bool:
        return not self._keys

    def identify(self, key: str | None) -> Principal | None:
        if not key:
            return None
        candidate = key.encode()
        found: Principal | None = None
        for known, principal in self._keys:  # no early exit: time does not depend on which key matched
            if hmac.compare_digest(known, candidate):
                found = principal
        return found

    def authenticate(self, conn: HTTPConnection, key: str | None, where: str = "") -> Principal:
        """The principal of `key`, presented on `conn`; ProtocolError otherwise: 1008 when the
        client's address has used up its wrong keys for the minute, else 4401. A right key always
        passes: others' wrong keys from the same address never lock its owner out."""
        principal = self.identify(key)
        if principal is not None:
            return principal
        address = conn.client.host if conn.client else "unknown"
        wait_s = self.throttle.locked(address)
        if wait_s:
            raise ProtocolError(
                CloseCode.POLICY_VIOLATION,
                f"too many wrong keys from this address; try again in {wait_s:.0f} s",
            )
        if principal is None:
            self.throttle.failed(address)
            log.warning("auth_failed", client=address, path=conn.url.path, presented=bool(key))
            raise ProtocolError(CloseCode.UNAUTHENTICATED, f"missing or unknown API key{where}")
        return principal

    def require(self, conn: HTTPConnection, *roles: Role) -> Principal:
        """The caller's principal if it has one of `roles`; ProtocolError otherwise."""
        principal = self.authenticate(conn, presented_key(conn))
        if principal.role not in roles:
            wanted = " or ".join(r.value for r in roles)
            raise ProtocolError(
                CloseCode.FORBIDDEN, f"this endpoint needs a {wanted} key, not a {principal.role} key"
            )
        return principal


def presented_key(conn: HTTPConnection) -> str | None:
    auth = conn.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return conn.headers.get("x-api-key") or conn.query_params.get("key")


def generate_key(role: Role) -> str:
    return f"ca_{role.value[:3]}_{secrets.token_urlsafe(24)}"
