"""Small Korean guides for knowledge-base tests."""

from __future__ import annotations

GUIDES = {
    "roaming.md": "# 해외 로밍 안내\n\n## 요금\n로밍 요금제를 신청하지 않으면 데이터 사용량만큼 종량제 요금이 부과됩니다.\n\n"
    "## 신청\n출국 전에 앱이나 고객센터에서 로밍 요금제를 신청하세요.\n",
    "lost-phone.md": "# 휴대폰 분실\n\n분실하면 앱이나 고객센터에서 분실 신고를 하고 일시 정지를 신청하세요.\n",
    "payment.txt": "요금 납부일은 매월 25일이며 자동이체를 신청할 수 있습니다.\n",
}
