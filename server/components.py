"""The knowledge base, redaction, LLM and assistant as configured: one place that builds them
from settings."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import structlog
from redis.asyncio import Redis

from agent.analytics.analysis import Analytics
from agent.analytics.config import DEFAULT_FILE as DEFAULT_ANALYTICS_FILE
from agent.analytics.config import AnalyticsConfig, load_config
from agent.analytics.matching import ExemplarSpace
from agent.assist.assistant import AssistConfig, AssistServices
from agent.assist.llm import LlmClient, LlmConfig
from agent.assist.records import AssistRecords
from agent.assist.summarize import Summarizer
from agent.assist.triggers import EXEMPLARS, SemanticTriggers, load_exemplars
from agent.redaction.kinds import RedactionConfig
from agent.redaction.redactor import Redactor
from agent.store import CallStore
from kb.archive import CallArchive
from kb.chunking import ChunkingConfig
from kb.document_store import IndexMismatch
from kb.embedders import Embedder, LexicalEmbedder
from kb.embedders.base import DEFAULT_RELEVANCE_FLOOR
from kb.embedders.cache import VectorCache
from kb.knowledge import KnowledgeBase
from kb.vector_backends import (
    QueryEngineBackend,
    VectorBackend,
    VectorSetBackend,
    has_query_engine,
    has_vector_sets,
)
from server.settings import Settings

log = structlog.get_logger(__name__)


def embedder_from_settings(settings: Settings) -> Embedder:
    """`CALLASSIST_KB_EMBEDDER`: e5, lexical, sentence-transformers:PATH_OR_ID, or openai:MODEL."""
    kind, _, target = settings.kb_embedder.partition(":")
    if kind == "lexical" and not target:
        return LexicalEmbedder()
    if kind == "e5" and not target:
        from kb.embedders.e5 import E5Embedder

        return E5Embedder()
    if kind == "sentence-transformers" and target:
        from kb.embedders.sentence_transformer import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(target)
    if kind == "openai" and target:
        from kb.embedders.openai_compatible import OpenAIEmbedder

        return OpenAIEmbedder(target, settings.kb_openai_base_url or None, settings.kb_openai_api_key)
    raise ValueError(
        f"CALLASSIST_KB_EMBEDDER={settings.kb_embedder!r}: use e5, lexical, sentence-transformers:PATH_OR_ID or openai:MODEL"
    )


async def backend_from_settings(redis: Redis, settings: Settings) -> VectorBackend:
    """`CALLASSIST_KB_BACKEND`: vectorset, redisvl, or auto (vector sets when Redis has them)."""
    choice = settings.kb_backend
    if choice == "vectorset" or (choice == "auto" and await has_vector_sets(redis)):
        return VectorSetBackend(redis, settings.redis_prefix)
    if await has_query_engine(redis):
        return QueryEngineBackend(redis, settings.redis_prefix)
    raise ValueError(
        "this Redis has neither vector sets (Redis >= 8) nor the Query Engine: no vector index possible"
    )


def vector_cache(settings: Settings) -> VectorCache | None:
    """Where configured text's vectors are kept (`CALLASSIST_VECTOR_CACHE`), or None."""
    return VectorCache(settings.cache_dir / "vectors.sqlite") if settings.vector_cache else None


async def open_knowledge_base(redis: Redis, settings: Settings) -> KnowledgeBase:
    chunking = ChunkingConfig(max_tokens=settings.kb_chunk_tokens, overlap_tokens=settings.kb_chunk_overlap)
    embedder = await asyncio.to_thread(embedder_from_settings, settings)  # loading a model blocks
    backend = await backend_from_settings(redis, settings)
    weights = {"vector": vector_weight(settings, embedder), "sound": settings.kb_sound_weight}
    kb = KnowledgeBase(
        redis, settings.redis_prefix, embedder, chunking, backend, weights, vector_cache(settings)
    )
    try:
        return await kb.open()
    except IndexMismatch as mismatch:
        if not settings.kb_rebuild_on_embedder_change:
            raise
        log.warning("kb_index_emptied", reason=str(mismatch), hint="re-ingest the guides")
        await kb.index.clear()
        return await kb.open()


# The vector retriever's weight in fusion when CALLASSIST_KB_VECTOR_WEIGHT is auto, by embedder:
# chosen on the calibration queries (kb/data/fusion_train.jsonl), never on an evaluation set.
AUTO_VECTOR_WEIGHTS = {"lexical": 0.25, "e5": 1.0}


# The relevance floor on vector scores when CALLASSIST_ASSIST_MIN_VECTOR_SCORE is auto, by embedder:
# e5's cosines sit in a narrow band, so its floor is high; chosen on the calibration queries and a
# set of asks no sample guide answers (docs/assistance.md).
AUTO_VECTOR_FLOORS = {"lexical": DEFAULT_RELEVANCE_FLOOR, "e5": 0.925}


def _embedder_kind(embedder: Embedder) -> str:
    return "lexical" if embedder.name.startswith("lexical") else embedder.name.partition(":")[0]


def vector_weight(settings: Settings, embedder: Embedder) -> float:
    if settings.kb_vector_weight != "auto":
        return float(settings.kb_vector_weight)
    return AUTO_VECTOR_WEIGHTS.get(_embedder_kind(embedder), 1.0)


