"""One call's analytics from its turns: categories by channel and timing, repeated asks, sentiment
with negation and its trend, risk, the QA checklist's met / missed / n/a with evidence, archive tags."""

from __future__ import annotations

import numpy as np
import pytest

from agent.analytics.analysis import Analytics, AnalyzedTurn, CategoryHit, _overruled_left_out, archive_tags
from agent.analytics.config import DEFAULT_FILE, compile_pattern, load_config
from agent.analytics.sentiment import SentimentScale

ANALYTICS = Analytics(load_config(DEFAULT_FILE))


def turns(*lines: tuple[str, str]) -> list[AnalyzedTurn]:
    return [AnalyzedTurn(i, role, i * 5.0, i * 5.0 + 4, text) for i, (role, text) in enumerate(lines)]


def found(text: str) -> list[str]:
    """The categories one customer turn is found in."""
    return [h.name for h in ANALYTICS.start().add(AnalyzedTurn(0, "customer", 0, 1, text)).hits]


PLAIN_TURNS = [compile_pattern(p) for p in ANALYTICS.config.sentiment.plain_turns]


def plain(text: str) -> bool:
    """A turn of a plain shape (`plain_turns`): left neutral where no phrase decides it."""
    return any(p.search(text) for p in PLAIN_TURNS)


def assert_found(categories: list[str], *texts: str) -> None:
    """Each of `texts`, one customer turn, is found to be exactly `categories`."""
    for text in texts:
        assert found(text) == categories, text


def assert_negative(*texts: str) -> None:
    """Each of `texts`, one customer turn, is scored negative on the sentiment scale."""
    for text in texts:
        assert ANALYTICS.sentiment.score(text).label == "negative", text


def test_categories_respect_channel_and_live_or_post_call() -> None:
    call = turns(
        ("agent", "해지 처리되었습니다 다른 통신사로 옮기셔도 번호는 유지돼요"),
        ("customer", "네 감사합니다"),
    )
    live = ANALYTICS.start()
    for turn in call:
        live.add(turn)
    assert [h.name for h in live.hits] == []  # the agent's words are not the customer's churn risk
    after = ANALYTICS.replay(call).result()
    assert [c["name"] for c in after["categories"]] == ["cancellation_done"]  # post-call, agent channel


def test_a_repeated_ask_is_found_on_its_third_asking() -> None:
    analysis = ANALYTICS.start()
    news = [
        analysis.add(turn)
        for turn in turns(
            ("customer", "데이터 쿠폰은 어떻게 써요"),
            ("agent", "앱 혜택 메뉴에 있어요"),
            ("customer", "데이터 쿠폰은 어디서 써요"),
            ("agent", "혜택 메뉴입니다"),
            ("customer", "그러니까 데이터 쿠폰 어떻게 쓰냐고요"),
        )
    ]
    assert [h.name for h in news[2].hits] == []
    assert [h.name for h in news[4].hits] == ["repeated_ask"] and news[4].hits[0].evidence == "seq 0, 2"


def test_sentiment_negation_intensifiers_and_trend() -> None:
    scale = ANALYTICS.sentiment
    assert scale.score("정말 감사합니다").label == "positive"
    assert scale.score("별로 안 좋아요").label == "negative"
    assert scale.score("요금제 변경하고 싶어요").label == "neutral"
    assert scale.score("진짜 너무 짜증나요").score < scale.score("짜증나요").score
    analysis = ANALYTICS.start()
    for turn in turns(("customer", "짜증나요"), ("customer", "네"), ("customer", "감사합니다")):
        analysis.add(turn)
    trends = [p.trend for p in analysis.sentiment]
    assert trends[0] < trends[1] < trends[2]


def test_critical_categories_raise_risk_and_count_as_negative() -> None:
    analysis = ANALYTICS.start()
    news = analysis.add(AnalyzedTurn(0, "customer", 0, 3, "변호사랑 상의해서 소송 걸 겁니다"))
    assert news.sentiment is not None and news.sentiment.label == "negative"
    result = analysis.result()
    assert result["risk_level"] == "high" and result["categories"][0]["name"] == "legal_threat"


def test_qa_items_met_missed_and_not_applicable() -> None:
    call = turns(
        ("agent", "안녕하세요 한결모바일 고객센터입니다"),
        ("customer", "요금이 너무 많이 나와서 억울해요"),
        ("agent", "이번 달 청구 금액은 오만 원입니다"),  # account details before any identity check
        ("agent", "성함 말씀해 주세요"),
        ("customer", "네"),
        ("agent", "좋은 하루 보내세요"),
    )
    result = ANALYTICS.replay(call).result()
    items = {i["name"]: i for i in result["qa"]["items"]}
    assert items["greeting"]["status"] == "met" and items["greeting"]["seq"] == 0
    assert items["identity_verified"]["status"] == "missed"
    assert items["empathy"]["status"] == "missed"  # no empathy within two agent turns of the complaint
    assert items["closing"]["status"] == "met" and items["closing"]["seq"] == 5
    assert items["recording_notice"]["status"] == "missed"
    quiet = ANALYTICS.replay(
        turns(("agent", "한결모바일입니다 녹음됩니다"), ("agent", "감사합니다"))
    ).result()
    statuses = {i["name"]: i["status"] for i in quiet["qa"]["items"]}
    assert statuses["identity_verified"] == "n/a" and statuses["empathy"] == "n/a"
    assert quiet["qa"]["score"] == 100.0
    tags = archive_tags(result)
    assert "qa-missed-identity_verified" in tags and "qa-fail" in tags and "sentiment-negative" in tags


def test_only_turns_an_exemplar_can_use_are_embedded(monkeypatch: pytest.MonkeyPatch) -> None:
    import kb.embedders.base as base
    from agent.analytics.config import Channel
    from agent.analytics.matching import ExemplarSpace
    from tests.helpers.embedders import CountingEmbedder

    monkeypatch.setattr(base, "_memory", type(base._memory)())
    config = load_config(DEFAULT_FILE)
    embedder = CountingEmbedder()
    shipped = Analytics(config, ExemplarSpace(embedder, config.sentiment.negative_exemplars))
    call = turns(("agent", "무엇을 도와드릴까요"), ("customer", "요금이 너무 많이 나왔어요"))
    shipped.replay(call)
    assert "요금이 너무 많이 나왔어요" in embedder.embedded  # the shipped file's exemplars are the customer's
    assert "무엇을 도와드릴까요" not in embedder.embedded and shipped.embed("네 고객님", "agent") is None
    # a category with exemplars on the agent's channel: the agent's turns are embedded too
    polite = config.categories[0].model_copy(
        update={
            "name": "rude_agent",
            "channel": Channel.AGENT,
            "exemplars": ("고객님 그건 제 알 바 아니에요",),
        }
    )
    with_agent = Analytics(
        config.model_copy(update={"categories": [polite]}), ExemplarSpace(embedder, ["예시"])
    )
    assert with_agent.embed("무엇을 도와드릴까요", "agent") is not None


def test_a_reproach_a_broken_promise_and_a_condition_are_negative() -> None:
    scale = ANALYTICS.sentiment
    for said in (
        "요금 얘기는 안 해 주셨잖아요",  # you did not …
        "제가 아까 분명히 말씀드렸잖아요",  # I told you
        "오늘까지 된다고 하셨는데 아직이네요",  # you said it would
        "이번 주 안에 처리 안 되면 다시 따질 거예요",  # if it is not done …
    ):
        assert scale.score(said).label == "negative", said
    assert scale.score("어제 신청했는데 확인 부탁드려요").label == "neutral"


def test_a_call_made_again_a_cheaper_competitor_and_a_doubled_bill_are_negative() -> None:
    scale = ANALYTICS.sentiment
    for said in (
        "이번이 두 번째 연락드리는 거예요",
        "딴 데가 훨씬 저렴하던데요",
        "평소보다 요금이 세 배나 나왔어요",
        "자꾸 이러면 저도 생각이 있어요",
        "처리해 준다고 해 놓고 소식이 없네요",
    ):
        assert scale.score(said).label == "negative", said
    for said in (
        "첫 번째 문의는 해결됐어요",
        "다른 통신사는 어떤 혜택이 있는지 궁금해서요",
        "데이터 두 배 주는 요금제 있어요",
    ):
        assert scale.score(said).label != "negative", said


def test_churn_is_the_customer_leaving_not_a_service_cancelled() -> None:
    assert found("해지하면 위약금이 얼마예요") == ["churn_risk"]
    assert found("이러면 통신사 바꿀 거예요") == ["churn_risk"]
    assert found("자동이체 해지하고 카드로 낼게요") == []
    assert found("부가서비스 해지는 어디서 해요") == []
    assert found("부가 서비스 두 개 해지해 주세요") == []  # unless_patterns: words between
    assert found("인터넷 해지하고 다른 통신사로 갈게요") == ["churn_risk"]
    assert found("태지하려면 위약금이 얼마나 돼요") == ["churn_risk"]  # 해지하려면 heard one letter off
    assert found("화면 잠금 해제하면 되나요") == []  # 해제 (unlock) is one letter from 해지 too
    assert found("이 미친 회사") == ["abusive_language"]
    assert found("그게 요금에 미치는 영향이 있나요") == []  # 미치다: to affect


def test_a_service_wanted_back_a_tv_programme_and_a_lawyers_office_are_no_alarm() -> None:
    assert found("작년에 해지했던 번호 다시 살릴 수 있나요") == []  # coming back, not leaving
    assert found("이번 달에 해지하고 다른 데로 갈게요") == ["churn_risk"]
    assert found("소비자 고발 프로그램에 나온 제품이에요") == []
    assert found("변호사 사무실 직원인데 법인 카드 문의드려요") == []
    assert found("변호사 통해서 정식으로 대응하겠습니다") == ["legal_threat"]
    assert found("본사에 직접 따질 거예요") == ["escalation"]


def test_someone_higher_a_ministry_the_court_and_a_card_done_away_with() -> None:
    assert found("더 높은 분 연결해 주세요") == ["escalation"]
    assert found("고용노동부에 진정 넣을 거예요") == ["escalation"]
    assert found("분실 신고하려고요") == []
    assert found("안 그러면 법원 갑니다") == ["legal_threat"]
    assert found("법원에 낼 서류라서 확인서가 필요해요") == []
    assert found("카드 정지 말고 아예 없애 주세요") == ["churn_risk"]
    assert found("다른 데 알아보는 중이에요") == ["churn_risk"]
    assert found("정신 나간 거 아니에요") == ["abusive_language"]


def test_a_decision_maker_a_budget_carrier_and_a_date_to_cut_off() -> None:
    assert found("안 되면 결재권자 바꿔 주세요") == ["escalation"]
    assert found("매니저급 분 계시면 바꿔 주세요") == ["escalation"]
    assert found("차라리 알뜰폰 쓰는 게 낫겠어요") == ["churn_risk"]
    assert found("알뜰폰 요금제도 있나요") == []
    assert found("이번 달로 끊어 주세요") == ["churn_risk"]
    assert found("민사로 가면 오래 걸리니까 합의하죠") == ["legal_threat"]
    assert found("주민 사진 등록은 어떻게 해요") == []  # 민사 run together is no civil case
    assert found("연세가 높은 분들은 할인 되나요") == []
    assert found("사이버수사대에 신고 접수했어요") == ["legal_threat"]
    assert found("변호사 상담 서비스가 카드 혜택에 포함돼 있나요") == []
    assert found("민원 처리 기간이 보통 며칠 걸려요") == []


def test_the_complaints_office_an_account_closed_a_policy_broken_and_a_customer_come_over() -> None:
    assert found("구청 민원실에 정식으로 항의할 겁니다") == ["escalation"]  # a complaint made there
    assert found("지점에 찾아가서 직접 따져 볼게요") == ["escalation"]
    assert found("민원 넣을게요") == ["escalation"]
    assert found("민원실 전화번호 좀 알려 주세요") == []  # the office asked about
    assert found("주민센터 민원실 가서 등본 떼 왔어요") == []  # papers fetched there
    assert found("통장도 그냥 닫을게요") == ["churn_risk"]
    assert found("적금 깨면 이자는 얼마나 받아요") == ["churn_risk"]
    assert found("딴 은행에서 옮겨 왔는데 우대 금리 되나요") == []  # come over, not leaving
    assert found("변호사 사무실 이사해서 주소 변경하려고요") == []
    assert found("변호사 선임해서 대응할게요") == ["legal_threat"]
    assert found("변호사 사무실 전화번호로 청구서 받을 수 있어요?") == []  # where to send it
    assert found("변호사 사무실 전화번호 알아 놨어요 고소할 거예요") == ["legal_threat"]
    assert found("다른 통신사에서 쓰던 폰도 유심만 바꾸면 되나요?") == []  # a phone brought here
    assert found("해지 신청은 아니고 일시 정지만 하려고요") == []
    assert found("민원 처리 결과 문자로 받았어요 감사해요") == []  # it is over
    assert found("민원 넣을 거예요 결과 보고 판단할게요") == ["escalation"]
    assert found("회장님한테 직접 편지 쓸 거예요") == ["escalation"]
    assert found("소송 중이라 서류가 필요한데 가입 증명서 발급돼요?") == []  # the customer's own case
    assert found("엄마가 다른 통신사 쓰시는데 가족 결합 돼요?") == []  # a family member's carrier
    assert found("남은 약정 기간 위약금 계산해 주세요") == ["churn_risk"]  # the cost of leaving
    assert found("다른 보험사 설계사가 더 좋은 조건을 주더라고요") == ["churn_risk"]
    assert found("번호 이동해서 왔는데 유심 언제 와요?") == []  # come in, not leaving
    assert found("지점장님이 친절하게 다시 설명해 주셨어요 감사해요") == []  # a manager who helped
    assert found("지점장 나오라고 해요 지금 당장") == ["escalation"]
    assert found("당신 상사 바꿔요 지금") == ["escalation"]
    assert found("소장 접수하면 그때 가서 후회하지 마세요") == ["legal_threat"]  # a statement of claim
    assert found("소장님이 아파트 관리비 문의는 여기로 하라던데요") == []  # a title
    assert found("다른 통신사 쓰는 친구한테 선물하기 되나요?") == []  # someone else's carrier
    assert found("이 서비스 계속 쓸지 고민돼요 다른 데가 더 나은 것 같아서") == ["churn_risk"]
    assert found("소송 관련 서류라서 등기로 받아야 하는데 주소 변경 가능해요?") == []
    assert found("책임자 교육 과정 신청은 어디서 해요?") == []  # a course, not a demand
    assert found("이거 유추브에 올리면 난리 날 텐데요") == ["escalation"]  # 유튜브 as heard
    assert found("법정에서 다 밝혀질 거예요") == ["legal_threat"]
    assert found("주둥이 함부로 놀리지 마") == ["abusive_language"]
    assert found("경쟁 업체 견적 받아 봤는데 거기가 훨씬 싸네요") == ["churn_risk"]
    assert found("대출 다 갚으면 이 은행이랑은 끝이에요") == ["churn_risk"]
    assert found("해지하려던 건 아니고 정지만 잠깐 할게요") == []
    assert found("센터장님께 감사 인사 전해 주세요") == []  # thanks, not a demand
    assert found("경찰청 교통 민원 문자가 왔는데 이게 뭐예요?") == []  # a notice received
    assert found("주거래 은행 바꿀까 고민 중이에요") == ["churn_risk"]
    assert found("카드 탈회 처리해 주세요") == ["churn_risk"]
    assert found("탈회 말고 한도만 줄이고 싶어요") == []
    assert found("블로그에 후기 낱낱이 쓸 거예요") == ["escalation"]
    assert found("소송 비용 보장되는 보험 있어요?") == []  # a product's cover
    assert found("다른 통신사 번호로도 문자 보낼 수 있죠?") == []  # someone written to
    assert found("휴대폰 약정 풀리면 바로 자급제로 갈 거예요") == ["churn_risk"]
    assert found("해지는 생각 없고요 그냥 요금만 확인하려고요") == []
    assert found("소송 진행 중인 건물도 전세 대출 되나요?") == []
    assert found("다른 통신 사스는 남편이랑 가족 결합할 수 있나요") == []  # 쓰는 heard 스는
    assert found("아파트 관리비 자동이체 말고 은행 자체를 바꿀 거예요") == ["churn_risk"]
    assert found("휴대폰 번호는 그대로 두고 통신사만 바구고 싶어요") == ["churn_risk"]  # 바꾸 as heard
    assert found("택배 회사를 바꿔 주세요") == []  # a courier, not the customer's company
    scale = ANALYTICS.sentiment
    assert scale.score("자세히 설명해 주셔서 이해가 잘 됐어요").label == "positive"
    assert scale.score("설명이 이해가 안 돼요").label == "negative"


