"""Hallucination guards: text Whisper produced that should not reach a transcript.

Each check returns the reason it rejects a result, or None. A rejected final is still stored
(its timing is real speech the VAD heard) but with empty text and the reason in `guard`.
Nothing here can create text: the recognizer only ever runs on utterances the VAD found.

Two layers, both tested with the real Whisper base on silence, noise, tones and music fed straight
to the engine (no VAD): `signal_rejection` looks at the audio before any model time is spent
(digital silence or a near-silent floor, pure or dual tones such as dial tones and DTMF, whose
energy sits in a few spectral peaks), and `rejection` at what the model wrote (no-speech, very
low confidence, loops, subtitle sign-offs, and digits or symbols alone where there was speech).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from agent.asr.engine import DecodeResult
from agent.text.korean import normalize


@dataclass(frozen=True)
class GuardConfig:
    no_speech_threshold: float = 0.6  # with a low log-prob: the model thinks nobody spoke
    logprob_threshold: float = -1.0
    compression_ratio_threshold: float = 2.4  # zlib ratio of repetitive text
    max_ngram: int = 8  # longest repeated token pattern looked for
    max_repeats: int = 4  # a one-token pattern repeated this many times in a row is a loop
    phrase_repeats: int = 3  # … and a pattern of two tokens or more, this many times
    loop_phrase_syllables: int = 8  # a phrase this long (two words or more) said twice running is a loop
    min_logprob: float = -2.3  # below this average token log-probability, the text is a guess
    min_syllables_per_second: float = 2.0  # digits/symbols alone must be read at least this fast
    silence_dbfs: float = -50.0  # audio quieter than this (RMS) holds no speech
    tone_share: float = 0.9  # energy share of the 4 strongest spectral peaks above which it is a tone


# Sign-offs Whisper learned from Korean video subtitles; they appear on silence and noise.
# Matched against normalized text with spaces removed.
KNOWN_HALLUCINATIONS = tuple(
    re.compile(p)
    for p in (
        r"^(지금까지)?(시청|청취)(해|하여)?주셔서(정말)?(대단히)?감사(합|드립)니다$",
        r"^(구독|좋아요|알림|설정|댓글|공유|과|와|및|그리고|부탁드립니다|눌러주세요|해주세요)+$",
        r"^(mbc|kbs|sbs|ytn|jtbc|tvn|obs|mbn)뉴스.*입니다$",
        r"^다음(영상|시간|주)에(서)?(또)?(만나요|뵙겠습니다|만나겠습니다)$",
        r"^(한국어)?자막(제공|제작)?(및|과)?(광고)?(by|:)?.*$",
        r"^(감사합니다)?(다음)?영상에서(만나요|뵙겠습니다)$",
        r"^이영상은.{0,16}$",  # "이 영상은…": the real base model's favourite opening on silence and hum
    )
)


def no_speech(result: DecodeResult, config: GuardConfig) -> str | None:
    if result.no_speech_prob > config.no_speech_threshold and result.avg_logprob < config.logprob_threshold:
        return "no_speech"
    return None


def compression(result: DecodeResult, config: GuardConfig) -> str | None:
    return "compression_ratio" if result.compression_ratio > config.compression_ratio_threshold else None


def repeated_tokens(tokens: Sequence[int], max_ngram: int, max_repeats: int, min_size: int = 1) -> bool:
    """True if some pattern of min_size..max_ngram tokens occurs `max_repeats` times back to back."""
    n_tokens = len(tokens)
    for size in range(min_size, max_ngram + 1):
        if size * max_repeats > n_tokens:
            break
        for start in range(n_tokens - size * max_repeats + 1):
            pattern = tokens[start : start + size]
            if all(
                tokens[start + k * size : start + (k + 1) * size] == pattern for k in range(1, max_repeats)
            ):
                return True
    return False


def repeated_phrase(text: str, min_syllables: int, times: int = 2) -> bool:
    """True if a run of two or more words comes `times` times in a row, and with `times` = 2 only
    if the run is at least `min_syllables` long without spaces (people repeat short phrases)."""
    words = normalize(text).split()
    for size in range(2, len(words) // times + 1):
        for start in range(len(words) - times * size + 1):
            phrase = words[start : start + size]
            if all(words[start + k * size : start + (k + 1) * size] == phrase for k in range(1, times)) and (
                times > 2 or len("".join(phrase)) >= min_syllables
            ):
                return True
    return False


def repetition(result: DecodeResult, config: GuardConfig) -> str | None:
    tokens = result.tokens
    if (
        repeated_tokens(tokens, config.max_ngram, config.max_repeats)
        or repeated_tokens(tokens, config.max_ngram, config.phrase_repeats, min_size=2)
        or repeated_phrase(result.text, config.loop_phrase_syllables)
        or repeated_phrase(result.text, config.loop_phrase_syllables, times=config.phrase_repeats)
    ):
        return "repetition"
    return None


def low_confidence(result: DecodeResult, config: GuardConfig) -> str | None:
    return "low_confidence" if result.avg_logprob < config.min_logprob else None


_LETTER = re.compile(r"[^\W\d_]")


def no_words(result: DecodeResult, config: GuardConfig) -> str | None:
    """Digits and symbols alone ("30.5%") where the speech was too long to be only that number:
    read aloud in Korean, the text would need at least `min_syllables_per_second`."""
    if _LETTER.search(result.text):
        return None
    spoken = normalize(result.text).replace(" ", "")  # numbers spelled out as they are read
    if not spoken:
        return "no_words"  # symbols only
    if result.audio_seconds > 1.0 and len(spoken) / result.audio_seconds < config.min_syllables_per_second:
        return "no_words"
    return None


def known_hallucination(result: DecodeResult, config: GuardConfig) -> str | None:
    compact = normalize(result.text).replace(" ", "")
    if compact and any(p.match(compact) for p in KNOWN_HALLUCINATIONS):
        return "known_hallucination"
    return None


GUARDS = (no_speech, low_confidence, repetition, compression, known_hallucination, no_words)


def rejection(result: DecodeResult, config: GuardConfig | None = None) -> str | None:
    """The first guard that rejects `result`, or None if its text may be used."""
    config = config or GuardConfig()
    if not result.text.strip():
        return "empty"
    for guard in GUARDS:
        reason = guard(result, config)
        if reason:
            return reason
    return None


def signal_rejection(
    audio: np.ndarray, config: GuardConfig | None = None, sample_rate: int = 16_000
) -> str | None:
    """Why `audio` cannot hold speech, before any model time is spent: `silence` (RMS under
    `silence_dbfs`) or `tone` (a steady tone or two, e.g. a dial tone or DTMF: almost all energy in
    a few spectral peaks; speech spreads over its moving harmonics and formants). None otherwise."""
    config = config or GuardConfig()
    samples = np.asarray(audio, dtype=np.float32).reshape(-1)
    if samples.size == 0:
        return "silence"
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    if rms <= 10 ** (config.silence_dbfs / 20):
        return "silence"
    size = 1024  # 64 ms frames, half overlapping
    if samples.size < size:
        samples = np.pad(samples, (0, size - samples.size))
    frames = np.lib.stride_tricks.sliding_window_view(samples, size)[:: size // 2]
    power = (np.abs(np.fft.rfft(frames * np.hanning(size), axis=1)) ** 2).mean(axis=0)
    total = float(power.sum())
    peaks = 0.0
    for _ in range(4):
        top = int(power.argmax())
        low, high = max(0, top - 2), top + 3
        peaks += float(power[low:high].sum())
        power[low:high] = 0.0
    return "tone" if total > 0 and peaks / total >= config.tone_share else None
