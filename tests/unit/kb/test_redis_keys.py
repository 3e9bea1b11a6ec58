"""The key module: one call's keys share its hash tag, each space its own, and nothing else in
the product spells a key."""

from __future__ import annotations

import re

from kb.redis_keys import LAYOUT, RedisKeys
from tests.helpers.paths import ROOT


def test_a_calls_keys_share_its_hash_tag_and_spaces_have_their_own() -> None:
    keys = RedisKeys("ca:")
    call = [keys.call("c1"), keys.lease("c1"), keys.sweep("c1"), keys.transcript("c1"), keys.call_events("c1"),
            keys.suggestions("c1"), keys.feedback("c1"), keys.summary("c1")]  # fmt: skip
    assert all(k.startswith("ca:call:{c1}") for k in call) and len(set(call)) == len(call)
    assert all(
        "{kb}" in k
        for k in (keys.kb_vectors, keys.kb_chunk("x"), keys.kb_doc("d"), keys.kb_docs, keys.kb_meta)
    )
    assert keys.kb_chunk("x").startswith(keys.kb_chunk_prefix)
    archive = (keys.archive_vectors, keys.archive_chunk("c#1"), keys.archive_call("c"), keys.archive_calls)
    assert all("{archive}" in k for k in archive)


def test_every_key_is_documented_once() -> None:
    documented = [k.key for section in LAYOUT.values() for k in section]
    assert len(documented) == len(set(documented))
    public = [
        name
        for name in vars(RedisKeys)
        if not name.startswith("_") and name not in ("prefix", "kb_index_name")
    ]
    assert len(documented) == len(public) - 1  # kb_chunk_prefix is a part of kb_chunk's name


def test_no_product_module_spells_a_key() -> None:
    spelled = re.compile(r"""f["'][^"']*\{[\w.]*prefix[^}]*\}[^"']*:""")
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("agent", "server", "kb")
        for path in (ROOT / package).rglob("*.py")
        if path.name != "redis_keys.py" and spelled.search(path.read_text("utf-8"))
    ]
    assert offenders == []
