"""How a call's transcript is written as Korean text, wherever it is written: for the LLM, in
exports, and in the call archive's index. One line per turn, "고객: …" / "상담원: …"."""

from __future__ import annotations

ROLE_LABEL = {"customer": "고객", "agent": "상담원"}


def transcript_line(role: str, text: str) -> str:
    """One turn as a labelled line (an unknown role is written as it is)."""
    return f"{ROLE_LABEL.get(role, role)}: {text}"
