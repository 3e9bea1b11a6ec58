"""Hallucination guards: text Whisper produced that should not reach a transcript.

Each check returns the reason it rejects a result, or None. A rejected final is still stored
(its timing is real speech the VAD heard) but with empty text and the reason in `guard`.
Nothing here can create text: the recognizer only ever runs on utterances the VAD found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from agent.asr.engine import DecodeResult
from agent.text.korean import normalize


@dataclass(frozen=True)
class GuardConfig:
    no_speech_threshold: float = 0.6  # with a low log-prob: the model thinks nobody spoke
    logprob_threshold: float = -1.0
    compression_ratio_threshold: float = 2.4  # zlib ratio of repetitive text
    max_ngram: int = 8  # longest repeated token pattern looked for
    max_repeats: int = 4  # a pattern repeated this many times in a row is a loop


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
    )
)


def no_speech(result: DecodeResult, config: GuardConfig) -> str | None:
    if result.no_speech_prob > config.no_speech_threshold and result.avg_logprob < config.logprob_threshold:
        return "no_speech"
    return None


def compression(result: DecodeResult, config: GuardConfig) -> str | None:
    return "compression_ratio" if result.compression_ratio > config.compression_ratio_threshold else None


def repeated_tokens(tokens: Sequence[int], max_ngram: int, max_repeats: int) -> bool:
    """True if some pattern of 1..max_ngram tokens occurs `max_repeats` times back to back."""
    n_tokens = len(tokens)
    for size in range(1, max_ngram + 1):
        if size * max_repeats > n_tokens:
            break
        for start in range(n_tokens - size * max_repeats + 1):
            pattern = tokens[start : start + size]
            if all(
                tokens[start + k * size : start + (k + 1) * size] == pattern for k in range(1, max_repeats)
            ):
                return True
    return False


def repetition(result: DecodeResult, config: GuardConfig) -> str | None:
    return "repetition" if repeated_tokens(result.tokens, config.max_ngram, config.max_repeats) else None


def known_hallucination(result: DecodeResult, config: GuardConfig) -> str | None:
    compact = normalize(result.text).replace(" ", "")
    if compact and any(p.match(compact) for p in KNOWN_HALLUCINATIONS):
        return "known_hallucination"
    return None


GUARDS = (no_speech, repetition, compression, known_hallucination)


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
