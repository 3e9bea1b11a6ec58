"""Text → espeak-ng speech → the configured speech model → the text it writes: how the trigger,
retrieval and redaction evaluations see recognized speech instead of typed text.

Voices rotate over four espeak-ng variants; `phone=True` sends each clip through the phone line
first (`workbench/speech/phone.py`, the one tuning uses). Each clip is padded as the VAD hands utterances over and decoded alone on the final
window policy the server would use; a result a guard rejects counts as empty text. Blocking."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from agent.asr import packaged
from agent.asr.engine import DecodeRequest, WhisperEngine
from agent.asr.guards import screen
from server.settings import Settings
from workbench.bench.window import PAD
from workbench.demo.synth import speak
from workbench.speech.phone import phone_line

VOICES = ("ko", "ko+f3", "ko+m3", "ko+f4")


def recognizer(settings: Settings) -> Callable[..., tuple[str, tuple[float, ...]]]:
    """A function (text, n, phone=False) → what the model writes for `text` spoken by voice n, and
    how sure it was of each word (as the server's finals carry them, `asr_word_confidence`)."""
    from server.recognizer import engine_options

    if settings.asr_model.strip() in ("", "none") or settings.asr_model.startswith("script"):
        raise ValueError("spoken evaluations need a speech model (CALLASSIST_ASR_MODEL)")
    directory = packaged.resolve(settings.asr_model, settings.cache_dir)
    options = engine_options(settings, directory)
    engine = WhisperEngine.load(directory, options)

    def recognize(text: str, n: int, *, phone: bool = False) -> tuple[str, tuple[float, ...]]:
        clip = np.concatenate([PAD, speak(text, VOICES[n % len(VOICES)]), PAD])
        request = DecodeRequest(
            phone_line(clip, np.random.default_rng(n)) if phone else clip,
            None,
            options.final_window,
            word_confidence=settings.asr_word_confidence,
        )
        (result,) = engine.decode_batch([request])
        result, reason = screen(result)
        return ("", ()) if reason else (result.text, result.word_probs)

    return recognize
