"""Finding a configured thing in one turn's text: phrases with spaces ignored (and, for phrases of
five letters or more, by how they sound, so a recognizer's misspelling still matches; for nine
letters or more, a sound one letter off), RE2 patterns, semantic exemplars compared in the
embedder's space, and last the turn model's head of the same name (agent/analytics/turn_model.py).

Every check is linear in the turn's length for a given file: phrases are substring tests on the
text without spaces, sounds are compared from each word's start (a near sound: a bounded edit
distance over three window lengths there), patterns run on RE2 (no backtracking), exemplars and the
model's head cost one dot product each.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from rapidfuzz.distance import Levenshtein

from agent.analytics.config import Matcher, compile_pattern
from agent.analytics.turn_model import Head, TurnModel
from kb.embedders.base import embed_queries
from kb.embedders.cache import VectorCache, embed_cached
from kb.sound import letters

_COARSE = str.maketrans(
    {
        "ㄲ": "ㄱ", "ㅋ": "ㄱ", "ㄸ": "ㄷ", "ㅌ": "ㄷ", "ㅃ": "ㅂ", "ㅍ": "ㅂ", "ㅆ": "ㅅ", "ㅉ": "ㅈ", "ㅊ": "ㅈ",
        "ㅐ": "ㅔ", "ㅒ": "ㅖ", "ㅙ": "ㅞ", "ㅚ": "ㅞ",
        "ㄳ": "ㄱ", "ㄺ": "ㄱ", "ㄵ": "ㄴ", "ㄶ": "ㄴ", "ㄻ": "ㅁ", "ㄼ": "ㄹ", "ㄽ": "ㄹ", "ㄾ": "ㄹ", "ㅀ": "ㄹ",
        "ㄿ": "ㅂ", "ㅄ": "ㅂ",
    }
)  # fmt: skip
SHORT_PHRASE_CHARS = 2  # phrases this short match within a word, not across the space between two
SOUND_MIN_LETTERS = 5  # shorter phrases are matched by spelling only (their sound is too common)
# Phrases whose sound has this many letters (about three syllables) also match a sound one letter
# off, from a word's start: the recognizer's commonest slip on a long word (내용증명 → 내용증면).
NEAR_SOUND_MIN_LETTERS = 9
# Interjections a recognizer joins to the word after them (아 지랄 → 아칠알): a phrase's sound may
# also start right after one of these at a word's start.
JOINED_INTERJECTIONS = frozenset("아어야에")


def sound(text: str) -> str:
    """How `text` sounds, coarsely: its letters (kb/sound.py: silent ㅇ dropped, so 질알 is 지랄),
    tense and aspirated consonants as plain ones (딱 치고 is 닥치고), ㅐ as ㅔ, and a consonant
    said twice in a row as one (a final before the same initial is one long sound: 윗사람 is said
    위싸람 and heard as 위사람). What a recognizer's misspelling of a word still shares with it."""
    coarse = letters(text).translate(_COARSE)
    return "".join(
        letter
        for i, letter in enumerate(coarse)
        if not (i and letter == coarse[i - 1] and "ㄱ" <= letter <= "ㅎ")
    )


class Sounded:
    """A text's sound, with where its words start: a phrase's sound must start where a word does
    (말고 빨리 does not hold 고발)."""

    def __init__(self, text: str) -> None:
        words = text.split()
        parts = [sound(word) for word in words]
        self.text = "".join(parts)
        self.starts: set[int] = set()
        self.ends: list[int] = []
        offset = 0
        for word, part in zip(words, parts, strict=True):
            self.starts.add(offset)
            if len(word) >= 3 and word[0] in JOINED_INTERJECTIONS:  # 아 씨발 heard as 아십알
                self.starts.add(offset + len(sound(word[0])))
            offset += len(part)
            self.ends.append(offset)

    def has(self, needle: str, *, within_word: bool = False) -> bool:
        """`within_word`: the sound must not run on into the next word (씨 발음 is no 씨발)."""
        return any(
            self.text.startswith(needle, start)
            and not (within_word and self._crosses_a_word_end(start, start + len(needle)))
            for start in self.starts
        )

    def _crosses_a_word_end(self, start: int, end: int) -> bool:
        after = bisect.bisect_right(self.ends, start)  # the first word end past `start` (ends ascend)
        return after < len(self.ends) and self.ends[after] < end

    def near(self, needle: str, edits: int) -> int | None:
        """The fewest letter edits (at most `edits`) that turn what is said from a word's start into
        `needle` (a vowel or a final consonant misheard), or None when none is that close."""
        best: int | None = None
        n = len(needle)
        for start in self.starts:
            for length in (n - 1, n, n + 1):
                if start + length > len(self.text):
                    continue
                distance = Levenshtein.distance(needle, self.text[start : start + length], score_cutoff=edits)
                if distance <= edits and (best is None or distance < best):
                    best = distance
        return best


