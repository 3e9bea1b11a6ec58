"""The Query Engine backend (redisvl). Its schema and queries are checked offline; the live test
runs only against a Redis that has the Query Engine (the Redis 8 that set-up builds has not)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from redis.asyncio import Redis

from kb.embedders import LexicalEmbedder
from kb.knowledge import KnowledgeBase
from kb.vector_backends import QueryEngineBackend, VectorSetBackend, has_query_engine, redisvl_schema
from server.knowledge import backend_from_settings
from server.settings import Settings

SAMPLES = Path(__file__).resolve().parents[3] / "kb" / "samples"


def test_schema_file_is_filled_in_for_the_deployment() -> None:
    from redisvl.schema import IndexSchema

    schema = IndexSchema.from_dict(redisvl_schema("ca:", 1024))
    assert schema.index.name == "ca-kb" and schema.index.prefix == "ca:kb:chunk:"
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
    with pytest.raises(ValueError, match="use auto, vectorset or redisvl"):
        await backend_from_settings(redis, Settings(_env_file=None, kb_backend="faiss"))


async def test_live_query_engine_backend(redis: Redis, prefix: str) -> None:
    if not await has_query_engine(redis):
        pytest.skip(
            "this Redis has no Query Engine (FT._LIST is an unknown command): the Redis 8 built by "
            "set-up comes without RediSearch; run against Redis Stack or Redis 8 with modules"
        )
    kb = await KnowledgeBase(
        redis, prefix, LexicalEmbedder(), backend=QueryEngineBackend(redis, prefix)
    ).open()
    await kb.ingest([SAMPLES])
    results = await kb.search("로밍 요금", k=3, mode="vector", filters={"doc": "roaming"})
    assert results and {r.doc_id for r in results} == {"roaming"}
    await kb.index.clear()
