"""Keyword terms of Korean text: Kiwi content morphemes, verbs and adjectives as lemmas.

The keyword (BM25) index and the lexical embedder share this definition of a "word"."""

from __future__ import annotations

from kb.chunking import kiwi

# common/proper/bound nouns, numerals, verb and adjective stems, roots, adverbs, foreign words,
# numbers, Hanja
CONTENT_TAGS = ("NNG", "NNP", "NNB", "NR", "VV", "VA", "XR", "MAG", "SL", "SN", "SH")


def content_terms(text: str) -> list[str]:
    terms = []
    for token in kiwi().tokenize(text):
        if token.tag.startswith(CONTENT_TAGS):
            terms.append((token.lemma if token.tag in ("VV", "VA") else token.form).lower())
    return terms
