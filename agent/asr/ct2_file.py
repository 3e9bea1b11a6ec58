"""The layout of a CTranslate2 `model.bin` (format version ≥ 5), read without CTranslate2: a
header (version, spec name, revision), then each variable's name, shape, dtype code and bytes, then
aliases. Used to count a model's weights (`callassist asr info`) and by the tuning toolkit to import
an export back into PyTorch."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO


class Ct2FileError(ValueError):
    """Not a CTranslate2 model file this reader understands."""


@dataclass(frozen=True)
class Ct2Variable:
    name: str
    shape: tuple[int, ...]
    dtype: int  # CTranslate2's code: 0 float32, 1 int8, 2 int16, 3 int32, 4 float16, 5 bfloat16
    data: bytes | None  # None when only the headers were read


def _string(f: BinaryIO) -> str:
    (size,) = struct.unpack("<H", f.read(2))
    return f.read(size)[:-1].decode()


def read_model_bin(
    model_bin: Path, *, with_data: bool = True
) -> tuple[str, list[Ct2Variable], list[tuple[str, str]]]:
    """(spec name, variables, aliases as (alias, target)); with `with_data=False` the variables'
    bytes are skipped, not read."""
    with Path(model_bin).open("rb") as f:
        (version,) = struct.unpack("<I", f.read(4))
        if version < 5:
            raise Ct2FileError(f"{model_bin}: CTranslate2 model format {version} is too old (need >= 5)")
        spec = _string(f)
        f.read(4)  # spec revision
        (count,) = struct.unpack("<I", f.read(4))
        variables = []
        for _ in range(count):
            name = _string(f)
            (rank,) = struct.unpack("<B", f.read(1))
            shape = struct.unpack(f"<{rank}I", f.read(4 * rank))
            (dtype,) = struct.unpack("<B", f.read(1))
            (size,) = struct.unpack("<I", f.read(4))
            if with_data:
                data: bytes | None = f.read(size)
            else:
                f.seek(size, 1)
                data = None
            variables.append(Ct2Variable(name, tuple(shape), dtype, data))
        aliases = []
        count_bytes = f.read(4)
        if len(count_bytes) == 4:
            for _ in range(struct.unpack("<I", count_bytes)[0]):
                aliases.append((_string(f), _string(f)))
    return spec, variables, aliases
