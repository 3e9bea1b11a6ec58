"""The suite's worker groups hold: `make test` runs on three workers with `--dist loadgroup`, and
tests/conftest.py puts the real-time tests in groups that stay on one worker. A pytest and
pytest-xdist pair that silently stops grouping (pytest 9.2 with xdist 3.8 did: the group went
missing from the node id and the tests were shared out one by one) fails here instead."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ONE_FIXTURE_GROUPS, REAL_TIME_GROUPS

_TEST = """
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("together")


@pytest.mark.parametrize("n", range(6))
def test_where(n):
    Path(f"ran-{n}").write_text(os.environ["PYTEST_XDIST_WORKER"])
"""


def test_a_group_runs_on_one_worker(tmp_path: Path) -> None:
    (tmp_path / "test_grouped.py").write_text(_TEST)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "3", "--dist", "loadgroup",
         "--rootdir", str(tmp_path), "-c", "/dev/null", "test_grouped.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    workers = {(tmp_path / f"ran-{n}").read_text() for n in range(6)}
    assert len(workers) == 1, workers


def test_every_grouped_path_exists() -> None:
    root = Path(__file__).resolve().parents[2]
    for prefixes in (*REAL_TIME_GROUPS.values(), *ONE_FIXTURE_GROUPS.values()):
        for prefix in prefixes:
            assert (root / prefix).exists(), prefix
