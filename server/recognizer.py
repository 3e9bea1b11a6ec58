"""The speech recognizer and the VAD segmenter as configured: one place that builds them from
settings (a server, a recognition worker, the CLI and the benchmarks all use it)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import numpy as np

from agent.asr import NoTranscriber, Transcriber, packaged
from agent.asr.engine import DecodeRequest, EngineOptions, WhisperEngine, WindowPolicy
from agent.asr.scheduler import AsrScheduler
from agent.asr.script import SCHEME as SCRIPT_SCHEME
from agent.asr.script import ScriptTranscriber
from agent.asr.whisper import WhisperTranscriber
from agent.vad.segmenter import SegmenterConfig
from server.settings import Settings


def segmenter_config(settings: Settings, recognizing: bool) -> SegmenterConfig:
    # end of turn reads the text decoded at a pause; a script's line is the whole turn, which
    # always "ends a sentence", so with a script the hangover decides, as the script's timing does
    judging = (
        recognizing
        and settings.asr_speculative_ms > 0
        and not settings.asr_model.strip().startswith(SCRIPT_SCHEME)
    )
    return SegmenterConfig(
        threshold=settings.vad_threshold,
        negative_threshold=settings.vad_negative_threshold,
        pre_roll_ms=settings.vad_pre_roll_ms,
        hangover_ms=settings.vad_hangover_ms,
        min_speech_ms=settings.vad_min_speech_ms,
        max_utterance_s=settings.vad_max_utterance_s,
        partial_interval_ms=settings.asr_partial_interval_ms if recognizing else 0,
        speculative_ms=settings.asr_speculative_ms if recognizing else 0,
        complete_hangover_ms=settings.vad_end_complete_ms if judging else 0,
        incomplete_hangover_ms=settings.vad_end_incomplete_ms if judging else 0,
    )


async def load_transcriber(settings: Settings) -> Transcriber:
    """The recognizer CALLASSIST_ASR_MODEL names: none, the demo's script, or a Whisper model."""
    spec = settings.asr_model.strip()
    if spec in ("", "none"):
        return NoTranscriber()
    if spec.startswith(SCRIPT_SCHEME):
        return ScriptTranscriber(Path(spec[len(SCRIPT_SCHEME) :]))
    directory = await asyncio.to_thread(packaged.resolve, spec, settings.cache_dir)
    engine = await asyncio.to_thread(WhisperEngine.load, directory, engine_options(settings, directory))
    scheduler = AsrScheduler(
        engine,
        max_batch=settings.asr_max_batch,
        max_final_delay=settings.asr_max_final_delay,
        workers=engine.options.workers,
        reserve_final_worker=settings.asr_reserve_final_worker,
        partial_cost_share=settings.asr_partial_cost_share,
    )
    scheduler.start()
    quiet = np.random.default_rng(0).normal(0.0, 1e-3, 32_000).astype(np.float32)  # 2 s of line noise
    await scheduler.warm_up(DecodeRequest(quiet, None, engine.options.final_window))
    return WhisperTranscriber(engine, scheduler, word_confidence=settings.asr_word_confidence)


def describe_asr_model(settings: Settings) -> dict[str, object]:
    """What CALLASSIST_ASR_MODEL resolves to, loading the model (blocking; for the CLI)."""
    spec = settings.asr_model.strip()
    if spec in ("", "none"):
        return {"model": "none", "note": "no speech model: utterances are stored with timing only"}
    if spec.startswith(SCRIPT_SCHEME):
        return {"model": spec, "note": "not a model: the demo's script lines, marked source=script"}
    directory = packaged.resolve(spec, settings.cache_dir)
    engine = WhisperEngine.load(directory, engine_options(settings, directory))
    card: dict[str, Any] = packaged.model_card(Path(directory)) or {}
    lineage = card.get("lineage")
    tuned = {
        "sparsity": card.get("sparsity"),  # share of the linear layers' weights pruned to zero
        "lineage": " → ".join(str(step.get("command")) for step in lineage)
        if isinstance(lineage, list)
        else lineage,
    }
    return {"setting": spec, **engine.info(), **{k: v for k, v in tuned.items() if v}, "card": card}


def engine_options(settings: Settings, model_dir: str | None = None) -> EngineOptions:
    """Engine options from settings; `auto` windows take the window the model's card names (a
    model tuned for trimmed windows runs on them), else native for finals and trim for partials."""
    card = packaged.model_card(Path(model_dir)) if model_dir and Path(model_dir).is_dir() else None
    tuned_window = str(card["window"]) if card and card.get("window") else None

    def window(value: str, fallback: str) -> WindowPolicy:
        chosen = (tuned_window or fallback) if value in ("", "auto") else value
        return WindowPolicy.parse(chosen, settings.asr_window_margin_s)

    return EngineOptions(
        device=settings.asr_device,
        compute_type=settings.asr_compute_type,
        language=settings.asr_language,
        beam_size=settings.asr_beam_size,
        workers=settings.asr_model_workers,
        cpu_threads=settings.asr_cpu_threads,
        max_tokens_per_second=settings.asr_max_tokens_per_second,
        prompt_tokens=settings.asr_prompt_tokens,
        korean_script_only=settings.asr_korean_script_only,
        final_window=window(settings.asr_window, "native"),
        partial_window=window(settings.asr_partial_window, "trim"),
    )
