"""Training for trimmed encoder windows on a toy model: the patched encoder equals Whisper's own
at the full window, accepts shorter ones, and a training step and an evaluation run on batches cut
to the utterance plus a margin, with features computed as the server's engine computes them."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import torch

from agent.audio.wav import write_wav
from tune.evaluate import evaluate
from tune.manifest import Item
from tune.model import Codec, ModelDims, engine_mel, new_model, trimmed_windows
from tune.training import Batches, TrainConfig, train
from workbench.demo.synth import SAMPLE_RATE, speak

DIMS = ModelDims(d_model=32, encoder_layers=1, decoder_layers=1, attention_heads=2, ffn_dim=64)
TEXTS = ("네 알겠습니다", "요금이 많이 나왔어요", "분실 신고 해 주세요", "감사합니다")


@pytest.fixture(scope="module")
def items(tmp_path_factory: pytest.TempPathFactory) -> list[Item]:
    folder = tmp_path_factory.mktemp("speech")
    out = []
    for n, text in enumerate(TEXTS):
        audio = speak(text, "ko")
        write_wav(folder / f"{n}.wav", audio[:, None], SAMPLE_RATE)
        out.append(Item(str(folder / f"{n}.wav"), text, "ko", round(len(audio) / SAMPLE_RATE, 3)))
    return out


def test_patched_encoder_is_whispers_own_at_full_window_and_takes_shorter_ones() -> None:
    model = new_model(DIMS, seed=1).eval()
    features = torch.randn(2, 80, 3000)
    with torch.no_grad():
        native = model.get_encoder()(features).last_hidden_state
        trimmed_windows(model)
        same = model.get_encoder()(features).last_hidden_state
        short = model.get_encoder()(features[..., :250]).last_hidden_state
    assert torch.allclose(native, same, atol=1e-5)
    assert short.shape == (2, 125, DIMS.d_model)
    with pytest.raises(ValueError, match="even number"):
        model.get_encoder()(features[..., :251])


def test_trimmed_batches_train_and_evaluate(items: list[Item], tmp_path: Path) -> None:
    model = new_model(DIMS, seed=2)
    codec = Codec(num_mel_bins=80, window_s=30)
    data = Batches(items, codec, progress=False, window="trim", margin_s=1.0, seed=0)
    lengths = [f.shape[-1] for f in data.trimmed]
    assert lengths == [engine_mel(speak(t, "ko")).shape[-1] for t in TEXTS]  # as the engine computes them
    features = data.features_of([0, 1], "cpu", margin_s=0.5)
    assert features.shape[1] == 80 and features.shape[2] % 2 == 0
    assert features.shape[2] == max(lengths[:2]) + 50 + (max(lengths[:2]) + 50) % 2
    assert bool((features[0, :, lengths[0] :] == 0).all())  # zero-padded, as the engine pads
    result = train(
        model, data, TrainConfig(steps=2, batch_size=2, warmup=1), tmp_path, device="cpu", progress=False
    )
    assert result["steps_run"] == 2 and math.isfinite(result["final_loss"])
    two = Batches(items[:2], codec, progress=False, window="trim")
    scores = evaluate(model, items[:2], codec, device="cpu", data=two, progress=False)
    assert scores["utterances"] == 2 and scores["cer"] >= 0.0
    assert np.isfinite(scores["rtf"])


def test_generalization_options_train(items: list[Item], tmp_path: Path) -> None:
    """SpecAugment, KL to the base model (adapters switched off) and the pull towards the pretrained
    weights each run a training step, on decoder-only adapters and on a smaller encoder rank."""
    from tune.lora import add_lora

    codec = Codec(num_mel_bins=80, window_s=30)
    data = Batches(items, codec, progress=False, window="trim", margin_s=0.5, seed=0)
    decoder_only = add_lora(new_model(DIMS, seed=3), 4, 8, 0.0, ("q_proj", "v_proj"), scope="decoder")
    names = [n for n, p in decoder_only.named_parameters() if p.requires_grad]
    assert names and all(".decoder." in n for n in names)
    smaller = add_lora(new_model(DIMS, seed=3), 4, 8, 0.0, ("q_proj", "v_proj"), encoder_rank=2)
    shapes = {n: p.shape for n, p in smaller.named_parameters() if "lora_A" in n}
    assert {s[0] for n, s in shapes.items() if ".encoder." in n} == {2}
    assert {s[0] for n, s in shapes.items() if ".decoder." in n} == {4}
    with pytest.raises(ValueError, match="encoder rank"):
        add_lora(new_model(DIMS, seed=3), 4, 8, 0.0, ("q_proj",), scope="decoder", encoder_rank=2)
    for model, config in (
        (decoder_only, TrainConfig(steps=2, batch_size=2, warmup=1, spec_augment=True, kl_to_base=0.5)),
        (smaller, TrainConfig(steps=2, batch_size=2, warmup=1, l2_to_base=1.0, spec_augment=True)),
    ):
        result = train(model, data, config, tmp_path / str(id(model)), device="cpu", progress=False)
        assert result["steps_run"] == 2 and math.isfinite(result["final_loss"])


def test_spec_augment_masks_bands_and_spans() -> None:
    from tune.training import spec_augment

    features = torch.arange(2 * 80 * 300, dtype=torch.float32).reshape(2, 80, 300)
    masked = spec_augment(features.clone(), np.random.default_rng(0), freq_width=10, time_share=0.1)
    changed = masked != features
    assert changed.any() and changed.float().mean() < 0.5
    for row in range(2):  # whole mel bands or whole time spans, filled with the item's mean
        rows_hit = changed[row].all(dim=1).sum() + changed[row].all(dim=0).sum()
        assert rows_hit > 0


def test_lora_warm_starts_from_an_adapter_under_its_ticket(items: list[Item], tmp_path: Path) -> None:
    """`tune lora --adapter A --masks M`: training goes on from a ticket's adapter under its mask,
    and the merged model keeps the pruned weights at zero (what a recipe rebuilds)."""
    from tune.cli import main as tune_main
    from tune.export import save_with_lineage
    from tune.lora import add_lora
    from tune.lottery import load_masks, lora_layers, prune_to, save_masks
    from tune.manifest import write_manifest
    from tune.model import load_model

    base = save_with_lineage(new_model(DIMS, seed=1), tmp_path / "base", [])
    targets = ("q_proj", "v_proj")
    ticket = add_lora(new_model(DIMS, seed=1), 4, 8, 0.0, targets)
    layers = lora_layers(ticket)
    masks = prune_to(layers, {n: torch.ones_like(m.base_layer.weight) for n, m in layers.items()}, 0.4)
    ticket.save_pretrained(str(tmp_path / "ticket" / "adapter"))
    save_masks(masks, tmp_path / "ticket" / "masks.npz")
    write_manifest(tmp_path / "train.jsonl", items)
    code = tune_main([
        "lora", "--model", str(base), "--data", str(tmp_path / "train.jsonl"), "--out", str(tmp_path / "run"),
        "--rank", "4", "--alpha", "8", "--targets", ",".join(targets), "--steps", "1", "--batch-size", "2",
        "--warmup", "1", "--window", "trim", "--adapter", str(tmp_path / "ticket" / "adapter"),
        "--masks", str(tmp_path / "ticket" / "masks.npz"), "--kl-to-base", "0.5", "--device", "cpu",
    ])  # fmt: skip
    assert code == 0
    merged = dict(load_model(tmp_path / "run" / "model").named_parameters())
    kept = load_masks(tmp_path / "run" / "masks.npz")
    for name, mask in kept.items():
        weight = merged[name.replace("base_model.model.", "").replace(".base_layer", "")]
        assert bool((weight[mask == 0] == 0).all()), name


def test_a_time_budget_cuts_the_step_count_and_keeps_the_schedule() -> None:
    from tune.training import planned_steps

    assert planned_steps(1000, 21, 0.5, 100.0) == 221  # 200 more steps fit
    assert planned_steps(100, 21, 0.5, 100.0) == 100  # never more than asked
    assert planned_steps(1000, 21, 0.5, -3.0) == 21  # the budget is spent: stop where it is


def test_a_run_under_a_time_budget_stops_early(items: list[Item], tmp_path: Path) -> None:
    codec = Codec(num_mel_bins=80, window_s=30)
    data = Batches(items, codec, progress=False, window="trim", margin_s=0.5, seed=0)
    config = TrainConfig(steps=10_000, batch_size=2, warmup=1, max_seconds=1e-6)
    result = train(new_model(DIMS, seed=4), data, config, tmp_path, device="cpu", progress=False)
    assert result["steps"] == result["steps_run"] == 21  # the paced steps, then the spent budget
    assert torch.load(tmp_path / "checkpoint.pt", weights_only=False)["step"] == 21


def test_features_from_worker_processes_equal_those_computed_in_process(
    items: list[Item],
) -> None:
    codec = Codec(num_mel_bins=80, window_s=30)
    many = items * 3  # more than four per worker: processes are started
    alone = Batches(many, codec, progress=False, window="trim")
    pooled = Batches(many, codec, progress=False, window="trim", workers=2)
    assert len(pooled.trimmed) == len(many)
    assert all(np.array_equal(a, b) for a, b in zip(alone.trimmed, pooled.trimmed, strict=True))