def test_a_short_phrase_matches_within_one_word_only() -> None:
    """Two-syllable phrases are not read across the space between two words, by spelling or by
    sound: 이미 친구 holds no 미친, 다시 발송 and 박 씨 발음 no 시발 or 씨발."""
    assert_found(
        [],
        "이미 친구한테 보냈어요",
        "다시 발송해 주세요",
        "영수증 다시 발급받을 수 있을까요?",
        "박 씨 발음이 어려워요",
    )
    assert found("시발점이 어디예요") == []  # a starting point
    assert found("미친놈아") == ["abusive_language"]
    assert found("아 씨발 진짜") == ["abusive_language"]
    assert found("아십알 진짜") == ["abusive_language"]  # 아 씨발 as recognition joins it


def test_whoever_is_above_a_charge_disputed_and_a_device_switched_off() -> None:
    assert found("관리자든 누구든 데려오세요") == ["escalation"]
    assert found("이 결제 건 카드사에 이의를 제기하겠습니다") == ["escalation"]
    assert found("꺼져 이 새끼야") == ["abusive_language"]
    assert found("모니터가 갑자기 꺼져 버려요") == []  # a device switched off
    assert found("전원이 꺼져 있는데 어떡해요") == []
    scale = ANALYTICS.sentiment
    assert scale.score("인증이 안 돼서 로그인을 못 해요").label == "negative"


def test_a_service_cut_a_product_settled_a_head_of_office_and_a_property_in_a_lawsuit() -> None:
    assert found("신문 이번 달까지만 받고 끊을 거예요") == ["churn_risk"]
    assert found("전화 끊을게요") == []  # hanging up
    assert found("적금 만기 되면 정리할까 해요") == ["churn_risk"]
    assert found("카드 내역 정리해서 보내 주세요") == []
    assert found("원장 나오라고 해요") == ["escalation"]
    assert found("분쟁 조정 신청할 거예요") == ["escalation"]
    assert found("소송 중인 아파트도 살 수 있나요") == []
    assert found("변호사 무료 상담 서비스도 있나요") == []
    scale = ANALYTICS.sentiment
    assert scale.score("설명이 정말 명쾌하네요").label == "positive"
    assert scale.score("환불이 두 달째 안 되고 있어요").label == "negative"


def test_an_app_deleted_and_not_what_the_customer_was_told() -> None:
    assert found("이 앱 그냥 지우고 다른 거 쓸게요") == ["churn_risk"]
    assert found("앱 지우고 다시 깔았는데 로그인이 안 돼요") == []  # reinstalled: troubleshooting
    scale = ANALYTICS.sentiment
    assert scale.score("광고랑 실제 구성이 달라요").label == "negative"


def test_a_competitor_consulted_retention_offers_a_managers_name_and_a_cancellation_still_there() -> None:
    assert found("타사 견적 받아 보고 정할게요") == ["churn_risk"]
    assert found("센터장님 성함이 뭐예요") == []  # a name asked, no demand
    assert found("센터장 바꿔 주세요") == ["escalation"]
    assert found("너 대가리 좀 써라") == ["abusive_language"]
    assert found("생선 대가리는 빼고 보내 주세요") == []
    scale = ANALYTICS.sentiment
    assert scale.score("환불 요청했는데 아직 입금이 안 됐어요").label == "negative"


def test_why_stay_a_lower_price_elsewhere_the_one_above_and_head_office() -> None:
    assert found("경쟁사에서 반값에 해 준다는데 여기 왜 있어야 돼요?") == ["churn_risk"]
    assert found("경량사에서 반갑세해 준다는데 여기 왜 있어야 돼요") == [
        "churn_risk"
    ]  # as heard on a phone line
    assert found("다른 데서 싸게 샀는데 설치해 주나요") == []  # bought elsewhere, no leaving
    assert found("당신 선에서 안 되면 위에 사람 바꿔요") == ["escalation"]
    assert found("당신 손에서 안 되면 위에 사람 바뀌어요") == ["escalation"]  # as recognized
    assert found("고객신 터말고 본사 담당 부서로 넘겨 주세요") == ["escalation"]
    assert found("본사 주소가 바뀌었나요?") == []


def test_not_used_from_next_month_delivery_stopped_following_a_neighbour_and_a_lawyer_covered() -> None:
    assert found("학원 다음 달부터 안 보낼 거예요 환불 규정 알려 주세요") == ["churn_risk"]
    assert found("다음 달부터 안 쓰는 요금제로 바꿔 주세요") == []  # a plan not used, no leaving
    assert found("정기 배송 그만 받을게요 구독 취소해 주세요") == ["churn_risk"]
    assert found("옆집은 케이블 딴 회사 쓰는데 훨씬 싸대요 저도 바꿀까 봐요") == ["churn_risk"]
    assert found("저도 바꿀까 봐요 색깔을") == []
    assert found("높으신 분 좀 바꿔 보세요") == ["escalation"]
    assert found("연세 높으신 분들 할인 돼요?") == []
    assert found("변호사 상담섭 이스도 보험에 보한되 있나요") == []  # 서비스 and 포함 as recognized


def test_cut_off_today_no_reason_to_stay_the_chairman_the_district_office_and_a_judge() -> None:
    assert found("오늘부로 서비스 끊어 주세요") == ["churn_risk"]
    assert found("오늘부터 정리 세일 하나요?") == []
    assert found("전화 끊어 주세요") == []  # hanging up
    assert found("이런 대접 받으면서 계속 쓸 이유가 없네요") == ["churn_risk"]
    assert found("회장님 앞으로 편지 쓸 거예요") == ["escalation"]
    assert found("구청에 가서 이 업체 영업 정지시켜 달라고 할 거예요") == ["escalation"]
    assert found("구청에 가서 서류 떼야 돼요") == []
    assert found("판사 앞에서 누가 맞는지 가려 보죠") == ["legal_threat"]
    scale = ANALYTICS.sentiment
    assert scale.score("직원분이 끝까지 챙겨 주셔서 감동받았어요").label == "positive"
    assert scale.score("포인트 적립이 누락된 것 같아서요").label == "negative"


def test_all_moved_over_there_the_call_on_record_and_a_manager_who_helped() -> None:
    assert found("남편이 다른 통신사 직원이라 그쪽으로 다 옮기려고요") == ["churn_risk"]
    assert found("엄마가 다른 통신사 쓰시는데 가족 결합 돼요?") == []
    assert found("이 통화 내용 다 녹음해 놨어요") == ["escalation"]
    assert found("센터장님이 직접 설명해 주셔서 이해됐어요") == []


def test_whether_to_keep_it_the_money_taken_out_a_port_done_and_until_when() -> None:
    assert found("솔직히 여기 계속 써야 하나 고민돼요") == ["churn_risk"]
    assert found("이 통장 닫고 돈은 전부 찾아갈게요") == ["churn_risk"]
    assert found("번호 이동 했는데 문자가 안 와요") == []  # ported here already
    scale = ANALYTICS.sentiment
    assert scale.score("결합 할인 언제까지 적용돼요?").label == "neutral"  # a question
    assert scale.score("도대체 언제까지 기다리라는 거예요").label == "negative"


def test_used_up_to_a_date_a_managers_recommendation_and_an_audit_office() -> None:
    assert found("OTT 구독 이번 달까지만 할게요") == ["churn_risk"]
    assert found("이번 달까지만 할인하나요?") == []
    assert found("지점장님이 추천해 준 상품 가입하려고요") == []
    assert found("지점장 나와 보라 그래요") == ["escalation"]
    scale = ANALYTICS.sentiment
    assert scale.score("본사 감사실에 정식으로 문제 제기할게요").label != "positive"  # 감사실 is no thanks
    assert scale.score("정말 감사합니다").label == "positive"


def test_never_coming_back_a_meeting_with_the_head_the_complaints_desk_and_an_agency() -> None:
    assert found("진짜 이 병원 다시는 안 옵니다") == ["churn_risk"]
    assert found("병원장 면담 요청합니다") == ["escalation"]
    assert found("항공사 고객 불만 접수처 따로 있죠? 거기로 넘겨요") == ["escalation"]
    assert found("이 대화 녹취 떠서 증거로 쓸 거예요") == ["escalation"]
    assert found("식약처에 신고할 거예요") == ["escalation"]
    assert found("거래처에 신고서 보냈어요") == []


def test_no_more_use_a_form_set_aside_thanks_passed_on_and_an_insult_by_address() -> None:
    assert found("요금 인하 안 해 주시면 저도 더는 못 쓰겠네요") == ["churn_risk"]
    assert found("해지 신청서 말고 명의 변경 신청서 보내 주세요") == []
    assert found("책임자 연락처 알려 주시면 제가 나중에 감사 인사 드릴게요") == []
    assert found("책임자 바꿔 주세요") == ["escalation"]
    assert found("야 이 자식아") == ["abusive_language"]


def test_another_firm_of_a_kind_dealings_broken_off_and_questions_about_a_suit() -> None:
    assert found("그냥 다른 관리업체로 바꾸자고 할 거예요") == ["churn_risk"]
    assert found("포스도 다른 회사 걸로 교체 견적 받아 놨어요") == ["churn_risk"]
    assert found("다음 분기부터는 거래 끊겠다고 사장님이 전하래요") == ["churn_risk"]
    assert found("개떡 같은 서비스 하고 앉았네 정말") == ["abusive_language"]
    assert found("소송 서류 발급은 어느 창구에서 해요?") == []
    assert found("민원 처리 잘해 주셔서 감사 편지 쓰고 싶어요") == []


def test_more_given_elsewhere_renewal_refused_and_a_cancellation_denied() -> None:
    assert found("딴 은행은 금리 우대를 훨씬 많이 해 주던데요") == ["churn_risk"]
    assert found("이 통신사 계속 쓸지도 고민되고요") == ["churn_risk"]
    assert found("보험료 자꾸 올리면 갱신하지 않겠습니다") == ["churn_risk"]
    assert found("여기 이용 안 하고 여행사 바꿀게요") == ["churn_risk"]
    assert found("해지 환급금 조회만 해 보려고요 해지하려는 건 아니에요") == []
    assert found("골 빈 소리 하지 말고 돈이나 내놔") == ["abusive_language"]


def test_the_agent_told_of_a_recording_and_one_more_policy_elsewhere() -> None:
    assert found("지금 하시는 말씀 전부 녹음되고 있는 거 아시죠") == ["escalation"]
    assert found("보험 다른 데로 하나 더 들면 중복 보상 되나요") == []


def test_an_app_removed_service_taken_elsewhere_a_curse_cut_short_and_a_nutty_taste() -> None:
    assert found("배달 앱 이거 지우고 딴 거 깔았어요") == ["churn_risk"]
    assert found("환전 수수료가 너무 비싸서 다른 은행 가서 할게요") == ["churn_risk"]
    assert found("관리 업체 계약 만료되면 재개약 안 할 거예요") == ["churn_risk"]
    assert found("에이 씨 진짜 짜증 나게 하네") == ["abusive_language"]
    assert found("입 다물고 환불이나 해 멍청아") == ["abusive_language"]
    assert found("다른 통신사 요금제랑 비교표 있으면 보내 주세요 참고만 하려고요") == []
    assert found("고소한 맛 치킨으로 하나 더 추가할게요") == []


def test_another_place_of_the_kind_taken_up_a_ministry_told_and_a_suit_denied() -> None:
    assert found("다음 달부터 딴 학원 다닐게요") == ["churn_risk"]
    assert found("이제 다른 앱 쓸래요 여기 너무 불편해요") == ["churn_risk"]
    assert found("둘째는 어린이집 퇴소 신청하려고요") == ["churn_risk"]
    assert found("다른 지점에서도 쿠폰 쓸 수 있어요") == []
    assert found("고용노동부에 임금 체불로 진정 넣었어요") == ["escalation"]
    assert found("전부 환불해 주세요") == []
    assert found("고소하려는 건 아니고요 확인서만 받고 싶어요") == []


def test_a_trades_firm_changed_a_cancel_button_asked_a_recording_begun_and_a_fee_explained() -> None:
    assert found("회계사 사무실 옮기려고요 서류 챙겨 주세요") == ["churn_risk"]
    assert found("멤버십 탈퇴 버튼을 못 찾겠어요") == ["churn_risk"]
    assert found("이제부터 대화 내용 녹음하겠습니다") == ["escalation"]
    assert found("대표번호가 바뀌었나요") == []
    assert found("중도 해지 수수료가 뭔지 알려 주세요") == []
    assert found("금감원에서 나온 안내문 받았는데요") == []


def test_another_pharmacys_app_a_renewals_discount_rejoining_and_what_the_law_asks() -> None:
    assert found("다른 병원 앱으로 갈아탈게요 여기 예약 너무 불편해요") == ["churn_risk"]
    assert found("계약 갱신할 때 할인 혜택 있나요") == []
    assert found("해지하고 나서 다시 가입하면 약정 새로 시작돼요?") == []
    assert found("법적으로 문제없는 계약서인지 확인하고 싶어요") == []
    assert found("도난 신고 접수증 떼려면 어디로 가요") == []


def test_a_firm_changed_when_it_can_be_a_labour_office_the_press_and_a_manager_thanked() -> None:
    assert found("보험사 바꿀 수 있으면 바로 바꿀 거예요") == ["churn_risk"]
    assert found("해지 예정 날짜 확인해 주세요") == ["churn_risk"]
    assert found("고용노동청에 부당 해고로 진정 넣었습니다") == ["escalation"]
    assert found("이거 언론에 제보할 거예요") == ["escalation"]
    assert found("팀장님이 직접 챙겨 주셔서 감사했어요") == []
    assert found("민원 접수한 건 잘 해결됐어요") == []


def test_never_again_a_price_that_drives_one_off_and_still_not_arrived_are_negative() -> None:
    scale = ANALYTICS.sentiment
    assert scale.score("이 가게는 다시는 안 갈 거예요").label == "negative"
    assert scale.score("배송비가 이렇게 비싸면 누가 시켜요").label == "negative"
    assert scale.score("주문한 책이 아직 안 왔어요").label == "negative"
    assert scale.score("이렇게 하면 되나요").label == "neutral"
    assert scale.score("아직 안 정했어요 좀 더 알아볼게요").label == "neutral"


def test_a_department_head_refused_a_scammer_posing_and_the_law_left_to_the_company() -> None:
    assert found("부서장 연결 안 해 주면 계속 전화할 거예요") == ["escalation"]
    assert found("검찰청 사칭 문자를 받았어요") == []
    assert found("해지는 하지 말고 요금제만 낮춰 주세요") == []
    assert found("소송 비용도 보험으로 보장되나요") == []
    assert found("법대로 하시면 돼요 저는 상관없어요") == []


def test_an_account_deleted_and_no_complaint_or_suit_meant() -> None:
    assert found("앱 계정 삭제해 주세요 이제 안 써요") == ["churn_risk"]
    assert found("민원 넣을 생각은 없어요 그냥 여쭤본 거예요") == []
    assert found("소송 걸 생각은 없고요 사과만 받고 싶어요") == []
    assert found("변호사 사무실로 거래명세서 보내 주세요") == []
    assert ANALYTICS.sentiment.score("선생님이 너무 좋으셔서 애가 매일 가고 싶어 해요").label == "positive"


