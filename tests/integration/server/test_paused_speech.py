"""Pauses inside sentences for the end-of-turn bench: `|` in a turn's text becomes silence between
pieces spoken apart (espeak-ng, real), and the bench counts a final that ends in such a pause as a
split sentence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from agent.audio.wav import read_wav
from workbench.bench.e2e import score_call
from workbench.bench.window import load_calls
from workbench.demo.synth import SAMPLE_RATE, synthesize_call

SCRIPT = {
    "name": "paused",
    "channel_roles": ["customer", "agent"],
    "turns": [
        {"role": "customer", "text": "제 번호는 | 공일공 | 삼삼사예요.", "pauses_ms": [400, 650]},
        {"role": "agent", "text": "네 확인했습니다."},
    ],
}


def test_pauses_are_silence_where_the_meta_says(tmp_path: Path) -> None:
    call = synthesize_call(tmp_path, SCRIPT)
    first, second = call.utterances
    assert first["text"] == "제 번호는 공일공 삼삼사예요." and "pauses" not in second
    spans = first["pauses"]
    assert [round(b - a, 3) for a, b in spans] == [0.4, 0.65]
    assert first["start"] < spans[0][0] < spans[0][1] < spans[1][0] < spans[1][1] < first["end"]
    _, audio = read_wav(call.wav_path)
    for a, b in spans:
        quiet = audio[int(a * SAMPLE_RATE) : int(b * SAMPLE_RATE), 0]
        assert np.abs(quiet).max() < 0.01  # the noise floor only
        ahead = audio[int(a * SAMPLE_RATE) - 800 : int(a * SAMPLE_RATE), 0]
        assert np.abs(ahead).max() > 0.01  # speech right before it


def test_a_final_ending_in_a_pause_counts_as_a_split(tmp_path: Path) -> None:
    call = synthesize_call(tmp_path, SCRIPT)
    first = call.utterances[0]
    (a, _), (c, _) = first["pauses"]

    def final(start: float, end: float, at: float) -> tuple[float, dict]:
        return at, {
            "type": "final",
            "channel": 0,
            "role": "customer",
            "start": start,
            "end": end,
            "text": "x",
        }

    whole = score_call("paused", [], call, 0.0, [final(first["start"], first["end"], first["end"] + 0.3)])
    assert (whole.pauses, whole.split_pauses) == (2, 0)
    assert whole.latencies == [pytest.approx(0.3)]
    split = score_call(
        "paused",
        [],
        call,
        0.0,
        [final(first["start"], a + 0.05, a + 0.5), final(a + 0.4, first["end"], first["end"] + 0.25)],
    )
    assert (split.pauses, split.split_pauses) == (2, 1)
    assert split.latencies == [pytest.approx(0.25)]  # the utterance's end is the last final's
    assert c > a


def test_the_bundled_paused_set_loads_with_its_pauses() -> None:
    path = Path(__file__).parents[3] / "workbench" / "bench" / "data" / "paused_calls.jsonl"
    calls = load_calls(path)
    turns = [t for c in calls for t in c["turns"] if "|" in t["text"]]
    assert len(calls) >= 8 and len(turns) >= 30
    lengths = [ms for t in turns for ms in t["pauses_ms"]]
    assert all(300 <= ms <= 700 for ms in lengths) and len(lengths) == sum(
        t["text"].count("|") for t in turns
    )
