"""The knowledge base's primary index: Redis vector sets (Redis ≥ 8: VADD / VSIM / VREM).

    {p}kb:vectors          vector set  one element per chunk (its chunk id), attributes for FILTER:
                                       {"doc": doc id, "category": …, "tags": [...]}
    {p}kb:chunk:{chunk_id} hash        doc_id, index, title, heading_path (JSON), text
    {p}kb:doc:{doc_id}     hash        title, source, content_hash, chunks, category, tags (JSON)
    {p}kb:docs             set         every document id
    {p}kb:meta             hash        embedder, dim, version (bumped by every change)

Similarity is cosine; VSIM reports it as (cosine + 1) / 2, which `search` returns as `score`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from redis.asyncio import Redis

from kb.chunking import Chunk


class IndexMismatch(RuntimeError):
    """The index was built with another embedder; its vectors cannot be compared with this one's."""


@dataclass(frozen=True)
class StoredDocument:
    doc_id: str
    title: str
    source: str
    content_hash: str
    chunks: int


@dataclass(frozen=True)
class VectorHit:
    chunk_id: str
    score: float


class VectorIndex:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis: Any = redis  # redis-py's result types are unions; this module decodes them
        self.prefix = prefix

    @property
    def vectors_key(self) -> str:
        return f"{self.prefix}kb:vectors"

    @property
    def meta_key(self) -> str:
        return f"{self.prefix}kb:meta"

    @property
    def docs_key(self) -> str:
        return f"{self.prefix}kb:docs"

    def chunk_key(self, chunk_id: str) -> str:
        return f"{self.prefix}kb:chunk:{chunk_id}"

    def doc_key(self, doc_id: str) -> str:
        return f"{self.prefix}kb:doc:{doc_id}"

    # --- embedder bookkeeping ------------------------------------------------------------------
    async def check_embedder(self, name: str, dim: int) -> None:
        """Record the embedder on first use; refuse a different one later."""
        meta = await self.redis.hgetall(self.meta_key)
        if not meta:
            await self.redis.hset(self.meta_key, mapping={"embedder": name, "dim": dim, "version": 0})
            return
        stored, stored_dim = meta[b"embedder"].decode(), int(meta[b"dim"])
        if (stored, stored_dim) != (name, dim):
            raise IndexMismatch(
                f"the knowledge base was indexed with embedder {stored} ({stored_dim} dimensions) but "
                f"{name} ({dim}) is configured; its vectors are not comparable. Re-index with "
                "`callassist kb ingest --rebuild PATH…`, or configure the embedder it was built with."
            )

    async def version(self) -> int:
        return int(await self.redis.hget(self.meta_key, "version") or 0)

    # --- documents -----------------------------------------------------------------------------
    async def document(self, doc_id: str) -> StoredDocument | None:
        raw = await self.redis.hgetall(self.doc_key(doc_id))
        if not raw:
            return None
        d = {k.decode(): v.decode() for k, v in raw.items()}
        return StoredDocument(doc_id, d["title"], d["source"], d["content_hash"], int(d["chunks"]))

    async def document_ids(self) -> set[str]:
        return {m.decode() for m in await self.redis.smembers(self.docs_key)}

    async def put_document(
        self,
        doc_id: str,
        title: str,
        source: str,
        content_hash: str,
        chunks: Sequence[Chunk],
        vectors: np.ndarray,
        terms: Sequence[str],
        category: str = "",
        tags: Sequence[str] = (),
    ) -> None:
        """Replace a document's chunks with `chunks` (one vector row and one space-joined term string each)."""
        await self.delete_document(doc_id, bump=False)
        attributes = json.dumps({"doc": doc_id, "category": category, "tags": list(tags)}, ensure_ascii=False)
        async with self.redis.pipeline(transaction=True) as pipe:
            for chunk, vector, chunk_terms in zip(chunks, vectors, terms, strict=True):
                pipe.execute_command(
                    "VADD", self.vectors_key, "FP32", np.asarray(vector, dtype="<f4").tobytes(), chunk.chunk_id,
                    "SETATTR", attributes,
                )  # fmt: skip
                pipe.hset(
                    self.chunk_key(chunk.chunk_id),
                    mapping={
                        "doc_id": doc_id,
                        "index": chunk.index,
                        "title": chunk.title,
                        "heading_path": json.dumps(list(chunk.heading_path), ensure_ascii=False),
                        "text": chunk.text,
                        "terms": chunk_terms,
                        "category": category,
                        "tags": json.dumps(list(tags), ensure_ascii=False),
                    },
                )
            pipe.hset(
                self.doc_key(doc_id),
                mapping={
                    "title": title,
                    "source": source,
                    "content_hash": content_hash,
                    "chunks": len(chunks),
                    "category": category,
                    "tags": json.dumps(list(tags), ensure_ascii=False),
                },
            )
            pipe.sadd(self.docs_key, doc_id)
            pipe.hincrby(self.meta_key, "version", 1)
            await pipe.execute()

    async def delete_document(self, doc_id: str, *, bump: bool = True) -> bool:
        stored = await self.document(doc_id)
        if stored is None:
            return False
        async with self.redis.pipeline(transaction=True) as pipe:
            for index in range(stored.chunks):
                chunk_id = f"{doc_id}#{index}"
                pipe.execute_command("VREM", self.vectors_key, chunk_id)
                pipe.delete(self.chunk_key(chunk_id))
            pipe.delete(self.doc_key(doc_id))
            pipe.srem(self.docs_key, doc_id)
            if bump:
                pipe.hincrby(self.meta_key, "version", 1)
            await pipe.execute()
        return True

    async def clear(self) -> None:
        for doc_id in await self.document_ids():
            await self.delete_document(doc_id, bump=False)
        await self.redis.delete(self.meta_key, self.vectors_key)

    # --- search --------------------------------------------------------------------------------
    async def search(
        self, vector: np.ndarray, k: int, filter_expression: str | None = None
    ) -> list[VectorHit]:
        if not await self.redis.exists(self.vectors_key):
            return []
        args: list[Any] = ["VSIM", self.vectors_key, "FP32", np.asarray(vector, dtype="<f4").tobytes(),
                           "WITHSCORES", "COUNT", k]  # fmt: skip
        if filter_expression:
            args += ["FILTER", filter_expression]
        reply = await self.redis.execute_command(*args)
        if isinstance(reply, dict):  # RESP3
            pairs = list(reply.items())
        else:
            pairs = list(zip(reply[::2], reply[1::2], strict=True))
        return [VectorHit(_text(element), float(score)) for element, score in pairs]

    async def all_chunk_terms(self) -> list[dict[str, Any]]:
        """chunk_id, doc_id, terms, category and tags of every chunk (for the keyword index)."""
        chunk_ids = []
        for doc_id in sorted(await self.document_ids()):
            stored = await self.document(doc_id)
            chunk_ids += [f"{doc_id}#{i}" for i in range(stored.chunks if stored else 0)]
        fields = ("doc_id", "terms", "category", "tags")
        async with self.redis.pipeline(transaction=False) as pipe:
            for chunk_id in chunk_ids:
                pipe.hmget(self.chunk_key(chunk_id), *fields)
            rows = await pipe.execute()
        out = []
        for chunk_id, values in zip(chunk_ids, rows, strict=True):
            if values[0] is None:
                continue
            row = dict(zip(fields, (_text(v) if v is not None else "" for v in values), strict=True))
            out.append({**row, "chunk_id": chunk_id, "tags": json.loads(row["tags"] or "[]")})
        return out

    async def chunks(self, chunk_ids: Sequence[str]) -> list[dict[str, Any]]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for chunk_id in chunk_ids:
                pipe.hgetall(self.chunk_key(chunk_id))
            rows = await pipe.execute()
        out = []
        for chunk_id, raw in zip(chunk_ids, rows, strict=True):
            d = {k.decode(): v.decode() for k, v in raw.items()}
            if d:
                d["heading_path"] = json.loads(d["heading_path"])
                d["tags"] = json.loads(d.get("tags") or "[]")
                d["chunk_id"] = chunk_id
                out.append(d)
        return out


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
