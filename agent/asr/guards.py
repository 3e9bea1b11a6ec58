"""Hallucination guards: text Whisper produced that should not reach a transcript.

Each check returns the reason it rejects a result, or None. A rejected final is still stored
(its timing is real speech the VAD heard) but with empty text and the reason in `guard`.
Nothing here can create text: the recognizer only ever runs on utterances the VAD found.

Two layers, both tested with the real models on silence, noise, tones and music fed straight
to the engine (no VAD), under every CPU instruction set CTranslate2 can be forced to:
`signal_rejection` looks at the audio before any model time is spent (digital silence or a
near-silent floor; pure or dual tones such as dial tones and DTMF, whose energy sits in a few
spectral peaks; and audio with no voiced frame at all: every Korean syllable has a vowel, and
noise, hiss and clicks have no pitch), and `rejection` at what the model wrote (no-speech
evidence, very low confidence, loops, subtitle sign-offs, and digits or symbols alone where there
was speech). The audio checks come first because they are plain arithmetic, the same on every
machine; the model's own evidence varies with the kernels a CPU runs (docs/speech-recognition.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from agent.asr.engine import DecodeResult, compression_ratio
from agent.text.korean import normalize


@dataclass(frozen=True)
class GuardConfig:
    # The model's no-speech evidence: rejected when its no-speech probability is above the first
    # and its average token log-probability below the second (Whisper's own rule is 0.6 and -1.0;
    # these were chosen from hundreds of noise and speech clips decoded under several CPU
    # instruction sets: docs/speech-recognition.md, `python -m tests.helpers.guard_evidence`).
    no_speech_threshold: float = 0.35
    logprob_threshold: float = -0.7
    loop_repair_logprob: float = -0.5  # a loop after confident text (above this) is cut, not rejected
    loop_repair_no_speech: float = 0.3
    compression_ratio_threshold: float = 2.4  # zlib ratio of repetitive text
    max_ngram: int = 8  # longest repeated token pattern looked for
    max_repeats: int = 4  # a one-token pattern repeated this many times in a row is a loop
    phrase_repeats: int = 3  # … and a pattern of two tokens or more, this many times
    loop_phrase_syllables: int = 8  # a phrase this long (two words or more) said twice running is a loop
    min_logprob: float = -2.3  # below this average token log-probability, the text is a guess
    min_syllables_per_second: float = 2.0  # digits/symbols alone must be read at least this fast
    silence_dbfs: float = -50.0  # audio quieter than this (RMS) holds no speech
    tone_share: float = 0.9  # energy share of the 4 strongest spectral peaks above which it is a tone
    voicing_threshold: float = 0.35  # a frame is voiced when its pitch dip (YIN's CMNDF) is below this
    min_voiced_frames: int = 2  # fewer voiced 40 ms frames than this: no vowel, so no Korean speech


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


def _fills(words: Sequence[str], start: int, size: int, min_repeats: int) -> bool:
    """Whether copies of the `size` words at `start` fill the rest of `words`, at least
    `min_repeats` of them, the last one possibly cut short by the token cap (mid-word too)."""
    unit = list(words[start : start + size])
    tail = list(words[start:])
    if len(unit) < size or len(tail) < size * min_repeats:
        return False
    copies = [tail[k : k + size] for k in range(0, len(tail), size)]
    whole, last = copies[:-1], copies[-1]
    cut = unit[: len(last)]
    return all(c == unit for c in whole) and cut[:-1] == last[:-1] and cut[-1].startswith(last[-1])


def runaway_loop(words: Sequence[str], min_repeats: int = 3, max_size: int = 4) -> int | None:
    """Where a runaway loop starts repeating: the index after the first copy of a unit of 1 to
    `max_size` words that then fills the rest of `words` (at least `min_repeats` copies in all, the
    last one possibly cut short by the token cap, mid-word too). None if the text does not end in
    such a loop. Quadratic in the words of one result, which the token cap keeps short."""
    for start in range(len(words)):
        for size in range(1, max_size + 1):
            if _fills(words, start, size, min_repeats):
                return start + size
    return None


def said_again(words: Sequence[str]) -> int | None:
    """Where the whole text starts over: it is a run of two words or more said again (twice or
    more, the last copy possibly cut), as the decoder does when a short utterance leaves it tokens
    to spare ("이미 친 회사 같은이라고 이미 친 회사 같은이라고"); the index after the first copy."""
    for size in range(2, len(words) // 2 + 1):
        if _fills(words, 0, size, 2):
            return size
    return None


def repaired(result: DecodeResult, config: GuardConfig | None = None) -> DecodeResult:
    """`result` with a runaway loop, or a whole text said again, cut after its first copy, when the
    model was sure of what it heard (no-speech probability and log-probability on the speech side):
    trimmed windows on a short utterance can make the decoder say it again until the token cap. A
    loop on doubtful text is left for `rejection` to refuse."""
    config = config or GuardConfig()
    if (
        result.no_speech_prob >= config.loop_repair_no_speech
        or result.avg_logprob <= config.loop_repair_logprob
    ):
        return result
    if not (repetition(result, config) or compression(result, config)):
        return result  # "네 네 네" said three times is no loop
    words = result.text.split()
    end = runaway_loop(words) or said_again(words)
    if end is None:
        return result
    text = " ".join(words[:end])
    kept = max(1, round(len(result.tokens) * len(text) / max(1, len(result.text.strip()))))
    return replace(
        result,
        text=text,
        tokens=result.tokens[:kept],
        compression_ratio=compression_ratio(text),
        word_probs=result.word_probs[:end],
    )


def screen(result: DecodeResult, config: GuardConfig | None = None) -> tuple[DecodeResult, str | None]:
    """What may be used of `result`: repaired, then the first guard that rejects it (or None)."""
    result = repaired(result, config)
    return result, rejection(result, config)


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
    `silence_dbfs`), `tone` (a steady tone or two, e.g. a dial tone or DTMF: almost all energy in
    a few spectral peaks; speech spreads over its moving harmonics and formants) or `unvoiced`
    (fewer than `min_voiced_frames` frames with a pitch: noise, hiss, clicks). None otherwise."""
    config = config or GuardConfig()
    samples = np.asarray(audio, dtype=np.float32).reshape(-1)
    if samples.size == 0:
        return "silence"
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    if rms <= 10 ** (config.silence_dbfs / 20):
        return "silence"
    if _is_tone(samples, config):
        return "tone"
    if voiced_frames(samples, config, sample_rate) < config.min_voiced_frames:
        return "unvoiced"
    return None


