"""`callassist check-config`: the analytics file checked without starting, a bad one named with its
line and reason (exit 2), and `serve` refusing to start on it the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.cli import main


def test_check_config_names_the_line_of_a_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "analytics.yaml"
    bad.write_text(
        "version: 1\ncategories:\n  - name: churn\n    label: 해지\n    patterns: ['(a']\n", "utf-8"
    )
    assert main(["check-config", "--analytics-file", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:5: categories.0.patterns" in err and "RE2" in err and "Traceback" not in err


def test_serve_refuses_to_start_on_a_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "analytics.yaml"
    bad.write_text(
        "version: 1\nqa:\n  - name: a\n    label: b\n    phrases: [x]\n    before: nothing\n", "utf-8"
    )
    monkeypatch.setenv("CALLASSIST_ANALYTICS_FILE", str(bad))
    monkeypatch.setenv("CALLASSIST_DATA_DIR", str(tmp_path / "data"))
    assert main(["serve"]) == 2
    assert f"{bad}:6: qa.0.before: 'nothing' is no category or marker" in capsys.readouterr().err


def test_check_config_names_a_turn_model_that_cannot_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "analytics.yaml"
    bad.write_text("version: 1\nmodel: absent.json\n", "utf-8")
    assert main(["check-config", "--analytics-file", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:2: model: cannot read the model file" in err and "Traceback" not in err
