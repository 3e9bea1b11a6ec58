"""e5 query vectors come from memory for texts embedded lately, across embedders of the process:
the same vector the engine gives, never a passage's, and bounded."""

from __future__ import annotations

import numpy as np
import pytest

import kb.embedders.e5 as e5
from kb.embedders.e5 import E5Embedder


def test_a_query_embedded_again_comes_from_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(e5, "_queries", type(e5._queries)())
    first, second = E5Embedder(), E5Embedder()  # the knowledge base's and the archive's, say
    asked: list[list[str]] = []
    run = E5Embedder._run

    def counted(self: E5Embedder, texts: list[str], *, query: bool) -> np.ndarray:
        asked.append(list(texts))
        return run(self, texts, query=query)

    monkeypatch.setattr(E5Embedder, "_run", counted)
    text = "요금제를 바꾸고 싶어요"
    engine = first.embed_query([text])
    again = second.embed_query(["분실 신고는 어떻게 하나요", text])
    assert asked == [[text], ["분실 신고는 어떻게 하나요"]]  # the second time, only the new text
    np.testing.assert_array_equal(again[1], engine[0])
    again[1] += 1.0  # a caller's copy: the kept vector is unchanged
    np.testing.assert_array_equal(first.embed_query([text])[0], engine[0])
    passage = first.embed([text])  # passages are encoded differently ("passage: ") and not kept
    assert asked[-1] == [text] and not np.allclose(passage[0], engine[0])
    assert first.embed_query([]).shape == (0, first.dim)


def test_the_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(e5, "_queries", type(e5._queries)())
    monkeypatch.setattr(e5, "QUERY_CACHE", 2)
    embedder = E5Embedder()
    embedder.embed_query(["하나", "둘", "셋"])
    assert list(e5._queries) == ["둘", "셋"]
