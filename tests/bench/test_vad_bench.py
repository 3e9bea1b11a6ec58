"""VAD and audio-path cost. Run with `make bench`; prints a table, asserts nothing about speed.

Baseline: silero-vad advanced one channel per model run (what a per-channel wrapper does).
Compared, in the same process: both channels of a call in one run (what the pipeline does), and
the whole audio path (decode, resample, VAD, segmentation) on the demo call.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np

from agent.audio.codecs import AudioFormat, Encoding, encode
from agent.audio.wav import read_wav
from agent.events import Role
from agent.pipeline import AudioPipeline
from agent.vad.segmenter import SegmenterConfig
from agent.vad.silero import WINDOW, SileroVad, VadState
from workbench.demo.player import encode_call
from workbench.demo.synth import SynthesizedCall

REPEATS = 5


def _best_of(fn, repeats: int = REPEATS) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def test_vad_cost_per_window(vad: SileroVad, demo_call: SynthesizedCall) -> None:
    rate, audio = read_wav(demo_call.wav_path)
    n = len(audio) // WINDOW
    windows = audio[: n * WINDOW].reshape(n, WINDOW, 2).transpose(0, 2, 1).copy()  # (n, channels, WINDOW)

    def one_channel_per_run() -> None:
        states = [VadState(), VadState()]
        for step in windows:
            for channel in (0, 1):
                vad.speech_probabilities([states[channel]], step[channel : channel + 1])

    def channels_batched() -> None:
        states = [VadState(), VadState()]
        for step in windows:
            vad.speech_probabilities(states, step)

    fmt = AudioFormat(Encoding.PCM_S16LE, 16000, 2)
    pcm16 = encode(audio.reshape(-1), Encoding.PCM_S16LE)
    mulaw8, _ = encode_call(audio, rate, Encoding.MULAW, 8000)

    def pipeline(data: bytes, fmt: AudioFormat) -> None:
        p = AudioPipeline(fmt, [Role.CUSTOMER, Role.AGENT], vad, SegmenterConfig())
        frame = fmt.frame_bytes * fmt.sample_rate // 50
        for offset in range(0, len(data), frame):
            p.process(data[offset : offset + frame])
        p.finish()

    channel_windows = n * 2
    baseline = _best_of(one_channel_per_run)
    rows = {
        "one channel per run (baseline)": baseline,
        "two channels per run": _best_of(channels_batched),
        "whole path, 16 kHz PCM stereo": _best_of(lambda: pipeline(pcm16, fmt)),
        "whole path, 8 kHz mu-law stereo": _best_of(
            lambda: pipeline(mulaw8, AudioFormat(Encoding.MULAW, 8000, 2))
        ),
    }
    audio_seconds = len(audio) / rate
    print(
        f"\nVAD cost on {audio_seconds:.0f} s of two-channel audio ({channel_windows} channel-windows), "
        f"best of {REPEATS}, {os.cpu_count()} CPU(s)"
    )
    print(f"{'':36} {'µs/window/channel':>18} {'vs baseline':>12} {'× real time':>12}")
    results = {}
    for name, seconds in rows.items():
        per_window = seconds / channel_windows * 1e6
        results[name] = {
            "us_per_window_channel": round(per_window, 1),
            "ratio": round(seconds / baseline, 3),
            "realtime_factor": round(audio_seconds / seconds, 1),
        }
        print(f"{name:36} {per_window:18.1f} {seconds / baseline:12.2f} {audio_seconds / seconds:12.0f}")
    out = Path(os.environ.get("CALLASSIST_BENCH_OUT", ".bench"))
    out.mkdir(exist_ok=True)
    (out / "vad.json").write_text(json.dumps(results, indent=1))
    assert np.isfinite(baseline)
