"""The shipped analytics file on the labelled sets (tests/data), with the default e5 embedder:
what docs/assistance.md reports, measured by `callassist analytics eval` (these are its numbers,
kept from sliding back)."""

from __future__ import annotations

import pytest

from agent.analytics.analysis import Analytics
from agent.analytics.config import DEFAULT_FILE, load_config
from agent.analytics.evaluation import evaluate_calls, evaluate_turns, load_rows
from agent.analytics.matching import ExemplarSpace
from kb.embedders.cache import VectorCache
from kb.embedders.e5 import E5Embedder
from server.settings import default_cache_dir
from tests.helpers.paths import ROOT

DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="module")
def cache() -> VectorCache:
    """As a server keeps its exemplars and `callassist analytics eval` the labelled turns."""
    return VectorCache(default_cache_dir() / "vectors.sqlite")


@pytest.fixture(scope="module")
def analytics(cache: VectorCache) -> Analytics:
    config = load_config(DEFAULT_FILE)
    built = Analytics(config, ExemplarSpace(E5Embedder(), config.exemplar_texts(), cache))
    built.warm_up()
    return built


@pytest.mark.parametrize(
    "name",
    [
        f"analytics_turns_{n}.jsonl"
        for n in ("dev", "holdout", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7")
    ],
)
def test_categories_and_negative_turns(analytics: Analytics, cache: VectorCache, name: str) -> None:
    summary = evaluate_turns(analytics, load_rows(DATA / name), cache=cache).summary()
    assert summary["categories"]["precision"] >= 0.9 and summary["categories"]["recall"] >= 0.9, summary
    assert summary["negative_turns"]["precision"] >= 0.85 and summary["negative_turns"]["recall"] >= 0.85, (
        summary
    )


# Every set now holds the 0.85 floor for negative-turn precision. dev50, dev58, dev59 and dev65 were
# held at 0.82 until plain turns (how many, how long, how much asked; no complaint meant) were left
# neutral (0.86-0.87); dev61 (0.82: plain asks and choices judged negative by the turn model) until
# a customer come over from another firm, a service paused instead of ended and an errand for papers
# were left neutral too (0.87).


@pytest.mark.parametrize("name", [f"analytics_turns_dev{n}.jsonl" for n in range(8, 151)])  # dev8 … dev150
def test_unseen_sets_keep_what_the_turn_model_gave_them(
    analytics: Analytics, cache: VectorCache, name: str
) -> None:
    """Sets the turn model was not trained on and the phrases not written from (docs/assistance.md,
    "Turn model"): typed, where the model brought them (negative turns 0.88–1.00 recall, categories
    0.65–0.90; on dev8 to dev10 with phrases alone 0.46–0.67 and 0.19–0.41). Negative-turn recall
    of the later sets runs lower (0.80–0.96 on dev41 to dev49: a customer leaving said flatly, 다른
    업체 쓸게요, is labelled negative and scored neutral); the floor holds them there."""
    summary = evaluate_turns(analytics, load_rows(DATA / name), cache=cache).summary()
    assert summary["negative_turns"]["precision"] >= 0.85 and summary["negative_turns"]["recall"] >= 0.75, (
        summary
    )
    assert summary["categories"]["precision"] >= 0.8 and summary["categories"]["recall"] >= 0.6, summary


@pytest.mark.parametrize("name", ["qa_calls_holdout.jsonl", "qa_calls_dev.jsonl"])  # dev: other industries
def test_qa_on_labelled_calls(analytics: Analytics, name: str) -> None:
    summary = evaluate_calls(analytics, load_rows(DATA / name)).summary()
    assert summary["qa_accuracy"] >= 0.9 and summary["categories"]["recall"] >= 0.9, summary
