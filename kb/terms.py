"""Korean text tools, owned here and used by the knowledge base, the archive and the assistant:
the one Kiwi analyzer, sentence splitting, and keyword terms (Kiwi content morphemes, verbs and
adjectives as lemmas). The keyword (BM25) index and the lexical embedder share this definition
of a "word"; the guide chunker, the summarizer and extractive answers share its sentences."""

from __future__ import annotations

import threading
from functools import cache, lru_cache
from typing import Any

_lock = threading.Lock()


@cache
def kiwi() -> Any:
    """One Kiwi analyzer per process (loading takes about a second)."""
    from kiwipiepy import Kiwi

    with _lock:
        return Kiwi()


def sentences(text: str) -> list[str]:
    """`text` split into sentences by Kiwi, trimmed, empty ones dropped."""
    return [s.text.strip() for s in kiwi().split_into_sents(text) if s.text.strip()]


# common/proper/bound nouns, numerals, verb and adjective stems, roots, adverbs, foreign words,
# numbers, Hanja
CONTENT_TAGS = ("NNG", "NNP", "NNB", "NR", "VV", "VA", "XR", "MAG", "SL", "SN", "SH")


def content_terms(text: str) -> list[str]:
    return [term for term, _, _ in term_spans(text)]


def term_spans(text: str) -> list[tuple[str, int, int]]:
    """Each content term of `text` with the character span of the word form it came from."""
    return list(_term_spans(text))


TERMS_CACHE = 4096  # texts whose terms are kept (a turn is read by retrieval, triggers and analytics)


@lru_cache(maxsize=TERMS_CACHE)
def _term_spans(text: str) -> tuple[tuple[str, int, int], ...]:
    spans = []
    for token in kiwi().tokenize(text):
        if token.tag.startswith(CONTENT_TAGS):
            term = (token.lemma if token.tag in ("VV", "VA") else token.form).lower()
            spans.append((term, token.start, token.start + token.len))
    return tuple(spans)
