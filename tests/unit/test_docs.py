"""The docs stay true: the configuration table lists exactly the settings that exist, and the
console event table is the feed's models, and the Redis key tables are the key module."""

import re

from agent.feed import feed_table
from kb.redis_keys import layout_tables
from server.ingest.messages import message_tables
from server.settings import Settings
from tests.helpers.paths import ROOT

CONFIGURATION = ROOT / "docs" / "configuration.md"


def test_configuration_table_matches_settings() -> None:
    text = CONFIGURATION.read_text("utf-8")
    table = text[text.index("## Configuration") : text.index("## Authentication")]
    documented = set(re.findall(r"^\| `CALLASSIST_([A-Z0-9_]+)`", table, flags=re.M))
    assert documented == {name.upper() for name in Settings.model_fields}


def test_event_table_is_the_feed_models() -> None:
    text = (ROOT / "docs" / "protocols.md").read_text("utf-8")
    assert feed_table() in text, "regenerate the table in docs/protocols.md from agent.feed.feed_table()"


def test_inbound_message_table_is_the_ingest_models() -> None:
    text = (ROOT / "docs" / "protocols.md").read_text("utf-8")
    assert message_tables() in text, "regenerate the table in docs/protocols.md from message_tables()"


def test_redis_key_tables_are_the_key_module() -> None:
    text = (ROOT / "docs" / "redis-layout.md").read_text("utf-8")
    assert layout_tables() in text, (
        "regenerate the tables in docs/redis-layout.md from kb.redis_keys.layout_tables()"
    )
