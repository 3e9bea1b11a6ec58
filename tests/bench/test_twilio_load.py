"""Load: concurrent Twilio Media Streams calls on loopback, in real time, into a server running in
its own process (no speech model: decode, track alignment, resampling, VAD, segmentation, storage,
events, post-call). Measures lost audio, whether the speech-start latency grows over the run,
and the server's CPU per call. `make bench` only; writes .bench/twilio_load.json.

    CALLASSIST_LOAD_CALLS=20 CALLASSIST_LOAD_SECONDS=60 (defaults)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.helpers.twilio_load import load

CALLS = int(os.environ.get("CALLASSIST_LOAD_CALLS", "20"))
SECONDS = float(os.environ.get("CALLASSIST_LOAD_SECONDS", "60"))


def test_concurrent_twilio_calls(redis_url: str) -> None:
    result = load(redis_url, CALLS, SECONDS)
    print(
        f"\n{CALLS} Twilio calls × {SECONDS:.0f} s, real time: audio lost {result['audio_lost_s']:.3f} s; "
        f"speech-start lag median first third {result['lag_first_ms']:.0f} ms, last third {result['lag_last_ms']:.0f} ms; "
        f"server CPU {result['cpu_percent_per_call']:.2f} % of a core per call ({result['server_cpu_percent']:.0f} % in all)"
    )
    # what must hold at any speed: every call ended normally, none lost audio, all speech was seen
    assert result["closed_normally"] == CALLS and result["audio_lost_s"] < 0.1, result
    assert result["speech_starts"] > 0
    out = Path(os.environ.get("CALLASSIST_BENCH_OUT", ".bench"))
    out.mkdir(exist_ok=True)
    (out / "twilio_load.json").write_text(json.dumps(result, indent=1))
