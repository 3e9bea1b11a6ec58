"""The Query Engine backend (redisvl): its schema and queries offline, then live against a real
Redis Stack (`query_engine_url`: Redis 7.4 with RediSearch, no vector sets), where the same
evaluation must agree with the vector-set backend on Redis 8 wherever quantization cannot reorder
passages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError
from redis.asyncio import Redis

from kb.embedders import LexicalEmbedder
from kb.embedders.cache import VectorCache
from kb.embedders.e5 import E5Embedder
from kb.evaluation import evaluate, load_queries
from kb.knowledge import KnowledgeBase
from kb.vector_backends import QueryEngineBackend, VectorSetBackend, has_query_engine, redisvl_schema
from server.components import backend_from_settings
from server.redis_runtime import check_capabilities
from server.settings import Settings, default_cache_dir

SAMPLES = Path(__file__).resolve().parents[3] / "kb" / "samples"
QUERIES = Path(__file__).resolve().parents[2] / "data" / "kb_eval.jsonl"


def test_schema_file_is_filled_in_for_the_deployment() -> None:
    from redisvl.schema import IndexSchema

    schema = IndexSchema.from_dict(redisvl_schema("ca:", 1024))
    assert schema.index.name == "ca-kb" and schema.index.prefix == "ca:{kb}:chunk:"
    assert schema.index.storage_type.value == "hash"
    assert schema.fields["embedding"].attrs.dims == 1024
    assert schema.fields["embedding"].attrs.distance_metric.value.lower() == "cosine"
    assert {"doc_id", "category", "tag_list"} <= set(schema.fields)


def test_vector_query_construction_with_filters() -> None:
    query = QueryEngineBackend.vector_query(
        np.ones(4, dtype=np.float32), 5, {"doc": "roaming", "tag": "요금"}
    )
    text = str(query)
    assert "@doc_id:{roaming}" in text and "@tag_list:{요금}" in text
    assert "KNN 5 @embedding $vector" in text and "DIALECT 2" in text
    assert "(@doc_id:{roaming}" not in str(QueryEngineBackend.vector_query(np.ones(4), 5, None))
    with pytest.raises(ValueError, match="unknown filter"):
        QueryEngineBackend.vector_query(np.ones(4), 5, {"colour": "red"})


async def test_auto_picks_vector_sets_on_redis_8(redis: Redis) -> None:
    backend = await backend_from_settings(redis, Settings(_env_file=None))
    assert isinstance(backend, VectorSetBackend)
    with pytest.raises(ValidationError, match="vectorset"):
        Settings(_env_file=None, kb_backend="faiss")  # type: ignore[arg-type]


async def test_live_query_engine_backend(query_engine_url: str, prefix: str) -> None:
    stack = Redis.from_url(query_engine_url)
    try:
        assert await has_query_engine(stack)
        assert await check_capabilities(stack, "stack") == "7.4.1"  # a server may run on it
        backend = await backend_from_settings(
            stack, Settings(_env_file=None, redis_prefix=prefix)
        )  # auto: no vector sets
        assert isinstance(backend, QueryEngineBackend)
        kb = await KnowledgeBase(stack, prefix, LexicalEmbedder(), backend=backend).open()
        await kb.ingest([SAMPLES])
        results = await kb.search("로밍 요금", k=3, mode="vector", filters={"doc": "roaming"})
        assert results and {r.doc_id for r in results} == {"roaming"}
        tagged = await kb.search("요금", k=5, mode="vector", filters={"category": "device"})
        assert tagged and all(r.doc_id in ("lost-phone", "device-repair") for r in tagged), tagged
        assert (await kb.search("폰을 잃어버렸어요", k=1))[0].doc_id == "lost-phone"
        await kb.index.delete_document("roaming")
        assert "roaming" not in {r.doc_id for r in await kb.search("해외 로밍 요금제", k=5, mode="vector")}
        await kb.index.clear()
    finally:
        await stack.aclose()


# What the two backends share and where they may differ: vector sets keep Q8-quantized vectors by
# default, the Query Engine float32; both search exactly on 42 chunks. Quantization moves a cosine
# similarity by a few thousandths (measured here: at most 0.004 on the sample guides), so passages
# closer than QUANTIZATION_MARGIN may come in either order, and reciprocal-rank fusion, which reads
# ranks and not scores, then fuses a swapped pair of near-ties into a different order too.
QUANTIZATION_MARGIN = 0.01
FIGURE_TOLERANCE = 0.05  # two queries of the 44 may move one place


async def test_both_backends_agree_where_quantization_cannot_reorder(
    redis: Redis, query_engine_url: str, prefix: str
) -> None:
    """Exact search on 42 chunks either way: the same vector scores within the quantization margin,
    the same order wherever two passages are further apart than that, the same top passage where
    it leads by more, and every `kb eval` figure within FIGURE_TOLERANCE."""
    embedder = E5Embedder()
    cache = VectorCache(default_cache_dir() / "vectors.sqlite")  # the guides are embedded once
    stack = Redis.from_url(query_engine_url)
    queries = load_queries(QUERIES)
    try:
        figures, vectors = {}, {}
        for name, client, backend in (
            ("vectorset", redis, VectorSetBackend(redis, prefix)),
            ("redisvl", stack, QueryEngineBackend(stack, prefix)),
        ):
            kb = await KnowledgeBase(client, prefix, embedder, backend=backend, vector_cache=cache).open()
            await kb.ingest([SAMPLES])
            figures[name] = {
                s.mode: (s.recall_at_1, s.recall_at_3, s.mrr_at_10)
                for s in await evaluate(kb, load_queries(QUERIES))
            }
            vectors[name] = [
                {r.chunk_id: r.score for r in await kb.search(q.q, k=10, mode="vector")} for q in queries
            ]
            await kb.index.clear()
    finally:
        await stack.aclose()
    for query, quantized, exact in zip(queries, vectors["vectorset"], vectors["redisvl"], strict=True):
        shared = sorted(set(quantized) & set(exact), key=lambda c: -exact[c])
        assert len(shared) >= 8, query.q
        assert all(abs(quantized[c] - exact[c]) <= QUANTIZATION_MARGIN / 2 for c in shared), query.q
        for n, better in enumerate(shared):
            for worse in shared[n + 1 :]:
                if exact[better] - exact[worse] > QUANTIZATION_MARGIN:
                    assert quantized[better] > quantized[worse], (query.q, better, worse)
        leader = max(exact, key=exact.__getitem__)
        runner_up = max((s for c, s in exact.items() if c != leader), default=0.0)
        if exact[leader] - runner_up > QUANTIZATION_MARGIN:
            assert max(quantized, key=quantized.__getitem__) == leader, query.q
    for mode, exact_figures in figures["redisvl"].items():
        for ours, theirs in zip(figures["vectorset"][mode], exact_figures, strict=True):
            assert abs(ours - theirs) <= FIGURE_TOLERANCE, (mode, figures)
    assert figures["redisvl"]["hybrid"][1] >= 0.95 and figures["vectorset"]["hybrid"][1] >= 0.95
