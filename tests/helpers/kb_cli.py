"""Running `callassist kb` as a user does, on its own embedded Redis in a fresh data dir (inside
the test process: see `tests.helpers.cli`)."""

from __future__ import annotations

from pathlib import Path

from server.cli import main
from tests.helpers.cli import Ran, run_cli


def run(tmp_path: Path, *args: str) -> Ran:
    # the commands are under test here, not the embedder (e5 runs in the demo and assist tests)
    env = {
        "CALLASSIST_DATA_DIR": str(tmp_path / "data"),
        "CALLASSIST_KB_EMBEDDER": "lexical",
        "CALLASSIST_REDIS_URL": None,
    }
    return run_cli(main, ["kb", *args], env)
