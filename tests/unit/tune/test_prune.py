"""The pruning math: exact sparsity, rewinding, protected weights, 2:4, and the lottery loop."""

from __future__ import annotations

import pytest
import torch

from tune.model import ModelDims, new_model
from tune.prune import (
    initial_masks,
    lottery_ticket,
    prunable_weights,
    prune_round,
    rewind,
    semi_structured_2_4,
    sparsity_report,
    target_sparsity_fraction,
)

DIMS = ModelDims(d_model=16, encoder_layers=1, decoder_layers=1, attention_heads=2, ffn_dim=32, window_s=2)


@pytest.fixture
def model():  # type: ignore[no-untyped-def]
    return new_model(DIMS, seed=3)


def test_one_round_removes_exactly_the_asked_share_of_the_lowest_weights(model) -> None:  # type: ignore[no-untyped-def]
    weights = prunable_weights(model)
    masks = prune_round(weights, initial_masks(weights), 0.4)
    report = sparsity_report(masks)
    assert report["sparsity"] == pytest.approx(0.4, abs=1 / report["prunable_weights"])
    kept = torch.cat([w.detach().abs()[masks[n] > 0] for n, w in weights.items()])
    gone = torch.cat([w.detach().abs()[masks[n] == 0] for n, w in weights.items()])
    assert gone.max() <= kept.min()  # magnitude: every pruned weight is smaller than every kept one


def test_rounds_compound_to_the_target(model) -> None:  # type: ignore[no-untyped-def]
    weights = prunable_weights(model)
    fraction = target_sparsity_fraction(0.5, 3)
    masks = initial_masks(weights)
    for _ in range(3):
        masks = prune_round(weights, masks, fraction)
    assert sparsity_report(masks)["sparsity"] == pytest.approx(0.5, abs=0.002)


def test_protected_modules_are_never_pruned(model) -> None:  # type: ignore[no-untyped-def]
    weights = prunable_weights(model, protect=("q_proj", "v_proj"))
    assert weights and not any(".q_proj." in n or ".v_proj." in n for n in weights)
    assert all(".layers." in n for n in weights)  # embeddings and the output projection stay dense


def test_rewind_restores_survivors_and_zeroes_the_rest(model) -> None:  # type: ignore[no-untyped-def]
    weights = prunable_weights(model)
    start = {n: w.detach().clone() for n, w in weights.items()}
    with torch.no_grad():
        for w in weights.values():
            w.add_(1.0)  # "training"
    masks = prune_round(weights, initial_masks(weights), 0.5, "movement", start)
    rewind(weights, start, masks)
    for name, weight in weights.items():
        assert torch.equal(weight.detach(), start[name] * masks[name])


def test_two_of_every_four() -> None:
    weight = torch.nn.Parameter(torch.randn(6, 8))
    mask = semi_structured_2_4({"w": weight})["w"]
    assert torch.all(mask.reshape(6, 2, 4).sum(-1) == 2)
    groups = weight.detach().abs().reshape(6, 2, 4)
    assert torch.all((groups * mask.reshape(6, 2, 4)).sum(-1) >= groups.topk(2, -1).values.sum(-1) - 1e-6)


def test_lottery_loop_prunes_rewinds_and_reports(model) -> None:  # type: ignore[no-untyped-def]
    start = {n: w.detach().clone() for n, w in prunable_weights(model).items()}
    calls: list[float] = []

    def train_round(masks):  # type: ignore[no-untyped-def]
        with torch.no_grad():
            for name, weight in prunable_weights(model).items():
                weight.mul_(1.5).mul_(masks[name])
        calls.append(sparsity_report(masks)["sparsity"])
        return {"final_loss": 1.0, "seconds": 0.0}

    masks, reports = lottery_ticket(model, train_round, rounds=2, fraction=0.3)
    assert calls[0] == 0.0 and calls[1] == pytest.approx(0.3, abs=0.002)
    assert [r["round"] for r in reports] == [1, 2]
    assert reports[-1]["sparsity"] == pytest.approx(1 - 0.7**2, abs=0.002)
    for name, weight in prunable_weights(model).items():
        assert torch.equal(weight.detach(), start[name] * masks[name])  # rewound to the start
