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
- Admission by cost: every admitted call counts, measured or not. A call's cost is the share of
  the model it takes: measured as the model's utilization over the last seconds divided by the
  calls it served then, partials' time counted at `partial_cost_share` (default
  PARTIAL_COST_SHARE: they give way under load, so the time they fill on a model with room is not
  a cost the next call must fit beside; 1 counts them whole); between busy spells, the last
  measured cost (smoothed, for two minutes); before anything is measured, a prior from the time
  per item and the jobs a call makes a second (PRIOR_JOBS_PER_CALL_S). `admit(calls)` refuses
  one more call when (calls + 1) × cost would pass TARGET_UTILIZATION, or when a final submitted
  now would wait longer than `max_final_delay`; calls already running keep going, and an idle
  server always takes one call. Estimates use the median time per item of recent batches, so one
  outlier does not lock the door, and an idle scheduler's wait is one item's time.
- Parallel model workers: with `workers` > 1 (replicas of the model, each on its own threads; on a
  CPU one thread each, because on small utterances a second thread inside one model call gains less
  than a second call running beside it) up to that many batches run at once. Queued jobs are
  spread over the free workers before they are batched, so two finals on two free workers are
  decoded side by side, not one after the other. One worker is kept free of partials
  (`reserve_final_worker`): batches of partials run on at most `workers` - 1 workers at once, so a
  final never waits behind partials. Utilization, cost and the final-delay estimate count the
  workers: a call's cost is its share of all of them.
