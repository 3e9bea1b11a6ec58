"""A CTranslate2 Whisper export back into a `transformers` model, so that a model published only
for faster-whisper (such as the default Whisper base) can be fine-tuned.

`model.bin` is read directly (`agent/asr/ct2_file.py`). The mapping undoes what CTranslate2's
Whisper converter did: the fused self-attention projection (q, k, v stacked) is split in three,
the fused cross-attention key/value
projection in two; the key projections get no bias (Whisper has none; the fused bias holds zeros
there); the output projection is the token embedding (an alias). int8 weights are dequantized with
their per-row scales; float16 and bfloat16 are widened to float32.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from agent.asr.ct2_file import Ct2FileError, read_model_bin

_DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16, 5: np.uint16}  # 5: bfloat16


class Ct2FormatError(ValueError):
    """The file is not a CTranslate2 Whisper model this importer understands."""


def read_ct2(model_bin: Path) -> tuple[str, dict[str, np.ndarray]]:
    """(spec name, variables by name, aliases resolved); weights as float32, scalars as they are."""
    try:
        spec, stored, aliases = read_model_bin(model_bin)
    except Ct2FileError as exc:
        raise Ct2FormatError(str(exc)) from None
    variables: dict[str, np.ndarray] = {}
    for var in stored:
        if var.dtype not in _DTYPES:
            raise Ct2FormatError(f"{model_bin}: unknown dtype {var.dtype} for {var.name}")
        data = np.frombuffer(var.data or b"", dtype=_DTYPES[var.dtype]).reshape(var.shape)
        if var.dtype == 5:  # bfloat16: the upper half of a float32
            data = (data.astype(np.uint32) << 16).view(np.float32)
        variables[var.name] = data
    for alias, target in aliases:
        variables[alias] = variables[target]
    for name in [n for n in variables if n.endswith("/weight_scale")]:
        weight = name.removesuffix("_scale")
        scale = variables.pop(name).astype(np.float32)
        variables[weight] = variables[weight].astype(np.float32) / scale.reshape(
            -1, *([1] * (variables[weight].ndim - 1))
        )
    return spec, variables


def _scalar(variables: dict[str, np.ndarray], name: str) -> int:
    return int(np.asarray(variables[name]).reshape(-1)[0])


def _split(array: np.ndarray, parts: int) -> list[np.ndarray]:
    return list(np.split(array, parts, axis=0))


def whisper_state_dict(variables: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """Hugging Face `WhisperForConditionalGeneration` weights, and the dimensions they imply."""
    w = {k: np.asarray(v, dtype=np.float32) for k, v in variables.items() if np.asarray(v).ndim > 0}

    def layer_count(side: str) -> int:
        numbers = {k.split("/")[1].removeprefix("layer_") for k in w if k.startswith(f"{side}/layer_")}
        return 1 + max(int(n) for n in numbers if n.isdigit())

    encoder_layers, decoder_layers = layer_count("encoder"), layer_count("decoder")
    d_model = w["encoder/layer_norm/gamma"].shape[0]
    dims = {
        "d_model": d_model,
        "encoder_layers": encoder_layers,
        "decoder_layers": decoder_layers,
        "encoder_heads": _scalar(variables, "encoder/num_heads"),
        "decoder_heads": _scalar(variables, "decoder/num_heads"),
        "ffn_dim": w["encoder/layer_0/ffn/linear_0/weight"].shape[0],
        "num_mel_bins": w["encoder/conv1/weight"].shape[1],
        "vocab_size": w["decoder/embeddings/weight"].shape[0],
        "max_source_positions": w["encoder/position_encodings/encodings"].shape[0],
        "max_target_positions": w["decoder/position_encodings/encodings"].shape[0],
    }
    out: dict[str, np.ndarray] = {}

    def linear(hf: str, ct2: str, bias: bool = True) -> None:
        out[f"{hf}.weight"] = w[f"{ct2}/weight"]
        if bias:
            out[f"{hf}.bias"] = w[f"{ct2}/bias"]

    def norm(hf: str, ct2: str) -> None:
        out[f"{hf}.weight"], out[f"{hf}.bias"] = w[f"{ct2}/gamma"], w[f"{ct2}/beta"]

    def fused_self_attention(hf: str, ct2: str) -> None:
        q, k, v = _split(w[f"{ct2}/linear_0/weight"], 3)
        qb, kb, vb = _split(w[f"{ct2}/linear_0/bias"], 3)
        if np.any(kb):
            raise Ct2FormatError(f"{ct2}: the key projection has a bias; Whisper's has none")
        out[f"{hf}.q_proj.weight"], out[f"{hf}.q_proj.bias"] = q, qb
        out[f"{hf}.k_proj.weight"] = k
        out[f"{hf}.v_proj.weight"], out[f"{hf}.v_proj.bias"] = v, vb
        linear(f"{hf}.out_proj", f"{ct2}/linear_1")

    for side, layers in (("encoder", encoder_layers), ("decoder", decoder_layers)):
        for i in range(layers):
            hf, ct2 = f"model.{side}.layers.{i}", f"{side}/layer_{i}"
            fused_self_attention(f"{hf}.self_attn", f"{ct2}/self_attention")
            norm(f"{hf}.self_attn_layer_norm", f"{ct2}/self_attention/layer_norm")
            if side == "decoder":
                linear(f"{hf}.encoder_attn.q_proj", f"{ct2}/attention/linear_0")
                k, v = _split(w[f"{ct2}/attention/linear_1/weight"], 2)
                kb, vb = _split(w[f"{ct2}/attention/linear_1/bias"], 2)
                if np.any(kb):
                    raise Ct2FormatError(f"{ct2}: the cross-attention key has a bias; Whisper's has none")
                out[f"{hf}.encoder_attn.k_proj.weight"] = k
                out[f"{hf}.encoder_attn.v_proj.weight"], out[f"{hf}.encoder_attn.v_proj.bias"] = v, vb
                linear(f"{hf}.encoder_attn.out_proj", f"{ct2}/attention/linear_2")
                norm(f"{hf}.encoder_attn_layer_norm", f"{ct2}/attention/layer_norm")
            linear(f"{hf}.fc1", f"{ct2}/ffn/linear_0")
            linear(f"{hf}.fc2", f"{ct2}/ffn/linear_1")
            norm(f"{hf}.final_layer_norm", f"{ct2}/ffn/layer_norm")
        norm(f"model.{side}.layer_norm", f"{side}/layer_norm")
        out[f"model.{side}.embed_positions.weight"] = w[f"{side}/position_encodings/encodings"]
    linear("model.encoder.conv1", "encoder/conv1")
    linear("model.encoder.conv2", "encoder/conv2")
    out["model.decoder.embed_tokens.weight"] = w["decoder/embeddings/weight"]
    out["proj_out.weight"] = w.get("decoder/projection/weight", w["decoder/embeddings/weight"])
    return out, dims


def import_ct2(ct2_dir: Path, out_dir: Path) -> dict[str, Any]:
    """Write a Hugging Face Whisper directory (weights, config, tokenizer.json, feature extractor,
    generation config) rebuilt from the CTranslate2 export in `ct2_dir`; returns what it did."""
    import torch
    from transformers import WhisperConfig, WhisperForConditionalGeneration

    from agent.asr.whisper_files import generation_config, preprocessor_config
    from tune.model import save_model

    ct2_dir, out_dir = Path(ct2_dir), Path(out_dir)
    spec, variables = read_ct2(ct2_dir / "model.bin")
    if spec != "WhisperSpec":
        raise Ct2FormatError(f"{ct2_dir}: a {spec}, not a Whisper model")
    state, dims = whisper_state_dict(variables)
    languages = dims["vocab_size"] - 50257 - 1509  # byte-level BPE ranks, then specials and timestamps
    generation = generation_config(languages, dims["decoder_layers"], dims["decoder_heads"])
    config = WhisperConfig(
        vocab_size=dims["vocab_size"], num_mel_bins=dims["num_mel_bins"], d_model=dims["d_model"],
        encoder_layers=dims["encoder_layers"], decoder_layers=dims["decoder_layers"],
        encoder_attention_heads=dims["encoder_heads"], decoder_attention_heads=dims["decoder_heads"],
        encoder_ffn_dim=dims["ffn_dim"], decoder_ffn_dim=dims["ffn_dim"],
        max_source_positions=dims["max_source_positions"], max_target_positions=dims["max_target_positions"],
        decoder_start_token_id=generation["decoder_start_token_id"], bos_token_id=generation["bos_token_id"],
        eos_token_id=generation["eos_token_id"], pad_token_id=generation["pad_token_id"],
    )  # fmt: skip
    model = WhisperForConditionalGeneration(config)
    missing, unexpected = model.load_state_dict(
        {k: torch.from_numpy(v.copy()) for k, v in state.items()}, strict=False
    )
    missing = [m for m in missing if m != "proj_out.weight"]  # tied to the embeddings
    if missing or unexpected:
        raise Ct2FormatError(f"weights do not fit: missing {missing[:5]}, unexpected {unexpected[:5]}")
    out_dir.mkdir(parents=True, exist_ok=True)
    if (ct2_dir / "tokenizer.json").is_file():
        shutil.copyfile(ct2_dir / "tokenizer.json", out_dir / "tokenizer.json")  # save_model keeps it
    save_model(model, out_dir)
    ct2_config = ct2_dir / "config.json"
    if ct2_config.is_file():  # the export's own alignment heads and suppressed tokens are the truth
        exported = json.loads(ct2_config.read_text())
        generation.update(
            {k: exported[k] for k in ("alignment_heads", "suppress_ids_begin") if k in exported},
            suppress_tokens=exported.get("suppress_ids", generation["suppress_tokens"]),
        )
        generation.pop("suppress_ids_begin", None)
        (out_dir / "generation_config.json").write_text(json.dumps(generation))
    if not (ct2_dir / "preprocessor_config.json").is_file():
        (out_dir / "preprocessor_config.json").write_text(
            json.dumps(preprocessor_config(dims["num_mel_bins"]))
        )
    else:
        shutil.copyfile(ct2_dir / "preprocessor_config.json", out_dir / "preprocessor_config.json")
    return {"spec": spec, "parameters": int(sum(p.numel() for p in model.parameters())), **dims}


def verify(ct2_dir: Path, hf_dir: Path, clips: list[np.ndarray], max_tokens: int = 96) -> dict[str, Any]:
    """Greedy decoding of each clip (16 kHz float32) by faster-whisper's CTranslate2 model (float32
    compute) and by the imported PyTorch model, from Whisper's Korean transcription prefix:
    how many clips gave identical tokens, the largest difference of log-probabilities at the steps
    both took (with the same tokens before them), and at each first divergence the gap between the
    two best tokens (a near-tie that float16 rounding can flip)."""
    import ctranslate2
    import torch
    from transformers import WhisperForConditionalGeneration

    from agent.asr import faster_whisper_seam

    ct2 = faster_whisper_seam.load(
        str(ct2_dir), device="cpu", compute_type="float32", cpu_threads=0, language="ko"
    )
    hf = WhisperForConditionalGeneration.from_pretrained(str(hf_dir)).eval()
    prefix, eot = ct2.prefix, ct2.tokenizer.eot
    same, max_diff, steps = 0, 0.0, 0
    examples: list[dict[str, str]] = []
    divergences: list[dict[str, float]] = []  # where the two first chose differently, and how close it was
    for clip in clips:
        features = ct2.extractor(clip)[..., :-1]
        frames = features.shape[-1]
        features = np.pad(features, ((0, 0), (0, max(0, 3000 - frames))))[:, :3000].astype(np.float32)
        encoded = ct2.ct2.encode(ctranslate2.StorageView.from_array(np.ascontiguousarray(features[None])))
        (result,) = ct2.ct2.generate(
            encoded, [prefix], beam_size=1, max_length=len(prefix) + max_tokens + 8, return_logits_vocab=True,
            suppress_blank=False, suppress_tokens=[],
        )  # fmt: skip
        ct2_tokens = list(result.sequences_ids[0])
        ct2_tokens = ct2_tokens[: ct2_tokens.index(eot)] if eot in ct2_tokens else ct2_tokens
        ct2_tokens = ct2_tokens[:max_tokens]  # both stop at the same cap
        ct2_logprobs = [np.asarray(step, dtype=np.float32).reshape(-1) for step in result.logits[0]]
        with torch.no_grad():
            encoder_out = hf.model.encoder(torch.from_numpy(features[None])).last_hidden_state
            tokens = list(prefix)
            hf_tokens: list[int] = []
            for step in range(max_tokens):
                logits = hf(encoder_outputs=(encoder_out,), decoder_input_ids=torch.tensor([tokens])).logits[
                    0, -1
                ]
                logprobs = torch.log_softmax(logits.float(), -1).numpy()
                if step < len(ct2_logprobs) and hf_tokens == ct2_tokens[:step]:
                    theirs = ct2_logprobs[step]
                    if theirs.shape == logprobs.shape:
                        # CTranslate2 may return log-probs or raw logits: compare both as log-probs
                        theirs = theirs - np.logaddexp.reduce(theirs)
                        max_diff = max(max_diff, float(np.max(np.abs(theirs - logprobs))))
                        steps += 1
                token = int(np.argmax(logprobs))
                theirs_next = ct2_tokens[step] if step < len(ct2_tokens) else eot  # CTranslate2 stopped here
                if step <= len(ct2_tokens) and hf_tokens == ct2_tokens[:step] and token != theirs_next:
                    ranked = np.sort(logprobs)
                    divergences.append(
                        {"step": step, "top_two_gap": round(float(ranked[-1] - ranked[-2]), 6)}
                    )
                if token == eot:
                    break
                hf_tokens.append(token)
                tokens.append(token)
        same += hf_tokens == ct2_tokens[: len(hf_tokens)] and len(hf_tokens) == len(ct2_tokens)
        if len(examples) < 3:
            examples.append(
                {
                    "faster_whisper": ct2.tokenizer.decode(ct2_tokens),
                    "pytorch": ct2.tokenizer.decode(hf_tokens),
                }
            )
    return {
        "clips": len(clips),
        "identical_tokens": int(same),
        "max_logprob_difference": round(max_diff, 6),
        "steps_compared": steps,
        "divergences": divergences,
        "examples": examples,
    }
