"""A call's start metadata as the server writes it (every field of `call_started`, agent/feed.py),
for tests that put calls into the store directly."""

from __future__ import annotations

from typing import Any


def call_meta(**overrides: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "encoding": "pcm_s16le",
        "sample_rate": 16000,
        "channels": 2,
        "channel_roles": ["customer", "agent"],
        "metadata": {},
        "asr": {"model": "none", "kind": "none", "note": None},
    }
    return {**meta, **overrides}
