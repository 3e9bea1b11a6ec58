"""A synthetic Korean speech corpus with espeak-ng: several voices and variants, pitch and speed
ranges, optionally through a simulated phone line. For tests and experiments; it is espeak-ng's
speech, never presented as real speech."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tune.audio import RATE, read_audio, write_audio
from tune.augment import AugmentConfig
from tune.augment import augment as augment_audio
from tune.manifest import Item
from workbench.speech.phone import phone_line
from workbench.speech.synth import espeak, trim

VOICES = ["ko", "ko+m1", "ko+m3", "ko+m5", "ko+f1", "ko+f2", "ko+f3", "ko+f4"]
# espeak-ng's Klatt formant synthesizer (a different synthesis method from its default): variants
# kept apart so that an experiment can hold the whole family out of training.
KLATT_VOICES = ["ko+klatt", "ko+klatt2", "ko+klatt3", "ko+klatt4", "ko+klatt6"]


@dataclass(frozen=True)
class Voice:
    variant: str
    pitch: int  # espeak 0-99
    speed: int  # words per minute

    @property
    def speaker(self) -> str:
        return f"{self.variant}-p{self.pitch}-s{self.speed}"


def voices(
    count: int, rng: random.Random, variants: list[str], pitch: tuple[int, int], speed: tuple[int, int]
) -> list[Voice]:
    return [Voice(rng.choice(variants), rng.randint(*pitch), rng.randint(*speed)) for _ in range(count)]


def speak(
    text: str, voice: Voice, out: Path, *, phone: bool = False, snr_db: float | None = 20.0, seed: int = 0,
    gain_db: float = 0.0,
) -> float:  # fmt: skip
    """Synthesize `text` to a 16 kHz mono WAV at `out` (level changed by `gain_db`, optionally
    through a phone line); returns its duration in seconds."""
    audio = trim(espeak(text, voice.variant, pitch=voice.pitch, speed=voice.speed), 0.01, 0.1)
    if gain_db:
        audio = np.clip(audio * 10 ** (gain_db / 20), -1.0, 1.0).astype(np.float32)
    if phone:
        audio = phone_line(audio, np.random.default_rng(seed), snr_db)
    write_audio(out, audio)
    return len(audio) / RATE


def synthesize(
    texts: list[str], out_dir: Path, *, speakers: int, seed: int, variants: list[str], pitch: tuple[int, int],
    speed: tuple[int, int], phone: bool | float, snr_db: float | None, progress: bool = True,
    level_db: tuple[float, float] = (0.0, 0.0), augment: AugmentConfig | None = None,
) -> list[Item]:  # fmt: skip
    """Each text by the next voice of a seeded cast; `phone` True (every utterance), False (none) or
    the share sent through a phone line; the level drawn from `level_db` (dB, low and high).
    With `augment`, each utterance not sent through the simple phone line goes through
    tune/augment.py's chain instead (the previous utterances are its babble and echo)."""
    from tqdm import tqdm

    rng = random.Random(seed)
    cast = voices(speakers, rng, variants, pitch, speed)
    chain_rng = np.random.default_rng(seed + 7)
    recent: list[np.ndarray] = []
    items = []
    for n, text in enumerate(tqdm(texts, desc="synth", disable=not progress)):
        voice = cast[n % len(cast)]
        path = out_dir / "audio" / f"{n:05d}.wav"
        through_phone = rng.random() < float(phone)
        gain = rng.uniform(*level_db) if level_db != (0.0, 0.0) else 0.0
        duration = speak(
            text, voice, path, phone=through_phone, snr_db=snr_db, seed=seed * 100_003 + n, gain_db=gain
        )
        applied: dict[str, object] = {}
        if augment is not None and not through_phone:
            clean = read_audio(path)
            audio, applied = augment_audio(clean, chain_rng, augment, recent)
            write_audio(path, audio)
            duration = len(audio) / RATE
            recent = [*recent[-15:], clean]
        items.append(Item(str(path.resolve()), text, voice.speaker, round(duration, 3), augment=applied))
    return items