def test_a_quarter_as_the_last_a_public_corporation_told_advice_explained_and_moving_in() -> None:
    assert found("청소 용역 계약은 다음 분기까지만 하고 끝낼게요") == ["churn_risk"]
    assert found("국민건강보험공단에 부당 청구로 신고할 겁니다") == ["escalation"]
    assert found("소비자단체협회에 이 회사 민원 넣을게요") == ["escalation"]
    assert found("세무사가 소송 걸어 보라는 게 무슨 말이에요") == []
    assert found("다른 보험사 쓰다가 이쪽으로 넘어 왔어요") == []
    assert found("산업공단 안에 공장이 있어요 배송 되나요") == []


def test_no_longer_and_something_that_does_not_come_are_negative() -> None:
    scale = ANALYTICS.sentiment
    assert scale.score("이런 서비스는 더는 못 쓰겠어요").label == "negative"
    assert scale.score("보일러에서 뜨거운 물이 안 나와요").label == "negative"
    assert scale.score("더 궁금한 건 없어요").label == "neutral"


def test_another_clinic_next_year_a_lease_run_out_a_trial_threatened_and_an_answer_read() -> None:
    assert found("이런 식이면 다음부터는 다른 약국에서 살게요") == ["churn_risk"]
    assert found("임대 계약 끝나면 바로 나갈 거예요") == ["churn_risk"]
    assert found("합의 안 해 주면 재판까지 가겠습니다") == ["legal_threat"]
    assert found("존나 느리네 이 앱") == ["abusive_language"]
    assert found("게시판에 달린 답변은 어떻게 확인해요") == []
    assert found("다른 약국에서 받은 처방전도 되나요") == []
    assert ANALYTICS.sentiment.score("배송을 이렇게 늦게 하시면 곤란하죠").label == "negative"
    assert ANALYTICS.sentiment.score("수업 듣고 나니 너무 신기하네요").label == "positive"


def test_a_head_office_team_asked_for_and_an_agencys_rules_or_a_forms_template_asked_about() -> None:
    assert found("본사 품질관리팀으로 연결해 주세요") == ["escalation"]
    assert found("금감원 민원 처리 기준이 어떻게 돼요") == []
    assert found("진정서 양식은 어디서 받아요") == []
    assert found("관리자분이 직접 전화 주셔서 잘 해결됐어요") == []
    assert ANALYTICS.sentiment.score("고객만족센터 번호 좀 알려 주세요").label == "neutral"
    assert ANALYTICS.sentiment.score("관리비가 이렇게 오르면 어떻게 살아요").label == "negative"
    assert ANALYTICS.sentiment.score("계단에서 미끄러질 뻔했어요").label == "negative"


def test_another_agency_looked_for_a_firm_to_be_changed_later_and_a_price_past_bearing() -> None:
    assert found("이 가격이면 다른 부동산 알아볼게요") == ["churn_risk"]
    assert found("보험사를 내년 갱신 때 바꿀 생각입니다") == ["churn_risk"]
    assert found("다른 날짜 알아볼게요") == []
    assert ANALYTICS.sentiment.score("요금이 이 정도면 차라리 안 쓰는 게 낫죠").label == "negative"
    assert ANALYTICS.sentiment.score("층간 소음 때문에 잠을 못 자요").label == "negative"


def test_the_last_delivery_an_order_elsewhere_a_head_waiter_called_and_a_suit_set_aside() -> None:
    assert found("반찬 구독 이번 주문까지만 받을게요") == ["churn_risk"]
    assert found("다음부터는 다른 꽃집에서 주문할 거예요") == ["churn_risk"]
    assert found("총지배인 불러 주세요 당장") == ["escalation"]
    assert found("고소 대신 사과문만 받으면 돼요") == []
    assert ANALYTICS.sentiment.score("화면이 깨져서 읽을 수가 없어요").label == "negative"
    assert ANALYTICS.sentiment.score("수업 듣고 실력이 많이 늘었어요").label == "positive"


def test_a_protest_threatened_a_complaints_result_asked_for_and_thanks_to_those_above() -> None:
    assert found("본사 앞에서 시위할 거예요") == ["escalation"]
    assert found("민원 결과는 어디서 확인할 수 있어요") == []
    assert found("윗분께도 고맙다고 전해 주세요") == []


def test_equipment_returned_a_subscription_ended_a_supplier_changed_and_a_group_chat_told() -> None:
    assert found("공유기 반납하고 해지할게요") == ["churn_risk"]
    assert found("꽃 구독 다음 달로 종료해 주세요") == ["churn_risk"]
    assert found("구독 일시 중단해 주세요 여행 가요") == []
    assert found("거래처를 다른 유통사로 옮기기로 했어요") == ["churn_risk"]
    assert found("아파트 단톡방에 다 올릴 거예요") == ["escalation"]
    assert found("본사에 정식으로 항의하겠습니다") == ["escalation"]
    assert found("본사에서 보내 주신 자료 잘 받았어요") == []
    assert found("이의 제기 절차가 뭔지 알려 주세요") == []
    assert found("소송 중인 업체 명단 같은 게 있나요") == []


def test_another_centre_never_here_again_a_review_posted_and_papers_for_a_suit() -> None:
    assert found("다른 센터로 옮기고 싶어요") == ["churn_risk"]
    assert found("다시는 여기서 안 사요") == ["churn_risk"]
    assert found("맘카페에 이 가게 후기 전부 올릴 겁니다") == ["escalation"]
    assert found("재판에 낼 서류 발급돼요") == []
    assert ANALYTICS.sentiment.score("설명을 들어도 하나도 모르겠어요").label == "negative"
    assert ANALYTICS.sentiment.score("마사지 받고 어깨가 가벼워졌어요").label == "positive"


def test_no_more_orders_a_ministry_told_a_complaint_lodged_a_suit_set_aside_and_a_stain_still_there() -> None:
    assert found("앞으로는 그만 주문할게요 너무 늦게 와서요") == ["churn_risk"]
    assert found("이제 그만 다니려고요") == ["churn_risk"]
    assert found("국토부에 이 일 전부 알리겠습니다") == ["escalation"]
    assert found("고객센터에 항의 메일 넣을 거예요") == ["escalation"]
    assert found("항의하려는 건 아니고요 확인만 해 주세요") == []
    assert found("고소 같은 건 생각 없어요 환불만 해 주세요") == []
    assert ANALYTICS.sentiment.score("수리 받았는데 소음이 여전해요").label == "negative"
    assert ANALYTICS.sentiment.score("그때 또 연락드릴게요").label != "negative"


def test_a_complaint_filed_no_complaint_meant_a_nutty_taste_and_a_reproach() -> None:
    assert found("정식으로 컴플레인 걸게요") == ["escalation"]
    assert found("신고하려는 건 아니고 문의만 드릴게요") == []
    assert found("고소한 땅콩버터 두 통 주세요") == []
    assert ANALYTICS.sentiment.score("매번 이러시면 곤란해요").label == "negative"


def test_the_firm_replaced_someone_above_asked_for_a_petition_and_a_legal_team_answering() -> None:
    assert found("입주민 회의에서 관리 업체 교체하기로 했어요") == ["churn_risk"]
    assert found("위에 계신 분 좀 바꿔 주세요") == ["escalation"]
    assert found("상담사님으로는 안 되겠어요") == ["escalation"]
    assert found("구청에 탄원서 낼 거예요") == ["escalation"]
    assert found("회사 법무팀에서 정식 대응하겠습니다") == ["legal_threat"]
    assert found("법무팀 연락처가 어디예요") == []


def test_no_choice_but_to_change_a_complaints_result_by_text_and_a_suit_weighed_against_a_settlement() -> (
    None
):
    assert found("이런 식이면 통신사를 옮기는 수밖에 없어요") == ["churn_risk"]
    assert found("민원 처리 결과는 문자로 와요") == []
    assert found("재판은 너무 오래 걸려서 그냥 합의하고 싶어요") == []


def test_payment_stopped_another_provider_looked_into_returned_not_renewed_and_set_asides() -> None:
    assert found("이번 달부터 구독 끊어 주세요") == ["churn_risk"]
    assert found("카드사 변경 검토하고 있어요") == ["churn_risk"]
    assert found("약정 끝나면 연장 안 하고 해지할게요") == ["churn_risk"]
    assert found("탈퇴하려고 했는데 그냥 유지할게요") == []
    assert found("변호사 선임비도 보장되나요") == []


def test_an_objection_filed_a_letter_to_the_head_and_what_a_body_does_or_a_suit_not_the_matter() -> None:
    assert found("구청에 정식으로 이의 신청서 접수하겠습니다") == ["escalation"]
    assert found("이의 신청 기간이 언제까지예요") == []
    assert found("총장님 앞으로 항의하는 편지를 보낼 겁니다") == ["escalation"]
    assert found("소비자원이 어떤 곳인지 궁금해요") == []
    assert found("고소 얘기는 아니고요 확인만 해 주세요") == []


def test_not_used_from_now_on_a_child_taken_out_a_provider_changed_and_thinking_of_leaving_then_staying() -> (
    None
):
    assert found("앞으로는 이 배달 앱 안 쓸 거예요") == ["churn_risk"]
    assert found("유치원 이제 그만 보낼게요") == ["churn_risk"]
    assert found("약국을 집 앞 약국으로 옮기기로 했어요") == ["churn_risk"]
    assert found("은행 바꿀까 생각했다가 금리 보고 그냥 있기로 했어요") == []
    assert found("아파트 입주민 대화방에 다 알릴 거예요") == ["escalation"]
    assert found("금감원 홈페이지에서 민원 사례 보고 전화했어요") == []
    assert ANALYTICS.sentiment.score("화면이 자꾸 꺼져요").label == "negative"


def test_elsewhere_from_now_on_legal_aid_asked_a_complaint_set_aside_and_the_heating_out() -> None:
    assert found("예약이 매번 꼬여서 이제 다른 데서 헌혈할래요") == ["churn_risk"]
    assert found("참가비 올리면 내년부턴 다른 대회 나갈 거예요") == ["churn_risk"]
    assert found("다른 대회 기록으로도 조 배정 받을 수 있어요") == []
    assert found("다른 학원 옮길까 했는데 선생님이 좋아서 계속 다니기로 했어요") == []
    assert found("법률 구조 공단 상담은 무료인가요") == []
    assert found("법률구조공단 도움 받아서 소송할 거예요") == ["legal_threat"]
    assert found("민원 넣는 방법 말고 그냥 요금 조정 신청하는 법 알려 주세요") == []
    assert found("민원 말고는 방법이 없네요 시청에 넣겠습니다") == ["escalation"]
    assert ANALYTICS.sentiment.score("방에 난방이 안 돼서 밤새 떨었어요").label == "negative"
    assert ANALYTICS.sentiment.score("난방이 안 되면 어디로 연락해요").label == "neutral"


def test_a_category_only_the_model_found_yields_to_a_threat_found_by_its_words() -> None:
    def hit(name: str, how: str) -> CategoryHit:
        return CategoryHit(name, name, "warning", (), 0, "customer", 0.0, how, "…")

    config = ANALYTICS.config
    assert "escalation" in config.category("churn_risk").model_yields_to  # type: ignore[union-attr]
    threat = [hit("churn_risk", "model"), hit("escalation", "pattern")]
    assert [h.name for h in _overruled_left_out(threat, config)] == ["escalation"]
    said = [hit("churn_risk", "phrase"), hit("escalation", "pattern")]  # leaving said in words stays
    assert [h.name for h in _overruled_left_out(said, config)] == ["churn_risk", "escalation"]
    proposed = [hit("churn_risk", "pattern"), hit("escalation", "model")]  # a firm's change proposed
    assert [h.name for h in _overruled_left_out(proposed, config)] == ["churn_risk"]
    accused = [hit("escalation", "model"), hit("legal_threat", "phrase")]  # 담당 공무원 고발하겠습니다
    assert [h.name for h in _overruled_left_out(accused, config)] == ["legal_threat"]
    judged = [hit("churn_risk", "model"), hit("escalation", "model")]  # neither by words: both stay
    assert [h.name for h in _overruled_left_out(judged, config)] == ["churn_risk", "escalation"]


def test_a_stay_after_thinking_of_leaving_a_complaint_not_meant_and_a_paper_handed_in() -> None:
    assert found("보험사 옮길까 했는데 할인 더 해 주셔서 그냥 있을게요") == []
    assert found("민원은 아니고요 그냥 점검 일정만 알려 주세요") == []
    assert found("분쟁 조정 신청은 어디서 하는 건지 그냥 알고만 싶어서요") == []
    assert found("변호사 통해서 받은 합의서 양식 보내 드리면 되나요") == []
    assert found("변호사 선임해서 소송하겠습니다") == ["legal_threat"]
    assert ANALYTICS.sentiment.score("치과 선생님이 하나도 안 아프게 해 주셨어요").label == "positive"
    assert ANALYTICS.sentiment.score("교재가 이번 달에도 빠진 채로 왔네요").label == "negative"


def test_no_signing_up_again_the_shop_next_door_a_counter_and_a_nutty_review() -> None:
    assert found("강습 이번 달로 끝내고 재등록은 안 할게요") == ["churn_risk"]
    assert found("다음부터 옆 가게 이용할게요 여기는 너무 불친절해서요") == ["churn_risk"]
    assert found("재등록은 어떻게 해요") == []
    assert found("구청 민원실은 토요일에도 문을 여나요") == []
    assert found("구청에 민원 넣겠습니다") == ["escalation"]
    assert found("고소하다는 후기가 많던데 떡 선물이 뭐예요") == []
    assert_negative(
        "진료비가 너무 올라서 부담돼요",
        "샤워실 온수가 일주일째 안 나와요",
        "결제 단계에서 계속 멈춰요",
    )


def test_elsewhere_from_now_on_after_thinking_of_it_and_plain_turns_left_neutral() -> None:
    assert found("열쇠 업체는 앞으로 관리실에서 소개해 준 데 쓰기로 했어요") == ["churn_risk"]
    assert found("앞으로 이 업체 계속 쓰기로 했어요") == []
    assert found("다른 치과보다 백만 원이나 비싸서 거기서 하려고요") == ["churn_risk"]
    assert found("옮길까도 생각했는데 원장님 실력 때문에 계속 다닐게요") == []
    assert found("다른 데 알아볼까 했는데 여기 가격이 제일 괜찮네요") == []
    assert found("시술 부작용 책임 안 지시면 보건소에 신고하겠습니다") == ["escalation"]
    assert_negative(
        "효과가 하나도 없어요",
        "창틀에 물이 다 샜어요",
        "몇 주째 같은 문제로 전화해요",
        "몇 주 제 같은 문제로 전화하는 거예요",  # 몇 주째 as recognized
        "인터넷이 하루에도 몇 번씩 끊겨요",
        "얼마나 더 기다려야 돼요",
    )
    assert ANALYTICS.config.sentiment.plain_turns  # the shipped file's
    for text in (
        "연극 공연 시간이 몇 분이에요",
        "민원은 아니고요 일정만 알려 주세요",
        "얼마 전에 바꾼 요금제예요",
    ):
        assert any(compile_pattern(p).search(text) for p in ANALYTICS.config.sentiment.plain_turns) == (
            "얼마 전" not in text
        ), text


def test_a_plain_turn_is_not_judged_by_the_turn_model() -> None:
    class Always:  # a head that judges every turn negative
        def judge(self, vector: object, text: str = "") -> float:
            return 0.99

    config = ANALYTICS.config.sentiment
    scale = SentimentScale(config, Always())  # type: ignore[arg-type]
    vector = np.zeros(4, np.float32)
    assert scale.score("체크인은 몇 시부터예요", vector=vector).label == "neutral"
    assert scale.score("체크인은 오후부터예요", vector=vector).label == "negative"
    assert scale.score("소송 걸려는 건 아니고 서류만 필요해요", vector=vector).label == "neutral"


