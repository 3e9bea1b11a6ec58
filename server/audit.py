"""Access audit: who read which call's content, how, when and from where.

Every read of a call's content through the server (the REST detail the review page shows, the
summary, an export, archive search results, a supervisor's console feed) appends one record to
an append-only Redis stream (`RedisKeys.audit`) before the content is sent: the key's id and role
(never the key), the agent id of an agent key, the call ids read, the endpoint, the client's
address and the time. Never the content itself. A read whose record cannot be written is refused
(503): an unrecorded read is what the log exists to prevent.

The records form a hash chain: each holds the SHA-256 of the previous record's hash and its own
fields, so an edited record, or one removed from the middle, breaks the chain where it was
(`verify`); the hash of the newest record is also kept apart (`RedisKeys.audit_head`), so records
removed from the end are found too. Appends from several servers are serialized with an optimistic
transaction (WATCH on the head). Records older than `CALLASSIST_AUDIT_RETENTION_DAYS` are trimmed
from the start; `verify` tells such a start (older than the retention) from records missing where
retention would have kept them.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import structlog
from redis.exceptions import WatchError

from kb.redis_keys import RedisKeys
from kb.redis_values import as_text

if TYPE_CHECKING:
    from starlette.requests import HTTPConnection

    from server.auth import Principal

log = structlog.get_logger(__name__)

GENESIS = "0" * 64
FIELDS = ("at", "key_id", "role", "agent_id", "action", "calls", "client", "detail")
APPEND_TRIES = 20
MAX_CALLS_PER_RECORD = 200  # an archive page holds at most 100 results


class AuditUnavailable(RuntimeError):
    """The record could not be written: the read must not happen."""


@dataclass(frozen=True)
class AuditRecord:
    at: float
    key_id: str  # a digest of the key, never the key
    role: str
    agent_id: str  # the agent of an agent key, else ""
    action: str  # the endpoint: "GET /v1/calls/{id}", "console feed" …
    calls: tuple[str, ...]
    client: str
    detail: str = ""  # what else says which read it was (a search's filters, an export's format)

    @classmethod
    def read_by(
        cls, principal: Principal, action: str, calls: Sequence[str], conn: HTTPConnection, detail: str = ""
    ) -> AuditRecord:
        """The record of a read through the server: who from the key, where from the connection,
        each call once."""
        return cls(
            at=time.time(),
            key_id=principal.key_id,
            role=principal.role.value,
            agent_id=principal.agent_id or "",
            action=action,
            calls=tuple(dict.fromkeys(calls)),
            client=conn.client.host if conn.client else "unknown",
            detail=detail,
        )

    def fields(self) -> dict[str, str]:
        return {
            "at": f"{self.at:.3f}",
            "key_id": self.key_id,
            "role": self.role,
            "agent_id": self.agent_id,
            "action": self.action,
            "calls": ",".join(self.calls),
            "client": self.client,
            "detail": self.detail,
        }


def chain_hash(previous: str, fields: dict[str, str]) -> str:
    """The hash a record carries: SHA-256 over the previous hash and its own fields, in order."""
    body = json.dumps([previous, *(fields.get(name, "") for name in FIELDS)], ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def key_id(key: str) -> str:
    """A key's name in the log: the start of its SHA-256 (the key itself is never written)."""
    return "k_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


