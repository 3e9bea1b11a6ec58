"""Admission across the recognition tier: a worker publishes what its own scheduler measures
(whether it would take one more call, given the calls it served lately), and a server refuses a
new call only when every live worker would refuse it, or past the capacity workers declared."""

from __future__ import annotations

import time
from typing import Any

from agent.asr.interface import Transcription, TranscriptionRequest
from agent.asr.remote import RemoteTranscriber
from agent.asr.worker import AsrWorker


class Measured:
    """A recognizer whose scheduler would take at most `limit` calls."""

    label: dict[str, str | None] = {"model": "m", "kind": "random", "note": None}
    description = "m"

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def admit(self, live_calls: int) -> str | None:
        return None if live_calls < self.limit else f"model 95% busy with {live_calls} call(s)"

    async def transcribe(self, request: TranscriptionRequest) -> Transcription | None:
        return None

    async def close(self) -> None:
        return None


def test_a_worker_publishes_its_schedulers_verdict_on_the_calls_it_serves() -> None:
    worker = AsrWorker(None, "p:", Measured(limit=2), name="w")  # type: ignore[arg-type]
    assert worker.beat()["refuses"] == "" and worker.beat()["calls"] == 0
    worker._recent_calls.update({"c1": time.monotonic(), "c2": time.monotonic()})
    beat = worker.beat()
    assert beat["calls"] == 2 and "busy with 2 call(s)" in beat["refuses"]
    worker._recent_calls["c1"] = time.monotonic() - 60  # long gone
    assert worker.beat()["calls"] == 1 and worker.beat()["refuses"] == ""


def server_seeing(*beats: dict[str, Any]) -> RemoteTranscriber:
    remote = RemoteTranscriber(None, "p:", "s", None)  # type: ignore[arg-type]
    remote._workers = {f"w{n}": {"at": time.time(), **beat} for n, beat in enumerate(beats)}
    return remote


def test_a_server_refuses_only_when_every_worker_would() -> None:
    assert server_seeing({"refuses": "busy"}, {"refuses": ""}).admit(5) is None
    refusal = server_seeing({"refuses": "model 95% busy"}, {"refuses": "finals would wait 3 s"}).admit(5)
    assert refusal is not None and "every recognition worker is at capacity" in refusal
    assert server_seeing({"capacity_calls": 3}, {"capacity_calls": 2}).admit(5) is not None
    assert server_seeing({"capacity_calls": 3}, {"capacity_calls": 2}).admit(4) is None
    stale = {"at": time.time() - 60, "refuses": ""}  # a dead worker's last beat does not count
    remote = server_seeing({"refuses": "busy"})
    remote._workers["gone"] = stale
    assert remote.admit(1) is not None
    assert "no recognition worker" in (server_seeing().admit(0) or "")
