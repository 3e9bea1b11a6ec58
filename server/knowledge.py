"""The knowledge base as configured: one place that builds it from settings."""

from __future__ import annotations

from redis.asyncio import Redis

from kb.chunking import ChunkingConfig
from kb.embedders import LexicalEmbedder
from kb.knowledge import KnowledgeBase
from server.settings import Settings


async def open_knowledge_base(redis: Redis, settings: Settings) -> KnowledgeBase:
    chunking = ChunkingConfig(max_tokens=settings.kb_chunk_tokens, overlap_tokens=settings.kb_chunk_overlap)
    return await KnowledgeBase(redis, settings.redis_prefix, LexicalEmbedder(), chunking).open()
