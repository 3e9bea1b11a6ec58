"""A shorter run of the Twilio load benchmark in every test run: 20 concurrent calls for 12 s in
real time into a server in its own process. Nothing may be lost, every stream must close
normally, and the speech-start latency at the end must not have grown against the start of the
same run (the full 60 s run and its CPU figures: `make bench`)."""

from __future__ import annotations

from tests.helpers.twilio_load import load


def test_twenty_concurrent_twilio_calls_lose_nothing_and_do_not_fall_behind(redis_url: str) -> None:
    result = load(redis_url, calls=20, seconds=12.0)
    assert result["closed_normally"] == 20 and result["audio_lost_s"] == 0.0, result
    assert result["speech_starts"] >= 20, result
    assert result["lag_last_ms"] <= 2 * result["lag_first_ms"] + 250, result  # relative, same run
