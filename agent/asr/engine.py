"""faster-whisper (CTranslate2) loaded once, decoding many utterances in one batched call.

Every utterance in a batch gets its own prompt (the previous text of its channel) and is padded to
the model's 30 s window. CTranslate2 needs <|startoftranscript|> at the same position in every
item of a `generate` call, so a prompt is either exactly `prompt_tokens` tokens of previous text
or none, and a batch is decoded as at most two groups (with and without previous text).
`decode_batch` is blocking and must run in a worker thread.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import structlog

from agent.asr.test_model import is_random_test_model

log = structlog.get_logger(__name__)

SAMPLE_RATE = 16_000
WINDOW_SECONDS = 30.0
REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json", "preprocessor_config.json")


class AsrModelError(RuntimeError):
    """The model cannot be loaded; the message says what was looked for."""


@dataclass(frozen=True)
class EngineOptions:
    device: str = "auto"
    compute_type: str = "default"
    language: str = "ko"
    beam_size: int = 1
    cpu_threads: int = 0
    max_tokens_per_second: float = 12.0
    prompt_tokens: int = 64


@dataclass(frozen=True, eq=False)
class DecodeRequest:
    audio: np.ndarray  # float32, 16 kHz, mono, at most 30 s
    prompt: str | None = None  # text that came before (same channel)

    @property
    def seconds(self) -> float:
        return len(self.audio) / SAMPLE_RATE


@dataclass(frozen=True)
class DecodeResult:
    text: str
    tokens: tuple[int, ...]
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float


def compression_ratio(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


def check_model_dir(path: Path) -> None:
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        raise AsrModelError(
            f"{path} is not a complete CTranslate2 Whisper export: missing {', '.join(missing)}. "
            "Export one with `ct2-transformers-converter --copy_files tokenizer.json preprocessor_config.json` "
            "(or `callassist asr make-test-model DIR` for a random-weight test model)."
        )


class WhisperEngine:
    def __init__(self, model: object, options: EngineOptions, source: str) -> None:
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        self._model = model
        self._ct2 = model.model  # type: ignore[attr-defined]
        self._features = model.feature_extractor  # type: ignore[attr-defined]
        self._pad_or_trim = pad_or_trim
        self.options = options
        self.source = source
        self.max_length: int = model.max_length  # type: ignore[attr-defined]
        self.tokenizer = Tokenizer(model.hf_tokenizer, True, task="transcribe", language=options.language)  # type: ignore[attr-defined]
        self._prefix = [*self.tokenizer.sot_sequence, self.tokenizer.no_timestamps]
        self._suppress = get_suppressed_tokens(self.tokenizer, [-1])

    @classmethod
    def load(cls, spec: str, options: EngineOptions) -> WhisperEngine:
        """`spec` is a local CTranslate2 export directory, or a model id faster-whisper can download."""
        from faster_whisper import WhisperModel

        path = Path(spec).expanduser()
        looks_like_path = path.exists() or spec.startswith((".", "/", "~")) or spec.count("/") > 1
        if looks_like_path:
            if not path.is_dir():
                raise AsrModelError(f"CALLASSIST_ASR_MODEL={spec}: no such directory")
            check_model_dir(path)
            target = str(path)
        else:
            target = spec  # e.g. "large-v3-turbo" or "org/name": fetched from the hub when online
        try:
            model = WhisperModel(
                target,
                device=options.device,
                compute_type=options.compute_type,
                cpu_threads=options.cpu_threads,
                num_workers=1,
            )
        except Exception as exc:
            where = f"directory {path}" if looks_like_path else f"model id {spec!r} (download from the hub)"
            raise AsrModelError(f"could not load Whisper from {where}: {exc}") from exc
        engine = cls(model, options, target)
        log.info(
            "asr_model_loaded",
            model=target,
            device=model.model.device,
            compute_type=options.compute_type,
            random_weights=engine.random_weights,
        )
        return engine

    @property
    def random_weights(self) -> bool:
        return is_random_test_model(Path(self.source))

    @property
    def description(self) -> str:
        note = " (RANDOM WEIGHTS: test model, its text is noise)" if self.random_weights else ""
        return f"faster-whisper {self.source} on {self._ct2.device}{note}"

    def prompt_tokens(self, previous_text: str | None) -> list[int]:
        """Exactly `prompt_tokens` of the most recent previous text, or none if there is less."""
        keep = min(self.options.prompt_tokens, self.max_length // 2 - 1)
        if previous_text and keep > 0:
            previous = self.tokenizer.encode(" " + previous_text.strip())
            if len(previous) >= keep:
                return [self.tokenizer.sot_prev, *previous[-keep:], *self._prefix]
        return list(self._prefix)

    def token_cap(self, seconds: float) -> int:
        """Most tokens decoded for `seconds` of audio."""
        return max(8, math.ceil(seconds * self.options.max_tokens_per_second))

    def decode_batch(self, requests: Sequence[DecodeRequest]) -> list[DecodeResult]:
        """Blocking: run in a worker thread."""
        prompts = [self.prompt_tokens(r.prompt) for r in requests]
        groups: dict[int, list[int]] = {}
        for index, prompt in enumerate(prompts):
            groups.setdefault(len(prompt), []).append(index)
        results: list[DecodeResult | None] = [None] * len(requests)
        for indices in groups.values():
            decoded = self._decode_group([requests[i] for i in indices], [prompts[i] for i in indices])
            for index, result in zip(indices, decoded, strict=True):
                results[index] = result
        return [r for r in results if r is not None]

    def _decode_group(
        self, requests: Sequence[DecodeRequest], prompts: list[list[int]]
    ) -> list[DecodeResult]:
        features = np.stack([self._pad_or_trim(self._features(r.audio)[..., :-1]) for r in requests])
        encoder_output = self._model.encode(features)  # type: ignore[attr-defined]
        caps = [self.token_cap(r.seconds) for r in requests]
        max_length = min(self.max_length, len(prompts[0]) + max(caps))
        results = self._ct2.generate(
            encoder_output,
            prompts,
            beam_size=self.options.beam_size,
            max_length=max_length,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=self._suppress,
        )
        decoded: list[DecodeResult] = []
        for result, cap in zip(results, caps, strict=True):
            # The batch shares one max_length; each item keeps at most what its own length allows.
            tokens = [t for t in result.sequences_ids[0][:cap] if t < self.tokenizer.eot]
            text = self.tokenizer.decode(tokens).strip()
            # faster-whisper's recovery of the average log-probability from CTranslate2's score
            avg_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)
            decoded.append(
                DecodeResult(
                    text=text,
                    tokens=tuple(tokens),
                    avg_logprob=float(avg_logprob),
                    no_speech_prob=float(result.no_speech_prob),
                    compression_ratio=compression_ratio(text),
                )
            )
        return decoded
