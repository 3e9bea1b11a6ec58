"""Encoder-window policies: parsing and the number of mel frames each gives the encoder."""

import pytest

from agent.asr.engine import WindowPolicy


def test_parse_forms() -> None:
    assert WindowPolicy.parse("native").kind == "native"
    assert WindowPolicy.parse("30").kind == "native"
    assert WindowPolicy.parse("trim", 0.25) == WindowPolicy("trim", 0.0, 0.25)
    assert WindowPolicy.parse("10") == WindowPolicy("fixed", 10.0, 0.5)
    assert str(WindowPolicy.parse("12.5s")) == "fixed 12.5 s"
    for bad in ("", "abc", "0.5", "45", "-3"):
        if bad == "":
            assert WindowPolicy.parse(bad).kind == "native"
            continue
        with pytest.raises(ValueError, match="window"):
            WindowPolicy.parse(bad)


def test_frames() -> None:
    assert WindowPolicy.parse("native").frames(2.0) == 3000
    trim = WindowPolicy.parse("trim", 0.5)
    assert trim.frames(2.0) == 250
    assert trim.frames(2.005) == 252  # even: the encoder's convolution halves it
    assert trim.frames(40.0) == 3000  # never past Whisper's window
    fixed = WindowPolicy.parse("10")
    assert fixed.frames(2.0) == 1000
    assert fixed.frames(12.0) == 1250  # longer speech is not cut


def test_settings_reject_bad_windows() -> None:
    from pydantic import ValidationError

    from server.settings import Settings

    with pytest.raises(ValidationError, match="window"):
        Settings(_env_file=None, asr_window="huge")
    assert Settings(_env_file=None, asr_partial_window="trim").asr_partial_window == "trim"
