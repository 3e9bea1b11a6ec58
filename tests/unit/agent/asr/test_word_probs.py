"""Word probabilities from the decoder's per-step logits: normalized over what was not suppressed,
gathered per word at the tokens that start with a space, and cut with a repaired loop."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest

from agent.asr.engine import DecodeResult, token_probabilities, word_probabilities
from agent.asr.guards import repaired


def test_token_probability_is_the_log_softmax_over_unsuppressed_logits() -> None:
    steps = [np.array([0.0, math.log(3.0), -np.inf], np.float32), np.array([2.0, 2.0, 2.0], np.float32)]
    probs = token_probabilities(steps, [1, 0])
    assert probs == pytest.approx([0.75, 1 / 3], abs=1e-6)


@dataclass
class _Tokenizer:
    pieces: dict[int, str]

    def decode(self, tokens: list[int]) -> str:
        return "".join(self.pieces[t] for t in tokens).replace("\u0120", " ")


@dataclass
class _Parts:  # what word_probabilities reads of faster-whisper's parts
    tokenizer: _Tokenizer

    def token_text(self, token: int) -> str:
        return self.tokenizer.pieces[token]


def test_a_word_takes_its_least_sure_token_and_lines_up_with_the_text() -> None:
    tokenizer = _Parts(_Tokenizer({1: "\u0120요금", 2: "이", 3: "\u0120많이", 4: "\u0120나", 5: "왔어요"}))
    probs = word_probabilities(tokenizer, [1, 2, 3, 4, 5], [0.9, 0.4, 0.95, 0.8, 0.7], "요금이 많이 나왔어요")
    assert probs == (0.4, 0.95, 0.7)
    # words that do not line up with the text (it was changed after decoding): nothing, not a guess
    assert word_probabilities(tokenizer, [1, 2, 3], [0.9, 0.4, 0.95], "요금이 많이 나왔어요") == ()


def test_a_repaired_loop_keeps_the_probabilities_of_the_words_kept() -> None:
    text = "네 " * 6
    result = DecodeResult(
        text=text.strip(),
        tokens=(1,) * 6,
        avg_logprob=-0.1,
        no_speech_prob=0.01,
        compression_ratio=3.0,
        audio_seconds=0.6,
        word_probs=(0.9, 0.8, 0.7, 0.6, 0.5, 0.4),
    )
    fixed = repaired(result)
    assert fixed.text == "네" and fixed.word_probs == (0.9,)
