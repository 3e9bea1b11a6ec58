"""Keyword terms of Korean text: Kiwi content morphemes, verbs and adjectives as lemmas.

The keyword (BM25) index and the lexical embedder share this definition of a "word"."""

from __future__ import annotations

from kb.chunking import kiwi

# common/proper/bound nouns, numerals, verb and adjective stems, roots, adverbs, foreign words,
# numbers, Hanja
CONTENT_TAGS = ("NNG", "NNP", "NNB", "NR", "VV", "VA", "XR", "MAG", "SL", "SN", "SH")


def content_terms(text: str) -> list[str]:
    return [term for term, _, _ in term_spans(text)]


def term_spans(text: str) -> list[tuple[str, int, int]]:
    """Each content term of `text` with the character span of the word form it came from."""
    spans = []
    for token in kiwi().tokenize(text):
        if token.tag.startswith(CONTENT_TAGS):
            term = (token.lemma if token.tag in ("VV", "VA") else token.form).lower()
            spans.append((term, token.start, token.start + token.len))
    return spans
