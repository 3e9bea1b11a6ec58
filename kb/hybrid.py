"""Hybrid retrieval, shared by the knowledge base and the call archive: one query run through a
vector retriever and a keyword retriever, then reciprocal-rank fusion of the two rankings."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kb.embedders.base import Embedder, embed_queries
from kb.sound import sound_grams
from kb.terms import content_terms

RRF_K = 60  # the usual reciprocal-rank fusion constant

Ranking = list[tuple[str, float]]  # (id, the retriever's own score), best first
VectorSearch = Callable[[np.ndarray], Awaitable[Ranking]]
KeywordSearch = Callable[[list[str]], Awaitable[Ranking]]


@dataclass(frozen=True)
class Rankings:
    by_retriever: dict[str, Ranking]  # "vector", "keyword": those that ran
    query_terms: list[str]  # the query's content morphemes ([] without the keyword retriever)


async def rank(
    query: str,
    embedder: Embedder,
    vector: VectorSearch | None,
    keyword: KeywordSearch | None,
    *,
    focus: str | None = None,
    sound: KeywordSearch | None = None,
    sure: str | None = None,
) -> Rankings:
    """Each retriever's ranking for `query` (embedding and analysis off the event loop). The vector
    retriever embeds `focus` when given; an all-zero query vector (no known feature) ranks nothing.
    `sound` searches the query's letter n-grams (kb/sound.py). The keyword retriever reads `sure`
    when given: the query without the words the recognizer was unsure of (a misheard word matches
    the wrong guide's terms exactly; its letters still sound like the right one's)."""
    by_retriever: dict[str, Ranking] = {}
    terms: list[str] = []
    if vector is not None:
        query_vector = (await asyncio.to_thread(embed_queries, embedder, [focus or query]))[0]
        if query_vector.any():
            by_retriever["vector"] = await vector(query_vector)
    if keyword is not None:
        terms = await asyncio.to_thread(content_terms, query if sure is None else sure)
        by_retriever["keyword"] = await keyword(terms)
    if sound is not None:
        grams = await asyncio.to_thread(sound_grams, query)
        by_retriever["sound"] = await sound(grams)
    return Rankings(by_retriever, terms)


def fuse(
    rankings: Mapping[str, Sequence[tuple[str, float]]], weights: Mapping[str, float] | None = None
) -> list[tuple[str, float, dict[str, float]]]:
    """Weighted reciprocal-rank fusion: (chunk id, fused score, each retriever's own score), best
    first. A retriever's weight (default 1) scales its 1 / (60 + rank): a weak retriever with a
    small weight can reorder close calls of a strong one but not pull its clear winners down."""
    fused: dict[str, float] = {}
    found: dict[str, dict[str, float]] = {}
    for retriever, ranking in rankings.items():
        weight = 1.0 if weights is None else weights.get(retriever, 1.0)
        for position, (chunk_id, score) in enumerate(ranking, 1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (RRF_K + position)
            found.setdefault(chunk_id, {})[retriever] = score
    order = sorted(fused, key=lambda c: (-fused[c], c))
    return [(c, fused[c], found[c]) for c in order]
