"""The training loop shared by `train`, `lora` and `prune`: batches of log-mel features and token
labels, AdamW with warm-up and linear decay, mixed precision and gradient checkpointing on a GPU,
checkpoints every N steps and resume, pruning masks kept applied, a progress bar, a result dict."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tune.audio import read_audio
from tune.manifest import Item
from tune.model import Codec


@dataclass(frozen=True)
class TrainConfig:
    steps: int = 1000
    batch_size: int = 8
    lr: float = 1e-3
    warmup: int = 50
    weight_decay: float = 0.01
    grad_clip: float = 1.0
    checkpoint_every: int = 0  # 0: only at the end
    gradient_checkpointing: bool = False
    precision: str = "auto"  # auto (bf16 on a GPU that has it, else fp32), fp32, bf16, fp16
    seed: int = 0
    spec_augment: bool = False  # time and frequency masks on the log-mel features of every batch
    kl_to_base: float = 0.0  # weight of KL(base model ‖ tuned) on the same batch (LoRA: adapters off)
    l2_to_base: float = 0.0  # weight of ‖ΔW‖² of the LoRA updates: a pull towards the pretrained weights
    distill_kl: float = 1.0  # with a teacher: weight of KL(teacher ‖ student) (tune/distill.py)
    distill_ce: float = 1.0  # with a teacher: weight of the cross-entropy to the references
    distill_temperature: float = 2.0
    # > 0: a wall-clock budget for the steps; their count is cut to what fits (`planned_steps`)
    max_seconds: float = 0.0


PACE_STEPS = 20  # steps timed (after the first, which compiles and warms up) before a budget fixes the count


def planned_steps(steps: int, at_step: int, step_s: float, left_s: float) -> int:
    """The step count of a run limited by time: at step `at_step`, each step taking `step_s` and
    `left_s` of the budget left, the steps that fit, never more than `steps` nor fewer than
    `at_step`. The learning-rate schedule is laid over this count, so a cut run still decays to its
    floor instead of stopping at a high rate."""
    fit = at_step + int(max(0.0, left_s) / max(step_s, 1e-9))
    return max(at_step, min(steps, fit))


def spec_augment(features: Any, rng: np.random.Generator, *, freq_masks: int = 2, freq_width: int = 12,
                 time_masks: int = 2, time_share: float = 0.08) -> Any:  # fmt: skip
    """SpecAugment without time warping, in place: per item, `freq_masks` bands of up to
    `freq_width` mel bins and `time_masks` spans of up to `time_share` of its frames set to the
    item's mean (the padded tail of a trimmed window is left alone: it is the engine's padding)."""
    batch, bins, frames = features.shape
    for row in range(batch):
        item = features[row]
        fill = float(item.mean())
        for _ in range(freq_masks):
            width = int(rng.integers(0, freq_width + 1))
            start = int(rng.integers(0, max(1, bins - width)))
            item[start : start + width, :] = fill
        for _ in range(time_masks):
            width = int(rng.integers(0, max(1, int(frames * time_share)) + 1))
            start = int(rng.integers(0, max(1, frames - width)))
            item[:, start : start + width] = fill
    return features


def base_divergence(model: Any, features: Any, labels: Any, logits: Any) -> Any:
    """Mean KL(base ‖ tuned) over the label positions, the base being `model` with its LoRA
    adapters switched off (no second copy of the weights)."""
    import torch

    from tune.distill import distillation_kl

    with torch.no_grad(), model.disable_adapter():
        base = model(input_features=features, labels=labels).logits
    return distillation_kl(logits, base, labels, temperature=1.0)  # the base as the teacher


def lora_delta_l2(model: Any) -> Any:
    """Σ ‖scale·B·A‖² over the LoRA layers: how far the adapters move the pretrained weights."""
    total = 0.0
    for module in model.modules():
        if hasattr(module, "lora_A") and "default" in getattr(module, "lora_A", {}):
            a, b = module.lora_A["default"].weight, module.lora_B["default"].weight
            total = total + (module.scaling["default"] ** 2) * ((b @ a) ** 2).sum()
    return total


class Batches:
    """Features computed once, kept as float16; endless shuffled batches.

    `window="native"`: every item padded to the model's window (Whisper's way). `window="trim"`:
    features computed as the server's engine computes them, and each batch cut to its longest
    utterance plus a random margin of up to `margin_s` (zero-padded like the engine's trimmed
    windows), so the model learns to work on the windows the server's `trim` policy gives it."""

    def __init__(
        self,
        items: list[Item],
        codec: Codec,
        progress: bool = True,
        *,
        window: str = "native",
        margin_s: float = 1.0,
        seed: int = 0,
        workers: int = 1,
    ) -> None:
        from tqdm import tqdm

        if window not in ("native", "trim"):
            raise ValueError(f"window is native or trim, got {window!r}")
        self.window, self.margin_s = window, margin_s
        self._rng = np.random.default_rng(seed)
        paths = [str(i.audio) for i in items]
        bins = codec.num_mel_bins if window == "trim" else None
        features = _in_processes(paths, bins, codec, workers, progress) if workers > 1 else None
        if features is None:
            features = [_features(p, bins, codec) for p in tqdm(paths, desc="features", disable=not progress)]
        if window == "trim":
            self.trimmed = features
            self.features = np.zeros((0,), np.float16)
        else:
            self.features = np.stack(features)
        self.labels = [codec.labels(i.text) for i in items]
        self.items = items
        self.max_frames = codec.window_s * 100

    def __len__(self) -> int:
        return len(self.items)

    def batch(self, indices: list[int], device: str) -> tuple[Any, Any]:
        import torch

        margin = self._rng.uniform(0, self.margin_s) if self.window == "trim" else 0.0
        features = self.features_of(indices, device, margin)
        width = max(len(self.labels[i]) for i in indices)
        labels = torch.full((len(indices), width), -100, dtype=torch.long)
        for row, i in enumerate(indices):
            labels[row, : len(self.labels[i])] = torch.tensor(self.labels[i])
        return features, labels.to(device)

    def features_of(self, indices: list[int], device: str, margin_s: float = 0.5) -> Any:
        """Model input for `indices`: native windows, or trimmed to the longest plus `margin_s`."""
        import torch

        if self.window != "trim":
            return torch.from_numpy(self.features[indices].astype(np.float32)).to(device)
        from agent.asr.engine import fit_frames

        frames = min(self.max_frames, max(self.trimmed[i].shape[-1] for i in indices) + int(margin_s * 100))
        frames += frames % 2  # the encoder's convolution halves it
        batch = np.stack([fit_frames(self.trimmed[i], frames) for i in indices])
        return torch.from_numpy(batch.astype(np.float32)).to(device)