def test_an_objection_to_a_body_a_name_made_public_letting_a_complaint_go_and_sticking_with_it() -> None:
    assert found("건강보험공단에 정식으로 이의 신청하겠습니다") == ["escalation"]
    assert found("판매자 사기 건은 중고 거래 카페에 실명으로 공개할 거예요") == ["escalation"]
    assert found("민원 넣을까 하다가 그냥 전화로 여쭤보는 거예요") == []
    assert found("적금 깰까 고민했는데 조금만 더 버텨 보려고요") == []
    assert_negative("정수기 물에서 계속 이상한 냄새가 나요", "반찬 배송이 또 늦었네요")


def test_a_donation_stopped_back_to_the_old_way_a_firm_changed_by_vote_and_a_petition_set_aside() -> None:
    assert found("후원 단체 운영이 불투명해서 정기 후원 끊겠습니다") == ["churn_risk"]
    assert found("전자책 구독료 또 올리면 종이책으로 돌아갈 거예요") == ["churn_risk"]
    assert found("교복 업체를 내년부터 학교 운영위원회에서 바꾸기로 했어요") == ["churn_risk"]
    assert found("진정서 쓰는 방법 말고 그냥 환불 절차만 알려 주세요") == []
    assert ANALYTICS.sentiment.score("앨범이 너무 예쁘게 나와서 애가 좋아해요").label == "positive"


def test_a_pet_sent_elsewhere_a_group_told_a_review_site_and_someone_elses_suit() -> None:
    assert found("훈련사가 또 바뀌면 그냥 다른 훈련소 보낼래요") == ["churn_risk"]
    assert found("강아지가 다친 거 동물보호단체에 알리겠습니다") == ["escalation"]
    assert found("장비 고장 난 거 후기 사이트에 별점 하나 주고 다 쓸게요") == ["escalation"]
    assert found("소송 얘기는 제 친구 일이고요 저는 예약만 변경하려고요") == []
    assert found("공정거래위원회 사이트에서 약관 심사 결과 보는 곳이 어디예요") == []
    assert found("위약금이 얼마인지 말고 수업 일정만 알려 주세요") == []
    assert found("방탈출 너무 재밌었어요 다음에 또 올게요") == []
    scale = ANALYTICS.sentiment
    assert_negative("광택 맡긴 차에 새로 긁힌 자국이 생겼어요", "훈련비를 두 번 결제했어요")
    assert scale.score("방탈출 너무 재밌었어요").label == "positive"


def test_ended_this_month_leaving_weighed_and_what_is_not_asked() -> None:
    assert found("보조 식품 정기 구매 이번 달 말로 끝내 주세요") == ["churn_risk"]
    assert found("원복 업체가 계속 이러면 어린이집 옮기는 것도 생각해 볼 거예요") == ["churn_risk"]
    assert found("해지할까 고민했는데 혜택 설명 듣고 그냥 쓰기로 했어요") == []
    assert found("소송 절차가 궁금한 게 아니라 보상 기준만 알고 싶어요") == []
    assert found("변호사 상담 쿠폰은 어디서 쓰는 거예요") == []
    assert found("민원 접수 말고 그냥 기사님 일정만 다시 잡아 주세요") == []
    scale = ANALYTICS.sentiment
    assert_negative("보관 창고에 맡긴 소파에 곰팡이가 폈어요", "이미 사용됐다고 나와요 저는 쓴 적이 없는데요")
    assert scale.score("센터장님이 직접 전화 주셔서 오해가 풀렸어요").label == "positive"


def test_another_resort_an_agencys_standard_a_suit_not_come_to_and_coming_back() -> None:
    assert found("스키 시즌권 환불해 주세요 올해는 다른 리조트 다니기로 했어요") == ["churn_risk"]
    assert found("소비자원 기준으로 보면 환불이 몇 퍼센트예요") == []
    assert found("소송까지 갈 일은 아니고 그냥 조율하고 싶어요") == []
    assert found("다른 데로 옮길까 하다가 사장님 보고 여기 계속 오기로 했어요") == []
    assert_negative(
        "스키 렌탈 장비가 녹슬어 있었어요",
        "와인 병이 깨져서 박스가 다 젖어서 왔어요",
        "공사가 약속보다 열흘이나 늦어졌어요",
    )


def test_a_local_shop_from_now_on_a_community_told_a_standard_contract_and_no_complaint_meant() -> None:
    assert found("사진 인화는 이제 동네 사진관에서 할게요 배송이 너무 늦어서요") == ["churn_risk"]
    assert found("캠프에서 애가 다쳤는데 학부모 커뮤니티에 다 공유할 겁니다") == ["escalation"]
    assert found("공정위 표준 약관대로 하면 환불이 어떻게 돼요") == []
    assert found("소송할 생각은 전혀 없고요 그냥 설명만 듣고 싶어요") == []
    assert found("민원 넣는 게 아니라 그냥 일정 확인하려고 전화했어요") == []
    assert found("탈퇴하려다가 매니저님 말 듣고 조금 더 해 보기로 했어요") == []
    assert found("해지 방법은 알고 있고요 결제일만 알려 주세요") == []
    assert ANALYTICS.sentiment.score("경로당 점심이 다 식어서 나왔대요").label == "negative"


def test_only_this_month_more_leaving_if_it_happens_again_and_someone_in_charge_asked_for() -> None:
    assert found("태권도장 이번 달만 다니고 수영으로 바꿀게요") == ["churn_risk"]
    assert found("학습지 선생님이 또 바뀌면 그만둘 거예요") == ["churn_risk"]
    assert found("해지할까 했는데 요금 조정해 주셔서 그냥 쓸게요") == []
    assert found("이 문제는 상담사님 말고 지점장님이 직접 해결해 주셔야 해요") == ["escalation"]
    assert found("지점장님이 직접 해결해 주셔서 감사했어요") == []
    assert found("방송통신위원회 고시에 요금 기준이 있다던데 그게 뭐예요") == []


def test_another_brand_a_provider_changed_an_administrative_appeal_and_complaints_not_made() -> None:
    assert found("가구 회사 한 번만 더 이러면 다른 브랜드로 다 바꿀 거예요") == ["churn_risk"]
    assert found("산후 도우미 업체 바꿀 수 있나요 지금 분이랑 안 맞아서요") == ["churn_risk"]
    assert found("과태료 부과가 부당하면 행정 심판 청구하겠습니다") == ["escalation"]
    assert found("소송 같은 거 말고 원만하게 해결하고 싶어요") == []
    assert found("민원은 넣지 않을 테니 처리 결과만 문자로 주세요") == []
    assert_negative("가구 문짝이 안 맞아서 닫히지가 않아요", "운동화 세탁 맡겼는데 색이 빠져서 왔어요")


def test_a_firm_changed_for_another_a_care_body_told_and_what_an_appeal_costs() -> None:
    assert found("돌봄 서비스 업체를 구청 연계 기관으로 바꾸려고 해요") == ["churn_risk"]
    assert found("병원 예약을 다음 주 화요일로 옮길 수 있을까요") == []
    assert found("학교 운영위원회에 업체 교체 건의할 거예요") == ["churn_risk"]
    assert found("어르신한테 소리 지른 거 노인보호전문기관에 신고하겠습니다") == ["escalation"]
    assert found("분쟁 조정 위원회 신청은 비용이 드나요") == []
    assert ANALYTICS.sentiment.score("주차권이 등록이 안 돼서 주차비를 따로 냈어요").label == "negative"


def test_a_quote_from_any_firm_an_agencys_number_a_reports_papers_and_a_year_more() -> None:
    assert found("다른 세무사 사무실이랑 비교 견적 받아 봐도 되죠") == ["churn_risk"]
    assert found("소비자원 상담 번호가 몇 번이에요") == []
    assert found("경찰 신고 사실 확인서가 보험 청구에 필요해요") == []
    assert found("해지하려다가 할인해 주신다고 해서 일 년 더 쓰기로 했어요") == []
    assert found("민원 넣을 건 아니고요 절차만 알고 싶어요") == []
    assert ANALYTICS.sentiment.score("어린이집 대기 순번이 갑자기 뒤로 밀렸어요").label == "negative"


def test_never_again_said_short_a_suit_not_meant_and_faults_soon_after_the_work() -> None:
    assert found("타이어 보증 안 해 주면 이 매장 다신 안 와요") == ["churn_risk"]
    assert found("이런 식이면 다신 안 씁니다") == ["churn_risk"]
    assert found("이 매장 다시 안 와요") == ["churn_risk"]  # 다신 as recognized
    assert found("인증 문자가 다시 안 와요") == []
    assert found("소송까지 할 생각은 업고 환불 규정만 알려 주세요") == []  # 없고 as recognized
    assert found("소송까지 할 생각은 없고 환불 규정만 알려 주세요") == []
    assert found("변호사 상담 예약은 어디서 해요") == []
    assert found("변호사 선임해서 손해배상 청구하겠습니다") == ["legal_threat"]
    scale = ANALYTICS.sentiment
    assert scale.score("소송까지 할 생각은 없고 환불 규정만 알려 주세요").label == "neutral"
    assert_negative(
        "도배지가 일주일 만에 들뜨기 시작했어요",
        "산 지 사흘 만에 고장 났어요",
        "타이어 갈고 나서 핸들이 한쪽으로 쏠려요",
        "보일러 수리하고 나서 물이 새요",
    )
    assert scale.score("보일러 수리하고 나서 소리가 안 나요").label != "negative"


def test_ended_with_the_month_another_site_from_now_on_and_a_nutty_oil() -> None:
    assert found("과외 선생님 바꿔 주시든지 아니면 이번 달로 끝낼게요") == ["churn_risk"]
    assert found("낚싯배 예약 사이트는 이제 딴 데 쓸 거예요") == ["churn_risk"]
    assert found("예약은 다른 날로 옮길게요") == []  # a date moved, nobody leaving
    assert found("배송지 다른 곳으로 보내 주세요") == []
    assert found("고소한 참기름 선물 세트 있어요") == []
    assert found("연이 번 달로 끝날게요") == ["churn_risk"]  # 이번 달로 끝낼게요 as recognized
    assert found("책이 만 짐연소 송걸거입니다") == ["legal_threat"]  # … 소송 걸 겁니다 as recognized
    assert found("배송 걸릴 거예요") == []
    scale = ANALYTICS.sentiment
    assert scale.score("한약 먹고 나서 계속 속이 메스꺼워요").label == "negative"
    assert scale.score("침 맞고 나서 바로 샤워해도 돼요").label != "negative"
    assert scale.score("헌혈하고 나서 어지러우면 얼마나 쉬어야 돼요").label != "negative"  # a question
    assert scale.score("해지 말고 일시 정지로 돌려 주세요").label == "neutral"
    for text in (
        "명함이 생각보다 훨씬 고급스럽게 나왔네요",
        "그만두려다가 선생님이랑 상담하고 계속하기로 했어요",
    ):
        assert scale.score(text).label == "positive", text


def test_a_court_order_for_payment_and_an_app_that_keeps_crashing() -> None:
    assert found("월세 보증금 안 돌려주면 지급명령 신청하겠습니다") == ["legal_threat"]
    assert found("가압류 걸 거예요 각오하세요") == ["legal_threat"]
    assert found("지급명령 서류 양식은 어디서 받아요") == []
    assert found("가압류 해제 서류 떼려면 어디로 가요") == []
    assert ANALYTICS.sentiment.score("필라테스 예약 앱이 자꾸 튕겨서 예약을 못 해요").label == "negative"
    assert (
        ANALYTICS.sentiment.score("탈퇴하려다가 혜택 얘기 듣고 조금 더 다녀 보기로 했어요").label
        == "positive"
    )


def test_late_by_the_hour_clothes_shrunk_a_long_wait_and_a_promise_broken_again() -> None:
    scale = ANALYTICS.sentiment
    assert_negative(
        "가사도우미가 약속 시간보다 한 시간 늦게 왔어요",
        "건조기 돌리고 나서 옷이 다 줄어들었어요",
        "시계 수리 맡긴 지 석 달이 넘었는데 아직이에요",
        "베이비시터가 아이 낮잠 시간을 자꾸 어겨요",
        "폐차 서류 처리가 계속 지연되고 있어요",
    )
    assert scale.score("예약한 지 일주일 됐는데 날짜 바꿀 수 있어요").label != "negative"


def test_an_agency_not_meant_stayed_after_all_and_what_something_is_asked() -> None:
    assert found("금감원에 넣을 생각까지는 없어요 설명만 제대로 해 주세요") == []
    assert found("금감원에 넣겠습니다") == ["escalation"]
    assert found("딴 회사로 옮기려다가 상담받고 남기로 했어요") == []
    assert found("딴 회사로 옮기려고요") == ["churn_risk"]
    scale = ANALYTICS.sentiment
    assert scale.score("딴 회사로 옮기려다가 상담받고 남기로 했어요").label == "positive"
    assert scale.score("금감원에 넣을 생각까지는 없어요 설명만 제대로 해 주세요").label == "neutral"
    assert scale.score("금은방 영업시간이 어떻게 되세요").label == "neutral"
    assert_negative(
        "드론 시험 일정이 공지도 없이 바뀌었어요",
        "해외직구 대행 수수료가 또 오르면 직접 구매로 돌아갈 거예요",
    )


def test_another_bank_from_now_on_a_report_not_meant_and_a_complaints_form() -> None:
    assert found("환전 우대율이 이 모양이면 앞으로 딴 은행에서 할게요") == ["churn_risk"]
    assert found("경찰에 신고하려는 건 아니고 절차만 알고 싶어요") == []
    assert found("경찰에 신고하겠습니다") == ["legal_threat"]
    assert found("고소장 쓰는 방법 안내 책자 있어요") == []
    assert found("환전우 대우리이 모양이면 앞으로 다른 행에서 할게요") == ["churn_risk"]  # 은행 heard 행
    assert ANALYTICS.sentiment.score("기숙사 방이 밤새 추웠어요").label == "negative"
    assert ANALYTICS.sentiment.score("환전 금액이 신청한 거랑 달라요").label == "negative"


def test_a_complaint_raised_with_a_group_an_appeal_with_a_suit_and_kept_after_all() -> None:
    assert found("배차 거부한 거 장애인 단체랑 같이 문제 제기할 겁니다") == ["escalation"]
    assert found("문제 제기할 수 있는 방법이 있나요") == []
    assert found("판정한 거 행정 심판 청구하고 소송하겠습니다") == ["escalation", "legal_threat"]
    assert found("권익위에 민원 넣을 정도는 아니고요 설명만 해 주세요") == []
    assert found("해지하려다가 연회비 면제해 준다고 해서 그냥 두기로 했어요") == []
    assert found("이렇게 불친절하면 다음엔 다른 검사소 갈 거예요") == ["churn_risk"]
    assert found("다음엔 다른 날짜로 할게요") == []
    scale = ANALYTICS.sentiment
    assert_negative(
        "하이패스 통과했는데 미납으로 떴어요",
        "택시 예약이 또 취소됐어요",
        "연금 수령액이 안내받은 금액보다 적게 들어왔어요",
        "증명서 떼러 갔는데 시스템 점검이라고 그냥 돌려보냈어요",
        "이 보험사랑은 이번 만기로 끝입니다",
    )
    for text in ("입영 또 연기할 수 있어요", "권익위에 민원 넣을 정도는 아니고요 설명만 해 주세요"):
        assert scale.score(text).label == "neutral", text


