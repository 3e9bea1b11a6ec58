"""Scoring: CER over syllables (with and without spaces) and WER, all through the shared Korean
normalizer (`agent/text/korean.py`), corpus-level (total edits / total reference length),
per-utterance errors to a file, and the real-time factor of decoding."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

from agent.text.korean import normalize
from tune.manifest import Item
from tune.model import Codec
from tune.training import Batches, device_of


@dataclass
class Scores:
    edits: int = 0
    chars: int = 0
    edits_nospace: int = 0
    chars_nospace: int = 0
    word_edits: int = 0
    words: int = 0

    def add(self, reference: str, hypothesis: str) -> dict[str, Any]:
        ref, hyp = normalize(reference), normalize(hypothesis)
        e = Levenshtein.distance(ref, hyp)
        e_ns = Levenshtein.distance(ref.replace(" ", ""), hyp.replace(" ", ""))
        we = Levenshtein.distance(ref.split(), hyp.split())
        self.edits += e
        self.chars += len(ref)
        self.edits_nospace += e_ns
        self.chars_nospace += len(ref.replace(" ", ""))
        self.word_edits += we
        self.words += len(ref.split())
        return {"reference": reference, "hypothesis": hypothesis, "cer": round(e / max(len(ref), 1), 4)}

    def summary(self) -> dict[str, float]:
        return {
            "cer": round(self.edits / max(self.chars, 1), 4),
            "cer_no_space": round(self.edits_nospace / max(self.chars_nospace, 1), 4),
            "wer": round(self.word_edits / max(self.words, 1), 4),
        }


def word_correctness(reference: str, words: list[str]) -> list[bool | None]:
    """Whether each recognized word is right: its letters all line up with the reference's in a
    letter alignment with spaces removed (so a word split or joined differently is not counted
    wrong); a word whose letters the reference lacks, or after which letters are missing, is
    wrong; None for a word with no letters (punctuation)."""
    normed = [normalize(word).replace(" ", "") for word in words]
    owner = [i for i, word in enumerate(normed) for _ in word]
    wrong: set[int] = set()
    for op in Levenshtein.opcodes("".join(normed), normalize(reference).replace(" ", "")):
        if op.tag == "equal" or not owner:
            continue
        start, end = op.src_start, op.src_end
        wrong.update(owner[start:end] if end > start else [owner[max(0, start - 1)]])
    return [None if not word else i not in wrong for i, word in enumerate(normed)]


@dataclass
class ConfidenceScores:
    """How well the recognizer's word probabilities tell its wrong words from its right ones."""

    below: float = 0.5
    probs: list[float] | None = None
    right: list[bool] | None = None

    def add(self, reference: str, text: str, probs: tuple[float, ...]) -> None:
        words = text.split()
        if not probs or len(probs) != len(words):
            return
        self.probs, self.right = self.probs or [], self.right or []
        for prob, right in zip(probs, word_correctness(reference, words), strict=True):
            if right is not None:
                self.probs.append(prob)
                self.right.append(right)

    def summary(self) -> dict[str, float | int]:
        import numpy as np

        if not self.probs or not self.right:
            return {}
        probs, right = np.array(self.probs), np.array(self.right)
        flagged = probs < self.below
        sure, unsure = probs[right], probs[~right]
        auc = (
            float((sure[:, None] > unsure[None, :]).mean() + 0.5 * (sure[:, None] == unsure[None, :]).mean())
            if sure.size and unsure.size
            else float("nan")
        )
        return {
            "words": int(probs.size),
            "wrong_share": round(float((~right).mean()), 4),
            "auc": round(auc, 4),  # chance that a right word is given more than a wrong one
            "uncertain_below": self.below,
            "flagged_share": round(float(flagged.mean()), 4),
            "flagged_wrong": round(float((~right[flagged]).mean()), 4) if flagged.any() else 0.0,
            "wrong_flagged": round(float(flagged[~right].mean()), 4) if (~right).any() else 0.0,
        }


