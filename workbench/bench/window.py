"""`callassist bench window`: accuracy and model time of each encoder-window policy, same model,
same utterances, same run.

Utterances are the turns of the evaluation call set (`workbench/bench/data/eval_calls.jsonl`, or a
file given), spoken by espeak-ng with the demo's two voices, optionally through the phone line
(`workbench/speech/phone.py`: 8 kHz μ-law, telephone band, line noise at 20 dB SNR). Each is
decoded alone (batch of one, one CPU thread unless told otherwise) under each policy; reported
per policy: corpus CER with and without spaces, how many results a guard dropped (a dropped result
counts as empty text), and model seconds per utterance, with the native 30 s window as the
baseline of the time ratio.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from agent.asr.engine import DecodeRequest, EngineOptions, WhisperEngine, WindowPolicy
from agent.asr.guards import screen
from agent.text.korean import edits
from workbench.demo.synth import VOICES, speak, spoken_text
from workbench.speech.phone import phone_line

DEFAULT_POLICIES = ("native", "20", "10", "trim")
PAD = np.zeros(4800, np.float32)  # 0.3 s either side: the VAD's pre-roll and hangover


def default_calls_file() -> Path:
    return Path(str(resources.files("workbench.bench").joinpath("data/eval_calls.jsonl")))


def load_calls(path: Path) -> list[dict[str, Any]]:
    calls = []
    for number, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
        if line.strip():
            try:
                call = json.loads(line)
                call["turns"] = [
                    {"role": t["role"], "text": str(t["text"])}
                    | ({"pauses_ms": [int(ms) for ms in t["pauses_ms"]]} if "pauses_ms" in t else {})
                    for t in call["turns"]
                ]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: not a call ({exc})") from None
            calls.append(call)
    return calls


def spoken_turns(calls_file: Path, *, phone: bool = False, limit: int = 0) -> list[tuple[str, np.ndarray]]:
    """(reference text, 16 kHz audio) of each turn, spoken by the demo's voices with PAD either side."""
    turns = [t for call in load_calls(calls_file) for t in call["turns"]]
    if limit:
        turns = turns[:limit]
    clips = []
    for n, turn in enumerate(turns):
        clip = speak(spoken_text(turn["text"]), VOICES[turn["role"]])  # pause marks dropped
        clip = np.concatenate([PAD, clip, PAD])
        clips.append(
            (spoken_text(turn["text"]), phone_line(clip, np.random.default_rng(n)) if phone else clip)
        )
    return clips


@dataclass
class PolicyResult:
    policy: str
    utterances: int
    cer: float
    cer_no_space: float
    guarded: int
    seconds_per_utterance: float
    time_ratio: float = 1.0


def run(
    model: str,
    calls_file: Path,
    policies: tuple[str, ...] = DEFAULT_POLICIES,
    *,
    phone: bool = False,
    threads: int = 1,
    limit: int = 0,
) -> list[PolicyResult]:
    engine = WhisperEngine.load(model, EngineOptions(device="cpu", cpu_threads=threads))
    clips = spoken_turns(calls_file, phone=phone, limit=limit)
    engine.decode_batch([DecodeRequest(clips[0][1])])  # warm-up
    results = []
    for text in policies:
        policy = WindowPolicy.parse(text)
        spent, guarded = 0.0, 0
        errors = [0, 0, 0, 0]
        for reference, audio in clips:
            started = time.perf_counter()
            (result,) = engine.decode_batch([DecodeRequest(audio, None, policy)])
            spent += time.perf_counter() - started
            result, reason = screen(result)
            guarded += reason is not None and reason != "empty"
            hypothesis = "" if reason else result.text
            for i, pair in enumerate(
                (edits(reference, hypothesis), edits(reference, hypothesis, spaces=False))
            ):
                errors[2 * i] += pair[0]
                errors[2 * i + 1] += pair[1]
        results.append(
            PolicyResult(
                policy=str(policy),
                utterances=len(clips),
                cer=round(errors[0] / max(errors[1], 1), 3),
                cer_no_space=round(errors[2] / max(errors[3], 1), 3),
                guarded=guarded,
                seconds_per_utterance=round(spent / len(clips), 4),
            )
        )
    base = results[0].seconds_per_utterance
    for r in results:
        r.time_ratio = round(r.seconds_per_utterance / base, 3) if base else 1.0
    return results


def table(results: list[PolicyResult]) -> str:
    lines = [
        "| window | utterances | CER | CER (no spaces) | guarded | model s / utterance | vs first |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.policy} | {r.utterances} | {r.cer:.3f} | {r.cer_no_space:.3f} | {r.guarded} | "
            f"{r.seconds_per_utterance:.3f} | {r.time_ratio:.2f} |"
        )
    return "\n".join(lines)
