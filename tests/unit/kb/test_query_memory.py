"""Query vectors of recent texts come from memory, for every embedder: the vector the embedder
gives, kept apart by embedder name and size, never shared for writing, and bounded."""

from __future__ import annotations

import numpy as np
import pytest

import kb.embedders.base as base
from kb.embedders.base import embed_queries
from tests.helpers.embedders import CountingEmbedder


def test_a_query_embedded_again_comes_from_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "_memory", type(base._memory)())
    first, second = CountingEmbedder(), CountingEmbedder()  # two instances of one model
    text = "요금제를 바꾸고 싶어요"
    engine = embed_queries(first, [text])
    again = embed_queries(second, ["분실 신고는 어떻게 하나요", text])
    assert first.embedded == [text] and second.embedded == ["분실 신고는 어떻게 하나요"]
    np.testing.assert_array_equal(again[1], engine[0])
    again[1] += 1.0  # a caller's copy: the kept vector is unchanged
    np.testing.assert_array_equal(embed_queries(first, [text])[0], engine[0])
    other = CountingEmbedder(name="another-model")
    embed_queries(other, [text])
    assert other.embedded == [text]  # another model's vectors are its own
    assert embed_queries(first, []).shape[0] == 0


def test_the_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "_memory", type(base._memory)())
    monkeypatch.setattr(base, "QUERY_MEMORY", 2)
    embed_queries(CountingEmbedder(), ["하나", "둘", "셋"])
    assert [text for _, _, text in base._memory] == ["둘", "셋"]
