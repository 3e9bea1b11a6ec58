"""The spoken evaluations run end to end with the default (tuned) model: labelled utterances are
spoken by espeak-ng, recognized, and scored as typed text is; redaction is scored on what the
recognizer wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

TRIGGERS = [
    {"text": "요금이 너무 많이 나왔어요", "trigger": True, "kind": "problem"},
    {"text": "로밍 신청하고 싶어요", "trigger": True, "kind": "request"},
    {"text": "네 알겠습니다", "trigger": False, "kind": "backchannel"},
]
PII = [
    {
        "segments": ["제 번호는 공일공 일이삼사 오육칠팔이에요"],
        "entities": [{"type": "phone", "digits": "01012345678"}],
    }
]


def _cli(*args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("CALLASSIST_ASR_MODEL", "CALLASSIST_KB_EMBEDDER")}
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", *args], env={**env, "CALLASSIST_ASR_DEVICE": "cpu"},
        capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    return done.stdout


def test_trigger_eval_scores_recognized_speech(tmp_path: Path) -> None:
    file = tmp_path / "triggers.jsonl"
    file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in TRIGGERS), "utf-8")
    report = json.loads(_cli("triggers", "eval", str(file), "--spoken", "--json"))[str(file)]
    texts = {(row["tier"], row["text"]) for row in report}
    assert ("rules", "recognized") in texts and ("rules", "typed") in texts
    recognized = next(r for r in report if r["text"] == "recognized")
    assert recognized["items"] == 3 and 0.0 <= recognized["recall"] <= 1.0


def test_redaction_eval_scores_what_the_recognizer_wrote(tmp_path: Path) -> None:
    file = tmp_path / "pii.jsonl"
    file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in PII), "utf-8")
    summary = json.loads(_cli("redact", "eval", str(file), "--spoken"))
    assert summary["entities"] == 1 and "digit_runs_left" in summary
