"""The passage-vector cache: a second ingest of the same text embeds nothing, a changed text is
embedded alone, another embedder or size never reads the first one's vectors, a damaged file only
costs the time, and the oldest entries go past the bound."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kb.vector_cache import PassageVectorCache, embed_passages
from tests.helpers.embedders import CountingEmbedder

TEXTS = [
    "로밍 요금은 하루 단위로 부과됩니다.",
    "분실 신고는 앱에서 할 수 있습니다.",
    "요금제 변경은 다음 달부터 적용됩니다.",
]


def test_a_second_ingest_embeds_only_what_changed(tmp_path: Path) -> None:
    cache = PassageVectorCache(tmp_path / "kb-vectors.sqlite")
    embedder = CountingEmbedder()
    first = embed_passages(embedder, TEXTS, cache)
    assert embedder.embedded == TEXTS
    np.testing.assert_array_equal(first, embedder._inner.embed(TEXTS))

    embedder.embedded.clear()
    changed = [TEXTS[0], "요금제 변경은 이번 달부터 적용됩니다.", TEXTS[2]]
    again = embed_passages(embedder, changed, cache)
    assert embedder.embedded == [changed[1]]  # the others came from the cache
    np.testing.assert_array_equal(again, embedder._inner.embed(changed))
    assert again.dtype == np.float32 and again.shape == (3, 64)


def test_another_embedder_or_size_never_reads_these_vectors(tmp_path: Path) -> None:
    cache = PassageVectorCache(tmp_path / "kb-vectors.sqlite")
    embed_passages(CountingEmbedder(), TEXTS, cache)
    other = CountingEmbedder(name="another-model")
    embed_passages(other, TEXTS, cache)
    assert other.embedded == TEXTS
    assert cache.lookup("lexical-test", 32, TEXTS) == [None, None, None]  # same name, other size


def test_a_damaged_file_costs_only_the_time(tmp_path: Path) -> None:
    path = tmp_path / "kb-vectors.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    embedder = CountingEmbedder()
    vectors = embed_passages(embedder, TEXTS, PassageVectorCache(path))
    assert embedder.embedded == TEXTS and vectors.shape == (3, 64)


def test_the_oldest_entries_go_past_the_bound(tmp_path: Path) -> None:
    cache = PassageVectorCache(tmp_path / "kb-vectors.sqlite", max_entries=2)
    embed_passages(CountingEmbedder(), TEXTS, cache)
    found = cache.lookup("lexical-test", 64, TEXTS)
    assert found[0] is None and found[1] is not None and found[2] is not None


def test_no_cache_embeds_every_time() -> None:
    embedder = CountingEmbedder()
    embed_passages(embedder, TEXTS, None)
    embed_passages(embedder, TEXTS, None)
    assert embedder.embedded == TEXTS * 2
