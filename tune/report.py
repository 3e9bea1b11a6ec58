"""Experiment tables (docs/tuning.md) from the result files of a run:

    python -m tune.report RUN_DIR            tune/experiments/korean_shift.sh (the small model)
    python -m tune.report lottery RUN_DIR    tune/experiments/lottery_table.sh (the default model)
    python -m tune.report generalization RUN_DIR   tune/experiments/generalization.sh

CER, trainable parameters, training time, sparsity, size, speed."""

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


def _share(r: dict[str, Any]) -> str:
    """Trainable parameters and their share of the model, or "-"."""
    return (
        f"{r['trainable']:,} ({100 * r['trainable'] / r['total']:.2f} %)"
        if r["trainable"] and r["total"]
        else "-"
    )


def markdown(table: list[dict[str, Any]]) -> str:
    lines = ["| variant | CER | CER (no spaces) | trainable parameters | training time | sparsity | CT2 int8 | decode RTF |",
             "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in table:
        share = _share(r)
        train = "-" if r["train_s"] is None else f"{r['train_s']:.0f} s"
        sparsity = "-" if r["sparsity"] is None else f"{r['sparsity']:.0%}"
        size = "-" if r["ct2_int8_mb"] is None else f"{r['ct2_int8_mb']} MB"
        lines.append(
            f"| {r['variant']} | {r['cer']:.3f} | {r['cer_no_space']:.3f} | {share} | {train} | {sparsity} | {size} | {r['rtf']} |"
        )
    return "\n".join(lines)


LOTTERY_VARIANTS = [
    ("zero-shot base", "base", None),
    ("full fine-tuning", "full", "full"),
    ("LoRA", "lora", "lora"),
    ("LoRA + lottery ticket 30 %", "lottery-s30", "lottery/s30"),
    ("LoRA + lottery ticket 50 %", "lottery-s50", "lottery/s50"),
    ("LoRA + lottery ticket 70 %", "lottery-s70", "lottery/s70"),
    ("LoRA + one-shot magnitude 50 %", "oneshot-s50", "oneshot-50/s50"),
    ("LoRA + one-shot magnitude 70 %", "oneshot-s70", "oneshot-70/s70"),
]


def _cer(run: Path, name: str, line: str, window: str) -> dict[str, Any]:
    return _load(run / "eval" / f"{name}-{line}-{window}" / "result.json")


def lottery_rows(run: Path) -> list[dict[str, Any]]:
    """One row per variant of `lottery_table.sh`: CER on the held-out test (clean and phone line,
    trimmed windows; 30 s windows on the subset), training time, trainable share, sparsity and the
    size of what a recipe must store to rebuild it."""
    dense = _load(run / "lora" / "result.json")
    out = []
    for label, name, trained in LOTTERY_VARIANTS:
        scores = {f"{line}_{window}": _cer(run, name, line, window)
                  for line in ("clean", "phone") for window in ("trim", "native")}  # fmt: skip
        if not scores["clean_trim"]:
            continue
        result = _load(run / trained / "result.json") if trained is not None else {}
        total = result.get("total_parameters") or (result.get("parameters") or {}).get("total")
        seconds, trainable, sparsity, stored = None, None, None, None
        if name == "full":
            seconds, trainable, stored = (
                result.get("seconds"),
                result.get("trainable_parameters"),
                2 * (total or 0),
            )
        elif name == "lora":
            trainable = result["parameters"]["trainable"]
            seconds, stored = result.get("seconds"), 2 * trainable
        elif result:
            trainable = result.get("trainable_parameters")
            rounds = [r.get("seconds") or 0 for r in result.get("rounds", [])]
            seconds = (dense.get("seconds") or 0) + sum(rounds)
            sparsity = result.get("sparsity")
            masks = run / str(trained) / "masks.npz"
            stored = 2 * (trainable or 0) + (masks.stat().st_size if masks.is_file() else 0)
        out.append({
            "variant": label, "name": name, "trainable": trainable, "total": total, "train_s": seconds,
            "sparsity": sparsity, "stored_bytes": stored,
            **{f"cer_{k}": v.get("cer") for k, v in scores.items()},
            **{f"cer_no_space_{k}": v.get("cer_no_space") for k, v in scores.items()},
            "utterances": {k: v.get("utterances") for k, v in scores.items() if v},
        })  # fmt: skip
    return out


def lottery_markdown(table: list[dict[str, Any]]) -> str:
    def cer(r: dict[str, Any], key: str) -> str:
        a, b = r.get(f"cer_{key}"), r.get(f"cer_no_space_{key}")
        return "-" if a is None else f"{a:.3f} / {b:.3f}"

    lines = ["| variant | trainable | sparsity | training | stored | CER clean, trim | CER phone, trim | CER clean, 30 s | CER phone, 30 s |",
             "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in table:
        share = _share(r)
        train = "-" if r["train_s"] is None else f"{r['train_s'] / 60:.0f} min"
        sparsity = "-" if r["sparsity"] is None else f"{r['sparsity']:.0%}"
        stored = "-" if not r["stored_bytes"] else f"{r['stored_bytes'] / 1e6:.1f} MB"
        lines.append(f"| {r['variant']} | {share} | {sparsity} | {train} | {stored} | {cer(r, 'clean_trim')} | "
                     f"{cer(r, 'phone_trim')} | {cer(r, 'clean_native')} | {cer(r, 'phone_native')} |")  # fmt: skip
    return "\n".join(lines)


GENERALIZATION_SETS = (
    ("espeak-clean", "espeak held out, clean"), ("espeak-phone", "espeak held out, phone"),
    ("klatt-clean", "Klatt (unseen method)"), ("klatt-amr", "Klatt, AMR-NB (unseen codec)"),
    ("klatt-reverb", "Klatt, reverb (unseen kind)"), ("calls-klatt", "call scripts, Klatt (unseen text)"),
)  # fmt: skip
GENERALIZATION_VARIANTS = (
    ("default", "shipped default (LoRA + 30 % ticket, espeak-ng only)"),
    ("lora-both", "LoRA encoder + decoder"),
    ("lora-decoder", "LoRA decoder only"),
    ("lora-enc2", "LoRA, encoder rank 2"),
    ("lora-kl", "LoRA + KL to the base"),
    ("lora-warm", "shipped default trained on (same ticket)"),
    ("lora-warm-mixed", "the same, 400 steps on a mixed set (a third unaugmented, 30 % simple phone line)"),
    ("voices-warm", "shipped default trained on, every espeak-ng voice of its method but the held out"),
    (
        "voices-fresh",
        "a new rank-16 adapter under the shipped ticket, every espeak-ng voice but the held out",
    ),
)


def generalization_rows(run: Path) -> list[dict[str, Any]]:
    """One row per variant of `generalization.sh`: CER (no spaces) per held-out set, their mean over
    the unseen-synthesis sets, training time and trainable share."""
    out = []
    for name, label in GENERALIZATION_VARIANTS:
        scores = {s: _load(run / "eval" / name / s / "result.json") for s, _ in GENERALIZATION_SETS}
        if not any(scores.values()):
            continue
        result = _load(run / name / "result.json") if name != "default" else {}
        unseen: list[float] = [
            scores[s]["cer_no_space"]
            for s in ("klatt-clean", "klatt-amr", "klatt-reverb", "calls-klatt")
            if scores[s].get("cer_no_space") is not None
        ]
        out.append({
            "variant": label, "name": name, "train_s": result.get("seconds"),
            "trainable_percent": (result.get("parameters") or {}).get("percent"),
            **{f"cer_{s}": scores[s].get("cer") for s, _ in GENERALIZATION_SETS},
            **{f"cer_no_space_{s}": scores[s].get("cer_no_space") for s, _ in GENERALIZATION_SETS},
            "unseen_mean": round(sum(unseen) / len(unseen), 4) if len(unseen) == 4 else None,
            "utterances": {s: scores[s].get("utterances") for s, _ in GENERALIZATION_SETS},
        })  # fmt: skip
    return out


def generalization_markdown(table: list[dict[str, Any]]) -> str:
    header = " | ".join(label for _, label in GENERALIZATION_SETS)
    lines = [f"| variant | trainable | training | {header} | mean of the unseen |",
             "|---|---|---|" + "---|" * len(GENERALIZATION_SETS) + "---|"]  # fmt: skip
    for r in table:
        cells = [
            "-" if r.get(f"cer_no_space_{s}") is None else f"{r[f'cer_no_space_{s}']:.3f}"
            for s, _ in GENERALIZATION_SETS
        ]
        trainable = "-" if r["trainable_percent"] is None else f"{r['trainable_percent']:.2f} %"
        train = "-" if r["train_s"] is None else f"{r['train_s'] / 60:.0f} min"
        mean = "-" if r["unseen_mean"] is None else f"{r['unseen_mean']:.3f}"
        lines.append(f"| {r['variant']} | {trainable} | {train} | {' | '.join(cells)} | {mean} |")
    return "\n".join(lines)


def main() -> int:
    if sys.argv[1] == "generalization":
        run = Path(sys.argv[2])
        table = generalization_rows(run)
        text = generalization_markdown(table)
    elif sys.argv[1] == "lottery":
        run = Path(sys.argv[2])
        table = lottery_rows(run)
        text = lottery_markdown(table)
    else:
        run = Path(sys.argv[1])
        table = rows(run)
        text = markdown(table)
    (run / "table.json").write_text(json.dumps(table, indent=1))
    (run / "table.md").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
