"""Lottery-ticket pruning of Whisper's linear weights, and one-shot 2:4 semi-structured pruning.

Iterative magnitude pruning (Frankle & Carbin): train → remove `fraction` of the remaining weights
with the lowest score → rewind the survivors to their values at the start → repeat. The score is
the weight's magnitude, or the magnitude of its change during the round ("movement"). Weights that
LoRA adapters attach to can be protected (never pruned). Masks are kept as 0/1 tensors per
parameter name; training keeps pruned weights at zero.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PRUNABLE = ("q_proj", "k_proj", "v_proj", "out_proj", "fc1", "fc2")


def prunable_weights(model: Any, protect: tuple[str, ...] = ()) -> dict[str, Any]:
    """The linear weights of the encoder and decoder layers, minus protected modules."""
    out = {}
    for name, param in model.named_parameters():
        if not name.endswith(".weight") or "lora_" in name:
            continue
        module = name.removesuffix(".weight").removesuffix(".base_layer").rsplit(".", 1)[-1]
        if module in PRUNABLE and module not in protect and ".layers." in name:
            out[name] = param
    return out


def initial_masks(weights: dict[str, Any]) -> dict[str, Any]:
    import torch

    return {name: torch.ones_like(w, dtype=w.dtype) for name, w in weights.items()}


def prune_round(weights: dict[str, Any], masks: dict[str, Any], fraction: float,
                criterion: str = "magnitude", start: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    """Remove `fraction` of the weights still alive, the lowest-scoring ones over all modules."""
    import torch

    scores = {}
    for name, weight in weights.items():
        value = weight.detach()
        if criterion == "movement":
            if start is None:
                raise ValueError("movement pruning needs the weights at the start of the round")
            value = value - start[name].to(value.device)
        scores[name] = value.abs().float() * masks[name].float()
    alive = torch.cat([s[masks[n] > 0].flatten() for n, s in scores.items()])
    remove = int(round(len(alive) * fraction))
    if remove == 0:
        return masks
    threshold = torch.kthvalue(alive.cpu(), remove).values.item()
    # ties at the threshold may remove a few more than asked: sparsity_report shows the real share
    return {
        name: ((score > threshold) & (masks[name] > 0)).to(masks[name].dtype)
        for name, score in scores.items()
    }


def rewind(weights: dict[str, Any], start: dict[str, Any], masks: dict[str, Any]) -> None:
    """Survivors back to their values at the rewind point; pruned weights to zero."""
    import torch

    with torch.no_grad():
        for name, weight in weights.items():
            weight.copy_(start[name].to(weight.device) * masks[name])


def semi_structured_2_4(weights: dict[str, Any]) -> dict[str, Any]:
    """Keep the 2 largest of every 4 consecutive input weights (the pattern sparse tensor cores run)."""
    import torch

    masks = {}
    for name, weight in weights.items():
        rows, cols = weight.shape
        if cols % 4:
            masks[name] = torch.ones_like(weight)
            continue
        groups = weight.detach().abs().reshape(rows, cols // 4, 4)
        keep = torch.zeros_like(groups)
        keep.scatter_(2, groups.topk(2, dim=2).indices, 1.0)
        masks[name] = keep.reshape(rows, cols).to(weight.dtype)
    return masks


def sparsity_report(masks: dict[str, Any]) -> dict[str, Any]:
    """Share of zeros in `masks`, overall and per encoder/decoder module kind (q_proj, fc1 …)."""
    per_module: dict[str, list[int]] = {}
    for name, mask in masks.items():
        module = name.removesuffix(".weight").removesuffix(".base_layer").rsplit(".", 1)[-1]
        side = "encoder" if ".encoder." in name else "decoder"
        key = f"{side}.{module}"
        zeros, total = int((mask == 0).sum()), mask.numel()
        per_module.setdefault(key, [0, 0])
        per_module[key][0] += zeros
        per_module[key][1] += total
    zeros = sum(v[0] for v in per_module.values())
    total = sum(v[1] for v in per_module.values())
    return {
        "sparsity": round(zeros / total, 4) if total else 0.0,
        "pruned_weights": zeros,
        "prunable_weights": total,
        "per_module": {k: round(v[0] / v[1], 4) for k, v in sorted(per_module.items())},
    }


def lottery_ticket(
    model: Any, train_round: Callable[[dict[str, Any]], dict[str, Any]], *, rounds: int, fraction: float,
    criterion: str = "magnitude", protect: tuple[str, ...] = (), reset: Callable[[], None] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:  # fmt: skip
    """Iterative magnitude pruning with rewinding. `train_round(masks)` trains one round;
    `reset()` restores what else must restart each round (for example LoRA adapters).
    Returns the final masks (the model holds the last round's trained weights) and a report per round."""
    weights = prunable_weights(model, protect)
    start = {n: w.detach().clone().cpu() for n, w in weights.items()}
    masks = initial_masks(weights)
    reports = []
    for number in range(1, rounds + 1):
        result = train_round(masks)
        masks = prune_round(weights, masks, fraction, criterion, start)
        report = sparsity_report(masks)
        reports.append(
            {"round": number, "train": {k: result.get(k) for k in ("final_loss", "seconds")}, **report}
        )
        rewind(weights, start, masks)
        if reset is not None:
            reset()
    return masks, reports


def target_sparsity_fraction(target: float, rounds: int) -> float:
    """The per-round fraction that reaches `target` overall sparsity after `rounds` rounds."""
    return 1 - (1 - target) ** (1 / rounds)
