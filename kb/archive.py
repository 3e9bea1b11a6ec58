"""Searchable archive of ended calls, for supervisors: each call's summary and transcript windows
(redacted text only), searched by BM25 over Kiwi morphemes and by vector, fused, one hit per call.

Its keys (`kb/redis_keys.py`, tagged `{archive}`): a vector set of passages (`ID#N`, attributes
`agent`, `started_at`, `tags` for FILTER), one hash per passage and per call, the archived call ids
by start time (time filters, retention) and a meta hash (a version bumped by every change).

Filters: agent, time range (start time), tag. The vector half needs vector sets (Redis >= 8);
without them the archive is searched by keywords only.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kb.call_text import transcript_line
from kb.embedders.base import DEFAULT_RELEVANCE_FLOOR, Embedder
from kb.hybrid import Ranking, fuse, rank
from kb.keyword_index import KeywordIndex
from kb.redis_keys import RedisKeys
from kb.redis_values import as_text
from kb.terms import content_terms, term_spans
from kb.vector_backends import SAFE_FILTER_VALUE, vsim

WINDOW_CHARS = 360  # transcript text per archive chunk
SNIPPET_CHARS = 160
ARCHIVE_CANDIDATES = 100


@dataclass(frozen=True)
class ArchiveFilters:
    agent: str | None = None
    since: float | None = None  # start time, epoch seconds, inclusive
    until: float | None = None
    tag: str | None = None

    def check(self) -> None:
        for name, value in (("agent", self.agent), ("tag", self.tag)):
            if value is not None and not SAFE_FILTER_VALUE.match(value):
                raise ValueError(f"{name} filter {value!r}: use letters, digits, spaces, '.', '_' or '-'")

    def keep(self, row: Mapping[str, Any]) -> bool:
        started = float(row.get("started_at", 0))
        return (
            (self.agent is None or row.get("agent_id") == self.agent)
            and (self.since is None or started >= self.since)
            and (self.until is None or started <= self.until)
            and (self.tag is None or self.tag in row.get("tags", []))
        )

    def expression(self) -> str | None:
        terms = []
        if self.agent is not None:
            terms.append(f'.agent == "{self.agent}"')
        if self.since is not None:
            terms.append(f".started_at >= {self.since:.3f}")
        if self.until is not None:
            terms.append(f".started_at <= {self.until:.3f}")
        if self.tag is not None:
            terms.append(f'"{self.tag}" in .tags')
        return " and ".join(terms) or None


@dataclass(frozen=True)
class ArchiveHit:
    call_id: str
    agent_id: str
    started_at: float
    ended_at: float | None
    title: str
    tags: list[str]
    snippet: str
    highlights: list[tuple[int, int]]  # character spans of the snippet that match the query
    score: float
    matched: str  # "summary" or "transcript" (where the best passage was)


@dataclass(frozen=True)
class ArchivePage:
    total: int
    hits: list[ArchiveHit] = field(default_factory=list)


def transcript_windows(turns: Sequence[tuple[str, str]]) -> list[str]:
    """Consecutive turns packed into windows of about WINDOW_CHARS characters."""
    windows: list[str] = []
    current: list[str] = []
    for role, text in turns:
        line = transcript_line(role, text)
        if current and sum(len(c) for c in current) + len(line) > WINDOW_CHARS:
            windows.append("\n".join(current))
            current = current[-1:]  # one turn of overlap keeps a question with its answer
        current.append(line)
    if current:
        windows.append("\n".join(current))
    return windows


@dataclass(frozen=True)
class ArchivedCall:
    """One ended call as the archive indexes it. The caller decides what of its summary is
    searchable (`summary_text`) and what names it (`title`); all texts are redacted already."""

    call_id: str
    agent_id: str
    started_at: float
    ended_at: float
    title: str
    summary_text: str
    turns: Sequence[tuple[str, str]]  # (role, text)
    tags: Sequence[str] = ()


def _label_free(text: str) -> str:
    return "\n".join(line.split(": ", 1)[-1] for line in text.splitlines())


class CallArchive:
    def __init__(
        self,
        redis: Any,
        prefix: str,
        embedder: Embedder,
        vector_sets: bool = True,
        min_vector_score: float = DEFAULT_RELEVANCE_FLOOR,
    ) -> None:
        self.redis = redis
        self.prefix = prefix
        self.keys = RedisKeys(prefix)
        self.embedder = embedder
        self.vector_sets = vector_sets
        self.min_vector_score = min_vector_score  # nearest neighbours below this are not matches
        self.keywords = KeywordIndex(self)

    async def check_embedder(self) -> bool:
        """Record the embedder on first use. With another one recorded, vectors are not comparable:
        the vector half is switched off (keyword search still works) and False is returned."""
        recorded = await self.redis.hget(self.keys.archive_meta, "embedder")
        if recorded is None:
            await self.redis.hset(self.keys.archive_meta, "embedder", self.embedder.name)
            return True
        if as_text(recorded) != self.embedder.name:
            self.vector_sets = False
            return False
        return True

    # --- writing --------------------------------------------------------------------------------
    async def index_call(self, entry: ArchivedCall) -> int:
        """Index one ended call (replacing an earlier entry)."""
        call_id, agent_id, started_at, tags = entry.call_id, entry.agent_id, entry.started_at, entry.tags
        texts = [entry.summary_text, *transcript_windows(entry.turns)]
        kinds = ["summary"] + ["transcript"] * (len(texts) - 1)
        vectors = await asyncio.to_thread(self.embedder.embed, texts)
        terms = await asyncio.to_thread(lambda: [" ".join(content_terms(_label_free(t))) for t in texts])
        await self.delete_call(call_id, bump=False)
        attributes = json.dumps(
            {"agent": agent_id, "started_at": started_at, "tags": list(tags)}, ensure_ascii=False
        )
        async with self.redis.pipeline(transaction=True) as pipe:
            for n, (text, kind, vector, chunk_terms) in enumerate(
                zip(texts, kinds, vectors, terms, strict=True)
            ):
                chunk_id = f"{call_id}#{n}"
                pipe.hset(
                    self.keys.archive_chunk(chunk_id),
                    mapping={"call_id": call_id, "kind": kind, "text": text, "terms": chunk_terms},
                )
                if self.vector_sets and np.asarray(vector).any():
                    blob = np.asarray(vector, dtype="<f4").tobytes()
                    pipe.execute_command(
                        "VADD", self.keys.archive_vectors, "FP32", blob, chunk_id, "SETATTR", attributes
                    )
            pipe.hset(
                self.keys.archive_call(call_id),
                mapping={
                    "agent_id": agent_id,
                    "started_at": f"{started_at:.3f}",
                    "ended_at": f"{entry.ended_at:.3f}",
                    "title": entry.title,
                    "tags": json.dumps(list(tags), ensure_ascii=False),
                    "chunks": len(texts),
                },
            )
            pipe.zadd(self.keys.archive_calls, {call_id: started_at})
            pipe.hincrby(self.keys.archive_meta, "version", 1)
            await pipe.execute()
        return len(texts)

    async def delete_call(self, call_id: str, *, bump: bool = True) -> bool:
        chunks = await self.redis.hget(self.keys.archive_call(call_id), "chunks")
        if chunks is None:
            return False
        async with self.redis.pipeline(transaction=True) as pipe:
            for n in range(int(chunks)):
                if self.vector_sets:
                    pipe.execute_command("VREM", self.keys.archive_vectors, f"{call_id}#{n}")
                pipe.delete(self.keys.archive_chunk(f"{call_id}#{n}"))
            pipe.delete(self.keys.archive_call(call_id))
            pipe.zrem(self.keys.archive_calls, call_id)
            if bump:
                pipe.hincrby(self.keys.archive_meta, "version", 1)
            await pipe.execute()
        return True

    async def calls_before(self, cutoff: float) -> list[str]:
        return [
            as_text(c) for c in await self.redis.zrangebyscore(self.keys.archive_calls, "-inf", f"({cutoff}")
        ]

    # --- the keyword index's source ------------------------------------------------------------------
    async def version(self) -> int:
        return int(await self.redis.hget(self.keys.archive_meta, "version") or 0)

    async def all_chunk_terms(self) -> list[dict[str, Any]]:
        call_ids = [as_text(c) for c in await self.redis.zrange(self.keys.archive_calls, 0, -1)]
        async with self.redis.pipeline(transaction=False) as pipe:
            for call_id in call_ids:
                pipe.hmget(self.keys.archive_call(call_id), "chunks", "agent_id", "started_at", "tags")
            calls = await pipe.execute()
        chunk_rows: list[dict[str, Any]] = []
        for call_id, (chunks, agent_id, started_at, tags) in zip(call_ids, calls, strict=True):
            if chunks is None:
                continue
            for n in range(int(chunks)):
                chunk_rows.append({
                    "chunk_id": f"{call_id}#{n}", "call_id": call_id, "agent_id": as_text(agent_id),
                    "started_at": float(started_at), "tags": json.loads(tags or b"[]"),
                })  # fmt: skip
        async with self.redis.pipeline(transaction=False) as pipe:
            for row in chunk_rows:
                pipe.hget(self.keys.archive_chunk(row["chunk_id"]), "terms")
            terms = await pipe.execute()
        return [
            {**row, "terms": as_text(t)} for row, t in zip(chunk_rows, terms, strict=True) if t is not None
        ]

    # --- searching ---------------------------------------------------------------------------------
    async def search(
        self, query: str, filters: ArchiveFilters | None = None, limit: int = 20, offset: int = 0
    ) -> ArchivePage:
        filters = filters or ArchiveFilters()
        filters.check()
        if not query.strip():
            return await self._browse(filters, limit, offset)

        async def keyword(terms: list[str]) -> Ranking:
            hits = await self.keywords.search(terms, ARCHIVE_CANDIDATES, filters.keep)
            return [(h.chunk_id, h.score) for h in hits]

        async def vector(query_vector: np.ndarray) -> Ranking:
            return await self._vector_search(query_vector, filters)

        found = await rank(query, self.embedder, vector if self.vector_sets else None, keyword)
        query_terms = found.query_terms
        best: dict[str, tuple[str, float]] = {}  # call id → (its best chunk, fused score)
        for chunk_id, score, _ in fuse(found.by_retriever):
            call_id = chunk_id.rpartition("#")[0]
            if call_id not in best:
                best[call_id] = (chunk_id, score)
        ordered = list(best.items())
        page = ordered[offset : offset + limit]
        hits = await self._hits(
            [(call_id, chunk_id, score) for call_id, (chunk_id, score) in page], set(query_terms)
        )
        return ArchivePage(len(ordered), hits)

    async def _vector_search(self, vector: np.ndarray, filters: ArchiveFilters) -> list[tuple[str, float]]:
        hits = await vsim(
            self.redis, self.keys.archive_vectors, vector, ARCHIVE_CANDIDATES, filters.expression()
        )
        return [(chunk_id, score) for chunk_id, score in hits if score >= self.min_vector_score]

    async def _browse(self, filters: ArchiveFilters, limit: int, offset: int) -> ArchivePage:
        low = "-inf" if filters.since is None else filters.since
        high = "+inf" if filters.until is None else filters.until
        call_ids = [as_text(c) for c in await self.redis.zrevrangebyscore(self.keys.archive_calls, high, low)]
        calls = await self._calls(call_ids)
        kept = [c for c in call_ids if c in calls and filters.keep(calls[c])]
        page = kept[offset : offset + limit]
        return ArchivePage(len(kept), await self._hits([(c, f"{c}#0", 0.0) for c in page], set()))

    async def _calls(self, call_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for call_id in call_ids:
                pipe.hgetall(self.keys.archive_call(call_id))
            rows = await pipe.execute()
        calls = {}
        for call_id, raw in zip(call_ids, rows, strict=True):
            if raw:
                d = {as_text(k): as_text(v) for k, v in raw.items()}
                calls[call_id] = {**d, "started_at": float(d["started_at"]), "tags": json.loads(d["tags"])}
        return calls

    async def _hits(
        self, ranked: Sequence[tuple[str, str, float]], query_terms: set[str]
    ) -> list[ArchiveHit]:
        calls = await self._calls([c for c, _, _ in ranked])
        async with self.redis.pipeline(transaction=False) as pipe:
            for _, chunk_id, _ in ranked:
                pipe.hmget(self.keys.archive_chunk(chunk_id), "text", "kind")
            chunks = await pipe.execute()
        hits = []
        for (call_id, _, score), (text, kind) in zip(ranked, chunks, strict=True):
            call = calls.get(call_id)
            if call is None or text is None:
                continue
            snippet, highlights = await asyncio.to_thread(_snippet, as_text(text), query_terms)
            ended = float(call.get("ended_at") or 0) or None
            hits.append(
                ArchiveHit(call_id, call["agent_id"], call["started_at"], ended, call.get("title", ""),
                           call["tags"], snippet, highlights, round(score, 6), as_text(kind))
            )  # fmt: skip
        return hits


def _snippet(text: str, query_terms: set[str]) -> tuple[str, list[tuple[int, int]]]:
    """A window of `text` around its first query term, and the spans of query terms in it."""
    spans = [(s, e) for term, s, e in term_spans(text) if term in query_terms]
    start = 0
    if spans and spans[0][0] > SNIPPET_CHARS // 3:
        start = spans[0][0] - SNIPPET_CHARS // 3
    end = min(len(text), start + SNIPPET_CHARS)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    snippet = prefix + text[start:end] + suffix
    shift = len(prefix) - start
    inside = [(s + shift, e + shift) for s, e in spans if s >= start and e <= end]
    return snippet, inside
