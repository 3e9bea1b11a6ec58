"""The knowledge-gap report on real Redis: unanswered asks grouped by topic across calls with
examples, acceptance per guide and passage from suggestions and feedback, paging by calls, and an
empty range answered at once."""

from __future__ import annotations

import time

from redis.asyncio import Redis

from agent.analytics.gaps import GapRange, gap_report
from agent.assist.records import AssistRecords
from agent.store import CallStore
from tests.helpers.calls import call_meta


def _suggestion(number: int, doc: str, chunk: str) -> dict:
    return {"suggestion_id": f"s{number}", "number": number, "status": "done", "mode": "extractive", "reply": "…",
            "sources": [{"doc_id": doc, "chunk_id": chunk, "title": doc.title(), "heading_path": ["안내"],
                         "snippet": "", "score": 1.0, "retriever_scores": {}}]}  # fmt: skip


async def test_unanswered_asks_by_topic_acceptance_and_paging(redis: Redis, prefix: str) -> None:
    store = CallStore(redis, prefix)
    records = AssistRecords(store)
    asks = {
        "gap-1": ["반려동물 데리고 매장 들어가도 되나요", "주차 할인 되나요"],
        "gap-2": ["반려동물이랑 같이 매장에 들어가도 돼요"],
        "gap-3": ["매장에 반려동물 데리고 가도 되나요"],
    }
    for n, (call_id, texts) in enumerate(asks.items()):
        await store.start_call(call_id, "agent-a", call_meta())
        for seq, text in enumerate(texts):
            await records.put_ask(call_id, {"seq": seq, "kind": "question", "text": text, "outcome": "no_match",
                                            "best": {"title": "매장 안내", "doc_id": "stores"}, "suggestion_id": None})  # fmt: skip
        await records.put_ask(call_id, {"seq": 9, "kind": "question", "text": "로밍 요금", "outcome": "suggested",
                                        "best": None, "suggestion_id": "s1"})  # fmt: skip
        await records.put_suggestion(call_id, _suggestion(1, "roaming", "roaming#0"))
        action = ["accept", "dismiss", None][n]
        if action:
            await records.put_feedback(call_id, "agent-a", "s1", action, "agent-a")

    report = await gap_report(records, GapRange(time.time() - 3600, time.time() + 1))
    assert report["calls"] == 3 and report["next_since"] is None
    assert report["asks"] == {"total": 7, "suggested": 3, "unanswered": 4, "repeat": 0}
    top = report["unanswered_topics"][0]
    assert top["count"] == 3 and top["calls"] == 3 and "반려동물" in top["label"]
    assert top["nearest_guide"] == "매장 안내" and len(top["examples"]) == 3
    assert report["unanswered_topics"][1]["count"] == 1  # 주차 할인: a topic of its own
    (guide,) = report["guides"]
    assert (guide["shown"], guide["accepted"], guide["dismissed"], guide["ignored"]) == (3, 1, 1, 1)
    assert guide["acceptance"] == 0.333 and report["suggestions"]["acceptance"] == 0.333
    assert report["passages"][0]["doc_id"] == "roaming#0"

    first = await gap_report(records, GapRange(time.time() - 3600, time.time() + 1, limit=2))
    assert first["calls"] == 2 and first["next_since"] is not None
    rest = await gap_report(records, GapRange(first["next_since"], time.time() + 1, limit=2))
    assert rest["calls"] == 1 and rest["next_since"] is None  # the third call, once

    started = time.perf_counter()
    empty = await gap_report(records, GapRange(0, 1))
    assert empty["calls"] == 0 and empty["asks"]["total"] == 0 and empty["suggestions"]["acceptance"] is None
    assert time.perf_counter() - started < 5
