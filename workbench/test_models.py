"""Random-weight Whisper models with the real multilingual tokenizer, built offline.

For tests and speed benchmarks only: the weights are random, so the text they produce is noise.
The tokenizer is Whisper's own (byte-level BPE over `multilingual.tiktoken`, shipped in the
`openai-whisper` package, with the special tokens appended in Whisper's order), so token ids,
prompts and language/task tokens behave exactly as with a trained model. The result is a
CTranslate2 export that faster-whisper loads from a directory without any network access.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from agent.asr.whisper_files import (
    BASE_VOCAB,
    TEST_MODEL_MARKER,
    build_tokenizer_json,
    generation_config,
    preprocessor_config,
    special_tokens,
)


@dataclass(frozen=True)
class TestModelSpec:
    d_model: int = 64
    encoder_layers: int = 2
    decoder_layers: int = 2
    attention_heads: int = 4
    ffn_dim: int = 256
    num_mel_bins: int = 80
    num_languages: int = 99
    quantization: str = "int8"
    seed: int = 0

    @property
    def name(self) -> str:
        s = self
        return (
            f"whisper-random-d{s.d_model}-e{s.encoder_layers}-d{s.decoder_layers}-m{s.num_mel_bins}"
            f"-l{s.num_languages}-{s.quantization}-s{s.seed}"
        )


TINY = TestModelSpec()
# whisper-tiny's shape (d_model 384, 4 + 4 layers): the smallest real Whisper, for CPU speed figures.
WHISPER_TINY = TestModelSpec(d_model=384, encoder_layers=4, decoder_layers=4, attention_heads=6, ffn_dim=1536)
# large-v3-turbo's shape: 32 encoder layers, 4 decoder layers, d_model 1280, 128 mel bins.
TURBO = TestModelSpec(
    d_model=1280, encoder_layers=32, decoder_layers=4, attention_heads=20, ffn_dim=5120,
    num_mel_bins=128, num_languages=100, quantization="float16",
)  # fmt: skip


def build_test_model(out_dir: Path, spec: TestModelSpec = TINY) -> Path:
    """Write a CTranslate2 Whisper export of `spec` into `out_dir` (replaced if present)."""
    import ctranslate2
    import torch
    from transformers import WhisperConfig, WhisperForConditionalGeneration

    out_dir = Path(out_dir)
    vocab_size = BASE_VOCAB + len(special_tokens(spec.num_languages))
    generation = generation_config(spec.num_languages, spec.decoder_layers, spec.attention_heads)
    with tempfile.TemporaryDirectory(prefix="callassist-whisper-") as tmp:
        hf_dir = Path(tmp) / "hf"
        config = WhisperConfig(
            vocab_size=vocab_size,
            num_mel_bins=spec.num_mel_bins,
            d_model=spec.d_model,
            encoder_layers=spec.encoder_layers,
            decoder_layers=spec.decoder_layers,
            encoder_attention_heads=spec.attention_heads,
            decoder_attention_heads=spec.attention_heads,
            encoder_ffn_dim=spec.ffn_dim,
            decoder_ffn_dim=spec.ffn_dim,
            max_source_positions=1500,
            max_target_positions=448,
            decoder_start_token_id=generation["decoder_start_token_id"],
            bos_token_id=generation["bos_token_id"],
            eos_token_id=generation["eos_token_id"],
            pad_token_id=generation["pad_token_id"],
        )
        torch.manual_seed(spec.seed)
        WhisperForConditionalGeneration(config).save_pretrained(hf_dir)
        (hf_dir / "generation_config.json").write_text(json.dumps(generation))
        build_tokenizer_json(spec.num_languages, hf_dir / "tokenizer.json")
        (hf_dir / "preprocessor_config.json").write_text(json.dumps(preprocessor_config(spec.num_mel_bins)))
        staging = out_dir.with_name(
            f"{out_dir.name}.partial-{os.getpid()}"
        )  # parallel test workers race here
        shutil.rmtree(staging, ignore_errors=True)
        ctranslate2.converters.TransformersConverter(
            str(hf_dir), copy_files=["tokenizer.json", "preprocessor_config.json"]
        ).convert(str(staging), quantization=spec.quantization, force=True)
        (staging / TEST_MODEL_MARKER).write_text(
            json.dumps({"random_weights": True, "spec": asdict(spec)}, indent=1)
        )
        if (out_dir / "model.bin").is_file() and (out_dir / TEST_MODEL_MARKER).is_file():
            shutil.rmtree(staging, ignore_errors=True)  # another process finished the same build first
            return out_dir
        shutil.rmtree(out_dir, ignore_errors=True)
        try:
            staging.rename(out_dir)
        except OSError:  # lost the race to a rename in the meantime
            shutil.rmtree(staging, ignore_errors=True)
            if not (out_dir / "model.bin").is_file():
                raise
    return out_dir


def cached_test_model(cache_dir: Path, spec: TestModelSpec = TINY) -> Path:
    """The test model for `spec` under `cache_dir/models`, built on first use."""
    path = Path(cache_dir) / "models" / spec.name
    if not (path / "model.bin").is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        build_test_model(path, spec)
    return path
