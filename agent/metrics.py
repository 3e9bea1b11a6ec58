"""Prometheus metrics of the call pipeline (served by the server at /metrics)."""

from prometheus_client import Counter, Gauge, Histogram

LIVE_CALLS = Gauge("callassist_live_calls", "Calls currently streaming audio into this process")
CALLS_ENDED = Counter("callassist_calls_ended_total", "Calls ended, by reason", ["reason"])
AUDIO_SECONDS = Counter(
    "callassist_audio_seconds_total", "Seconds of call audio received (per call, all channels)"
)
UTTERANCES = Counter("callassist_utterances_total", "Utterances segmented, by role", ["role"])
PIPELINE_CHUNK_SECONDS = Histogram(
    "callassist_pipeline_chunk_seconds",
    "Worker time to decode, resample and VAD one batch of frames",
    buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25),
)

ASR_QUEUE = Gauge("callassist_asr_queue_depth", "Utterance jobs waiting for the model", ["kind"])
ASR_BATCH_SIZE = Histogram(
    "callassist_asr_batch_size", "Jobs decoded per model call", buckets=(1, 2, 4, 8, 16, 32, 64, 128)
)
ASR_BATCH_SECONDS = Histogram(
    "callassist_asr_batch_seconds", "Model time per batch", buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10)
)
ASR_JOB_SECONDS = Histogram(
    "callassist_asr_job_seconds",
    "From submitting an utterance to its text (queue wait + model)",
    ["kind"],
    buckets=(0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10),
)
ASR_PARTIALS_SUPERSEDED = Counter(
    "callassist_asr_partials_superseded_total", "Queued partials replaced by newer audio"
)
ASR_GUARDED = Counter(
    "callassist_asr_guarded_total", "Recognized text dropped by a hallucination guard", ["reason"]
)
CALLS_REFUSED = Counter(
    "callassist_calls_refused_total", "Calls refused at start because recognition is at capacity"
)
ASR_AUDIO_SECONDS = Counter(
    "callassist_asr_audio_seconds_total", "Seconds of audio decoded by the model", ["kind"]
)
END_OF_TURN = Counter(
    "callassist_end_of_turn_total",
    "Pauses judged from the text decoded there: a sentence complete, incomplete, or unknown",
    ["ending"],
)
ASR_SPECULATIVE = Counter(
    "callassist_asr_speculative_finals_total",
    "Finals decoded early at a pause: used, or dropped when speech went on",
    ["outcome"],
)

ASSIST_TRIGGERS = Counter(
    "callassist_assist_triggers_total",
    "Customer finals that asked for something, by outcome (suggested, no_match, repeat, superseded, not_an_ask, error)",
    ["outcome"],
)
SUGGESTION_SECONDS = Histogram(
    "callassist_suggestion_seconds",
    "From a triggering final being stored to its suggestion event",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5),
)
INGEST_CHUNKS = Counter(
    "callassist_ingest_chunks_total",
    "Telephony audio chunks dropped on arrival, by protocol and why (duplicate, late)",
    ["protocol", "outcome"],
)
INGEST_FILLED_SECONDS = Counter(
    "callassist_ingest_filled_seconds_total",
    "Seconds of silence put where a track's chunks were missing, by protocol",
    ["protocol"],
)

# --- the recognition tier (agent/asr/worker.py), on each worker's own /metrics -------------------
REMOTE_QUEUE_WAIT = Histogram(
    "callassist_asr_remote_queue_wait_seconds",
    "Time a recognition job waited in the tier's stream before a worker took it",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10),
)
ASR_DEAD_LETTERS = Counter(
    "callassist_asr_dead_letters_total",
    "Recognition jobs given up (malformed, or delivered too often) and moved to the dead-letter stream",
)
REMOTE_JOB_SECONDS = Histogram(
    "callassist_asr_remote_job_seconds",
    "Time a worker took to answer one job (its batching included)",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10),
)

CATEGORY_HITS = Counter(
    "callassist_category_hits_total",
    "Turns in which a configured category was found",
    ["category", "severity"],
)
CUSTOMER_TURNS = Counter(
    "callassist_customer_turns_total", "Customer turns analysed live, by sentiment", ["sentiment"]
)
ANALYTICS_SKIPPED = Counter(
    "callassist_analytics_skipped_total",
    "Finals not analysed live because the call's analysis was far behind (analysed at hang-up)",
)
