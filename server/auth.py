"""API keys per role. Keys come from settings; each request or socket presents one as
`Authorization: Bearer KEY`, `X-API-Key: KEY`, or `?key=KEY` (browsers cannot set headers on
websockets). Keys are compared in constant time."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from starlette.requests import HTTPConnection

from server.errors import CloseCode, ProtocolError
from server.settings import Settings


class Role(StrEnum):
    INGEST = "ingest"
    AGENT = "agent"
    SUPERVISOR = "supervisor"


@dataclass(frozen=True)
class Principal:
    role: Role
    agent_id: str | None = None  # set for agent keys

    def can_view_agent(self, agent_id: str) -> bool:
        return self.role is Role.SUPERVISOR or (self.role is Role.AGENT and self.agent_id == agent_id)

    def can_view_call(self, call: dict[str, Any]) -> bool:
        return self.can_view_agent(str(call.get("agent_id", "")))


class KeyRing:
    def __init__(self, settings: Settings) -> None:
        self._keys: list[tuple[bytes, Principal]] = [
            *((k.encode(), Principal(Role.INGEST)) for k in settings.ingest_keys),
            *((k.encode(), Principal(Role.AGENT, agent_id)) for k, agent_id in settings.agent_keys.items()),
            *((k.encode(), Principal(Role.SUPERVISOR)) for k in settings.supervisor_keys),
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

    def require(self, conn: HTTPConnection, *roles: Role) -> Principal:
        """The caller's principal if it has one of `roles`; ProtocolError otherwise."""
        principal = self.identify(presented_key(conn))
        if principal is None:
            raise ProtocolError(CloseCode.UNAUTHENTICATED, "missing or unknown API key")
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
