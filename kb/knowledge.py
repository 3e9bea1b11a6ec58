"""The knowledge base as the rest of the product uses it: ingest documents, search passages.

Loading, chunking and embedding are CPU work and run in worker threads; Redis calls are async.
Re-ingesting is incremental: a document whose bytes did not change is skipped, a changed one is
replaced, and with `prune` a document whose file is gone is deleted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from redis.asyncio import Redis

from kb.chunking import ChunkingConfig, KoreanChunker
from kb.document_store import DocumentStore
from kb.documents import Document, DocumentError, find_documents, load_document
from kb.embedders.base import Embedder, embed_queries
from kb.embedders.cache import VectorCache, embed_cached
from kb.hybrid import Ranking, fuse, rank
from kb.keyword_index import KeywordIndex
from kb.sound import sound_grams
from kb.terms import content_terms
from kb.vector_backends import VectorBackend, check_filters

SNIPPET_CHARS = 240


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    chunks: int = 0


@dataclass(frozen=True)
class SearchResult:
    chunk_id: str
    doc_id: str
    title: str
    heading_path: tuple[str, ...]
    snippet: str
    score: float  # reciprocal-rank fusion score in hybrid mode, else the retriever's own score
    retrievers: tuple[str, ...]  # which retrievers found it: "vector", "keyword"
    retriever_scores: Mapping[str, float] = field(default_factory=dict)
    text: str = ""  # the whole chunk (the snippet is its start)
    # the keyword score of the whole query, uncertain words included, where `sure` left some out
    # (None otherwise, or when that search did not find the chunk among its candidates)
    keyword_all_words: float | None = None


SearchMode = Literal["hybrid", "vector", "keyword", "sound"]
CANDIDATES = 20  # taken from each retriever before fusing


class KnowledgeBase:
    def __init__(
        self,
        redis: Redis,
        prefix: str,
        embedder: Embedder,
        chunking: ChunkingConfig | None = None,
        backend: VectorBackend | None = None,
        fusion_weights: Mapping[str, float] | None = None,
        vector_cache: VectorCache | None = None,
    ) -> None:
        self.index = DocumentStore(redis, prefix, backend)
        self.fusion_weights = dict(fusion_weights or {})  # by retriever: "vector", "keyword"
        self.keywords = KeywordIndex(self.index)
        self.sounds = KeywordIndex(self.index, tokens=lambda row: sound_grams(str(row["text"])))
        self.embedder = embedder
        self.chunker = KoreanChunker(chunking)
        self.vector_cache = vector_cache  # passages embedded before (None: embed every ingest)

    async def open(self) -> KnowledgeBase:
        await self.index.check_embedder(self.embedder.name, self.embedder.dim)
        return self

    async def warm_up(self) -> None:
        """Load the embedder and the morphological analyzer (about 2 s for Kiwi) and build the
        keyword index now, not on the first live query."""
        await asyncio.to_thread(embed_queries, self.embedder, ["로밍 요금"])
        await asyncio.to_thread(content_terms, "로밍 요금")
        await self.keywords.current()
        await self.sounds.current()

    async def ingest(
        self,
        paths: Sequence[Path],
        *,
        prune: bool = False,
        progress: Callable[[int, int, Path], None] | None = None,
    ) -> IngestReport:
        report = IngestReport()
        files = find_documents(list(paths))
        seen: set[str] = set()
        for number, path in enumerate(files, 1):
            if progress:
                progress(number, len(files), path)
            try:
                document = await asyncio.to_thread(load_document, path)
            except DocumentError as error:
                report.failed.append((str(error.path), error.reason))
                continue
            seen.add(document.doc_id)
            stored = await self.index.document(document.doc_id)
            if stored is not None and stored.content_hash == document.content_hash:
                report.unchanged.append(document.doc_id)
                continue
            report.chunks += await self._put(document)
            (report.updated if stored else report.added).append(document.doc_id)
        if prune:
            for doc_id in sorted(await self.index.document_ids() - seen):
                await self.index.delete_document(doc_id)
                report.removed.append(doc_id)
        return report

    async def _put(self, document: Document) -> int:
        chunks = await asyncio.to_thread(self.chunker.chunk, document)
        texts = [c.context_text for c in chunks]
        vectors = await asyncio.to_thread(embed_cached, self.embedder, texts, self.vector_cache)
        terms = await asyncio.to_thread(lambda: [" ".join(content_terms(t)) for t in texts])
        await self.index.put_document(
            document.doc_id,
            document.title,
            document.source,
            document.content_hash,
            chunks,
            vectors,
            terms,
            category=document.category,
            tags=document.tags,
        )
        return len(chunks)

    async def search(
        self,
        query: str,
        k: int = 5,
        filters: Mapping[str, str] | None = None,
        mode: SearchMode = "hybrid",
        *,
        focus: str | None = None,
        sure: str | None = None,
    ) -> list[SearchResult]:
        """The `k` best passages for `query`: the vector, keyword and letter (kb/sound.py) rankings
        fused (letters when their fusion weight is above 0), or one retriever's alone.

        `focus`, when given, is what the vector retriever embeds instead of `query`: a semantic
        embedding of one utterance keeps its meaning, while several turns joined blur it; the
        keyword retriever still reads all of `query` (more words, more chances past a misheard one),
        or `sure` when given: the query less the words the recognizer was unsure of, which the
        letter retriever still reads.
        """
        check_filters(filters)
        plain_filters = dict(filters) if filters else None
        keep = _keep(plain_filters) if plain_filters else None
        candidates = max(k, CANDIDATES)

        async def vector(query_vector: np.ndarray) -> Ranking:
            return [
                (h.chunk_id, h.score)
                for h in await self.index.search(query_vector, candidates, plain_filters)
            ]

        async def keyword(terms: list[str]) -> Ranking:
            return [(h.chunk_id, h.score) for h in await self.keywords.search(terms, candidates, keep)]

        async def sound(grams: list[str]) -> Ranking:
            return [(h.chunk_id, h.score) for h in await self.sounds.search(grams, candidates, keep)]

        ran = await rank(
            query,
            self.embedder,
            vector if mode in ("hybrid", "vector") else None,
            keyword if mode in ("hybrid", "keyword") else None,
            focus=focus,
            sure=sure,
            sound=sound
            if mode == "sound" or (mode == "hybrid" and self.fusion_weights.get("sound", 0.0) > 0)
            else None,
        )
        rankings = ran.by_retriever
        all_words: dict[str, float] = {}
        if sure is not None and sure != query and "keyword" in rankings:
            all_words = dict(await keyword(await asyncio.to_thread(content_terms, query)))
        if mode == "hybrid":
            ranked = fuse(rankings, self.fusion_weights)[:k]
        else:
            ranked = [(c, score, {mode: score}) for c, score in rankings.get(mode, [])[:k]]
        rows = {row["chunk_id"]: row for row in await self.index.chunks([c for c, _, _ in ranked])}
        results = []
        for chunk_id, score, found in ranked:
            row = rows.get(chunk_id)
            if row is None:
                continue  # deleted between the two reads
            text = row["text"]
            results.append(
                SearchResult(
                    chunk_id=chunk_id,
                    doc_id=row["doc_id"],
                    title=row["title"],
                    heading_path=tuple(row["heading_path"]),
                    snippet=text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS].rstrip() + "…",
                    score=round(score, 6),
                    retrievers=tuple(sorted(found)),
                    retriever_scores={name: round(value, 4) for name, value in found.items()},
                    text=text,
                    keyword_all_words=all_words.get(chunk_id),
                )
            )
        return results


def _keep(filters: Mapping[str, str]) -> Callable[[Mapping[str, Any]], bool]:
    """The keyword index's row filter for `filters` (doc, category, tag)."""

    def keep(row: Mapping[str, Any]) -> bool:
        for name, value in filters.items():
            if name == "tag":
                if value not in row.get("tags", []):
                    return False
            elif row.get("doc_id" if name == "doc" else name, "") != value:
                return False
        return True

    return keep
