"""faster-whisper (CTranslate2) loaded once, decoding many utterances in one batched call.

Every utterance in a batch gets its own prompt (the previous text of its channel). The encoder
window follows a policy (`WindowPolicy`): Whisper's native 30 s, the utterance plus a margin
(`trim`), or a fixed length; items of one batch are padded to the longest window among them.
CTranslate2 needs <|startoftranscript|> at the same position in every
item of a `generate` call, so a prompt is either exactly `prompt_tokens` tokens of previous text
or none, and a batch is decoded as at most two groups (with and without previous text).
`decode_batch` is blocking and must run in a worker thread.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import structlog

from agent.asr import faster_whisper_seam
from agent.asr.cpu import parallelism
from agent.asr.ct2_file import Ct2FileError, read_model_bin
from agent.asr.faster_whisper_seam import WhisperParts
from agent.asr.packaged import model_card
from agent.asr.scripts import foreign_script_tokens
from agent.asr.whisper_files import is_random_test_model

log = structlog.get_logger(__name__)

SAMPLE_RATE = 16_000
WINDOW_SECONDS = 30.0
REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json", "preprocessor_config.json")


MAX_FRAMES = 3000  # mel frames of Whisper's 30 s window (10 ms each)


class AsrModelError(RuntimeError):
    """The model cannot be loaded; the message says what was looked for."""


@dataclass(frozen=True)
class WindowPolicy:
    """How much audio the encoder runs over: `native` (Whisper's 30 s, what it was trained on),
    `trim` (the utterance plus `margin_s`) or `fixed` (`seconds`, or the utterance plus margin if
    longer). Written `native`, `trim` or a number of seconds (`10`)."""

    kind: str = "native"
    seconds: float = WINDOW_SECONDS
    margin_s: float = 0.5

    @classmethod
    def parse(cls, text: str, margin_s: float = 0.5) -> WindowPolicy:
        value = text.strip().lower()
        if value in ("native", "30", "30s", ""):
            return cls("native", WINDOW_SECONDS, margin_s)
        if value == "trim":
            return cls("trim", 0.0, margin_s)
        try:
            seconds = float(value.removesuffix("s"))
        except ValueError:
            raise ValueError(
                f"a window is native, trim or a number of seconds (1-30), got {text!r}"
            ) from None
        if not 1.0 <= seconds <= WINDOW_SECONDS:
            raise ValueError(f"a fixed window is 1-30 seconds, got {text!r}")
        return (
            cls("native", WINDOW_SECONDS, margin_s)
            if seconds == WINDOW_SECONDS
            else cls("fixed", seconds, margin_s)
        )

    def frames(self, audio_seconds: float) -> int:
        """Mel frames the encoder sees for an utterance of `audio_seconds` (even, at most 3000)."""
        if self.kind == "native":
            return MAX_FRAMES
        needed = audio_seconds + self.margin_s
        if self.kind == "fixed":
            needed = max(needed, self.seconds)
        frames = math.ceil(needed * 100)
        return min(MAX_FRAMES, frames + frames % 2)  # the encoder's convolution halves it

    def __str__(self) -> str:
        if self.kind == "trim":
            return f"trim (utterance + {self.margin_s:g} s)"
        if self.kind == "fixed":
            return f"fixed {self.seconds:g} s"
        return "native 30 s"


@dataclass(frozen=True)
class EngineOptions:
    device: str = "auto"
    compute_type: str = "default"
    language: str = "ko"
    beam_size: int = 1
    workers: int = 1  # model replicas decoding at once (0: automatic, see `parallelism` in agent/asr/cpu.py)
    cpu_threads: int = 0  # per worker on a CPU (0: automatic)
    max_tokens_per_second: float = 12.0
    prompt_tokens: int = 64
    korean_script_only: bool = True  # suppress tokens of scripts Korean never uses (agent/asr/scripts.py)
    final_window: WindowPolicy = WindowPolicy()
    partial_window: WindowPolicy = WindowPolicy()


@dataclass(frozen=True, eq=False)
class DecodeRequest:
    audio: np.ndarray  # float32, 16 kHz, mono, at most 30 s
    prompt: str | None = None  # text that came before (same channel)
    window: WindowPolicy = WindowPolicy()
    word_confidence: bool = False  # also compute each word's probability (finals: ~4 % more time)

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
    audio_seconds: float = 0.0  # length of the utterance decoded
    # per word of `text` (split at spaces): the lowest probability the decoder gave one of the
    # word's tokens; empty when not asked for (partials) or not available
    word_probs: tuple[float, ...] = ()


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
    def __init__(self, parts: WhisperParts, options: EngineOptions, source: str) -> None:
        self._parts = parts
        self._ct2 = parts.ct2
        self.options = options
        self.source = source
        self.max_length = parts.max_length
        self.tokenizer = parts.tokenizer
        self._prefix = parts.prefix
        self._suppress = list(parts.suppress)
        if options.korean_script_only:  # agent/asr/scripts.py
            self._suppress += foreign_script_tokens(parts.tokenizer.tokenizer, options.language)

    @classmethod
    def load(cls, spec: str, options: EngineOptions) -> WhisperEngine:
        """`spec` is a local CTranslate2 export directory, or a model id faster-whisper can download."""
        path = Path(spec).expanduser()
        looks_like_path = path.exists() or spec.startswith((".", "/", "~")) or spec.count("/") > 1
        if looks_like_path:
            if not path.is_dir():
                raise AsrModelError(f"CALLASSIST_ASR_MODEL={spec}: no such directory")
            check_model_dir(path)
            target = str(path)
        else:
            target = spec  # e.g. "large-v3-turbo" or "org/name": fetched from the hub when online
        device, compute_type = options.device, options.compute_type
        import ctranslate2

        on_cpu = device == "cpu" or (device == "auto" and ctranslate2.get_cuda_device_count() == 0)
        if compute_type == "default":  # int8 on a CPU (several times faster than float32), else the model's
            compute_type = "int8" if on_cpu else "default"
        workers, threads = parallelism(on_cpu, options.workers, options.cpu_threads)
        options = replace(options, workers=workers, cpu_threads=threads)
        try:
            parts = faster_whisper_seam.load(
                target,
                device=device,
                compute_type=compute_type,
                cpu_threads=threads,
                workers=workers,
                language=options.language,
            )
        except faster_whisper_seam.FasterWhisperSeamError as exc:
            raise AsrModelError(str(exc)) from exc
        except Exception as exc:
            where = f"directory {path}" if looks_like_path else f"model id {spec!r} (download from the hub)"
            raise AsrModelError(f"could not load Whisper from {where}: {exc}") from exc
        engine = cls(parts, options, target)
        log.info(
            "asr_model_loaded",
            model=target,
            device=parts.ct2.device,
            compute_type=parts.ct2.compute_type,
            workers=workers,
            cpu_threads=threads,
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

    @property
    def label(self) -> dict[str, str | None]:
        """Name, kind and a note for people (see Transcriber.label)."""
        path = Path(self.source)
        card = model_card(path) or {}
        name = str(card.get("name") or path.name or self.source)
        if self.random_weights:
            return {"model": name, "kind": "random", "note": "random-weight test model: its text is noise"}
        if card and not card.get("tuned"):
            note = "Whisper base, not tuned for Korean call-center speech: expect many recognition errors"
            return {"model": name, "kind": "base", "note": note}
        told = card.get("note")
        return {"model": name, "kind": "tuned" if card else "custom", "note": str(told) if told else None}

    def info(self) -> dict[str, object]:
        """What `callassist asr info` and /readyz report about the loaded model."""
        path = Path(self.source)
        return {
            "model": self.source,
            "device": self._ct2.device,
            "compute_type": self._ct2.compute_type,
            "workers": self.options.workers,
            "cpu_threads": self.options.cpu_threads,
            "multilingual": bool(self._ct2.is_multilingual),
            "random_weights": self.random_weights,
            **(ct2_model_shape(path / "model.bin") if path.is_dir() else {"parameters": None}),
            "language": self.options.language,
            "final_window": str(self.options.final_window),
            "partial_window": str(self.options.partial_window),
        }

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
        frames = max(r.window.frames(r.seconds) for r in requests)
        features = np.stack(
            [fit_frames(mel_features(self._parts.extractor, r.audio), frames) for r in requests]
        )
        encoder_output = self._parts.encode(features)
        caps = [self.token_cap(r.seconds) for r in requests]
        max_length = min(self.max_length, len(prompts[0]) + max(caps))
        with_probs = any(r.word_confidence for r in requests)
        results = self._ct2.generate(
            encoder_output,
            prompts,
            beam_size=self.options.beam_size,
            max_length=max_length,
            return_scores=True,
            return_logits_vocab=with_probs,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=self._suppress,
        )
        decoded: list[DecodeResult] = []
        for request, result, cap in zip(requests, results, caps, strict=True):
            # The batch shares one max_length; each item keeps at most what its own length allows.
            tokens = [t for t in result.sequences_ids[0][:cap] if t < self.tokenizer.eot]
            # a byte-level token sequence can stop inside a character: drop the U+FFFD it decodes to
            # (between spoken digits it would split a number the redactor must see whole)
            text = " ".join(self.tokenizer.decode(tokens).replace("\ufffd", "").split())
            # faster-whisper's recovery of the average log-probability from CTranslate2's score
            avg_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)
            probs = self._word_probs(result, tokens, text) if request.word_confidence else ()
            decoded.append(
                DecodeResult(
                    text=text,
                    tokens=tuple(tokens),
                    avg_logprob=float(avg_logprob),
                    no_speech_prob=float(result.no_speech_prob),
                    compression_ratio=compression_ratio(text),
                    audio_seconds=request.seconds,
                    word_probs=probs,
                )
            )
        return decoded

    def _word_probs(self, result: Any, tokens: list[int], text: str) -> tuple[float, ...]:
        """Each word's lowest token probability, from the log-probabilities of the steps that chose
        its tokens; () where they cannot be read or do not line up with `text`'s words."""
        try:
            steps = list(result.logits[0][: len(tokens)])
            if len(steps) != len(tokens):
                return ()
            probs = token_probabilities(steps, tokens)
        except (AttributeError, IndexError, TypeError, RuntimeError, ValueError):
            return ()  # not returned (an older CTranslate2) or not on the CPU
        return word_probabilities(self._parts, tokens, probs, text)


def token_probabilities(steps: Sequence[np.ndarray], tokens: Sequence[int]) -> list[float]:
    """The probability of each chosen token under the decoder's log-softmax at its step (the
    logits CTranslate2 returns are unnormalized; suppressed tokens are -inf). All steps at once:
    a few milliseconds for a final of a few dozen tokens."""
    if not tokens:
        return []
    logits = np.stack([np.asarray(step, dtype=np.float32).reshape(-1) for step in steps])
    top = logits.max(axis=1, keepdims=True)
    with np.errstate(invalid="ignore"):  # exp(-inf - top) is 0: a suppressed token adds nothing
        normalizer = top[:, 0] + np.log(np.exp(logits - top).sum(axis=1))
    chosen = logits[np.arange(len(tokens)), np.asarray(tokens)]
    return [float(p) for p in np.exp(np.minimum(0.0, chosen - normalizer))]


def word_probabilities(
    parts: Any, tokens: Sequence[int], probs: Sequence[float], text: str
) -> tuple[float, ...]:
    """Token probabilities gathered per word of `text`: a word starts at a token that begins with
    a space (byte-level BPE's "Ġ"), and takes the lowest probability of its tokens (one misheard
    syllable makes the word doubtful). () when the words do not line up with `text`'s."""
    groups: list[tuple[list[int], float]] = []
    for token, prob in zip(tokens, probs, strict=True):
        piece = parts.token_text(token)
        if not groups or piece.startswith("\u0120"):
            groups.append(([token], prob))
        else:
            last, low = groups[-1]
            last.append(token)
            groups[-1] = (last, min(low, prob))
    words: list[float] = []
    for group, prob in groups:
        words += [round(prob, 3)] * len(parts.tokenizer.decode(group).replace("\ufffd", "").split())
    return tuple(words) if len(words) == len(text.split()) else ()


def mel_features(extractor: Any, audio: np.ndarray) -> np.ndarray:
    """Log-mel features of `audio` alone (no 30 s padding), as faster-whisper computes them:
    (mels, frames). Training for trimmed windows uses the same function."""
    return extractor(np.asarray(audio, dtype=np.float32))[..., :-1]


def fit_frames(features: np.ndarray, frames: int) -> np.ndarray:
    """Cut or zero-pad log-mel features to `frames` (as faster-whisper pads its 30 s windows)."""
    if features.shape[-1] >= frames:
        return features[..., :frames]
    return np.pad(features, [(0, 0)] * (features.ndim - 1) + [(0, frames - features.shape[-1])])


def ct2_model_shape(model_bin: Path) -> dict[str, int | None]:
    """A CTranslate2 Whisper's `parameters` (its weights) and `encoder_layers` / `decoder_layers`
    (a distilled decoder has fewer), from its variable headers (data is skipped); None each when
    the file cannot be read."""
    try:
        _, variables, _ = read_model_bin(model_bin, with_data=False)
    except (OSError, struct.error, UnicodeDecodeError, Ct2FileError):
        return {"parameters": None, "encoder_layers": None, "decoder_layers": None}
    layers: dict[str, set[str]] = {"encoder": set(), "decoder": set()}
    for variable in variables:
        part, _, rest = variable.name.partition("/layer_")
        index = rest.split("/", 1)[0]
        if part in layers and index.isdigit():
            layers[part].add(index)
    return {
        "parameters": sum(math.prod(v.shape) for v in variables),
        **{f"{part}_layers": len(found) for part, found in layers.items()},
    }