Each worker is a thread of one executor; CTranslate2 releases the GIL while it decodes.
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
# Recognition jobs one live two-channel call makes a second with natural turn-taking: partials of
# the speaking channel (every CALLASSIST_ASR_PARTIAL_INTERVAL_MS of speech), its speculative decode
# in the hangover and its final. Used until calls are measured. Not measured directly: chosen so
# that, at about 0.1 s a job, it admits 6 calls where held-out calls showed 8 to keep final p95
# at 1 s on a 2-core CPU (docs/scaling.md). Conservative on purpose: a burst gets the prior's count.
PRIOR_JOBS_PER_CALL_S = 1.3
# Partials give way under load (a newer one replaces a queued one; finals go first), so by default
# the model time they took counts only this much towards a call's cost: at 8 dense calls a partial
# came every 1.2-1.3 s of speech instead of every 0.7 s (docs/measurements.md), about half as often.
PARTIAL_COST_SHARE = 0.5
MEASURED_CALL_S = 5.0  # calls served at least this long in the window make the measured cost
# The measured cost outlives its window by this long (a burst after a busy spell is judged by it,
# not by the prior), smoothed over batches so the last seconds of a spell (every call's last final
# at once) do not dominate; after that an idle scheduler is back on the prior.
LEARNED_COST_TTL_S = 120.0
LEARNED_COST_WEIGHT = 0.05
ITEM_SAMPLES = 32  # recent per-item model times the median is taken over
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
        workers: int = 1,
        reserve_final_worker: bool = True,
        partial_cost_share: float = PARTIAL_COST_SHARE,
        executor: Executor | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        if workers < 1:
            raise ValueError("workers must be at least 1")
        if not 0.0 <= partial_cost_share <= 1.0:
            raise ValueError("partial_cost_share must be between 0 and 1")
        self.decoder = decoder
        self.max_batch = max_batch
        self.max_final_delay = max_final_delay
        self.workers = workers
        self.reserve_final_worker = reserve_final_worker
        self.partial_cost_share = partial_cost_share
        self._clock = clock
        self._own_executor = executor is None
        self._executor = executor or ThreadPoolExecutor(workers, thread_name_prefix="callassist-asr")
        self._finals: deque[Job] = deque()
        self._partials: OrderedDict[Hashable, Job] = OrderedDict()  # oldest first
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._running: dict[int, tuple[float, list[Job]]] = {}  # batch → (start, its jobs)
        self._in_flight: set[asyncio.Task[None]] = set()
        self._batch_seconds: float | None = None  # moving average of one batch's model time
        self._item_times: deque[float] = deque(maxlen=ITEM_SAMPLES)  # recent model time per job
        # recent (start, end, weight) of model work; weight: the batch's share that counts as load
        # (finals 1, partials partial_cost_share)
        self._busy: deque[tuple[float, float, float]] = deque()
        self._calls_seen: dict[Hashable, tuple[float, float]] = {}  # call → (first, last) job time
        self._learned: tuple[float, float] | None = None  # (smoothed measured cost, when last measured)
        self.batches = 0

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="asr-scheduler")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        for task in list(self._in_flight):
            task.cancel()
        await asyncio.gather(*self._in_flight, return_exceptions=True)
        started = [job for _, jobs in self._running.values() for job in jobs]  # cancelled before they ran
        for job in [*self._finals, *self._partials.values(), *started]:
            job.future.cancel()
        self._running.clear()
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
        call = stream[0] if isinstance(stream, tuple) and stream else stream
        first, _ = self._calls_seen.get(call, (job.submitted, job.submitted))
        self._calls_seen[call] = (first, job.submitted)
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
    @property
    def item_seconds(self) -> float | None:
        """Median model time per job over recent batches (None before the first)."""
        if not self._item_times:
            return None
        ordered = sorted(self._item_times)
        return ordered[len(ordered) // 2]

    def estimated_final_delay(self) -> float:
        """How long a final submitted now would take: when every worker is busy, what is left of
        the batch that ends first; the finals queued ahead of it, spread over the workers; and its
        own decoding, at the median time per item."""
        item = self.item_seconds
        if item is None:
            return 0.0
        remaining = 0.0
        if len(self._running) >= self.workers and self._batch_seconds is not None:
            now = self._clock()
            remaining = min(
                max(0.0, self._batch_seconds - (now - started)) for started, _ in self._running.values()
            )
        return remaining + (len(self._finals) // self.workers + 1) * item

    def call_cost(self) -> float | None:
        """The share of the model one live call takes: measured (utilization over the window
        divided by the calls served in it, once calls have run MEASURED_CALL_S there); else what
        was measured in the last LEARNED_COST_TTL_S (smoothed over batches), so the next burst is
        judged by the calls before it; else the prior (median time per item ×
        PRIOR_JOBS_PER_CALL_S); None before anything was decoded."""
        measured = self._measured_cost()
        if measured is not None:
            return measured
        if self._learned is not None and self._clock() - self._learned[1] <= LEARNED_COST_TTL_S:
            return self._learned[0]
        item = self.item_seconds
        return None if item is None else item * PRIOR_JOBS_PER_CALL_S / self.workers

    def _measured_cost(self) -> float | None:
        now = self._clock()
        since = now - UTILIZATION_WINDOW_S
        for call, (_, last) in list(self._calls_seen.items()):
            if last < since:
                del self._calls_seen[call]
        served = [min(now, last) - max(first, since) for first, last in self._calls_seen.values()]
        call_seconds = sum(max(0.0, s) for s in served)
        if call_seconds >= MEASURED_CALL_S:  # model-seconds per call-second, over the window
            return self.utilization(weighted=True) * UTILIZATION_WINDOW_S / call_seconds
        return None

    def _learn_cost(self) -> None:
        measured = self._measured_cost()
        if measured is not None:
            smoothed = (
                measured
                if self._learned is None
                else (LEARNED_COST_WEIGHT * measured + (1 - LEARNED_COST_WEIGHT) * self._learned[0])
            )
            self._learned = (smoothed, self._clock())

    def utilization(self, weighted: bool = False) -> float:
        """Fraction of the last few seconds the model's workers spent decoding (all of them busy
        all the time: 1). `weighted`: partials' time counted at `partial_cost_share`, the load
        that would stay if partials gave way."""
        now = self._clock()
        since = now - UTILIZATION_WINDOW_S
        busy = sum(
            (min(end, now) - max(start, since)) * (weight if weighted else 1.0)
            for start, end, weight in self._busy
            if end > since
        )
        busy += sum(
            (now - max(started, since)) * (self._load_weight(jobs) if weighted else 1.0)
            for started, jobs in self._running.values()
        )
        return min(1.0, busy / (UTILIZATION_WINDOW_S * self.workers))

    def _load_weight(self, batch: Sequence[Job]) -> float:
        """The share of a batch's model time that counts as load: finals' whole, partials'
        `partial_cost_share` (they give way when the model is busy)."""
        if not batch:
            return 1.0
        share = self.partial_cost_share
        return sum(1.0 if job.kind is JobKind.FINAL else share for job in batch) / len(batch)

    def admit(self, live_calls: int) -> str | None:
        """None if one more call can be served besides the `live_calls` admitted (running or still
        starting, measured or not), else the reason it cannot. A server with no call takes one,
        whatever its speed: refusing every call helps no one."""
        if live_calls == 0 and not self._finals:
            return None
        delay = self.estimated_final_delay()
        if delay > self.max_final_delay:
            return f"speech recognition is at capacity: finals would wait {delay:.1f} s (limit {self.max_final_delay:g} s)"
        cost = self.call_cost()
        if cost is not None and (live_calls + 1) * cost > TARGET_UTILIZATION:
            return (
                f"speech recognition is at capacity: {live_calls} call(s) admitted, each taking about "
                f"{cost:.0%} of the model"
            )
        return None

    async def warm_up(self, request: DecodeRequest) -> None:
        """Decode `request` before any call on every worker at once, twice (the first decode pays
        the kernels' set-up), and keep the second round's times: admission has a time per item
        before the first call arrives, measured as it is when all the workers are busy."""
        loop = asyncio.get_running_loop()

        async def timed() -> float:
            started = self._clock()
            await loop.run_in_executor(self._executor, self.decoder.decode_batch, [request])
            return self._clock() - started

        await asyncio.gather(*(timed() for _ in range(self.workers)))
        self._item_times.extend(await asyncio.gather(*(timed() for _ in range(self.workers))))

    # --- the loop ----------------------------------------------------------------------------
    def batch_limit(self, *, finals: bool) -> int:
        """Largest batch whose model time stays within its share of the final-latency budget."""
        item = self.item_seconds
        if item is None:
            return self.max_batch
        share = FINALS_BATCH_SHARE if finals else PARTIALS_BATCH_SHARE
        return max(1, min(self.max_batch, int(self.max_final_delay * share / item)))

    def take_batch(self) -> list[Job]:
        """The next batch by the policy above (exposed for tests): the queue is first spread over
        the free workers (this batch's included), then limited by the batch policy."""
        batch: list[Job] = []
        policy = self.batch_limit(finals=bool(self._finals))
        free = max(1, self.workers - len(self._running))
        waiting = len(self._finals) + len(self._partials)
        limit = min(policy, max(1, math.ceil(waiting / free)))  # this worker's share of the queue
        while self._finals and len(batch) < limit:
            job = self._finals.popleft()
            if not job.future.done():
                batch.append(job)
        room = limit - len(batch)
        if batch:
            room = min(room, policy // 4)
        elif not self._partials_may_start():
            room = 0
        while self._partials and room > 0:
            _, job = self._partials.popitem(last=False)
            if not job.future.done():
                batch.append(job)
                room -= 1
        self._update_queue_metrics()
        return batch

    def _partials_may_start(self) -> bool:
        """Whether a batch of partials alone may start now: always with one worker; with more, while
        another worker stays free for finals (unless that reserve is off)."""
        if self.workers == 1 or not self.reserve_final_worker:
            return True
        partial_batches = sum(
            all(job.kind is JobKind.PARTIAL for job in jobs) for _, jobs in self._running.values()
        )
        return partial_batches < self.workers - 1

    def _started(self, batch: list[Job]) -> None:
        self._running[id(batch)] = (self._clock(), batch)

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while len(self._running) < self.workers:
                batch = self.take_batch()
                if not batch:
                    break
                self._started(batch)
                task = asyncio.create_task(self._decode(batch), name="asr-batch")
                self._in_flight.add(task)
                task.add_done_callback(self._batch_done)

    def _batch_done(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self._wake.set()  # a worker is free: the queue may have more

    async def run_batch(self) -> bool:
        """Decode the next batch, if there is one, and wait for it (exposed for tests); False when
        nothing was waiting."""
        batch = self.take_batch()
        if not batch:
            return False
        self._started(batch)
        await self._decode(batch)
        return True

    async def _decode(self, batch: list[Job]) -> None:
        """Decode a batch registered by `_started`, answer its jobs, record its time."""
        started = self._running[id(batch)][0]
        try:
            results = await asyncio.get_running_loop().run_in_executor(
                self._executor, self.decoder.decode_batch, [j.request for j in batch]
            )
        except asyncio.CancelledError:  # the scheduler stops: nobody gets this batch's results
            for job in batch:
                job.future.cancel()
            raise
        except Exception as exc:  # one bad batch must not stop recognition for everyone
            log.exception("asr_batch_failed", size=len(batch))
            for job in batch:
                if not job.future.done():
                    job.future.set_exception(exc)
            return
        finally:
            self._running.pop(id(batch), None)
        self._record(started, self._clock(), batch)
        for job, result in zip(batch, results, strict=True):
            if not job.future.done():
                job.future.set_result(result)

    def _record(self, started: float, finished: float, batch: list[Job]) -> None:
        seconds = finished - started
        self.batches += 1
        self._batch_seconds = (
            seconds if self._batch_seconds is None else 0.8 * self._batch_seconds + 0.2 * seconds
        )
        self._item_times.append(seconds / len(batch))
        self._busy.append((started, finished, self._load_weight(batch)))
        while self._busy and self._busy[0][1] < finished - UTILIZATION_WINDOW_S:
            self._busy.popleft()
        self._learn_cost()
        metrics.ASR_BATCH_SIZE.observe(len(batch))
        metrics.ASR_BATCH_SECONDS.observe(seconds)
        for job in batch:
            metrics.ASR_JOB_SECONDS.labels(kind=job.kind.value).observe(finished - job.submitted)
            metrics.ASR_AUDIO_SECONDS.labels(kind=job.kind.value).inc(job.request.seconds)

    def _update_queue_metrics(self) -> None:
        metrics.ASR_QUEUE.labels(kind="final").set(len(self._finals))
        metrics.ASR_QUEUE.labels(kind="partial").set(len(self._partials))
