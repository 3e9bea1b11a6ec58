"""Every Redis key callassist writes, named in one place.

`RedisKeys(prefix)` builds each name; the modules that read and write Redis (the call store, the
assistant's records, the recognition tier, the knowledge base, the archive, the console-feed hub,
the layout upgrade) take their names from it and write none of their own. Keys of one call share
the Redis Cluster hash tag `{ID}`, the knowledge base `{kb}` and the archive `{archive}`, so the
writes that belong together are one transaction on one node.

`LAYOUT` says what each key holds; `layout_tables()` renders it for docs/redis-layout.md (the
key names there are made by the same methods, with `P` for the prefix and capitals for ids), and
tests/unit/test_docs.py keeps the two the same.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RedisKeys:
    prefix: str  # CALLASSIST_REDIS_PREFIX, e.g. "ca:"

    # --- one call: every key tagged {ID} ------------------------------------------------------
    def call(self, call_id: str) -> str:
        return f"{self.prefix}call:{{{call_id}}}"

    def lease(self, call_id: str) -> str:
        return f"{self.call(call_id)}:lease"

    def sweep(self, call_id: str) -> str:
        return f"{self.call(call_id)}:sweep"

    def transcript(self, call_id: str) -> str:
        return f"{self.call(call_id)}:transcript"

    def call_events(self, call_id: str) -> str:
        return f"{self.call(call_id)}:events"

    def suggestions(self, call_id: str) -> str:
        return f"{self.call(call_id)}:suggestions"

    def feedback(self, call_id: str) -> str:
        return f"{self.call(call_id)}:feedback"

    def summary(self, call_id: str) -> str:
        return f"{self.call(call_id)}:summary"

    def wrapup(self, call_id: str) -> str:
        return f"{self.call(call_id)}:wrapup"

    def analytics(self, call_id: str) -> str:
        return f"{self.call(call_id)}:analytics"

    def asks(self, call_id: str) -> str:
        return f"{self.call(call_id)}:asks"

    # --- agents and call lists ------------------------------------------------------------------
    def agent_events(self, agent_id: str) -> str:
        return f"{self.prefix}agent:{agent_id}:events"

    def agent_calls(self, agent_id: str) -> str:
        return f"{self.prefix}agent:{agent_id}:calls"

    @property
    def live_calls(self) -> str:
        return f"{self.prefix}calls:live"

    @property
    def all_calls(self) -> str:
        return f"{self.prefix}calls:all"

    # --- knowledge base: tagged {kb} ------------------------------------------------------------
    @property
    def kb_vectors(self) -> str:
        return f"{self.prefix}{{kb}}:vectors"

    @property
    def kb_chunk_prefix(self) -> str:
        return f"{self.prefix}{{kb}}:chunk:"

    def kb_chunk(self, chunk_id: str) -> str:
        return f"{self.kb_chunk_prefix}{chunk_id}"

    def kb_doc(self, doc_id: str) -> str:
        return f"{self.prefix}{{kb}}:doc:{doc_id}"

    @property
    def kb_docs(self) -> str:
        return f"{self.prefix}{{kb}}:docs"

    @property
    def kb_meta(self) -> str:
        return f"{self.prefix}{{kb}}:meta"

    @property
    def kb_index_name(self) -> str:
        """The Query Engine index (not a key: FT.* names it)."""
        return f"{self.prefix.rstrip(':')}-kb"

    # --- call archive: tagged {archive} ---------------------------------------------------------
    @property
    def archive_vectors(self) -> str:
        return f"{self.prefix}{{archive}}:vectors"

    def archive_chunk(self, chunk_id: str) -> str:
        return f"{self.prefix}{{archive}}:chunk:{chunk_id}"

    def archive_call(self, call_id: str) -> str:
        return f"{self.prefix}{{archive}}:call:{call_id}"

    @property
    def archive_calls(self) -> str:
        return f"{self.prefix}{{archive}}:calls"

    @property
    def archive_meta(self) -> str:
        return f"{self.prefix}{{archive}}:meta"

    # --- recognition tier -----------------------------------------------------------------------
    @property
    def asr_jobs(self) -> str:
        return f"{self.prefix}asr:jobs"

    def asr_replies(self, server: str) -> str:
        return f"{self.prefix}asr:replies:{server}"

    @property
    def asr_dead(self) -> str:
        return f"{self.prefix}asr:dead"

    @property
    def asr_workers(self) -> str:
        return f"{self.prefix}asr:workers"

    # --- access audit: tagged {audit} (the log and its head change in one transaction) ---------
    @property
    def audit(self) -> str:
        return f"{self.prefix}{{audit}}:log"

    @property
    def audit_head(self) -> str:
        return f"{self.prefix}{{audit}}:head"

    # --- other ----------------------------------------------------------------------------------
    @property
    def layout(self) -> str:
        return f"{self.prefix}layout"

    def feedhub_wake(self, token: str) -> str:
        return f"{self.prefix}feedhub:wake:{token}"


@dataclass(frozen=True)
class KeyDoc:
    key: str  # the name with P for the prefix and capitals for ids
    type: str
    content: str


_P = RedisKeys("P")

LAYOUT: dict[str, tuple[KeyDoc, ...]] = {
    "Calls": (
        KeyDoc(_P.call("ID"), "hash", "`call_id`, `agent_id`, `status` (live/ended), `started_at`, `ended_at`, "
               "`end_reason`, `audio_seconds`, `encoding`, `sample_rate`, `channels`, `channel_roles`, "
               "`metadata` (JSON values), `previous_agents` (JSON, after a transfer)"),
        KeyDoc(_P.lease("ID"), "string", "owner token of the live call; TTL 30 s (`CALL_LEASE_SECONDS`), "
               "refreshed while it runs"),
        KeyDoc(_P.sweep("ID"), "string, 60 s TTL", "which server is ending a call whose server died (so only "
               "one does)"),
        KeyDoc(_P.transcript("ID"), "stream", "one entry per final segment: `seq`, `channel`, `role`, `start`, "
               "`end`, `cut`, and `text` (empty when a guard dropped it), `source`, `guard`, `avg_logprob`, "
               "`no_speech_prob` when a recognizer ran (no `text` field: timing only); `word_probs` (one "
               "probability per word of `text`) and `uncertain_below` when the recognizer measured them"),
        KeyDoc(_P.call_events("ID"), "stream", "`type`, `data` (JSON): what the per-call console feed sends; "
               "capped at `EVENTS_MAX_LEN`"),
        KeyDoc(_P.suggestions("ID"), "hash", "suggestion id → the suggestion as finally shown (JSON)"),
        KeyDoc(_P.feedback("ID"), "hash", 'suggestion id → `{"action", "by", "at"}`'),
        KeyDoc(_P.summary("ID"), "string", "the latest summary (JSON): rolling while live, then final (with the "
               "agent's corrections once wrapped up: `edited`)"),
        KeyDoc(_P.wrapup("ID"), "hash", "agent id → that agent's wrap-up (JSON): `agent_id`, `disposition`, `label`, "
               "`note` (redacted), `by`, `at`, `summary_edited`; one per agent who had the call (transfers)"),
        KeyDoc(_P.analytics("ID"), "string", "the call's analytics (JSON, agent/analytics/analysis.py): `categories`, "
               "`sentiment` (per customer turn), `trend`, `risk`, `risk_level`, and after hang-up `qa` and `final`"),
        KeyDoc(_P.asks("ID"), "hash", "seq → a customer ask the assistant handled (JSON): `seq`, `kind`, `text`, "
               "`outcome` (suggested, no_match, repeat, not_an_ask), `best` (top passage and scores), "
               "`suggestion_id`, `at`; read by the knowledge-gap report"),
        KeyDoc(_P.agent_events("AGENT"), "stream", "a copy of every event of that agent's calls (`type`, `data`, "
               "`call_id`, and `call_event`: the event's id in the call's stream); a deleted call's copies are "
               "removed by these"),
        KeyDoc(_P.agent_calls("AGENT"), "sorted set", "that agent's call ids, scored by start time"),
        KeyDoc(_P.live_calls, "sorted set", "live call ids, scored by start time"),
        KeyDoc(_P.all_calls, "sorted set", "every call id, scored by start time"),
    ),
    "Knowledge base and archive": (
        KeyDoc(_P.kb_vectors, "vector set", "one element per guide chunk, attributes `doc`, `category`, `tags`"),
        KeyDoc(_P.kb_chunk("CHUNK"), "hash", "`doc_id`, `index`, `title`, `heading_path`, `text`, `terms`, "
               "`category`, `tags` (with the Query Engine backend also `embedding`, `tag_list`)"),
        KeyDoc(_P.kb_doc("DOC"), "hash", "`title`, `source`, `content_hash`, `chunks`, `category`, `tags`"),
        KeyDoc(_P.kb_docs, "set", "every document id"),
        KeyDoc(_P.kb_meta, "hash", "`embedder`, `dim`, `version` (moves with every change)"),
        KeyDoc(_P.archive_vectors, "vector set", "one element per archived passage (`ID#N`), attributes `agent`, "
               "`started_at`, `tags`"),
        KeyDoc(_P.archive_chunk("ID#N"), "hash", "`call_id`, `kind` (summary, transcript), `text`, `terms`"),
        KeyDoc(_P.archive_call("ID"), "hash", "`agent_id`, `started_at`, `ended_at`, `title`, `tags`, `chunks`"),
        KeyDoc(_P.archive_calls, "sorted set", "archived call ids by start time"),
        KeyDoc(_P.archive_meta, "hash", "`version` (keeps each process's BM25 in sync), `embedder`"),
    ),
    "Recognition tier": (
        KeyDoc(_P.asr_jobs, "stream, group `workers`", "recognition jobs: call, channel, role, kind, times, "
               "prompt, enqueue time, deadline, 16-bit PCM audio; answered jobs are acknowledged and deleted"),
        KeyDoc(_P.asr_replies("SERVER"), "stream", "answers for one server's waiting requests (text, source, "
               "log-prob, guard, word probabilities, or `stale`/`none`/`error`), each deleted as soon as it is "
               "read; the stream expires 120 s after its last answer (its server gone)"),
        KeyDoc(_P.asr_dead, "stream", "recognition jobs given up (malformed, or delivered 3 times): entry, job "
               "and call ids, kind, reason, worker; never the audio or text"),
        KeyDoc(_P.asr_workers, "hash", "worker name → JSON heartbeat (model, label, concurrency, capacity, done, "
               "stale, reclaimed, calls served lately, `refuses`: why its scheduler would take no further call, "
               "time)"),
    ),
    "Access audit": (
        KeyDoc(_P.audit, "stream", "one record per read of a call's content (server/audit.py): `at`, `key_id` (a "
               "digest of the key), `role`, `agent_id`, `action` (the endpoint), `calls`, `client`, `detail`, `prev` "
               "and `hash` (the SHA-256 chain); trimmed after `AUDIT_RETENTION_DAYS`; never the content"),
        KeyDoc(_P.audit_head, "string", "the hash of the newest record (records removed from the end are found)"),
    ),
    "Other": (
        KeyDoc(_P.layout, "string", "`hash-tags-1` once keys of the layout before hash tags have been renamed"),
        KeyDoc(_P.feedhub_wake("N"), "stream, 1 entry, 60 s TTL", "wakes a server's console-feed reader when a "
               "feed starts watching a new stream (not used on a Cluster)"),
    ),
}  # fmt: skip


def layout_tables() -> str:
    """docs/redis-layout.md's key tables, one per section of `LAYOUT`."""
    parts = []
    for section, keys in LAYOUT.items():
        rows = "\n".join(f"| `{k.key}` | {k.type} | {k.content} |" for k in keys)
        parts.append(f"### {section}\n\n| Key | Type | Content |\n|---|---|---|\n{rows}\n")
    return "\n".join(parts)
