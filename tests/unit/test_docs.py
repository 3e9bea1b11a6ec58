"""The docs stay true: the configuration table lists exactly the settings that exist."""

import re
from pathlib import Path

from server.settings import Settings

CONFIGURATION = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def test_configuration_table_matches_settings() -> None:
    text = CONFIGURATION.read_text("utf-8")
    table = text[text.index("## Configuration") : text.index("## Authentication")]
    documented = set(re.findall(r"^\| `CALLASSIST_([A-Z0-9_]+)`", table, flags=re.M))
    assert documented == {name.upper() for name in Settings.model_fields}


def test_event_table_is_the_feed_models() -> None:
    from agent.feed import feed_table

    text = (Path(__file__).resolve().parents[2] / "docs" / "protocols.md").read_text("utf-8")
    assert feed_table() in text, "regenerate the table in docs/protocols.md from agent.feed.feed_table()"