def _is_tone(samples: np.ndarray, config: GuardConfig) -> bool:
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
    return total > 0 and peaks / total >= config.tone_share


VOICING_RATE = 8_000  # pitch lives well below 4 kHz; half the samples to look at
VOICING_FRAME = 320  # 40 ms at 8 kHz, two periods of the lowest pitch looked for
VOICING_HOP = 160
PITCH_LAGS = (20, 128)  # 400 Hz down to 62.5 Hz at 8 kHz
LOUD_FRAME_DB = 35.0  # frames more than this below the loudest one are not judged


def voiced_frames(samples: np.ndarray, config: GuardConfig, sample_rate: int = 16_000) -> int:
    """How many frames of `samples` have a pitch: YIN's cumulative mean normalized difference
    (from the frame's unbiased autocorrelation) dips below `voicing_threshold` at a lag between
    2.5 and 16 ms, among frames within 35 dB of the loudest and above the silence floor. Steady
    noise of any colour stays near 1 (white) or above (brown); a vowel dips towards 0."""
    import soxr

    x = soxr.resample(samples, sample_rate, VOICING_RATE) if sample_rate != VOICING_RATE else samples
    if x.size < VOICING_FRAME:
        x = np.pad(x, (0, VOICING_FRAME - x.size))
    frames = np.lib.stride_tricks.sliding_window_view(x, VOICING_FRAME)[::VOICING_HOP].astype(np.float64)
    frames = frames - frames.mean(axis=1, keepdims=True)
    energy = np.square(frames).sum(axis=1)
    floor = VOICING_FRAME * 10 ** (config.silence_dbfs / 10)
    loud = (energy > energy.max() * 10 ** (-LOUD_FRAME_DB / 10)) & (energy > floor)
    if not loud.any():
        return 0
    frames = frames[loud]
    low, high = PITCH_LAGS
    spectrum = np.fft.rfft(frames, n=2 * VOICING_FRAME, axis=1)
    lags = np.arange(high + 1)
    autocorrelation = np.fft.irfft(np.abs(spectrum) ** 2, axis=1)[:, : high + 1]
    autocorrelation *= VOICING_FRAME / (VOICING_FRAME - lags)  # unbiased: as many products per lag
    difference = 2.0 * (autocorrelation[:, :1] - autocorrelation[:, 1:])
    running_mean = np.cumsum(difference, axis=1) / lags[1:]
    cmndf = difference / np.maximum(running_mean, 1e-12)
    return int((cmndf[:, low - 1 :].min(axis=1) < config.voicing_threshold).sum())
