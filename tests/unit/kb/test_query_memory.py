"""Query vectors of recent texts come from memory, for every embedder: the vector the embedder
gives, kept apart by embedder name and size, never shared for writing, and bounded."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

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


class SlowEmbedder(CountingEmbedder):
    """Holds every call until `release` is set (and fails when told to)."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.release = threading.Event()
        self.fail = False

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.entered.set()
        assert self.release.wait(10)
        if self.fail:
            raise RuntimeError("engine failed")
        return super().embed(texts)


def test_a_text_being_embedded_is_waited_for_not_embedded_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "_memory", type(base._memory)())
    embedder = SlowEmbedder()
    text = "다른 통신사로 옮기고 싶어요"
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(embed_queries, embedder, [text])
        assert embedder.entered.wait(10)
        second = pool.submit(embed_queries, embedder, ["요금 문의", text, text])  # waits for `text`
        time.sleep(0.05)
        embedder.release.set()
        np.testing.assert_array_equal(second.result()[1], first.result()[0])
        np.testing.assert_array_equal(second.result()[2], first.result()[0])
    assert sorted(embedder.embedded) == sorted([text, "요금 문의"])  # each text once
    assert not base._embedding


def test_a_failed_embedding_fails_its_waiters_and_is_tried_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "_memory", type(base._memory)())
    embedder = SlowEmbedder()
    embedder.fail = True
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(embed_queries, embedder, ["해지"])
        assert embedder.entered.wait(10)
        second = pool.submit(embed_queries, embedder, ["해지"])
        time.sleep(0.05)
        embedder.release.set()
        for future in (first, second):
            with pytest.raises(RuntimeError, match="engine failed"):
                future.result()
    assert not base._embedding
    embedder.fail = False
    assert embed_queries(embedder, ["해지"]).shape == (1, embedder.dim)
