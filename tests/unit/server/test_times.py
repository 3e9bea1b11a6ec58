"""People's times at every edge: one parser, and a clear error (never a traceback) on bad input."""

import subprocess
import sys

import pytest

from server.times import parse_time


def test_accepted_forms() -> None:
    assert parse_time(None) is None and parse_time("  ") is None
    assert parse_time("1700000000") == 1_700_000_000.0
    assert parse_time("2026-01-02") == parse_time("2026-01-02T00:00:00+00:00")
    assert parse_time("2026-01-02", end_of_day=True) == pytest.approx(parse_time("2026-01-03") - 1e-3)
    assert parse_time("2026-01-02T09:00:00+09:00") == parse_time("2026-01-02T00:00:00Z")


@pytest.mark.parametrize("bad", ["yesterday", "nan", "inf", "-inf", "2026-13-01", "1e999"])
def test_bad_times_say_what_is_accepted(bad: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_time(bad)


def test_cli_answers_a_bad_time_with_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "calls", "search", "x", "--from", "yesterday"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "argument --from: 'yesterday' is not a time" in result.stderr
    assert "Traceback" not in result.stderr
