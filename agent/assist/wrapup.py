"""After-call work: the agent checks the post-call summary, picks a disposition code and writes a
note; submitted, it is stored with the call (`RedisKeys.wrapup`), announced (`wrapup` event),
carried into exports and archive search (a `disposition-CODE` tag), and the call leaves the
supervisors' list of calls still in wrap-up.

Disposition codes come from settings (`CODE:라벨`, in the order shown). The most likely one is
preselected from what the call left: a call cut short (little audio, or not ended by a hang-up)
is `dropped`; a problem the customer raised with no guide accepted is `complaint`; follow-ups in
the summary are `follow_up`; an accepted guide is `resolved`; else `info_only` — each only when the
configured list has that code (otherwise the first code).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from agent.feed import Wrapup
from agent.redaction.redactor import Redactor
from agent.store import CallStore, StoredEvent

NOTE_MAX_CHARS = 2000
FIELD_MAX_CHARS = 2000
LIST_MAX_ITEMS = 20
SHORT_CALL_S = 15.0
DEFAULT_DISPOSITIONS = (
    "resolved:해결",
    "follow_up:후속 조치 필요",
    "complaint:불만 접수",
    "info_only:단순 안내",
    "dropped:통화 끊김",
)
EDITABLE_TEXT = ("reason", "customer_issue", "resolution", "prose")
EDITABLE_LISTS = ("agent_actions", "follow_ups")


@dataclass(frozen=True)
class Disposition:
    code: str
    label: str


def parse_dispositions(items: Sequence[str]) -> tuple[Disposition, ...]:
    """`CODE:라벨` items; ValueError naming a bad one (codes: letters, digits, `_`, `-`)."""
    found: list[Disposition] = []
    for item in items:
        code, _, label = item.partition(":")
        code, label = code.strip(), label.strip()
        if not code or not label or not all(c.isascii() and (c.isalnum() or c in "_-") for c in code):
            raise ValueError(f"a disposition is CODE:label (code of letters, digits, _ or -), got {item!r}")
        if any(d.code == code for d in found):
            raise ValueError(f"disposition code {code!r} is listed twice")
        found.append(Disposition(code, label))
    if not found:
        raise ValueError("at least one disposition code is needed")
    return tuple(found)


def suggested_disposition(
    dispositions: Sequence[Disposition],
    call: Mapping[str, Any],
    summary: Mapping[str, Any] | None,
    suggestions: Sequence[Mapping[str, Any]],
    feedback: Mapping[str, Mapping[str, Any]],
) -> str:
    codes = {d.code for d in dispositions}
    accepted = any(f.get("action") == "accept" for f in feedback.values())
    problem = any((s.get("trigger") or {}).get("kind") == "problem" for s in suggestions)
    cut_short = float(call.get("audio_seconds") or 0) < SHORT_CALL_S or call.get("end_reason") not in (
        "stop", "hangup", "stopped", "completed", None,
    )  # fmt: skip
    for code, applies in (
        ("dropped", cut_short),
        ("complaint", problem and not accepted),
        ("follow_up", bool(summary and summary.get("follow_ups"))),
        ("resolved", accepted),
        ("info_only", True),
    ):
        if applies and code in codes:
            return code
    return dispositions[0].code


class SummaryEdits(BaseModel):
    """The summary fields the agent may correct (each optional; absent: kept as generated)."""

    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(None, max_length=FIELD_MAX_CHARS)
    customer_issue: str | None = Field(None, max_length=FIELD_MAX_CHARS)
    resolution: str | None = Field(None, max_length=FIELD_MAX_CHARS)
    prose: str | None = Field(None, max_length=FIELD_MAX_CHARS)
    agent_actions: list[str] | None = Field(None, max_length=LIST_MAX_ITEMS)
    follow_ups: list[str] | None = Field(None, max_length=LIST_MAX_ITEMS)

    @field_validator("agent_actions", "follow_ups")
    @classmethod
    def _short_items(cls, items: list[str] | None) -> list[str] | None:
        if items is not None and any(len(item) > FIELD_MAX_CHARS for item in items):
            raise ValueError(f"each item is at most {FIELD_MAX_CHARS} characters")
        return None if items is None else [item.strip() for item in items if item.strip()]


class WrapupIn(BaseModel):
    """What the agent submits when a call ends."""

    model_config = ConfigDict(extra="forbid")

    disposition: str = Field(max_length=64, description="one of the configured codes")
    note: str = Field("", max_length=NOTE_MAX_CHARS, description="free text (redacted before it is stored)")
    summary: SummaryEdits = Field(default_factory=SummaryEdits, description="corrected summary fields")


def edited_summary(
    summary: Mapping[str, Any] | None, edits: SummaryEdits, redactor: Redactor
) -> dict[str, Any] | None:
    """The stored summary with the agent's corrections (redacted), or None when nothing changed."""
    changes = {k: v for k, v in edits.model_dump().items() if v is not None}
    if summary is None or not changes:
        return None
    redacted = {
        k: [redactor.redact(item) for item in v] if isinstance(v, list) else redactor.redact(v)
        for k, v in changes.items()
    }
    if all(summary.get(k) == v for k, v in redacted.items()):
        return None
    return {**summary, **redacted, "edited": True}


