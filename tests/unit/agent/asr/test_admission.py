"""Admission by cost (agent/asr/scheduler.py) on a clock of its own: a burst is admitted only as far
as the prior cost of a call allows, measured cost takes over once calls run, and one slow batch
does not keep the door shut once the scheduler is idle. The decoder here only advances that clock
by a set time per item (the model's speed is what admission reads, not its text)."""

from __future__ import annotations

import pytest

from agent.asr.interface import JobKind
from agent.asr.scheduler import PARTIAL_COST_SHARE, PRIOR_JOBS_PER_CALL_S, TARGET_UTILIZATION, AsrScheduler
from tests.helpers.scheduler import Clock, TimedDecoder, request


async def test_a_burst_is_admitted_only_as_far_as_the_prior_cost_allows() -> None:
    clock = Clock()
    scheduler = AsrScheduler(TimedDecoder(clock, 0.1), clock=clock)
    assert scheduler.admit(1) is None  # nothing decoded yet: nothing to judge by
    await scheduler.warm_up(request())
    assert scheduler.admit(0) is None  # an idle server takes one call, however slow
    assert scheduler.call_cost() == pytest.approx(0.1 * PRIOR_JOBS_PER_CALL_S)
    admitted = 0
    while scheduler.admit(admitted) is None:  # every admitted call counts, none measured yet
        admitted += 1
    assert admitted == int(TARGET_UTILIZATION / (0.1 * PRIOR_JOBS_PER_CALL_S))  # 6 on this model
    assert "6 call(s) admitted" in (scheduler.admit(admitted) or "")
    await scheduler.stop()


async def _four_calls(kind: JobKind, partial_cost_share: float = PARTIAL_COST_SHARE) -> AsrScheduler:
    """4 calls for 10 s, one job of `kind` each every 0.4 s: 0.5 model-s per second."""
    clock = Clock()
    scheduler = AsrScheduler(TimedDecoder(clock, 0.05), partial_cost_share=partial_cost_share, clock=clock)
    await scheduler.warm_up(request())
    for _ in range(100):
        for call in range(4):
            scheduler.submit(kind, (f"c{call}", 0), request())
        await scheduler.run_batch()
        clock.now += 0.4 - 0.2
    return scheduler


async def test_measured_cost_takes_over_from_the_prior() -> None:
    scheduler = await _four_calls(JobKind.FINAL)
    cost = scheduler.call_cost()
    assert cost is not None and 0.09 < cost < 0.16  # 0.05 s per job, 2.5 jobs a second per call
    assert scheduler.admit(4) is None
    assert scheduler.admit(8) is not None
    await scheduler.stop()


async def test_partials_count_for_part_of_their_time() -> None:
    """Partials give way under load: the model time they fill counts at PARTIAL_COST_SHARE."""
    finals = await _four_calls(JobKind.FINAL)
    partials = await _four_calls(JobKind.PARTIAL)
    assert partials.utilization() == pytest.approx(finals.utilization())
    assert partials.call_cost() == pytest.approx(PARTIAL_COST_SHARE * (finals.call_cost() or 0))
    assert partials.admit(8) is None and finals.admit(8) is not None
    whole = await _four_calls(JobKind.PARTIAL, partial_cost_share=1.0)  # an operator's choice
    assert whole.call_cost() == pytest.approx(finals.call_cost())
    for scheduler in (finals, partials, whole):
        await scheduler.stop()
    with pytest.raises(ValueError, match="between 0 and 1"):
        AsrScheduler(TimedDecoder(Clock(), 0.05), partial_cost_share=1.5)


async def test_one_slow_batch_does_not_lock_an_idle_scheduler_out() -> None:
    clock = Clock()
    decoder = TimedDecoder(clock, 0.1)
    scheduler = AsrScheduler(decoder, max_final_delay=1.5, clock=clock)
    await scheduler.warm_up(request())
    for n in range(8):
        scheduler.submit(JobKind.FINAL, (f"c{n}", 0), request())
        await scheduler.run_batch()
    decoder.per_item = 30.0  # one job that took half a minute
    scheduler.submit(JobKind.FINAL, ("big", 0), request())
    await scheduler.run_batch()
    decoder.per_item = 0.1
    clock.now += 11.0  # the window passes; nothing runs
    assert scheduler.estimated_final_delay() < 0.5
    assert scheduler.admit(1) is None
    await scheduler.stop()


async def test_a_burst_after_busy_calls_is_judged_by_what_they_cost() -> None:
    """The model got slower per item under load (so the prior would admit fewer), but the calls
    measured then cost little: the next burst, after their window has passed, gets that cost."""
    clock = Clock()
    decoder = TimedDecoder(clock, 0.05)
    scheduler = AsrScheduler(decoder, clock=clock)
    await scheduler.warm_up(request())
    decoder.per_item = 0.2  # under load
    for _ in range(100):  # 4 calls for about 40 s, a job each round, one decoded per round
        for call in range(4):
            scheduler.submit(JobKind.PARTIAL, (f"c{call}", 0), request())
        await scheduler.run_batch()
        clock.now += 0.2
    learned = scheduler.call_cost()
    prior = 0.2 * PRIOR_JOBS_PER_CALL_S
    assert learned is not None and learned < prior / 1.5
    clock.now += 30.0  # the calls ended; their window has passed
    assert scheduler.call_cost() == pytest.approx(learned, rel=0.2)  # not 0.2 × the prior's jobs
    clock.now += 200.0  # long idle: back on the prior
    assert scheduler.call_cost() == pytest.approx(scheduler.item_seconds * PRIOR_JOBS_PER_CALL_S)
    await scheduler.stop()
