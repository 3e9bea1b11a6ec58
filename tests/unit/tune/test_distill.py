"""The distilled decoder's pieces: which teacher layers start the student, what is copied and
frozen, which students are refused and why, and the distillation loss."""

from __future__ import annotations

import pytest
import torch

from tune.distill import StudentMismatch, check_student, distillation_kl, kept_layers, student_from
from tune.model import ModelDims, new_model

TEACHER = ModelDims(
    d_model=32, encoder_layers=1, decoder_layers=4, attention_heads=2, ffn_dim=64, window_s=10
)


def test_the_student_starts_from_layers_spread_over_the_teachers_depth() -> None:
    assert kept_layers(6, 2) == [0, 5]  # Distil-Whisper: the first and the last
    assert kept_layers(6, 3) == [0, 2, 5]
    assert kept_layers(6, 1) == [5]
    assert kept_layers(4, 4) == [0, 1, 2, 3]
    with pytest.raises(StudentMismatch, match="1 to 6 decoder layers"):
        kept_layers(6, 7)


def test_the_student_copies_the_encoder_frozen_and_the_kept_decoder_layers() -> None:
    teacher = new_model(TEACHER, seed=1)
    student, keep = student_from(teacher, 2)
    assert keep == [0, 3] and student.config.decoder_layers == 2
    t, s = teacher.state_dict(), student.state_dict()
    for name in s:
        if name.startswith("model.decoder.layers."):
            index, rest = name.removeprefix("model.decoder.layers.").split(".", 1)
            assert torch.equal(s[name], t[f"model.decoder.layers.{keep[int(index)]}.{rest}"]), name
        else:
            assert torch.equal(s[name], t[name]), name
    assert not any(p.requires_grad for p in student.model.encoder.parameters())
    assert all(p.requires_grad for p in student.model.decoder.parameters())


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"num_languages": 50}, "vocabulary"),
        ({"num_mel_bins": 128}, "mel size"),
        ({"d_model": 64}, "model width"),
    ],
)
def test_a_student_that_cannot_learn_from_the_teacher_is_refused_with_the_reason(
    change: dict[str, int], reason: str
) -> None:
    teacher = new_model(TEACHER)
    dims = {**TEACHER.__dict__, "decoder_layers": 2, **change}
    with pytest.raises(StudentMismatch, match=reason):
        check_student(teacher, new_model(ModelDims(**dims)))


def test_the_distillation_loss_is_zero_only_where_the_student_agrees() -> None:
    torch.manual_seed(0)
    teacher = torch.randn(2, 5, 11)
    labels = torch.tensor([[1, 2, 3, -100, -100], [4, 5, 6, 7, 8]])
    assert float(distillation_kl(teacher.clone(), teacher, labels, 2.0)) == pytest.approx(0.0, abs=1e-6)
    assert float(distillation_kl(torch.randn(2, 5, 11), teacher, labels, 2.0)) > 0.01
    masked_only = teacher.clone()
    masked_only[0, 3:] = 100.0  # positions without a label do not count
    assert float(distillation_kl(masked_only, teacher, labels, 2.0)) == pytest.approx(0.0, abs=1e-6)
