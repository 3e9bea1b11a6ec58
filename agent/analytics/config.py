"""What supervisors want found in calls, as a YAML file: categories (and who is alerted), the
sentiment scale, and the QA checklist (docs/assistance.md, "Analytics", says how to edit it).

A file that is not valid stops the server at start: `AnalyticsConfigError` names the file, the
line and the reason (`callassist check-config` reports the same without starting). Patterns are
RE2 expressions: matching time is linear in the text on any input, whatever a deployment writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import re2
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from agent.analytics.turn_model import load_turn_model

DEFAULT_FILE = Path(__file__).parent / "data" / "analytics.yaml"


class AnalyticsConfigError(ValueError):
    """A file that cannot be used, with where and why."""

    def __init__(self, path: Path | str, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = str(path), line, reason
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {reason}")


class Channel(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    ANY = "any"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


SEVERITY_RISK = {Severity.INFO: 0.1, Severity.WARNING: 0.4, Severity.CRITICAL: 0.7}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def compile_pattern(pattern: str) -> Any:
    """An RE2 expression, quietly (RE2 would log a bad one to stderr itself)."""
    options = re2.Options()
    options.log_errors = False
    return re2.compile(pattern, options)


def _check_patterns(patterns: Sequence[str]) -> tuple[str, ...]:
    for pattern in patterns:
        try:
            compile_pattern(pattern)
        except Exception as exc:  # re2's own error type is not part of its API
            why = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
            raise ValueError(f"pattern {pattern!r} is not an RE2 expression: {why}") from None
    return tuple(patterns)


class Matcher(_Strict):
    """What finds something in one turn's text: phrases (spaces ignored, so recognized speech that
    spaces words its own way still matches), RE2 patterns, and semantic exemplars (a turn whose
    e5 embedding is at least `min_similarity` from one of them)."""

    phrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    exemplars: tuple[str, ...] = ()
    min_similarity: float = Field(0.93, ge=0.0, le=1.0)
    unless: tuple[str, ...] = Field((), description="phrases that cancel a match in the same turn")
    unless_patterns: tuple[str, ...] = Field(
        (), description="RE2 patterns that cancel a match in the same turn"
    )

    @field_validator("patterns", "unless_patterns")
    @classmethod
    def _re2_patterns(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        return _check_patterns(patterns)

    @field_validator("phrases", "unless", "exemplars")
    @classmethod
    def _not_blank(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        if any(not v.strip() for v in values):
            raise ValueError("an empty phrase or exemplar would match everything")
        return values

    @property
    def empty(self) -> bool:
        return not (self.phrases or self.patterns or self.exemplars)


class Category(Matcher):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    label: str
    channel: Channel = Channel.CUSTOMER
    when: Literal["live", "post_call"] = "live"
    severity: Severity = Severity.WARNING
    alert: tuple[Literal["supervisor", "agent"], ...] = ("supervisor",)
    detector: Literal["phrases", "repeated_ask"] = "phrases"
    repeats: int = Field(2, ge=1, le=10, description="repeated_ask: earlier asks of the same thing")
    model_yields_to: tuple[str, ...] = Field(
        (),
        description="categories that, found in the same turn by their phrases or patterns, overrule "
        "this one when only the turn model found it (a threat is not a customer leaving)",
    )
    model_unless_patterns: tuple[str, ...] = Field(
        (),
        description="RE2 patterns that cancel a match only the turn model made (a plain check: "
        "… 내면 되죠); the category's own phrases and patterns still match such a turn",
    )

    @field_validator("model_unless_patterns")
    @classmethod
    def _re2_model_unless(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        return _check_patterns(patterns)

    @model_validator(mode="after")
    def _finds_something(self) -> Category:
        if self.detector == "phrases" and self.empty:
            raise ValueError(f"category {self.name!r} has no phrases, patterns or exemplars")
        return self


class Sentiment(_Strict):
    """Per customer turn a score in [-1, 1]; negative at or below `negative_at`."""

    negative_at: float = Field(-0.3, ge=-1.0, le=0.0)
    positive_at: float = Field(0.3, ge=0.0, le=1.0)
    trend_weight: float = Field(0.5, gt=0.0, le=1.0, description="weight of the newest turn in the trend")
    negative: tuple[str, ...] = ()  # phrases, spaces ignored
    negative_patterns: tuple[str, ...] = ()  # RE2 on the turn's text (words one space apart)
    positive: tuple[str, ...] = ()
    intensifiers: tuple[str, ...] = ()
    negations: tuple[str, ...] = ()  # a positive phrase right after one of these counts as negative
    # words whose letters count for no phrase: a phrase spelled inside them is not said (장난감 holds 난감)
    neutral_words: tuple[str, ...] = ()
    negative_exemplars: tuple[str, ...] = ()  # for turns no phrase decides (semantic embedder only)
    # RE2: a turn no phrase decides that matches one is plain and left neutral (how many, how long
    # or how much asked; a complaint or a suit said not to be meant): neither the turn model nor the
    # exemplars judge it
    plain_turns: tuple[str, ...] = ()
    other_exemplars: tuple[str, ...] = ()
    min_similarity: float = Field(0.9, ge=0.0, le=1.0)
    neighbours: int = Field(5, ge=1, le=25)

    @field_validator("negative_patterns", "plain_turns")
    @classmethod
    def _re2_patterns(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        return _check_patterns(patterns)


class QaItem(Matcher):
    """One checklist item: an agent turn (by default) that shows it was done, within limits."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    label: str
    channel: Channel = Channel.AGENT
    weight: float = Field(1.0, gt=0.0)
    within_s: float | None = Field(None, gt=0.0, description="only in the call's first N seconds")
    last_s: float | None = Field(None, gt=0.0, description="only in the call's last N seconds")
    before: str | None = Field(None, description="a marker: done before its first turn, n/a without one")
    after: str | None = Field(
        None,
        description="a category or marker: done within `reply_turns` agent turns after it; n/a without one",
    )
    reply_turns: int = Field(2, ge=1, le=10)


