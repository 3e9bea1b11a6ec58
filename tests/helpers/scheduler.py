"""What the scheduler tests decode with when the model's speed is what matters, not its text: a
clock of the test's own, a decoder that advances it by a set time per item, a one-second request
and a fixed result."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from agent.asr.engine import DecodeRequest, DecodeResult


def request() -> DecodeRequest:
    return DecodeRequest(np.zeros(16_000, np.float32))


def result() -> DecodeResult:
    return DecodeResult("네", (1,), -0.1, 0.01, 1.0, 1.0)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class TimedDecoder:
    def __init__(self, clock: Clock, per_item: float) -> None:
        self.clock, self.per_item = clock, per_item

    def decode_batch(self, requests: Sequence[DecodeRequest]) -> list[DecodeResult]:
        self.clock.now += self.per_item * len(requests)
        return [result() for _ in requests]
