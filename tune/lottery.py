"""LoRA + lottery-ticket pruning of a pretrained Whisper, on the merged weights.

With adapters on every linear layer, the classic recipe (prune only the weights no adapter attaches
to, score them by magnitude) has nothing left to prune, and scoring frozen pretrained weights makes
every round prune exactly what one-shot pruning would. So here the mask applies to the *merged*
weight, and each layer computes `mask ⊙ (W₀ + B·A·scale)`:

    train the adapters (round 0, dense)
    for each target sparsity s₁ < s₂ < …:
        score = |W₀ + ΔW| of the weights still alive; prune the lowest, globally, to sᵢ
        rewind: W₀ is the pretrained weight (never trained), the adapters back to their initial values
        retrain the adapters under the mask  → the ticket at sᵢ

One-shot magnitude pruning is the same with a single target. What the merged model holds is
exactly what trained: `mask ⊙ (W₀ + ΔW)`, so the adapter plus the mask rebuild it (`tune.recipe`).
Masks are stored bit-packed (`save_masks`), keyed by the merged model's parameter names."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import numpy as np

from tune.prune import PRUNABLE


def lora_layers(model: Any) -> dict[str, Any]:
    """peft LoRA layers of the encoder and decoder blocks, by the name of their base weight in the
    merged model (`model.encoder.layers.0.self_attn.q_proj.weight`)."""
    out = {}
    for name, module in model.named_modules():
        adapted = hasattr(module, "base_layer") and hasattr(module, "lora_A")
        if adapted and ".layers." in name and name.rsplit(".", 1)[-1] in PRUNABLE:
            out[merged_name(name + ".weight")] = module
    return out


def merged_name(name: str) -> str:
    return name.replace("base_model.model.", "", 1).replace(".base_layer", "")


def merged_weight(layer: Any) -> Any:
    return layer.base_layer.weight + layer.get_delta_weight(layer.active_adapters[0])


def _masked_forward(self: Any, x: Any, *args: Any, **kwargs: Any) -> Any:
    import torch

    weight = merged_weight(self) * self.callassist_mask
    return torch.nn.functional.linear(x, weight.to(x.dtype), self.base_layer.bias)


def mask_layers(layers: dict[str, Any], masks: dict[str, Any]) -> None:
    """From now on each layer computes `mask ⊙ (W₀ + ΔW)` (the adapters' dropout is not used)."""
    for name, layer in layers.items():
        mask = masks[name].to(layer.base_layer.weight.device, layer.base_layer.weight.dtype)
        layer.callassist_mask = mask
        layer.forward = types.MethodType(_masked_forward, layer)


def prune_to(layers: dict[str, Any], masks: dict[str, Any], sparsity: float) -> dict[str, Any]:
    """New masks with `sparsity` of all these weights at zero: the alive ones with the lowest merged
    magnitude go, one threshold over every layer."""
    import torch

    with torch.no_grad():
        scores = {n: merged_weight(layer).abs().float().cpu() * masks[n].cpu() for n, layer in layers.items()}
    total = sum(s.numel() for s in scores.values())
    zeros = sum(int((m == 0).sum()) for m in masks.values())
    remove = int(round(sparsity * total)) - zeros
    if remove <= 0:
        return masks
    alive = torch.cat([s[masks[n].cpu() > 0].flatten() for n, s in scores.items()])
    threshold = torch.kthvalue(alive, remove).values.item()
    return {n: ((s > threshold) & (masks[n].cpu() > 0)).float() for n, s in scores.items()}


def save_masks(masks: dict[str, Any], path: Path) -> Path:
    """Bit-packed, compressed: one bit per prunable weight."""
    arrays = {}
    for name, mask in masks.items():
        flat = mask.detach().cpu().numpy().astype(bool)
        arrays[f"{name}|{'x'.join(map(str, flat.shape))}"] = np.packbits(flat.ravel())
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        np.savez_compressed(handle, **arrays)  # type: ignore[arg-type]
    return path


def load_masks(path: Path) -> dict[str, Any]:
    import torch

    out = {}
    with np.load(path) as stored:
        for key in stored.files:
            name, _, shape_text = key.partition("|")
            shape = tuple(int(v) for v in shape_text.split("x"))
            bits = np.unpackbits(stored[key], count=int(np.prod(shape))).reshape(shape)
            out[name] = torch.from_numpy(bits.astype(np.float32))
    return out


def apply_to_merged(model: Any, masks: dict[str, Any]) -> None:
    """Zero the pruned weights of a merged (plain Whisper) model."""
    import torch

    params = dict(model.named_parameters())
    missing = sorted(set(masks) - set(params))
    if missing:
        raise KeyError(f"masks for parameters the model lacks: {missing[:3]}")
    with torch.no_grad():
        for name, mask in masks.items():
            params[name].mul_(mask.to(params[name].device, params[name].dtype))
