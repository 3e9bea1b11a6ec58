"""Extractive answers: the sentence(s) of a guide passage that best answer the customer's words.

No generation: the reply is the guide's own text, marked as extracted. Sentences are scored by
the query's content morphemes they contain (rarer query terms weigh more), with a small bonus
for sentences that state an action or a figure."""

from __future__ import annotations

import math
import re

from kb.terms import content_terms, sentences

MAX_REPLY_CHARS = 180
_ACTIONABLE = re.compile(r"(?:할 수 있|드릴 수|됩니다|하세요|신청|\d)")
_LIST_MARK = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s*")


def split_sentences(text: str) -> list[str]:
    found: list[str] = []
    for line in text.splitlines():
        line = _LIST_MARK.sub("", line).strip()
        if line:
            found += sentences(line)
    return found


def extract_answer(query: str, passage: str, max_chars: int = MAX_REPLY_CHARS) -> str:
    """The best one or two sentences of `passage` for `query`, in their original order."""
    sentences = split_sentences(passage)
    if not sentences:
        return ""
    query_terms = set(content_terms(query))
    sentence_terms = [set(content_terms(s)) for s in sentences]
    frequency = {t: sum(t in terms for terms in sentence_terms) for t in query_terms}
    scores = []
    for index, (sentence, terms) in enumerate(zip(sentences, sentence_terms, strict=True)):
        overlap = sum(1.0 + math.log(len(sentences) / frequency[t]) for t in query_terms & terms)
        bonus = 0.3 if _ACTIONABLE.search(sentence) else 0.0
        scores.append((overlap + bonus - 0.01 * index, index))
    ranked = sorted(scores, reverse=True)
    chosen = [ranked[0][1]]
    if len(ranked) > 1 and ranked[1][0] > 0.5 * ranked[0][0] > 0:
        second = ranked[1][1]
        if len(sentences[chosen[0]]) + len(sentences[second]) + 1 <= max_chars:
            chosen.append(second)
    reply = " ".join(sentences[i] for i in sorted(chosen))
    return reply if len(reply) <= max_chars else reply[: max_chars - 1].rstrip() + "…"
