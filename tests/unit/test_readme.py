"""README stays true: its configuration table lists exactly the settings that exist."""

import re
from pathlib import Path

from server.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_configuration_table_matches_settings() -> None:
    text = README.read_text("utf-8")
    table = text[text.index("## Configuration") : text.index("## Authentication")]
    documented = set(re.findall(r"^\| `CALLASSIST_([A-Z0-9_]+)`", table, flags=re.M))
    assert documented == {name.upper() for name in Settings.model_fields}