def test_another_dealer_a_group_told_a_yes_or_no_ask_and_a_wait_already_long() -> None:
    assert found("축협 사료 안 쓰고 개인 업체랑 거래할 겁니다") == ["churn_risk"]
    assert found("다음 달부터 읍내 다른 농약사 다닐 겁니다") == ["churn_risk"]
    assert found("선주 협회에 이 선사 운항 실태 다 알리겠습니다") == ["escalation"]
    assert_negative(
        "트랙터 빌린 지 하루 만에 시동이 안 걸려요",
        "환불은 언제쯤 들어오는 거예요? 벌써 보름 지났는데",
    )
    for text in (
        "갯벌 체험 장화는 빌려주나요",
        "귀농 지원금 신청 기간이 언제까지예요",
        "농약 빈 병은 어디에 버리면 돼요",
    ):
        assert plain(text), text
    assert not plain("렌터카 안에서 담배 냄새가 너무 나요")


def test_dropped_after_selection_nothing_explained_part_paid_and_a_weight_off() -> None:
    assert found("월세 지원 대상이라더니 이제 와서 탈락이래요") == []
    assert found("지원 대상이나 건일이 이제 와서 탈락이래요") == []  # as heard
    scale = ANALYTICS.sentiment
    assert_negative(
        "신청했는데 반려 사유도 안 알려 주네요",
        "아동수당이 엉뚱한 계좌로 들어갔어요",
        "퇴직금을 절반밖에 못 받았어요",
    )
    assert scale.score("실업급여 생각보다 빨리 나와서 숨통이 트였어요").label == "positive"
    assert scale.score("하나밖에 안 남았어요?").label == "neutral"


def test_a_payment_stopped_for_something_else_late_against_the_due_day_and_which_of_two() -> None:
    assert found("클라우드 용량 결제 끊고 외장 하드 쓸게요") == ["churn_risk"]
    scale = ANALYTICS.sentiment
    assert_negative(
        "정산금이 예정일보다 닷새나 늦게 들어왔어요",
        "인증서 갱신하라고 해서 했는데 또 만료래요",
        "어디까지 털렸는지 몰라서 잠이 안 와요",
    )
    assert scale.score("펀딩 리워드 퀄리티가 기대 이상이에요").label == "positive"
    assert plain("보안카드랑 오티피 중에 뭐가 더 편해요")


def test_another_office_an_appeal_said_done_and_not_and_a_check_with_jyo() -> None:
    assert found("일 처리가 늦어서 다른 데 맡길 거예요") == ["churn_risk"]
    assert found("후견 심판 결과 안 바뀌면 항소할 겁니다") == ["legal_threat"]
    assert_negative(
        "시민 감사관에 이 건 접수하겠습니다",
        "조회 결과가 한 달이 지나도 안 나와요",
        "혼인신고 처리됐다더니 등록부에 안 올라가 있어요",
        "재발급이 석 주제 안 날고 있어요",  # 석 주째 as heard
    )
    for text in ("상속 포기 신청 기한이 석 달이죠", "팩스로 보내도 되죠", "무인 발급기에서도 돼죠"):
        assert plain(text), text
    assert not plain("환불해 주셔야죠")


def test_head_office_with_words_between_and_what_for_then() -> None:
    assert found("본사 고객 담당 부서로 연결해 주세요 여기서는 안 되겠네요") == ["escalation"]
    assert ANALYTICS.sentiment.score("혜택 다 없어졌으면 뭐 하러 써요").label == "negative"


def test_until_this_year_another_firm_after_words_and_a_commission_told_no_suit() -> None:
    assert found("간판 관리 계약 올해까지만 하겠습니다") == ["churn_risk"]
    assert found("간판 관리리 계약을 해까지만 하겠습니다") == ["churn_risk"]  # as heard
    assert found("정산이 이렇게 늦으면 다른 카드 단말기 회사로 바꿀 겁니다") == ["churn_risk"]
    assert found("다른 날짜로 바꿀게요") == []
    assert found("공정위에 갑질 신고할 겁니다") == ["escalation"]  # the turn model's legal threat yields
    assert_negative("창고 보관료가 공지 없이 올랐어요", "정산금이 사흘 제 안 들어왔어요")


def test_a_head_asked_for_a_device_off_by_itself_and_cancelled_yet_charged() -> None:
    assert found("병원장님한테 직접 얘기하겠습니다") == ["escalation"]
    assert found("스마트워치가 밤마다 혼자 꺼져요") == []
    assert found("너 꺼져") == ["abusive_language"]
    assert found("영양제 정기 배송이 해지했는데도 또 결제됐어요") == []
    scale = ANALYTICS.sentiment
    assert_negative(
        "이 원격 진료 서비스 불편해서 탈퇴하겠습니다",
        "선생님이 자주 바뀌어서요",
        "퇴원 수속 기다리다가 네 시간이 지났어요",
        "앱 업데이트 이후로 복약 알림이 안 와요",
        "정기 배송이 해지했는데 도 결제됐어요",  # as heard
    )
    assert scale.score("검진 결과 이상 없다고 해서 마음이 놓였어요").label == "positive"


def test_another_professional_not_entrusted_from_next_month_and_a_line_always_busy() -> None:
    assert found("이번 신고 끝나면 다른 세무사로 바꿀게요") == ["churn_risk"]
    assert found("홈택스 말고 다른 신고 대행 앱으로 옮길 거예요") == ["churn_risk"]
    assert found("기장 대행 다음 달부터 안 맡길 거예요") == ["churn_risk"]
    assert found("기장대행 다음 달부터 안 맞길 거예요") == ["churn_risk"]  # as heard
    assert found("앞으로는 안 할게요 죄송해요") == []
    assert found("가산 세손혜배상 받아야겠어요") == ["legal_threat"]
    assert_negative(
        "홈택스가 신고 마감 날 계속 접속이 안 돼요",
        "신고 서류를 다 냈는데 또 보완하라고 하네요",
        "세무서 전화는 하루 종일 통화 중이에요",
    )


def test_why_like_this_and_hours_counted_as_heard() -> None:
    assert_negative(
        "다른 데는 바로 주던데 여기는 왜 이래요 해 주나요", "정전이 두 시간 차인데 언제 복구 돼요"
    )


def test_a_public_corporation_told_other_than_booked_at_will_and_one_thing_over_and_over() -> None:
    assert found("관광공사에 이 여행사 신고하겠습니다") == ["escalation"]
    assert found("인테리어 공사에 신고가 필요한가요") == []
    scale = ANALYTICS.sentiment
    assert_negative(
        "예약한 방이 아니라 창문도 없는 방을 주더라고요",
        "좌석 배정이 멋대로 바뀌어서 가족이랑 떨어져 앉았어요",
        "가이드가 일정을 마음대로 바꿨어요",
        "가이드가 쇼핑만 계속 끌고 다녔어요",
        "상담원이 같은 말만 계속 반복해요",
    )
    assert scale.score("예약한 방이 아니라 다른 방으로 바꿔 주세요").label == "neutral"


def test_stopped_from_next_week_moved_to_another_bank_flooded_and_collected_twice() -> None:
    assert found("청소 대행 정기 서비스 다음 주부터 그만 받을게요") == ["churn_risk"]
    assert found("이번 달까지만 하고 그만 다닐게요") == ["churn_risk"]
    assert found("적금은 다른 은행으로 돌릴 겁니다") == ["churn_risk"]
    assert found("자동 이체 계좌만 다른 은행으로 바꿀게요") == []  # the account a bill is paid from
    assert_negative("지하 주차장에 물이 차서 차가 다 젖었어요", "장기 수선 충당금을 이중으로 걷어 갔어요")


def test_another_make_bought_wrong_again_charged_again_a_promise_unkept_and_help_come_quickly() -> None:
    assert found("출고가 또 밀리면 계약 취소하고 다른 브랜드 차 살 겁니다") == ["churn_risk"]
    scale = ANALYTICS.sentiment
    assert_negative(
        "출고가 또 밀리면 계약 취소하고 다른 브랜드 차 살 겁니다",
        "렌터카 반납할 때 기름 가득 채웠는데 주유비를 또 받았어요",
        "딜러가 약속한 사은품을 하나도 못 받았어요",
    )
    assert scale.score("약속한 사은품 언제 받을 수 있어요").label == "neutral"
    assert scale.score("긴급 출동 기사님이 금방 오셔서 타이어 바로 갈아 주셨어요").label == "positive"


def test_a_relief_claim_to_a_committee_and_a_smell_that_rises() -> None:
    assert found("부당 해고로 노동위원회에 구제 신청하고 행정소송까지 갈 거예요") == [
        "escalation",
        "legal_threat",
    ]
    heard = "한국에 이료분장 조정정 재원에 중재 신청하고 변호사도 선임할 겁니다"  # a mediation body, as heard
    assert found(heard) == ["escalation", "legal_threat"]
    assert found("중재 신청은 어디서 하는 건지 알고 싶어요") == []
    assert ANALYTICS.sentiment.score("하수구 냄새가 여름 내내 올라와요").label == "negative"


def test_a_law_offices_own_words_are_no_threat_to_it() -> None:
    for text in (
        "변호사님 상담 가능한 시간 알려 주세요",
        "변호사님 얼굴은 선임할 때 한 번 본 게 다예요",
        "내용증명은 등기로 보내야 하죠",
        "네 용증명은 등기로 보내야 하죠",  # as heard
    ):
        assert "legal_threat" not in found(text), text
    assert found("제 변호사님이 내일 연락드릴 겁니다") == ["legal_threat"]
    assert found("변호사 통해서 연락드리겠습니다") == ["legal_threat"]
    assert found("변호사라는 놈이 이 따위로 일하냐 미친놈아") == ["abusive_language"]
    assert found("변호사 협회에 이 사무실 징계 요청할 겁니다") == ["escalation"]
    assert found("담당 변호사님 말고 대표 변호사님 연결해 주세요") == ["escalation"]
    assert found("이 사무실은 연락이 너무 안 돼서 다른 법무법인으로 사건 옮길 거예요") == ["churn_risk"]
    assert found("다음 사건은 다른 변호사님한테 맞기려고요") == ["churn_risk"]  # 맡기 heard 맞기
    assert found("이런 식이면 선임 취소하고 국선 변호인 신청할 겁니다") == ["churn_risk"]
    assert found("법무사 사무실 바구여 고요 서류 돌려 주세요") == ["churn_risk"]  # as heard
    scale = ANALYTICS.sentiment
    assert_negative("재판 날짜를 전날에야 알려 주셨어요", "재판 날자를 전날에 알려 주셨어요")
    assert scale.score("당일에 알려 주세요").label == "neutral"
    assert scale.score("변호사님이 끝까지 싸워 주셔서 보증금 다 돌려받았어요").label == "positive"
    assert plain("공증 수수료는 얼마 정도예요") and plain("공증 받을 때 신분증 원본 가져가야 하죠")
    assert not plain("빨리 처리해 주셔야죠")


def test_a_delivery_stopped_until_a_term_the_head_called_and_a_suit_split_as_heard() -> None:
    assert found("식품관 정기 배송 다음 달부터 끊어 주세요") == ["churn_risk"]
    assert found("자동 이체는 다음 달부터 끊어 주세요 카드로 낼게요") == []
    assert found("문화 센터수가 이 건 확기까지만 하고 그만 돌게요") == ["churn_risk"]  # as heard
    assert found("매장 메니 더 말고 점장님 불어주세요") == ["escalation"]  # 불러 heard 불어
    assert found("가봄 반 검연 사기제 로고 소하겠습니다") == ["legal_threat"]  # 고소 split
    scale = ANALYTICS.sentiment
    assert scale.score("선물 포장을 부탁했는데 그냥 비닐봉지에 담아 보냈어요").label == "negative"


def test_a_competitors_product_the_steps_to_cancel_fed_up_down_and_lost() -> None:
    assert found("경쟁사 솔루션으로 넘어가려고 견적 받아 봤어요") == ["churn_risk"]
    assert found("유지 보수 계약 해지 절차 알려 주세요") == ["churn_risk"]
    assert_negative(
        "이번 장애로 질려서 계약 끝나면 다른 클라우드로 이전할 겁니다",
        "서버가 이번 달에만 네 번째 다운됐어요",
        "매뉴얼대로 했는데 설정이 다 날아갔어요",
        "명절 표 예매하려고 새벽부터 기다렸는데 접속도 안 됐어요",
    )


def test_broken_and_so_no_one_coming_an_ultimatum_and_going_round() -> None:
    assert found("담당 교수 바꿔 주시든지 아니면 병원 옮길게요") == ["churn_risk"]
    assert found("이렇게 불칭절하면 다시 네 병원 안 와요") == ["churn_risk"]  # 다신 이 heard 다시 네
    assert found("진료기록 고친 검연 경사고 발하겠습니다") == ["legal_threat"]  # 고발 split
    assert found("주차장이 꽉 차서 삼십 분을 돌았어요") == []
    assert found("이 양반이 진짜 돌았나") == ["abusive_language"]
    scale = ANALYTICS.sentiment
    assert_negative(
        "입원실 에어컨이 고장 나서 밤새 더웠어요",
        "간호사실 호출 벨을 눌러도 아무도 안 와요",
        "담당 교수 바꿔 주시든지 아니면 병원 옮길게요",
        "야글 바구고 나서 개속 어지러워요",  # as heard
    )
    assert scale.score("집 앞 가로등이 고장 났는데 신고는 어디로 해요").label == "neutral"


def test_another_agency_looked_into_a_term_ended_charged_over_changed_on_the_day_and_relief() -> None:
    assert_found(
        ["churn_risk"],
        "이 부동산은 못 믿겠어요 다른 중개사무소 통해서 알아볼게요",
        "관리 업체 계약 만료되면 다른 업체랑 계약하려고요",
        "임대 관리 서비스 이번 계약까지만 맡기고 끝낼게요",
        "이렇게 말 바꾸시면 다른 부동산에 집 내놓을 겁니다",
    )
    assert found("다른 방법으로 알아볼게요") == []
    assert found("집주인이라는 작자가 개념이 없네 진짜") == ["abusive_language"]
    scale = ANALYTICS.sentiment
    assert_negative("중개 수수료를 법정 요율보다 더 받았어요", "계약 당일에 집주인이 조건을 바꿨어요")
    assert scale.score("보증금 무사히 돌려받아서 한숨 돌렸어요").label == "positive"


def test_instalments_stopped_and_a_bill_over_what_was_told() -> None:
    assert found("월 납입 자동이체 끊어 주세요 더는 안 낼 거예요") == ["churn_risk"]
    assert found("납입 중단해 주세요") == ["churn_risk"]
    assert found("이번 달은 사정이 있어서 못 내요") == []
    assert_negative(
        "정산서 금액이 처음 안내받은 것보다 백만 원이 넘게 많아요",
        "견적 받은 것보다 삼십만 원 더 나왔어요",
    )
    assert ANALYTICS.sentiment.score("처음 들은 것보다 많이 좋아졌어요").label != "negative"


def test_an_account_deleted_a_plan_stopped_a_game_quit_and_things_gone() -> None:
    assert found("아이 계정은 오늘부로 삭제해 주세요") == ["churn_risk"]
    assert found("아이 계정은 오늘 불오삭제해 주세요") == ["churn_risk"]  # as heard
    assert found("계정 비밀번호 삭제해 주세요") == []
    assert found("월정액 자동 결제 끊어 주세요 이제 안 할 거예요") == ["churn_risk"]
    assert found("자동이체 끊고 직접 낼게요") == []
    assert found("이런 식으로 운영하면 게임 접을 수밖에 없어요") == ["churn_risk"]
    assert found("종이학 다 접고 나서요") == []
    assert_negative(
        "유료로 산 아이템이 우편함에서 사라졌어요",
        "서버 렉 때문에 랭크 점수가 다 깎였어요",
        "서버력 때문에 뱅크 점수가 다 가겼어요",  # as heard
        "계정이 이유도 없이 정지됐어요",
    )
    scale = ANALYTICS.sentiment
    assert scale.score("이번 업데이트 정말 재밌어요").label == "positive"


