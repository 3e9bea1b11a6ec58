"""Export: LoRA merged (`merge_and_unload`), pruning masks applied, converted to CTranslate2
(`int8`, `int8_float16`, `float16` …) with tokenizer.json and preprocessor_config.json; then the
export is loaded with faster-whisper and transcribes a sample, to prove it works; a model card
(README.md and model_card.json) says what went into it."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from tune.model import dims_of, save_model

LINEAGE = "callassist_tune.json"


def lineage(model_dir: Path) -> list[dict[str, Any]]:
    path = Path(model_dir) / LINEAGE
    return json.loads(path.read_text())["steps"] if path.is_file() else []


def save_with_lineage(model: Any, out: Path, steps: list[dict[str, Any]]) -> Path:
    save_model(model, out)
    (out / LINEAGE).write_text(json.dumps({"steps": steps}, ensure_ascii=False, indent=1))
    return out


def widen_to_whisper_window(model: Any) -> None:
    """A model trained on windows shorter than 30 s gets Whisper's 1500 encoder positions, because
    faster-whisper always pads audio to 30 s: the trained positions are kept as they are, the new
    ones continue Whisper's sinusoid table. Shorter windows are a training speed-up; the padding the
    exported model sees beyond the trained window is silence it has not been trained on."""
    import torch
    from transformers.models.whisper.modeling_whisper import sinusoids

    encoder = model.get_encoder()
    if model.config.max_source_positions >= 1500:
        return
    table = sinusoids(1500, model.config.d_model)
    table[: model.config.max_source_positions] = encoder.embed_positions.weight.detach().float()  # as trained
    encoder.embed_positions = torch.nn.Embedding(1500, model.config.d_model)
    encoder.embed_positions.weight.data.copy_(table)
    encoder.embed_positions.requires_grad_(False)
    model.config.max_source_positions = encoder.max_source_positions = 1500


def convert(model_dir: Path, out: Path, quantization: str) -> Path:
    import ctranslate2

    staging = out.with_name(out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    ctranslate2.converters.TransformersConverter(
        str(model_dir), copy_files=["tokenizer.json", "preprocessor_config.json"]
    ).convert(str(staging), quantization=quantization, force=True)
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    return out


def smoke_test(export_dir: Path, sample: np.ndarray) -> dict[str, Any]:
    """faster-whisper loads the export and transcribes `sample` (segments consumed here)."""
    from faster_whisper import WhisperModel

    started = time.perf_counter()
    window = json.loads((export_dir / "preprocessor_config.json").read_text()).get("chunk_length", 30)
    model = WhisperModel(str(export_dir), device="cpu", compute_type="default", cpu_threads=2)
    segments, _ = model.transcribe(
        sample, language="ko", beam_size=1, temperature=0.0, without_timestamps=True, chunk_length=window,
        condition_on_previous_text=False, vad_filter=False, max_new_tokens=48,
    )  # fmt: skip
    text = " ".join(s.text.strip() for s in segments)[:200]
    return {"text": text, "seconds": round(time.perf_counter() - started, 2)}


def export(model: Any, model_dir: Path, out: Path, quantization: str, sample: np.ndarray,
           masks: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    from tune.lora import merge
    from tune.training import apply_masks

    model = merge(model)
    apply_masks(model, masks or {})
    widen_to_whisper_window(model)
    steps = lineage(model_dir)
    with tempfile.TemporaryDirectory(prefix="callassist-export-") as tmp:
        hf = save_model(model, Path(tmp) / "hf")
        convert(hf, out, quantization)
    check = smoke_test(out, sample)
    size = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
    zeros = sum(
        int((p == 0).sum()) for n, p in model.named_parameters() if n.endswith(".weight") and ".layers." in n
    )
    weights = sum(p.numel() for n, p in model.named_parameters() if n.endswith(".weight") and ".layers." in n)
    card = {
        "model": "Whisper (callassist tune)", "dims": dims_of(model), "quantization": quantization,
        "size_bytes": size, "layer_weight_sparsity": round(zeros / max(weights, 1), 4),
        "parameters": sum(p.numel() for p in model.parameters()), "lineage": steps, "smoke_test": check,
    }  # fmt: skip
    (out / "model_card.json").write_text(json.dumps(card, ensure_ascii=False, indent=1))
    (out / "README.md").write_text(model_card_markdown(card), encoding="utf-8")
    return card


def model_card_markdown(card: dict[str, Any]) -> str:
    lines = ["# Whisper model built with `callassist tune`", ""]
    lines += [f"- Dimensions: {card['dims']}", f"- Parameters: {card['parameters']:,}",
              f"- CTranslate2 quantization: {card['quantization']}, size {card['size_bytes'] / 1e6:.1f} MB",
              f"- Sparsity of the layer weights: {card['layer_weight_sparsity']:.1%}", "", "## How it was made", ""]  # fmt: skip
    for step in card["lineage"]:
        lines.append(
            f"- **{step.get('command')}**: "
            + ", ".join(f"{k}={v}" for k, v in step.items() if k != "command")
        )
    lines += ["", f'Smoke test (faster-whisper, CPU): "{card["smoke_test"]["text"]}"', ""]
    lines.append(
        "Trained on the data listed above only; its accuracy is what the `eval` steps measured, nothing more."
    )
    return "\n".join(lines) + "\n"
