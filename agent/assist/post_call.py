"""Post-call work, from what a call left in Redis: its final summary and its archive entry.

The live assistant calls `archive_call` at hang-up with the summary it just wrote. A call whose
server died (its lease expired) has no assistant any more: `finish_lost_call` rebuilds the same
work from the stored transcript, suggestions and feedback, so a supervisor finds it in the
archive and a team lead can export its summary like any other call."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from agent.analytics.analysis import AnalyzedTurn, archive_tags
from agent.analytics.live import analyse_call
from agent.assist.summarize import guides_used
from agent.events import TranscriptSegment, Turn, turns_from_transcript
from agent.feed import CallAnalytics, Summary
from kb.archive import ArchivedCall
from kb.vector_backends import SAFE_FILTER_VALUE

if TYPE_CHECKING:
    from agent.assist.assistant import AssistServices


async def archive_call(
    services: AssistServices,
    call: Mapping[str, Any],
    summary: Summary,
    turns: Sequence[Turn],
    tags: Sequence[str],
    ended_at: float,
) -> None:
    """Index one ended call in the archive: its summary's searchable text and its turns, tagged
    with the start metadata's tags, the guides it used and what its analytics found."""
    analysed = await services.records.analytics(str(call["call_id"])) if services.analytics else None
    found = archive_tags(analysed) if analysed and analysed.get("final") else []
    all_tags = [*tags, *(g["doc_id"] for g in summary.guides_used), *found]
    await services.archive.index_call(
        ArchivedCall(
            call_id=str(call["call_id"]),
            agent_id=str(call["agent_id"]),
            started_at=float(call.get("started_at", 0.0)),
            ended_at=ended_at,
            title=summary.reason,
            summary_text=summary.searchable_text(),
            turns=[(turn.role, turn.text) for turn in turns],
            tags=[t for t in dict.fromkeys(all_tags) if SAFE_FILTER_VALUE.match(t)],
        )
    )


async def analyse_ended_call(services: AssistServices, call_id: str, agent_id: str) -> dict[str, Any] | None:
    """The call's analytics from its stored transcript, as after hang-up (categories, sentiment,
    risk, QA): stored and announced. The same for a live call at hang-up and for a call rebuilt
    after its server died. None when analytics are off or the call has no text."""
    if services.analytics is None:
        return None
    rows = await services.store.transcript(call_id)
    turns = [AnalyzedTurn.of(TranscriptSegment.from_fields(r)) for r in rows if r.get("text")]
    if not turns:
        return None  # nothing was said (or no recognizer ran): nothing to analyse
    result = await analyse_call(services.analytics, turns)
    await services.records.put_analytics(call_id, result)
    await services.store.announce(agent_id, CallAnalytics(call_id=call_id, **result))
    return result


def start_tags(call: Mapping[str, Any]) -> list[str]:
    """The tags a call's start metadata gave it."""
    tags = (call.get("metadata") or {}).get("tags") or []
    return [str(t) for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


async def finish_lost_call(services: AssistServices, call: Mapping[str, Any]) -> Summary:
    """The final summary (stored and announced) and the archive entry of a call nobody finished."""
    call_id, agent_id = str(call["call_id"]), str(call["agent_id"])
    turns = turns_from_transcript(await services.store.transcript(call_id))
    suggestions = await services.records.suggestions(call_id)
    feedback = await services.records.feedback(call_id)
    summary = await services.summarizer.summarize(call_id, "final", turns, guides_used(suggestions, feedback))
    await services.records.put_summary(agent_id, summary)
    await analyse_ended_call(services, call_id, agent_id)
    await archive_call(services, call, summary, turns, start_tags(call), time.time())
    return summary
