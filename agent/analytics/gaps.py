"""The knowledge-gap report: what the guides could not answer, and how the answers they gave fared.

Read from what calls left in Redis (no separate bookkeeping): each call's asks (`call:{ID}:asks`,
written by the assistant for every customer ask it searched for), its suggestions and the agent's
feedback. Over calls started in a time range:

- asks: searched, suggested, unanswered (no passage cleared the relevance floor), repeats;
- suggestions: shown, accepted, dismissed, ignored (no feedback), per guide and per passage, with
  the acceptance rate (accepted / shown);
- unanswered asks grouped by topic: greedy grouping by shared content terms (Kiwi lemmas, common
  verbs left out), or closeness in the embedder's space when one is given, each group labelled by
  its commonest terms, with up to three examples (stored texts: already redacted).

A range is read in pages of calls (`limit`, oldest first; `next_since`, the start time of the
first call left out, continues), so a year of calls never makes one slow request.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from agent.assist.records import AssistRecords
from kb.embedders.base import embed_queries
from kb.redis_values import as_text
from kb.terms import content_terms

TOPIC_OVERLAP = 0.4  # Jaccard of content terms at which an unanswered ask joins a topic
TOPIC_SIMILARITY = 0.9  # or the cosine in the embedder's space, with one
MAX_CALLS = 5000
EMBEDDED_ASKS = 200  # above this many unanswered asks, topics by shared terms only (one request stays quick)
EXAMPLES = 3
# Terms that say nothing about a topic (Kiwi lemmas of the commonest verbs and fillers).
_STOP = {"되다", "하다", "있다", "없다", "가다", "오다", "나오다", "이다", "아니다", "좀", "왜", "지금", "혹시", "그럼",
         "그냥", "저", "제", "거", "것", "수", "네", "아", "어", "음", "같이", "보다", "주다", "알다"}  # fmt: skip


def topic_terms(text: str) -> set[str]:
    return {t for t in content_terms(text) if t not in _STOP}


@dataclass
class GuideStats:
    doc_id: str
    title: str
    shown: int = 0
    accepted: int = 0
    dismissed: int = 0

    @property
    def ignored(self) -> int:
        return self.shown - self.accepted - self.dismissed

    def as_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "shown": self.shown,
            "accepted": self.accepted,
            "dismissed": self.dismissed,
            "ignored": self.ignored,
            "acceptance": round(self.accepted / self.shown, 3) if self.shown else None,
        }


@dataclass
class _Topic:
    asks: list[dict[str, Any]] = field(default_factory=list)
    terms: set[str] = field(default_factory=set)
    vector: np.ndarray | None = None


@dataclass(frozen=True)
class GapRange:
    since: float
    until: float
    limit: int = 1000


async def gap_report(records: AssistRecords, window: GapRange, embedder: Any = None) -> dict[str, Any]:
    """The report over calls started in [since, until), at most `limit` of them (oldest first)."""
    store = records.store
    limit = max(1, min(window.limit, MAX_CALLS))
    raw = await store.redis.zrangebyscore(
        store.keys.all_calls, window.since, f"({window.until}", start=0, num=limit + 1, withscores=True
    )
    page = [(as_text(call_id), float(score)) for call_id, score in raw]
    next_since = page[limit][1] if len(page) > limit else None  # the first call of the next page
    page = page[:limit]
    asks: list[dict[str, Any]] = []
    guides: dict[str, GuideStats] = {}
    passages: dict[str, GuideStats] = {}
    for call_id, _ in page:
        call_asks, suggestions, feedback = await asyncio.gather(
            records.asks(call_id), records.suggestions(call_id), records.feedback(call_id)
        )
        asks += [{**a, "call_id": call_id} for a in call_asks]
        for suggestion in suggestions:
            action = (feedback.get(suggestion.get("suggestion_id", "")) or {}).get("action")
            sources = suggestion.get("sources") or []
            if not sources:
                continue
            top = sources[0]  # the passage the reply came from
            for key, table, title in (
                (top.get("doc_id", ""), guides, top.get("title", "")),
                (
                    top.get("chunk_id", ""),
                    passages,
                    " › ".join(top.get("heading_path") or [top.get("title", "")]),
                ),
            ):
                stats = table.setdefault(key, GuideStats(key, title))
                stats.shown += 1
                stats.accepted += action == "accept"
                stats.dismissed += action == "dismiss"
    outcomes = Counter(a.get("outcome") for a in asks)
    unanswered = [a for a in asks if a.get("outcome") == "no_match"]
    topics = await asyncio.to_thread(_topics, unanswered, embedder)
    shown = sum(g.shown for g in guides.values())
    accepted = sum(g.accepted for g in guides.values())
    return {
        "since": window.since,
        "until": window.until,
        "calls": len(page),
        "next_since": next_since,
        "asks": {
            "total": len(asks),
            "suggested": outcomes.get("suggested", 0),
            "unanswered": outcomes.get("no_match", 0),
            "repeat": outcomes.get("repeat", 0),
        },
        "suggestions": {
            "shown": shown,
            "accepted": accepted,
            "dismissed": sum(g.dismissed for g in guides.values()),
            "ignored": sum(g.ignored for g in guides.values()),
            "acceptance": round(accepted / shown, 3) if shown else None,
        },
        "guides": sorted((g.as_dict() for g in guides.values()), key=lambda g: (-g["shown"], g["doc_id"])),
        "passages": sorted(
            (p.as_dict() for p in passages.values()), key=lambda p: (-p["shown"], p["doc_id"])
        )[:50],
        "unanswered_topics": topics,
    }


def example_calls(report: dict[str, Any]) -> list[str]:
    """The calls whose words the report shows (its examples): what reading it is audited for."""
    return sorted({e["call_id"] for topic in report["unanswered_topics"] for e in topic["examples"]})


def _topics(asks: Sequence[dict[str, Any]], embedder: Any) -> list[dict[str, Any]]:
    """Unanswered asks grouped greedily: an ask joins the first topic it shares enough with."""
    texts = [str(a.get("text") or "") for a in asks]
    vectors: list[np.ndarray | None] = [None] * len(texts)
    if embedder is not None and 0 < len(texts) <= EMBEDDED_ASKS:  # more: shared terms only (fast)
        vectors = list(np.asarray(embed_queries(embedder, texts), dtype=np.float32))
    topics: list[_Topic] = []
    for ask, text, vector in zip(asks, texts, vectors, strict=True):
        terms = topic_terms(text)
        for topic in topics:
            close = (
                vector is not None
                and topic.vector is not None
                and float(vector @ topic.vector) >= TOPIC_SIMILARITY
            )
            shared = len(terms & topic.terms) / len(terms | topic.terms) if terms and topic.terms else 0.0
            if close or shared >= TOPIC_OVERLAP:
                topic.asks.append(ask)
                topic.terms |= terms
                break
        else:
            topics.append(_Topic([ask], set(terms), vector))
    out = []
    for topic in sorted(topics, key=lambda t: -len(t.asks)):
        words = Counter(w for a in topic.asks for w in topic_terms(str(a.get("text") or "")))
        best = Counter(
            (a.get("best") or {}).get("title") for a in topic.asks if (a.get("best") or {}).get("title")
        )
        out.append(
            {
                "label": " ".join(w for w, _ in words.most_common(3)) or "(말 없음)",
                "count": len(topic.asks),
                "calls": len({a.get("call_id") for a in topic.asks}),
                "examples": [
                    {"call_id": a.get("call_id"), "seq": a.get("seq"), "text": a.get("text")}
                    for a in topic.asks[:EXAMPLES]
                ],
                "nearest_guide": best.most_common(1)[0][0] if best else None,
            }
        )
    return out
