"""LoRA adapters on a Whisper model (peft): rank, alpha, dropout and target modules; only the
adapters train. `merge()` folds them into the base weights for export."""

from __future__ import annotations

from typing import Any

DEFAULT_TARGETS = ("q_proj", "v_proj")
ALL_TARGETS = ("q_proj", "k_proj", "v_proj", "out_proj", "fc1", "fc2")


SCOPES = ("both", "decoder", "encoder")
ENCODER_MODULES = r"encoder\.layers\.\d+\..*"  # peft matches rank patterns against a module name's end


def add_lora(
    model: Any,
    rank: int = 8,
    alpha: int = 16,
    dropout: float = 0.05,
    targets: tuple[str, ...] = DEFAULT_TARGETS,
    *,
    scope: str = "both",
    encoder_rank: int | None = None,
) -> Any:
    """Adapters on `targets` of the encoder and decoder (`scope` both), or of one of them;
    `encoder_rank` gives the encoder's adapters a rank of their own (alpha scaled with it)."""
    from peft import LoraConfig, get_peft_model

    unknown = set(targets) - set(ALL_TARGETS)
    if unknown:
        raise ValueError(f"unknown LoRA targets {sorted(unknown)}; choose from {', '.join(ALL_TARGETS)}")
    if scope not in SCOPES:
        raise ValueError(f"LoRA scope is one of {', '.join(SCOPES)}, got {scope!r}")
    if encoder_rank is not None and (encoder_rank < 1 or scope == "decoder"):
        raise ValueError("an encoder rank is at least 1, and needs adapters on the encoder")
    modules: list[str] | str = list(targets)
    if scope != "both":
        modules = rf".*\.{scope}\.layers\.\d+\..*({'|'.join(targets)})"
    rank_pattern: dict[str, int] = {}
    alpha_pattern: dict[str, int] = {}
    if encoder_rank is not None and encoder_rank != rank:
        rank_pattern, alpha_pattern = (
            {ENCODER_MODULES: encoder_rank},
            {ENCODER_MODULES: alpha * encoder_rank // rank},
        )
    config = LoraConfig(
        r=rank, lora_alpha=alpha, lora_dropout=dropout, target_modules=modules, bias="none",
        rank_pattern=rank_pattern, alpha_pattern=alpha_pattern,
    )  # fmt: skip
    return get_peft_model(model, config)


def trainable_counts(model: Any) -> dict[str, Any]:
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    return {"trainable": trainable, "total": total, "percent": round(100 * trainable / total, 3)}


def merge(model: Any) -> Any:
    """The plain Whisper model with the adapters folded in (what CTranslate2 converts)."""
    return model.merge_and_unload() if hasattr(model, "merge_and_unload") else model
