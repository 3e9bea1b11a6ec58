"""`callassist bench workers` at small scale: two turns of a call, two layouts of the CPU, on the
random-weight model (speed only): each layout reports its lone time, its rate and whether its text
is the first layout's; a malformed layout is refused with the reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.bench.workers import parse_layouts, run, table

CALL = {
    "name": "two-turns",
    "turns": [
        {"role": "customer", "text": "요금이 두 번 나갔어요."},
        {"role": "agent", "text": "확인해 드릴게요."},
    ],
}


def test_two_layouts_decode_the_same_text(asr_model_dir: Path, tmp_path: Path) -> None:
    calls = tmp_path / "calls.jsonl"
    calls.write_text(json.dumps(CALL, ensure_ascii=False) + "\n", "utf-8")
    results = run(str(asr_model_dir), calls, ((1, 1), (2, 1)))
    assert [(r.workers, r.threads, r.utterances) for r in results] == [(1, 1, 2), (2, 1, 2)]
    assert all(r.same_text and r.lone_seconds > 0 and r.per_second > 0 for r in results)
    assert results[0].rate_ratio == 1.0
    assert "| 2 × 1 | 2 |" in table(results)


@pytest.mark.parametrize("text", ["2", "0x1", "2x", "ax1"])
def test_a_malformed_layout_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="WORKERSxTHREADS"):
        parse_layouts(text)