def min_vector_score(settings: Settings, embedder: Embedder) -> float:
    if settings.assist_min_vector_score != "auto":
        return float(settings.assist_min_vector_score)
    return AUTO_VECTOR_FLOORS.get(_embedder_kind(embedder), DEFAULT_RELEVANCE_FLOOR)


@dataclass(frozen=True)
class FinishBudget:
    """How a call's post-call work is bounded, derived once from `post_call_seconds`: the session
    waits `total_s` for the assistant to finish, of which the assistant gives `suggestions_s` to
    suggestions still being written before it writes the final summary and archive entry; a drain
    waits `total_s` (and a margin for the last writes) for ended calls."""

    total_s: float
    suggestions_s: float
    drain_margin_s: float = 5.0


def finish_budget(settings: Settings) -> FinishBudget:
    return FinishBudget(settings.post_call_seconds, settings.post_call_seconds / 2)


def redactor_from_settings(settings: Settings) -> Redactor:
    types = frozenset(settings.redact_types)
    return Redactor(
        RedactionConfig(
            types=types, keep_last4=settings.redact_keep_last4, agent_name=settings.redact_agent_name
        )
    )


def llm_from_settings(settings: Settings) -> LlmClient | None:
    """The configured LLM, or None (extractive answers and summaries) when no model is set."""
    if not settings.llm_model:
        return None
    return LlmClient(
        LlmConfig(
            model=settings.llm_model,
            base_url=settings.llm_base_url or None,
            api_key=settings.llm_api_key,
            timeout_s=settings.llm_timeout_s,
            max_tokens=settings.llm_max_tokens,
            temperature=settings.llm_temperature,
        )
    )


async def open_assist(redis: Redis, settings: Settings, store: CallStore) -> AssistServices:
    """Suggestions, summaries and the call archive, sharing the knowledge base's embedder."""
    kb = await open_knowledge_base(redis, settings)
    llm = llm_from_settings(settings)
    archive = CallArchive(
        redis,
        settings.redis_prefix,
        kb.embedder,
        await has_vector_sets(redis),
        min_vector_score(settings, kb.embedder),
    )
    if not await archive.check_embedder():
        log.warning("archive_embedder_changed", hint="past calls are searched by keywords only")
    config = AssistConfig(
        top_k=settings.assist_top_k,
        min_vector_score=min_vector_score(settings, kb.embedder),
        min_keyword_score=settings.assist_min_keyword_score,
        query_turns=settings.assist_query_turns,
        query_window_s=settings.assist_query_window_s,
        repeat_topics=settings.assist_repeat_topics,
        debounce_s=settings.assist_debounce_ms / 1000,
        summary_every=settings.assist_summary_every,
        finish_timeout_s=finish_budget(settings).suggestions_s,
    )
    await kb.warm_up()
    semantic = semantic_triggers_from_settings(settings, kb.embedder)
    if semantic is not None:
        await asyncio.to_thread(semantic.warm_up)
    analytics = analytics_from_settings(settings, kb.embedder)
    if analytics is not None:
        await asyncio.to_thread(analytics.warm_up)
    return AssistServices(
        store, AssistRecords(store), kb, archive, Summarizer(llm), llm, config, semantic, analytics
    )


def semantic_triggers_from_settings(settings: Settings, embedder: Embedder) -> SemanticTriggers | None:
    """`CALLASSIST_ASSIST_SEMANTIC_TRIGGERS`: auto (on with a semantic embedder, off with the
    lexical one, whose neighbours share words, not meaning), on, or off."""
    choice = settings.assist_semantic_triggers
    if choice == "off" or (choice == "auto" and isinstance(embedder, LexicalEmbedder)):
        return None
    return SemanticTriggers(
        embedder,
        load_exemplars(settings.assist_trigger_exemplars or EXEMPLARS),
        cache=vector_cache(settings),
    )


async def open_archive(redis: Redis, settings: Settings) -> CallArchive:
    embedder = await asyncio.to_thread(embedder_from_settings, settings)
    archive = CallArchive(
        redis,
        settings.redis_prefix,
        embedder,
        await has_vector_sets(redis),
        min_vector_score(settings, embedder),
    )
    await archive.check_embedder()
    return archive


def analytics_from_settings(settings: Settings, embedder: Embedder | None) -> Analytics | None:
    """The analytics file compiled (`AnalyticsConfigError` names its line), with its exemplars in the
    embedder's space when that is semantic; None when `CALLASSIST_ANALYTICS` is off."""
    if not settings.analytics:
        return None
    config = load_config(settings.analytics_file or DEFAULT_ANALYTICS_FILE)
    return analytics_for(config, embedder, vector_cache(settings))


def analytics_for(
    config: AnalyticsConfig, embedder: Embedder | None, cache: VectorCache | None = None
) -> Analytics:
    """A checked file compiled, its exemplars in the embedder's space when that is semantic (the
    lexical embedder's neighbours share words, not meaning: exemplars are left out with it)."""
    semantic = embedder is not None and not isinstance(embedder, LexicalEmbedder)
    space = ExemplarSpace(embedder, config.exemplar_texts(), cache) if semantic else None
    analytics = Analytics(config, space)
    if semantic and config.model is not None and analytics.model is None and embedder is not None:
        log.warning(
            "analytics_turn_model_left_out",
            embedder=embedder.name,
            reason="the turn model was trained with another embedder's vectors",
            hint="callassist analytics-model trains one for this embedder",
        )
    return analytics
