"""`python -m tune.report RUN_DIR`: the experiment table (README) from the result files of a run
of `tune/experiments/korean_shift.sh`: CER, trainable parameters, training time, size, speed."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text()) if path.is_file() else {}


def rows(run: Path) -> list[dict[str, Any]]:
    variants = [
        ("base, clean test (pretraining domain)", "base", "eval-base-clean", "base"),
        ("zero-shot on the shifted domain", "base", "eval-zero-shot", "base"),
        ("full fine-tuning", "full", "eval-full", "full"),
        ("LoRA", "lora", "eval-lora", "lora"),
        ("LoRA + lottery-ticket pruning 30 %", "prune-0.3", "eval-prune-0.3", "prune-0.3"),
        ("LoRA + lottery-ticket pruning 50 %", "prune-0.5", "eval-prune-0.5", "prune-0.5"),
        ("LoRA + lottery-ticket pruning 70 %", "prune-0.7", "eval-prune-0.7", "prune-0.7"),
    ]
    out = []
    for label, trained, evaluated, exported in variants:
        result, score = _load(run / trained / "result.json"), _load(run / evaluated / "result.json")
        if not score:
            continue
        card = _load(run / f"ct2-{exported}" / "model_card.json")
        params = result.get("parameters") or {}
        trainable = params.get("trainable", result.get("trainable_parameters"))
        total = params.get("total", result.get("total_parameters"))
        seconds = result.get("seconds")
        if result.get("command") == "prune":
            seconds = sum(r["train"]["seconds"] or 0 for r in result.get("rounds", [])) or None
        out.append({
            "variant": label, "cer": score.get("cer"), "cer_no_space": score.get("cer_no_space"), "wer": score.get("wer"),
            "trainable": trainable, "total": total, "train_s": seconds, "rtf": score.get("rtf"),
            "sparsity": (result.get("report") or {}).get("sparsity"),
            "ct2_int8_mb": round(card["size_bytes"] / 1e6, 1) if card else None,
        })  # fmt: skip
    return out


def markdown(table: list[dict[str, Any]]) -> str:
    lines = ["| variant | CER | CER (no spaces) | trainable parameters | training time | sparsity | CT2 int8 | decode RTF |",
             "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in table:
        share = (
            f"{r['trainable']:,} ({100 * r['trainable'] / r['total']:.2f} %)"
            if r["trainable"] and r["total"]
            else "-"
        )
        train = "-" if r["train_s"] is None else f"{r['train_s']:.0f} s"
        sparsity = "-" if r["sparsity"] is None else f"{r['sparsity']:.0%}"
        size = "-" if r["ct2_int8_mb"] is None else f"{r['ct2_int8_mb']} MB"
        lines.append(
            f"| {r['variant']} | {r['cer']:.3f} | {r['cer_no_space']:.3f} | {share} | {train} | {sparsity} | {size} | {r['rtf']} |"
        )
    return "\n".join(lines)


def main() -> int:
    run = Path(sys.argv[1])
    table = rows(run)
    (run / "table.json").write_text(json.dumps(table, indent=1))
    text = markdown(table)
    (run / "table.md").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
