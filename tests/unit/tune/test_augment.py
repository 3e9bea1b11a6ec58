"""The acoustic augmentations of tune/augment.py and the call legs of tune/telephony.py: each does what it says to a signal whose answer is
known (tones, pulse trains, noise), the telephony chain runs every codec for real, bad settings are
refused, and `tune data` stops on bad input with the manifest line and the reason."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tune import augment as aug
from tune import telephony
from tune.audio import RATE, read_audio, write_audio
from tune.cli import main as tune_main


def tone(freq: float, seconds: float = 1.0) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def peak_hz(x: np.ndarray, rate: int = RATE) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.fft.rfftfreq(len(x), 1 / rate)[int(spectrum.argmax())])


def power(x: np.ndarray) -> float:
    return float(np.mean(np.square(x, dtype=np.float64)))


def voice(seconds: float = 1.0, pitch: float = 150.0) -> np.ndarray:
    """Harmonics of `pitch` under one formant near 700 Hz: a crude vowel."""
    t = np.arange(int(RATE * seconds)) / RATE
    wave = sum(np.sin(2 * np.pi * k * pitch * t) / (1 + ((k * pitch - 700) / 300) ** 2) for k in range(1, 20))
    return (0.5 * wave / np.abs(wave).max()).astype(np.float32)


def test_tempo_changes_duration_and_keeps_pitch() -> None:
    x = tone(440)
    faster = aug.time_stretch(x, 1.25)
    assert len(faster) == pytest.approx(len(x) / 1.25, abs=2)
    assert peak_hz(faster) == pytest.approx(440, abs=6)
    assert len(aug.change_speed(x, 1.25)) == pytest.approx(len(x) / 1.25, abs=2)
    assert peak_hz(aug.change_speed(x, 1.25)) == pytest.approx(550, abs=6)  # speed moves the pitch too


def test_pitch_shift_moves_pitch_and_keeps_duration() -> None:
    x = tone(440)
    up = aug.pitch_shift(x, 12.0)
    assert len(up) == len(x) and peak_hz(up) == pytest.approx(880, abs=10)
    assert peak_hz(aug.pitch_shift(x, -5.0)) == pytest.approx(440 * 2 ** (-5 / 12), abs=8)


def test_formant_shift_moves_the_envelope_not_the_pitch() -> None:
    x = voice()
    shifted = aug.formant_shift(x, 1.25)
    assert len(shifted) == len(x)

    def centroid(y: np.ndarray) -> float:
        spectrum = np.abs(np.fft.rfft(y)) ** 2
        freqs = np.fft.rfftfreq(len(y), 1 / RATE)
        return float((spectrum * freqs).sum() / spectrum.sum())

    assert centroid(shifted) > centroid(x) * 1.1  # formant up
    harmonics = np.fft.rfftfreq(len(x), 1 / RATE)
    spectrum = np.abs(np.fft.rfft(shifted))
    strongest = harmonics[np.argsort(spectrum)[-5:]]
    assert all(abs(f / 150 - round(f / 150)) < 0.05 for f in strongest)  # still harmonics of 150 Hz


def test_reverberation_decays_at_the_requested_rate() -> None:
    rng = np.random.default_rng(0)
    impulse = aug.room_impulse(0.5, 6.0, rng)
    tail = impulse[1:]
    assert 10 * np.log10(1.0 / np.sum(tail**2)) == pytest.approx(6.0, abs=0.01)  # direct-to-reverberant
    energy = np.cumsum(tail[::-1] ** 2)[::-1]  # Schroeder integral
    decay = 10 * np.log10(energy / energy[0])
    t20 = (np.argmax(decay < -25) - np.argmax(decay < -5)) / RATE
    assert 3 * t20 == pytest.approx(0.5, rel=0.3)
    wet = aug.reverberate(voice(0.5), 0.5, 3.0, rng)
    assert len(wet) == int(0.5 * RATE) and np.isfinite(wet).all()


@pytest.mark.parametrize("kind", aug.NOISES)
def test_every_noise_at_the_requested_snr(kind: str) -> None:
    rng = np.random.default_rng(1)
    x = voice()
    others = [voice(0.7, 120.0), voice(0.9, 210.0), tone(300, 0.5), voice(1.2, 180.0)]
    noise = aug.make_noise(kind, len(x), rng, others)
    noisy = aug.add_noise(x, noise, 10.0)
    assert 10 * np.log10(power(x) / power(noisy - x)) == pytest.approx(10.0, abs=0.1)


def test_echo_is_the_other_channel_late_and_quiet() -> None:
    x, other = voice(), tone(1000)
    echoed = aug.add_echo(x, other, -25.0, 0.1)
    leak = echoed - x
    assert np.allclose(leak[: int(0.1 * RATE)], 0)
    assert 10 * np.log10(power(leak[int(0.1 * RATE) :]) / power(x)) == pytest.approx(-25, abs=1.0)


@pytest.mark.parametrize("codec", telephony.CODECS)
def test_every_codec_of_the_phone_chain_runs_for_real(codec: str) -> None:
    x = voice(1.0)
    out, applied = telephony.phone_chain(x, np.random.default_rng(2), (codec,), loss=(0.0, 0.0))
    assert applied["codec"] == codec and len(out) == len(x) and np.isfinite(out).all()
    reference = telephony.band_limit(x, 300, 3400)
    assert np.corrcoef(out[800:-800], reference[800:-800])[0, 1] > 0.5  # aligned, still the same sound
    if applied["band"] == "narrow":
        assert power(telephony.band_limit(out, 3700, 7900)) < 0.01 * power(out)


def test_g711_laws_and_packet_loss() -> None:
    x = tone(1000) * 0.5
    for law in ("mulaw", "alaw"):
        assert np.corrcoef(telephony.g711(x, law), x)[0, 1] > 0.999
    lossy = telephony.conceal_losses(x, 0.5, np.random.default_rng(3), RATE)
    assert len(lossy) == len(x) and not np.allclose(lossy, x)


def test_one_seed_one_chain_and_every_kind_reachable() -> None:
    x, others = voice(), [voice(0.8, 110.0), voice(0.6, 220.0), voice(0.7, 170.0)]
    config = aug.AugmentConfig(share=1.0)
    a = aug.augment(x, np.random.default_rng(5), config, others)
    b = aug.augment(x, np.random.default_rng(5), config, others)
    assert np.array_equal(a[0], b[0]) and a[1] == b[1]
    seen: set[str] = set()
    rng = np.random.default_rng(6)
    for _ in range(60):
        out, applied = aug.augment(x, rng, config, others)
        assert np.isfinite(out).all() and np.abs(out).max() <= 1.0
        seen |= {"level" if k == "level_dbfs" else k for k in applied}
    assert seen == set(aug.KINDS)
    only_noise = aug.AugmentConfig.parse("noise", share="1")
    assert set(aug.augment(x, np.random.default_rng(7), only_noise, others)[1]) <= {"noise"}


@pytest.mark.parametrize(
    ("kinds", "ranges", "message"),
    [
        ("reverb,chorus", {}, "unknown augmentation 'chorus'"),
        ("-flanger", {}, "unknown augmentation 'flanger'"),
        ("all", {"snr_db": "30,10"}, "snr_db"),
        ("all", {"speed": "0.1,0.2"}, "speed"),
        ("all", {"codecs": "mp3"}, "codecs"),
        ("all", {"share": "1.5"}, "share"),
    ],
)
def test_bad_settings_are_refused_with_the_reason(kinds: str, ranges: dict, message: str) -> None:
    with pytest.raises(aug.AugmentError, match=message):
        aug.AugmentConfig.parse(kinds, **ranges)


def test_all_but_one_kind() -> None:
    assert "reverb" not in aug.AugmentConfig.parse("-reverb").kinds
    assert aug.AugmentConfig.parse("-reverb").kinds == tuple(k for k in aug.KINDS if k != "reverb")


def _manifest(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "m.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def test_tune_data_writes_augmented_copies_with_their_record(tmp_path: Path) -> None:
    rows = []
    for n in range(6):
        write_audio(tmp_path / f"{n}.wav", voice(1.0, 120 + 20 * n))
        rows.append({"audio": f"{n}.wav", "text": "요금이 많이 나왔어요"})
    out = tmp_path / "out"
    code = tune_main(["data", str(_manifest(tmp_path, rows)), "--out", str(out), "--augment", "all",
                      "--augment-share", "1", "--copies", "2", "--dev", "0", "--test", "0"])  # fmt: skip
    assert code == 0
    train = [json.loads(line) for line in (out / "train.jsonl").read_text().splitlines()]
    assert len(train) == 18 and sum(1 for r in train if r.get("augment")) >= 10
    assert all(read_audio(out / r["audio"]).size for r in train)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"audio": "missing.wav", "text": "네"}, "m.jsonl:2: unreadable audio"),
        ({"audio": "bad.wav", "text": "네"}, "m.jsonl:2: unreadable audio"),
        ({"audio": "0.wav", "text": "   "}, "m.jsonl:2: empty transcript"),
        ({"audio": "0.wav", "text": "가" * 120}, "m.jsonl:2: transcript of 120 letters"),
        ({"audio": "long.wav", "text": "네"}, "m.jsonl:2: 16.0 s of audio for a transcript of 1 letters"),
    ],
)
def test_tune_data_stops_on_bad_input_with_the_line(tmp_path: Path, row: dict, message: str) -> None:
    write_audio(tmp_path / "0.wav", voice(1.0))
    write_audio(tmp_path / "long.wav", voice(16.0))
    (tmp_path / "bad.wav").write_bytes(b"RIFF0000WAVEjunk")
    good = {"audio": "0.wav", "text": "네 알겠습니다"}
    with pytest.raises(SystemExit, match=message):
        tune_main(["data", str(_manifest(tmp_path, [good, row])), "--out", str(tmp_path / "out")])
    assert not (tmp_path / "out" / "train.jsonl").exists()


def test_tune_data_refuses_a_bad_setting_before_reading(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path, [{"audio": "nowhere.wav", "text": "네"}])
    with pytest.raises(SystemExit, match="bad augmentation setting.*rt60"):
        tune_main(
            ["data", str(manifest), "--out", str(tmp_path / "out"), "--augment", "reverb", "--rt60", "5,9"]
        )
    with pytest.raises(SystemExit, match=r"m.jsonl:1: not JSON"):
        bad = tmp_path / "m.jsonl"
        bad.write_text("{not json\n")
        tune_main(["data", str(bad), "--out", str(tmp_path / "out")])
    assert not (tmp_path / "out").exists()
