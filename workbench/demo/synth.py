"""Synthesize a two-channel Korean call with espeak-ng, and record where speech really is.

Each turn is spoken by espeak-ng, trimmed to its first and last audible sample, resampled to
16 kHz and placed on its speaker's channel. A `|` in a turn's text is a pause inside the sentence:
the pieces are spoken apart with `pauses_ms` of silence between them (default: 300–700 ms in a
fixed cycle), and the pause spans are recorded with the utterance (`pauses`, seconds). The true
speech edges are written next to the WAV (`*.json`), so tests can score the VAD against them. Results are cached by content hash.
"""

from __future__ import annotations

import hashlib
import json
import wave
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from agent.audio.wav import write_wav
from workbench.speech.synth import SPEED_WPM, espeak, espeak_version

SAMPLE_RATE = 16_000
VOICES = {"customer": "ko", "agent": "ko+f3"}
ESPEAK_RATE_WPM = SPEED_WPM  # in the cache key: a change of rate re-synthesizes
LEAD_IN_S = 0.6
TURN_GAP_S = 0.9
TAIL_S = 1.2
NOISE_DBFS = -60.0  # a quiet noise floor, so "silence" is not digital zero
AUDIBLE = 0.003  # |sample| above this counts as speech when trimming
PAUSE_CYCLE_MS = (300, 450, 600, 700, 350, 550, 400, 650, 500)  # where a turn gives no pauses_ms


@dataclass(frozen=True)
class SynthesizedCall:
    wav_path: Path
    channel_roles: tuple[str, ...]
    utterances: tuple[dict, ...]  # {"channel", "role", "start", "end", "text"}, seconds

    @property
    def duration(self) -> float:
        with wave.open(str(self.wav_path)) as w:
            return w.getnframes() / w.getframerate()


def default_script() -> dict:
    return json.loads(resources.files("workbench.demo").joinpath("call_script.json").read_text("utf-8"))


def speak(text: str, voice: str) -> np.ndarray:
    """espeak-ng → float32 mono at 16 kHz, trimmed to its audible part."""
    return espeak(text, voice, speed=ESPEAK_RATE_WPM, audible=AUDIBLE)


def _pieces(text: str) -> list[str]:
    """A turn's text cut at its pause marks (`|`)."""
    return [piece.strip() for piece in text.split("|") if piece.strip()]


def spoken_text(text: str) -> str:
    """What is said, pause marks dropped."""
    return " ".join(_pieces(text))


def _speak_with_pauses(turn: dict, voice: str, pauses_before: int) -> tuple[np.ndarray, list[list[float]]]:
    """The turn's clip; where its text has `|`, pieces spoken apart with silence between them, and
    the (start, end) of each silence in seconds from the clip's start."""
    pieces = _pieces(turn["text"])
    lengths = turn.get("pauses_ms") or [
        PAUSE_CYCLE_MS[(pauses_before + i) % len(PAUSE_CYCLE_MS)] for i in range(len(pieces) - 1)
    ]
    if len(lengths) < len(pieces) - 1:
        raise ValueError(f"{turn['text']!r}: {len(pieces) - 1} pauses, {len(lengths)} pauses_ms")
    parts: list[np.ndarray] = []
    pauses: list[list[float]] = []
    at = 0
    for i, piece in enumerate(pieces):
        if i:
            silence = int(round(lengths[i - 1] / 1000 * SAMPLE_RATE))
            pauses.append([at / SAMPLE_RATE, (at + silence) / SAMPLE_RATE])
            parts.append(np.zeros(silence, np.float32))
            at += silence
        parts.append(speak(piece, voice))
        at += len(parts[-1])
    return np.concatenate(parts), pauses


def render(script: dict, voices: dict[str, str] | None = None) -> tuple[np.ndarray, list[dict]]:
    roles = list(script["channel_roles"])
    voices = voices or VOICES
    clips = []
    pauses_used = 0
    for turn in script["turns"]:
        clip, pauses = _speak_with_pauses(turn, voices[turn["role"]], pauses_used)
        pauses_used += len(pauses)
        clips.append((turn, clip, pauses))
    cursor = LEAD_IN_S
    previous_start = 0.0
    placed: list[dict] = []
    for turn, clip, pauses in clips:
        start = previous_start + turn["overlap"] if "overlap" in turn else cursor
        end = start + len(clip) / SAMPLE_RATE
        item = {
            "channel": roles.index(turn["role"]),
            "role": turn["role"],
            "start": start,
            "end": end,
            "text": spoken_text(turn["text"]),
            "clip": clip,
        }
        if pauses:
            item["pauses"] = pauses  # offsets in the clip until placed
        placed.append(item)
        previous_start = start
        cursor = max(cursor, end + TURN_GAP_S)
    total = int(round((cursor - TURN_GAP_S + TAIL_S) * SAMPLE_RATE))
    rng = np.random.default_rng(7)
    audio = (rng.standard_normal((total, len(roles))) * 10 ** (NOISE_DBFS / 20)).astype(np.float32)
    for item in placed:
        first = int(round(item["start"] * SAMPLE_RATE))
        clip = item.pop("clip")
        audio[first : first + len(clip), item["channel"]] += clip
        item["start"] = first / SAMPLE_RATE
        item["end"] = (first + len(clip)) / SAMPLE_RATE
        if "pauses" in item:
            item["pauses"] = [[item["start"] + a, item["start"] + b] for a, b in item["pauses"]]
    return np.clip(audio, -1.0, 1.0), placed


def synthesize_call(
    cache_dir: Path, script: dict | None = None, voices: dict[str, str] | None = None
) -> SynthesizedCall:
    """The call as a 16 kHz stereo WAV under `cache_dir/samples`, built once per script and voice
    (espeak-ng voice per role; default: the demo's)."""
    script = script or default_script()
    voices = voices or VOICES
    recipe = json.dumps(
        {"script": script, "voices": voices, "rate": ESPEAK_RATE_WPM, "espeak": espeak_version(), "v": 1},
        sort_keys=True,
        ensure_ascii=False,
    )
    digest = hashlib.sha256(recipe.encode()).hexdigest()[:12]
    wav_path = Path(cache_dir) / "samples" / f"{script.get('name', 'call')}-{digest}.wav"
    meta_path = wav_path.with_suffix(".json")
    if not (wav_path.exists() and meta_path.exists()):
        audio, utterances = render(script, voices)
        wav_path.parent.mkdir(parents=True, exist_ok=True)
        write_wav(wav_path.with_suffix(".tmp"), audio, SAMPLE_RATE)
        wav_path.with_suffix(".tmp").replace(wav_path)
        meta_path.write_text(
            json.dumps(
                {"channel_roles": script["channel_roles"], "utterances": utterances},
                ensure_ascii=False,
                indent=1,
            ),
            "utf-8",
        )
    meta = json.loads(meta_path.read_text("utf-8"))
    return SynthesizedCall(wav_path, tuple(meta["channel_roles"]), tuple(meta["utterances"]))
