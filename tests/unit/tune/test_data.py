"""Augmentations and manifests of the tuning toolkit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tune.audio import RATE, mulaw_roundtrip, read_audio, write_audio
from tune.augment import add_noise, change_speed, make_noise
from tune.manifest import Item, read_manifest, split, write_manifest
from tune.telephony import band_limit
from tune.textgen import sentences


def tone(freq: float, seconds: float = 1.0) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def power(x: np.ndarray) -> float:
    return float(np.mean(x**2))


def test_phone_line_pieces() -> None:
    speech_band = tone(1000)
    assert len(mulaw_roundtrip(speech_band)) == pytest.approx(len(speech_band), abs=2)
    assert np.corrcoef(mulaw_roundtrip(speech_band)[100:-100], speech_band[100:-100])[0, 1] > 0.99
    assert power(band_limit(tone(100), 300, 3400)) < 0.01 * power(tone(100))  # hum below 300 Hz is gone
    assert power(band_limit(tone(1000), 300, 3400)) > 0.9 * power(tone(1000))
    noisy = add_noise(speech_band, make_noise("pink", len(speech_band), np.random.default_rng(0)), 10.0)
    assert 10 * np.log10(power(speech_band) / power(noisy - speech_band)) == pytest.approx(10.0, abs=0.5)
    assert len(change_speed(speech_band, 1.25)) == pytest.approx(len(speech_band) / 1.25, abs=2)


def test_wav_round_trip(tmp_path: Path) -> None:
    write_audio(tmp_path / "a.wav", tone(440))
    assert np.allclose(read_audio(tmp_path / "a.wav"), tone(440), atol=1e-4)


def test_speaker_split_keeps_each_speaker_in_one_split(tmp_path: Path) -> None:
    items = [Item(f"a{n}.wav", "안녕하세요", f"spk{n % 6}", 1.0) for n in range(60)]
    parts = split(items, 0.2, 0.2)
    speakers = {name: {i.speaker for i in part} for name, part in parts.items()}
    assert not speakers["train"] & speakers["test"] and not speakers["dev"] & speakers["test"]
    assert sum(len(p) for p in parts.values()) == 60
    write_manifest(tmp_path / "m.jsonl", items[:3])
    assert [i.text for i in read_manifest(tmp_path / "m.jsonl")] == ["안녕하세요"] * 3


def test_generated_sentences_spell_numbers_in_hangul() -> None:
    lines = sentences(50, seed=1)
    assert len(lines) == 50 and not any(ch.isdigit() for line in lines for ch in line)


def test_held_out_frames_never_meet_training_frames() -> None:
    from tune.textgen import AGENT_FRAMES, CUSTOMER_FRAMES, DOMAINS, frames

    train, test = frames("train"), frames("test")
    assert not set(train) & set(test) and len(train) + len(test) == len(CUSTOMER_FRAMES + AGENT_FRAMES)
    assert len(test) >= 8 and len(DOMAINS) >= 8
    assert sentences(20, seed=3, part="test") == sentences(20, seed=3, part="test")  # reproducible
    assert sentences(20, seed=3, part="train") != sentences(20, seed=4, part="train")


def test_particles_follow_the_last_syllable() -> None:
    from tune.textgen import _josa, _to

    assert _josa("요금제", "을", "를") == "요금제를" and _josa("계좌", "을", "를") == "계좌를"
    assert _josa("인터넷", "을", "를") == "인터넷을"
    assert _to("공일공 일이삼사 오육칠팔") == "공일공 일이삼사 오육칠팔로"  # ㄹ takes 로
    assert _to("백칠동 팔백십호") == "백칠동 팔백십호로" and _to("삼번지") == "삼번지로"
    assert _to("공일공 일이삼사 오육칠삼") == "공일공 일이삼사 오육칠삼으로"


def test_a_missing_recipe_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    from tests.helpers.cli import run_cli
    from tune.cli import main

    ran = run_cli(main, ["build-model", str(tmp_path / "nowhere"), str(tmp_path / "out")])
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    assert (
        ran.stderr.strip()
        == f"callassist tune build-model: no such file: {tmp_path / 'nowhere' / 'recipe.json'}"
    )
