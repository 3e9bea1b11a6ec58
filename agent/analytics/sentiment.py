"""Customer sentiment per turn from a Korean lexicon (agent/analytics/data/analytics.yaml).

A turn's score is in [-1, 1]: each negative phrase counts -1 (more with an intensifier such as
너무, 진짜, 도대체 in the turn), each positive phrase +1, a positive phrase right after 안/못
(안 좋아요) counts as negative; a turn no phrase matches by spelling is matched by sound (phrases
of five letters or more, from a word's start: what a recognizer misspelled); and so does each category of critical severity found
in the turn (a threat, abuse, a demand for a manager); the sum goes through tanh. The trend of a call is an
exponentially weighted mean of its customer turns. A turn no phrase decides is judged, with a
semantic embedder, by the turn model's `negative` head (agent/analytics/turn_model.py) and then
compared with labelled exemplars: negative when the head's probability reaches its `at`, or when
most of its nearest exemplars are negative; a plain turn (`plain_turns`: how many, how long or how
much asked, a complaint said not to be meant) is not judged so and stays neutral. Nothing is learned at run time and nothing is
downloaded; measured on labelled turns, typed and recognized: `callassist analytics eval`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from agent.analytics.config import Sentiment, compile_pattern
from agent.analytics.matching import SOUND_MIN_LETTERS, ExemplarSpace, Sounded, TurnText, sound, squeeze
from agent.analytics.turn_model import Head


@dataclass(frozen=True)
class TurnSentiment:
    score: float
    label: str  # negative | neutral | positive
    cues: tuple[str, ...]  # the phrases that decided it


class SentimentScale:
    def __init__(self, config: Sentiment, head: Head | None = None) -> None:
        self.config = config
        self.head = head  # the turn model's `negative` head, for turns no phrase decides
        self._negative = [(p, squeeze(p)) for p in config.negative]
        self._positive = [(p, squeeze(p)) for p in config.positive]
        self._negative_sounds = [(p, sound(p)) for p in config.negative if len(sound(p)) >= SOUND_MIN_LETTERS]
        self._positive_sounds = [(p, sound(p)) for p in config.positive if len(sound(p)) >= SOUND_MIN_LETTERS]
        self._negative_patterns = [compile_pattern(p) for p in config.negative_patterns]
        self._plain_turns = [compile_pattern(p) for p in config.plain_turns]
        self._intensifiers = [squeeze(p) for p in config.intensifiers]
        self._negations = tuple(squeeze(p) for p in config.negations)
        self._neutral_words = tuple(w for w in (squeeze(p) for p in config.neutral_words) if w)
        # the same words in a turn's spaced text, spaces allowed between their letters (장 난감)
        self._neutral_spelled = [re.compile(r"\s?".join(map(re.escape, w))) for w in self._neutral_words]

    def score(
        self,
        turn: TurnText | str,
        alarms: Sequence[str] = (),
        vector: np.ndarray | None = None,
        space: ExemplarSpace | None = None,
    ) -> TurnSentiment:
        """`alarms`: categories of critical severity found in the same turn (a threat,
        abuse, a demand for a manager): each counts as a negative phrase."""
        said = turn if isinstance(turn, TurnText) else TurnText(turn)
        squeezed = said.squeezed
        taken = [False] * len(squeezed)  # a character counts for one phrase only (longest first)
        for word in self._neutral_words:  # … and none inside a word that only holds a phrase's letters
            start = squeezed.find(word)
            while start >= 0:
                taken[start : start + len(word)] = [True] * len(word)
                start = squeezed.find(word, start + len(word))
        negative: list[str] = list(alarms)
        positive: list[str] = []
        flipped: list[str] = []
        phrases = sorted(
            [(p, n, -1) for p, n in self._negative] + [(p, n, 1) for p, n in self._positive],
            key=lambda item: -len(item[1]),
        )
        for phrase, needle, sign in phrases:
            start = squeezed.find(needle)
            while start >= 0:
                end = start + len(needle)
                if not any(taken[start:end]):
                    for i in range(start, end):
                        taken[i] = True
                    if sign < 0:
                        negative.append(phrase)
                    elif any(squeezed[:start].endswith(n) for n in self._negations if n):
                        flipped.append(phrase)
                    else:
                        positive.append(phrase)
                start = squeezed.find(needle, end)
        for pattern in self._negative_patterns:  # a reproach or disbelief said in a sentence's shape
            if (match := pattern.search(said.spaced)) is not None:
                negative.append(match.group(0))
        if not (negative or positive or flipped):  # misheard: a phrase spelled otherwise, sounding the same
            sounded = said.sounded
            if any(word in squeezed for word in self._neutral_words):  # … nor sound inside one
                rest = said.spaced
                for spelled in self._neutral_spelled:
                    rest = spelled.sub(" ", rest)
                sounded = Sounded(rest)
            negative += [p for p, needle in self._negative_sounds if sounded.has(needle)]
            positive += [p for p, needle in self._positive_sounds if sounded.has(needle)]
        undecided = not (negative or positive or flipped)
        if undecided and any(p.search(said.spaced) for p in self._plain_turns):
            undecided = False  # how many, how long, how much asked; no complaint meant: neutral
        if undecided and self.head is not None and (p := self.head.judge(vector, said.text)) is not None:
            return self._judged_negative(f"≈ {p:.2f}")
        if undecided and vector is not None and space is not None:
            similar = self._similar_to_negative(vector, space)
            if similar is not None:
                return self._judged_negative(f"≈ {similar}")
        strength = 1.0 + 0.5 * min(2, sum(squeezed.count(i) for i in self._intensifiers if i))
        raw = len(positive) - (len(negative) + len(flipped)) * strength
        score = round(math.tanh(0.8 * raw), 3)
        if score <= self.config.negative_at:
            label = "negative"
        elif score >= self.config.positive_at:
            label = "positive"
        else:
            label = "neutral"
        return TurnSentiment(score, label, tuple([*negative, *(f"안 {p}" for p in flipped), *positive]))

    def _judged_negative(self, cue: str) -> TurnSentiment:
        """A turn no phrase decided, judged negative by the model or the exemplars: -0.5."""
        return TurnSentiment(-0.5, "negative" if self.config.negative_at >= -0.5 else "neutral", (cue,))

    def _similar_to_negative(self, vector: np.ndarray, space: ExemplarSpace) -> str | None:
        """The nearest negative exemplar when most of the turn's nearest exemplars are negative and
        the nearest is close enough; else None."""
        config = self.config
        labelled = [*config.negative_exemplars, *config.other_exemplars]
        if not config.negative_exemplars or not labelled:
            return None
        nearest = space.neighbours(vector, labelled, config.neighbours)
        negative = set(config.negative_exemplars)
        votes = sum(1 for text, _ in nearest if text in negative)
        if not nearest or 2 * votes <= len(nearest) or nearest[0][1] < config.min_similarity:
            return None
        return next(text for text, _ in nearest if text in negative)

    def trend(self, previous: float | None, score: float) -> float:
        if previous is None:
            return score
        weight = self.config.trend_weight
        return round(weight * score + (1 - weight) * previous, 3)
