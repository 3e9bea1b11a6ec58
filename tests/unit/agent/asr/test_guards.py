"""Each hallucination guard, on results shaped like Whisper's."""

import numpy as np
import pytest
from tokenizers import Tokenizer

from agent.asr.engine import DecodeResult, compression_ratio
from agent.asr.guards import (
    GuardConfig,
    compression,
    known_hallucination,
    no_speech,
    rejection,
    repeated_tokens,
    repetition,
)
from server.settings import default_cache_dir
from workbench.test_models import cached_test_model


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer.from_file(str(cached_test_model(default_cache_dir()) / "tokenizer.json"))


def result(
    text: str, tokenizer: Tokenizer, *, logprob: float = -0.3, no_speech_prob: float = 0.01
) -> DecodeResult:
    tokens = tuple(tokenizer.encode(text).ids)
    return DecodeResult(text, tokens, logprob, no_speech_prob, compression_ratio(text))


GOOD = "이번 달에 해외 로밍 요금이 삼만 이천 원 청구되어 있습니다."


def test_ordinary_speech_passes_every_guard(tokenizer: Tokenizer) -> None:
    assert rejection(result(GOOD, tokenizer)) is None


def test_no_speech_needs_both_signals(tokenizer: Tokenizer) -> None:
    config = GuardConfig()
    assert no_speech(result("네", tokenizer, logprob=-1.5, no_speech_prob=0.9), config) == "no_speech"
    assert (
        no_speech(result("네", tokenizer, logprob=-0.2, no_speech_prob=0.9), config) is None
    )  # confident text
    assert no_speech(result("네", tokenizer, logprob=-1.5, no_speech_prob=0.1), config) is None


def test_repeated_token_loops(tokenizer: Tokenizer) -> None:
    config = GuardConfig()
    assert repetition(result("술 술 술 술 술 술", tokenizer), config) == "repetition"
    # 5 × in text: the first "네" tokenizes differently from " 네", leaving 4 identical repeats
    assert repetition(result("네 알겠습니다 " * 5, tokenizer), config) == "repetition"
    assert repetition(result("네 네 네", tokenizer), config) is None  # people do say this
    assert repeated_tokens([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3], 8, 4)
    assert not repeated_tokens([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2], 8, 4)


def test_compression_ratio_outliers(tokenizer: Tokenizer) -> None:
    looping = "감사합니다 " * 30
    assert compression(result(looping, tokenizer), GuardConfig()) == "compression_ratio"
    assert compression(result(GOOD, tokenizer), GuardConfig()) is None


@pytest.mark.parametrize(
    "text",
    [
        "시청해주셔서 감사합니다.",
        "시청해 주셔서 감사합니다",
        "지금까지 시청해주셔서 감사합니다!",
        "구독과 좋아요 부탁드립니다",
        "구독, 좋아요, 알림설정 부탁드립니다.",
        "MBC 뉴스 이덕영입니다.",
        "다음 영상에서 만나요",
        "한국어 자막 제공",
        "이 영상은",
        "이 영상은 영상이 더 좋습니다.",
    ],
)
def test_known_korean_sign_offs(text: str, tokenizer: Tokenizer) -> None:
    assert known_hallucination(result(text, tokenizer), GuardConfig()) == "known_hallucination"


@pytest.mark.parametrize("text", ["감사합니다", "네 좋아요", "뉴스에서 봤는데요", "다음 달에 만나요"])
def test_sign_off_words_inside_real_speech_pass(text: str, tokenizer: Tokenizer) -> None:
    assert known_hallucination(result(text, tokenizer), GuardConfig()) is None


def test_empty_text_is_rejected(tokenizer: Tokenizer) -> None:
    assert rejection(DecodeResult("  ", (), -0.1, 0.0, 0.0)) == "empty"