class WrapupRecords:
    """A call's wrap-ups in Redis, one per agent who had the call (a transferred call has one for
    the agent it was moved away from, too), next to its summary."""

    def __init__(self, store: CallStore) -> None:
        self.store = store
        self.redis: Any = store.redis

    async def put(
        self, call_id: str, agent_id: str, disposition: Disposition, note: str, edited: bool, by: str
    ) -> StoredEvent:
        """`agent_id`: whose wrap-up it is (the event goes to their feed); `by`: who submitted it."""
        event = Wrapup(
            call_id=call_id, agent_id=agent_id, disposition=disposition.code, label=disposition.label,
            note=note, by=by, at=round(time.time(), 3), summary_edited=edited,
        )  # fmt: skip
        record = event.model_dump(exclude={"call_id"})
        await self.redis.hset(
            self.store.keys.wrapup(call_id), agent_id, json.dumps(record, ensure_ascii=False)
        )
        return await self.store.announce(agent_id, event)

    async def all(self, call_id: str) -> dict[str, dict[str, Any]]:
        raw = await self.redis.hgetall(self.store.keys.wrapup(call_id))
        return {(k.decode() if isinstance(k, bytes) else k): json.loads(v) for k, v in raw.items()}

    async def get(self, call_id: str, agent_id: str) -> dict[str, Any] | None:
        raw = await self.redis.hget(self.store.keys.wrapup(call_id), agent_id)
        return json.loads(raw) if raw else None

    async def pending(self, since: float, limit: int = 200) -> list[dict[str, Any]]:
        """Ended calls that started after `since` whose agent has not wrapped up yet, oldest end
        first: call id, agent, when the call ended and how long the wrap-up has been waiting."""
        call_ids = [
            c.decode() if isinstance(c, bytes) else str(c)
            for c in await self.redis.zrevrangebyscore(  # the newest calls first
                self.store.keys.all_calls, "+inf", since, start=0, num=limit * 4
            )
        ]
        now, waiting = time.time(), []
        for call_id in call_ids:
            call = await self.store.get_call(call_id)
            if call is None or call.get("status") != "ended":
                continue
            if await self.redis.hexists(self.store.keys.wrapup(call_id), call["agent_id"]):
                continue
            ended = float(call.get("ended_at") or now)
            waiting.append({"call_id": call_id, "agent_id": call["agent_id"], "ended_at": ended,
                            "waiting_s": round(max(0.0, now - ended), 1)})  # fmt: skip
        return sorted(waiting, key=lambda w: w["ended_at"])[:limit]
