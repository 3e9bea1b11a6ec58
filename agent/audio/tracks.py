"""Separate audio tracks (one per speaker, each with its own timestamps) into the interleaved
multi-channel frames a call session takes.

Telephony platforms send each side of a call as its own stream of small chunks stamped with a
position (Twilio: `timestamp` in ms; WebRTC: frame pts). Chunks can arrive late, twice, out of
order, or not at all. `TrackAligner` puts each chunk at its position on a per-track timeline:

- a duplicate, or a chunk whose position has already been emitted, is dropped (counted);
- a chunk that overlaps what the track already has keeps only its new part;
- a chunk that arrives early waits in a reorder buffer; a gap is filled with silence only once
  the track has run `jitter` past it, so a late chunk still lands in its place;
- a track that falls more than `max_lag` behind the others (stopped sending, or was never sent)
  is filled with silence, so one silent side never holds the call back;
- a chunk stamped more than `max_gap` past anything its track has had is refused
  (`TimestampGap`): audio time comes from audio, and a timestamp alone never makes hours of
  silence (a jump, a bogus value, a backwards stamp read as a wrap).

`push()` returns the interleaved bytes that are complete on every track; `flush()` the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class TimestampGap(ValueError):
    """A chunk claims a gap longer than the aligner fills; the message says by how much."""


@dataclass
class TrackStats:
    chunks: int = 0
    duplicates: int = 0  # dropped: already had those samples
    late: int = 0  # dropped: their position had already been emitted (filled with silence)
    gap_samples: int = 0  # silence inserted where chunks never came
    lag_samples: int = 0  # silence inserted because the track fell behind the others


@dataclass
class _Track:
    data: bytearray = field(default_factory=bytearray)  # samples from `emitted` on, contiguous
    pending: dict[int, bytes] = field(default_factory=dict)  # start sample → chunk, beyond the contiguous end
    seen_until: int = 0  # the furthest sample any chunk of this track reached
    stats: TrackStats = field(default_factory=TrackStats)


class TrackAligner:
    def __init__(
        self,
        tracks: int,
        sample_width: int,
        silence: bytes,
        sample_rate: int,
        jitter_s: float = 0.1,
        max_lag_s: float = 0.5,
        max_gap_s: float = 5.0,
    ) -> None:
        if len(silence) != sample_width:
            raise ValueError("silence must be one sample")
        self.width = sample_width
        self.silence = silence
        self.jitter = round(jitter_s * sample_rate)
        self.max_lag = round(max_lag_s * sample_rate)
        self.max_gap = round(max_gap_s * sample_rate)
        self.rate = sample_rate
        self.emitted = 0  # samples already returned (per track)
        self._tracks = [_Track() for _ in range(tracks)]

    def stats(self, track: int) -> TrackStats:
        return self._tracks[track].stats

    def _end(self, track: _Track) -> int:
        return self.emitted + len(track.data) // self.width

    def push(self, track_index: int, start_sample: int, payload: bytes) -> bytes:
        """Add a chunk of `track_index` that starts at `start_sample`; returns ready frames."""
        if len(payload) % self.width:
            raise ValueError(f"a chunk of {len(payload)} bytes is not whole {self.width}-byte samples")
        track = self._tracks[track_index]
        length = len(payload) // self.width
        end = self._end(track)
        furthest = max(end, track.seen_until)
        if start_sample - furthest > self.max_gap:
            raise TimestampGap(
                f"track {track_index}'s timestamp jumps {(start_sample - furthest) / self.rate:.1f} s past its "
                f"audio; at most {self.max_gap / self.rate:g} s of missing audio is filled"
            )
        track.stats.chunks += 1
        if start_sample + length <= end or start_sample in track.pending:
            if start_sample + length <= self.emitted:
                track.stats.late += 1
            else:
                track.stats.duplicates += 1
            return self._ready()
        if start_sample < end:  # overlaps what the track has: keep the new part
            payload = payload[(end - start_sample) * self.width :]
            start_sample = end
        track.pending[start_sample] = payload
        track.seen_until = max(track.seen_until, start_sample + len(payload) // self.width)
        self._settle(track)
        return self._ready()

    def _settle(self, track: _Track) -> None:
        """Move waiting chunks onto the timeline; fill a gap once the track is `jitter` past it."""
        while track.pending:
            end = self._end(track)
            first = min(track.pending)
            if first > end:
                if track.seen_until - first < self.jitter:
                    return  # the missing chunk may still come
                track.data += self.silence * (first - end)
                track.stats.gap_samples += first - end
                end = first
            chunk = track.pending.pop(first)
            skip = max(0, end - first)
            track.data += chunk[skip * self.width :]

    def _ready(self, *, final: bool = False) -> bytes:
        ends = [self._end(t) for t in self._tracks]
        leader = max(ends)
        floor = leader if final else leader - self.max_lag
        for track, end in zip(self._tracks, ends, strict=True):
            if end < floor:  # behind the others for too long: its missing audio is silence
                track.data += self.silence * (floor - end)
                track.stats.lag_samples += floor - end
        ready = min(self._end(t) for t in self._tracks) - self.emitted
        if ready <= 0:
            return b""
        out = bytearray(ready * self.width * len(self._tracks))
        for index, track in enumerate(self._tracks):
            samples = bytes(track.data[: ready * self.width])
            del track.data[: ready * self.width]
            for s in range(self.width):
                out[index * self.width + s :: self.width * len(self._tracks)] = samples[s :: self.width]
        self.emitted += ready
        return bytes(out)

    def flush(self) -> bytes:
        """Everything still held, waiting chunks placed and gaps filled (at the end of a call)."""
        for track in self._tracks:
            if track.pending:
                track.seen_until = max(track.seen_until, max(track.pending) + self.jitter + 1)
            self._settle(track)
        return self._ready(final=True)
