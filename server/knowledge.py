"""The knowledge base as configured: one place that builds it from settings."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from kb.chunking import ChunkingConfig
from kb.embedders import Embedder, LexicalEmbedder
from kb.knowledge import KnowledgeBase
from kb.vector_backends import (
    QueryEngineBackend,
    VectorBackend,
    VectorSetBackend,
    has_query_engine,
    has_vector_sets,
)
from server.settings import Settings


def embedder_from_settings(settings: Settings) -> Embedder:
    """`CALLASSIST_KB_EMBEDDER`: lexical, sentence-transformers:PATH_OR_ID, or openai:MODEL."""
    kind, _, target = settings.kb_embedder.partition(":")
    if kind == "lexical" and not target:
        return LexicalEmbedder()
    if kind == "sentence-transformers" and target:
        from kb.embedders.sentence_transformer import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(target)
    if kind == "openai" and target:
        from kb.embedders.openai_compatible import OpenAIEmbedder

        return OpenAIEmbedder(target, settings.kb_openai_base_url or None, settings.kb_openai_api_key)
    raise ValueError(
        f"CALLASSIST_KB_EMBEDDER={settings.kb_embedder!r}: use lexical, sentence-transformers:PATH_OR_ID or openai:MODEL"
    )


async def backend_from_settings(redis: Redis, settings: Settings) -> VectorBackend:
    """`CALLASSIST_KB_BACKEND`: vectorset, redisvl, or auto (vector sets when Redis has them)."""
    choice = settings.kb_backend
    if choice not in ("auto", "vectorset", "redisvl"):
        raise ValueError(f"CALLASSIST_KB_BACKEND={choice!r}: use auto, vectorset or redisvl")
    if choice == "vectorset" or (choice == "auto" and await has_vector_sets(redis)):
        return VectorSetBackend(redis, settings.redis_prefix)
    if await has_query_engine(redis):
        return QueryEngineBackend(redis, settings.redis_prefix)
    raise ValueError(
        "this Redis has neither vector sets (Redis >= 8) nor the Query Engine: no vector index possible"
    )


async def open_knowledge_base(redis: Redis, settings: Settings) -> KnowledgeBase:
    chunking = ChunkingConfig(max_tokens=settings.kb_chunk_tokens, overlap_tokens=settings.kb_chunk_overlap)
    embedder = await asyncio.to_thread(embedder_from_settings, settings)  # loading a model blocks
    backend = await backend_from_settings(redis, settings)
    return await KnowledgeBase(redis, settings.redis_prefix, embedder, chunking, backend).open()