def test_changed_and_charged_again_what_a_child_should_not_see_and_a_promise_broken() -> None:
    assert_negative(
        "결제 수단을 바꿨는데 예전 카드로 또 빠져나갔어요",
        "결제 수단을 바뀌었는데 예전 카드로 또 빠져나갔어요",  # as heard
        "아이 프로필에 성인 콘텐츠가 추천으로 떴어요",
        "아이프로필의 성인 콘텐츠가 추천으로 떠서요",  # as heard
        "동시 접속이 된다더니 두 명만 돼도 튕겨요",
    )
    scale = ANALYTICS.sentiment
    assert scale.score("아이가 성인이 되면 명의 바꿔요").label == "neutral"
    assert found("상담원이 나준 게 말구이를 모달아 드네 멘청하게") == ["abusive_language"]  # as heard


def test_kind_as_heard() -> None:
    scale = ANALYTICS.sentiment
    assert scale.score("직원 분들이 끝까지 칭절하게 도와주셨어요").label == "positive"  # 친절 heard 칭절
    assert scale.score("직원이 너무 불칭절해요").label == "negative"
    assert found("뉴스 제모해서 이사고 다 알일 겁니다") == ["escalation"]  # 제보 heard 제모


def test_the_firm_changed_insured_elsewhere_a_choice_regretted_and_told_to_pay_more() -> None:
    assert_found(
        ["churn_risk"],
        "이렇게 날짜를 멋대로 바꾸면 업체 바꿉니다",
        "선적 보험은 빼고 다른 보험사로 따로 들게요",
        "짐을 이 꼴로 만들어 놓고 잔금 달라고요 다른 데 맡길 걸 그랬네요",
    )
    assert found("택배 업체 바꿔 주세요") == []
    assert found("잔금은 짐 도착하고 내면 되나요") == []  # a plain check, not leaving
    assert found("이사호기 사이트에 사진이랑 같이 다 올리겠습니다") == ["escalation"]  # 후기 heard 호기
    assert_negative("견적보다 부피가 늘었다고 돈을 더 내래요", "보험 처리해 준다더니 서류만 계속 달래요")


def test_a_pass_cancelled_another_club_and_a_server_gone_under() -> None:
    assert found("내년 시즌권은 안 사고 다른 구단 시즌권 살 거예요") == ["churn_risk"]
    assert found("이런 구단은 원하는 이차날이 안 보고 말지 시즌권 취소해 주세요") == [
        "churn_risk"
    ]  # as heard
    assert found("예매한 표 취소해 주세요") == []
    assert_negative("예매 오픈하자마자 서버가 터져서 하나도 못 샀어요")
    assert ANALYTICS.sentiment.score("아들이 선수한테 사인 받고 너무 좋아했어요").label == "positive"


def test_a_membership_given_up_a_group_chat_told_and_an_audit_demanded() -> None:
    assert_found(
        ["churn_risk"],
        "분담금이 이렇게 나오면 그냥 현금 청산하고 나갈게요",
        "이럴 거면 조합원 자격 포기하겠습니다",
        "일월 검연 조합원 자격 보기 하겠습니다",  # as heard
        "신탁 방식으로 바꾸면 저는 빠질 거예요",
    )
    assert found("조합원 단톡방에 이 내용 다 공개하겠습니다") == ["escalation"]
    assert found("조합장이라는 놈이 양아치야") == ["abusive_language"]
    assert_negative("사업비가 어디에 쓰였는지 아무도 설명을 안 해요")
    for audit in (
        "조합장 말고 감사 나오라고 하세요",
        "조합장 말고 감사가 오라고 하세요",
    ):  # the second as heard
        assert ANALYTICS.sentiment.score(audit).label != "positive", audit  # an audit, no thanks
    assert ANALYTICS.sentiment.score("다행히 아무도 안 다쳤어요").label == "positive"


def test_dearer_here_left_out_again_and_leaving_as_heard() -> None:
    assert_negative(
        "같은 제품인데 매장보다 온라인이 더 비싸요",
        "정기 배송 상품이 이번 달도 빠졌어요",
        "정기 배송 상품이 이건 달도 빠졌어요",  # as heard
    )
    assert ANALYTICS.sentiment.score("생각보다 더 비싸지 않네요").label != "negative"
    for heard in ("앱아림 구구 회원 탈트에 처리해 주세요", "동문회 팔태할게요", "다른 브랜드로 바뀔 거예요"):
        assert found(heard) == ["churn_risk"], heard  # 탈퇴, 바꿀 as recognition hears them
    assert found("멤버십탈트에 말고 등급만 낮춰 주세요") == []  # 탈퇴 set aside, as heard
    assert found("탈트해하려다가 매니저님 말도 조금 더 해보기로 했어요") == []  # about to leave, stayed


def test_work_taken_in_house_and_given_something_that_does_not_work() -> None:
    assert found("운임을 또 올리면 자차로 돌리겠습니다") == ["churn_risk"]
    assert found("운임을 도올림 연자차로 돌리겠습니다") == ["churn_risk"]  # as heard
    assert found("이러면 다른 날로 돌릴게요") == []
    assert_negative("운송장 번호를 받았는데 조회가 안 돼요")


def test_moving_to_the_one_named_cut_off_that_day_and_what_is_in_the_water() -> None:
    assert found("마트 배송이 더 싸서 그쪽으로 바꾸려고요") == ["churn_risk"]
    assert found("물에서 냄새 나는 것도 오면 그나로 끊어요") == ["churn_risk"]  # 그날로 as heard
    assert found("지역 카페 에사진이랑 같이 다 올리겠습니다") == ["escalation"]  # as heard
    assert_negative(
        "생수병 안에 검은 이물질이 떠 있어요",
        "물에서 비린내가 나요",
        "주문한 것보다 두 묶음이 덜 왔어요",
        "정기 배송 요일을 바뀌었는데 예전 요일에 도왔어요",  # 또 왔어요 as heard
    )


def test_not_a_single_one_a_part_that_keeps_failing_and_a_price_asked() -> None:
    assert_negative(
        "대여소에 자전거가 한 대도 없어요",
        "대여 수에 자전거가 한대도 없어요",  # as heard
        "빌린 자전거 체인이 계속 빠져요",
        "비린 자전거 체인이 개속 빠져요",  # as heard
        "자전거 바구니가 부서져서 짐이 다 떨어졌어요",
    )
    assert found("정기권 가격이 얼마예요") == []  # a price asked, no leaving
    assert found("위약금은 얼마예요") == ["churn_risk"]  # the cost of leaving, by its words


def test_no_more_business_money_taken_out_and_a_wait_of_hours() -> None:
    assert_found(
        ["churn_risk"],
        "창구에서 이렇게 기다리게 하면 거래 안 합니다",
        "택배는 앞으로 사설 택배 회사 쓸 거예요",
        "적금 만기 되면 재예치 안 하고 다 뺄게요",
        "우체국 보험 해애하고 황급금 받을게요",  # 해약 as heard
    )
    assert found("앞으로는 다른 색으로 쓸 거예요") == []
    assert found("짐은 다음 주에 다 뺄게요") == []
    assert_negative(
        "번호표 뽑고 한 시간을 기다렸어요",
        "만기 보험금이 안내바은 금액보다 적게 들어왔어요",  # as heard
        "인터넷 뱅킹 인증서가 자꾸 오료나요",  # as heard
    )


def test_a_discount_promised_and_not_given_not_cleaned_and_leaving_if_again() -> None:
    assert_negative(
        "회원권 할인 된다더니 정가로 받았어요",
        "회원권 한린된다던이 정가로 받았어요",  # as heard
        "청소를 안 해서 머리카락이 여기저기 있어요",
        "탈의실 도난 사고 또 나면 바로 끊습니다",
    )
    assert ANALYTICS.sentiment.score("할인 된다면서요 그럼 결제할게요").label != "negative"


def test_anything_else_better_and_charged_after_cancelling() -> None:
    assert_negative(
        "이 가격이면 그냥 도서관 다니는 게 낫겠어요",
        "이 가격이면 그냥 도서관 다니는 게 낮겠어요",  # as heard
        "책에서 곰팡이 냄새가 나요",
    )
    assert ANALYTICS.sentiment.score("내일 오는 게 낫겠어요").label == "neutral"
    assert found("해지 신청했는데 이번 달에도 결제됐어요") == []  # a complaint, no leaving


def test_a_member_of_another_place_and_a_site_that_kept_stopping() -> None:
    assert_found(
        ["churn_risk"],
        "공연 취소가 이렇게 잦으면 다른 공연장 회원으로 갈래요",
        "공연 취소가 이렇게 자주면 다른 공연장 회원으로 가네요",  # as heard
        "딴 헬스장 회원권으로 옮길게요",
    )
    assert found("다른 지점 회원으로 가입돼 있어요") == []
    assert_found(["legal_threat"], "보상 안 하면 범대로 하겠습니다")  # 법대로 as heard
    assert_negative(
        "회원 선예매 날 사이트가 계속 멈췄어요",
        "환불 수수료가 안내랑 달라요",
        "설명이랑 금액이 다르잖아요",
    )
    assert ANALYTICS.sentiment.score("이렇게 자주 오면 좋겠어요").label != "negative"


def test_words_recognition_garbles_mined_from_the_recognized_sets() -> None:
    assert_found(
        ["legal_threat"],
        "과실 비율 이대로면 민사 소손으로 가겠습니다",  # 소송 as heard
        "부당 과세로 행정 소통 걸 겁니다",
        "안 돌려 주면 소통할 거입니다",
        "분실된 소포가 반물어주면 소소 응하겠습니다",
        "이중 개약이면 사기로 교서합니다",  # 고소 as heard
        "계약서 위조한 거면 위조로 교수할 겁니다",
        "직무육 위로 고 말하겠습니다",  # 고발 heard apart
    )
    assert_found(
        ["escalation"],
        "한국 송이 나와내 환불 거부 건 접수할게요",  # 한국소비자원에
        "보건 소외 신구할 거예요",
        "건강 보험공단에 부당 청구 신구할 거예요",
        "검사민 원 너겠습니다",
        "학구모던톡방에 사진 올려서 공론화할게요",
        "매니저 바구아 주세요 지금 당장요",
        "간리자나 오라고 하세요",
        "너네 사장대려 와",
    )
    assert_found(["abusive_language"], "시 발 도대기 두 시간이야", "이런 변신 같은 흥대는 처음 보내")
    assert_found(["churn_risk"], "보험 해액 황급금 얼마나 오는지 알려 주세요")
    assert_found(
        [],
        "답을 빨리 주면 소통이 편하죠",
        "다시 발송해 주세요",
        "시 발표는 언제예요",
        "피해액이 얼마인지 알려 주세요",
        "친구가 소개해 줬어요",
    )
    assert found("원이구 예민 원 넣을 정보는 아니고 요설명만 해주세요") == []  # no complaint meant, as heard


def test_an_office_given_up_a_review_app_and_gone_mad_said_only_of_someone() -> None:
    assert_found(
        ["churn_risk"],
        "직원들이 재택으로 돌아서 사무실 정리하려고요",
        "직원들이 재택으로 돌아서 삼우실 정리하려고요",  # as heard
        "인터넷이 이 모양이면 당장 빼고 나갈 겁니다",
        "이 가격에 이시설이면 제 계약은 안 하게 했습니다",  # 재계약 as heard
    )
    assert found("사무실 정리 좀 도와주세요") == []
    assert found("제 계약은 안 해도 돼요 남편 것만 할게요") == []
    assert_found(
        ["escalation"],
        "리뷰 앱에 별점 하나 주고 다 적을 거예요",
        "입주사단 턱방에 이문제 다 공유할게요",  # 단톡방 as heard
    )
    assert_found(["legal_threat"], "보증금 안 돌려 주시면 소통 드러갑니다")  # 소송 들어갑니다 as heard
    assert_found(["abusive_language"], "돌았냐 진짜 어이가 없네", "이 양반이 진짜 돌았나", "너 돌았어?")
    assert found("주차장이 꽉 차서 삼십 분을 돌았어요") == []
    assert_negative(
        "출입 카드가 자꾸 인식이 안 돼요",
        "주차 등록을 했는데 차단기가 안 열려요",
        "우편물 보관해 준다더니 다 버렸대요",
        "회의실 예약이 겹쳐서 미팅을 밖에서 했어요",
    )
    assert ANALYTICS.sentiment.score("일정이 겹쳐서 다음 주로 할게요").label != "negative"


def test_more_words_recognition_garbles_for_leaving_and_complaining() -> None:
    assert_found(
        ["churn_risk"],
        "가구 회사 한 번만 더 이러면 다른 브랜드로 다 바뀌을 거예요",  # 바꿀 as heard
        "집 근처 다른 변원으로 옮길 거예요",  # 병원 as heard
        "과일 정기 배송 이번 박스가지만 받을게요",  # 까지만 as heard
        "보조 식품 정기 구매 이번 달 마로끝네 주세요",  # 말로 끝내 as heard
        "도는 못 참겠어요 이번 달 오근어주세요",  # 달로 끊어 as heard
        "월납 입자동 이체근어 주세요",
        "정기 후원금겠습니다",
    )
    assert_found(
        ["escalation"],
        "사기건은 중고 거래카 배에 실명으로 공개할 거예요",  # 카페에 as heard
        "맘카페이 이외 사약이 다올 일 거이에요",
        "제 말로 금해 두세요 나중에 단말 하지 말고",  # 녹음해 as heard
        "지사장님 밟아주세요 지금 당장요",  # 바꿔 as heard
    )
    assert_found(
        [],
        "후원금을 어디로 보내요",
        "이번 박스 가지고 가도 돼요",
        "결제 근거 자료 보내 주세요",
        "이번 달 말로 이사 가요",
    )


def test_people_replaced_by_a_machine_no_answer_and_a_worker_praised() -> None:
    assert_found(
        ["churn_risk"],
        "야간 경비 인력 빼고 무인 시스템으로 바꿀 거예요",
        "약간 경비 인력 백오무인 시스탭으로 바구울 거이에요",  # as heard
        "듭니다 안회일 예서 경비 업체 바구기로 결정됐어요",
        "경비 용역 예약이 번 분기가지만 하겠습니다",
        "체계약 안하고 다음 달부터 지경을 오돈입니다",
    )
    assert found("주차 정산을 무인 시스템으로 바꾼 건가요") == []
    assert_negative("경비원 교체 요청했는데 답이 없어요", "순찰을 이렇게 빼먹으면 계약 해지 사유죠")
    assert ANALYTICS.sentiment.score("이번에 오신 경비원분이 정말 성실하세요").label == "positive"


def test_heard_endings_and_a_lawsuit_heard_otherwise() -> None:
    assert_found(
        ["churn_risk"],
        "송금 수수료 이렇게 비삼면 다른 송금 업체슬 개요",  # 쓸게요 as heard
        "결혼 정보 회사 회빈함은 거 돌려받고 탈트해 하겠습니다",  # 탈퇴 as heard
        "조합 탈트에 절차 알려 주세요",
    )
    assert found("다른 업체에서 보내네요") == []
    assert found("멤버십 탈트에 말고 일시 정지 돼요") == []
    assert_found(
        ["legal_threat"],
        "가인동보 유출된 거호통 걸 겁니다",  # 소송 as heard
        "조송 들어가면 감당하실 수 있게 써요",
        "데이터 유실 책임 소속으로 묵겠습니다",
        "일요소 송 준비 중입니다",
    )
    assert found("소 송아지 몇 마리예요") == []


