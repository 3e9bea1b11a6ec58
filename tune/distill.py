"""A distilled decoder, Distil-Whisper's recipe for our Korean model: the student keeps the
teacher's encoder (frozen, shared) and gets a shallow decoder whose layers start as copies of
teacher layers spread over its depth (for two: the first and the last); it learns from the
teacher's output distribution (KL at a temperature) and from the references (cross-entropy), on
the same windows the server decodes."""

from __future__ import annotations

import copy
from typing import Any


class StudentMismatch(ValueError):
    """A student that cannot learn from this teacher; the message says why."""


def kept_layers(teacher_layers: int, student_layers: int) -> list[int]:
    """Which teacher decoder layers start the student's: evenly spread, first and last included."""
    if not 1 <= student_layers <= teacher_layers:
        raise StudentMismatch(f"a student has 1 to {teacher_layers} decoder layers, not {student_layers}")
    if student_layers == 1:
        return [teacher_layers - 1]
    step = (teacher_layers - 1) / (student_layers - 1)
    return [round(i * step) for i in range(student_layers)]


def check_student(teacher: Any, student: Any) -> None:
    """The student must read the same features, write the same tokens and share the encoder."""
    t, s = teacher.config, student.config
    for name, what in (
        ("vocab_size", "vocabulary"),
        ("num_mel_bins", "mel size"),
        ("d_model", "model width"),
        ("encoder_layers", "encoder depth"),
        ("max_source_positions", "audio window"),
    ):
        if getattr(t, name) != getattr(s, name):
            raise StudentMismatch(
                f"the student's {what} ({name} {getattr(s, name)}) differs from the teacher's "
                f"({getattr(t, name)}): it cannot share the encoder or learn the teacher's outputs"
            )


def student_from(teacher: Any, decoder_layers: int, keep: list[int] | None = None) -> tuple[Any, list[int]]:
    """A student built from `teacher`: its encoder, embeddings and output layer copied, its decoder
    layers copied from the teacher's layers `keep` (default: `kept_layers`); the encoder frozen."""
    from transformers import WhisperForConditionalGeneration

    keep = keep or kept_layers(teacher.config.decoder_layers, decoder_layers)
    if len(keep) != decoder_layers or not all(0 <= k < teacher.config.decoder_layers for k in keep):
        raise StudentMismatch(f"--keep needs {decoder_layers} teacher layers between 0 and "
                              f"{teacher.config.decoder_layers - 1}, not {keep}")  # fmt: skip
    config = copy.deepcopy(teacher.config)
    config.decoder_layers = decoder_layers
    student = WhisperForConditionalGeneration(config)
    state = teacher.state_dict()
    mapped = {}
    for name, value in state.items():
        prefix = "model.decoder.layers."
        if name.startswith(prefix):
            index, rest = name[len(prefix) :].split(".", 1)
            if int(index) in keep:
                mapped[f"{prefix}{keep.index(int(index))}.{rest}"] = value.clone()
        else:
            mapped[name] = value.clone()
    missing, unexpected = student.load_state_dict(mapped, strict=False)
    if unexpected or [m for m in missing if m != "proj_out.weight"]:  # proj_out is tied to the embeddings
        raise StudentMismatch(f"weights did not map: missing {missing[:5]}, unexpected {unexpected[:5]}")
    freeze_encoder(student)
    return student, keep


def freeze_encoder(student: Any) -> None:
    for param in student.model.encoder.parameters():
        param.requires_grad = False


def distillation_kl(student_logits: Any, teacher_logits: Any, labels: Any, temperature: float) -> Any:
    """Mean KL(teacher ‖ student) over the label positions at `temperature`, scaled by T² (so its
    gradients keep their size whatever the temperature)."""
    import torch

    keep = labels != -100
    log_p = torch.log_softmax(student_logits[keep].float() / temperature, dim=-1)
    log_q = torch.log_softmax(teacher_logits[keep].float() / temperature, dim=-1)
    return torch.sum(log_q.exp() * (log_q - log_p), dim=-1).mean() * temperature**2
