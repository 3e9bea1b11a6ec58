"""A serving process holds numpy's BLAS to one thread (its idle threads spin on every core)."""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_info

from server.library_threads import limit_library_threads


def test_blas_is_held_to_one_thread_and_still_computes() -> None:
    found = limit_library_threads()
    assert found and all(f["library"] for f in found)  # numpy's wheels bring a BLAS
    assert {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"} == {1}
    a = np.arange(64 * 64, dtype=np.float32).reshape(64, 64)
    np.testing.assert_allclose(a @ np.eye(64, dtype=np.float32), a)