class AuditLog:
    def __init__(self, redis: Any, prefix: str, retention_days: float) -> None:
        self.redis = redis
        self.keys = RedisKeys(prefix)
        self.retention_days = retention_days
        self._appending = (
            asyncio.Lock()
        )  # this process's appends one at a time: WATCH conflicts only across servers

    async def append(self, record: AuditRecord) -> str:
        """Write `record` at the end of the chain; its stream id. AuditUnavailable if it cannot be."""
        fields = record.fields()
        if len(record.calls) > MAX_CALLS_PER_RECORD:
            raise ValueError(f"at most {MAX_CALLS_PER_RECORD} calls per record")
        minid = None
        if self.retention_days > 0:
            minid = f"{int((time.time() - self.retention_days * 86400) * 1000)}-0"
        try:
            async with self._appending:
                return await self._append(fields, minid)
        except AuditUnavailable:
            raise
        except Exception as exc:
            log.error("audit_record_not_written", action=record.action, error=repr(exc))
            raise AuditUnavailable(f"the access log could not be written: {exc}") from exc

    async def _append(self, fields: dict[str, str], minid: str | None) -> str:
        for attempt in range(APPEND_TRIES):
            async with self.redis.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(self.keys.audit_head)
                    previous = as_text(await pipe.get(self.keys.audit_head) or GENESIS.encode())
                    digest = chain_hash(previous, fields)
                    pipe.multi()
                    pipe.xadd(self.keys.audit, {**fields, "prev": previous, "hash": digest})
                    pipe.set(self.keys.audit_head, digest)
                    if minid is not None:
                        pipe.xtrim(self.keys.audit, minid=minid, approximate=False)
                    entry_id, *_ = await pipe.execute()
                    return as_text(entry_id)
                except WatchError:  # another server appended first: chain onto its record
                    await asyncio.sleep(random.uniform(0, 0.002 * (attempt + 1)))
        raise AuditUnavailable("the access log is too busy to append to; try again")

    async def page(
        self,
        *,
        since: float | None = None,
        until: float | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> tuple[list[dict[str, str]], str | None]:
        """Records in order, at most `limit`, from `since` (unix s) or after the stream id `after`,
        up to `until`; and the id to continue after (None at the end)."""
        start = f"({after}" if after else (f"{int(since * 1000)}-0" if since else "-")
        end = f"{int(until * 1000)}-99999999" if until else "+"
        rows = await self.redis.xrange(self.keys.audit, start, end, count=limit + 1)
        records = [{"id": as_text(i), **{as_text(k): as_text(v) for k, v in f.items()}} for i, f in rows]
        more = len(records) > limit
        records = records[:limit]
        return records, (records[-1]["id"] if more and records else None)

    async def verify(self) -> dict[str, Any]:
        """Walk the whole chain: every record's `prev` is the hash before it and its `hash` is its
        own; the newest is the head. Reports the first break, if any."""
        previous: str | None = None
        count, after, first = 0, "-", None
        head = as_text(await self.redis.get(self.keys.audit_head) or b"")
        while True:
            rows = await self.redis.xrange(self.keys.audit, after, "+", count=1000)
            if not rows:
                break
            for raw_id, raw in rows:
                entry_id = as_text(raw_id)
                fields = {as_text(k): as_text(v) for k, v in raw.items()}
                if first is None:
                    first = entry_id
                    previous = fields.get("prev", "")
                    if previous != GENESIS and not self._trimmed_by_retention(entry_id):
                        return self._broken(
                            count,
                            entry_id,
                            "records before it are missing, and retention would have kept them",
                        )
                if fields.get("prev") != previous:
                    return self._broken(
                        count, entry_id, "it does not follow the record before it (one was removed or edited)"
                    )
                if chain_hash(previous or "", fields) != fields.get("hash"):
                    return self._broken(count, entry_id, "its fields do not match its hash (it was edited)")
                previous = fields["hash"]
                count += 1
            after = f"({as_text(rows[-1][0])}"
        if (previous or "") != head and not (previous is None and head == ""):
            return self._broken(count, None, "the newest records are missing (the head names a later one)")
        return {"ok": True, "records": count, "first": first, "head": head or None}

    def _trimmed_by_retention(self, entry_id: str) -> bool:
        if self.retention_days <= 0:
            return False
        oldest_kept_ms = (time.time() - self.retention_days * 86400) * 1000
        return int(entry_id.split("-")[0]) <= oldest_kept_ms + 86_400_000  # a day of slack

    @staticmethod
    def _broken(checked: int, entry_id: str | None, why: str) -> dict[str, Any]:
        return {"ok": False, "records": checked, "broken_at": entry_id, "reason": why}
