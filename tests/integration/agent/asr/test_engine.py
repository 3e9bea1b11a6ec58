"""The Whisper engine on a real (random-weight) CTranslate2 model, offline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from agent.asr.engine import AsrModelError, DecodeRequest, EngineOptions, WhisperEngine
from agent.asr.whisper_files import BASE_VOCAB, LANGUAGES, special_tokens, tiktoken_ranks_path
from agent.audio.wav import read_wav
from tests.helpers.cli import run_cli
from workbench.cli import main as workbench_main
from workbench.demo.synth import SynthesizedCall


@pytest.fixture(scope="module")
def engine(asr_model_dir: Path) -> WhisperEngine:
    return WhisperEngine.load(str(asr_model_dir), EngineOptions(device="cpu", max_tokens_per_second=6))


def utterance_audio(call: SynthesizedCall, count: int) -> list[np.ndarray]:
    rate, audio = read_wav(call.wav_path)
    return [
        audio[int(u["start"] * rate) : int(u["end"] * rate), u["channel"]].copy()
        for u in call.utterances[:count]
    ]


def test_tokenizer_matches_whisper_tiktoken(asr_model_dir: Path) -> None:
    import base64

    import tiktoken

    ranks = {
        base64.b64decode(token): int(rank)
        for token, rank in (line.split() for line in tiktoken_ranks_path().read_text().splitlines() if line)
    }
    specials = {t: BASE_VOCAB + i for i, t in enumerate(special_tokens(99))}
    reference = tiktoken.Encoding(
        name="multilingual",
        explicit_n_vocab=BASE_VOCAB + len(specials),
        pat_str=r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""",
        mergeable_ranks=ranks,
        special_tokens=specials,
    )
    ours = Tokenizer.from_file(str(asr_model_dir / "tokenizer.json"))
    samples = [
        "안녕하세요, 한결모바일 고객센터입니다.",
        " 로밍 요금이 32,000원 청구됐어요?",
        "Hello world",
        "  공일공-1234 ㅋㅋㅋ!!",
    ]
    for text in samples:
        assert ours.encode(text, add_special_tokens=False).ids == reference.encode(text)
    assert ours.token_to_id("<|ko|>") == 50264 and ours.token_to_id("<|notimestamps|>") == 50363
    assert ours.get_vocab_size() == 51865 and len(LANGUAGES) == 100


def test_batched_decoding_matches_one_at_a_time(engine: WhisperEngine, demo_call: SynthesizedCall) -> None:
    audios = utterance_audio(demo_call, 4)
    history = "고객님 안녕하세요 한결모바일 고객센터입니다 무엇을 도와드릴까요 " * 8
    requests = [DecodeRequest(a, prompt=history if i % 2 else None) for i, a in enumerate(audios)]
    batched = engine.decode_batch(requests)
    single = [engine.decode_batch([r])[0] for r in requests]
    for b, s in zip(batched, single, strict=True):
        # Same greedy path; only the batch's shared length limit may let a short item run longer.
        common = min(len(b.tokens), len(s.tokens))
        assert common > 0 and b.tokens[:common] == s.tokens[:common]
        assert b.no_speech_prob == pytest.approx(s.no_speech_prob, abs=1e-3)
        assert 0.0 <= b.no_speech_prob <= 1.0
    assert engine.decode_batch([]) == []


def test_decode_length_is_capped_by_audio_length(engine: WhisperEngine, demo_call: SynthesizedCall) -> None:
    (audio,) = utterance_audio(demo_call, 1)
    result = engine.decode_batch([DecodeRequest(audio)])[0]
    assert 0 < len(result.tokens) <= engine.token_cap(len(audio) / 16000)
    assert engine.token_cap(len(audio) / 16000) == max(8, int(np.ceil(len(audio) / 16000 * 6)))


def test_prompt_carries_previous_text_bounded(engine: WhisperEngine) -> None:
    plain = engine.prompt_tokens(None)
    assert plain == [50258, 50264, 50359, 50363]  # sot, ko, transcribe, notimestamps
    prompted = engine.prompt_tokens("로밍 요금 " * 200)
    assert prompted[0] == engine.tokenizer.sot_prev and prompted[-4:] == plain
    assert len(prompted) == 1 + engine.options.prompt_tokens + 4  # always this long, so batches align
    assert engine.prompt_tokens("네") == plain  # too little history: no prompt rather than a shorter one


def test_missing_files_are_named(tmp_path: Path, asr_model_dir: Path) -> None:
    (tmp_path / "model.bin").write_bytes((asr_model_dir / "model.bin").read_bytes())
    with pytest.raises(
        AsrModelError, match=r"missing config\.json, tokenizer\.json, preprocessor_config\.json"
    ):
        WhisperEngine.load(str(tmp_path), EngineOptions(device="cpu"))
    with pytest.raises(AsrModelError, match="no such directory"):
        WhisperEngine.load(str(tmp_path / "nope"), EngineOptions(device="cpu"))


def test_unreachable_model_id_is_explained(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    with pytest.raises(AsrModelError, match=r"model id 'large-v3-turbo' \(download from the hub\)"):
        WhisperEngine.load("large-v3-turbo", EngineOptions(device="cpu"))


def test_make_test_model_command(tmp_path: Path) -> None:
    out = run_cli(workbench_main, ["asr", "make-test-model", str(tmp_path / "m")])
    assert out.returncode == 0, out.stderr[-2000:]
    assert "weights are random" in out.stdout
    assert {"model.bin", "tokenizer.json", "preprocessor_config.json", "config.json"} <= {
        p.name for p in (tmp_path / "m").iterdir()
    }


def test_the_faster_whisper_seam_holds_for_the_installed_version(asr_model_dir: Path) -> None:
    """Everything the engine reads of faster-whisper, read through its one adapter from the
    installed version: if an upgrade renames any of it, this fails here, naming what is missing."""
    from agent.asr import faster_whisper_seam as seam

    parts = seam.load(str(asr_model_dir), device="cpu", compute_type="int8", cpu_threads=1, language="ko")
    assert parts.max_length == 448 and parts.suppress
    assert parts.tokenizer.decode(parts.tokenizer.encode(" 안녕하세요")) == " 안녕하세요"
    assert parts.token_text(parts.tokenizer.encode(" 네")[0]).startswith("\u0120")
    assert (
        parts.prefix[-1] == parts.tokenizer.no_timestamps
        and parts.prefix[0] == parts.tokenizer.sot_sequence[0]
    )
    features = parts.extractor(np.zeros(16000, np.float32))
    assert features.shape[0] == 80
    encoded = parts.encode(np.zeros((1, 80, 3000), np.float32))
    (result,) = parts.ct2.generate(encoded, [parts.prefix], max_length=8, return_scores=True)
    assert result.sequences_ids and parts.ct2.device == "cpu"


def test_a_faster_whisper_without_what_the_seam_reads_is_named() -> None:
    from agent.asr import faster_whisper_seam as seam

    class Renamed:  # as if an upgrade had renamed the tokenizer and the extractor
        model = max_length = encode = None

    with pytest.raises(seam.FasterWhisperSeamError, match="feature_extractor, hf_tokenizer"):
        seam.parts_of(Renamed(), "ko")
