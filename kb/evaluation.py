"""`callassist kb eval`: retrieval quality of BM25, vector and hybrid search on a query set.

Input: JSON lines `{"q": "...", "rel": ["doc-id", ...]}` (document ids are file stems).
Ranking is by document: a query's results are taken in order and each document counted at its
first chunk. recall@k is the share of queries with a relevant document among the first k
documents; MRR@10 averages 1 / rank of the first relevant document (0 if none in the first 10).
Latency is per query, embedding included.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kb.knowledge import KnowledgeBase, SearchMode

MODES: tuple[SearchMode, ...] = ("keyword", "vector", "sound", "hybrid")
CHUNKS_PER_QUERY = 30  # enough chunks to rank 10 documents


@dataclass(frozen=True)
class EvalQuery:
    q: str
    rel: frozenset[str]


@dataclass(frozen=True)
class ModeScores:
    mode: str
    recall_at_1: float
    recall_at_3: float
    recall_at_5: float
    mrr_at_10: float
    latency_p50_ms: float
    latency_p95_ms: float


def load_queries(path: Path) -> list[EvalQuery]:
    queries = []
    for number, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            query = EvalQuery(str(item["q"]), frozenset(map(str, item["rel"])))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(
                f'{path}:{number}: expected {{"q": "...", "rel": ["doc-id", ...]}} ({exc})'
            ) from None
        if not query.q or not query.rel:
            raise ValueError(f"{path}:{number}: empty query or no relevant documents")
        queries.append(query)
    return queries


def _documents_in_order(doc_ids: list[str]) -> list[str]:
    return list(dict.fromkeys(doc_ids))


async def evaluate(kb: KnowledgeBase, queries: list[EvalQuery]) -> list[ModeScores]:
    known = await kb.index.document_ids()
    unknown = sorted({d for q in queries for d in q.rel} - known)
    if unknown:
        raise ValueError(f"relevant documents not in the index: {', '.join(unknown)} (ingest them first)")
    scores = []
    for mode in MODES:
        await kb.search(queries[0].q, k=1, mode=mode)  # warm-up: builds the keyword index once
        hits = {1: 0, 3: 0, 5: 0}
        reciprocal = []
        latencies = []
        for query in queries:
            started = time.perf_counter()
            results = await kb.search(query.q, k=CHUNKS_PER_QUERY, mode=mode)
            latencies.append((time.perf_counter() - started) * 1000)
            ranking = _documents_in_order([r.doc_id for r in results])[:10]
            first = next((i for i, d in enumerate(ranking, 1) if d in query.rel), None)
            for k in hits:
                hits[k] += first is not None and first <= k
            reciprocal.append(1.0 / first if first else 0.0)
        n = len(queries)
        scores.append(
            ModeScores(
                mode=mode,
                recall_at_1=round(hits[1] / n, 3),
                recall_at_3=round(hits[3] / n, 3),
                recall_at_5=round(hits[5] / n, 3),
                mrr_at_10=round(float(np.mean(reciprocal)), 3),
                latency_p50_ms=round(float(np.percentile(latencies, 50)), 2),
                latency_p95_ms=round(float(np.percentile(latencies, 95)), 2),
            )
        )
    return scores


def table(scores: list[ModeScores], queries: int) -> str:
    lines = [
        f"{queries} queries",
        f"{'retriever':10} {'recall@1':>9} {'recall@3':>9} {'recall@5':>9} {'MRR@10':>7} {'p50 ms':>7} {'p95 ms':>7}",
    ]
    for s in scores:
        lines.append(
            f"{s.mode:10} {s.recall_at_1:9.3f} {s.recall_at_3:9.3f} {s.recall_at_5:9.3f} {s.mrr_at_10:7.3f} "
            f"{s.latency_p50_ms:7.2f} {s.latency_p95_ms:7.2f}"
        )
    return "\n".join(lines)
