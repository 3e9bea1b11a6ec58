"""`callassist bench burst`: many calls start at once (or arrive within a few seconds); who is
admitted, who is refused, and what the admitted get.

One `callassist serve` on its defaults (embedded Redis, the default speech model, VAD, redaction,
assistance) in its own process. For each burst size N, N calls of the bundled evaluation set
(round robin; each pass over the set spoken by other espeak-ng voices, four sets of them) open
their ingest sockets together — every `start` within a few milliseconds — and stream in real time,
each watched by a console feed. With `stagger_s` the calls arrive instead at independent random
times within that many seconds (seeded), as calls reach a contact centre; with `calls_each` each
of the N players makes that many calls one after another (N calls stay live for longer); the
latency is also reported over the finals whose speech ended while every player with an admitted
call was in one. Reported per size:

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
STAGGER_SEED = 20261204


@dataclass
class BurstStep:
    calls: int  # players, each making `calls_each` calls one after another
    calls_each: int
    admitted: int  # of calls × calls_each
    refused: int
    refusals: list[str]
    start_spread_ms: float  # first to last `started` reply of the admitted calls
    final_latency_p50: float | None
    final_latency_p95: float | None
    all_live_s: float  # how long every player was streaming a call at once
    all_live_finals: int  # finals whose speech ended in that span …
    all_live_p95: float | None  # … and their latency p95
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


def arrival_offsets(count: int, stagger_s: float, seed: int = STAGGER_SEED) -> list[float]:
    """When each of `count` calls starts, in seconds after the first could: all at 0 without a
    stagger, else independent uniform times within `stagger_s` (the first at 0)."""
    if stagger_s <= 0:
        return [0.0] * count
    times = sorted(np.random.default_rng(seed).uniform(0.0, stagger_s, count).tolist())
    return [round(t - times[0], 3) for t in times]


def all_live(players: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """The spans (start, end) in which every player was streaming a call: the intersection of each
    player's calls (a player between two calls is not live)."""
    if not players:
        return []
    common = sorted(players[0])
    for spans in players[1:]:
        ordered, both, i, j = sorted(spans), [], 0, 0
        while i < len(common) and j < len(ordered):
            start, end = max(common[i][0], ordered[j][0]), min(common[i][1], ordered[j][1])
            if start < end:
                both.append((start, end))
            if common[i][1] < ordered[j][1]:
                i += 1
            else:
                j += 1
        common = both
    return common


async def _player(url: str, calls: list[tuple[str, SynthesizedCall]], delay_s: float) -> list[Any]:
    """One player: after `delay_s`, its calls one after another (as an agent takes the next)."""
    await asyncio.sleep(delay_s)
    return [await stream_call(url, call_id, call, Encoding.PCM_S16LE, 1.0) for call_id, call in calls]