def test_loops_of_two_and_three_repeats(tokenizer: Tokenizer) -> None:
    config = GuardConfig()
    # seen with the real Whisper base on espeak speech: a phrase three times, under the old 4-repeat rule
    assert (
        repetition(result("요구의 약한 지하 요구의 약한 지하 요구의 약한 지하", tokenizer), config)
        == "repetition"
    )
    assert repetition(result("2, 3, 4, 3, 4, 3, 4", tokenizer), config) == "repetition"
    # a long phrase twice running
    assert (
        repetition(result("이 영상은 영상에서 만나요 이 영상은 영상에서 만나요", tokenizer), config)
        == "repetition"
    )
    # what people do say twice
    for said in ("여보세요 여보세요", "네 네 알겠습니다", "잠시만요 잠시만요 확인해 볼게요"):
        assert repetition(result(said, tokenizer), config) is None, said


def test_digits_or_symbols_alone_where_words_were_spoken(tokenizer: Tokenizer) -> None:
    def timed(text: str, seconds: float) -> DecodeResult:
        r = result(text, tokenizer)
        return DecodeResult(r.text, r.tokens, r.avg_logprob, r.no_speech_prob, r.compression_ratio, seconds)

    assert rejection(timed("30.5%", 3.2)) == "no_words"  # 삼십점오퍼센트 is 7 syllables: not 3.2 s of speech
    assert rejection(timed("...", 1.5)) == "no_words"
    assert rejection(timed("010-1234-5678", 3.0)) is None  # a number read out: 11 digits in 3 s
    assert rejection(timed("3번", 3.0)) is None  # letters: words were written


def test_guessed_text_is_rejected(tokenizer: Tokenizer) -> None:
    assert rejection(result("아", tokenizer, logprob=-2.9, no_speech_prob=0.49)) == "no_speech"
    assert rejection(result("아", tokenizer, logprob=-2.9, no_speech_prob=0.1)) == "low_confidence"
    assert rejection(result(GOOD, tokenizer, logprob=-1.9)) is None


def test_signal_guard_before_the_model() -> None:
    import numpy as np

    from agent.asr.guards import signal_rejection

    rate = 16000
    t = np.arange(2 * rate) / rate
    rng = np.random.default_rng(0)
    assert signal_rejection(np.zeros(2 * rate, np.float32)) == "silence"
    assert signal_rejection((rng.standard_normal(2 * rate) * 1e-3).astype(np.float32)) == "silence"
    assert signal_rejection((0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)) == "tone"
    dtmf = 0.2 * np.sin(2 * np.pi * 697 * t) + 0.2 * np.sin(2 * np.pi * 1209 * t)
    assert signal_rejection(dtmf.astype(np.float32)) == "tone"
    white = (rng.standard_normal(2 * rate) * 0.05).astype(np.float32)
    assert signal_rejection(white) == "unvoiced"  # no pitch anywhere: no vowel, no Korean syllable
    brown = np.cumsum(rng.standard_normal(2 * rate))
    assert signal_rejection((0.1 * brown / np.abs(brown).max()).astype(np.float32)) in ("unvoiced", "tone")
    clicks = (rng.standard_normal(2 * rate) * (rng.random(2 * rate) < 0.003) * 0.5).astype(np.float32)
    assert signal_rejection(clicks) == "unvoiced"
    assert signal_rejection(np.zeros(0, np.float32)) == "silence"


def vowel(seconds: float, pitch_hz: float = 120.0, rate: int = 16000) -> np.ndarray:
    """A vowel-like sound: every harmonic of a pitch gliding by a quarter, shaped by three formants
    (500, 1,500, 2,500 Hz), so its energy spreads as a voice's does rather than sitting in a peak."""
    t = np.arange(int(seconds * rate)) / rate
    pitch = pitch_hz * (1 + 0.25 * t / seconds)
    phase = 2 * np.pi * np.cumsum(pitch) / rate

    def envelope(freq: "np.ndarray") -> np.ndarray:
        return sum(1 / (1 + ((freq - f) / 150) ** 2) for f in (500, 1500, 2500))

    harmonics = sum(envelope(k * pitch) * np.sin(k * phase) for k in range(1, int(3500 / pitch_hz)))
    return (0.2 * harmonics / np.abs(harmonics).max()).astype(np.float32)


