"""Whisper models for training: built from dimensions (from scratch) or loaded from a directory,
saved with everything faster-whisper and the CTranslate2 converter need (tokenizer.json,
preprocessor_config.json, generation_config.json). The tokenizer is Whisper's multilingual one,
built offline from `multilingual.tiktoken`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from agent.asr.whisper_files import (
    BASE_VOCAB,
    build_tokenizer_json,
    generation_config,
    preprocessor_config,
    special_tokens,
)


@dataclass(frozen=True)
class ModelDims:
    d_model: int = 128
    encoder_layers: int = 2
    decoder_layers: int = 2
    attention_heads: int = 4
    ffn_dim: int = 512
    num_mel_bins: int = 80
    num_languages: int = 99
    window_s: int = 30  # audio per encoder pass (Whisper: 30 s); shorter trains faster on a CPU


def new_model(dims: ModelDims, seed: int = 0) -> Any:
    import torch
    from transformers import WhisperConfig, WhisperForConditionalGeneration

    generation = generation_config(dims.num_languages, dims.decoder_layers, dims.attention_heads)
    config = WhisperConfig(
        vocab_size=BASE_VOCAB + len(special_tokens(dims.num_languages)), num_mel_bins=dims.num_mel_bins,
        d_model=dims.d_model, encoder_layers=dims.encoder_layers, decoder_layers=dims.decoder_layers,
        encoder_attention_heads=dims.attention_heads, decoder_attention_heads=dims.attention_heads,
        encoder_ffn_dim=dims.ffn_dim, decoder_ffn_dim=dims.ffn_dim, max_source_positions=dims.window_s * 50, max_target_positions=448,
        decoder_start_token_id=generation["decoder_start_token_id"], bos_token_id=generation["bos_token_id"],
        eos_token_id=generation["eos_token_id"], pad_token_id=generation["pad_token_id"],
    )  # fmt: skip
    torch.manual_seed(seed)
    return WhisperForConditionalGeneration(config)


def load_model(path: Path) -> Any:
    from transformers import WhisperForConditionalGeneration

    return WhisperForConditionalGeneration.from_pretrained(str(path))


def save_model(model: Any, out: Path) -> Path:
    """The model and its assets in `out` (a Hugging Face directory the CT2 converter reads)."""
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    config = model.config
    languages = config.vocab_size - BASE_VOCAB - (len(special_tokens(0)))
    (out / "generation_config.json").write_text(
        json.dumps(generation_config(languages, config.decoder_layers, config.decoder_attention_heads))
    )
    if not (out / "tokenizer.json").is_file():
        build_tokenizer_json(languages, out / "tokenizer.json")
    window = config.max_source_positions // 50
    (out / "preprocessor_config.json").write_text(
        json.dumps(preprocessor_config(config.num_mel_bins, window))
    )
    return out


def dims_of(model: Any) -> dict[str, int]:
    c = model.config
    return {"d_model": c.d_model, "encoder_layers": c.encoder_layers, "decoder_layers": c.decoder_layers,
            "attention_heads": c.encoder_attention_heads, "ffn_dim": c.encoder_ffn_dim, "num_mel_bins": c.num_mel_bins,
            "window_s": c.max_source_positions // 50}  # fmt: skip


class Codec:
    """Text ↔ token ids (with Whisper's Korean transcription prefix) and audio → log-mel features."""

    def __init__(
        self, num_languages: int = 99, num_mel_bins: int = 80, cache: Path | None = None, window_s: int = 30
    ) -> None:
        from tokenizers import Tokenizer
        from transformers import WhisperFeatureExtractor

        path = (
            cache or Path.home() / ".cache" / "callassist" / "models"
        ) / f"whisper-tokenizer-l{num_languages}.json"
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            build_tokenizer_json(num_languages, path)
        self.tokenizer = Tokenizer.from_file(str(path))
        self.features = WhisperFeatureExtractor(feature_size=num_mel_bins, chunk_length=window_s)
        self.num_mel_bins, self.window_s = num_mel_bins, window_s
        ids = {t: BASE_VOCAB + i for i, t in enumerate(special_tokens(num_languages))}
        self.sot, self.eot = ids["<|startoftranscript|>"], ids["<|endoftext|>"]
        self.prefix = [self.sot, ids["<|ko|>"], ids["<|transcribe|>"], ids["<|notimestamps|>"]]
        self.first_special = BASE_VOCAB

    def labels(self, text: str) -> list[int]:
        """What the decoder learns to produce after <|startoftranscript|>."""
        return [*self.prefix[1:], *self.tokenizer.encode(" " + text, add_special_tokens=False).ids, self.eot]

    def text(self, ids: list[int]) -> str:
        return self.tokenizer.decode([i for i in ids if i < self.first_special]).strip()

    def mel(self, audio: np.ndarray) -> np.ndarray:
        return (
            self.features(audio, sampling_rate=16000, return_tensors="np")
            .input_features[0]
            .astype(np.float16)
        )


def trimmed_windows(model: Any) -> Any:
    """Let the encoder run over fewer than 3000 mel frames (any even number up to its window), as
    the server's `trim` window policy does: the pretrained positional table is kept and only its
    first positions are used. Patches `model`'s encoder in place (idempotent) and returns `model`."""
    import types

    import torch
    from torch import nn
    from transformers.modeling_outputs import BaseModelOutput

    encoder = model.get_encoder()
    if getattr(encoder, "_callassist_trimmed", False):
        return model

    def forward(self: Any, input_features: Any, attention_mask: Any = None, **kwargs: Any) -> Any:
        frames = input_features.shape[-1]
        limit = self.embed_positions.num_embeddings * self.conv1.stride[0] * self.conv2.stride[0]
        if frames > limit or frames % 2:
            raise ValueError(f"a trimmed window has an even number of frames up to {limit}, got {frames}")
        hidden = nn.functional.gelu(self.conv1(input_features))
        hidden = nn.functional.gelu(self.conv2(hidden)).permute(0, 2, 1)
        positions = torch.arange(hidden.shape[1], device=hidden.device)
        hidden = nn.functional.dropout(
            hidden + self.embed_positions(positions), p=self.dropout, training=self.training
        )
        for layer in self.layers:
            if self.training and self.layerdrop > 0.0 and torch.rand([]) < self.layerdrop:
                continue
            hidden = layer(hidden, None)
            hidden = hidden[0] if isinstance(hidden, tuple) else hidden
        return BaseModelOutput(last_hidden_state=self.layer_norm(hidden))

    encoder.forward = types.MethodType(forward, encoder)
    encoder._callassist_trimmed = True
    return model


def engine_mel(audio: np.ndarray, num_mel_bins: int = 80) -> np.ndarray:
    """Log-mel features computed exactly as the server's engine computes them (faster-whisper's
    extractor over the audio alone, no 30 s padding): (mels, frames) float16."""
    from agent.asr.engine import mel_features
    from agent.asr.faster_whisper_seam import feature_extractor

    return mel_features(feature_extractor(num_mel_bins), audio).astype(np.float16)
