"""`callassist bench asr`: how many concurrent calls one server transcribes with final p95 ≤ 1 s.

The server runs as its own process (embedded Redis, the model under test). N two-channel calls
play the synthesized Korean dialogue into it over the real ingest websocket in real time, each
starting at a different point of the dialogue, for a fixed duration. A console socket per call
timestamps every `final` and `partial` on arrival. Per final, latency is measured from the true end
of its speech (known from the synthesis) to its arrival: it includes the VAD's end-of-speech
hangover. The run is repeated for growing N, with batching on (max_batch) and off (max_batch 1,
one utterance per model call), and the capacity of each is the largest N with final p95 within the
target and no call refused. With `against` (settings to change, e.g. the previous defaults), the
batched search is repeated with each, and the ratio of the capacities is reported. With `windows`
(e.g. native,trim), the batched search is repeated with each encoder window policy (finals and
partials alike), so 30 s and trimmed windows are compared on the same model in the same run.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from websockets.exceptions import ConnectionClosed

from agent.audio.codecs import Encoding, encode
from agent.audio.wav import read_wav
from workbench.bench.harness import INGEST_KEY, FeedRecorder, ServerProcess
from workbench.demo.player import CallRefused, play
from workbench.demo.synth import SynthesizedCall, synthesize_call


@dataclass
class LoadResult:
    mode: str
    max_batch: int
    calls: int
    refused: int = 0
    dropped: int = 0
    finals: int = 0
    latency_p50: float | None = None
    latency_p95: float | None = None
    latency_p99: float | None = None
    partial_interval_p50: float | None = None  # between partial events of one utterance, on the console
    partial_decode_interval: float | None = None  # seconds of speech per partial the model decoded
    engine_rtf: float | None = None  # seconds of model time per second of audio decoded
    mean_batch: float | None = None
    latencies: list[float] = field(default_factory=list, repr=False)

    def within(self, target_p95: float) -> bool:
        return (
            self.refused == 0
            and self.dropped == 0
            and self.latency_p95 is not None
            and self.latency_p95 <= target_p95
        )


def _call_slice(
    audio: np.ndarray, truth: list[dict], offset: float, duration: float
) -> tuple[np.ndarray, list[dict]]:
    """`duration` seconds of the call starting at `offset`, wrapping around, with the truth moved along."""
    rate = 16000
    total = len(audio) / rate
    start = int(offset * rate)
    index = (start + np.arange(int(duration * rate))) % len(audio)
    shifted = []
    for lap in (0.0, total):
        for u in truth:
            s, e = u["start"] - offset + lap, u["end"] - offset + lap
            if s >= 0.0 and e <= duration - 1.0:  # speech that ends inside the window, with time to finish
                shifted.append({**u, "start": s, "end": e})
    return audio[index], shifted


async def _one_call(
    url: str, call_id: str, audio: np.ndarray, truth: list[dict], result: dict[str, Any]
) -> None:
    data = encode(audio.reshape(-1), Encoding.PCM_S16LE)
    feed = FeedRecorder(url, call_id)
    starts: list[float] = []

    async def started(at: float) -> None:
        starts.append(at)
        await feed.open()

    try:
        with contextlib.suppress(TimeoutError):
            await play(
                url, call_id, INGEST_KEY, data, encoding=Encoding.PCM_S16LE, sample_rate=16000,
                channel_roles=["customer", "agent"], agent_id="bench", on_started=started,
                settle_s=1.5, stop_timeout_s=30,  # the last finals arrive before stopping
            )  # fmt: skip
    except CallRefused:
        result["refused"] = True
        return
    except (ConnectionClosed, OSError):
        result["dropped"] = True
        return
    finally:
        await feed.close()
    began = starts[0]
    arrivals = [(at, e) for at, e in feed.arrivals if e.get("type") in ("final", "partial")]
    latencies, partial_gaps = [], []
    last_partial: dict[tuple[int, float], float] = {}
    for arrived, event in arrivals:
        key = (event["channel"], event["start"])
        if event["type"] == "partial":
            if key in last_partial:
                partial_gaps.append(arrived - last_partial[key])
            last_partial[key] = arrived
            continue
        matches = [
            u
            for u in truth
            if u["channel"] == event["channel"]
            and min(u["end"], event["end"]) - max(u["start"], event["start"]) > 0
        ]
        if matches:
            true_end = max(matches, key=lambda u: u["end"])["end"]
            latencies.append(arrived - (began + true_end))
    result.update(latencies=latencies, partial_gaps=partial_gaps)


async def run_load(
    model: Path, calls: int, duration: float, max_batch: int, call: SynthesizedCall, extra_env: dict[str, str]
) -> LoadResult:
    rate, audio = read_wav(call.wav_path)
    total = len(audio) / rate
    outcome = LoadResult(mode="batched" if max_batch > 1 else "sequential", max_batch=max_batch, calls=calls)
    env = {"CALLASSIST_ASR_MODEL": str(model), "CALLASSIST_ASR_MAX_BATCH": str(max_batch), **extra_env}
    async with ServerProcess(env) as server:
        results: list[dict[str, Any]] = [{} for _ in range(calls)]
        tasks = []
        speech_s = 0.0
        for i in range(calls):
            piece, truth = _call_slice(audio, list(call.utterances), total * i / calls, duration)
            speech_s += sum(u["end"] - u["start"] for u in truth)
            tasks.append(_one_call(server.url, f"bench-{i}", piece, truth, results[i]))
            await asyncio.sleep(0.05)  # callers do not all dial in the same millisecond
        await asyncio.gather(*tasks)
        m = await server.metrics()
    latencies = sorted(x for r in results for x in r.get("latencies", []))
    gaps = [x for r in results for x in r.get("partial_gaps", [])]
    outcome.refused = sum(bool(r.get("refused")) for r in results)
    outcome.dropped = sum(bool(r.get("dropped")) for r in results)
    outcome.finals = len(latencies)
    outcome.latencies = latencies
    if latencies:
        outcome.latency_p50, outcome.latency_p95, outcome.latency_p99 = (
            round(float(np.percentile(latencies, q)), 3) for q in (50, 95, 99)
        )
    if gaps:
        outcome.partial_interval_p50 = round(float(np.median(gaps)), 3)
    audio_s = sum(v for k, v in m.items() if k.startswith("callassist_asr_audio_seconds_total"))
    model_s = m.get("callassist_asr_batch_seconds_sum", 0.0)
    batches = m.get("callassist_asr_batch_size_count", 0.0)
    if audio_s:
        outcome.engine_rtf = round(model_s / audio_s, 4)
    if batches:
        outcome.mean_batch = round(m.get("callassist_asr_batch_size_sum", 0.0) / batches, 2)
    # With random weights every partial's text is guarded away, so the console sees none; the
    # model's own count still shows how often partials were decoded.
    partials = m.get('callassist_asr_job_seconds_count{kind="partial"}', 0.0)
    if partials:
        outcome.partial_decode_interval = round(speech_s / partials, 3)
    return outcome


async def find_capacity(
    model: Path,
    steps: list[int],
    duration: float,
    max_batch: int,
    target_p95: float,
    call: SynthesizedCall,
    extra_env: dict[str, str],
    log: Any = print,
) -> list[LoadResult]:
    runs = []
    for calls in steps:
        result = await run_load(model, calls, duration, max_batch, call, extra_env)
        runs.append(result)
        log(_row(result))
        if not result.within(target_p95):
            break
    return runs


def capacity(runs: list[LoadResult], target_p95: float) -> int:
    ok = [r.calls for r in runs if r.within(target_p95)]
    return max(ok) if ok else 0


HEADER = (
    f"{'mode':11} {'calls':>5} {'finals':>6} {'p50 s':>6} {'p95 s':>6} {'p99 s':>6} {'partial s':>9} "
    f"{'p-decode s':>10} {'RTF':>7} {'batch':>6} {'refused':>7}"
)


def _row(r: LoadResult) -> str:
    def f(x: float | None, width: int) -> str:
        return f"{x:>{width}.3f}" if x is not None else f"{'-':>{width}}"

    return (
        f"{r.mode:11} {r.calls:>5} {r.finals:>6} {f(r.latency_p50, 6)} {f(r.latency_p95, 6)} {f(r.latency_p99, 6)} "
        f"{f(r.partial_interval_p50, 9)} {f(r.partial_decode_interval, 10)} {f(r.engine_rtf, 7)} "
        f"{f(r.mean_batch, 6)} {r.refused + r.dropped:>7}"
    )


async def bench(
    model: Path | None,
    steps: list[int],
    duration: float,
    max_batch: int,
    target_p95: float,
    cache_dir: Path,
    tokens_per_second: float,
    device: str,
    compute_type: str,
    baseline: bool = True,
    windows: list[str] | None = None,
    against: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    from agent.asr.whisper_files import is_random_test_model
    from workbench.test_models import WHISPER_TINY, cached_test_model

    call = synthesize_call(cache_dir)
    model = model or cached_test_model(cache_dir, WHISPER_TINY)
    random = is_random_test_model(model)
    extra_env = {
        "CALLASSIST_ASR_MAX_TOKENS_PER_SECOND": str(tokens_per_second),
        "CALLASSIST_ASR_DEVICE": device,
        "CALLASSIST_ASR_COMPUTE_TYPE": compute_type,
    }
    print(
        f"model: {model}"
        + (
            " (RANDOM WEIGHTS: speed only; decoding capped at "
            f"{tokens_per_second:g} tokens per second of audio, no temperature fallback)"
            if random
            else ""
        )
    )
    print(
        f"{duration:g} s of real-time two-channel calls per step; target final p95 <= {target_p95:g} s "
        "(latency from the true end of speech, VAD hangover included)"
    )
    print(HEADER)
    batched = await find_capacity(model, steps, duration, max_batch, target_p95, call, extra_env)
    sequential = (
        await find_capacity(model, steps, duration, 1, target_p95, call, extra_env) if baseline else []
    )
    summary: dict[str, Any] = {
        "model": str(model),
        "random_weights": random,
        "max_tokens_per_second": tokens_per_second,
        "duration_s": duration,
        "target_p95_s": target_p95,
        "device": device,
        "cpu_count": os.cpu_count(),
        "batched": {
            "max_batch": max_batch,
            "capacity": capacity(batched, target_p95),
            "runs": [_public(r) for r in batched],
        },
    }
    if windows:
        summary["windows"] = {}
        for window in windows:
            print(f"encoder window: {window}")
            env = {**extra_env, "CALLASSIST_ASR_WINDOW": window, "CALLASSIST_ASR_PARTIAL_WINDOW": window}
            runs = await find_capacity(model, steps, duration, max_batch, target_p95, call, env)
            summary["windows"][window] = {
                "capacity": capacity(runs, target_p95),
                "runs": [_public(r) for r in runs],
            }
        print(
            "capacity by encoder window: "
            + ", ".join(f"{w} {v['capacity']}" for w, v in summary["windows"].items())
        )
    if against:
        summary["against"] = []
        for changed in against:
            print(f"settings changed: {changed}")
            runs = await find_capacity(
                model, steps, duration, max_batch, target_p95, call, {**extra_env, **changed}
            )
            found = capacity(runs, target_p95)
            mine = summary["batched"]["capacity"]
            summary["against"].append(
                {
                    "settings": changed,
                    "capacity": found,
                    "runs": [_public(r) for r in runs],
                    "defaults_vs_this": round(mine / found, 2) if found else None,
                }
            )
            print(f"capacity with {changed}: {found} (defaults: {mine})")
    if baseline:
        summary["sequential"] = {
            "max_batch": 1,
            "capacity": capacity(sequential, target_p95),
            "runs": [_public(r) for r in sequential],
        }
        base = summary["sequential"]["capacity"]
        summary["capacity_ratio"] = round(summary["batched"]["capacity"] / base, 2) if base else None
    print(
        f"capacity (calls with final p95 <= {target_p95:g} s): batched {summary['batched']['capacity']}"
        + (
            f", sequential {summary['sequential']['capacity']}, ratio {summary['capacity_ratio']}"
            if baseline
            else ""
        )
    )
    return summary


def _public(r: LoadResult) -> dict[str, Any]:
    data = asdict(r)
    data.pop("latencies")
    return data