class Marker(Matcher):
    """A named moment the checklist refers to (account details read, a complaint)."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    channel: Channel = Channel.AGENT


class AnalyticsConfig(_Strict):
    version: Literal[1] = 1
    model: str | None = Field(
        None,
        description="a turn model file (agent/analytics/turn_model.py), relative to this file's folder: "
        "its heads judge customer turns no phrase decides (semantic embedder only)",
    )
    categories: tuple[Category, ...] = ()
    sentiment: Sentiment = Sentiment()
    markers: tuple[Marker, ...] = ()
    qa: tuple[QaItem, ...] = ()

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Names defined twice and references to no category or marker, each with its location."""
        found: list[tuple[tuple[str | int, ...], str]] = []
        for section in ("categories", "markers", "qa"):
            seen: set[str] = set()
            for i, item in enumerate(getattr(self, section)):
                if item.name in seen:
                    found.append(((section, i, "name"), f"{item.name!r} is defined twice"))
                seen.add(item.name)
        names = {c.name for c in self.categories}
        for i, category in enumerate(self.categories):
            for other in category.model_yields_to:
                if other not in names or other == category.name:
                    found.append(
                        (("categories", i, "model_yields_to"), f"{other!r} is no other category of this file")
                    )
        known = names | {m.name for m in self.markers}
        for i, item in enumerate(self.qa):
            for key in ("before", "after"):
                ref = getattr(item, key)
                if ref is not None and ref not in known:
                    found.append((("qa", i, key), f"{ref!r} is no category or marker of this file"))
        return found

    @model_validator(mode="after")
    def _consistent(self) -> AnalyticsConfig:
        problems = self.problems()
        if problems:
            where, reason = problems[0]
            raise ValueError(f"{'.'.join(map(str, where))}: {reason}")
        return self

    def category(self, name: str) -> Category | None:
        return next((c for c in self.categories if c.name == name), None)

    def exemplar_texts(self) -> list[str]:
        """Every semantic exemplar of the file (embedded once at start)."""
        items: list[Matcher] = [*self.categories, *self.markers, *self.qa]
        texts = [text for item in items for text in item.exemplars]
        texts += [*self.sentiment.negative_exemplars, *self.sentiment.other_exemplars]
        return list(dict.fromkeys(texts))


# libyaml's parser where PyYAML was built with it (its wheels are): the shipped file, a thousand
# patterns, parses in a tenth of the time the pure-Python one takes, at every server start
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_config(path: Path | str = DEFAULT_FILE) -> AnalyticsConfig:
    """Parse and check the file; `AnalyticsConfigError` with the line of the first problem."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AnalyticsConfigError(path, None, f"cannot read it ({exc})") from None
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = str(getattr(exc, "problem", None) or exc)
        raise AnalyticsConfigError(path, mark.line + 1 if mark else None, f"not YAML: {reason}") from None
    if not isinstance(data, Mapping):
        raise AnalyticsConfigError(path, 1, "expected a mapping with categories, sentiment, markers and qa")
    try:
        config = AnalyticsConfig.model_validate(data)
    except ValidationError as exc:
        node = yaml.compose(text, Loader=_LOADER)  # the lines, read again only for the message
        partial = _without_cross_checks(data)
        if partial is not None and partial.problems():
            where, reason = partial.problems()[0]
            raise AnalyticsConfigError(
                path, _line_of(node, where), f"{'.'.join(map(str, where))}: {reason}"
            ) from None
        error = exc.errors()[0]
        location = tuple(error["loc"])
        field = ".".join(str(part) for part in location) or "the file"
        reason = str(error["msg"]).removeprefix("Value error, ")
        raise AnalyticsConfigError(path, _line_of(node, location), f"{field}: {reason}") from None
    if config.model is not None:
        model = (path.parent / config.model).resolve()
        try:
            load_turn_model(model)
        except ValueError as exc:
            node = yaml.compose(text, Loader=_LOADER)
            raise AnalyticsConfigError(path, _line_of(node, ("model",)), f"model: {exc}") from None
        config = config.model_copy(update={"model": str(model)})
    return config


def _without_cross_checks(data: Mapping[str, Any]) -> AnalyticsConfig | None:
    """The file's sections each valid on their own (None if one is not), checked across later."""
    try:
        categories = tuple(Category.model_validate(c) for c in data.get("categories") or ())
        markers = tuple(Marker.model_validate(m) for m in data.get("markers") or ())
        qa = tuple(QaItem.model_validate(q) for q in data.get("qa") or ())
    except (ValidationError, TypeError, AttributeError):
        return None
    return AnalyticsConfig.model_construct(categories=categories, markers=markers, qa=qa)


def _line_of(node: Any, location: Sequence[Any]) -> int | None:
    """The 1-based line of the YAML node at a validation error's location (its deepest one found)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in location:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line
