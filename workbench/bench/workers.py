"""`callassist bench workers`: how the model's CPU cores are best split, same model, same
utterances, same run.

For each layout (model workers × CTranslate2 threads per worker), the turns of the evaluation call
set are decoded on their trimmed windows (as finals are): first one at a time (the time a lone
final waits for), then all of them by as many caller threads as there are workers (the rate a busy
server decodes at). The first layout is the baseline of the rate ratio. The texts of every layout
must be the same as the first's: a layout that changes what is recognized is reported.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from agent.asr.engine import DecodeRequest, EngineOptions, WhisperEngine, WindowPolicy
from workbench.bench.window import spoken_turns

DEFAULT_LAYOUTS = ((1, 2), (2, 1), (1, 1))


@dataclass
class LayoutResult:
    workers: int
    threads: int
    utterances: int
    lone_seconds: float  # model time of one utterance decoded alone
    per_second: float  # utterances decoded a second with every worker busy
    rate_ratio: float = 1.0
    same_text: bool = True


def parse_layouts(text: str) -> tuple[tuple[int, int], ...]:
    """ "1x2,2x1" → ((1, 2), (2, 1)): workers × threads."""
    layouts = []
    for part in text.split(","):
        workers, _, threads = part.strip().partition("x")
        if not (workers.isdigit() and threads.isdigit() and int(workers) > 0 and int(threads) > 0):
            raise ValueError(f"a layout is WORKERSxTHREADS, e.g. 2x1, not {part!r}")
        layouts.append((int(workers), int(threads)))
    return tuple(layouts)


def _decode_one(engine: WhisperEngine, request: DecodeRequest) -> str:
    return engine.decode_batch([request])[0].text


def run(
    model: str, calls_file: Path, layouts: tuple[tuple[int, int], ...] = DEFAULT_LAYOUTS, *, limit: int = 0
) -> list[LayoutResult]:
    trim = WindowPolicy.parse("trim")
    requests = [DecodeRequest(audio, None, trim) for _, audio in spoken_turns(calls_file, limit=limit)]
    results: list[LayoutResult] = []
    first_texts: list[str] | None = None
    for workers, threads in layouts:
        engine = WhisperEngine.load(model, EngineOptions(device="cpu", workers=workers, cpu_threads=threads))
        decode = partial(_decode_one, engine)
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(decode, requests[:workers]))  # every replica's set-up paid
            started = time.perf_counter()
            texts = [decode(r) for r in requests]
            lone = (time.perf_counter() - started) / len(requests)
            started = time.perf_counter()
            list(pool.map(decode, requests))
            rate = len(requests) / (time.perf_counter() - started)
        first_texts = first_texts or texts
        results.append(
            LayoutResult(
                workers,
                threads,
                len(requests),
                round(lone, 4),
                round(rate, 2),
                same_text=texts == first_texts,
            )
        )
    for r in results:
        r.rate_ratio = round(r.per_second / results[0].per_second, 2)
    return results


def table(results: list[LayoutResult]) -> str:
    lines = [
        "| workers × threads | utterances | model s, one alone | utterances / s, all busy | vs first | same text |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.workers} × {r.threads} | {r.utterances} | {r.lone_seconds:.3f} | {r.per_second:.2f} | "
            f"{r.rate_ratio:.2f} | {'yes' if r.same_text else 'no'} |"
        )
    return "\n".join(lines)