def squeeze(text: str) -> str:
    """The text as phrases are matched: without spaces, lower case (Latin letters)."""
    return "".join(text.split()).lower()


class TurnText:
    """One turn's text in the forms matching reads (without spaces, by sound, single-spaced), each
    made once however many categories, markers and checklist items read it."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def squeezed(self) -> str:
        return squeeze(self.text)

    @cached_property
    def sounded(self) -> Sounded:
        return Sounded(self.text)

    @cached_property
    def spaced(self) -> str:
        return " ".join(self.text.split())

    @cached_property
    def spaced_lower(self) -> str:
        return self.spaced.lower()


@dataclass(frozen=True)
class Found:
    """Why a matcher matched: `phrase`, `sound`, `pattern`, `exemplar` or `model`, and what matched
    (for `model`, the turn's words; `similarity` is then the head's probability)."""

    how: str
    what: str
    similarity: float | None = None


EVIDENCE_CHARS = 60  # of a turn the model judged: its own words are the evidence


class CompiledMatcher:
    """`head`: the turn model's head for this matcher (a category of the same name), consulted
    last: a turn it judges at or above its `at` matches, unless `unless` cancels it (or, for the
    head alone, a category's `model_unless_patterns`)."""

    def __init__(self, matcher: Matcher, head: Head | None = None) -> None:
        self.matcher = matcher
        self.head = head
        self._phrases = [(p, squeeze(p)) for p in matcher.phrases]
        self._sounds = [
            (p, sound(p), len(squeeze(p)) <= SHORT_PHRASE_CHARS)  # short: within one word only
            for p in matcher.phrases
            if len(sound(p)) >= SOUND_MIN_LETTERS
        ]
        self._unless = [squeeze(p) for p in matcher.unless]
        self._unless_sounds = [sound(p) for p in matcher.unless if len(sound(p)) >= SOUND_MIN_LETTERS]
        self._patterns = [(p, compile_pattern(p)) for p in matcher.patterns]
        self._unless_patterns = [compile_pattern(p) for p in matcher.unless_patterns]
        self._model_unless = [compile_pattern(p) for p in getattr(matcher, "model_unless_patterns", ())]
        self.exemplars = tuple(matcher.exemplars)

    def find(
        self, turn: TurnText | str, vector: np.ndarray | None, space: ExemplarSpace | None
    ) -> Found | None:
        said = turn if isinstance(turn, TurnText) else TurnText(turn)
        squeezed, sounded = said.squeezed, said.sounded
        if any(u and u in squeezed for u in self._unless) or any(sounded.has(u) for u in self._unless_sounds):
            return None
        if any(p.search(said.spaced) for p in self._unless_patterns):
            return None
        for phrase, needle in self._phrases:
            # a short phrase within one word only (미친 is not 이미 친구, 시발 not 다시 발송)
            if needle in (said.spaced_lower if len(needle) <= SHORT_PHRASE_CHARS else squeezed):
                return Found("phrase", phrase)
        for phrase, needle, short in self._sounds:  # misheard: spelled otherwise, sounding the same
            if sounded.has(needle, within_word=short):
                return Found("sound", phrase)
        for phrase, needle, _ in self._sounds:  # misheard by a letter
            if len(needle) >= NEAR_SOUND_MIN_LETTERS and (off := sounded.near(needle, 1)) is not None:
                return Found("sound", phrase, round(1 - off / len(needle), 4))
        for pattern, compiled in self._patterns:
            if compiled.search(said.spaced):
                return Found("pattern", pattern)
        if self.exemplars and vector is not None and space is not None:
            best, similarity = space.nearest(vector, self.exemplars)
            if best is not None and similarity >= self.matcher.min_similarity:
                return Found("exemplar", best, round(similarity, 4))
        if self.head is None or any(p.search(said.spaced) for p in self._model_unless):
            return None
        if (p := self.head.judge(vector, said.text)) is not None:
            words = said.spaced
            evidence = words if len(words) <= EVIDENCE_CHARS else words[: EVIDENCE_CHARS - 1] + "…"
            return Found("model", evidence, round(p, 4))
        return None


class ExemplarError(ValueError):
    """An exemplar of the analytics file that the embedder cannot embed."""


class ExemplarSpace:
    """The exemplars of a file embedded once (queries, e5's symmetric side), and turns embedded the
    same way. Blocking: call it from a worker thread."""

    def __init__(self, embedder: Any, texts: Sequence[str], cache: VectorCache | None = None) -> None:
        self._embedder = embedder
        self._exemplar_cache = cache  # exemplar vectors kept by embedder and text
        self._texts = list(dict.fromkeys(texts))
        self._index = {text: i for i, text in enumerate(self._texts)}
        self._vectors: np.ndarray | None = None
        self._lock = threading.Lock()

    @property
    def empty(self) -> bool:
        return not self._texts

    def fits(self, model: TurnModel) -> bool:
        """Whether the turn model was trained on this space's vectors."""
        return model.fits(str(self._embedder.name), int(self._embedder.dim))

    def embed(self, text: str) -> np.ndarray:
        """The turn's vector (`embed_queries` keeps recent ones, so the replay at hang-up reuses what
        the live analysis embedded)."""
        return np.asarray(embed_queries(self._embedder, [_one_line(text)]), dtype=np.float32)[0]

    def embed_many(self, texts: Sequence[str], cache: VectorCache | None) -> np.ndarray:
        """Many turns' vectors at once, the same as `embed` gives them one by one, those `cache`
        holds taken from it: for evaluations, which see the same labelled texts run after run (live
        turns never go to a file)."""
        return embed_cached(self._embedder, [_one_line(t) for t in texts], cache, queries=True)

    def warm_up(self) -> None:
        """Embed the exemplars once; `ExemplarError` names one the embedder cannot take."""
        with self._lock:
            if self._vectors is None and self._texts:
                try:
                    self._vectors = embed_cached(
                        self._embedder, self._texts, self._exemplar_cache, queries=True
                    )
                except Exception:
                    for text in self._texts:  # which one: embedded alone, the culprit fails again
                        try:
                            embed_queries(self._embedder, [text])
                        except Exception as exc:
                            raise ExemplarError(f"exemplar {text[:80]!r} cannot be embedded: {exc}") from None
                    raise

    def nearest(self, vector: np.ndarray, texts: Sequence[str]) -> tuple[str | None, float]:
        found = self.neighbours(vector, texts, 1)
        return found[0] if found else (None, 0.0)

    def neighbours(self, vector: np.ndarray, texts: Sequence[str], k: int) -> list[tuple[str, float]]:
        """The `k` of `texts` nearest to `vector`, nearest first, with their cosine similarity."""
        self.warm_up()
        known = [t for t in texts if t in self._index]
        if self._vectors is None or not known:
            return []
        similarity = self._vectors[[self._index[t] for t in known]] @ vector
        order = np.argsort(-similarity)[:k]
        return [(known[i], float(similarity[i])) for i in order]


def _one_line(text: str) -> str:
    """A turn as it is embedded: its words with single spaces between."""
    return " ".join(text.split())


def char_bigrams(text: str) -> set[str]:
    squeezed = squeeze(text)
    return {squeezed[i : i + 2] for i in range(len(squeezed) - 1)}


def same_words(a: set[str], b: set[str]) -> bool:
    """Two short texts say much the same: their character bigrams overlap by half (Jaccard), or
    the shorter's are 60 % inside the longer's (a repeat with words added: 그러니까 …냐고요)."""
    if len(a) < 4 or len(b) < 4:
        return a == b
    shared = len(a & b)
    return shared / len(a | b) >= 0.5 or shared / min(len(a), len(b)) >= 0.6
