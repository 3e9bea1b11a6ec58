import pytest

from kb.chunking import ChunkingConfig, KoreanChunker
from kb.documents import Document, Section
from kb.terms import kiwi

SENTENCES = [
    "로밍 요금제를 신청하지 않으시면 데이터를 쓰신 만큼 종량제로 부과됩니다.",
    "출국 전에 앱에서 로밍 요금제를 신청하세요!",
    "궁금하신 점 있으신가요?",
]


def doc(*sections: Section) -> Document:
    return Document("roaming", "해외 로밍 안내", "roaming.md", "0" * 64, sections)


def test_sentences_are_packed_within_the_budget_with_overlap() -> None:
    text = " ".join(SENTENCES * 6)
    chunks = KoreanChunker(ChunkingConfig(max_tokens=40, overlap_tokens=12)).chunk(
        doc(Section(("요금",), text))
    )
    assert len(chunks) > 3
    assert all(c.tokens <= 40 and c.heading_path == ("요금",) for c in chunks)
    assert [c.index for c in chunks] == list(range(len(chunks)))
    for previous, current in zip(chunks, chunks[1:], strict=False):
        assert any(current.text.startswith(s) for s in SENTENCES)  # chunks start on a sentence
        (tail,) = [s for s in SENTENCES if previous.text.endswith(s)]
        if len(kiwi().tokenize(tail)) <= 12:
            assert current.text.startswith(tail)  # a last sentence within the overlap is carried over
        else:
            assert not current.text.startswith(tail)


def test_chunks_never_cross_sections() -> None:
    chunks = KoreanChunker().chunk(
        doc(Section(("요금제",), SENTENCES[0]), Section(("신청 방법",), SENTENCES[1]))
    )
    assert [(c.heading_path, c.text) for c in chunks] == [
        (("요금제",), SENTENCES[0]),
        (("신청 방법",), SENTENCES[1]),
    ]
    assert chunks[1].chunk_id == "roaming#1"
    assert chunks[1].context_text == "해외 로밍 안내 > 신청 방법\n" + SENTENCES[1]


def test_a_sentence_longer_than_the_budget_is_split_at_morphemes() -> None:
    long_sentence = "요금 " * 60 + "입니다."
    chunks = KoreanChunker(ChunkingConfig(max_tokens=16, overlap_tokens=0)).chunk(
        doc(Section((), long_sentence))
    )
    assert len(chunks) > 3 and all(c.tokens <= 16 for c in chunks)
    assert "".join(c.text.replace(" ", "") for c in chunks) == long_sentence.replace(" ", "")


def test_token_counts_are_kiwi_morphemes() -> None:
    (chunk,) = KoreanChunker().chunk(doc(Section((), SENTENCES[1])))
    assert chunk.tokens == len(kiwi().tokenize(SENTENCES[1]))


def test_config_validation() -> None:
    with pytest.raises(ValueError):
        ChunkingConfig(max_tokens=4)
    with pytest.raises(ValueError):
        ChunkingConfig(max_tokens=40, overlap_tokens=30)
