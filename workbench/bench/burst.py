"""`callassist bench burst`: many calls start at once; who is admitted, who is refused, and what
the admitted get.

One `callassist serve` on its defaults (embedded Redis, the default speech model, VAD, redaction,
assistance) in its own process. For each burst size N, N calls of the bundled evaluation set
(round robin, each repeat spoken by other espeak-ng voices so no two calls are the same audio) open
their ingest sockets together — every `start` within a few milliseconds — and stream in real time,
each watched by a console feed. Reported per size:

- admitted and refused calls, with the refusals' close codes and reasons (admission by cost:
  1013 when recognition is at capacity);
- final latency p50/p95 over the admitted calls, from the true end of an utterance's speech to its
  final on the console (VAD hangover included), and CER of the admitted calls;
- how long after the burst ended one more call is admitted again (the cost estimate recovering by
  itself).
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from agent.audio.codecs import Encoding
from workbench.bench.e2e import default_guides_dir, score_call, stream_call
from workbench.bench.harness import INGEST_KEY, ServerProcess
from workbench.bench.window import default_calls_file, load_calls
from workbench.demo.player import CallRefused, play
from workbench.demo.synth import SynthesizedCall, synthesize_call

# espeak-ng voices per repeat of a call: other speakers, other speaking times
VOICE_SETS: tuple[dict[str, str], ...] = (
    {"customer": "ko+m3", "agent": "ko+f2"},
    {"customer": "ko+f4", "agent": "ko+m1"},
    {"customer": "ko+m7", "agent": "ko+f3"},
    {"customer": "ko+f1", "agent": "ko+m5"},
)
RECOVERY_LIMIT_S = 60.0


@dataclass
class BurstStep:
    calls: int
    admitted: int
    refused: int
    refusals: list[str]
    start_spread_ms: float  # first to last `started` reply of the admitted calls
    final_latency_p50: float | None
    final_latency_p95: float | None
    cer: float
    problems: list[str]
    admitted_again_after_s: float | None  # None: not within RECOVERY_LIMIT_S


@dataclass
class BurstReport:
    calls_file: str
    model: str
    steps: list[BurstStep]


def _percentile(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 3) if values else None


def _spread_ms(times: list[float]) -> float:
    return round((max(times) - min(times)) * 1000, 1) if times else 0.0


def _calls(
    cache_dir: Path, specs: list[dict[str, Any]], count: int
) -> list[tuple[dict[str, Any], SynthesizedCall]]:
    out = []
    for index in range(count):
        spec = specs[index % len(specs)]
        voices = VOICE_SETS[(index // len(specs)) % len(VOICE_SETS)]
        out.append((spec, synthesize_call(cache_dir, spec, voices)))
    return out


async def _admitted_again(url: str, tag: str) -> float | None:
    """Seconds until a one-second call is admitted, trying every half second."""
    began = time.monotonic()
    silence = bytes(16000 * 2 * 2)  # 1 s, two channels, 16-bit
    attempt = 0
    while time.monotonic() - began < RECOVERY_LIMIT_S:
        attempt += 1
        try:
            await play(
                url, f"{tag}-probe-{attempt}", INGEST_KEY, silence, encoding=Encoding.PCM_S16LE,
                sample_rate=16000, channel_roles=("customer", "agent"), agent_id="bench", speed=0,
                stop_timeout_s=60,
            )  # fmt: skip
            return round(time.monotonic() - began, 2)
        except CallRefused:
            await asyncio.sleep(0.5)
    return None


async def burst(
    cache_dir: Path,
    sizes: list[int],
    calls_file: Path | None = None,
    *,
    env: dict[str, str] | None = None,
    log: Any = print,
) -> BurstReport:
    calls_file = calls_file or default_calls_file()
    specs = load_calls(calls_file)
    if not specs or any(n < 1 for n in sizes):
        raise ValueError("a burst needs at least one call in the set and sizes of at least 1")
    calls = _calls(cache_dir, specs, max(sizes))
    steps = []
    async with ServerProcess(dict(env or {})) as server:
        await server.cli("kb", "ingest", str(default_guides_dir()))
        info = json.loads(await server.cli("asr", "info", "--json"))
        model = str(info.get("setting") or info.get("model"))
        log(f"burst: {model}; sizes {sizes}")
        for round_, size in enumerate(sizes, 1):
            chosen = calls[:size]
            ids = [f"burst{round_}-{size}-{n}" for n in range(size)]  # a size may come twice
            streams = await asyncio.gather(
                *(
                    stream_call(server.url, call_id, call, Encoding.PCM_S16LE, 1.0)
                    for call_id, (_, call) in zip(ids, chosen, strict=True)
                )
            )
            admitted_again = await _admitted_again(server.url, f"burst{round_}-{size}")
            latencies: list[float] = []
            edits = [0, 0]
            refusals, problems = [], []
            for (spec, call), call_id, (began, arrivals, problem) in zip(chosen, ids, streams, strict=True):
                if problem is not None and not arrivals:
                    refusals.append(problem)
                    continue
                result = score_call(call_id, list(spec.get("expected_guides", [])), call, began, arrivals)
                latencies.extend(result.latencies)
                edits[0] += result.errors[2]
                edits[1] += result.errors[3]
                if problem is not None:
                    problems.append(f"{call_id}: {problem}")
            step = BurstStep(
                calls=size,
                admitted=size - len(refusals),
                refused=len(refusals),
                refusals=sorted(set(refusals)),
                start_spread_ms=_spread_ms([began for began, arrivals, _ in streams if arrivals]),
                final_latency_p50=_percentile(latencies, 50),
                final_latency_p95=_percentile(latencies, 95),
                cer=round(edits[0] / max(edits[1], 1), 3),
                problems=problems,
                admitted_again_after_s=admitted_again,
            )
            log(
                f"  {size} at once: {step.admitted} admitted, {step.refused} refused; final p50 "
                f"{step.final_latency_p50} s, p95 {step.final_latency_p95} s; CER {step.cer}; "
                f"one more admitted {step.admitted_again_after_s} s after"
            )
            steps.append(step)
    return BurstReport(str(calls_file), model, steps)


def summary_table(report: BurstReport) -> str:
    lines = [
        f"model {report.model}, calls from {report.calls_file}",
        "",
        "| calls at once | admitted (started within) | refused | final p50 | final p95 | CER (no spaces) "
        "| admitted again after |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in report.steps:
        again = "-" if s.admitted_again_after_s is None else f"{s.admitted_again_after_s} s"
        lines.append(
            f"| {s.calls} | {s.admitted} ({s.start_spread_ms:.0f} ms) | {s.refused} | {s.final_latency_p50} s | {s.final_latency_p95} s "
            f"| {s.cer:.3f} | {again} |"
        )
    refusals = sorted({r for s in report.steps for r in s.refusals})
    if refusals:
        lines += ["", "refusals: " + "; ".join(refusals)]
    return "\n".join(lines)


def as_json(report: BurstReport) -> str:
    return json.dumps(asdict(report), ensure_ascii=False, indent=1)
