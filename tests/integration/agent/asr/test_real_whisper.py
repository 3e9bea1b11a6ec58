"""The real default model (OpenAI Whisper base from its packages): assembly and hash check, what
`callassist asr info` reports, every window policy on real speech, and the guards on non-speech fed
straight to the engine (no VAD) and through the server."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from agent.asr import packaged
from agent.asr.engine import DecodeRequest, EngineOptions, WhisperEngine, WindowPolicy
from agent.asr.guards import rejection, signal_rejection
from agent.audio.codecs import Encoding, encode
from server.cli import main
from tests.helpers.cli import run_cli
from tests.live_server import INGEST, LiveServer
from workbench.demo.player import play
from workbench.demo.synth import speak

RATE = 16000
POLICIES = ("native", "10", "trim")


@pytest.fixture(scope="module")
def engine(base_model_dir: Path) -> WhisperEngine:
    return WhisperEngine.load(str(base_model_dir), EngineOptions(device="cpu", cpu_threads=2))


def _padded(clip: np.ndarray) -> np.ndarray:
    quiet = np.zeros(RATE // 4, np.float32)
    return np.concatenate([quiet, clip, quiet])


def test_assembled_model_is_verified_and_reused(base_model_dir: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert (base_model_dir / "model.bin").stat().st_size == packaged.MODEL_BIN_BYTES
    config = json.loads((base_model_dir / "preprocessor_config.json").read_text())
    assert config["feature_size"] == 80 and config["sampling_rate"] == RATE
    assert packaged.assemble(base_model_dir.parent.parent) == base_model_dir  # reused, not rebuilt
    monkeypatch.setattr(packaged, "MODEL_BIN_SHA256", "0" * 64)  # as if a part were damaged
    with pytest.raises(packaged.PackagedModelError, match="sha256"):
        packaged.assemble(tmp_path)
    assert not packaged.model_dir(tmp_path).exists()


def test_asr_info_reports_the_real_model(base_model_dir: Path) -> None:
    info = _asr_info(CALLASSIST_ASR_MODEL="builtin:whisper-base")
    assert info["setting"] == "builtin:whisper-base" and Path(info["model"]) == base_model_dir
    assert info["multilingual"] is True and info["random_weights"] is False
    assert info["parameters"] == 72_603_147
    assert info["compute_type"].startswith("int8")  # the CPU default
    assert info["final_window"] == "native 30 s" and info["partial_window"].startswith("trim")
    assert info["card"]["licence"] == "MIT" and info["card"]["model_bin_sha256"] == packaged.MODEL_BIN_SHA256


def test_the_default_is_the_tuned_model_rebuilt_from_its_recipe() -> None:
    info = _asr_info()
    recipe = json.loads((packaged.recipes_dir() / "whisper-base-ko-synth" / "recipe.json").read_text())
    assert info["setting"] == packaged.DEFAULT_TUNED
    assert info["card"]["tuned"] is True and info["card"]["merged_sha256"] == recipe["merged_sha256"]
    assert info["final_window"].startswith("trim") and info["partial_window"].startswith(
        "trim"
    )  # what it was tuned for
    assert abs(info["parameters"] - 72_603_147) < 0.01 * 72_603_147  # the base's shape: adapters merged in
    if recipe.get("sparsity"):  # a pruned recipe: its mask is applied and reported
        assert info["sparsity"] == recipe["sparsity"] and "lottery" in info["lineage"]
        assert (packaged.recipes_dir() / "whisper-base-ko-synth" / "masks.npz").is_file()


def test_a_recipe_whose_weights_do_not_hash_right_is_refused(tmp_path: Path) -> None:
    import shutil

    recipe = tmp_path / "recipe"
    shutil.copytree(packaged.recipes_dir() / "whisper-base-ko-synth", recipe)
    data = json.loads((recipe / "recipe.json").read_text())
    data["merged_sha256"] = "0" * 64  # as if the adapter had been changed
    (recipe / "recipe.json").write_text(json.dumps(data))
    from tune.cli import main as tune_main

    done = run_cli(tune_main, ["build-model", str(recipe), str(tmp_path / "out")])
    assert done.returncode == 2 and "hash" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def _asr_info(**env: str) -> dict:
    ran = run_cli(
        main, ["asr", "info", "--json"], {"CALLASSIST_ASR_MODEL": None, "CALLASSIST_ASR_DEVICE": "cpu", **env}
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    return json.loads(ran.stdout)


def test_every_window_policy_recognizes_korean(engine: WhisperEngine) -> None:
    clips = [
        _padded(speak(text, "ko")) for text in ("감사합니다", "네 알겠습니다", "요금이 너무 많이 나왔어요")
    ]
    for policy in map(WindowPolicy.parse, POLICIES):
        results = engine.decode_batch(
            [DecodeRequest(c, None, policy) for c in clips]
        )  # mixed lengths, one batch
        assert len(results) == len(clips)
        texts = [r.text for r in results if rejection(r) is None]
        assert any(any("가" <= ch <= "힣" for ch in text) for text in texts), (str(policy), results)
        alone = engine.decode_batch([DecodeRequest(clips[0], None, policy)])[0]
        assert alone.audio_seconds == pytest.approx(len(clips[0]) / RATE)


def _non_speech() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(11)
    t3 = np.arange(3 * RATE) / RATE
    music = sum(
        0.1 * np.sin(2 * np.pi * f * t3) * (np.sin(2 * np.pi * (0.5 + i * 0.3) * t3) > 0)
        for i, f in enumerate((262, 330, 392, 523))
    )
    pink = np.cumsum(rng.standard_normal(3 * RATE))
    pink = (pink - pink.mean()) / np.abs(pink - pink.mean()).max() * 0.2
    return {
        "silence": np.zeros(3 * RATE),
        "noise floor": rng.standard_normal(3 * RATE) * 1e-3,
        "white noise": rng.standard_normal(3 * RATE) * 0.1,
        "brown noise": pink,
        "tone 1 kHz": 0.3 * np.sin(2 * np.pi * 1000 * t3),
        "dtmf": 0.2 * np.sin(2 * np.pi * 697 * t3) + 0.2 * np.sin(2 * np.pi * 1209 * t3),
        "hum": 0.3 * np.sin(2 * np.pi * 60 * t3),
        "chords": music,
    }


def test_no_text_from_non_speech_straight_into_the_engine(engine: WhisperEngine) -> None:
    """What the recognizer would store for each clip under each window policy: nothing."""
    for name, audio in _non_speech().items():
        audio = audio.astype(np.float32)
        if signal_rejection(audio):  # dropped before the model, as WhisperTranscriber does
            continue
        for policy in map(WindowPolicy.parse, POLICIES):
            (result,) = engine.decode_batch([DecodeRequest(audio, None, policy)])
            assert rejection(result) is not None, (name, str(policy), result)


async def test_no_text_from_non_speech_through_the_server(make_server, base_model_dir: Path) -> None:  # type: ignore[no-untyped-def]
    server: LiveServer = await make_server(
        asr_model=str(base_model_dir), asr_device="cpu", asr_partial_window="trim"
    )
    clips = _non_speech()
    gap = np.zeros(RATE, np.float64)
    audio = np.concatenate([np.concatenate([clip, gap]) for clip in clips.values()])
    stereo = np.stack([audio, audio[::-1]], axis=1).astype(np.float32)
    result = await play(
        server.http,
        "non-speech-1",
        INGEST,
        encode(stereo.reshape(-1), Encoding.PCM_S16LE),
        encoding=Encoding.PCM_S16LE,
        sample_rate=RATE,
        channel_roles=["customer", "agent"],
        agent_id="agent-a",
        speed=0,
    )
    assert result["type"] == "stopped"
    events = await server.store.read_events(server.store.keys.call_events("non-speech-1"), "0")
    assert [e.data for e in events if e.type == "partial"] == []
    assert all(not e.data["text"] for e in events if e.type == "final")
    assert all(not row.get("text") for row in await server.store.transcript("non-speech-1"))


def test_finals_carry_one_probability_per_word(engine: WhisperEngine) -> None:
    """Asked for (finals), each word of the text gets the lowest probability of its tokens; a
    partial is not asked and costs nothing more."""
    clip = _padded(speak("요금이 너무 많이 나왔어요", "ko"))
    trim = WindowPolicy.parse("trim")
    sure, plain = engine.decode_batch(
        [DecodeRequest(clip, None, trim, word_confidence=True), DecodeRequest(clip, None, trim)]
    )
    assert sure.text == plain.text and sure.text
    assert len(sure.word_probs) == len(sure.text.split())
    assert all(0.0 <= p <= 1.0 for p in sure.word_probs) and max(sure.word_probs) > 0.2
    assert plain.word_probs == ()
