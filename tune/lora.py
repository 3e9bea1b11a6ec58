"""LoRA adapters on a Whisper model (peft): rank, alpha, dropout and target modules; only the
adapters train. `merge()` folds them into the base weights for export."""

from __future__ import annotations

from typing import Any

DEFAULT_TARGETS = ("q_proj", "v_proj")
ALL_TARGETS = ("q_proj", "k_proj", "v_proj", "out_proj", "fc1", "fc2")


def add_lora(
    model: Any,
    rank: int = 8,
    alpha: int = 16,
    dropout: float = 0.05,
    targets: tuple[str, ...] = DEFAULT_TARGETS,
) -> Any:
    from peft import LoraConfig, get_peft_model

    unknown = set(targets) - set(ALL_TARGETS)
    if unknown:
        raise ValueError(f"unknown LoRA targets {sorted(unknown)}; choose from {', '.join(ALL_TARGETS)}")
    config = LoraConfig(
        r=rank, lora_alpha=alpha, lora_dropout=dropout, target_modules=list(targets), bias="none"
    )
    return get_peft_model(model, config)


def trainable_counts(model: Any) -> dict[str, Any]:
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    return {"trainable": trainable, "total": total, "percent": round(100 * trainable / total, 3)}


def merge(model: Any) -> Any:
    """The plain Whisper model with the adapters folded in (what CTranslate2 converts)."""
    return model.merge_and_unload() if hasattr(model, "merge_and_unload") else model
