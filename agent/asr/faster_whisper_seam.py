"""Everything callassist uses of faster-whisper, in one place.

The engine (`agent/asr/engine.py`) batches utterances itself, with windows and prompts of its own,
so it does not call `WhisperModel.transcribe`; it takes the parts faster-whisper assembles when it
loads a CTranslate2 export: the CTranslate2 model (`generate`, device, compute type), its log-mel
feature extractor, its `encode`, its Whisper tokenizer for the transcription task, the decoder's
maximum length and the non-speech tokens to suppress. Some of those are attributes faster-whisper
does not document as public. They are read here and nowhere else, each checked when a model is
loaded: an upgrade that renames one fails with `FasterWhisperSeamError` naming the installed
version and what is missing, and `tests/integration/agent/asr/test_engine.py` loads a model
through this module on every run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import numpy as np

# What is read of faster_whisper.WhisperModel after it has loaded a model.
MODEL_ATTRIBUTES = ("model", "feature_extractor", "hf_tokenizer", "max_length", "encode")
# What is read of faster_whisper.tokenizer.Tokenizer.
TOKENIZER_ATTRIBUTES = ("sot_sequence", "no_timestamps", "sot_prev", "eot", "encode", "decode", "tokenizer")


class FasterWhisperSeamError(RuntimeError):
    """The installed faster-whisper lacks something this module reads."""


@dataclass(frozen=True)
class WhisperParts:
    ct2: Any  # ctranslate2.models.Whisper: generate(), device, compute_type, is_multilingual
    extractor: Callable[[np.ndarray], np.ndarray]  # log-mel features of 16 kHz audio
    encode: Callable[[np.ndarray], Any]  # features → encoder output (CTranslate2 StorageView)
    tokenizer: Any  # faster_whisper.tokenizer.Tokenizer for `language`, task "transcribe"
    max_length: int  # decoder positions
    suppress: Sequence[int]  # non-speech tokens faster-whisper suppresses by default

    @property
    def prefix(self) -> list[int]:
        """<|startoftranscript|><|ko|><|transcribe|><|notimestamps|>"""
        return [*self.tokenizer.sot_sequence, self.tokenizer.no_timestamps]

    def token_text(self, token: int) -> str:
        """A token as the vocabulary spells it (byte-level BPE: "Ġ" for a leading space)."""
        return str(self.tokenizer.tokenizer.id_to_token(token) or "")


def installed_version() -> str:
    try:
        return metadata.version("faster-whisper")
    except metadata.PackageNotFoundError:
        return "not installed"


def _check(obj: object, names: Sequence[str], what: str) -> None:
    missing = [name for name in names if not hasattr(obj, name)]
    if missing:
        raise FasterWhisperSeamError(
            f"faster-whisper {installed_version()}: {what} has no {', '.join(missing)}; callassist reads "
            "these (agent/asr/faster_whisper_seam.py): install the version in pyproject.toml"
        )


def load(
    target: str, *, device: str, compute_type: str, cpu_threads: int, language: str, workers: int = 1
) -> WhisperParts:
    """Load a CTranslate2 Whisper export (a directory, or a hub id when online) and take its parts;
    `workers` replicas of the model decode at once when called from that many threads."""
    from faster_whisper import WhisperModel

    model = WhisperModel(
        target, device=device, compute_type=compute_type, cpu_threads=cpu_threads, num_workers=workers
    )
    return parts_of(model, language)


def parts_of(model: object, language: str) -> WhisperParts:
    from faster_whisper.tokenizer import Tokenizer
    from faster_whisper.transcribe import get_suppressed_tokens

    _check(model, MODEL_ATTRIBUTES, "WhisperModel")
    loaded: Any = model
    tokenizer = Tokenizer(loaded.hf_tokenizer, True, task="transcribe", language=language)
    _check(tokenizer, TOKENIZER_ATTRIBUTES, "Tokenizer")
    return WhisperParts(
        ct2=loaded.model,
        extractor=loaded.feature_extractor,
        encode=loaded.encode,
        tokenizer=tokenizer,
        max_length=int(loaded.max_length),
        suppress=tuple(get_suppressed_tokens(tokenizer, [-1]) or ()),
    )


def feature_extractor(num_mel_bins: int = 80) -> Callable[[np.ndarray], np.ndarray]:
    """faster-whisper's log-mel extractor alone (training computes features as the engine does)."""
    from faster_whisper.feature_extractor import FeatureExtractor

    return FeatureExtractor(feature_size=num_mel_bins)