def test_voiced_sound_passes_the_signal_guard_even_in_noise() -> None:
    import numpy as np

    from agent.asr.guards import GuardConfig, signal_rejection, voiced_frames

    rng = np.random.default_rng(1)
    quiet = np.zeros(4000, np.float32)
    syllable = np.concatenate([quiet, vowel(0.25), quiet])  # one short "네" worth of voicing
    assert signal_rejection(syllable) is None
    noisy = syllable + (rng.standard_normal(len(syllable)) * 0.02).astype(np.float32)  # about 10 dB SNR
    assert signal_rejection(noisy) is None and voiced_frames(noisy, GuardConfig()) >= 5
    assert voiced_frames(vowel(0.25, rate=8000), GuardConfig(), sample_rate=8000) >= 5


def test_a_confident_runaway_loop_is_cut_after_its_first_copy(tokenizer: Tokenizer) -> None:
    from agent.asr.guards import repaired, runaway_loop, screen

    loop = result("네 네 네 네 네 네 네", tokenizer, logprob=-0.05)
    fixed, reason = screen(loop)
    assert (fixed.text, reason) == ("네", None) and len(fixed.tokens) < len(loop.tokens)
    cut = result("여보세요 두 여보세요 두 여보세요 두 여", tokenizer, logprob=-0.1)
    assert screen(cut)[0].text == "여보세요 두"  # the token cap cut the last copy mid-word
    doubtful = result("네 네 네 네 네 네 네", tokenizer, logprob=-0.9)
    assert screen(doubtful) == (doubtful, "repetition")  # not sure it heard anything: refused
    unheard = result("네 네 네 네 네 네 네", tokenizer, logprob=-0.05, no_speech_prob=0.5)
    assert screen(unheard)[1] is not None
    said_thrice = result("네 네 네", tokenizer)
    assert repaired(said_thrice) == said_thrice  # people say this: no loop to cut
    assert repaired(result(GOOD, tokenizer)) == result(GOOD, tokenizer)
    assert runaway_loop(["아니요", "네", "네", "네", "네"]) == 2
    assert runaway_loop(["공일공", "일일일일", "일일일일"]) is None  # two copies are a number, not a loop


def test_a_confident_text_said_again_keeps_one_copy(tokenizer: Tokenizer) -> None:
    from agent.asr.guards import said_again, screen

    twice = result("이 요금은 너무 비싼 것 같아요 이 요금은 너무 비싼 것 같아요", tokenizer, logprob=-0.2)
    fixed, reason = screen(twice)
    assert (fixed.text, reason) == ("이 요금은 너무 비싼 것 같아요", None)
    thrice = result("요금이 너무 비싸요 요금이 너무 비싸요 요금이 너무 비", tokenizer, logprob=-0.2)
    assert screen(thrice)[0].text == "요금이 너무 비싸요"  # the token cap cut the last copy
    doubtful = result("이 요금은 너무 비싼 것 같아요 이 요금은 너무 비싼 것 같아요", tokenizer, logprob=-0.9)
    assert screen(doubtful)[1] == "repetition"
    sign_off = result("이 영상은 영상에서 만나요 이 영상은 영상에서 만나요", tokenizer, logprob=-0.2)
    assert screen(sign_off)[1] is not None  # one copy of a known hallucination is still one
    assert said_again(["네", "알겠습니다", "네", "알겠습니다"]) == 2
    assert said_again(["공일공", "일이삼사", "일이삼사"]) is None  # a number read out
    assert said_again(["요금이", "많이", "나왔어요"]) is None
