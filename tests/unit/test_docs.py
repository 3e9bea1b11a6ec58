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
