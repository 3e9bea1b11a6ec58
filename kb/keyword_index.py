"""BM25 over Kiwi content morphemes, kept in memory and rebuilt from Redis when the index changes.

Each chunk's terms are stored with it at ingest (`terms` in its hash), so rebuilding needs no
morphological analysis. Every search first compares the index version in Redis with the one this
process built from; any process that ingests bumps it, so all processes stay in sync.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np


class TermSource(Protocol):
    """Where the indexed terms live: a version that moves with every change, and the rows."""

    async def version(self) -> int: ...

    async def all_chunk_terms(self) -> list[dict[str, Any]]: ...


Keep = Callable[[Mapping[str, Any]], bool]  # which rows a search may return


@dataclass(frozen=True)
class KeywordHit:
    chunk_id: str
    score: float


@dataclass(frozen=True)
class _Built:
    version: int
    chunk_ids: list[str]
    attributes: list[dict[str, Any]]  # each row without its terms, for filters
    retriever: Any  # bm25s.BM25, or None when the index is empty
    vocabulary: frozenset[str]


def stored_terms(row: Mapping[str, Any]) -> list[str]:
    """The Kiwi content morphemes stored with a chunk at ingest."""
    return str(row["terms"]).split()


class KeywordIndex:
    """BM25 over the tokens `tokens` reads from each stored row (default: its stored morphemes)."""

    def __init__(
        self, index: TermSource, tokens: Callable[[Mapping[str, Any]], list[str]] = stored_terms
    ) -> None:
        self.index = index
        self._tokens = tokens
        self._built: _Built | None = None
        self._lock = asyncio.Lock()

    async def current(self) -> _Built:
        version = await self.index.version()
        if self._built is None or self._built.version != version:
            async with self._lock:
                if self._built is None or self._built.version != version:
                    self._built = await self._build(version)
        return self._built

    async def _build(self, version: int) -> _Built:
        rows = await self.index.all_chunk_terms()
        chunk_ids = [r["chunk_id"] for r in rows]
        corpus = await asyncio.to_thread(lambda: [self._tokens(r) for r in rows])
        attributes = [{k: v for k, v in r.items() if k not in ("terms", "text")} for r in rows]
        retriever = await asyncio.to_thread(_bm25, corpus) if corpus else None
        vocabulary = frozenset(term for terms in corpus for term in terms)
        return _Built(version, chunk_ids, attributes, retriever, vocabulary)

    async def search(self, terms: list[str], k: int, keep: Keep | None = None) -> list[KeywordHit]:
        built = await self.current()
        query = [t for t in terms if t in built.vocabulary]
        if built.retriever is None or not query:
            return []
        mask = (
            np.array([1.0 if keep(a) else 0.0 for a in built.attributes], dtype=np.float32) if keep else None
        )
        if mask is not None and not mask.any():
            return []
        k = min(k, len(built.chunk_ids))
        documents, scores = await asyncio.to_thread(
            built.retriever.retrieve, [query], k=k, show_progress=False, weight_mask=mask
        )
        return [
            KeywordHit(built.chunk_ids[int(d)], float(s))
            for d, s in zip(documents[0], scores[0], strict=True)
            if s > 0
        ]


def _bm25(corpus: list[list[str]]) -> Any:
    import logging

    import bm25s

    logging.getLogger("bm25s").setLevel(logging.NOTSET)  # it sets DEBUG on import; follow the app's level

    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    return retriever
