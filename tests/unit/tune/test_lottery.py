"""LoRA + lottery-ticket pruning on merged weights (toy model): the masked layers compute exactly
what the merged, masked export holds; pruning reaches its target globally and never revives a
weight; masks survive their bit-packed file; a recipe with masks rebuilds to its recorded hash and
a changed mask is caught."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from tune.export import save_with_lineage
from tune.lora import add_lora, merge
from tune.lottery import (
    apply_to_merged,
    load_masks,
    lora_layers,
    mask_layers,
    prune_to,
    save_masks,
)
from tune.model import ModelDims, new_model, trimmed_windows
from tune.prune import sparsity_report
from tune.recipe import MASKS, _merged, pack, weights_sha256

DIMS = ModelDims(d_model=32, encoder_layers=1, decoder_layers=1, attention_heads=2, ffn_dim=64)
TARGETS = ("q_proj", "k_proj", "v_proj", "out_proj", "fc1", "fc2")


def _adapted(seed: int = 0) -> torch.nn.Module:
    torch.manual_seed(seed)
    model = add_lora(new_model(DIMS, seed=1), 4, 8, 0.0, TARGETS)
    with torch.no_grad():  # as if trained: B is zero at initialization
        for name, param in model.named_parameters():
            if "lora_B" in name:
                param.normal_(0, 0.05)
    return model.eval()


def test_masked_layers_compute_what_the_merged_export_holds() -> None:
    import copy

    model = _adapted()
    layers = lora_layers(model)
    assert len(layers) == 4 + 2 + 4 + 4 + 2  # encoder q k v out fc1 fc2; decoder self, cross, fc1 fc2
    masks = prune_to(layers, {n: torch.ones_like(m.base_layer.weight) for n, m in layers.items()}, 0.5)
    mask_layers(layers, masks)
    trimmed_windows(model)  # a short window keeps the test fast
    features = torch.randn(1, 80, 200)
    tokens = torch.tensor([[50258, 50264, 50359, 50363]])
    with torch.no_grad():
        masked = model(input_features=features, decoder_input_ids=tokens).logits
        merged = trimmed_windows(merge(copy.deepcopy(model)))
        apply_to_merged(merged, masks)
        exported = merged(input_features=features, decoder_input_ids=tokens).logits
    assert torch.allclose(masked, exported, atol=1e-4)
    weights = dict(merged.named_parameters())
    assert all(bool((weights[n][m == 0] == 0).all()) for n, m in masks.items())


def test_pruning_reaches_its_target_globally_and_never_revives() -> None:
    layers = lora_layers(_adapted())
    masks = {n: torch.ones_like(m.base_layer.weight) for n, m in layers.items()}
    first = prune_to(layers, masks, 0.3)
    assert sparsity_report(first)["sparsity"] == pytest.approx(0.3, abs=0.002)
    second = prune_to(layers, first, 0.5)
    assert sparsity_report(second)["sparsity"] == pytest.approx(0.5, abs=0.002)
    assert all(bool((second[n][first[n] == 0] == 0).all()) for n in first)  # pruned stays pruned
    assert prune_to(layers, second, 0.4) is second  # never back to a lower sparsity
    per_module = sparsity_report(second)["per_module"]
    assert len({round(v, 2) for v in per_module.values()}) > 1  # one global threshold, not per layer


def test_masks_round_trip_through_their_packed_file(tmp_path: Path) -> None:
    masks = {"a.weight": (torch.rand(7, 13) > 0.5).float(), "b.weight": torch.ones(3, 5)}
    loaded = load_masks(save_masks(masks, tmp_path / "masks.npz"))
    assert set(loaded) == set(masks) and all(torch.equal(loaded[n], masks[n]) for n in masks)


def test_a_recipe_with_masks_rebuilds_to_its_hash_and_catches_a_changed_mask(tmp_path: Path) -> None:
    base = save_with_lineage(new_model(DIMS, seed=1), tmp_path / "base", [])
    model = _adapted()
    layers = lora_layers(model)
    masks = prune_to(layers, {n: torch.ones_like(m.base_layer.weight) for n, m in layers.items()}, 0.5)
    model.save_pretrained(str(tmp_path / "run" / "adapter"))
    save_masks(masks, tmp_path / "run" / "masks.npz")
    recipe = pack(tmp_path / "run", tmp_path / "recipe", base, {"name": "toy", "base": "builtin:toy"},
                  tmp_path / "run" / "masks.npz")  # fmt: skip
    assert recipe["sparsity"] == pytest.approx(0.5, abs=0.002)
    assert (
        json.loads((tmp_path / "recipe" / "recipe.json").read_text())["merged_sha256"]
        == recipe["merged_sha256"]
    )
    rebuilt = _merged(tmp_path / "recipe", base)
    assert weights_sha256(rebuilt) == recipe["merged_sha256"]
    zeros = sum(int((p == 0).sum()) for n, p in rebuilt.named_parameters() if n in masks)
    assert zeros >= sparsity_report(masks)["pruned_weights"]
    changed = {n: m.clone() for n, m in masks.items()}
    name = next(iter(changed))
    changed[name][0] = 1 - changed[name][0]
    save_masks(changed, tmp_path / "recipe" / MASKS)
    assert weights_sha256(_merged(tmp_path / "recipe", base)) != recipe["merged_sha256"]
