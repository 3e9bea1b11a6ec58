"""One scheduler for every call in the process: batches utterance jobs into single model calls.

Policy:
- Finals before partials. Finals are taken first-come first-served. Partials fill the batch only
  where finals leave room, and when finals are in the batch at most a quarter of it, so partial
  cadence degrades under load before final latency does.
- Batch size follows the hardware: from the measured model time per item, a batch of finals may
  take at most 40 % of `max_final_delay`, and a batch of partials only 15 % (a final that arrives
  meanwhile waits for it), never more than `max_batch`. On a GPU, where an item costs little, that
  is `max_batch`; on a CPU, whose cost grows with every item, it is a few.
- A newer partial for a stream replaces the queued older one (whose waiter gets None), and a
  final drops its stream's queued partial: nobody needs it any more.
- Admission: from the measured batch time and the model's utilization over the last seconds,
  `admit()` refuses a new call when finals would wait longer than `max_final_delay` or when one
  more call would push the model past `target_utilization`; calls already running keep going.
The model runs in its own single worker thread: one batch at a time, CTranslate2 parallelizes
inside it.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

import structlog

from agent import metrics
from agent.asr.engine import DecodeRequest, DecodeResult
from agent.asr.interface import JobKind

log = structlog.get_logger(__name__)

TARGET_UTILIZATION = 0.9
UTILIZATION_WINDOW_S = 10.0
FINALS_BATCH_SHARE = 0.4  # of max_final_delay that one batch with finals may take
PARTIALS_BATCH_SHARE = 0.15  # of max_final_delay that one batch of partials may take


class BatchDecoder(Protocol):
    def decode_batch(self, requests: Sequence[DecodeRequest]) -> list[DecodeResult]: ...


@dataclass(eq=False)
class Job:
    kind: JobKind
    stream: Hashable
    request: DecodeRequest
    submitted: float
    future: asyncio.Future[DecodeResult | None] = field(repr=False)


class AsrScheduler:
    def __init__(
        self,
        decoder: BatchDecoder,
        *,
        max_batch: int = 16,
        max_final_delay: float = 1.5,
        executor: Executor | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self.decoder = decoder
        self.max_batch = max_batch
        self.max_final_delay = max_final_delay
        self._clock = clock
        self._own_executor = executor is None
        self._executor = executor or ThreadPoolExecutor(1, thread_name_prefix="callassist-asr")
        self._finals: deque[Job] = deque()
        self._partials: OrderedDict[Hashable, Job] = OrderedDict()  # oldest first
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._running_since: float | None = None
        self._batch_seconds: float | None = None  # moving average of one batch's model time
        self._item_seconds: float | None = None  # moving average of model time per job in a batch
        self._busy: deque[tuple[float, float]] = deque()  # recent (start, end) of model work
        self.batches = 0

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="asr-scheduler")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        for job in [*self._finals, *self._partials.values()]:
            job.future.cancel()
        self._finals.clear()
        self._partials.clear()
        if self._own_executor:
            self._executor.shutdown(wait=True)

    # --- submitting --------------------------------------------------------------------------
    def submit(
        self, kind: JobKind, stream: Hashable, request: DecodeRequest
    ) -> asyncio.Future[DecodeResult | None]:
        """Queue a job; the future resolves to its result, or None if a newer job superseded it."""
        future: asyncio.Future[DecodeResult | None] = asyncio.get_running_loop().create_future()
        job = Job(kind, stream, request, self._clock(), future)
        stale = self._partials.pop(stream, None)
        if stale is not None and not stale.future.done():
            stale.future.set_result(None)
            metrics.ASR_PARTIALS_SUPERSEDED.inc()
        if kind is JobKind.FINAL:
            self._finals.append(job)
        else:
            self._partials[stream] = job
        self._update_queue_metrics()
        self._wake.set()
        return future

    # --- admission ---------------------------------------------------------------------------
    def estimated_final_delay(self) -> float:
        """How long a final submitted now would take: batches ahead of it, plus its own."""
        if self._batch_seconds is None:
            return 0.0
        ahead = math.ceil((len(self._finals) + 1) / self.max_batch)
        remaining = 0.0
        if self._running_since is not None:
            remaining = max(0.0, self._batch_seconds - (self._clock() - self._running_since))
        return remaining + ahead * self._batch_seconds

    def utilization(self) -> float:
        """Fraction of the last few seconds the model spent decoding."""
        now = self._clock()
        since = now - UTILIZATION_WINDOW_S
        busy = sum(min(end, now) - max(start, since) for start, end in self._busy if end > since)
        if self._running_since is not None:
            busy += now - max(self._running_since, since)
        return min(1.0, busy / UTILIZATION_WINDOW_S)

    def admit(self, live_calls: int) -> str | None:
        """None if one more call can be served, else the reason it cannot."""
        delay = self.estimated_final_delay()
        if delay > self.max_final_delay:
            return f"speech recognition is at capacity: finals would wait {delay:.1f} s (limit {self.max_final_delay:g} s)"
        load = self.utilization()
        if live_calls > 0 and load * (live_calls + 1) / live_calls > TARGET_UTILIZATION:
            return f"speech recognition is at capacity: model {load:.0%} busy with {live_calls} call(s)"
        return None

    # --- the loop ----------------------------------------------------------------------------
    def batch_limit(self, *, finals: bool) -> int:
        """Largest batch whose model time stays within its share of the final-latency budget."""
        if self._item_seconds is None:
            return self.max_batch
        share = FINALS_BATCH_SHARE if finals else PARTIALS_BATCH_SHARE
        return max(1, min(self.max_batch, int(self.max_final_delay * share / self._item_seconds)))

    def take_batch(self) -> list[Job]:
        """The next batch by the policy above (exposed for tests)."""
        batch: list[Job] = []
        limit = self.batch_limit(finals=bool(self._finals))
        while self._finals and len(batch) < limit:
            job = self._finals.popleft()
            if not job.future.done():
                batch.append(job)
        room = limit - len(batch)
        if batch:
            room = min(room, limit // 4)
        while self._partials and room > 0:
            _, job = self._partials.popitem(last=False)
            if not job.future.done():
                batch.append(job)
                room -= 1
        self._update_queue_metrics()
        return batch

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            if not await self.run_batch():
                self._wake.clear()

    async def run_batch(self) -> bool:
        """Decode the next batch, if there is one; False when nothing was waiting."""
        batch = self.take_batch()
        if not batch:
            return False
        started = self._running_since = self._clock()
        try:
            results = await asyncio.get_running_loop().run_in_executor(
                self._executor, self.decoder.decode_batch, [j.request for j in batch]
            )
        except Exception as exc:  # one bad batch must not stop recognition for everyone
            log.exception("asr_batch_failed", size=len(batch))
            for job in batch:
                if not job.future.done():
                    job.future.set_exception(exc)
            return True
        finally:
            self._running_since = None
        self._record(started, self._clock(), batch)
        for job, result in zip(batch, results, strict=True):
            if not job.future.done():
                job.future.set_result(result)
        return True

    def _record(self, started: float, finished: float, batch: list[Job]) -> None:
        seconds = finished - started
        self.batches += 1
        self._batch_seconds = (
            seconds if self._batch_seconds is None else 0.8 * self._batch_seconds + 0.2 * seconds
        )
        per_item = seconds / len(batch)
        self._item_seconds = (
            per_item if self._item_seconds is None else 0.8 * self._item_seconds + 0.2 * per_item
        )
        self._busy.append((started, finished))
        while self._busy and self._busy[0][1] < finished - UTILIZATION_WINDOW_S:
            self._busy.popleft()
        metrics.ASR_BATCH_SIZE.observe(len(batch))
        metrics.ASR_BATCH_SECONDS.observe(seconds)
        for job in batch:
            metrics.ASR_JOB_SECONDS.labels(kind=job.kind.value).observe(finished - job.submitted)
            metrics.ASR_AUDIO_SECONDS.labels(kind=job.kind.value).inc(job.request.seconds)

    @property
    def batch_seconds(self) -> float | None:
        """Moving average of the model time of one batch (None before the first)."""
        return self._batch_seconds

    def _update_queue_metrics(self) -> None:
        metrics.ASR_QUEUE.labels(kind="final").set(len(self._finals))
        metrics.ASR_QUEUE.labels(kind="partial").set(len(self._partials))
