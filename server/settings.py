"""The one settings object. Built once at start (from `CALLASSIST_*` environment variables or a
`.env` file) and passed down; nothing else reads the environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from agent.asr.engine import WindowPolicy
from agent.asr.scheduler import PARTIAL_COST_SHARE
from agent.assist.wrapup import DEFAULT_DISPOSITIONS, parse_dispositions
from agent.events import Role
from agent.redaction.kinds import PiiType


def default_cache_dir() -> Path:
    """CALLASSIST_CACHE_DIR, else $XDG_CACHE_HOME/callassist, else ~/.cache/callassist (also for the
    test fixtures, which have no Settings object)."""
    if configured := os.environ.get("CALLASSIST_CACHE_DIR"):
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "callassist"


def _split_keys(value: object) -> object:
    """Keys come as a comma-separated string from the environment, or as a list in code."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _parse_agent_keys(value: object) -> object:
    """`agent-7:key1,agent-8:key2` → {"key1": "agent-7", "key2": "agent-8"}."""
    if isinstance(value, str):
        mapping: dict[str, str] = {}
        for pair in value.split(","):
            pair = pair.strip()
            if not pair:
                continue
            agent_id, sep, key = pair.partition(":")
            if not sep or not agent_id.strip() or not key.strip():
                raise ValueError(f"agent key entries look like AGENT_ID:KEY, got {pair!r}")
            mapping[key.strip()] = agent_id.strip()
        return mapping
    return value


