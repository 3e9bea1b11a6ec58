"""Every event a console feed carries, as a typed model: the contract between the call's brain
(which writes events), the console websocket and every client that reads it (the sidebar, the
supervisor page, the bench harness).

Each event is one of these models, built where its data is made; the store takes nothing else
(`CallStore.announce`), so nothing undocumented reaches a console; docs/protocols.md's event table is generated from these models
(`feed_table()`), and `tests/unit/test_docs.py` keeps the two the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from agent.events import TranscriptSegment


class FeedEvent(BaseModel):
    """Fields every event has (besides `id` and `type`, which the feed adds)."""

    model_config = ConfigDict(extra="forbid")

    call_id: str = Field(description="the call")


class CallStarted(FeedEvent):
    """The call is live."""

    agent_id: str = Field(description="its agent")
    started_at: float = Field(description="unix s")
    encoding: str = Field(description="`pcm_s16le`, `mulaw` or `alaw`")
    sample_rate: int = Field(description="Hz, as sent")
    channels: int
    channel_roles: list[str] = Field(description="role of each channel")
    metadata: dict[str, Any] = Field(description="the start message's, redacted")
    asr: dict[str, str | None] = Field(
        description="the recognizer writing this call's text: `model`, `kind`, `note`"
    )


class SpeechStarted(FeedEvent):
    """Speech has lasted `VAD_MIN_SPEECH_MS` on a channel."""

    channel: int
    role: str
    start: float = Field(description="s on the call's audio clock")


class Partial(FeedEvent):
    """Unstable text of speech in progress, replaced by the channel's next partial and by its final."""

    channel: int
    role: str
    start: float
    end: float = Field(description="how far the speech has been heard")
    text: str = Field(description="redacted")
    source: str = Field(description="`whisper`, `script`")


class Final(FeedEvent):
    """An utterance's text, stored in the transcript before this event."""

    seq: int = Field(description="0, 1, 2 … in the order finals were stored")
    channel: int
    role: str
    start: float
    end: float
    cut: Literal["silence", "max_length", "stream_end"] = Field(description="why the utterance ended")
    text: str | None = Field(description="redacted; null without a recognizer, empty when a guard dropped it")
    source: str | None = Field(description="`whisper`, `script`")
    guard: str | None = Field(description="why the recognizer's text was dropped")
    avg_logprob: float | None
    no_speech_prob: float | None
    word_probs: list[float] | None = Field(
        default=None,
        description="per word of `text` split at spaces: how sure the recognizer was (0-1; masks 1)",
    )
    uncertain: list[int] = Field(
        default_factory=list, description="indexes of the words under `CALLASSIST_ASR_UNCERTAIN_BELOW`"
    )

    @classmethod
    def of(cls, call_id: str, segment: TranscriptSegment) -> Final:
        """The announcement of a stored transcript segment (and how REST and exports show one)."""
        return cls(
            call_id=call_id,
            seq=segment.seq,
            channel=segment.channel,
            role=segment.role.value,
            start=round(segment.start, 3),
            end=round(segment.end, 3),
            cut=segment.cut,
            text=segment.text,
            source=segment.source,
            guard=segment.guard,
            avg_logprob=None if segment.avg_logprob is None else round(segment.avg_logprob, 4),
            no_speech_prob=None if segment.no_speech_prob is None else round(segment.no_speech_prob, 4),
            word_probs=list(segment.word_probs) or None,
            uncertain=segment.uncertain,
        )


class AudioEnded(FeedEvent):
    """The audio has stopped and the last finals are stored; the post-call summary follows."""

    reason: str
    audio_seconds: float


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_id: str
    chunk_id: str
    title: str
    heading_path: list[str]
    snippet: str
    score: float
    retriever_scores: dict[str, float]


