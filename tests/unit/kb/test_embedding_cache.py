"""The vector cache of configured text: a second ingest of the same text embeds nothing, a changed
text is embedded alone, another embedder, size or side (query, passage) never reads the first
one's vectors, a damaged file only costs the time, and the oldest entries go past the bound."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kb.embedders.cache import VectorCache, embed_cached
from tests.helpers.embedders import CountingEmbedder

TEXTS = [
    "로밍 요금은 하루 단위로 부과됩니다.",
    "분실 신고는 앱에서 할 수 있습니다.",
    "요금제 변경은 다음 달부터 적용됩니다.",
]


def test_a_second_ingest_embeds_only_what_changed(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path / "vectors.sqlite")
    embedder = CountingEmbedder()
    first = embed_cached(embedder, TEXTS, cache)
    assert embedder.embedded == TEXTS
    np.testing.assert_array_equal(first, embedder._inner.embed(TEXTS))

    embedder.embedded.clear()
    changed = [TEXTS[0], "요금제 변경은 이번 달부터 적용됩니다.", TEXTS[2]]
    again = embed_cached(embedder, changed, cache)
    assert embedder.embedded == [changed[1]]  # the others came from the cache
    np.testing.assert_array_equal(again, embedder._inner.embed(changed))
    assert again.dtype == np.float32 and again.shape == (3, 64)


def test_another_embedder_or_size_never_reads_these_vectors(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path / "vectors.sqlite")
    embed_cached(CountingEmbedder(), TEXTS, cache)
    other = CountingEmbedder(name="another-model")
    embed_cached(other, TEXTS, cache)
    assert other.embedded == TEXTS
    assert cache.lookup("lexical-test|passage", 32, TEXTS) == [None, None, None]  # same name, other size
    as_queries = CountingEmbedder()
    embed_cached(as_queries, TEXTS, cache, queries=True)
    assert as_queries.embedded == TEXTS  # queries are encoded apart from passages (e5's prefixes)


def test_a_damaged_file_costs_only_the_time(tmp_path: Path) -> None:
    path = tmp_path / "vectors.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    embedder = CountingEmbedder()
    vectors = embed_cached(embedder, TEXTS, VectorCache(path))
    assert embedder.embedded == TEXTS and vectors.shape == (3, 64)


def test_a_cache_that_cannot_be_made_costs_only_the_time(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache's folder should be")
    embedder = CountingEmbedder()
    vectors = embed_cached(embedder, TEXTS, VectorCache(blocker / "cache" / "vectors.sqlite"))
    assert embedder.embedded == TEXTS and vectors.shape == (3, 64)


def test_the_oldest_entries_go_past_the_bound(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path / "vectors.sqlite", max_entries=2)
    embed_cached(CountingEmbedder(), TEXTS, cache)
    found = cache.lookup("lexical-test|passage", 64, TEXTS)
    assert found[0] is None and found[1] is not None and found[2] is not None


def test_no_cache_embeds_every_time() -> None:
    embedder = CountingEmbedder()
    embed_cached(embedder, TEXTS, None)
    embed_cached(embedder, TEXTS, None)
    assert embedder.embedded == TEXTS * 2


def test_exemplars_are_embedded_once_across_starts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a server embeds at start (trigger and analytics exemplars) is read back at the next."""
    import kb.embedders.base as base
    from agent.analytics.matching import ExemplarSpace
    from agent.assist.triggers import Exemplar, SemanticTriggers, TriggerKind

    cache = VectorCache(tmp_path / "vectors.sqlite")
    exemplars = [Exemplar(text, TriggerKind.QUESTION) for text in TEXTS]
    for start in range(2):
        monkeypatch.setattr(base, "_memory", type(base._memory)())  # a new process remembers nothing
        embedder = CountingEmbedder()
        SemanticTriggers(embedder, exemplars, cache=cache).warm_up()
        ExemplarSpace(embedder, TEXTS, cache).warm_up()
        assert embedder.embedded == (TEXTS if start == 0 else [])


def test_an_evaluations_turns_come_back_as_embedded_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`callassist analytics eval` embeds a labelled set's turns through the cache: the vectors are
    those a live call gets turn by turn, and the next run embeds none of them."""
    import kb.embedders.base as base
    from agent.analytics.matching import ExemplarSpace

    cache = VectorCache(tmp_path / "vectors.sqlite")
    turns = [" 해지하고  싶어요", "요금이 너무 비싸요 "]
    for run in range(2):
        monkeypatch.setattr(base, "_memory", type(base._memory)())
        embedder = CountingEmbedder()
        space = ExemplarSpace(embedder, [])
        many = space.embed_many(turns, cache)
        assert embedder.embedded == (["해지하고 싶어요", "요금이 너무 비싸요"] if run == 0 else [])
        np.testing.assert_array_equal(many, np.stack([space.embed(t) for t in turns]))
