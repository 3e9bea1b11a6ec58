"""`callassist bench calls`: the whole product on its defaults, measured from outside.

For each call of a JSONL set (turns with role and text, `expected_guides`: guide ids), espeak-ng
speaks the turns into a two-channel WAV with known speech edges. One `callassist serve` runs in its
own process on its defaults (embedded Redis, the default speech model, VAD, redaction,
assistance); the guide folder is ingested with `callassist kb ingest`; then each call is streamed
into the ingest socket in real time (16 kHz PCM, or 8 kHz μ-law as a phone line sends it) while a
console socket timestamps every event. Reported:

- CER with and without spaces: per channel, the reference turns against the stored finals, joined
  in order; summed over all calls (corpus CER, the server's normalizer);
- expected guides suggested: expected guide ids that a suggestion's top source named, and the
  suggestion latency (from the triggering final's write to the suggestion, the server's own
  `latency_ms.total`: trigger judgement, embedding, retrieval and answer);
- final latency p50/p95: from the true end of an utterance's speech to the last final that covers
  it, on the console (VAD hangover included);
- split share: where turns have pauses inside the sentence (`|` in the text, see
  workbench/demo/synth.py), the share of those pauses at which a final ended (the sentence was split);
- partial cadence: median time between two partials of one utterance on the console, and partials
  per second of speech.

With `transcripts="typed"` the server runs on the calls' script lines instead of a speech model
(`script:DIR`, one script per call id, marked `source: "script"`): the same calls, VAD and
assistance, with the text a perfect recognizer would write. Both in one run show what
recognition errors cost downstream.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from websockets.exceptions import ConnectionClosed

from agent.audio.codecs import Encoding
from agent.audio.wav import read_wav
from agent.text.korean import edits
from workbench.bench.harness import INGEST_KEY, FeedRecorder, ServerProcess
from workbench.bench.window import default_calls_file, load_calls
from workbench.demo.player import CallRefused, encode_call, play
from workbench.demo.synth import SynthesizedCall, synthesize_call

SETTLE_S = 2.0  # after the audio, before `stop`: the last final's hangover and decode
SPLIT_SLACK_S = 0.2  # a final's end this close before a pause's start still ends at that pause


@dataclass
class CallResult:
    name: str
    expected_guides: list[str]
    suggested_guides: list[str] = field(default_factory=list)
    suggestion_ms: list[float] = field(default_factory=list)
    finals: int = 0
    utterances: int = 0
    errors: tuple[int, int, int, int] = (0, 0, 0, 0)  # edits, chars; without spaces: edits, chars
    latencies: list[float] = field(default_factory=list)
    speech_ends: list[float] = field(default_factory=list)  # when each latency's speech ended (clock time)
    pauses: int = 0  # pauses inside sentences (turns with `|`)
    split_pauses: int = 0  # … at which a final ended: the sentence was split there
    partial_gaps: list[float] = field(default_factory=list)
    partials: int = 0
    speech_s: float = 0.0
    transcript: list[dict[str, Any]] = field(default_factory=list)
    problem: str | None = None


@dataclass
class EvalReport:
    calls_file: str
    transcripts: str  # recognized (the speech model) or typed (the script lines)
    settings: str  # "defaults", or the settings changed for this pass (NAME=VALUE …)
    encoding: str
    model: str
    calls: int
    utterances: int
    finals: int
    cer: float
    cer_no_space: float
    guides_expected: int
    guides_suggested: int
    guides_share: float
    unexpected_suggestions: int
    suggestion_ms_p50: float | None
    suggestion_ms_p95: float | None
    final_latency_p50: float | None
    final_latency_p95: float | None
    pauses: int
    split_share: float | None  # of pauses inside sentences, the share that ended a final
    partial_interval_p50: float | None
    partials_per_speech_second: float
    problems: list[str]
    per_call: list[dict[str, Any]]


def default_guides_dir() -> Path:
    return Path(str(resources.files("kb").joinpath("samples")))


async def stream_call(
    url: str, call_id: str, call: SynthesizedCall, encoding: Encoding, speed: float
) -> tuple[float, list[tuple[float, dict[str, Any]]], str | None]:
    """Play the call in real time; (time its audio began, console events with arrival times, problem)."""
    rate, audio = read_wav(call.wav_path)
    data, rate = encode_call(audio, rate, encoding, 8000 if encoding is Encoding.MULAW else None)
    feed = FeedRecorder(url, call_id)
    began: list[float] = []

    async def started(at: float) -> None:
        began.append(at)
        await feed.open()

    problem = None
    try:
        stopped = await play(
            url, call_id, INGEST_KEY, data, encoding=encoding, sample_rate=rate,
            channel_roles=call.channel_roles, agent_id="eval", speed=speed,
            metadata={"source": "bench-calls"}, on_started=started, settle_s=SETTLE_S, stop_timeout_s=120,
        )  # fmt: skip
        if stopped.get("type") != "stopped":
            problem = f"stop answered {stopped}"
    except CallRefused as exc:
        return 0.0, [], str(exc)
    except (TimeoutError, ConnectionClosed) as exc:
        problem = f"no stopped message: {exc!r}"
    await feed.close(wait_s=30)  # the per-call feed closes after call_ended
    return (began[0] if began else 0.0), feed.arrivals, problem


def score_call(
    name: str,
    expected: list[str],
    call: SynthesizedCall,
    began: float,
    arrivals: list[tuple[float, dict[str, Any]]],
    speed: float = 1.0,
) -> CallResult:
    """Score one call; `began` is when its audio started to play, at `speed` × real time."""
    result = CallResult(name=name, expected_guides=list(expected), utterances=len(call.utterances))
    truth = list(call.utterances)
    finals = [(at, e) for at, e in arrivals if e.get("type") == "final"]
    result.finals = len(finals)
    counts = [0, 0, 0, 0]
    for channel in range(len(call.channel_roles)):
        reference = " ".join(u["text"] for u in truth if u["channel"] == channel)
        hypothesis = " ".join(e["text"] or "" for _, e in finals if e["channel"] == channel)
        for i, pair in enumerate((edits(reference, hypothesis), edits(reference, hypothesis, spaces=False))):
            counts[2 * i] += pair[0]
            counts[2 * i + 1] += pair[1]
    result.errors = (counts[0], counts[1], counts[2], counts[3])
    pace = speed if speed > 0 else float("inf")
    for utterance in truth:
        # its final is the last one that overlaps it: from the end of its speech to that final
        overlapping = [
            (event["end"], arrived)
            for arrived, event in finals
            if event["channel"] == utterance["channel"]
            and min(utterance["end"], event["end"]) - max(utterance["start"], event["start"]) > 0
        ]
        if overlapping:
            ended = began + utterance["end"] / pace
            result.latencies.append(max(overlapping)[1] - ended)
            result.speech_ends.append(ended)
        for pause_start, pause_end in utterance.get("pauses", ()):
            result.pauses += 1
            # a final that ends where this pause begins (VAD edges within a few windows) split it
            result.split_pauses += any(
                e["channel"] == utterance["channel"] and pause_start - SPLIT_SLACK_S <= e["end"] <= pause_end
                for _, e in finals
            )
    for _, event in finals:
        result.transcript.append(
            {
                "role": event["role"],
                "start": event["start"],
                "text": event["text"],
                "guard": event.get("guard"),
            }
        )
    last_partial: dict[tuple[int, float], float] = {}
    for arrived, event in arrivals:
        if event.get("type") == "partial":
            result.partials += 1
            key = (event["channel"], event["start"])
            if key in last_partial:
                result.partial_gaps.append(arrived - last_partial[key])
            last_partial[key] = arrived
    result.speech_s = sum(u["end"] - u["start"] for u in truth)
    suggestions = [e for _, e in arrivals if e.get("type") == "suggestion" and e.get("sources")]
    suggested = [e["sources"][0]["doc_id"] for e in suggestions]
    result.suggestion_ms = [
        float(e["latency_ms"]["total"])
        for e in suggestions
        if (e.get("latency_ms") or {}).get("total") is not None
    ]
    result.suggested_guides = list(dict.fromkeys(suggested))
    return result


def _percentile(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 3) if values else None


def report(
    calls_file: Path,
    encoding: Encoding,
    model: str,
    results: list[CallResult],
    transcripts: str = "recognized",
    settings: str = "defaults",
) -> EvalReport:
    edits_total = [sum(r.errors[i] for r in results) for i in range(4)]
    latencies = [x for r in results for x in r.latencies]
    gaps = [x for r in results for x in r.partial_gaps]
    expected = sum(len(r.expected_guides) for r in results)
    hit = sum(len(set(r.expected_guides) & set(r.suggested_guides)) for r in results)
    unexpected = sum(len(set(r.suggested_guides) - set(r.expected_guides)) for r in results)
    speech = sum(r.speech_s for r in results)
    suggestion_ms = [x for r in results for x in r.suggestion_ms]
    pauses = sum(r.pauses for r in results)
    return EvalReport(
        calls_file=str(calls_file),
        transcripts=transcripts,
        settings=settings,
        encoding=encoding.value,
        model=model,
        calls=len(results),
        utterances=sum(r.utterances for r in results),
        finals=sum(r.finals for r in results),
        cer=round(edits_total[0] / max(edits_total[1], 1), 3),
        cer_no_space=round(edits_total[2] / max(edits_total[3], 1), 3),
        guides_expected=expected,
        guides_suggested=hit,
        guides_share=round(hit / expected, 3) if expected else 0.0,
        unexpected_suggestions=unexpected,
        suggestion_ms_p50=_percentile(suggestion_ms, 50),
        suggestion_ms_p95=_percentile(suggestion_ms, 95),
        final_latency_p50=_percentile(latencies, 50),
        final_latency_p95=_percentile(latencies, 95),
        pauses=pauses,
        split_share=round(sum(r.split_pauses for r in results) / pauses, 3) if pauses else None,
        partial_interval_p50=_percentile(gaps, 50),
        partials_per_speech_second=round(sum(r.partials for r in results) / speech, 3) if speech else 0.0,
        problems=[f"{r.name}: {r.problem}" for r in results if r.problem],
        per_call=[
            {
                "name": r.name,
                "expected_guides": r.expected_guides,
                "suggested_guides": r.suggested_guides,
                "utterances": r.utterances,
                "finals": r.finals,
                "cer": round(r.errors[0] / max(r.errors[1], 1), 3),
                "transcript": r.transcript,
            }
            for r in results
        ],
    )


async def evaluate(
    cache_dir: Path,
    calls_file: Path | None = None,
    guides: Path | None = None,
    *,
    encoding: Encoding = Encoding.PCM_S16LE,
    env: dict[str, str] | None = None,
    speed: float = 1.0,
    voices: dict[str, str] | None = None,
    transcripts: str = "recognized",
    log: Any = print,
) -> EvalReport:
    """One pass over the calls on one server: `recognized` (its speech model) or `typed` (the
    calls' script lines in place of a model)."""
    calls_file = calls_file or default_calls_file()
    calls = load_calls(calls_file)
    synthesized = [(c, synthesize_call(cache_dir, c, voices)) for c in calls]
    call_ids = [f"eval-{n}-{spec.get('name', 'call')}"[:128] for n, (spec, _) in enumerate(synthesized, 1)]
    env = dict(env or {})
    with tempfile.TemporaryDirectory(prefix="callassist-scripts-") as scripts:
        if transcripts == "typed":
            for call_id, (_, call) in zip(call_ids, synthesized, strict=True):
                script = {"utterances": list(call.utterances)}
                (Path(scripts) / f"{call_id}.json").write_text(
                    json.dumps(script, ensure_ascii=False), "utf-8"
                )
            env["CALLASSIST_ASR_MODEL"] = f"script:{scripts}"
        elif transcripts != "recognized":
            raise ValueError(f"transcripts must be recognized or typed, not {transcripts!r}")
        async with ServerProcess(env) as server:
            await server.cli("kb", "ingest", str(guides or default_guides_dir()))
            info = json.loads(await server.cli("asr", "info", "--json"))
            model = str(info.get("setting") or info.get("model"))
            log(
                f"{transcripts}: {model} ({info.get('final_window', '-')} windows for finals); {len(calls)} calls"
            )
            results = []
            for call_id, (spec, call) in zip(call_ids, synthesized, strict=True):
                began, arrivals, problem = await stream_call(server.url, call_id, call, encoding, speed)
                result = score_call(
                    spec.get("name", call_id),
                    list(spec.get("expected_guides", [])),
                    call,
                    began,
                    arrivals,
                    speed,
                )
                result.problem = problem
                results.append(result)
                log(
                    f"  {result.name}: {result.finals} finals for {result.utterances} utterances, "
                    f"CER {result.errors[0] / max(result.errors[1], 1):.3f}, guides suggested "
                    f"{result.suggested_guides or '-'} (expected {result.expected_guides})"
                )
    changed = " ".join(f"{k}={v}" for k, v in sorted((env or {}).items()) if k.startswith("CALLASSIST_"))
    return report(calls_file, encoding, model, results, transcripts, changed or "defaults")


def summary_table(reports: list[EvalReport]) -> str:
    lines = [
        "| transcript | settings | audio | calls | utterances | finals | CER | CER (no spaces) | expected guides suggested | "
        "other guides | suggestion p50 / p95 | final p50 | final p95 | split at pauses | partial every | "
        "partials / s of speech |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in reports:
        audio = "16 kHz PCM" if r.encoding == "pcm_s16le" else "8 kHz μ-law"

        def s(x: float | None) -> str:
            return f"{x:.2f} s" if x is not None else "–"

        def ms(x: float | None) -> str:
            return f"{x:.0f}" if x is not None else "–"

        split = f"{r.split_share:.2f} of {r.pauses}" if r.split_share is not None else "–"

        lines.append(
            f"| {r.transcripts} | {r.settings} | {audio} | {r.calls} | {r.utterances} | {r.finals} | {r.cer:.3f} | {r.cer_no_space:.3f} | "
            f"{r.guides_suggested} of {r.guides_expected} | {r.unexpected_suggestions} | "
            f"{ms(r.suggestion_ms_p50)} / {ms(r.suggestion_ms_p95)} ms | {s(r.final_latency_p50)} | "
            f"{s(r.final_latency_p95)} | {split} | {s(r.partial_interval_p50)} | "
            f"{r.partials_per_speech_second:.2f} |"
        )
    return "\n".join(lines)


def as_json(reports: list[EvalReport]) -> str:
    return json.dumps([asdict(r) for r in reports], ensure_ascii=False, indent=1)
