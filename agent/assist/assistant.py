"""The assistant of one live call: suggestions while the customer asks, summaries, and the
post-call work at hang-up.

    session ──on_final()──▶ turns (memory) + latest-trigger slot ──suggest task──▶ kb.search
                 (never waits)                     │                                │
                                                   │          extractive or LLM answer (streamed)
                                                   ▼                                ▼
                                       every N finals: summary slot    suggestion events → Redis
                                             ──summary task──▶ rolling summary → Redis

`on_final` only appends to memory and fills one-item slots (the newest trigger replaces an older
one not yet handled), so a slow LLM or Redis can never hold up the call's audio or transcript.
Texts here are the stored, redacted ones.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import structlog

from agent import metrics
from agent.analytics.analysis import Analytics
from agent.assist.extractive import extract_answer
from agent.assist.llm import LlmClient, LlmError
from agent.assist.post_call import analyse_ended_call, archive_call
from agent.assist.prompts import answer_messages
from agent.assist.records import AssistRecords
from agent.assist.summarize import CallSummary, Summarizer, guides_used
from agent.assist.triggers import SemanticTriggers, TriggerKind, rule_verdict
from agent.events import Role, TranscriptSegment, Turn
from agent.feed import Source, Suggestion, SuggestionDelta, SuggestionDone, Trigger
from agent.redaction.kinds import MASK_PATTERN
from agent.store import CallStore
from kb.archive import CallArchive
from kb.embedders.base import DEFAULT_RELEVANCE_FLOOR
from kb.knowledge import KnowledgeBase, SearchResult

log = structlog.get_logger(__name__)

DELTA_FLUSH_S = 0.05  # streamed answer text is written to Redis at most this often
EXTRA_CANDIDATES = 3  # retrieved beyond top_k, so that skipping repeats still leaves results


@dataclass(frozen=True)
class AssistConfig:
    top_k: int = 3
    min_vector_score: float = DEFAULT_RELEVANCE_FLOOR
    min_keyword_score: float = 1.0
    query_turns: int = 3
    query_window_s: float = 90.0  # customer turns older than this (call audio time) are not part of the query
    repeat_topics: int = 2  # a chunk shown for one of the last this-many topics is not shown again
    debounce_s: float = 0.3
    summary_every: int = 6
    finish_timeout_s: float = 30.0


@dataclass(frozen=True)
class AssistServices:
    """Shared by every call of the process."""

    store: CallStore
    records: AssistRecords
    kb: KnowledgeBase
    archive: CallArchive
    summarizer: Summarizer
    llm: LlmClient | None
    config: AssistConfig
    semantic_triggers: SemanticTriggers | None = None  # for finals the rules cannot tell
    analytics: Analytics | None = None  # categories, sentiment, QA (None: off)

    def passes_floor(self, result: SearchResult) -> bool:
        return passes_floor(result, self.config)


def passes_floor(result: SearchResult, config: AssistConfig) -> bool:
    """Relevant enough to suggest: found by the vector retriever, and every retriever that found it
    scored it at or above its floor (a passage that shares one word is not an answer). The keyword
    floor is judged on every word heard: a word the recognizer was unsure of does not rank passages
    (`Query.sure`), but leaving it out must not sink a passage below a floor set on whole queries."""
    scores = dict(result.retriever_scores)
    if result.keyword_all_words is not None and "keyword" in scores:
        scores["keyword"] = max(scores["keyword"], result.keyword_all_words)
    floors = {"vector": config.min_vector_score, "keyword": config.min_keyword_score}
    return "vector" in scores and all(score >= floors.get(name, 0.0) for name, score in scores.items())


@dataclass(frozen=True)
class _Trigger:
    segment: TranscriptSegment
    kind: TriggerKind | None  # None: the rules could not tell; the semantic tier decides
    stored_at: float  # perf_counter() when the segment was stored


def _source(result: SearchResult) -> Source:
    return Source(
        doc_id=result.doc_id,
        chunk_id=result.chunk_id,
        title=result.title,
        heading_path=list(result.heading_path),
        snippet=result.snippet,
        score=result.score,
        retriever_scores=dict(result.retriever_scores),
    )


@dataclass(frozen=True)
class Query:
    """What a trigger searches the guides with."""

    text: str  # the latest customer turns, the trigger's twice
    focus: str  # the trigger alone (the vector retriever's)
    sure: str | None  # `text` less its uncertain words, for the keyword retriever; None: all sure
    turns: list[str]  # the customer turns it was built from


def sure_text(segment: TranscriptSegment) -> str:
    """A final's text without the words the recognizer was unsure of."""
    uncertain = set(segment.uncertain)
    if not uncertain:
        return segment.text or ""
    return " ".join(word for i, word in enumerate((segment.text or "").split()) if i not in uncertain)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


