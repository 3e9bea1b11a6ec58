"""The files of a Whisper export that are not weights, made offline: Whisper's multilingual
tokenizer (byte-level BPE over `multilingual.tiktoken`, shipped in the `openai-whisper` package, with
the special tokens appended in Whisper's order), its generation and preprocessor configurations,
and the marker a random-weight test model carries. Used where a model is assembled (the packaged
base, the tuning toolkit, the test-model builder) and by the engine to tell a test model apart.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

# Whisper's pre-tokenization pattern (GPT-2's).
WHISPER_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
# Language codes in Whisper's token order; large-v3 added "yue" as the 100th.
LANGUAGES = [
    "en",
    "zh",
    "de",
    "es",
    "ru",
    "ko",
    "fr",
    "ja",
    "pt",
    "tr",
    "pl",
    "ca",
    "nl",
    "ar",
    "sv",
    "it",
    "id",
    "hi",
    "fi",
    "vi",
    "he",
    "uk",
    "el",
    "ms",
    "cs",
    "ro",
    "da",
    "hu",
    "ta",
    "no",
    "th",
    "ur",
    "hr",
    "bg",
    "lt",
    "la",
    "mi",
    "ml",
    "cy",
    "sk",
    "te",
    "fa",
    "lv",
    "bn",
    "sr",
    "az",
    "sl",
    "kn",
    "et",
    "mk",
    "br",
    "eu",
    "is",
    "hy",
    "ne",
    "mn",
    "bs",
    "kk",
    "sq",
    "sw",
    "gl",
    "mr",
    "pa",
    "si",
    "km",
    "sn",
    "yo",
    "so",
    "af",
    "oc",
    "ka",
    "be",
    "tg",
    "sd",
    "gu",
    "am",
    "yi",
    "lo",
    "uz",
    "fo",
    "ht",
    "ps",
    "tk",
    "nn",
    "mt",
    "sa",
    "lb",
    "my",
    "bo",
    "tl",
    "mg",
    "as",
    "tt",
    "haw",
    "ln",
    "ha",
    "ba",
    "jw",
    "su",
    "yue",
]
BASE_VOCAB = 50257  # byte-level BPE ranks in multilingual.tiktoken


def special_tokens(num_languages: int) -> list[str]:
    return [
        "<|endoftext|>",
        "<|startoftranscript|>",
        *[f"<|{code}|>" for code in LANGUAGES[:num_languages]],
        "<|translate|>",
        "<|transcribe|>",
        "<|startoflm|>",
        "<|startofprev|>",
        "<|nospeech|>",
        "<|notimestamps|>",
        *[f"<|{i * 0.02:.2f}|>" for i in range(1501)],
    ]


def tiktoken_ranks_path() -> Path:
    spec = importlib.util.find_spec("whisper")  # located, not imported (its import pulls in much more)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "Whisper's tokenizer ranks come from the openai-whisper package: pip install --no-deps openai-whisper"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "assets" / "multilingual.tiktoken"


def build_tokenizer_json(num_languages: int, out: Path) -> None:
    from tokenizers import AddedToken
    from transformers.convert_slow_tokenizer import TikTokenConverter

    tokenizer = TikTokenConverter(vocab_file=str(tiktoken_ranks_path()), pattern=WHISPER_PATTERN).converted()
    tokenizer.add_special_tokens(
        [AddedToken(t, special=True, normalized=False) for t in special_tokens(num_languages)]
    )
    tokenizer.save(str(out))


def generation_config(num_languages: int, decoder_layers: int, heads: int) -> dict[str, Any]:
    specials = special_tokens(num_languages)
    ids = {token: BASE_VOCAB + i for i, token in enumerate(specials)}
    return {
        "decoder_start_token_id": ids["<|startoftranscript|>"],
        "bos_token_id": ids["<|endoftext|>"],
        "eos_token_id": ids["<|endoftext|>"],
        "pad_token_id": ids["<|endoftext|>"],
        "is_multilingual": True,
        "lang_to_id": {f"<|{code}|>": ids[f"<|{code}|>"] for code in LANGUAGES[:num_languages]},
        "task_to_id": {"translate": ids["<|translate|>"], "transcribe": ids["<|transcribe|>"]},
        "no_timestamps_token_id": ids["<|notimestamps|>"],
        "suppress_tokens": [],
        "begin_suppress_tokens": [220, ids["<|endoftext|>"]],
        "alignment_heads": [
            [layer, head] for layer in range(decoder_layers // 2, decoder_layers) for head in range(heads)
        ],
        "max_length": 448,
    }


def preprocessor_config(num_mel_bins: int, chunk_length: int = 30) -> dict[str, object]:
    return {
        "feature_extractor_type": "WhisperFeatureExtractor",
        "processor_class": "WhisperProcessor",
        "feature_size": num_mel_bins,
        "sampling_rate": 16000,
        "hop_length": 160,
        "chunk_length": chunk_length,
        "n_fft": 400,
        "n_samples": chunk_length * 16000,
        "nb_max_frames": chunk_length * 100,
        "padding_side": "right",
        "padding_value": 0.0,
        "return_attention_mask": False,
    }


TEST_MODEL_MARKER = "callassist_test_model.json"  # written beside a random-weight model's weights


def is_random_test_model(model_dir: Path) -> bool:
    return (Path(model_dir) / TEST_MODEL_MARKER).is_file()
