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