class CallAssistant:
    def __init__(
        self, call_id: str, agent_id: str, services: AssistServices, tags: Sequence[str] = ()
    ) -> None:
        self.call_id = call_id
        self.agent_id = agent_id
        self.tags = list(tags)
        self._s = services
        self._turns: list[tuple[TranscriptSegment, Turn]] = []
        self._trigger: _Trigger | None = None  # the newest trigger not yet handled
        self._trigger_ready = asyncio.Event()
        self._summary_ready = asyncio.Event()
        self._finals_since_summary = 0
        self._suggestions: list[dict[str, Any]] = []
        self._shown_chunks: set[str] = set()
        self._recent_topics: deque[str] = deque(maxlen=services.config.repeat_topics)
        self._last_suggestion_at = 0.0
        self._closing = False
        self._busy = False
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._run_suggestions(), name=f"suggest:{self.call_id}"),
            asyncio.create_task(self._run_summaries(), name=f"summary:{self.call_id}"),
        ]

    # --- fed by the session (never waits) -----------------------------------------------------
    def on_final(self, segment: TranscriptSegment, stored_at: float) -> None:
        if not segment.text:
            return
        self._turns.append((segment, Turn(segment.role.value, segment.text)))
        self._finals_since_summary += 1
        if segment.role is Role.CUSTOMER:
            kind, decided = rule_verdict(segment.text)
            if kind is not None:
                if self._trigger is not None:
                    metrics.ASSIST_TRIGGERS.labels(outcome="superseded").inc()
                self._trigger = _Trigger(segment, kind, stored_at)
                self._trigger_ready.set()
            elif not decided and self._s.semantic_triggers is not None and self._trigger is None:
                # a possible ask: checked off the loop by the semantic tier; never displaces a known one
                self._trigger = _Trigger(segment, None, stored_at)
                self._trigger_ready.set()
        every = self._s.config.summary_every
        if every and self._finals_since_summary >= every:
            self._finals_since_summary = 0
            self._summary_ready.set()

    # --- suggestions ----------------------------------------------------------------------------
    async def _run_suggestions(self) -> None:
        while True:
            await self._trigger_ready.wait()
            wait = self._last_suggestion_at + self._s.config.debounce_s - time.perf_counter()
            if wait > 0 and not self._closing:
                await asyncio.sleep(wait)  # triggers meanwhile replace this one: the latest wins
            self._trigger_ready.clear()
            trigger, self._trigger = self._trigger, None
            if trigger is not None:
                self._busy = True
                try:
                    await self._suggest(trigger)
                except Exception as exc:  # one failed suggestion must not end the call's assistance
                    metrics.ASSIST_TRIGGERS.labels(outcome="error").inc()
                    log.warning("suggestion_failed", error=repr(exc), exc_info=exc)
                finally:
                    self._busy = False
            if self._closing and self._trigger is None:
                return

    def query_for(self, trigger: _Trigger) -> Query:
        """The search query (the latest customer turns with masks removed, the trigger counted twice),
        its focus for the vector retriever (the trigger alone), the same query less the words the
        recognizer was unsure of, and the turns it was built from."""
        window_start = trigger.segment.end - self._s.config.query_window_s
        segments = [
            segment
            for segment, _ in self._turns
            if segment.role is Role.CUSTOMER
            and segment.end >= window_start
            and segment.seq <= trigger.segment.seq
        ][-self._s.config.query_turns :]
        customer = [MASK_PATTERN.sub(" ", segment.text or "") for segment in segments]
        latest = MASK_PATTERN.sub(" ", trigger.segment.text or "")
        sure = [MASK_PATTERN.sub(" ", sure_text(segment)) for segment in [*segments, trigger.segment]]
        text = " ".join([*customer, latest])
        sure_query = " ".join(sure)
        return Query(text, latest, None if sure_query == text else sure_query, customer)

    async def _suggest(self, trigger: _Trigger) -> None:
        config = self._s.config
        if trigger.kind is None:
            semantic = self._s.semantic_triggers
            kind = (
                await asyncio.to_thread(semantic.classify, trigger.segment.text or "") if semantic else None
            )
            if kind is None:
                metrics.ASSIST_TRIGGERS.labels(outcome="not_an_ask").inc()
                return
            trigger = replace(trigger, kind=kind)
        assert trigger.kind is not None
        retrieval_started = time.perf_counter()
        asked = self.query_for(trigger)
        query, customer_turns = asked.text, asked.turns
        results = await self._s.kb.search(
            query, k=config.top_k + EXTRA_CANDIDATES, focus=asked.focus, sure=asked.sure
        )
        retrieved = time.perf_counter()
        passing = [r for r in results if self._s.passes_floor(r)]
        fresh = [
            r for r in passing if not (r.chunk_id in self._shown_chunks and r.doc_id in self._recent_topics)
        ]
        if not fresh:
            outcome = "no_match" if not passing else "repeat"
            metrics.ASSIST_TRIGGERS.labels(outcome=outcome).inc()
            log.debug("no_suggestion", outcome=outcome, query=query)
            await self._record_ask(trigger, outcome, results, None)
            return
        sources = fresh[: config.top_k]
        top = sources[0]
        repeat = top.chunk_id in self._shown_chunks
        extracted = await asyncio.to_thread(extract_answer, query, top.text or top.snippet)
        answered = time.perf_counter()
        number = len(self._suggestions) + 1
        shown = Suggestion(
            call_id=self.call_id,
            suggestion_id=f"s{number}",
            number=number,
            status="streaming" if self._s.llm else "done",
            mode="llm" if self._s.llm else "extractive",
            reply="" if self._s.llm else extracted,
            sources=[_source(r) for r in sources],
            trigger=Trigger(seq=trigger.segment.seq, kind=trigger.kind.value, text=trigger.segment.text),
            query=query,
            repeat=repeat,
            latency_ms={
                "trigger": _ms(retrieval_started - trigger.stored_at),
                "retrieval": _ms(retrieved - retrieval_started),
                "answer": _ms(answered - retrieved) if not self._s.llm else None,
                "total": _ms(answered - trigger.stored_at),
            },
        )
        suggestion = shown.model_dump(exclude={"call_id"})  # the record, completed when an LLM is done
        self._suggestions.append(suggestion)
        self._shown_chunks.add(top.chunk_id)  # the passage the reply came from; the others were only listed
        self._recent_topics.append(top.doc_id)
        await self._s.records.put_suggestion(self.call_id, suggestion)
        await self._s.store.announce(self.agent_id, shown)
        await self._record_ask(trigger, "suggested", results, suggestion["suggestion_id"])
        self._last_suggestion_at = time.perf_counter()
        metrics.ASSIST_TRIGGERS.labels(outcome="suggested").inc()
        metrics.SUGGESTION_SECONDS.observe(self._last_suggestion_at - trigger.stored_at)
        if self._s.llm is not None:
            await self._generate(
                self._s.llm, suggestion, customer_turns, sources, extracted, trigger.stored_at
            )

    async def _record_ask(
        self, trigger: _Trigger, outcome: str, results: Sequence[SearchResult], suggestion_id: str | None
    ) -> None:
        """What became of a customer's ask, for the knowledge-gap report: its best passage (even
        one below the floor) and whether a suggestion was shown."""
        best = results[0] if results else None
        await self._s.records.put_ask(
            self.call_id,
            {
                "seq": trigger.segment.seq,
                "kind": trigger.kind.value if trigger.kind else None,
                "text": trigger.segment.text,
                "outcome": outcome,
                "best": None
                if best is None
                else {
                    "doc_id": best.doc_id,
                    "chunk_id": best.chunk_id,
                    "title": best.title,
                    "score": best.score,
                    "retriever_scores": dict(best.retriever_scores),
                },
                "suggestion_id": suggestion_id,
                "at": round(time.time(), 3),
            },
        )

    async def _generate(
        self,
        llm: LlmClient,
        suggestion: dict[str, Any],
        customer_turns: list[str],
        sources: list[SearchResult],
        extracted: str,
        stored_at: float,
    ) -> None:
        """Stream the LLM's answer to the console; on error or timeout, the extracted one."""
        started = time.perf_counter()
        first_token: float | None = None
        unsent = ""
        last_flush = started
        answer = ""
        fallback = None

        async def on_delta(delta: str) -> None:
            nonlocal first_token, unsent, last_flush
            first_token = first_token or time.perf_counter()
            unsent += delta
            if time.perf_counter() - last_flush >= DELTA_FLUSH_S:
                await self._delta(suggestion["suggestion_id"], unsent)
                unsent, last_flush = "", time.perf_counter()

        try:
            answer = (await llm.stream(answer_messages(customer_turns, sources), on_delta)).strip()
            if unsent:
                await self._delta(suggestion["suggestion_id"], unsent)
            if not answer:
                raise LlmError("empty answer")
        except LlmError as error:
            fallback = error.reason
            log.warning("llm_answer_failed", reason=error.reason)
        done = time.perf_counter()
        suggestion.update(
            status="done",
            mode="llm" if fallback is None else "extractive",
            reply=answer if fallback is None else extracted,
            fallback=fallback,
        )
        suggestion["latency_ms"].update(
            answer=_ms(done - started),
            first_token=_ms(first_token - started) if first_token else None,
            total=_ms(done - stored_at),
        )
        await self._s.records.put_suggestion(self.call_id, suggestion)
        done_event = SuggestionDone(
            call_id=self.call_id,
            **{
                k: suggestion[k]
                for k in ("suggestion_id", "status", "mode", "reply", "fallback", "latency_ms")
            },
        )
        await self._s.store.announce(self.agent_id, done_event)

    async def _delta(self, suggestion_id: str, text: str) -> None:
        delta = SuggestionDelta(call_id=self.call_id, suggestion_id=suggestion_id, text=text)
        await self._s.store.announce(self.agent_id, delta)

    # --- summaries --------------------------------------------------------------------------------
    async def _run_summaries(self) -> None:
        """Rolling summaries until hang-up. It stops by itself when `_closing` is set (a summary in
        progress completes first): cancelling it is not relied on, since a library awaited inside
        may absorb a cancellation and leave the loop waiting for the next summary forever."""
        while not self._closing:
            await self._summary_ready.wait()
            self._summary_ready.clear()
            if self._closing:
                return
            try:
                await self.summarize("rolling")
            except Exception as exc:
                log.warning("rolling_summary_failed", error=repr(exc), exc_info=exc)

    async def summarize(self, kind: str) -> CallSummary:
        feedback = await self._s.records.feedback(self.call_id)
        guides = guides_used(self._suggestions, feedback)
        turns = [turn for _, turn in self._turns]
        summary = await self._s.summarizer.summarize(
            self.call_id, "final" if kind == "final" else "rolling", turns, guides
        )
        await self._s.records.put_summary(self.agent_id, summary)
        return summary

    # --- hang-up ----------------------------------------------------------------------------------
    async def finish(self) -> None:
        """Let the suggestion and the rolling summary in progress complete (bounded), then the final
        summary and the archive entry. Never waits on a cancelled task without a bound."""
        self._closing = True
        self._summary_ready.set()  # an idle summary loop wakes up and returns
        if self._tasks and self._trigger is None and not self._busy:
            self._tasks[0].cancel()  # the suggestion loop is idle: nothing to finish
        else:
            self._trigger_ready.set()
        if self._tasks:
            _, late = await asyncio.wait(self._tasks, timeout=self._s.config.finish_timeout_s)
            for task in late:
                log.warning("assist_task_abandoned", task=task.get_name())
                task.cancel()
        summary = await self.summarize("final")
        await analyse_ended_call(self._s, self.call_id, self.agent_id)
        call = await self._s.store.get_call(self.call_id) or {}
        await archive_call(
            self._s,
            {**call, "call_id": self.call_id, "agent_id": self.agent_id},
            summary,
            [turn for _, turn in self._turns],
            self.tags,
            ended_at=time.time(),
        )