def test_a_dormitory_left_a_head_of_office_asked_for_and_a_crime_reported() -> None:
    assert_found(
        ["churn_risk"],
        "시설이 이 모양이면 다음 학기엔 자취방 구할 거예요",
        "룸메이트 문제 해결 안 되면 그냥 나가겠습니다",
        "다음 학기 기숙사 신청한 할 거이에요",  # 신청 안 할 as heard
    )
    assert_found(
        [],
        "졸업하면 자취방 구할 거예요",
        "비가 오면 그냥 나갈게요",
        "다음 학기 수강 신청 안 해도 되나요",
    )
    assert_found(
        ["escalation"],
        "사감 선생님 말고 학생처장님 면담 요청합니다",
        "학교 커뮤니티에 기숙사 실태 다 폭로할게요",
        "이중화로금 해 두 개 있습니다",  # 이 통화 녹음해 두겠습니다 as heard
    )
    assert_found(["legal_threat"], "허락 없이 방에 들어온 거 주거침입으로 신고할 거예요")
    assert_negative(
        "샤워실 온수가 또 안 나와요",
        "택배실에서 제 택배가 없어졌어요",
        "보일러가 안 돌아가서 방이 얼음장이에요",
        "벌점을 이유도 모르고 받았어요",
    )
    assert ANALYTICS.sentiment.score("통증이 없어졌어요").label != "negative"


def test_leaving_said_as_recognition_heard_it() -> None:
    assert_found(
        ["churn_risk"],
        "셔틀 운행 시간이 자꾸 바뀌어서 하던 그만 보내고요",  # 학원 as heard
        "가스 회사 바구일 수 이스면 바구고 싶어요",  # 바꿀 수 있으면
        "이은행 세금 납부 서비스 엉망이라 주거래 은행받을 겁니다",
        "이 번징 사이트는 다시는 안습니다",  # 안 씁니다
        "분유 정기 배송은 이 건 통까지만 받고 맞에서 살게요",  # 이번
        "월 정액자동 결제 근거 주세요 이제 안 할 거예요",  # 끊어 주세요
        "구독금을 건드려면 기간 환불 되나요",  # 끊을 건데
    )
    assert found("은행 받을 거 있어요") == []


def test_complaints_suits_and_curses_as_heard_and_a_registration_is_no_complaint() -> None:
    assert_found(
        ["escalation"],
        "택시 기사 불친절한 거시 청교통과의 정식으로 신고하겠습니다",  # 시청 as heard
        "본사 고객센터에 직접 항을 이할게요",  # 항의할게요
        "전입 신고 처리 안 해 줘서 구청에 민원 넣을 거예요",
    )
    assert_found([], "구청 민원과에 전입 신고하려고요", "주민센터에 출생 신고하러 가요")
    assert_found(
        ["legal_threat"],
        "흘렸어서 송준비 중입니다",  # 의료 소송 준비 as heard
        "총회 결은 의물이었어 송걸거입니다",
        "콩도위약금 부당하게 대간 건에 용증명 보내게요",  # 내용증명
        "표 빼돌린 거면 연구 발하겠습니다",  # 고발하겠습니다
        "계약금 들고 잠적하면 혜영사 교소하겠습니다",  # 형사 고소
    )
    assert_found([], "배송 준비 중입니다", "이용증명서 보내 주세요")
    assert_found(
        ["abusive_language"],
        "에이시진 자자증나 개하네",  # 에이 씨 진짜
        "네 이시 진짜 짜증나게 화내를 이따위로 해",
        "개덕 같은 서비스하고 앉았네 정말",  # 개떡
        "시 발진 자공구 원들 일 안하네",
    )


def test_no_more_use_an_app_review_things_mixed_in_and_good_as_new() -> None:
    assert_found(
        ["churn_risk"],
        "또 분실되면 더는 안 씁니다",
        "또 분시되면 돈은 안습니다",  # as heard
    )
    assert_found(["escalation"], "앱 리뷰에 이 일 다 적을게요")
    assert found("후기에 좋은 말 쓸게요") == []
    assert_found(["legal_threat"], "물건 훔쳐 간 거 아니면 오경찰해 진구합니다")  # 경찰에 신고 as heard
    assert_negative("새로 바뀐 약관이 마음에 안 들어서요", "다른 집 옷이 섞여서 왔어요")
    assert ANALYTICS.sentiment.score("이번에 맡긴 코트가 새 옷처럼 왔어요").label == "positive"


def test_no_longer_attending_a_regulator_told_and_charged_twice() -> None:
    assert_found(
        ["churn_risk"],
        "이용권 자동 연장 꺼 주세요 더 안 다닙니다",
        "이용권 자동 연장 거 주세요 더 안 다입니다",  # as heard
    )
    assert "escalation" in found("소방서에 비상구 막아 둔 거 신고하겠습니다")
    assert_negative(
        "와이파이 비밀번호가 바뀌었는데 공지가 없었어요",
        "조명이 깜빡거려서 눈이 아파요",
        "좌석 관리가 이러면 다른 데 다니는 게 낫겠어요",
    )


def test_a_car_taken_elsewhere_a_package_not_bought_again_and_parts_left_as_they_were() -> None:
    assert_found(
        ["churn_risk"],
        "정비 맡길 때마다 이러면 다른 정비소 갈 겁니다",
        "이제 동네 카센터에 맡기려고요",
        "이제 동네카센터에 맞기려고요",  # as heard
        "정기 점검 패키지 다음 해에는 안 살 거예요",
        "정기 점검 백이지 다음 해순 안 살거예요",  # as heard
    )
    assert found("이제 아이를 어린이집에 맡기려고요") == []
    assert_found(["escalation"], "자동차 동호회 카페에 후기 다올 일가입니다")  # 다 올릴 겁니다 as heard
    assert "escalation" not in found("카페에 다시 올 일 없어요")
    assert_negative("맡긴 차에 새 흠집이 생겼어요", "교체했다는 부품이 그대로 있었어요")
    assert ANALYTICS.sentiment.score("정비사님이 설명을 쉽게 해 주셔서 좋았어요").label == "positive"


def test_a_driving_range_left_a_renewal_asked_for_and_things_torn_or_wet() -> None:
    assert_found(
        ["churn_risk"],
        "타석 배정이 이 모양이면 다른 연습장 끊을 거예요",
        "타석 배성인이 모양이면 다른 연습 장근을 거이에요",  # as heard
        "월 회원 자동 결제 멈춰 주세요 이번 달이 마지막이에요",
    )
    assert found("회원권 연장 신청했는데 처리가 안 됐대요") == []  # a renewal asked for is staying
    assert_found(["legal_threat"], "공 맞아서 다친 거 치료비 안 주면소 송하겠습니다")  # as heard
    assert_found(["escalation"], "골프동호 배단톱방에 여기 예기 다 버드릴 거예요")  # as heard
    assert_negative(
        "그물에 구멍이 나서 공이 밖으로 나가요",
        "샤워실 수건이 다 젖어 있어요",
        "락커 비밀번호가 초기화돼서 못 열었어요",
    )


def test_narrow_forms_stay_narrow() -> None:
    assert_found([], "이번 달엔 데이터 더 안 쓸 거예요", "재발급 신청 안 할게요", "서울에 이 시 진짜 좋아요")


def test_a_nursing_hospital_recorded_reported_upwards_and_billed_for_nothing() -> None:
    assert_found(
        ["escalation"], "지금 하시는 말씀 다 녹음되고 있어요", "지금 하시는 말씀 다 녹음 되고 있어요"
    )
    assert_found(["escalation"], "병원장님 면전남 잡아 주세요 위해 보고하세요")  # 위에 as heard
    assert "escalation" not in found("이 통화 녹음되고 있어요")  # asked, or said calmly
    assert "escalation" not in found("확인을 위해 보고서를 보내 주세요")
    assert_negative("진료비 내역서에 안 받은 검사가 들어 있어요", "안 쓴 요금이 청구됐어요")
    assert ANALYTICS.sentiment.score("간호사 선생님들이 정말 세심하게 봐 주세요").label == "positive"
    assert ANALYTICS.sentiment.score("어머니 표정이 많이 밝아지셨어요").label == "positive"  # not 바가지


def test_a_toy_rental_left_for_a_cheaper_one_and_a_toy_is_no_loss() -> None:
    assert_found(
        ["churn_risk"], "옆 동네 대여점이 더 싸서 그리로 옮겼어요", "소독 상태가 이러면 당장 그만둘 겁니다"
    )
    assert found("그 상자는 거기로 옮겼어요") == []
    assert_found(["legal_threat"], "제품 안전 기준 어긴 거 법적 책임 물을게요")
    assert_negative("받은 블록에 조각이 절반이나 빠져 있어요", "반납했는데 연체료가 붙었어요")
    score = ANALYTICS.sentiment.score
    assert score("세 살짜리한테 맞는 장난감 추천해 주실 수 있어요").label == "neutral"  # 장난감 holds 난감
    assert score("애가 새 장난감 받고 하루 종일 신났어요").label == "positive"
    assert score("장난감이 고장 나서 난감해요").label == "negative"


def test_a_neutral_word_hides_the_phrase_it_holds_spelled_and_by_sound() -> None:
    from agent.analytics.config import Sentiment

    scale = SentimentScale(Sentiment(negative=("불안해요",), neutral_words=("개불안해요",)))
    assert scale.score("개불안해요").label == "neutral"
    assert scale.score("개 불 안 해 요").label == "neutral"  # spaces ignored, as phrases
    assert scale.score("불안해요").label == "negative"
    plain = SentimentScale(Sentiment(negative=("불안해요",)))
    assert plain.score("개불안해요").label == "negative"
    assert plain.score("부란해요").label == "negative"  # by sound
    assert scale.score("개불안해요 부란해요").label == "negative"  # the sound outside the word still counts


def test_a_toy_rental_left_as_heard() -> None:
    assert_found(
        ["churn_risk"],
        "옆동네 대여점이 더 사서 그리로 옮겼어요",  # 싸서 heard 사서
        "소독 상태가 이러면 당장 그만두합니다",  # 그만둘 겁니다
        "애가 커서 이제 장난 깜빌릴 일이 없어요 정기 결제끈어 주세요",  # 끊어 heard 끈어
        "장난감 대여구 도리번 달까지만 할게요",  # 구독 이번 달
    )
    assert_found(["legal_threat"], "제품 안전 기준어 긴 것 법적책 인물을 개요")  # 책임 물을게요
    assert found("이거 더 사서 거기로 보내 주세요") == []


def test_a_chartered_bus_ordered_elsewhere_a_remark_recorded_and_seat_belts_that_fail() -> None:
    assert_found(
        ["churn_risk"],
        "내년 체육대회 버스는 딴 데서 부를게요",
        "관광버스 협동조합 쪽 견적이 더 좋아서 거기랑 계약하려고요",
    )
    assert_found(["escalation"], "방금 하신 말 녹음해 뒀어요")
    assert_found([], "좌석 안전대일트가 몇 개 안 채워져요")  # as heard: a thing that fails is no leaving
    assert_negative("좌석 안전벨트가 몇 개 안 채워져요")
    assert ANALYTICS.sentiment.score("몇 개 안 남았나요").label == "neutral"


def test_not_attending_any_more_as_heard() -> None:
    # 안 다닐 거예요 heard 안단일 거예요; the escalation head no longer reads the first as a complaint
    assert_found(
        ["churn_risk"],
        "이번이 용권 끝나면 이스터리 카페 안단일 거예요",
        "축구 교실 다음 달부터 안단일 거예 요",
    )


def test_an_e_scooter_app_left_as_said_and_as_heard() -> None:
    assert_found(
        ["churn_risk"],
        "요금이 이렇게 올리면 저 여기 안 타요",
        "충전해 둔 보인트 환불 맞고 탈태할게요",  # 탈퇴할게요 as heard
        "정기 이용권 자동 갱신 거 주세요 다음 달부터 안습입니다",  # 안 씁니다
        "다른 키폼드 회사가 기봄 요금이 사서가 조그로 갈아 탔어요",
        "회사 근처로 이사 가서 이제 이용할 일이 없어요 계정 정리해 주세요",
    )
    assert_found([], "비 오면 저 여기 안 와요")


def test_a_culture_centre_left_for_another_place_and_a_fine_is_no_threat() -> None:
    assert_found(
        ["churn_risk"],
        "강사님 바뀐 뒤로 수업이 별로라 구민회관 강좌로 옮길게요",
        "아이 미술 수업은 집 앞 학원으로 보내기로 했어요",
    )
    assert_found([], "수업은 옆 교실로 옮길게요")
    assert_found(["escalation"], "지금 통환오금 중입니다 다시 말씀해 보세요")  # 통화 녹음 중 as heard
    assert_found(["legal_threat"], "두업 중에 다친 거고 사연하면 소통 결겼습니다", "아동 학대로 고수하겠어요")
    assert_found([], "제 입장은 끝까지 고수하고 싶어요")


def test_a_grocery_delivery_left_for_a_faster_one_and_an_agency_set_aside_for_the_law() -> None:
    assert_found(
        ["churn_risk"], "동네 마트 배달이 더 빨라서 이제 그쪽 쓸게요", "거기가 더 나아서 그쪽으로 옮겼어요"
    )
    assert_found(["legal_threat"], "허위 광고로 공정위 말고 검찰에 고발하겠어요")
    assert_found(["escalation"], "소비자원 말고 금감원에 신고할 거예요")


def test_a_childs_online_tutoring_left_for_a_better_one_and_a_recording_kept() -> None:
    assert_found(
        ["churn_risk"],
        "원어민 선생님 또 바뀌면 그때는 바로 끊을 거예요",
        "다른 회사 체험 수업이 더 괜찮아서 옮겨 보려고요",
    )
    assert_found([], "오후 반이 더 괜찮아서 옮겨 보려고요")
    assert_found(
        ["escalation"], "방금 하신 말씀 다 녹음해 두었어요", "반금 하신 말씀 다 녹음 해쑤었어요"
    )  # as heard
    assert_negative("수업 예약 앱이 자꾸 로그아웃돼요")
    assert ANALYTICS.sentiment.score("선생님이 워낙 밝으셔서 아이가 수업을 기다려요").label == "positive"


def test_a_lens_subscription_no_longer_needed_and_a_complaint_post_is_no_suit() -> None:
    assert_found(
        ["churn_risk"],
        "안과에서 라식 하기로 해서 렌즈 구독은 필요 없어졌어요",
        "한 번만 더 도수 틀리게 보내면 다른 쇼핑몰로 갑니다",
        "한 번만 더 도수 틀리게 보냐면 다른 쇼핑몰오 갑니다",  # as heard
    )
    assert_found([], "비 오면 다른 길로 갈게요", "앱 설치는 필요 없어요")
    assert_negative("렌즈 한쪽이 찢어진 채로 왔어요")
    assert ANALYTICS.sentiment.score("새벽에 주문했는데 오늘 바로 왔네요").label == "positive"


def test_a_tax_refund_app_left_for_an_accountant_and_a_suit_heard_apart() -> None:
    assert_found(
        ["churn_risk"],
        "세무사 사무실에 맡기기로 해서 앱은 더 안 쓸 것 같아요",
        "아내가 쓰는 다른 환급 서비스로 합치려고요",
        "안에 가스는 다른 황급 서비스로 합칠여고요",  # as heard
    )
    assert_found(["escalation"], "지금 상담새용 전부 녹음되고 있습니다")  # 상담 내용 as heard
    assert_found(["legal_threat"], "동요의도 없이 수수료 배간 거 보장이 반환수 송걸개입니다")  # 반환 소송 걸
    assert_negative(
        "수수료가 환급액의 이십 퍼센트라는 건 어디에도 안 나와 있었어요",
        "본인 인증이 개속 실패해서 진행이 안 돼요",
        "환급금 입금 날짜가 벌써 두 번 미뤄졌어요",
        "부양가족 공제가 빠진 채로 신고가 됐어요",
        "환급받은 돈보다 수수료가 더 나갔어요",
    )


