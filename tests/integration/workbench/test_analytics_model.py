"""`callassist analytics-model` trains the turn model with the real e5 embedder from labelled turn
files, cross-validates each head's threshold over the files, and writes a file the analytics file
can name; the shipped model reads as the analytics file names it."""

from __future__ import annotations

import json
from pathlib import Path

from agent.analytics.config import DEFAULT_FILE, load_config
from agent.analytics.turn_model import load_turn_model
from tests.helpers.cli import run_cli
from tests.helpers.paths import ROOT
from workbench.cli import main

DATA = ROOT / "tests" / "data"


def test_the_trainer_writes_a_model_the_product_reads(tmp_path: Path) -> None:
    out = tmp_path / "model.json"
    files = [str(DATA / "analytics_turns_dev6.jsonl"), str(DATA / "analytics_turns_dev7.jsonl")]
    ran = run_cli(main, ["analytics-model", *files, "--out", str(out), "--category-precision", "none"])
    assert ran.returncode == 0, ran.stderr
    model = load_turn_model(out)
    assert model.embedder == "e5:multilingual-e5-small-q4" and "negative" in model.heads
    assert model.trained_on == ("analytics_turns_dev6.jsonl", "analytics_turns_dev7.jsonl")
    data = json.loads(out.read_text("utf-8"))
    assert set(data["cross_validated"]) == {"negative"}  # categories kept the fixed `at`
    assert all(h.at == 0.8 for name, h in model.heads.items() if name != "negative")
    assert "negative: at" in ran.stdout


def test_the_shipped_model_is_the_one_the_shipped_file_names() -> None:
    config = load_config(DEFAULT_FILE)
    assert config.model is not None
    shipped = load_turn_model(config.model)
    assert shipped.embedder == "e5:multilingual-e5-small-q4"
    assert {"negative", "churn_risk", "escalation", "legal_threat", "abusive_language"} <= set(shipped.heads)
    assert "analytics_turns_holdout.jsonl" not in shipped.trained_on  # the hold-out stays out
    assert not {f"analytics_turns_dev{n}.jsonl" for n in (8, 9, 10, 11, 12)} & set(shipped.trained_on)


def test_bad_training_files_are_refused_with_the_reason(tmp_path: Path) -> None:
    out = tmp_path / "model.json"
    ran = run_cli(main, ["analytics-model", str(tmp_path / "absent.jsonl"), "--out", str(out)])
    assert ran.returncode == 2 and "absent.jsonl" in ran.stderr and "Traceback" not in ran.stderr
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "네"}\n{not json\n', "utf-8")
    ran = run_cli(main, ["analytics-model", str(broken), "--out", str(out)])
    assert ran.returncode == 2 and "broken.jsonl:2: not JSON" in ran.stderr
    one_kind = tmp_path / "one_kind.jsonl"
    one_kind.write_text('{"text": "짜증나요", "sentiment": "negative"}\n' * 3, "utf-8")
    ran = run_cli(main, ["analytics-model", str(one_kind), "--out", str(out)])
    assert ran.returncode == 2 and "negative: a head needs turns of both kinds" in ran.stderr
    ran = run_cli(
        main, ["analytics-model", str(DATA / "analytics_turns_dev6.jsonl"), "--phone", "--out", str(out)]
    )
    assert ran.returncode == 2 and "--phone needs --spoken" in ran.stderr
    assert not out.exists()  # nothing half-written
