"""Aligning separately stamped tracks into interleaved frames."""

from __future__ import annotations

from agent.audio.tracks import TrackAligner

SIL = b"\xff"


def aligner(**kwargs: float) -> TrackAligner:
    return TrackAligner(2, 1, SIL, 8000, **kwargs)


def test_in_order_tracks_interleave() -> None:
    a = aligner()
    assert a.push(0, 0, b"AAAA") == b""  # waits for the other track
    assert a.push(1, 0, b"BBBB") == b"ABABABAB"
    assert a.emitted == 4


def test_duplicates_and_late_chunks_are_dropped() -> None:
    a = aligner()
    a.push(0, 0, b"AAAA")
    a.push(1, 0, b"BBBB")
    a.push(0, 0, b"XXXX")  # late: already emitted
    a.push(0, 4, b"CC")
    a.push(0, 4, b"YY")  # duplicate, not yet emitted
    assert a.push(1, 4, b"DD") == b"CDCD"
    assert a.stats(0).late == 1 and a.stats(0).duplicates == 1


def test_out_of_order_chunk_lands_in_its_place() -> None:
    a = aligner(jitter_s=0.01)  # 80 samples
    a.push(0, 4, b"2222")  # early: 0-3 missing
    a.push(0, 0, b"1111")
    out = a.push(1, 0, b"bbbbbbbb")
    assert out[::2] == b"11112222" and a.stats(0).gap_samples == 0


def test_gap_is_filled_with_silence_once_the_track_is_past_it() -> None:
    a = aligner(jitter_s=0.001)  # 8 samples
    a.push(0, 0, b"AA")
    a.push(0, 12, b"C" * 10)  # 2..11 missing; track has run 10 past the gap start
    out = a.push(1, 0, b"b" * 22)
    assert out[::2] == b"AA" + SIL * 10 + b"C" * 10
    assert a.stats(0).gap_samples == 10


def test_a_silent_track_does_not_hold_the_other_back() -> None:
    a = aligner(max_lag_s=0.001)  # 8 samples
    out = a.push(0, 0, b"A" * 20)
    assert out == b"".join(b"A" + SIL for _ in range(12))  # all but the last 8 are out
    assert a.flush() == b"".join(b"A" + SIL for _ in range(8))
    assert a.stats(1).lag_samples == 20


def test_overlapping_chunk_keeps_only_its_new_part() -> None:
    a = aligner()
    a.push(0, 0, b"AAAA")
    a.push(0, 2, b"XXBB")  # first two overlap
    out = a.push(1, 0, b"cccccc") + a.flush()
    assert out[::2] == b"AAAABB"


def test_two_byte_samples_interleave_whole_samples() -> None:
    a = TrackAligner(2, 2, b"\x00\x00", 16000)
    a.push(0, 0, b"\x01\x02\x03\x04")
    assert a.push(1, 0, b"\x0a\x0b\x0c\x0d") == b"\x01\x02\x0a\x0b\x03\x04\x0c\x0d"
