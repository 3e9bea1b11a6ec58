"""`callassist tune import-ct2`: a CTranslate2 Whisper export back into PyTorch. On a small random
Whisper (Whisper's real tokenizer and layout): a float32 export comes back with exactly the
original weights, an int8 export within its quantization step, and greedy decoding in PyTorch
gives the same tokens as faster-whisper on the export."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from tune.ct2_import import import_ct2, verify
from tune.model import ModelDims, load_model, new_model, save_model
from workbench.demo.synth import speak

DIMS = ModelDims(d_model=64, encoder_layers=2, decoder_layers=2, attention_heads=4, ffn_dim=128)


def _export(hf_dir: Path, out: Path, quantization: str) -> Path:
    import ctranslate2

    ctranslate2.converters.TransformersConverter(
        str(hf_dir), copy_files=["tokenizer.json", "preprocessor_config.json"]
    ).convert(str(out), quantization=quantization, force=True)
    return out


def test_round_trip_and_token_equality(tmp_path: Path) -> None:
    original = new_model(DIMS, seed=3)
    hf_dir = save_model(original, tmp_path / "hf")
    ct2_f32 = _export(hf_dir, tmp_path / "ct2-f32", "float32")

    result = import_ct2(ct2_f32, tmp_path / "back")
    assert result["d_model"] == 64 and result["encoder_layers"] == 2 and result["encoder_heads"] == 4
    back = load_model(tmp_path / "back").state_dict()
    reference = original.state_dict()
    assert set(back) == set(reference)
    for name, tensor in reference.items():
        assert torch.equal(back[name], tensor), name  # exactly the weights that went in
    assert "model.encoder.layers.0.self_attn.k_proj.bias" not in back  # Whisper's key has no bias

    clips = [speak(text, "ko") for text in ("네 알겠습니다", "요금이 많이 나왔어요")]
    checked = verify(ct2_f32, tmp_path / "back", clips, max_tokens=12)
    assert checked["identical_tokens"] == len(clips), checked
    assert checked["steps_compared"] > 0 and checked["max_logprob_difference"] < 1e-3

    ct2_int8 = _export(hf_dir, tmp_path / "ct2-int8", "int8")
    import_ct2(ct2_int8, tmp_path / "back-int8")
    dequantized = load_model(tmp_path / "back-int8").state_dict()
    weight = "model.encoder.layers.0.fc1.weight"
    step = reference[weight].abs().amax(dim=1, keepdim=True) / 127  # one quantization level per row
    assert torch.all((dequantized[weight] - reference[weight]).abs() <= step * 0.51 + 1e-6)
    assert np.isclose(
        float(dequantized["model.encoder.layer_norm.weight"][0]),
        float(reference["model.encoder.layer_norm.weight"][0]),
    )
