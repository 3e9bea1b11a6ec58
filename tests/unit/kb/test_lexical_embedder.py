import numpy as np

from kb.embedders import LexicalEmbedder

GUIDES = [
    "해외 로밍 요금제를 신청하지 않으면 데이터 사용량만큼 종량제 요금이 부과됩니다",
    "휴대폰을 분실하면 고객센터나 앱에서 분실 신고를 하고 일시 정지를 신청하세요",
    "요금 납부일은 매월 25일이며 자동이체를 신청할 수 있습니다",
]


def test_vectors_are_normalized_deterministic_and_sized() -> None:
    embedder = LexicalEmbedder(dim=512)
    first, second = embedder.embed(GUIDES), LexicalEmbedder(dim=512).embed(GUIDES)
    assert first.shape == (3, 512) and first.dtype == np.float32
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0) and np.array_equal(first, second)
    assert embedder.name == "lexical-kiwi-hash-v1-512"


def test_shared_words_rank_the_right_guide_first() -> None:
    embedder = LexicalEmbedder()
    guides = embedder.embed(GUIDES)
    queries = [
        "일본 갔다 왔는데 로밍 요금이 너무 많이 나왔어요",
        "분실 신고는 어디서 해요",
        "자동 이체 신청하고 싶어요",
    ]
    scores = embedder.embed(queries) @ guides.T
    assert list(scores.argmax(axis=1)) == [0, 1, 2]


def test_verbs_match_across_endings_and_spacing() -> None:
    embedder = LexicalEmbedder()
    assert "m:잃어버리다" in embedder.features("잃어버렸어요")  # a verb counts as its lemma
    assert "m:신청" in embedder.features("신청했어요")  # noun + 하다: the noun carries the meaning
    a, b = embedder.embed(["자동이체 신청", "자동 이체를 신청하려고요"])
    assert float(a @ b) > 0.4  # spacing differs, word pieces still match


def test_empty_text_gives_a_zero_vector() -> None:
    assert not LexicalEmbedder().embed([""]).any()
