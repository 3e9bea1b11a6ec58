"""One call's analytics, turn by turn: categories found, customer sentiment and its trend, risk,
and at the end the QA checklist.

The same object serves a live call (turns added as their finals are stored) and a call rebuilt
from the store (its stored transcript replayed), so what a supervisor sees after a restart is what
they would have seen live. Pure CPU work with no I/O; `Analytics` (shared by every call) holds the
compiled file and the exemplar space.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from agent.analytics.config import SEVERITY_RISK, AnalyticsConfig, Category, Channel, QaItem, Severity
from agent.analytics.matching import CompiledMatcher, ExemplarSpace, TurnText, char_bigrams, same_words
from agent.analytics.sentiment import SentimentScale
from agent.analytics.turn_model import Head, TurnModel, load_turn_model
from agent.assist.triggers import rule_verdict
from agent.events import TranscriptSegment
from kb.embedders.cache import VectorCache

REPEAT_SIMILARITY = 0.95  # cosine (semantic embedder) at which two asks are the same ask
RISK_LEVELS = ((0.6, "high"), (0.3, "medium"), (0.0, "low"))


@dataclass(frozen=True)
class AnalyzedTurn:
    seq: int
    role: str  # customer | agent
    start: float
    end: float
    text: str

    @classmethod
    def of(cls, segment: TranscriptSegment) -> AnalyzedTurn:
        """A stored final (live, or read back from the transcript)."""
        return cls(segment.seq, segment.role.value, segment.start, segment.end, segment.text or "")


def record_of(item: Any) -> dict[str, Any]:
    """A result dataclass as stored and announced: its fields, tuples as lists (JSON's arrays)."""
    return asdict(
        item, dict_factory=lambda pairs: {k: list(v) if isinstance(v, tuple) else v for k, v in pairs}
    )


@dataclass(frozen=True)
class CategoryHit:
    name: str
    label: str
    severity: str
    alert: tuple[str, ...]
    seq: int
    role: str
    start: float
    how: str  # phrase | sound | pattern | exemplar | model | repeated_ask
    evidence: str  # the phrase, pattern, exemplar, the turn's words (model), or the earlier asks' seqs


@dataclass(frozen=True)
class SentimentPoint:
    seq: int
    start: float
    score: float
    label: str
    trend: float
    cues: tuple[str, ...]


@dataclass(frozen=True)
class QaOutcome:
    name: str
    label: str
    status: str  # met | missed | n/a
    weight: float
    seq: int | None = None  # the evidence: a turn and its time
    start: float | None = None
    text: str | None = None


@dataclass
class TurnNews:
    """What one turn changed: new category hits and the customer's sentiment point."""

    hits: list[CategoryHit] = field(default_factory=list)
    sentiment: SentimentPoint | None = None


def risk_level(risk: float) -> str:
    return next(name for floor, name in RISK_LEVELS if risk >= floor)


class Analytics:
    """The compiled file, shared by every call. `embed` is blocking (run it in a worker thread)."""

    def __init__(
        self, config: AnalyticsConfig, space: ExemplarSpace | None = None, model: TurnModel | None = None
    ) -> None:
        """`model`: the turn model (default: the file's `model`), used when `space` is in the
        embedder it was trained with."""
        self.config = config
        if model is None and config.model is not None:
            model = load_turn_model(config.model)
        self.model = model if model is not None and space is not None and space.fits(model) else None
        self.space = space if space is not None and (not space.empty or self.model is not None) else None
        self.categories = [
            (c, CompiledMatcher(c, self._head(c.name, c.channel)))
            for c in config.categories
            if c.detector == "phrases"
        ]
        self.repeated = [c for c in config.categories if c.detector == "repeated_ask"]
        self.markers = {m.name: (m, CompiledMatcher(m)) for m in config.markers}
        self.qa = [(item, CompiledMatcher(item)) for item in config.qa]
        self.sentiment = SentimentScale(config.sentiment, self._head("negative", Channel.CUSTOMER))
        channels = [c.channel for c, matcher in self.categories if matcher.exemplars]
        channels += [m.channel for m, matcher in self.markers.values() if matcher.exemplars]
        # whose turns get a vector: the customer's always (sentiment exemplars, repeated asks)
        self._vector_roles = {"customer"} | {r for r in ("agent",) for c in channels if _on_channel(c, r)}

    def _head(self, name: str, channel: Channel) -> Head | None:
        """The model's head of that name; heads judge customer turns (what they were trained on)."""
        if self.model is None or channel is not Channel.CUSTOMER:
            return None
        return self.model.head(name)

    def warm_up(self) -> None:
        if self.space is not None:
            self.space.warm_up()

    def embed(self, text: str, role: str = "customer") -> np.ndarray | None:
        """The turn's vector when some exemplar can use it: a customer turn's for the sentiment
        exemplars and repeated asks, any turn's whose channel has a category or marker with
        exemplars (None otherwise, and without exemplars). QA items embed their candidates
        themselves, after hang-up."""
        if self.space is None or not self._gets_vector(text, role):
            return None
        return self.space.embed(text)

    def _gets_vector(self, text: str, role: str) -> bool:
        return bool(text.strip()) and role in self._vector_roles

    def embed_many(
        self, texts: Sequence[str], roles: Sequence[str], cache: VectorCache | None = None
    ) -> list[np.ndarray | None]:
        """What `embed` gives each text, in one pass through the vector cache (evaluations)."""
        wanted = [i for i, (t, r) in enumerate(zip(texts, roles, strict=True)) if self._gets_vector(t, r)]
        vectors: list[np.ndarray | None] = [None] * len(texts)
        if self.space is None or not wanted:
            return vectors
        for i, vector in zip(wanted, self.space.embed_many([texts[i] for i in wanted], cache), strict=True):
            vectors[i] = vector
        return vectors

    def start(self, *, post_call: bool = False) -> CallAnalysis:
        return CallAnalysis(self, post_call=post_call)

    def replay(
        self, turns: Iterable[AnalyzedTurn], vectors: Sequence[np.ndarray | None] | None = None
    ) -> CallAnalysis:
        """A whole call analysed as after hang-up (post-call categories included). Blocking."""
        analysis = self.start(post_call=True)
        for i, turn in enumerate(turns):
            vector = vectors[i] if vectors is not None else self.embed(turn.text, turn.role)
            analysis.add(turn, vector)
        return analysis


def _on_channel(channel: Channel, role: str) -> bool:
    return channel is Channel.ANY or channel.value == role


_BY_WORDS = ("phrase", "sound", "pattern")


def _overruled_left_out(hits: list[CategoryHit], config: AnalyticsConfig) -> list[CategoryHit]:
    """The turn's hits less those only the turn model found whose category yields to one found
    here by its words (`model_yields_to`: a threat read by the churn head as a customer leaving)."""
    by_words = {h.name for h in hits if h.how in _BY_WORDS}
    kept = []
    for hit in hits:
        category = config.category(hit.name) if hit.how == "model" else None
        if category is None or not by_words.intersection(category.model_yields_to):
            kept.append(hit)
    return kept


class CallAnalysis:
    def __init__(self, analytics: Analytics, *, post_call: bool) -> None:
        self._a = analytics
        self._post_call = post_call
        self.turns: list[AnalyzedTurn] = []
        self.hits: list[CategoryHit] = []
        self.sentiment: list[SentimentPoint] = []
        self._asks: list[
            tuple[int, set[str], np.ndarray | None, int]
        ] = []  # customer asks: seq, bigrams, vector, group
        self._markers: dict[str, list[AnalyzedTurn]] = {}
        self._texts: dict[int, TurnText] = {}  # each turn's text as matching reads it, by seq

    @property
    def trend(self) -> float | None:
        return self.sentiment[-1].trend if self.sentiment else None

    @property
    def risk(self) -> float:
        """0..1: the most severe category found, plus the negativity of the sentiment trend."""
        severity = max((SEVERITY_RISK[Severity(h.severity)] for h in self.hits), default=0.0)
        negativity = max(0.0, -(self.trend or 0.0))
        return round(min(1.0, severity + 0.5 * negativity), 3)

    def add(self, turn: AnalyzedTurn, vector: np.ndarray | None = None) -> TurnNews:
        news = TurnNews()
        if not turn.text.strip():
            return news
        self.turns.append(turn)
        said = self._texts[turn.seq] = TurnText(turn.text)
        for category, matcher in self._a.categories:
            if not self._in_scope(category, turn):
                continue
            found = matcher.find(said, vector, self._a.space)
            if found is not None:
                news.hits.append(self._hit(category, turn, found.how, found.what))
        news.hits = _overruled_left_out(news.hits, self._a.config)
        for name, (marker, matcher) in self._a.markers.items():
            if _on_channel(marker.channel, turn.role) and matcher.find(said, vector, self._a.space):
                self._markers.setdefault(name, []).append(turn)
        if turn.role == "customer":
            news.hits += self._repeats(turn, vector)
            alarms = [h.label for h in news.hits if h.severity == Severity.CRITICAL]
            scored = self._a.sentiment.score(said, alarms, vector, self._a.space)
            point = SentimentPoint(
                turn.seq,
                turn.start,
                scored.score,
                scored.label,
                self._a.sentiment.trend(self.trend, scored.score),
                scored.cues,
            )
            self.sentiment.append(point)
            news.sentiment = point
        self.hits += news.hits
        return news

    def _in_scope(self, category: Category, turn: AnalyzedTurn) -> bool:
        return _on_channel(category.channel, turn.role) and (self._post_call or category.when == "live")

    def _hit(self, category: Category, turn: AnalyzedTurn, how: str, what: str) -> CategoryHit:
        return CategoryHit(
            category.name,
            category.label,
            category.severity.value,
            tuple(category.alert),
            turn.seq,
            turn.role,
            turn.start,
            how,
            what,
        )

    def _repeats(self, turn: AnalyzedTurn, vector: np.ndarray | None) -> list[CategoryHit]:
        """A customer ask that repeats `repeats` earlier asks of the same thing. Asks are grouped:
        an ask joins the group of the first earlier ask it shares enough words with (or is close
        to in the embedder's space), so "어떻게 써요", "어디서 써요", "그러니까 어떻게 쓰냐고요" are one."""
        kind, _ = rule_verdict(turn.text)
        if kind is None or not self._a.repeated:
            return []
        grams = char_bigrams(turn.text)
        group = next(
            (
                g
                for seq, other, other_vector, g in self._asks
                if same_words(grams, other)
                or (
                    vector is not None
                    and other_vector is not None
                    and float(vector @ other_vector) >= REPEAT_SIMILARITY
                )
            ),
            turn.seq,
        )
        same = [seq for seq, _, _, g in self._asks if g == group]
        self._asks.append((turn.seq, grams, vector, group))
        hits = []
        for category in self._a.repeated:
            if len(same) >= category.repeats and self._in_scope(category, turn):
                evidence = "seq " + ", ".join(map(str, same[-category.repeats :]))
                hits.append(self._hit(category, turn, "repeated_ask", evidence))
        return hits

    # --- after hang-up -------------------------------------------------------------------------
    def qa(self) -> list[QaOutcome]:
        duration = max((t.end for t in self.turns), default=0.0)
        return [self._qa_item(item, matcher, duration) for item, matcher in self._a.qa]

    def _qa_item(self, item: QaItem, matcher: CompiledMatcher, duration: float) -> QaOutcome:
        candidates = [t for t in self.turns if _on_channel(item.channel, t.role)]
        if item.within_s is not None:
            candidates = [t for t in candidates if t.start <= item.within_s]
        if item.last_s is not None:
            candidates = [t for t in candidates if t.end >= duration - item.last_s]
        if item.before is not None:
            moments = self._moments(item.before)
            if not moments:
                return QaOutcome(item.name, item.label, "n/a", item.weight)
            candidates = [t for t in candidates if t.seq < moments[0].seq]
        if item.after is not None:
            moments = self._moments(item.after)
            if not moments:
                return QaOutcome(item.name, item.label, "n/a", item.weight)
            candidates = self._replies(item, moments, candidates)
        space = self._a.space
        if item.last_s is not None:  # a closing: its evidence is the last turn that shows it
            candidates = candidates[::-1]
        for turn in candidates:
            vector = space.embed(turn.text) if matcher.exemplars and space is not None else None
            if matcher.find(self._texts[turn.seq], vector, space):
                return QaOutcome(item.name, item.label, "met", item.weight, turn.seq, turn.start, turn.text)
        return QaOutcome(item.name, item.label, "missed", item.weight)

    def _moments(self, name: str) -> list[AnalyzedTurn]:
        """The turns where a marker or a category was found, in call order."""
        if name in self._markers:
            return self._markers[name]
        seqs = {h.seq for h in self.hits if h.name == name}
        return [t for t in self.turns if t.seq in seqs]

    def _replies(
        self, item: QaItem, moments: list[AnalyzedTurn], candidates: list[AnalyzedTurn]
    ) -> list[AnalyzedTurn]:
        """Turns of the item's channel among the first `reply_turns` of that channel after a moment."""
        replies: dict[int, AnalyzedTurn] = {}
        for moment in moments:
            after = [t for t in candidates if t.seq > moment.seq][: item.reply_turns]
            replies.update((t.seq, t) for t in after)
        return [replies[seq] for seq in sorted(replies)]

    def result(self) -> dict[str, Any]:
        """What is stored with the call: categories (first hit of each, and how often), sentiment
        points and trend, risk, and after hang-up the QA checklist and its score."""
        categories: dict[str, dict[str, Any]] = {}
        for hit in self.hits:
            entry = categories.setdefault(hit.name, {**record_of(hit), "count": 0})
            entry["count"] += 1
        negative = sum(1 for p in self.sentiment if p.label == "negative")
        out: dict[str, Any] = {
            "categories": list(categories.values()),
            "sentiment": [record_of(p) for p in self.sentiment],
            "trend": self.trend,
            "negative_turns": negative,
            "customer_turns": len(self.sentiment),
            "risk": self.risk,
            "risk_level": risk_level(self.risk),
            "final": self._post_call,
        }
        if self._post_call:
            items = self.qa()
            counted = [i for i in items if i.status != "n/a"]
            total = sum(i.weight for i in counted)
            met = sum(i.weight for i in counted if i.status == "met")
            out["qa"] = {
                "items": [record_of(i) for i in items],
                "score": round(100 * met / total, 1) if total else None,
            }
        return out


def live_view(result: Mapping[str, Any] | None) -> dict[str, Any]:
    """What the supervisor's live list shows of a call's analytics (risk, trend, categories)."""
    result = result or {}
    return {
        "risk": result.get("risk", 0.0),
        "risk_level": result.get("risk_level", "low"),
        "trend": result.get("trend"),
        "categories": [
            {k: c.get(k) for k in ("name", "label", "severity")} for c in result.get("categories", [])
        ],
    }


def archive_tags(result: Mapping[str, Any]) -> list[str]:
    """The archive tags a call's analytics give it (filters in search)."""
    tags = [f"category-{c['name']}" for c in result.get("categories", [])]
    tags.append(f"risk-{result.get('risk_level', 'low')}")
    if result.get("negative_turns"):
        tags.append("sentiment-negative")
    for item in (result.get("qa") or {}).get("items", []):
        if item["status"] == "missed":
            tags.append(f"qa-missed-{item['name']}")
    score = (result.get("qa") or {}).get("score")
    if score is not None:
        tags.append("qa-pass" if score >= 80 else "qa-fail")
    return tags
