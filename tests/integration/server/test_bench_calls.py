"""`callassist bench calls` at small scale: a two-turn call through a server in its own process on
its defaults (the tuned default model), scored for CER, guides, latency and partials."""

from __future__ import annotations

import json
from pathlib import Path

from server.settings import default_cache_dir
from workbench.bench.e2e import evaluate, summary_table

CALL = {
    "name": "tiny-lost-phone",
    "channel_roles": ["customer", "agent"],
    "expected_guides": ["lost-phone"],
    "turns": [
        # one sentence: after a finished sentence the end of turn comes after 160 ms of silence, so
        # two sentences may come back as two finals, depending on the pause between them
        {"role": "customer", "text": "휴대폰을 잃어버렸는데 분실 신고는 어떻게 하나요?"},
        {"role": "agent", "text": "지금 바로 일시 정지해 드릴게요."},
    ],
}


async def test_one_call_end_to_end(tmp_path: Path) -> None:
    calls = tmp_path / "calls.jsonl"
    calls.write_text(json.dumps(CALL, ensure_ascii=False) + "\n", "utf-8")
    lines: list[str] = []
    report = await evaluate(default_cache_dir(), calls, speed=3.0, log=lines.append)  # 3× real time
    assert report.problems == []
    assert report.model == "builtin:whisper-base-ko-synth"
    assert report.calls == 1 and report.utterances == 2 and report.finals == 2
    assert (
        0.0 <= report.cer <= 1.5 and 0.0 <= report.cer_no_space <= 1.5
    )  # scored (the tuned model may be exact)
    assert all(t.get("text") for t in report.per_call[0]["transcript"])  # real recognized text
    assert report.guides_expected == 1 and 0 <= report.guides_suggested <= 1
    assert report.final_latency_p50 is not None and report.final_latency_p50 > 0  # after the speech ended
    transcript = report.per_call[0]["transcript"]
    assert [t["role"] for t in transcript] == ["customer", "agent"]
    assert "| recognized | defaults | 16 kHz PCM | 1 | 2 | 2 |" in summary_table([report])


async def test_typed_transcripts_pass(tmp_path: Path) -> None:
    """The same call with its script lines as the transcript: what a perfect recognizer would give."""
    calls = tmp_path / "calls.jsonl"
    calls.write_text(json.dumps(CALL, ensure_ascii=False) + "\n", "utf-8")
    report = await evaluate(  # no model to wait for: as fast as the server takes the audio
        default_cache_dir(), calls, speed=0.0, transcripts="typed", log=lambda _: None
    )
    assert report.problems == [] and report.transcripts == "typed"
    assert report.model.startswith("script:")
    assert report.finals == 2 and report.cer < 0.05  # the lines themselves (punctuation aside)
    assert report.guides_suggested == 1  # the question names its guide plainly
    assert report.suggestion_ms_p95 is not None and report.suggestion_ms_p95 > 0
