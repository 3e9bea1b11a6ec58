"""Segmenter logic on scripted probabilities (no model): each window is 32 ms."""

import numpy as np
import pytest

from agent.events import CutReason, PausedAudioEvent, SpeechStartedEvent, UtteranceEvent
from agent.vad.segmenter import SegmenterConfig, UtteranceSegmenter
from agent.vad.silero import WINDOW

W = WINDOW / 16000  # 0.032 s


def run(
    probabilities: list[float], config: SegmenterConfig | None = None, energies: list[float] | None = None
):
    segmenter = UtteranceSegmenter(config or SegmenterConfig())
    events = []
    for i, p in enumerate(probabilities):
        level = energies[i] if energies else (0.5 if p >= 0.5 else 0.01)
        events += segmenter.feed(np.full(WINDOW, level, dtype=np.float32), p)
    events += segmenter.flush()
    return events


def segments(events) -> list[UtteranceEvent]:
    return [e for e in events if isinstance(e, UtteranceEvent)]


def test_silence_only_yields_nothing() -> None:
    assert run([0.01] * 500) == []


def test_utterance_edges_pre_roll_and_hangover() -> None:
    probs = [0.0] * 50 + [0.9] * 40 + [0.0] * 40
    events = run(probs)
    assert isinstance(events[0], SpeechStartedEvent) and events[0].start == pytest.approx(50 * W)
    (segment,) = segments(events)
    assert segment.start == pytest.approx(50 * W)
    assert segment.end == pytest.approx(90 * W)
    assert segment.cut is CutReason.SILENCE
    pre_roll_windows = int(np.ceil(0.3 / W))
    assert segment.audio_start == pytest.approx((50 - pre_roll_windows + 1) * W)
    # audio runs from the pre-roll through the hangover that ended it
    hangover_windows = int(np.ceil(0.5 / W))
    assert len(segment.audio) == (pre_roll_windows - 1 + 40 + hangover_windows) * WINDOW


def test_speech_at_the_very_start_has_a_short_pre_roll() -> None:
    (segment,) = segments(run([0.9] * 30 + [0.0] * 30))
    assert segment.start == 0.0 and segment.audio_start == 0.0


def test_speech_running_to_the_end_of_the_stream_is_flushed() -> None:
    events = run([0.0] * 10 + [0.9] * 30)
    (segment,) = segments(events)
    assert segment.cut is CutReason.STREAM_END
    assert segment.end == pytest.approx(40 * W)


def test_short_bursts_are_dropped_without_announcement() -> None:
    assert run([0.0] * 10 + [0.9] * 3 + [0.0] * 40) == []


def test_pauses_shorter_than_the_hangover_do_not_split() -> None:
    probs = [0.9] * 30 + [0.1] * 10 + [0.9] * 30 + [0.0] * 30  # 320 ms pause < 500 ms hangover
    (segment,) = segments(run(probs))
    assert segment.end == pytest.approx(70 * W)


def test_probabilities_between_thresholds_keep_speech_going() -> None:
    probs = [0.9] * 20 + [0.4] * 40 + [0.0] * 30  # 0.4 is above the 0.35 negative threshold
    (segment,) = segments(run(probs))
    assert segment.end == pytest.approx(60 * W)


def test_continuous_speech_is_cut_at_max_length_at_a_quiet_point() -> None:
    config = SegmenterConfig(max_utterance_s=3.0, max_cut_search_s=1.0)
    n = int(10 / W)  # 10 s of unbroken speech
    energies = [0.5] * n
    quiet = [70, 150, 230]  # one quiet window per stretch, inside the search range
    for i in quiet:
        energies[i] = 0.001
    events = run([0.9] * n + [0.0] * 30, config, energies + [0.01] * 30)
    parts = segments(events)
    assert [p.cut for p in parts[:-1]] == [CutReason.MAX_LENGTH] * (len(parts) - 1)
    assert parts[-1].cut is CutReason.SILENCE
    assert all(p.duration <= 3.0 + 1e-9 for p in parts)
    assert [round(p.end / W) for p in parts[:3]] == quiet  # cut where it was quiet
    for a, b in zip(parts, parts[1:], strict=False):
        assert b.start == pytest.approx(a.end)  # no audio lost or doubled between parts
    assert parts[-1].end == pytest.approx(n * W)
    assert sum(isinstance(e, SpeechStartedEvent) for e in events) == len(parts)


def test_every_segment_is_announced_once_before_it_ends() -> None:
    probs = ([0.0] * 20 + [0.9] * 25) * 4 + [0.0] * 30
    events = run(probs)
    kinds = [type(e).__name__ for e in events]
    assert kinds == ["SpeechStartedEvent", "UtteranceEvent"] * 4


def test_config_validation() -> None:
    with pytest.raises(ValueError):
        SegmenterConfig(threshold=0.3, negative_threshold=0.5)
    with pytest.raises(ValueError):
        SegmenterConfig(max_utterance_s=0.1, min_speech_ms=250)


def test_a_pause_is_reported_before_the_hangover_confirms_it() -> None:

    config = SegmenterConfig(speculative_ms=200)  # 7 windows; the hangover is 16
    events = run([0.0] * 10 + [0.9] * 40 + [0.0] * 30, config)
    kinds = [type(e).__name__ for e in events]
    assert kinds == ["SpeechStartedEvent", "PausedAudioEvent", "UtteranceEvent"]
    paused, segment = events[1], events[2]
    assert isinstance(paused, PausedAudioEvent)
    assert (paused.start, paused.end) == (segment.start, segment.end)  # the guess was right
    assert np.array_equal(paused.audio, segment.audio[: len(paused.audio)])


def test_speech_that_comes_back_voids_the_pause() -> None:
    config = SegmenterConfig(speculative_ms=200)
    probs = [0.0] * 10 + [0.9] * 30 + [0.0] * 10 + [0.9] * 30 + [0.0] * 30  # a 320 ms pause inside
    kinds = [type(e).__name__ for e in run(probs, config)]
    assert kinds == [
        "SpeechStartedEvent",
        "PausedAudioEvent",
        "SpeechResumedEvent",
        "PausedAudioEvent",
        "UtteranceEvent",
    ]
    segment = segments(run(probs, config))[0]
    assert segment.end == pytest.approx(80 * W)


def test_no_pauses_when_speculation_is_off_or_not_shorter_than_the_hangover() -> None:
    probs = [0.0] * 10 + [0.9] * 40 + [0.0] * 30
    for config in (
        SegmenterConfig(),
        SegmenterConfig(speculative_ms=500),
        SegmenterConfig(speculative_ms=800),
    ):
        assert [type(e).__name__ for e in run(probs, config)] == ["SpeechStartedEvent", "UtteranceEvent"]