_WORKER_CODEC: list[Codec] = []  # a feature worker's codec, handed over once when it starts


def _features(path: str, trim_bins: int | None, codec: Codec | None = None) -> np.ndarray:
    """One utterance's model input: the engine's log-mel of the audio alone (`trim_bins` set), or
    the codec's padded window (a top-level function: feature workers run it in other processes,
    with the codec they were started with)."""
    audio = read_audio(Path(path))
    if trim_bins is None:
        return (codec or _WORKER_CODEC[0]).mel(audio)
    from tune.model import engine_mel

    return engine_mel(audio, trim_bins)


def _start_worker(codec: Codec) -> None:
    _WORKER_CODEC[:] = [codec]


def _in_processes(
    paths: list[str], trim_bins: int | None, codec: Codec, workers: int, progress: bool
) -> list[np.ndarray] | None:
    """`_features` of every path over `workers` processes, in order; None where processes cannot be
    started (a machine without shared memory for their locks): the caller computes them itself.
    The codec (its tokenizer is megabytes) travels once per worker, not with every task."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from tqdm import tqdm

    if len(paths) <= 4 * workers:
        return None
    try:
        pool = ProcessPoolExecutor(
            workers, mp_context=get_context("spawn"), initializer=_start_worker, initargs=(codec,)
        )
    except OSError:
        return None
    with pool:
        computed = pool.map(_features, paths, [trim_bins] * len(paths), chunksize=64)
        return list(tqdm(computed, total=len(paths), desc="features", disable=not progress))


def device_of(requested: str = "auto") -> str:
    import torch

    if requested != "auto":
        return requested
    return "cuda" if torch.cuda.is_available() else "cpu"


def _dtype(precision: str, device: str) -> Any:
    import torch

    if precision == "auto":
        return torch.bfloat16 if device == "cuda" and torch.cuda.is_bf16_supported() else None
    return {"fp32": None, "bf16": torch.bfloat16, "fp16": torch.float16}[precision]


def apply_masks(model: Any, masks: dict[str, Any]) -> None:
    import torch

    if not masks:
        return
    params = dict(model.named_parameters())
    with torch.no_grad():
        for name, mask in masks.items():
            params[name].mul_(mask)


def train(model: Any, data: Batches, config: TrainConfig, out_dir: Path, *, device: str = "auto",
          masks: dict[str, Any] | None = None, progress: bool = True, resume: bool = False,
          teacher: Any | None = None) -> dict[str, Any]:  # fmt: skip
    """Train the parameters of `model` that require grad; returns a result dict. With `teacher`
    (a distillation: `model` shares its frozen encoder), the loss is the teacher's outputs and the
    references together (`tune/distill.py`)."""
    import torch
    from tqdm import tqdm

    device = device_of(device)
    if data.window == "trim":
        from tune.model import trimmed_windows

        trimmed_windows(model)
        if teacher is not None:
            trimmed_windows(teacher)
    model.to(device).train()
    if teacher is not None:
        teacher.to(device).eval()
    masks = {k: v.to(device) for k, v in (masks or {}).items()}
    if config.gradient_checkpointing and device == "cuda":
        model.gradient_checkpointing_enable()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=config.lr, weight_decay=config.weight_decay)

    total = config.steps  # cut once the pace is known when there is a time budget

    def rate(step: int) -> float:
        if step < config.warmup:
            return (step + 1) / config.warmup
        return max(0.05, 1 - (step - config.warmup) / max(1, total - config.warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, rate)
    checkpoint = out_dir / "checkpoint.pt"
    start = 0
    if resume and checkpoint.is_file():
        state = torch.load(checkpoint, map_location=device, weights_only=False)
        model.load_state_dict(state["model"], strict=False)
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        start = state["step"]
    rng = np.random.default_rng(config.seed + start)
    dtype = _dtype(config.precision, device)
    scaler = torch.amp.GradScaler(enabled=dtype is torch.float16)
    apply_masks(model, masks)
    losses = []
    started = time.perf_counter()
    paced_from = None
    bar = tqdm(
        range(start, config.steps), desc="train", disable=not progress, initial=start, total=config.steps
    )
    for step in bar:
        if config.max_seconds > 0 and step == start + 1:
            paced_from = time.perf_counter()  # the first step warms up kernels: time from the second
        elif paced_from is not None and step == start + 1 + PACE_STEPS:
            now = time.perf_counter()
            step_s = (now - paced_from) / PACE_STEPS
            total = planned_steps(config.steps, step, step_s, config.max_seconds - (now - started))
            bar.total = total
        if step >= total:
            break
        indices = list(rng.choice(len(data), size=min(config.batch_size, len(data)), replace=False))
        features, labels = data.batch(indices, device)
        if config.spec_augment:
            features = spec_augment(features, rng)
        with torch.autocast(device_type=device, dtype=dtype, enabled=dtype is not None):
            if teacher is not None:
                loss = _distillation_loss(model, teacher, features, labels, config)
            else:
                output = model(input_features=features, labels=labels)
                loss = output.loss
                if config.kl_to_base:
                    loss = loss + config.kl_to_base * base_divergence(model, features, labels, output.logits)
                if config.l2_to_base:
                    loss = loss + config.l2_to_base * lora_delta_l2(model)
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.unscale_(optimizer)
        torch.nn.utils.clip_grad_norm_(trainable, config.grad_clip)
        scaler.step(optimizer)
        scaler.update()
        scheduler.step()
        apply_masks(model, masks)  # pruned weights stay zero
        losses.append(float(loss.detach()))
        bar.set_postfix(loss=f"{np.mean(losses[-20:]):.3f}")
        if config.checkpoint_every and (step + 1) % config.checkpoint_every == 0:
            save_checkpoint(checkpoint, model, optimizer, scheduler, step + 1)
    seconds = time.perf_counter() - started
    save_checkpoint(checkpoint, model, optimizer, scheduler, total)
    model.eval()
    return {
        "config": asdict(config), "device": device, "steps": total, "steps_run": total - start, "seconds": round(seconds, 1),
        "final_loss": round(float(np.mean(losses[-20:])), 4) if losses else None,
        "trainable_parameters": sum(p.numel() for p in trainable),
        "total_parameters": sum(p.numel() for p in model.parameters()),
        "loss_curve": [round(float(np.mean(losses[i : i + 50])), 4) for i in range(0, len(losses), 50)],
    }  # fmt: skip


def _distillation_loss(student: Any, teacher: Any, features: Any, labels: Any, config: TrainConfig) -> Any:
    """The encoder runs once (frozen, the same in both); the teacher decodes the references under
    no gradient, the student learns its distribution and the references."""
    import torch

    from tune.distill import distillation_kl

    with torch.no_grad():
        encoded = student.model.encoder(features)
        taught = teacher(encoder_outputs=encoded, labels=labels).logits
    output = student(encoder_outputs=encoded, labels=labels)
    kl = distillation_kl(output.logits, taught, labels, config.distill_temperature)
    return config.distill_ce * output.loss + config.distill_kl * kl


def save_checkpoint(path: Path, model: Any, optimizer: Any, scheduler: Any, step: int) -> None:
    import torch

    path.parent.mkdir(parents=True, exist_ok=True)
    trainable = {k: v for k, v in model.state_dict().items()}
    torch.save(
        {
            "model": trainable,
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(),
            "step": step,
        },
        path,
    )
