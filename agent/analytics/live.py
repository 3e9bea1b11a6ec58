"""A live call's analytics: a subscriber to the call's stored finals.

    session ──on_final()──▶ [finals, bounded] ──task──▶ worker thread: embed + analyse one turn
              (never waits)                                 │
                                                            ▼
                          `category` events (once per category and call), `sentiment` events
                          (each customer turn, with the trend and the call's risk), the record

`on_final` only enqueues; when the queue is full (analysis far behind), the turn is skipped live
and counted (`callassist_analytics_skipped_total`): the analysis at hang-up replays the whole
stored transcript anyway, so what is stored with the call is complete. Texts are the stored,
redacted ones.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import structlog

from agent import metrics
from agent.analytics.analysis import Analytics, AnalyzedTurn, CallAnalysis, TurnNews, record_of, risk_level
from agent.events import TranscriptSegment
from agent.feed import CategoryFound, SentimentScored

if TYPE_CHECKING:
    from agent.assist.records import AssistRecords

log = structlog.get_logger(__name__)

QUEUE_TURNS = 64


async def analyse_call(analytics: Analytics, turns: list[AnalyzedTurn]) -> dict[str, Any]:
    """A whole call as after hang-up (categories, sentiment, risk, QA), off the event loop."""
    return await asyncio.to_thread(lambda: analytics.replay(turns).result())


class LiveAnalytics:
    def __init__(self, call_id: str, agent_id: str, analytics: Analytics, records: AssistRecords) -> None:
        self.call_id = call_id
        self.agent_id = agent_id
        self._analytics = analytics
        self._records = records
        self._analysis: CallAnalysis = analytics.start()
        self._queue: asyncio.Queue[TranscriptSegment | None] = asyncio.Queue(QUEUE_TURNS)
        self._alerted: set[str] = set()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"analytics:{self.call_id}")

    def on_final(self, segment: TranscriptSegment, stored_at: float) -> None:
        if not segment.text:
            return
        try:
            self._queue.put_nowait(segment)
        except asyncio.QueueFull:
            metrics.ANALYTICS_SKIPPED.inc()

    async def _run(self) -> None:
        while (segment := await self._queue.get()) is not None:
            try:
                news = await asyncio.to_thread(self._analyse, AnalyzedTurn.of(segment))
                await self._announce(news)
            except Exception as exc:  # one turn's analysis failing must not end the call's
                log.warning("analytics_turn_failed", error=repr(exc), exc_info=exc)

    def _analyse(self, turn: AnalyzedTurn) -> TurnNews:
        return self._analysis.add(turn, self._analytics.embed(turn.text, turn.role))

    async def _announce(self, news: TurnNews) -> None:
        store = self._records.store
        for hit in news.hits:
            metrics.CATEGORY_HITS.labels(category=hit.name, severity=hit.severity).inc()
            if hit.name in self._alerted:
                continue
            self._alerted.add(hit.name)
            await store.announce(self.agent_id, CategoryFound(call_id=self.call_id, **record_of(hit)))
        if news.sentiment is not None:
            point = news.sentiment
            metrics.CUSTOMER_TURNS.labels(sentiment=point.label).inc()
            risk = self._analysis.risk
            scored = SentimentScored(
                call_id=self.call_id, **record_of(point), risk=risk, risk_level=risk_level(risk)
            )
            await store.announce(self.agent_id, scored)
        if news.hits or news.sentiment is not None:
            await self._records.put_analytics(self.call_id, self._analysis.result())

    async def finish(self, timeout_s: float) -> None:
        """Let the turns already queued be analysed (bounded), then stop."""
        if self._task is None:
            return
        try:
            self._queue.put_nowait(None)
        except asyncio.QueueFull:  # far behind: the hang-up analysis covers what is left
            self._task.cancel()
        done, _ = await asyncio.wait([self._task], timeout=timeout_s)
        if not done:
            self._task.cancel()
            log.warning("analytics_task_abandoned")