async def burst(
    cache_dir: Path,
    sizes: list[int],
    calls_file: Path | None = None,
    *,
    env: dict[str, str] | None = None,
    stagger_s: float = 0.0,
    calls_each: int = 1,
    log: Any = print,
) -> BurstReport:
    """`calls_each`: how many calls each of the N players makes one after another, so N calls stay
    live for that many call lengths."""
    calls_file = calls_file or default_calls_file()
    specs = load_calls(calls_file)
    if not specs or any(n < 1 for n in sizes):
        raise ValueError("a burst needs at least one call in the set and sizes of at least 1")
    if not 0 <= stagger_s <= 600:
        raise ValueError("the stagger is 0 to 600 seconds")
    if not 1 <= calls_each <= 20:
        raise ValueError("each player makes 1 to 20 calls")
    calls = _calls(cache_dir, specs, max(sizes) * calls_each)
    steps = []
    async with ServerProcess(dict(env or {})) as server:
        await server.cli("kb", "ingest", str(default_guides_dir()))
        info = json.loads(await server.cli("asr", "info", "--json"))
        model = str(info.get("setting") or info.get("model"))
        log(
            f"burst: {model}; sizes {sizes}"
            + (f", arriving within {stagger_s} s" if stagger_s else "")
            + (f", {calls_each} calls each" if calls_each > 1 else "")
        )
        for round_, size in enumerate(sizes, 1):
            # player n makes calls n, n + size, n + 2 × size …: other scripts and voices each time
            plays = [
                [(f"burst{round_}-{size}-{n}-{k}", n + k * size) for k in range(calls_each)]
                for n in range(size)
            ]  # a size may come twice: the round is in the id
            offsets = arrival_offsets(size, stagger_s)
            streams = await asyncio.gather(
                *(
                    _player(server.url, [(call_id, calls[i][1]) for call_id, i in play], delay)
                    for play, delay in zip(plays, offsets, strict=True)
                )
            )
            admitted_again = await _admitted_again(server.url, f"burst{round_}-{size}")
            latencies: list[float] = []
            timed: list[tuple[float, float]] = []  # (speech end, latency)
            live: list[list[tuple[float, float]]] = []  # (start, end) of each admitted player's calls
            firsts: list[float] = []
            edits = [0, 0]
            refusals, problems = [], []
            for play, played in zip(plays, streams, strict=True):
                spans = []
                for (call_id, i), (began, arrivals, problem) in zip(play, played, strict=True):
                    spec, call = calls[i]
                    if problem is not None and not arrivals:
                        refusals.append(problem)
                        continue
                    result = score_call(call_id, list(spec.get("expected_guides", [])), call, began, arrivals)
                    latencies.extend(result.latencies)
                    timed.extend(zip(result.speech_ends, result.latencies, strict=True))
                    spans.append((began, began + call.duration))
                    edits[0] += result.errors[2]
                    edits[1] += result.errors[3]
                    if problem is not None:
                        problems.append(f"{call_id}: {problem}")
                if spans:  # a caller whose every call was refused is not waited for
                    live.append(spans)
                    firsts.append(spans[0][0])
            spans_all_live = all_live(live)
            in_span = [latency for ended, latency in timed if any(a <= ended <= b for a, b in spans_all_live)]
            step = BurstStep(
                calls=size,
                calls_each=calls_each,
                admitted=size * calls_each - len(refusals),
                refused=len(refusals),
                refusals=sorted(set(refusals)),
                start_spread_ms=_spread_ms(firsts),
                final_latency_p50=_percentile(latencies, 50),
                final_latency_p95=_percentile(latencies, 95),
                all_live_s=round(sum(b - a for a, b in spans_all_live), 1),
                all_live_finals=len(in_span),
                all_live_p95=_percentile(in_span, 95),
                cer=round(edits[0] / max(edits[1], 1), 3),
                problems=problems,
                admitted_again_after_s=admitted_again,
            )
            log(
                f"  {size} calls"
                + (f" × {calls_each}" if calls_each > 1 else "")
                + f": {step.admitted} admitted, {step.refused} refused; final p50 "
                f"{step.final_latency_p50} s, p95 {step.final_latency_p95} s (all live for "
                f"{step.all_live_s} s: {step.all_live_finals} finals, p95 {step.all_live_p95} s); "
                f"CER {step.cer}; one more admitted {step.admitted_again_after_s} s after"
            )
            steps.append(step)
    return BurstReport(str(calls_file), model, steps)


def summary_table(report: BurstReport) -> str:
    lines = [
        f"model {report.model}, calls from {report.calls_file}",
        "",
        "| calls | admitted (started within) | refused | final p50 | final p95 "
        "| all live: s, finals, p95 | CER (no spaces) | admitted again after |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in report.steps:
        again = "-" if s.admitted_again_after_s is None else f"{s.admitted_again_after_s} s"
        live = f"{s.all_live_s} s, {s.all_live_finals}, {s.all_live_p95} s"
        calls = f"{s.calls} × {s.calls_each}" if s.calls_each > 1 else str(s.calls)
        lines.append(
            f"| {calls} | {s.admitted} ({s.start_spread_ms:.0f} ms) | {s.refused} | {s.final_latency_p50} s "
            f"| {s.final_latency_p95} s | {live} | {s.cer:.3f} | {again} |"
        )
    refusals = sorted({r for s in report.steps for r in s.refusals})
    if refusals:
        lines += ["", "refusals: " + "; ".join(refusals)]
    return "\n".join(lines)


def as_json(report: BurstReport) -> str:
    return json.dumps(asdict(report), ensure_ascii=False, indent=1)
