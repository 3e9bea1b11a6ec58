"""The tuning toolkit's whole chain at toy scale, offline, through its command line (its parser and
commands, run in this process: six interpreters importing torch would cost more than the chain): espeak-ng
synthesizes a dozen utterances → a tiny Whisper trained from scratch for one step → LoRA one
step → one round of lottery-ticket pruning → evaluation → CTranslate2 export, which
faster-whisper loads and uses to transcribe. And the product never imports the toolkit or the workbench, whose commands `callassist` hands off."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.helpers.paths import ROOT
from tune.cli import main as tune_main

TINY = "d_model=32,encoder_layers=1,decoder_layers=1,attention_heads=2,ffn_dim=64,window_s=10"
STEP = ["--steps", "1", "--batch-size", "4", "--warmup", "1"]


def tune(*args: str) -> dict:
    assert tune_main(list(args)) == 0
    out = Path(args[args.index("--out") + 1])
    return json.loads((out / "result.json").read_text())


def test_toy_chain_from_speech_to_a_loadable_export(tmp_path: Path) -> None:
    data = tmp_path / "data"
    synth = tune(
        "synth",
        "--out",
        str(data),
        "--count",
        "12",
        "--speakers",
        "4",
        "--phone",
        "--dev",
        "0.2",
        "--test",
        "0.2",
    )
    assert synth["utterances"] == 12 and synth["train"] >= 4 and "not real speech" in synth["note"]
    base = tune("train", "--data", str(data), "--out", str(tmp_path / "base"), "--dims", TINY, *STEP)
    assert base["steps_run"] == 1 and base["from_scratch"]["d_model"] == 32
    lora = tune(
        "lora",
        "--data",
        str(data),
        "--model",
        str(tmp_path / "base/model"),
        "--out",
        str(tmp_path / "lora"),
        *STEP,
    )
    assert 0 < lora["parameters"]["percent"] < 2.0 and lora["lora"]["targets"] == ["q_proj", "v_proj"]
    pruned = tune("prune", "--data", str(data), "--model", str(tmp_path / "lora/model"), "--out", str(tmp_path / "pruned"),
                  "--rounds", "1", "--sparsity", "0.3", *STEP)  # fmt: skip
    assert abs(pruned["report"]["sparsity"] - 0.3) < 0.01 and len(pruned["rounds"]) == 1
    assert (tmp_path / "pruned/masks.pt").is_file()
    evaluation = tune(
        "eval",
        "--data",
        str(data),
        "--model",
        str(tmp_path / "pruned/model"),
        "--out",
        str(tmp_path / "eval"),
    )
    assert {"cer", "cer_no_space", "wer", "rtf"} <= set(evaluation) and evaluation["utterances"] >= 1
    assert (tmp_path / "eval/errors.jsonl").read_text().count("\n") == evaluation["utterances"]
    sample = next((data / "audio").glob("*.wav"))
    card = tune(
        "export",
        "--model",
        str(tmp_path / "pruned/model"),
        "--out",
        str(tmp_path / "ct2"),
        "--sample",
        str(sample),
    )
    assert card["smoke_test"]["seconds"] > 0 and isinstance(
        card["smoke_test"]["text"], str
    )  # loaded and transcribed
    assert card["layer_weight_sparsity"] > 0.2 and [s["command"] for s in card["lineage"]] == [
        "train",
        "lora",
        "prune",
        "eval",
    ]
    assert {p.name for p in (tmp_path / "ct2").iterdir()} >= {
        "model.bin",
        "tokenizer.json",
        "preprocessor_config.json",
        "README.md",
    }


def test_the_product_never_imports_the_toolkit_or_the_workbench() -> None:
    pattern = re.compile(r"^\s*(from (tune|workbench)\b|import (tune|workbench)\b)", re.M)
    offenders = [str(p) for package in ("server", "agent", "kb") for p in (ROOT / package).rglob("*.py")
                 if pattern.search(p.read_text("utf-8"))]  # fmt: skip
    assert offenders == []


def test_callassist_tune_runs_the_toolkit(tmp_path: Path) -> None:
    """`callassist tune` is the toolkit's command line (the chain above calls its parser directly)."""
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "tune", "synth", "--out", str(tmp_path), "--count", "2"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads((tmp_path / "result.json").read_text())["utterances"] == 2


def test_callassist_hands_workbench_commands_to_the_workbench(tmp_path: Path) -> None:
    """`callassist asr make-test-model` (like demo, play and bench) runs in the workbench's process."""
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "asr", "make-test-model", str(tmp_path / "m")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "m" / "model.bin").exists()


def test_distill_builds_a_shallow_student_that_exports(tmp_path: Path) -> None:
    """`tune distill`: a one-layer student of a two-layer teacher, trained a step on the teacher's
    outputs and the references, exports to a CTranslate2 model whose decoder has one layer."""
    from agent.asr.engine import ct2_model_shape

    data = tmp_path / "data"
    tune("synth", "--out", str(data), "--count", "6", "--speakers", "2", "--dev", "0.2", "--test", "0.2")
    teacher_dims = TINY.replace("decoder_layers=1", "decoder_layers=2")
    tune("train", "--data", str(data), "--out", str(tmp_path / "teacher"), "--dims", teacher_dims, *STEP)
    student = tune("distill", "--data", str(data), "--teacher", str(tmp_path / "teacher/model"),
                   "--decoder-layers", "1", "--out", str(tmp_path / "student"), "--window", "trim", *STEP)  # fmt: skip
    assert student["decoder_layers"] == 1 and student["teacher_decoder_layers"] == 2
    assert student["kept_layers"] == [1] and student["steps_run"] == 1
    assert student["trainable_parameters"] < student["total_parameters"]  # the encoder is frozen
    sample = next((data / "audio").glob("*.wav"))
    card = tune("export", "--model", str(tmp_path / "student/model"), "--out", str(tmp_path / "ct2"),
                "--sample", str(sample))  # fmt: skip
    assert [s["command"] for s in card["lineage"]] == ["train", "distill"]
    shape = ct2_model_shape(tmp_path / "ct2" / "model.bin")
    assert (shape["encoder_layers"], shape["decoder_layers"]) == (1, 1)
