"""The knowledge base's document store in Redis: documents, chunks, their terms and their vectors.

Its keys (`kb/redis_keys.py`, tagged `{kb}`): one hash per chunk and per document, the set of
document ids, a meta hash (embedder, dimension, a version bumped by every change) and, with the
vector-set backend, one vector set (attributes `doc`, `category`, `tags` for FILTER).

Vectors go to a `VectorBackend` (kb/vector_backends.py). Similarity is cosine, reported as
(cosine + 1) / 2.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from redis.asyncio import Redis

from kb.chunking import Chunk
from kb.redis_keys import RedisKeys
from kb.redis_values import as_text
from kb.vector_backends import VectorBackend, VectorHit, VectorSetBackend


class IndexMismatch(RuntimeError):
    """The index was built with another embedder; its vectors cannot be compared with this one's."""


@dataclass(frozen=True)
class StoredDocument:
    doc_id: str
    title: str
    source: str
    content_hash: str
    chunks: int


class DocumentStore:
    def __init__(self, redis: Redis, prefix: str, backend: VectorBackend | None = None) -> None:
        self.redis: Any = redis  # redis-py's result types are unions; this module decodes them
        self.prefix = prefix
        self.keys = RedisKeys(prefix)
        self.backend = backend or VectorSetBackend(redis, prefix)

    # --- embedder bookkeeping ------------------------------------------------------------------
    async def check_embedder(self, name: str, dim: int) -> None:
        """Record the embedder on first use; refuse a different one later."""
        meta = await self.redis.hgetall(self.keys.kb_meta)
        if not meta:
            await self.redis.hset(self.keys.kb_meta, mapping={"embedder": name, "dim": dim, "version": 0})
            await self.backend.prepare(dim)
            return
        stored, stored_dim = meta[b"embedder"].decode(), int(meta[b"dim"])
        if (stored, stored_dim) != (name, dim):
            raise IndexMismatch(
                f"the knowledge base was indexed with embedder {stored} ({stored_dim} dimensions) but "
                f"{name} ({dim}) is configured; its vectors are not comparable. Re-index with "
                "`callassist kb ingest --rebuild PATH…`, or configure the embedder it was built with."
            )
        await self.backend.prepare(dim)

    async def version(self) -> int:
        return int(await self.redis.hget(self.keys.kb_meta, "version") or 0)

    # --- documents -----------------------------------------------------------------------------
    async def document(self, doc_id: str) -> StoredDocument | None:
        raw = await self.redis.hgetall(self.keys.kb_doc(doc_id))
        if not raw:
            return None
        d = {k.decode(): v.decode() for k, v in raw.items()}
        return StoredDocument(doc_id, d["title"], d["source"], d["content_hash"], int(d["chunks"]))

    async def document_ids(self) -> set[str]:
        return {m.decode() for m in await self.redis.smembers(self.keys.kb_docs)}

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
        async with self.redis.pipeline(transaction=True) as pipe:
            for chunk, vector, chunk_terms in zip(chunks, vectors, terms, strict=True):
                pipe.hset(
                    self.keys.kb_chunk(chunk.chunk_id),
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
                self.backend.queue_add(pipe, chunk.chunk_id, vector, doc_id, category, list(tags))
            pipe.hset(
                self.keys.kb_doc(doc_id),
                mapping={
                    "title": title,
                    "source": source,
                    "content_hash": content_hash,
                    "chunks": len(chunks),
                    "category": category,
                    "tags": json.dumps(list(tags), ensure_ascii=False),
                },
            )
            pipe.sadd(self.keys.kb_docs, doc_id)
            pipe.hincrby(self.keys.kb_meta, "version", 1)
            await pipe.execute()

    async def delete_document(self, doc_id: str, *, bump: bool = True) -> bool:
        stored = await self.document(doc_id)
        if stored is None:
            return False
        async with self.redis.pipeline(transaction=True) as pipe:
            for index in range(stored.chunks):
                chunk_id = f"{doc_id}#{index}"
                self.backend.queue_remove(pipe, chunk_id)
                pipe.delete(self.keys.kb_chunk(chunk_id))
            pipe.delete(self.keys.kb_doc(doc_id))
            pipe.srem(self.keys.kb_docs, doc_id)
            if bump:
                pipe.hincrby(self.keys.kb_meta, "version", 1)
            await pipe.execute()
        return True

    async def clear(self) -> None:
        for doc_id in await self.document_ids():
            await self.delete_document(doc_id, bump=False)
        await self.backend.drop()
        await self.redis.delete(self.keys.kb_meta)

    # --- search --------------------------------------------------------------------------------
    async def search(
        self, vector: np.ndarray, k: int, filters: Mapping[str, str] | None = None
    ) -> list[VectorHit]:
        return await self.backend.search(vector, k, filters)

    async def all_chunk_terms(self) -> list[dict[str, Any]]:
        """chunk_id, doc_id, terms, text, category and tags of every chunk (for the keyword indexes)."""
        doc_ids = sorted(await self.document_ids())
        async with self.redis.pipeline(transaction=False) as pipe:
            for doc_id in doc_ids:
                pipe.hget(self.keys.kb_doc(doc_id), "chunks")
            counts = await pipe.execute()
        chunk_ids = [f"{d}#{i}" for d, n in zip(doc_ids, counts, strict=True) for i in range(int(n or 0))]
        rows = await self._chunk_rows(chunk_ids, ("doc_id", "terms", "text", "category", "tags"))
        return [{**row, "tags": json.loads(row["tags"] or "[]")} for row in rows]

    async def chunks(self, chunk_ids: Sequence[str]) -> list[dict[str, Any]]:
        """The stored text fields of these chunks (not the Query Engine's binary `embedding`)."""
        rows = await self._chunk_rows(chunk_ids, CHUNK_FIELDS)
        for row in rows:
            row["heading_path"] = json.loads(row["heading_path"] or "[]")
            row["tags"] = json.loads(row["tags"] or "[]")
        return rows

    async def _chunk_rows(self, chunk_ids: Sequence[str], fields: Sequence[str]) -> list[dict[str, Any]]:
        """`fields` of each chunk as text, with its `chunk_id`; chunks deleted meanwhile left out."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for chunk_id in chunk_ids:
                pipe.hmget(self.keys.kb_chunk(chunk_id), *fields)
            replies = await pipe.execute()
        rows: list[dict[str, Any]] = []
        for chunk_id, values in zip(chunk_ids, replies, strict=True):
            if values[0] is None:
                continue
            row: dict[str, Any] = {
                f: as_text(v) if v is not None else "" for f, v in zip(fields, values, strict=True)
            }
            rows.append({**row, "chunk_id": chunk_id})
        return rows


CHUNK_FIELDS = ("doc_id", "index", "title", "heading_path", "text", "terms", "category", "tags")
