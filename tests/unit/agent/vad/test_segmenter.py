"""Segmenter logic on scripted probabilities (no model): each window is 32 ms."""

import numpy as np
import pytest

from agent.events import CutReason, PausedAudioEvent, SpeechStartedEvent, UtteranceEvent
from agent.text.end_of_turn import TurnEnd
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


EOT = SegmenterConfig(
    speculative_ms=150, complete_hangover_ms=200, hangover_ms=500, incomplete_hangover_ms=800
)  # windows: 5, 7, 16, 25


def run_judged(probabilities: list[float], ending: TurnEnd | None, decode_windows: int = 2):
    """Feed windows; `decode_windows` after each pause, its text is judged `ending` (None: never).
    Returns (window index, event) pairs."""
    segmenter = UtteranceSegmenter(EOT)
    out, due = [], []
    for i, p in enumerate(probabilities):
        for at, pause in list(due):
            if at == i and ending is not None:
                segmenter.judged(pause.start, pause.end, ending)
        for event in segmenter.feed(np.full(WINDOW, 0.5 if p >= 0.5 else 0.01, dtype=np.float32), p):
            out.append((i, event))
            if isinstance(event, PausedAudioEvent):
                due.append((i + decode_windows, event))
    return out


def test_a_finished_sentence_ends_after_the_short_silence() -> None:
    probs = [0.0] * 10 + [0.9] * 40 + [0.0] * 40  # silence from window 50
    ends = [(i, e) for i, e in run_judged(probs, TurnEnd.COMPLETE) if isinstance(e, UtteranceEvent)]
    assert [i for i, _ in ends] == [50 + 7 - 1]  # the 7th silent window, not the 16th
    assert ends[0][1].end == pytest.approx(50 * W)  # where the silence began: the speculative guess
    late = [
        i for i, e in run_judged(probs, TurnEnd.COMPLETE, decode_windows=9) if isinstance(e, UtteranceEvent)
    ]
    assert late == [50 + 5 - 1 + 9]  # judged after the 7th silent window: the window it comes ends it


def test_an_unfinished_sentence_waits_through_a_long_pause() -> None:
    probs = [0.0] * 10 + [0.9] * 40 + [0.0] * 20 + [0.9] * 30 + [0.0] * 40  # a 640 ms pause inside
    for ending, count in ((TurnEnd.INCOMPLETE, 1), (TurnEnd.UNKNOWN, 2), (None, 2), (TurnEnd.COMPLETE, 2)):
        found = [e for _, e in run_judged(probs, ending) if isinstance(e, UtteranceEvent)]
        assert len(found) == count, ending
    whole = [e for _, e in run_judged(probs, TurnEnd.INCOMPLETE) if isinstance(e, UtteranceEvent)][0]
    assert (whole.start, whole.end) == (pytest.approx(10 * W), pytest.approx(100 * W))
    # and after the last words, judged unfinished too, the long silence is what ends it
    ends = [i for i, e in run_judged(probs, TurnEnd.INCOMPLETE) if isinstance(e, UtteranceEvent)]
    assert ends == [100 + 25 - 1]


def test_a_judgement_of_another_pause_is_ignored_and_off_means_the_hangover() -> None:
    segmenter = UtteranceSegmenter(EOT)
    events = []
    for i, p in enumerate([0.0] * 10 + [0.9] * 40 + [0.0] * 40):
        if i == 57:
            segmenter.judged(0.0, 1.0, TurnEnd.COMPLETE)  # not this utterance's pause
        events += [(i, e) for e in segmenter.feed(np.zeros(WINDOW, np.float32), p)]
    assert [i for i, e in events if isinstance(e, UtteranceEvent)] == [50 + 16 - 1]
    off = UtteranceSegmenter(SegmenterConfig(speculative_ms=150))
    off.judged(10 * W, 50 * W, TurnEnd.COMPLETE)  # end of turn off: no effect
    assert off._turn_windows[TurnEnd.COMPLETE] == off._hangover_windows


def test_end_of_turn_settings_must_be_in_order() -> None:
    for bad in (
        dict(speculative_ms=0, complete_hangover_ms=200),
        dict(speculative_ms=250, complete_hangover_ms=200),
        dict(speculative_ms=150, complete_hangover_ms=600, hangover_ms=500),
        dict(speculative_ms=150, complete_hangover_ms=200, hangover_ms=500, incomplete_hangover_ms=400),
    ):
        with pytest.raises(ValueError, match="end of turn"):
            SegmenterConfig(**bad)  # type: ignore[arg-type]
