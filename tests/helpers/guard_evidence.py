"""What the real models write for non-speech and for speech, under one CTranslate2 instruction set.

Run as a module in its own process, because CTranslate2 picks its kernels once per process from
`CT2_FORCE_CPU_ISA`:

    CT2_FORCE_CPU_ISA=AVX2 python -m tests.helpers.guard_evidence --set suite --out rows.jsonl

Each row is one clip decoded by one model under one window policy: the decode result, the signal
guard's verdict, the model-output guard's verdict, and whether the clip holds speech. The suite
runs the `suite` set under every instruction set this CPU can force
(tests/integration/agent/asr/test_guards_every_isa.py); the `calibration` set (hundreds of clips)
is what the guard thresholds were chosen from (docs/speech-recognition.md).
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

RATE = 16_000
ISAS = ("GENERIC", "AVX", "AVX2", "AVX512")
POLICIES = ("native", "10", "trim")

# Speech the guards must let through: short answers (the hardest: little text in a VAD segment) and
# call sentences, spoken by espeak-ng voices of two synthesis methods (its default and Klatt).
SHORT = ("네", "예", "아니요", "여보세요", "잠시만요", "감사합니다", "맞아요", "네 네")
SENTENCES = (
    "요금이 너무 많이 나왔어요",
    "비밀번호를 잊어버렸는데 어떻게 해야 하나요",
    "내일 오후 세 시에 다시 전화 드릴게요",
    "배송이 아직 안 왔어요",
    "카드 분실 신고를 하려고요",
    "해지하면 위약금이 얼마예요",
)


@dataclass(frozen=True)
class Clip:
    name: str
    speech: bool
    audio: np.ndarray


def _normalized(noise: np.ndarray, rms: float) -> np.ndarray:
    noise = noise - noise.mean()
    return (noise / (np.sqrt(np.mean(noise**2)) or 1.0) * rms).astype(np.float32)


def _coloured(rng: np.random.Generator, samples: int, exponent: float) -> np.ndarray:
    """Noise whose power falls as 1/f**exponent (0 white, 1 pink, 2 brown)."""
    spectrum = np.fft.rfft(rng.standard_normal(samples))
    freqs = np.fft.rfftfreq(samples, 1 / RATE)
    freqs[0] = freqs[1]
    return np.fft.irfft(spectrum / freqs ** (exponent / 2), n=samples)


def _band(rng: np.random.Generator, samples: int, low: float, high: float) -> np.ndarray:
    spectrum = np.fft.rfft(rng.standard_normal(samples))
    freqs = np.fft.rfftfreq(samples, 1 / RATE)
    spectrum[(freqs < low) | (freqs > high)] = 0
    return np.fft.irfft(spectrum, n=samples)


def non_speech(seed: int, durations: tuple[float, ...], levels: tuple[float, ...]) -> Iterator[Clip]:
    """Stationary and impulsive noises, hum, tones and music-like chords at several levels (RMS)
    and lengths: what a line, a room or hold music can put into a VAD segment."""
    rng = np.random.default_rng(seed)
    for seconds in durations:
        n = int(seconds * RATE)
        t = np.arange(n) / RATE
        for level in levels:
            kinds = {
                "white": rng.standard_normal(n),
                "pink": _coloured(rng, n, 1.0),
                "brown": _coloured(rng, n, 2.0),
                "phone band": _band(rng, n, 300, 3400),
                "fan": _band(rng, n, 50, 800),
                "hiss": _band(rng, n, 3000, 7900),
                "hum": sum(np.sin(2 * np.pi * 60 * k * t) / k for k in (1, 2, 3, 5)),
                "crackle": rng.standard_normal(n) * (rng.random(n) < 0.003) * 20
                + rng.standard_normal(n) * 0.05,
                "chords": sum(
                    np.sin(2 * np.pi * f * t) * (np.sin(2 * np.pi * (0.5 + i * 0.3) * t) > 0)
                    for i, f in enumerate((262, 330, 392, 523))
                ),
            }
            for kind, noise in kinds.items():
                yield Clip(f"{kind} {seconds:g}s rms{level:g}", False, _normalized(noise, level))
        yield Clip(f"silence {seconds:g}s", False, np.zeros(n, np.float32))
        yield Clip(f"tone {seconds:g}s", False, (0.3 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32))
        dtmf = 0.2 * np.sin(2 * np.pi * 697 * t) + 0.2 * np.sin(2 * np.pi * 1209 * t)
        yield Clip(f"dtmf {seconds:g}s", False, dtmf.astype(np.float32))


def speech(
    voices: tuple[str, ...], texts: tuple[str, ...], snrs: tuple[float | None, ...], seed: int
) -> Iterator[Clip]:
    """espeak-ng speech with a quarter second of quiet either side (as a VAD segment has), clean and
    with white noise at each SNR."""
    from workbench.demo.synth import speak

    rng = np.random.default_rng(seed)
    quiet = np.zeros(RATE // 4, np.float32)
    for voice in voices:
        for text in texts:
            clip = np.concatenate([quiet, speak(text, voice), quiet])
            power = float(np.mean(clip**2))
            for snr in snrs:
                audio = clip
                if snr is not None:
                    audio = clip + _normalized(
                        rng.standard_normal(len(clip)), np.sqrt(power / 10 ** (snr / 10))
                    )
                label = "clean" if snr is None else f"snr{snr:g}"
                yield Clip(f"{voice} {label} {text}", True, np.clip(audio, -1, 1).astype(np.float32))


def clip_set(name: str) -> list[Clip]:
    if name == "suite":
        clips = list(non_speech(11, (3.0,), (0.1,)))
        clips += list(non_speech(12, (1.0,), (0.03,)))
        clips += list(speech(("ko", "ko+klatt"), (*SHORT[:4], *SENTENCES[:2]), (None,), 13))
        return clips
    if name == "calibration":
        clips = list(non_speech(21, (0.6, 1.2, 3.0, 6.0), (0.003, 0.01, 0.03, 0.1, 0.3)))
        clips += list(non_speech(22, (2.0, 4.5), (0.02, 0.05, 0.2)))
        voices = ("ko", "ko+m3", "ko+f4", "ko+klatt", "ko+klatt3")
        clips += list(speech(voices, SHORT + SENTENCES, (None, 10.0, 5.0), 23))
        return clips
    raise ValueError(f"unknown clip set {name!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="suite", choices=("suite", "calibration"))
    parser.add_argument("--models", default="builtin:whisper-base-ko-synth,builtin:whisper-base")
    parser.add_argument("--policies", default=",".join(POLICIES))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--model-evidence", action="store_true", help="decode every clip, even those the signal guard drops"
    )
    args = parser.parse_args()

    from agent.asr.engine import DecodeRequest, EngineOptions, WhisperEngine, WindowPolicy
    from agent.asr.guards import screen, signal_rejection
    from agent.asr.packaged import resolve
    from server.settings import default_cache_dir

    clips = clip_set(args.set)
    policies = [WindowPolicy.parse(p) for p in args.policies.split(",")]
    isa = os.environ.get("CT2_FORCE_CPU_ISA", "default")
    with args.out.open("w", encoding="utf-8") as out:
        for spec in args.models.split(","):
            engine = WhisperEngine.load(
                resolve(spec, default_cache_dir()), EngineOptions(device="cpu", cpu_threads=1)
            )
            for clip in clips:
                signal = signal_rejection(clip.audio)
                for policy in policies:
                    row = {
                        "isa": isa,
                        "model": spec,
                        "clip": clip.name,
                        "speech": clip.speech,
                        "policy": str(policy),
                    }
                    if signal and not args.model_evidence:  # dropped before the model, as the recognizer does
                        row |= {"signal": signal, "guard": signal, "text": ""}
                    else:
                        (raw,) = engine.decode_batch([DecodeRequest(clip.audio, None, policy)])
                        result, reason = screen(raw)
                        guard = signal or reason
                        row |= {
                            "signal": signal,
                            "guard": guard,
                            "model_guard": reason,
                            "result": asdict(raw),
                        }
                        row["text"] = "" if guard else result.text
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
