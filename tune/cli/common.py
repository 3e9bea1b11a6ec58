"""Helpers the tuning commands share: result files, argument ranges, training data."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def write_result(out: Path, result: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(
        json.dumps(
            {k: v for k, v in result.items() if k not in ("loss_curve", "examples", "rounds")},
            ensure_ascii=False,
        )
    )


def int_range(text: str) -> tuple[int, int]:
    low, _, high = text.partition("-")
    return int(low), int(high or low)


def db_range(text: str) -> tuple[float, float]:
    low, _, high = text.partition(",")
    return float(low), float(high or low)


def split_file(data: Path, split: str) -> Path:
    return data / f"{split}.jsonl" if data.is_dir() else data


def train_config(args: argparse.Namespace) -> Any:
    from tune.training import TrainConfig

    return TrainConfig(steps=args.steps, batch_size=args.batch_size, lr=args.lr, warmup=args.warmup,
                       checkpoint_every=args.checkpoint_every, gradient_checkpointing=args.gradient_checkpointing,
                       precision=args.precision, seed=args.seed, spec_augment=args.spec_augment,
                       kl_to_base=args.kl_to_base, l2_to_base=args.l2_to_base,
                       max_seconds=getattr(args, "max_seconds", 0.0))  # fmt: skip


def codec_of(model: Any) -> Any:
    from tune.model import Codec

    return Codec(num_mel_bins=model.config.num_mel_bins, window_s=model.config.max_source_positions // 50)


def batches(args: argparse.Namespace, codec: Any, split: str = "train") -> Any:
    from tune.manifest import read_manifest
    from tune.training import Batches

    window = getattr(args, "window", "native")
    return Batches(
        read_manifest(split_file(Path(args.data), split)),
        codec,
        window=window,
        margin_s=getattr(args, "margin_s", 1.0),
        seed=getattr(args, "seed", 0),
        workers=feature_workers(getattr(args, "feature_workers", 1)),
    )


def feature_workers(requested: int) -> int:
    """Processes that compute training features: `requested`, or with 0 one per CPU core."""
    import os

    return requested if requested > 0 else max(1, os.cpu_count() or 1)