def test_toner_orders_stopped_a_branch_leaving_and_a_recording_heard_apart() -> None:
    assert_found(
        ["churn_risk"],
        "사무실 프린터를 렌탈 업체 걸로 바꿔서 토너는 이제 안 시켜요",
        "본사 구매팀이 일괄 구매로 돌린다고 해서 저희 지점은 빠질게요",
        "본사 구매팀이 일곱을 구매로 돌린다고 해서 저흠 지점은 빠질게요",  # as heard
        "견적 받아 보니 다른 납품 업체가 삼십 퍼센트 싸더라고요 그쪽이랑 계약하려고요",
    )
    assert_found(
        ["escalation"], "지금부터 통화 내용로금 하겠습니다", "지금부터 통환에 용료금 하겠습니다"
    )  # 녹음
    assert_found([], "전기 요금 하겠습니다")
    assert_negative("문의 메일에 답이 자동 응답뿐이에요", "문을 매일에 답이 자동 응답분이에요")


def test_a_smartwatch_brand_dropped_a_recorder_switched_on_and_contempt() -> None:
    assert_found(["churn_risk"], "이번에도 수리가 안 되면이 브랜드는 안 삽니다")  # 면 이 as heard
    assert_found(
        ["escalation"], "녹음 버튼 눌렀어요 다시 말씀해 보세요", "녹음 버튼 누러서요 다시 말씀해 보세요"
    )
    assert_found([], "녹음 버튼은 어디 있어요")
    assert_negative(
        "이딴 식으로 서비스할 거면 회원 탈퇴가 답이네요",
        "배터리가 반나절도 못 가요",
        "수리비 견적이 새 제품 값이랑 비슷해요",
        "택배로 보낸 수리품이 어디 있는지 아무도 몰라요",
    )


def test_an_art_shop_left_for_a_cheaper_one_and_the_laws_steps_threatened() -> None:
    assert_found(
        ["churn_risk"],
        "화방 정기 구독 박스 이번 달 거 받고 그만 받을게요",
        "물감 또 터져서 오면 여기서 다시는 주문 안 합니다",
        "오프라인 화방이 더 싸게 주길래 앞으로 거기서 살게요",
    )
    assert_found([], "앞으로 거기서 살게요 이사 가거든요")  # live there
    assert_found(["escalation"], "대표 메일로 경위서 요구하겠습니다")
    assert_found(
        ["legal_threat"],
        "환불 안 해 주시면 법적 절차 밟을 수밖에 없어요",
        "환불 안 해 주시면 법적절 차빡을 수밖에 없어요",  # as heard
        "허위 원산지 표시로 고 말 조치하겠습니다",  # 고발 as heard
    )
    assert_negative("교환하려면 왕복 배송비를 제가 내래요", "교환하려면 왕복 배송비를 제가 내려요")


def test_a_shake_subscription_paused_a_ministry_and_a_lawyer_as_heard() -> None:
    assert_found(["churn_risk"], "단백질 쉐이크 정기 배송 다음 회차부터 멈춰 주세요")
    assert_found(["escalation"], "식품의 약품 안전처에 이물질 신고 드러갑니다")  # as heard
    assert_found(["legal_threat"], "성분표시 허위인 거편호사 한테넘겼어요")  # 변호사 as heard
    assert_negative("정기 배송 날짜를 바꿨는데 예전 날짜에 또 보냈어요")


def test_a_water_purifier_rental_wound_up_and_what_was_done_without_leave() -> None:
    assert_found(
        ["churn_risk"],
        "이사 가는 집에 빌트인 정수기가 있어서 렌탈은 정리하려고요",
        "이사가는 집에 빌트인 정숙이가 있어서 렌타는 정리하려고요",  # as heard
        "요즘은 생수 시켜 먹는 게 더 싸서 렌탈 끝내려고요",
    )
    assert_found([], "계약 정리할 서류가 뭐예요")
    assert_negative(
        "기사님이 신발 신은 채로 거실까지 들어오셨어요",
        "점검 왔다 간 다음부터 얼음이 안 얼어요",
        "해지하려면 철거비를 따로 내야 한다는 건 처음 들었어요",
        "자동이체 날짜를 제 허락도 없이 바꿨어요",
        "물에서 비린 마시나요",  # 비린 맛이 나요 as heard
    )


def test_a_cloud_plan_no_longer_needed_the_laws_way_and_a_file_found_broken() -> None:
    assert_found(
        ["churn_risk"],
        "외장 하드 하나 샀으니까 구독은 필요 없겠어요",
        "외장 하드하나 사슴이가 구도근 필요 없겠어요",  # as heard
        "외장하늘 하나 사슴이 가구 도근 필요 없겠어요",  # on the phone line
        "가족 요금제로 묶어주는데가 있어서 그저그로 옮길게요",  # 그쪽으로 as heard
    )
    assert_found([], "부가 서비스는 필요 없겠어요")  # an offer declined, not a subscription held
    assert_found(["legal_threat"], "보상 안 하면 법대로 하겠습니다", "법 대로 처리할게요")
    assert_found(
        [],
        "어제 상담원이 알려 준 방법대로 했는데 더 꼬였어요",
        "불법대로 주차된 차가 있어요",
        "설명서에 나온 사용법대로 했는데 작동을 안 해요",
    )
    assert_negative("휴지통에서 복원했는데 파일이 깨져 있어요", "휴지 통해서 보건했는데 바일이 깨져 있어요")
    assert ANALYTICS.sentiment.score("깨져 있으면 교환되나요").label == "neutral"
    assert plain("컴퓨터 두 대에서 같이 쓸 수 있어요") and plain("해외에서도 받을 수 있을까요?")


def test_an_order_cancelled_for_what_was_wrong_and_who_would_deal_here() -> None:
    assert_found(
        ["churn_risk"],
        "샘플 받아 봤는데 종이 질이 별로라 주문 취소하려고요",
        "결혼식이 코앞인데 이렇게 늦으면 누가 여기서 합니까 취소할게요",
        "결혼 시기 코앞인데 이럭 개는 주면우가 여기서 합니까 취소할게요",  # as heard
        "동생 결혼식 때는 다른 인쇄소 이용하려고요",
    )
    assert_found([], "예매한 표 취소해 주세요", "식권도가 칠인수에 가능한가요")  # one ticket; a can-it-be ask
    assert_found(["escalation"], "지금 하시는 말씀 그대로 녹음해 두고 있어요")
    assert_found(
        ["legal_threat"], "잘못 지킨 예식 장 주소 때문에 생긴 손해는 법원에서 다지죠"
    )  # 따지죠 as heard
    assert_negative(
        "결혼식이 코앞인데 이렇게 늦으면 누가 여기서 합니까",
        "택배 상자가 젖어서 청첩장이 다 울었어요",
        "택배 상자가 젖어져서 청첩장이다 울었어요",  # as heard
        "금박이 번져서 글씨가 잘 안 보여요",
    )
    assert plain("사진을 넣으려면 해상도가 어느 정도여야 해요") and plain("스티커는 따로 주문해요")


def test_a_massage_chair_ours_wound_up_a_complaint_posted_and_more_charged_than_agreed() -> None:
    assert_found(["churn_risk"], "부모님 댁에 새로 하나 사 드려서 저희 건 정리하려고요")
    assert_found(
        ["churn_risk"], "다른 회사 렌탈이 한 달에 만 원 사서 거기로 바뀌려고요"
    )  # 바꾸려고요 as heard
    assert_found(["escalation"], "시청 민원실에도 이 업체 얘기 올렸어요")
    assert_found([], "민원실 위치가 본관 몇 층이에요")
    assert_negative(
        "다리 마사지 쪽이 작동을 안 해요",
        "렌탈료가 약속한 금액보다 더 나갔어요",
        "린탈요가 약속한 금액보다 더 나갔어요",  # as heard
    )
    for text in ("퇴근하고 십 분만 해도 피로가 싹 풀려요", "부모님이 너무 좋아하셨어 보람이 있어요"):
        assert ANALYTICS.sentiment.score(text).label == "positive", text


def test_an_e_book_plan_given_up_another_service_moved_to_and_leaving_said_done() -> None:
    assert_found(
        ["churn_risk"],
        "도서관 앱에서 무료로 빌려 볼 수 있어서 구독은 그만할래요",
        "종이책이 더 편해서 전자책은 이제 안 볼 것 같아요",
        "오디오북 되는 다른 서비스로 넘어가려고요",
    )
    assert_found(
        [],
        "탈퇴 처리됐다더니 카드에서 또 돈이 빠져나갔어요",  # left already: what came after is the complaint
        "탈퇴철이 됐다더니 카드에서 도돈이 빠져나갔어요",  # as heard
    )
    assert_found(
        ["legal_threat"], "동의 없이 결제된 금액은 돌려주면 소액제 판 걸겠습니다"
    )  # 소액 재판 as heard
    assert_negative("할인 쿠폰이 적용이 안 돼요", "어제 안내받은 대로 재설치했는데 그대로예요")
    assert plain("이북 리더기에서도 열리나요")


def test_a_marriage_agency_no_longer_needed_told_wrong_or_late_and_unlike_the_profile() -> None:
    assert_found(
        ["churn_risk"],
        "결혼 날짜 잡혀서 이제 서비스는 필요 없을 것 같아요",
        "결혼 정보 회사 회원 계약이 번 달로 끝내겠습니다",  # 이번 달로 as heard
    )
    assert_negative(
        "소개받은 분 직업이 프로필이랑 달랐어요",
        "약속 장소를 매니저님이 잘못 알려 주셨어요",
        "매니저님이 바뀌었다는 걸 이제서야 알았어요",
        "회비 인상 안내를 문자 한 통으로 끝내셨네요",
        "소개받을 때마다 같은 분이 또 나와요",
        "다음 소개도 이런 분이면 남은 횟수 다 환불받고 나갈 겁니다",
        "제가 원하는 조건을 하나도 반영안해 주세요",
    )
    assert ANALYTICS.sentiment.score("이번에 속에 받은 분이랑 잘되고 있어요").label == "positive"
    assert plain("가입할 때 필요한 서류가 뭐예요") and not plain("일반이랑 프리미엄이랑 뭐가 달라요")


def test_a_parking_app_deleted_no_more_use_for_it_and_payments_stopped() -> None:
    assert_found(
        ["churn_risk"],
        "회사 주차장 자리가 생겨서 이 앱은 더 쓸 일이 없네요",
        "주차권 또 안 먹히면 그날로 앱 지웁니다",
        "같은 동네 주차장이 더 많이 제휴된 앱이 있어서 거기 가입했어요",
        "같은 동네 주차장이 더 많이 제휴대 납이 있어서 거기가 입했어요",  # as heard
        "주차 앱월정액 다음 달 부터는 결제 안 되게 해 주세요",  # as heard
    )
    assert_negative(
        "할인권을 샀는데 주차장에서 인식을 못 해요",
        "차량 번호 바뀌었는데 예전 번호로 개속 결제되요",  # 계속 as heard
        "정기권 기간이 하루 일찍 끝났어요",
    )
    assert plain("주말 요금은 평일이랑 같아요") and plain("전기차 충전 구역도 예약돼요")


def test_a_home_camera_wound_up_replaced_and_more_than_was_said() -> None:
    assert_found(
        ["churn_risk"],
        "아파트 공용 보안 시스템이 생겨서 개인 카메라는 정리하려고요",
        "통신사 결합 상품에 카메라가 포함돼 있어서 그걸로 대신할게요",
        "통신사 결합 상품의 카밀아가 보함되 있어서 그거로 대신 살게요",  # as heard
    )
    assert_found(["legal_threat"], "도난 피해액 보상 안 하면 민사소홍 제기하겠습니다")  # 소송 as heard
    assert_negative(
        "약정 기간을 제가 들은 것보다 길게 잡아 놨어요",
        "해지하려니까 위약금이 설치비보다 더 나와요",
    )


def test_flowers_no_longer_wanted_a_direct_deal_and_said_to_be_one_thing_then_another() -> None:
    assert_found(
        ["churn_risk"],
        "사무실 이전하면서 꽃 장식은 안 하기로 해서 정리할게요",
        "시든 꽃 한 번만 더 오면 그때는 진짜 끊을 겁니다",
        "동네 꽃집이랑 직접 계약하는 게 싸서 그렇게 하려고요",
    )
    assert_found(["escalation"], "본사 고객 불만 센터에 이관해 주세요", "본사 고객불 만 센터에 이관해 주세요")
    assert_negative(
        "오전 배송이라더니 밤 아홉 시에 도착했어요",
        "무료 배송이라더니 배송비를 받았어요",
        "같은 가격인데 지난달보다 고치 훨씬 적어요",  # 꽃이 as heard
    )


def test_a_liquor_plan_bought_elsewhere_no_longer_needed_and_asked_again() -> None:
    assert_found(
        ["churn_risk"],
        "마트에서 같은 술을 더 싸게 팔아서 거기서 사려고요",
        "회사 선물용으로만 쓰던 거라 이제 필요 없게 됐어요",
        "석 달 내내 같은 술만 보내는데 이걸 누가 계속 받아요 끊어 주세요",
    )
    assert_found(
        ["escalation"],
        "국세청에 주류 통신 판매 건으로 문의 넣어 볼 거예요",
        "술에서 이물질 나온 거시 약처에 그대로 신고합니다",  # 식약처 as heard
    )
    assert_negative(
        "성인 인증을 했는데 또 하래요",
        "성인 인증을 했는데 도하래요",  # as heard
        "아이스팩이 다 녹아서 술이 미지근했어요",
        "병뚜껑이 열려서 반쯤 새어 나왔어요",
        "구성품 설명서에 적힌 술이랑 실제 온 술이 달라요",
    )
    for text in ("작년에 탈퇴했는데 다시 가입하면 혜택 받을 수 있어요", "신청했는데 또 뭐가 필요해요"):
        assert ANALYTICS.sentiment.score(text).label != "negative", text
    assert_found([], "그 서류는 이제 필요 없어졌어요", "홈페이지 들어가서 거기 가입했어요")


def test_a_scooter_pass_refunded_no_longer_ridden_and_not_there_when_one_goes() -> None:
    assert_found(
        ["churn_risk"],
        "회사가 걸어서 다닐 거리로 이사 와서 이제 안 타게 됐어요",
        "자전거 사서 이용권은 환불받으려고요",
        "자전거 사서 이용권은 환불 받으려고요",  # as heard
    )
    assert_negative(
        "브레이크가 잘 안 들어요",
        "브레이크가 잘 안 드려요",  # as heard
        "앱 지도에 있는 킥보드가 가 보면 없어요",
        "킥보드가 인도 한가운데 쓰러져 있어서 다칠 뻔했어요",
    )
    assert ANALYTICS.sentiment.score("출근길에 타니까 시간이 절반으로 줄었어요").label == "positive"
    assert plain("주말에도 반납 구역이 같아요")


def test_set_asides_as_heard_a_complaint_not_meant_and_a_suit_only_named() -> None:
    assert_found(
        [],
        "민원 너희려는 건 아니고 주차장 추립 방법만 알려 주세요",  # 넣으려는 as heard
        "민원 넣는 방법 말고 그냥 요금 조정 신청하는 법 알려 주세요",
        "민원 너는 방법 말고 그냥 요금 조정 신청하는 법 알려 주세요",  # as heard
        "금감 원에 넣을 생각까지는 없어요 설명만 제대로 해주세요",
        "소송 예기는 아니고요 영수증만 다시 발급해 주세요",  # 얘기 as heard
        "소송 예기는 제친구일이고요 저는 예약만 변경하려고요",
        "변호사 사무실로 세금 개산서 보내 주세요",  # 계산서 as heard
        "소송 서류에 비료한 진단서 발급 부탁드려요",  # 필요한 as heard
        "해지할가 했는데 상담산이 이금 조정해 주셔서 그냥 쓸게요",  # 해지할까 as heard: staying
        "다른 데로 옮길가 하다가 사장님 보구 여기 개속 고기로 했어요",  # 계속 오기로 as heard
    )
