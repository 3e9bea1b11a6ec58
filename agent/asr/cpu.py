"""How many model workers, and how many CPU threads each: the cores this process may use (its
affinity, within a container's CPU quota) and the split of them that decodes the most."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path

# Model workers chosen automatically on a CPU: one per usable core, at most this many (measured on
# 2 cores: two one-thread workers decode 1.76x the utterances a second of one two-thread model, and
# a lone utterance is no slower; docs/measurements.md "Parallel model workers").
MAX_AUTO_WORKERS = 4


CGROUP_CPU_FILES = (
    (Path("/sys/fs/cgroup/cpu.max"), None),  # cgroup v2: "QUOTA PERIOD" or "max PERIOD"
    (Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us")),  # v1
)


def cgroup_cpu_limit(files: Sequence[tuple[Path, Path | None]] = CGROUP_CPU_FILES) -> float | None:
    """CPUs the container's quota allows (a Kubernetes CPU limit), or None when there is none."""
    for quota_file, period_file in files:
        try:
            fields = quota_file.read_text().split()
            if period_file is not None:
                fields = [fields[0], period_file.read_text().split()[0]]
            quota, period = fields[0], float(fields[1])
        except (OSError, IndexError, ValueError):
            continue
        if quota in ("max", "-1") or period <= 0:
            return None
        try:
            return max(float(quota) / period, 0.0) or None
        except ValueError:
            return None
    return None


def usable_cores() -> int:
    """Cores this process may run on: its CPU affinity (e.g. under taskset), within the container's
    CPU quota (a pod's limit is a quota, not an affinity)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    limit = cgroup_cpu_limit()
    if limit is not None:
        cores = min(cores, math.ceil(limit))
    return max(1, cores)


def parallelism(on_cpu: bool, workers: int, threads: int) -> tuple[int, int]:
    """(model workers, CPU threads per worker), 0 meaning automatic: on a CPU one worker per usable
    core (at most MAX_AUTO_WORKERS) and the cores shared among them; on a GPU one worker (batches
    are what a GPU parallelizes) and CTranslate2's own thread default."""
    if not on_cpu:
        return workers or 1, threads
    cores = usable_cores()
    workers = workers or min(cores, MAX_AUTO_WORKERS)
    return workers, threads or max(1, cores // workers)
