"""Korean-aware chunking: by section (heading), then Kiwi's sentences, packed to a token budget.

Tokens are Kiwi morphemes, the unit the keyword index counts too. A chunk never crosses a
section, so its heading path is exact. Consecutive chunks of a section share `overlap_tokens`
worth of whole sentences. A sentence longer than the budget is split at morpheme boundaries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kb.documents import Document
from kb.terms import kiwi


@dataclass(frozen=True)
class ChunkingConfig:
    max_tokens: int = 160
    overlap_tokens: int = 24

    def __post_init__(self) -> None:
        if self.max_tokens < 8 or not 0 <= self.overlap_tokens < self.max_tokens // 2:
            raise ValueError("need max_tokens >= 8 and 0 <= overlap_tokens < max_tokens / 2")


@dataclass(frozen=True)
class Chunk:
    doc_id: str
    index: int  # position in the document
    title: str
    heading_path: tuple[str, ...]
    text: str
    tokens: int

    @property
    def chunk_id(self) -> str:
        return f"{self.doc_id}#{self.index}"

    @property
    def context_text(self) -> str:
        """What retrieval sees: the title and headings give a short chunk its subject."""
        return " > ".join((self.title, *self.heading_path)) + "\n" + self.text


@dataclass(frozen=True)
class _Sentence:
    text: str
    tokens: int
    # (start, end) character offsets of each morpheme, for splitting over-long sentences
    spans: tuple[tuple[int, int], ...]


class KoreanChunker:
    def __init__(self, config: ChunkingConfig | None = None) -> None:
        self.config = config or ChunkingConfig()

    def chunk(self, document: Document) -> list[Chunk]:
        chunks: list[Chunk] = []
        for section in document.sections:
            for text, tokens in self._pack(self._sentences(section.text)):
                chunks.append(
                    Chunk(document.doc_id, len(chunks), document.title, section.heading_path, text, tokens)
                )
        return chunks

    def _sentences(self, text: str) -> list[_Sentence]:
        out: list[_Sentence] = []
        for paragraph in (p.strip() for p in text.split("\n")):
            if not paragraph:
                continue
            for sentence in kiwi().split_into_sents(paragraph, return_tokens=True):
                spans = tuple(
                    (t.start - sentence.start, t.start - sentence.start + t.len) for t in sentence.tokens
                )
                out.append(_Sentence(sentence.text.strip(), max(1, len(spans)), spans))
        return out

    def _pack(self, sentences: Iterable[_Sentence]) -> Iterable[tuple[str, int]]:
        budget, overlap = self.config.max_tokens, self.config.overlap_tokens
        current: list[_Sentence] = []
        size = 0
        for sentence in (piece for s in sentences for piece in self._fit(s)):
            if current and size + sentence.tokens > budget:
                yield " ".join(s.text for s in current), size
                # carry whole sentences from the end, up to the overlap budget
                carried: list[_Sentence] = []
                for previous in reversed(current):
                    if sum(s.tokens for s in carried) + previous.tokens > overlap:
                        break
                    carried.insert(0, previous)
                current, size = carried, sum(s.tokens for s in carried)
            current.append(sentence)
            size += sentence.tokens
        if current:
            yield " ".join(s.text for s in current), size

    def _fit(self, sentence: _Sentence) -> list[_Sentence]:
        budget = self.config.max_tokens
        if sentence.tokens <= budget:
            return [sentence]
        pieces = []
        for first in range(0, len(sentence.spans), budget):
            spans = sentence.spans[first : first + budget]
            text = sentence.text[spans[0][0] : spans[-1][1]].strip()
            pieces.append(_Sentence(text, len(spans), ()))
        return pieces