class Trigger(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seq: int = Field(description="the customer final's")
    kind: Literal["question", "request", "problem"]
    text: str | None


class Suggestion(FeedEvent):
    """A reply the agent can give, from the guides."""

    suggestion_id: str = Field(description="`s1`, `s2` …")
    number: int
    status: Literal["done", "streaming"] = Field(description="`streaming` while an LLM writes")
    mode: Literal["extractive", "llm"]
    reply: str
    sources: list[Source] = Field(
        description="each: `doc_id`, `chunk_id`, `title`, `heading_path`, `snippet`, `score`, `retriever_scores`"
    )
    trigger: Trigger = Field(description="`seq` of the customer final, `kind`, `text`")
    query: str
    repeat: bool
    latency_ms: dict[str, float | None] = Field(
        description="`trigger`, `retrieval`, `answer`, `total`, from the final being stored"
    )


class SuggestionDelta(FeedEvent):
    """The next piece of a streamed LLM answer (append it)."""

    suggestion_id: str
    text: str


class SuggestionDone(FeedEvent):
    """A streamed answer is complete."""

    suggestion_id: str
    status: Literal["done"]
    mode: Literal["extractive", "llm"]
    reply: str = Field(description="the whole answer")
    fallback: str | None = Field(description="why the extracted answer replaced the LLM's")
    latency_ms: dict[str, float | None] = Field(description="with `first_token`")


class SuggestionFeedback(FeedEvent):
    """The agent accepted or dismissed a suggestion."""

    suggestion_id: str
    action: Literal["accept", "dismiss"]
    by: str
    at: float


class Summary(FeedEvent):
    """A rolling or the post-call summary."""

    kind: Literal["rolling", "final"]
    mode: Literal["extractive", "llm"]
    reason: str
    customer_issue: str
    agent_actions: list[str]
    resolution: str
    follow_ups: list[str]
    guides_used: list[dict[str, str]] = Field(description="`doc_id`, `title`, `status`: accepted/shown")
    keywords: list[str]
    prose: str
    finals: int = Field(description="transcript segments it covers")
    generated_at: float
    fallback: str | None = Field(None, description="why the LLM's summary was not used")
    ms: float = 0.0
    edited: bool = Field(False, description="corrected by the agent at wrap-up")

    def searchable_text(self) -> str:
        """What the call archive indexes of this summary: every field a supervisor might search."""
        parts = [self.reason, self.customer_issue, *self.agent_actions, self.resolution, *self.follow_ups]
        parts += [self.prose, " ".join(self.keywords), *(g.get("title", "") for g in self.guides_used)]
        return "\n".join(p for p in dict.fromkeys(parts) if p)


class Dtmf(FeedEvent):
    """A key was pressed on that side (Twilio; the digit is never stored)."""

    role: str


class AudioPaused(FeedEvent):
    """AudioHook paused the audio."""


class AudioResumed(FeedEvent):
    """AudioHook resumed the audio; `discarded_s` of silence kept the clock."""

    discarded_s: float


class IngestError(FeedEvent):
    """The telephony platform reported an error on its side."""

    code: int | str | None
    message: str


class CallEnded(FeedEvent):
    """The last event of a call's audio and post-call work (only its wrap-up may follow)."""

    reason: str
    audio_seconds: float
    ended_at: float


class CallTransferred(FeedEvent):
    """The call now belongs to another agent (their feed gets the call's events so far first; the
    previous agent's sidebar goes to wrap-up)."""

    from_agent: str
    to_agent: str
    by: str = Field(description="who moved it: `ingest`, `supervisor` or the agent id")
    at: float = Field(description="unix s")


class Wrapup(FeedEvent):
    """The agent's after-call work was submitted: disposition, note, whether the summary was corrected
    (a `summary` event with the corrected one comes before it)."""

    agent_id: str = Field(description="whose wrap-up (the call's agent, or one it was transferred away from)")
    disposition: str = Field(description="the code")
    label: str
    note: str = Field(description="redacted")
    by: str = Field(description="who submitted it: the agent id, or `supervisor`")
    at: float = Field(description="unix s")
    summary_edited: bool


class CallRefused(FeedEvent):
    """A call for this agent was refused before it started (on the agent's feed only): recognition
    is at capacity or unavailable; the caller's platform was told 1013."""

    reason: str
    refused_at: float = Field(description="unix s")


class CategoryFound(FeedEvent):
    """A configured category was found for the first time in this call (agent/analytics/data/analytics.yaml)."""

    name: str
    label: str
    severity: Literal["info", "warning", "critical"]
    alert: list[Literal["supervisor", "agent"]] = Field(
        description="who is alerted (`agent`: the sidebar too)"
    )
    seq: int = Field(description="the turn")
    role: str
    start: float = Field(description="s on the call's audio clock")
    how: str = Field(
        description="`phrase`, `sound` (a phrase misspelled by the recognizer), `pattern`, `exemplar`, "
        "`model` (the turn model's head) or `repeated_ask`"
    )
    evidence: str = Field(description="what matched (`model`: the turn's own words)")


class SentimentScored(FeedEvent):
    """A customer turn's sentiment, the call's trend and its risk."""

    seq: int
    start: float
    score: float = Field(description="-1 … 1")
    label: Literal["negative", "neutral", "positive"]
    trend: float = Field(description="exponentially weighted over the customer's turns")
    cues: list[str] = Field(description="the phrases (or `≈ exemplar`) that decided it")
    risk: float = Field(description="0 … 1: the most severe category plus the trend's negativity")
    risk_level: Literal["low", "medium", "high"]


class CallAnalytics(FeedEvent):
    """The call's analytics after hang-up: every category, sentiment, risk and the QA checklist."""

    categories: list[dict[str, Any]] = Field(description="first hit of each category with its `count`")
    sentiment: list[dict[str, Any]]
    trend: float | None
    negative_turns: int
    customer_turns: int
    risk: float
    risk_level: Literal["low", "medium", "high"]
    final: bool
    qa: dict[str, Any] | None = Field(
        None, description="`items` (met/missed/n/a with evidence) and `score` (0–100)"
    )


FEED_EVENTS: dict[str, type[FeedEvent]] = {
    "call_started": CallStarted,
    "speech_started": SpeechStarted,
    "partial": Partial,
    "final": Final,
    "audio_ended": AudioEnded,
    "suggestion": Suggestion,
    "suggestion_delta": SuggestionDelta,
    "suggestion_done": SuggestionDone,
    "suggestion_feedback": SuggestionFeedback,
    "summary": Summary,
    "category": CategoryFound,
    "sentiment": SentimentScored,
    "analytics": CallAnalytics,
    "dtmf": Dtmf,
    "audio_paused": AudioPaused,
    "audio_resumed": AudioResumed,
    "ingest_error": IngestError,
    "call_transferred": CallTransferred,
    "call_ended": CallEnded,
    "wrapup": Wrapup,
    "call_refused": CallRefused,
}


EVENT_TYPES: dict[type[FeedEvent], str] = {model: type_ for type_, model in FEED_EVENTS.items()}


def event_type(event: FeedEvent) -> str:
    """The `type` a console sees for this event."""
    return EVENT_TYPES[type(event)]


def feed_table() -> str:
    """The Markdown table of every event type and its fields (docs/protocols.md)."""
    rows = ["| Event | Fields |", "|---|---|"]
    for type_, model in FEED_EVENTS.items():
        fields = []
        for name, info in model.model_fields.items():
            if name == "call_id":
                continue
            fields.append(f"`{name}`" + (f" ({info.description})" if info.description else ""))
        what = (model.__doc__ or "").strip()
        rows.append(f"| `{type_}` | {', '.join(fields) or '–'}{': ' + what if what else ''} |")
    return "\n".join(rows)
