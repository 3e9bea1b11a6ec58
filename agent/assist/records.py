"""What the assistant keeps per call, next to the call's transcript (docs/redis-layout.md).

    {p}call:{id}:suggestions  hash    suggestion id → the suggestion as shown (JSON, final text)
    {p}call:{id}:feedback     hash    suggestion id → {"action": "accept"|"dismiss", "by", "at"}
    {p}call:{id}:summary      string  the latest summary (rolling while live, then the final one)
    {p}call:{id}:wrapup       string  the agent's after-call work (agent/assist/wrapup.py)
    {p}call:{id}:analytics    string  categories, sentiment, risk, QA (agent/analytics/)
    {p}call:{id}:asks         hash    seq → a customer ask and what became of it (the gap report)

Every record is announced on the call's event stream by the caller, after it is written.
"""

from __future__ import annotations

import json
import time
from typing import Any

from agent.feed import SuggestionFeedback, Summary
from agent.store import CallStore, StoredEvent


class AssistRecords:
    def __init__(self, store: CallStore) -> None:
        self.store = store
        self.redis: Any = store.redis

    async def put_suggestion(self, call_id: str, suggestion: dict[str, Any]) -> None:
        await self.redis.hset(
            self.store.keys.suggestions(call_id),
            suggestion["suggestion_id"],
            json.dumps(suggestion, ensure_ascii=False),
        )

    async def suggestions(self, call_id: str) -> list[dict[str, Any]]:
        raw = await self.redis.hgetall(self.store.keys.suggestions(call_id))
        items = [json.loads(v) for v in raw.values()]
        return sorted(items, key=lambda s: s.get("number", 0))

    async def has_suggestion(self, call_id: str, suggestion_id: str) -> bool:
        return bool(await self.redis.hexists(self.store.keys.suggestions(call_id), suggestion_id))

    async def put_feedback(
        self, call_id: str, agent_id: str, suggestion_id: str, action: str, by: str
    ) -> StoredEvent:
        event = SuggestionFeedback(
            call_id=call_id,
            suggestion_id=suggestion_id,
            action=action,
            by=by,
            at=round(time.time(), 3),
        )
        record = event.model_dump(exclude={"call_id"})
        await self.redis.hset(self.store.keys.feedback(call_id), suggestion_id, json.dumps(record))
        return await self.store.announce(agent_id, event)

    async def feedback(self, call_id: str) -> dict[str, dict[str, Any]]:
        raw = await self.redis.hgetall(self.store.keys.feedback(call_id))
        return {k.decode(): json.loads(v) for k, v in raw.items()}

    async def put_summary(self, agent_id: str, summary: Summary) -> StoredEvent:
        await self.redis.set(self.store.keys.summary(summary.call_id), summary.model_dump_json())
        return await self.store.announce(agent_id, summary)

    async def summary(self, call_id: str) -> dict[str, Any] | None:
        raw = await self.redis.get(self.store.keys.summary(call_id))
        return json.loads(raw) if raw else None

    async def put_analytics(self, call_id: str, result: dict[str, Any]) -> None:
        """The call's analytics as they stand (announced by the caller: `category`, `sentiment`,
        `analytics` events)."""
        await self.redis.set(self.store.keys.analytics(call_id), json.dumps(result, ensure_ascii=False))

    async def analytics(self, call_id: str) -> dict[str, Any] | None:
        raw = await self.redis.get(self.store.keys.analytics(call_id))
        return json.loads(raw) if raw else None

    async def put_ask(self, call_id: str, ask: dict[str, Any]) -> None:
        await self.redis.hset(
            self.store.keys.asks(call_id), str(ask["seq"]), json.dumps(ask, ensure_ascii=False)
        )

    async def asks(self, call_id: str) -> list[dict[str, Any]]:
        raw = await self.redis.hgetall(self.store.keys.asks(call_id))
        return sorted((json.loads(v) for v in raw.values()), key=lambda a: a.get("seq", 0))

    def keys(self, call_id: str) -> list[str]:
        return [
            self.store.keys.suggestions(call_id),
            self.store.keys.feedback(call_id),
            self.store.keys.summary(call_id),
            self.store.keys.wrapup(call_id),
            self.store.keys.analytics(call_id),
            self.store.keys.asks(call_id),
        ]
