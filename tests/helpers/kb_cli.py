"""Running `callassist kb` in its own process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # the commands are under test here, not the embedder (e5 runs in the demo and assist tests)
    env = {**os.environ, "CALLASSIST_DATA_DIR": str(tmp_path / "data"), "CALLASSIST_KB_EMBEDDER": "lexical"}
    env.pop("CALLASSIST_REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "server.cli", "kb", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
