"""Numeric libraries' own thread pools held to one thread in a serving process.

numpy's OpenBLAS starts a thread per core, and after every call large enough to split (the mel
filter bank of each utterance, for one) those threads spin waiting for more work. Measured through
the server with 12 calls at once on 2 cores (`perf record` on the server process): 13 % of the
process's CPU went to OpenBLAS threads spinning in `blas_thread_server`, against 0.1 % of actual
matrix work. Every numeric call here is small and is already run side by side with others by the
process's bounded pools (model workers, the CPU pool), so a BLAS call gets one thread: the one
that made it. The models' engines keep their own settings (CTranslate2 `cpu_threads`, onnxruntime
one thread per session)."""

from __future__ import annotations

from typing import Any

import structlog
from threadpoolctl import threadpool_info, threadpool_limits

log = structlog.get_logger(__name__)


def limit_library_threads() -> list[dict[str, Any]]:
    """Hold every loaded BLAS library to one thread; returns what was found (library, version,
    threads before). Call once the numeric libraries are imported (numpy is, by then)."""
    found = [
        {
            "library": i.get("internal_api"),
            "version": i.get("version"),
            "threads_before": i.get("num_threads"),
        }
        for i in threadpool_info()
        if i.get("user_api") == "blas"
    ]
    threadpool_limits(limits=1, user_api="blas")
    log.debug("library_threads_limited", blas=found)
    return found