def role_map(value: str) -> dict[str, Role]:
    """ "inbound:customer,outbound:agent" → {"inbound": Role.CUSTOMER, "outbound": Role.AGENT}."""
    roles = {}
    for pair in value.split(","):
        name, sep, role = pair.strip().partition(":")
        if not sep or not name.strip() or role.strip() not in ("customer", "agent"):
            raise ValueError(f"entries look like NAME:customer or NAME:agent, got {pair!r}")
        roles[name.strip()] = Role(role.strip())
    return roles


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CALLASSIST_", env_file=".env", extra="ignore", frozen=True)

    # --- server -------------------------------------------------------------------------------
    host: str = Field("127.0.0.1", description="Address `callassist serve` binds to.")
    port: int = Field(8000, description="Port `callassist serve` binds to.")
    public_url: str = Field("", description="Base URL printed in links (default: http://HOST:PORT).")
    log_level: str = Field("info", description="debug, info, warning or error.")
    log_format: Literal["json", "console"] = Field(
        "json", description="json (one object per line) or console (human-readable)."
    )

    # --- storage ------------------------------------------------------------------------------
    data_dir: Path = Field(Path("./data"), description="Embedded Redis data (AOF), sockets, demo keys.")
    cache_dir: Path = Field(
        default_factory=default_cache_dir, description="Speech models, synthesized audio."
    )
    redis_url: str = Field(
        "",
        description="External Redis ≥ 8.0 (redis://, rediss://, unix://; redis+sentinel://HOST:PORT[,HOST:PORT]/SERVICE[/DB] "
        "to follow the master that Sentinel names; redis+cluster://HOST:PORT[,HOST:PORT] (rediss+cluster:// with TLS) "
        "for a Redis Cluster). Empty: start the embedded one.",
    )
    redis_server: str = Field(
        "",
        description="redis-server binary for the embedded Redis (default: the packaged one, else one on PATH).",
    )
    redis_prefix: str = Field("ca:", description="Prefix of every Redis key this deployment writes.")
    redis_socket_timeout: float = Field(
        10.0, description="Seconds a Redis command may take; the console feeds' reader blocks for half of it."
    )
    redis_max_connections: int = Field(
        200,
        ge=4,
        description="Connections ingest, REST and post-call work share; a request waits up to "
        "redis_socket_timeout for a free one. Console feeds do not use them while idle.",
    )
    events_max_len: int = Field(
        10_000, description="Events kept per call/agent stream (older ones are trimmed)."
    )

    # --- auth (comma-separated) -----------------------------------------------------------------
    ingest_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Keys allowed to send call audio."
    )
    agent_keys: Annotated[dict[str, str], NoDecode] = Field(
        default_factory=dict, description="AGENT_ID:KEY pairs; an agent key sees only that agent's calls."
    )
    supervisor_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Keys that see every call."
    )
    auditor_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Keys that read the access log (GET /v1/audit), and no call."
    )
    audit_retention_days: float = Field(
        365, ge=0, description="Access-log records older than this are removed (0: kept for ever)."
    )

    # --- ingest ---------------------------------------------------------------------------------
    max_frame_bytes: int = Field(64_000, description="Largest binary audio frame accepted.")
    max_body_bytes: int = Field(
        1 << 20,
        ge=1024,
        description="Largest REST request body (an SDP offer is a few KB); larger ones get 413, and no "
        "body is read before its key is checked.",
    )
    max_call_seconds: float = Field(
        4 * 3600, description="Longest call (audio clock); longer ones are closed."
    )
    idle_timeout_seconds: float = Field(30.0, description="A call with no audio for this long is ended.")
    max_timestamp_gap_s: float = Field(
        5.0,
        ge=0.1,
        le=60.0,
        description="Longest gap a transport's timestamps may claim (Twilio, WebRTC); it is filled with "
        "silence, a longer one refuses the stream (4400).",
    )
    audio_queue_frames: int = Field(256, description="Frames buffered per call between socket and pipeline.")
    audio_frames_per_job: int = Field(
        50, ge=1, description="Frames a call that has fallen behind hands the audio workers in one job."
    )
    cpu_workers: int = Field(0, description="Threads for decode/resample/VAD (0: number of CPU cores).")

    metrics_networks: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Networks (comma-separated) whose clients read /metrics without a key (Prometheus in "
        "the cluster); loopback always may, anyone else needs a valid key.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Addresses or networks (comma-separated) of reverse proxies whose X-Forwarded-For is "
        "believed; empty: the socket's peer is the client, forwarded headers are ignored.",
    )
    auth_failures_per_minute: int = Field(
        20,
        ge=1,
        description="Wrong keys one client address may present per minute before it is refused (429 / 1008).",
    )

    # --- telephony and WebRTC ingest ------------------------------------------------------------
    twilio_track_roles: str = Field(
        "inbound:customer,outbound:agent", description="Role of each Twilio Media Streams track."
    )
    audiohook_channel_roles: str = Field(
        "external:customer,internal:agent", description="Role of each Genesys AudioHook channel."
    )
    twilio_auth_token: str = Field(
        "", description="With it, Twilio's X-Twilio-Signature is verified on every Media Streams connection."
    )
    audiohook_client_secret: str = Field(
        "",
        description="The AudioHook integration's client secret (base64): with it, every connection's "
        "HTTP message signature is verified.",
    )
    audiohook_default_agent: str = Field(
        "genesys", description="Agent id of AudioHook calls whose customConfig names no agent_id."
    )
    webrtc_ice_servers: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="STUN/TURN URLs for WebRTC (comma-separated; empty: host candidates only).",
    )

    # --- VAD and utterance segmentation -----------------------------------------------------
    vad_model: str = Field(
        "", description="silero-vad ONNX file (default: the one shipped in the silero-vad package)."
    )
    vad_threshold: float = Field(0.5, description="Speech probability that starts speech.")
    vad_negative_threshold: float = Field(
        0.35, description="Probability below which speech is considered stopped."
    )
    vad_pre_roll_ms: int = Field(300, description="Audio kept before the detected speech start.")
    vad_hangover_ms: int = Field(500, description="Silence that ends an utterance.")
    vad_min_speech_ms: int = Field(250, description="Shorter bursts are dropped.")
    vad_max_utterance_s: float = Field(15.0, description="Longer speech is cut at a low-energy point.")

    # --- console ----------------------------------------------------------------------------------
    call_lease_seconds: float = Field(
        30.0,
        ge=1.0,
        description="A live call's lease: refreshed every third of it; a call whose server stops refreshing "
        "it is ended by any server's sweeper (every third of it) as server_lost, with its summary.",
    )
    drain_seconds: float = Field(
        20.0,
        ge=0,
        description="On SIGTERM, live calls may go on this long (new ones are refused) before they are ended "
        "as server_shutdown; set terminationGracePeriodSeconds above it plus post_call_seconds.",
    )
    post_call_seconds: float = Field(
        45.0,
        ge=5.0,
        description="The one bound on a call's post-call work (suggestions in flight, final summary, archive "
        "entry): half of it for suggestions still being written, the rest for the summary; a drain waits this "
        "long for ended calls' work.",
    )
    console_send_timeout_seconds: float = Field(
        5.0, description="A console that takes longer to accept a message is dropped."
    )
    console_max_feeds: int = Field(
        5000, ge=1, description="Console feeds one server serves at once; more are refused with 1013."
    )
    console_poll_ms: int = Field(
        50,
        ge=5,
        le=1000,
        description="On a Redis Cluster, how often the console feeds' reader polls the streams it watches "
        "(one XREAD cannot span slots there); elsewhere it blocks and this is unused.",
    )

    # --- knowledge base ----------------------------------------------------------------------
    kb_chunk_tokens: int = Field(160, description="Chunk size in Kiwi morphemes.")
    kb_chunk_overlap: int = Field(
        24, description="Morphemes of whole sentences shared by consecutive chunks."
    )
    kb_embedder: str = Field(
        "e5",
        description="lexical (offline, not semantic), e5 (multilingual-e5-small, inside its wheel: semantic, "
        "offline), sentence-transformers:PATH_OR_ID, or openai:MODEL.",
    )
    vector_cache: bool = Field(
        True,
        description="Keep the vectors of guide passages and of the trigger and analytics exemplars in the "
        "cache directory (vectors.sqlite; configured text only, never a call's), so that ingesting "
        "again and starting again embed only new text.",
    )
    kb_rebuild_on_embedder_change: bool = Field(
        False,
        description="An index built with another embedder is emptied (re-ingest your guides) instead of "
        "refused; the demo sets it for its sample guides.",
    )
    kb_backend: Literal["auto", "vectorset", "redisvl"] = Field(
        "auto",
        description="vectorset, redisvl (needs the Query Engine), or auto (vector sets when Redis has them).",
    )
    kb_vector_weight: str = Field(
        "auto",
        description="Weight of the vector retriever in hybrid fusion (keyword: 1), or auto (measured per embedder).",
    )
    kb_sound_weight: float = Field(
        2.0,
        ge=0.0,
        description="Weight in hybrid fusion of the retriever that matches letters (jamo n-grams: robust to "
        "misheard words; keyword: 1); 0 leaves it out. Chosen on the calibration queries.",
    )
    kb_openai_base_url: str = Field("", description="Embeddings endpoint for openai:MODEL (empty: OpenAI's).")
    kb_openai_api_key: str = Field("", description="Key for that endpoint.")

    # --- ASR ---------------------------------------------------------------------------------
    asr_mode: Literal["local", "remote"] = Field(
        "local",
        description="local: this process runs the model; remote: recognition jobs go to `callassist asr-worker` "
        "processes through Redis (the model settings then apply to the workers).",
    )
    asr_reclaim_ms: int = Field(
        2000, ge=100, description="A worker takes over jobs another worker has held unanswered this long."
    )
    asr_model: str = Field(
        "builtin:whisper-base-ko-synth",
        description="builtin:whisper-base-ko-synth (tuned here), builtin:whisper-base, a CTranslate2 Whisper "
        "directory, a model id faster-whisper can download, or none (speech timing only, no text).",
    )
    asr_device: Literal["auto", "cuda", "cpu"] = Field("auto", description="auto, cuda or cpu.")
    asr_compute_type: str = Field(
        "default", description="int8, int8_float16, float16, float32 … (default: the model's)."
    )
    asr_language: str = Field("ko", description="Language token given to Whisper.")
    asr_beam_size: int = Field(1, description="Beam size (1: greedy).")
    asr_model_workers: int = Field(
        0,
        ge=0,
        le=64,
        description="Model replicas decoding at once (0: on a CPU one per usable core — CPU affinity within a container's CPU quota — at most 4; on a GPU 1).",
    )
    asr_reserve_final_worker: bool = Field(
        True,
        description="With several model workers, keep one free of partials so a final never waits behind them.",
    )
    asr_cpu_threads: int = Field(
        0,
        ge=0,
        le=256,
        description="CTranslate2 threads per model worker on a CPU (0: the usable cores shared among the workers).",
    )
    asr_max_batch: int = Field(16, description="Most utterances decoded in one batched model call.")
    asr_max_final_delay: float = Field(
        1.5, description="New calls are refused while final latency would exceed this (s)."
    )
    asr_partial_cost_share: float = Field(
        PARTIAL_COST_SHARE,
        ge=0,
        le=1,
        description="How much of the model time partials take counts towards a call's cost in admission "
        "(partials give way under load; 1: counted whole, fewer calls admitted).",
    )
    asr_partial_interval_ms: int = Field(
        700, description="A partial transcript every this much new speech (0: no partials)."
    )
    asr_max_tokens_per_second: float = Field(
        12.0, description="Decode length cap per second of audio (stops runaway loops)."
    )
    asr_speculative_ms: int = Field(
        64,
        description="Start decoding a final after this much silence, before the hangover confirms it (0: off).",
    )
    vad_end_complete_ms: int = Field(
        160,
        ge=0,
        le=5000,
        description="Silence that ends an utterance whose text at the pause ends a sentence (-요, -습니다, "
        "네 …); 0: the hangover always. Needs asr_speculative_ms <= this <= vad_hangover_ms.",
    )
    vad_end_incomplete_ms: int = Field(
        800,
        ge=0,
        le=5000,
        description="Silence that ends an utterance whose text at the pause is unfinished (a particle, "
        "a connective ending, a number being read); at least vad_hangover_ms.",
    )
    asr_korean_script_only: bool = Field(
        True,
        description="With asr_language ko, Whisper may not write Han (Hanja, Chinese), kana or another "
        "language's alphabet (Cyrillic, Greek, Arabic, Thai …): it picks "
        "among Hangul, Latin and digit spellings instead (agent/asr/scripts.py).",
    )
    asr_prompt_tokens: int = Field(
        64, description="Tokens of the channel's previous final text given as prompt."
    )
    asr_word_confidence: bool = Field(
        True,
        description="Finals carry each word's probability (uncertain words shown, masked, searched apart).",
    )
    asr_uncertain_below: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="A word of a final whose lowest token probability is under this is uncertain: shown "
        "apart on the console, marked in exports, and masked as [번호] if it looks like digits read out "
        "(0: no word is uncertain).",
    )
    asr_window: str = Field(
        "auto",
        description="Encoder window of finals: native (Whisper's 30 s), trim (utterance + margin), seconds, "
        "or auto (the window the model was tuned for, else native).",
    )
    asr_partial_window: str = Field(
        "auto",
        description="Encoder window of partials, same choices (auto: the model's window, else trim).",
    )
    asr_window_margin_s: float = Field(0.5, description="Audio added after the utterance by trim windows.")

    # --- redaction ---------------------------------------------------------------------------------
    redact_types: Annotated[list[PiiType], NoDecode] = Field(
        default_factory=lambda: list(PiiType),
        description="PII masked before storage, indexing, LLM calls and export (comma-separated; "
        "number: any other run of 9+ digits nothing announces as non-personal; name, birth_date, "
        "address, plate: the quasi-identifiers).",
    )
    redact_keep_last4: bool = Field(
        False, description="Card, account and phone masks keep the last four digits: [카드번호 …1234]."
    )
    redact_agent_name: bool = Field(
        False, description="Also mask the agent's own name when they introduce themselves (kept by default)."
    )

    # --- assist: suggestions and summaries ------------------------------------------------------
    assist_enabled: bool = Field(True, description="Suggestions, summaries and the call archive.")
    assist_top_k: int = Field(3, description="Guide passages retrieved per suggestion.")
    assist_min_vector_score: str = Field(
        "auto",
        description="Relevance floor on the vector score (cosine+1)/2, or auto (measured per embedder: "
        "lexical 0.57, e5 0.925; 0.57 for others, re-tune for yours).",
    )
    assist_min_keyword_score: float = Field(
        1.0, description="Relevance floor on the BM25 score of a passage the keyword retriever found."
    )
    assist_semantic_triggers: Literal["auto", "on", "off"] = Field(
        "auto",
        description="Customer finals the trigger rules cannot tell are judged by their nearest labelled "
        "exemplars (auto: with a semantic embedder).",
    )
    assist_trigger_exemplars: Path | None = Field(
        None, description="JSONL of labelled customer utterances for that (default: the bundled set)."
    )
    assist_query_turns: int = Field(3, description="Recent customer finals the search query is built from.")
    assist_query_window_s: float = Field(
        90.0,
        gt=0,
        description="Customer finals older than this (call audio time) stay out of the search query.",
    )
    assist_repeat_topics: int = Field(
        2,
        ge=1,
        description="A passage already shown is not shown again while its guide is one of this many latest topics.",
    )
    assist_debounce_ms: int = Field(
        300, description="Least time between two suggestions; triggers meanwhile collapse into the latest."
    )
    assist_summary_every: int = Field(
        6, description="Finals between two rolling summaries (0: only on request and at hang-up)."
    )
    llm_model: str = Field("", description="Chat model for answers and summaries. Empty: extractive, no LLM.")
    llm_base_url: str = Field("", description="OpenAI-compatible endpoint (vLLM, Ollama …; empty: OpenAI's).")
    llm_api_key: str = Field("", description="Key for that endpoint (any string for servers without keys).")
    llm_timeout_s: float = Field(
        8.0, description="An answer or summary not complete by then falls back to the extractive one."
    )
    llm_max_tokens: int = Field(400, description="Most tokens an LLM answer or summary may take.")
    llm_temperature: float = Field(0.2, description="Sampling temperature of LLM calls.")

    # --- after-call work -------------------------------------------------------------------------
    analytics: bool = Field(
        True,
        description="Categories and alerts, customer sentiment and risk, QA on every call (docs/assistance.md).",
    )
    analytics_file: Path | None = Field(
        None,
        description="The analytics YAML: categories, sentiment lexicon, QA checklist (default: the bundled "
        "file). A file with an error stops the start with its line; `callassist check-config` checks it.",
    )
    wrapup_dispositions: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(DEFAULT_DISPOSITIONS),
        description="Disposition codes the agent picks from at wrap-up, CODE:label, comma-separated, in order.",
    )
    wrapup_hold_s: float = Field(
        120.0,
        ge=0,
        description="How long the sidebar stays on an ended call before the next call takes it "
        "(the next call waits as a banner until the wrap-up is submitted or this time has passed).",
    )

    # --- call archive ---------------------------------------------------------------------------
    archive_retention_days: float = Field(
        0, description="Calls older than this are deleted with their archive entry (0: keep)."
    )

    _split = field_validator(
        "ingest_keys",
        "supervisor_keys",
        "auditor_keys",
        "wrapup_dispositions",
        "redact_types",
        "webrtc_ice_servers",
        "trusted_proxies",
        "metrics_networks",
        mode="before",
    )(_split_keys)
    _agents = field_validator("agent_keys", mode="before")(_parse_agent_keys)

    @field_validator("trusted_proxies", "metrics_networks")
    @classmethod
    def _networks(cls, value: list[str], info: ValidationInfo) -> list[str]:
        import ipaddress

        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"{info.field_name}: {entry!r} is not an IP address or network") from None
        return value

    def metrics_open_to(self, client: str) -> bool:
        """Whether `client` may read /metrics without a key: loopback, or a metrics network."""
        import ipaddress

        try:
            address = ipaddress.ip_address(client)
        except ValueError:
            return False
        return address.is_loopback or any(
            address in ipaddress.ip_network(n, strict=False) for n in self.metrics_networks
        )

    @field_validator("vad_end_complete_ms", "vad_end_incomplete_ms")
    @classmethod
    def _end_of_turn_in_order(cls, value: int, info: ValidationInfo) -> int:
        speculative, hangover = info.data.get("asr_speculative_ms"), info.data.get("vad_hangover_ms")
        complete = info.data.get("vad_end_complete_ms", value)
        if speculative is None or hangover is None or not complete:
            return value  # reported on their own / end of turn off
        if info.field_name == "vad_end_complete_ms" and not speculative <= value <= hangover:
            raise ValueError(
                f"{value} ms is outside asr_speculative_ms ({speculative}) .. vad_hangover_ms ({hangover}); "
                "0 turns end of turn off"
            )
        if info.field_name == "vad_end_incomplete_ms" and value < hangover:
            raise ValueError(f"{value} ms is shorter than vad_hangover_ms ({hangover})")
        return value

    @field_validator("wrapup_dispositions")
    @classmethod
    def _dispositions(cls, value: list[str]) -> list[str]:
        parse_dispositions(value)  # ValueError naming the bad one
        return value

    @field_validator("redis_prefix")
    @classmethod
    def _prefix_shape(cls, value: str) -> str:
        if not value or any(ch.isspace() or ch in "{}" for ch in value):
            # braces in keys are Redis Cluster hash tags; the layout places them itself
            raise ValueError("redis_prefix must be non-empty and contain no whitespace or braces")
        return value

    @field_validator("twilio_track_roles", "audiohook_channel_roles")
    @classmethod
    def _role_map(cls, value: str) -> str:
        role_map(value)  # raises with the accepted form
        return value

    @property
    def twilio_roles(self) -> dict[str, Role]:
        """Twilio track name → the role it carries."""
        return role_map(self.twilio_track_roles)

    @property
    def audiohook_roles(self) -> dict[str, Role]:
        """AudioHook channel name → the role it carries."""
        return role_map(self.audiohook_channel_roles)

    @field_validator("asr_window", "asr_partial_window")
    @classmethod
    def _window(cls, value: str) -> str:
        if value and value != "auto":
            WindowPolicy.parse(value)  # raises with the accepted forms
        return value

    @field_validator("kb_vector_weight", "assist_min_vector_score")
    @classmethod
    def _auto_or_number(cls, value: str) -> str:
        if value != "auto":
            try:
                weight = float(value)
            except ValueError:
                raise ValueError("auto or a number >= 0") from None
            if not weight >= 0:
                raise ValueError("auto or a number >= 0")
        return value

    @property
    def base_url(self) -> str:
        return self.public_url.rstrip("/") or f"http://{self.host}:{self.port}"

    @property
    def worker_threads(self) -> int:
        return self.cpu_workers or (os.cpu_count() or 2)
