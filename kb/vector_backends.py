"""Where chunk vectors live and how they are searched; the rest of the index is plain hashes.

- `VectorSetBackend` (primary): a Redis vector set (VADD / VSIM / VREM, Redis ≥ 8), with the
  filter fields as element attributes.
- `QueryEngineBackend` (secondary): the vector as the `embedding` field of each chunk's hash,
  indexed and searched by the Redis Query Engine through redisvl (schema: `redisvl_schema.yaml`).

Both report `score` as (cosine + 1) / 2, VSIM's scale.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Protocol

import numpy as np
import yaml

from kb.redis_keys import RedisKeys
from kb.redis_values import as_text

SAFE_FILTER_VALUE = re.compile(r"^[\w\-. ]{1,100}$")
FILTER_NAMES = ("doc", "category", "tag")


@dataclass(frozen=True)
class VectorHit:
    chunk_id: str
    score: float


def check_filters(filters: Mapping[str, str] | None) -> None:
    for name, value in (filters or {}).items():
        if name not in FILTER_NAMES:
            raise ValueError(f"unknown filter {name!r}; known: {', '.join(FILTER_NAMES)}")
        if not SAFE_FILTER_VALUE.match(value):
            raise ValueError(f"filter {name}={value!r}: use letters, digits, spaces, '.', '_' or '-'")


class VectorBackend(Protocol):
    name: str

    async def prepare(self, dim: int) -> None: ...

    def queue_add(
        self, pipe: Any, chunk_id: str, vector: np.ndarray, doc_id: str, category: str, tags: list[str]
    ) -> None: ...

    def queue_remove(self, pipe: Any, chunk_id: str) -> None: ...

    async def search(
        self, vector: np.ndarray, k: int, filters: Mapping[str, str] | None
    ) -> list[VectorHit]: ...

    async def drop(self) -> None: ...


class VectorSetBackend:
    name = "vectorset"

    def __init__(self, redis: Any, prefix: str) -> None:
        self.redis = redis
        self.key = RedisKeys(prefix).kb_vectors

    async def prepare(self, dim: int) -> None:
        return None  # the set is created by its first VADD

    def queue_add(
        self, pipe: Any, chunk_id: str, vector: np.ndarray, doc_id: str, category: str, tags: list[str]
    ) -> None:
        attributes = json.dumps({"doc": doc_id, "category": category, "tags": tags}, ensure_ascii=False)
        blob = np.asarray(vector, dtype="<f4").tobytes()
        pipe.execute_command("VADD", self.key, "FP32", blob, chunk_id, "SETATTR", attributes)

    def queue_remove(self, pipe: Any, chunk_id: str) -> None:
        pipe.execute_command("VREM", self.key, chunk_id)

    @staticmethod
    def filter_expression(filters: Mapping[str, str] | None) -> str | None:
        """{"doc": "roaming", "category": "billing", "tag": "refund"} → a VSIM FILTER expression."""
        check_filters(filters)
        if not filters:
            return None
        terms = [f'"{v}" in .tags' if n == "tag" else f'.{n} == "{v}"' for n, v in filters.items()]
        return " and ".join(terms)

    async def search(self, vector: np.ndarray, k: int, filters: Mapping[str, str] | None) -> list[VectorHit]:
        expression = self.filter_expression(filters)
        return [
            VectorHit(element, score)
            for element, score in await vsim(self.redis, self.key, vector, k, expression)
        ]

    async def drop(self) -> None:
        await self.redis.delete(self.key)


async def vsim(
    redis: Any, key: str, vector: np.ndarray, k: int, expression: str | None
) -> list[tuple[str, float]]:
    """The `k` elements of vector set `key` nearest to `vector` (matching `expression`), with
    their scores, best first; nothing when the set does not exist yet."""
    if not await redis.exists(key):
        return []
    args: list[Any] = [
        "VSIM",
        key,
        "FP32",
        np.asarray(vector, dtype="<f4").tobytes(),
        "WITHSCORES",
        "COUNT",
        k,
    ]
    if expression:
        args += ["FILTER", expression]
    reply = await redis.execute_command(*args)
    pairs = (
        list(reply.items()) if isinstance(reply, dict) else list(zip(reply[::2], reply[1::2], strict=True))
    )
    return [(as_text(element), float(score)) for element, score in pairs]


def redisvl_schema(prefix: str, dim: int) -> dict[str, Any]:
    schema = yaml.safe_load(resources.files("kb").joinpath("redisvl_schema.yaml").read_text("utf-8"))
    schema["index"]["name"] = RedisKeys(prefix).kb_index_name
    schema["index"]["prefix"] = RedisKeys(prefix).kb_chunk_prefix
    for field in schema["fields"]:
        if field["type"] == "vector":
            field["attrs"]["dims"] = dim
    return schema


class QueryEngineBackend:
    name = "redisvl"

    def __init__(self, redis: Any, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix
        self._index: Any = None

    @property
    def chunk_prefix(self) -> str:
        return RedisKeys(self.prefix).kb_chunk_prefix

    async def prepare(self, dim: int) -> None:
        from redisvl.index import AsyncSearchIndex
        from redisvl.schema import IndexSchema

        self._index = AsyncSearchIndex(
            IndexSchema.from_dict(redisvl_schema(self.prefix, dim)), redis_client=self.redis
        )
        if await self._index.exists():
            info = await self._index.info()
            prefixes = [as_text(p) for p in info.get("index_definition", {}).get("prefixes", [])]
            if prefixes == [self.chunk_prefix]:
                return
            await self._index.delete(drop=False)  # made for the chunks' former key names
        await self._index.create()  # indexes the chunks already stored under the prefix, too

    def queue_add(
        self, pipe: Any, chunk_id: str, vector: np.ndarray, doc_id: str, category: str, tags: list[str]
    ) -> None:
        blob = np.asarray(vector, dtype="<f4").tobytes()
        pipe.hset(
            RedisKeys(self.prefix).kb_chunk(chunk_id), mapping={"embedding": blob, "tag_list": ",".join(tags)}
        )

    def queue_remove(self, pipe: Any, chunk_id: str) -> None:
        return None  # deleting the chunk's hash removes it from the index

    @staticmethod
    def vector_query(vector: np.ndarray, k: int, filters: Mapping[str, str] | None) -> Any:
        from redisvl.query import VectorQuery
        from redisvl.query.filter import FilterExpression, Tag

        check_filters(filters)
        fields = {"doc": "doc_id", "category": "category", "tag": "tag_list"}
        expression: FilterExpression | None = None
        for name, value in (filters or {}).items():
            term = Tag(fields[name]) == value
            expression = term if expression is None else expression & term
        return VectorQuery(
            np.asarray(vector, dtype=np.float32).tolist(), "embedding", return_fields=["doc_id"],
            num_results=k, filter_expression=expression,
        )  # fmt: skip

    async def search(self, vector: np.ndarray, k: int, filters: Mapping[str, str] | None) -> list[VectorHit]:
        rows = await self._index.query(self.vector_query(vector, k, filters))
        hits = []
        for row in rows:
            chunk_id = str(row["id"]).removeprefix(self.chunk_prefix)
            cosine = 1.0 - float(row["vector_distance"])
            hits.append(VectorHit(chunk_id, (cosine + 1.0) / 2.0))
        return hits

    async def drop(self) -> None:
        if self._index is not None and await self._index.exists():
            await self._index.delete(drop=False)  # the chunk hashes are removed by the caller


async def has_vector_sets(redis: Any) -> bool:
    try:
        reply = await redis.execute_command("COMMAND", "INFO", "VADD")
    except Exception:
        return False
    return bool(reply) and reply != [None]


async def has_query_engine(redis: Any) -> bool:
    try:
        await redis.execute_command("FT._LIST")
        return True
    except Exception:
        return False