def greedy_decode(model: Any, features: Any, codec: Codec, max_tokens: int = 96) -> list[list[int]]:
    """Greedy decoding with Whisper's Korean transcription prefix, the encoder run once, the
    decoder cached."""
    import torch

    with torch.no_grad():
        encoded = model.get_encoder()(features).last_hidden_state
        ids = torch.tensor([codec.prefix] * len(features), device=features.device)
        done = torch.zeros(len(features), dtype=torch.bool, device=features.device)
        past = None  # the decoder's key/value cache: each step feeds only the newest token
        for _ in range(max_tokens):
            step = model(encoder_outputs=(encoded,), decoder_input_ids=ids if past is None else ids[:, -1:],
                         cache=past, use_cache=True)  # fmt: skip
            past, logits = step.cache, step.logits[:, -1]
            eot = logits[:, codec.eot].clone()
            logits[:, codec.first_special :] = float("-inf")  # text tokens only …
            logits[:, codec.eot] = eot  # … or the end
            next_ids = logits.argmax(-1)
            next_ids = torch.where(done, torch.full_like(next_ids, codec.eot), next_ids)
            ids = torch.cat([ids, next_ids[:, None]], dim=1)
            done |= next_ids == codec.eot
            if bool(done.all()):
                break
    return [row[len(codec.prefix) :].tolist() for row in ids]


def evaluate(model: Any, items: list[Item], codec: Codec, *, device: str = "auto", batch_size: int = 16,
             errors_path: Path | None = None, data: Batches | None = None, progress: bool = True) -> dict[str, Any]:  # fmt: skip
    device = device_of(device)
    model.to(device).eval()
    data = data or Batches(items, codec, progress)
    if data.window == "trim":
        from tune.model import trimmed_windows

        trimmed_windows(model)
    scores = Scores()
    rows = []
    audio_seconds = sum(i.duration for i in items)
    started = time.perf_counter()
    for offset in range(0, len(items), batch_size):
        indices = list(range(offset, min(offset + batch_size, len(items))))
        features = data.features_of(indices, device)  # trimmed windows: the server's 0.5 s margin
        for index, ids in zip(indices, greedy_decode(model, features, codec), strict=True):
            rows.append(scores.add(items[index].text, codec.text(ids)))
    seconds = time.perf_counter() - started
    if errors_path is not None:
        errors_path.parent.mkdir(parents=True, exist_ok=True)
        errors_path.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
        )
    return {
        **scores.summary(),
        "utterances": len(items),
        "rtf": round(seconds / max(audio_seconds, 1e-6), 4),
        "examples": rows[:3],
    }


def evaluate_engine(model_dir: str, items: list[Item], *, window: str = "trim", threads: int = 2,
                    errors_path: Path | None = None, uncertain_below: float = 0.5) -> dict[str, Any]:  # fmt: skip
    """The same scores through the server's own recognizer: a CTranslate2 export (int8 on a CPU)
    decoded one utterance at a time by `agent.asr.engine` under the server's window policy, with its
    guards (signal and model), greedy, no previous text: what a call's finals would say; and how
    well its word probabilities flag its wrong words (`word_confidence`)."""
    import numpy as np

    from agent.asr.engine import DecodeRequest, EngineOptions, WhisperEngine, WindowPolicy
    from agent.asr.guards import screen, signal_rejection
    from tune.audio import read_audio

    policy = WindowPolicy.parse(window)
    engine = WhisperEngine.load(
        model_dir, EngineOptions(device="cpu", cpu_threads=threads, final_window=policy)
    )
    scores, rows, guarded = Scores(), [], 0
    confidence = ConfidenceScores(uncertain_below)
    pad = np.zeros(4800, np.float32)  # 0.3 s of quiet either side, as a VAD segment has
    audio_seconds, spent = 0.0, 0.0
    for item in items:
        audio = np.concatenate([pad, read_audio(Path(item.audio)), pad])
        audio_seconds += len(audio) / 16000
        started = time.perf_counter()
        reason = signal_rejection(audio)
        text = ""
        if reason is None:
            (result,) = engine.decode_batch([DecodeRequest(audio, None, policy, word_confidence=True)])
            result, reason = screen(result)
            text = "" if reason else result.text
            if not reason:
                confidence.add(item.text, text, result.word_probs)
        spent += time.perf_counter() - started
        guarded += reason is not None
        rows.append({**scores.add(item.text, text), **({"guard": reason} if reason else {})})
    if errors_path is not None:
        errors_path.parent.mkdir(parents=True, exist_ok=True)
        errors_path.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
        )
    return {**scores.summary(), "utterances": len(items), "guarded": guarded, "engine": "ctranslate2",
            "rtf": round(spent / max(audio_seconds, 1e-6), 4), "word_confidence": confidence.summary(),
            "examples": rows[:3]}  # fmt: skip
