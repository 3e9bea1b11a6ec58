"""`callassist demo` as a user runs it: embedded Redis, the simulated call, the printed URL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


def run_demo(tmp_path: Path, port: int, **settings: str) -> str:
    """`callassist demo --once` on embedded defaults (plus `settings`); what it printed."""
    env = {**os.environ, "CALLASSIST_DATA_DIR": str(tmp_path / "data"), "CALLASSIST_PORT": str(port)}
    env.pop("CALLASSIST_REDIS_URL", None)
    env.pop("CALLASSIST_ASR_MODEL", None)
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "demo", "--once", "--speed", "0"],
        env={**env, **settings},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_demo_plays_one_call_and_prints_the_console_url(tmp_path: Path) -> None:
    out = run_demo(tmp_path, 18765)
    assert re.search(r"Agent sidebar \(agent-kim\):\s+http://127\.0\.0\.1:\d+/agent\?key=ca_age_", out)
    assert re.search(
        r"Supervisor \(live calls, search, call review\):\s+http://127\.0\.0\.1:\d+/supervisor\?key=ca_sup_",
        out,
    )
    # recognized by the default (tuned) model, and said so
    assert (
        "Speech model: builtin:whisper-base-ko-synth: Whisper base tuned here" in out and "SYNTHETIC" in out
    )
    assert re.search(r"ended: 16 final segments stored", out)
    finals = re.findall(r"^  \d\d:\d\d +(customer|agent): (.+)$", out, flags=re.M)
    assert finals and any(any("가" <= ch <= "힣" for ch in text) for _, text in finals), out
    assert re.search(r"Knowledge base: 12 sample guides from \S+ \(42 chunks written this run\)", out)
    assert (tmp_path / "data" / "redis" / "appendonlydir").is_dir()
    assert "Post-call summary (extractive" in out
    assert re.search(r"Call archive: searching past calls for '로밍 요금 감면' finds demo-\S+ at ", out)


def test_demo_shows_the_script_only_when_asked(tmp_path: Path) -> None:
    out = run_demo(tmp_path, 18766, CALLASSIST_ASR_MODEL="script")
    assert "Speech model: none (CALLASSIST_ASR_MODEL=script)" in out and "SCRIPT lines" in out
    # assistance on the script's clean text: suggestions with their source guide, the summary, the archive
    assert re.search(r"Suggestion s1 \(extracted from the guide, \d+ ms after the customer's line\)", out)
    assert "source:   해외 로밍 안내 > 로밍 요금 과다 청구와 감면" in out
    assert (
        "Post-call summary (extractive" in out
        and "guides:     요금 이의 신청과 과다 청구, 해외 로밍 안내" in out
    )
    assert re.search(
        r"Call archive: searching past calls for '로밍 요금 감면' finds demo-\S+ at rank 1 of 1", out
    )
