"""The analytics file: the bundled one loads; a bad one is refused with its line and reason; RE2
patterns stay linear on inputs that make backtracking engines explode."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from agent.analytics.config import DEFAULT_FILE, AnalyticsConfigError, Matcher, load_config
from agent.analytics.matching import CompiledMatcher


def test_the_bundled_file_loads() -> None:
    config = load_config(DEFAULT_FILE)
    names = {c.name for c in config.categories}
    assert {"churn_risk", "escalation", "legal_threat", "abusive_language", "repeated_ask"} <= names
    assert {i.name for i in config.qa} == {
        "greeting",
        "identity_verified",
        "recording_notice",
        "empathy",
        "closing",
    }


def test_no_comment_in_the_bundled_file_swallows_a_pattern() -> None:
    """A comment ends its line, so a quoted pattern written after one on the same line is silently
    lost from its list."""
    for number, line in enumerate(DEFAULT_FILE.read_text("utf-8").splitlines(), 1):
        _, hash_, comment = line.partition("  # ")
        if not hash_ and line.lstrip().startswith("# "):
            comment = line.lstrip()[2:]
        assert "', '" not in comment and not comment.rstrip().endswith("',"), (number, line)
        assert " '(?:" not in comment and " '[" not in comment, (number, line)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (
            "version: 1\ncategories:\n  - name: a\n    label: b\n    patterns: ['(x']\n",
            5,
            "not an RE2 expression",
        ),
        ("version: 1\ncategories:\n  - name: a\n    label: [b\n", 5, "not YAML"),
        (
            "version: 1\nqa:\n  - name: a\n    label: b\n    phrases: [x]\n    after: nothing\n",
            6,
            "no category or marker",
        ),
        (
            "version: 1\ncategories:\n  - name: a\n    label: b\n    severity: huge\n    phrases: [x]\n",
            5,
            "severity",
        ),
        (
            "version: 1\ncategories:\n  - {name: a, label: b, phrases: [x]}\n  - {name: a, label: c, phrases: [y]}\n",
            4,
            "defined twice",
        ),
        ("version: 1\ncategories:\n  - name: a\n    label: b\n", 3, "no phrases, patterns or exemplars"),
        ("version: 1\ncategories:\n  - name: a\n    label: b\n    phrases: ['  ']\n", 5, "empty phrase"),
        ("- just a list\n", 1, "expected a mapping"),
        ("version: 1\nsentiment:\n  negative_patterns: ['(a']\n", 3, "not an RE2 expression"),
        (
            "version: 1\ncategories:\n  - name: a\n    label: b\n    phrases: [x]\n    unless_patterns: ['(?=y)']\n",
            6,
            "not an RE2 expression",
        ),
        ("version: 1\nsurprise: true\n", 2, "surprise"),
        (
            "version: 1\ncategories:\n  - name: a\n    label: b\n    phrases: [x]\n    model_yields_to: [c]\n",
            6,
            "no other category",
        ),
    ],
)
def test_a_bad_file_is_refused_with_its_line(tmp_path: Path, text: str, line: int, reason: str) -> None:
    path = tmp_path / "analytics.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(AnalyticsConfigError) as caught:
        load_config(path)
    assert caught.value.line == line and reason in caught.value.reason and str(path) in str(caught.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(AnalyticsConfigError, match="cannot read"):
        load_config(tmp_path / "nope.yaml")


def test_patterns_are_linear_on_any_input() -> None:
    matcher = CompiledMatcher(Matcher(patterns=("(a+)+$", "(?:x|x)*y")))
    hostile = "a" * 50_000 + "!"  # exponential for a backtracking engine
    started = time.perf_counter()
    assert matcher.find(hostile, None, None) is None
    assert matcher.find("x" * 50_000, None, None) is None
    assert time.perf_counter() - started < 5  # a backtracking engine would not finish at all


def test_phrases_ignore_spaces_and_unless_cancels() -> None:
    matcher = CompiledMatcher(Matcher(phrases=("다른 통신사",), unless=("해지 안",)))
    assert matcher.find("다른통신사로 갈래요", None, None) is not None
    assert matcher.find("다 른 통 신 사", None, None) is not None
    assert matcher.find("해지 안 하고 다른 통신사 요금만 물어본 거예요", None, None) is None


def test_an_exemplar_the_embedder_cannot_take_is_named() -> None:
    import numpy as np

    from agent.analytics.matching import ExemplarError, ExemplarSpace

    class Picky:
        name = "picky"
        dim = 4

        def embed_query(self, texts: list[str]) -> np.ndarray:
            if any("🙃" in t for t in texts):
                raise RuntimeError("unsupported character")
            return np.ones((len(texts), 4), np.float32) / 2

    space = ExemplarSpace(Picky(), ["해지하고 싶어요", "이상한 🙃 문장"])
    with pytest.raises(ExemplarError, match="이상한 🙃 문장.*unsupported character"):
        space.warm_up()
