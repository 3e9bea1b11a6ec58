"""Manifests: JSON lines `{"audio": path, "text": …, "speaker": …, "duration": …}` (paths relative
to the manifest's folder), filtering, and train/dev/test splits that keep each speaker in one."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path


class ManifestError(ValueError):
    """A manifest line that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Item:
    audio: str
    text: str
    speaker: str = ""
    duration: float = 0.0
    augment: dict[str, object] = field(default_factory=dict, compare=False)  # what tune/augment.py applied
    line: int = field(default=0, compare=False)  # where it was read (0: made here)


def read_manifest(path: Path) -> list[Item]:
    items = []
    for number, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise ManifestError(f"{path}:{number}: not JSON ({error.msg})") from None
        if not isinstance(row, dict) or "audio" not in row or "text" not in row:
            raise ManifestError(f"{path}:{number}: every line needs 'audio' and 'text'")
        if not isinstance(row["text"], str):
            raise ManifestError(f"{path}:{number}: 'text' must be a string")
        audio = Path(str(row["audio"]))
        if not audio.is_absolute():
            audio = Path(path).parent / audio
        try:
            duration = float(row.get("duration", 0))
        except (TypeError, ValueError):
            raise ManifestError(f"{path}:{number}: 'duration' must be a number") from None
        items.append(
            Item(
                str(audio),
                row["text"],
                str(row.get("speaker", "")),
                duration,
                dict(row.get("augment") or {}),
                number,
            )
        )
    return items


def write_manifest(path: Path, items: list[Item]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for item in items:
        row: dict[str, object] = {
            "audio": item.audio,
            "text": item.text,
            "speaker": item.speaker,
            "duration": item.duration,
        }
        if item.augment:
            row["augment"] = item.augment
        audio = Path(item.audio)
        if audio.is_absolute() and audio.is_relative_to(path.parent.resolve()):
            row["audio"] = str(audio.relative_to(path.parent.resolve()))
        lines.append(json.dumps(row, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def keep(item: Item, min_s: float, max_s: float, max_chars: int) -> bool:
    return min_s <= item.duration <= max_s and 0 < len(item.text) <= max_chars


def split(items: list[Item], dev: float, test: float, seed: int = 0) -> dict[str, list[Item]]:
    """By speaker when speakers are given (no speaker in two splits), else by item."""
    rng = random.Random(seed)
    speakers = sorted({i.speaker for i in items})
    if len(speakers) >= 3 and all(i.speaker for i in items):
        rng.shuffle(speakers)
        n_test = max(1, round(len(speakers) * test))
        n_dev = max(1, round(len(speakers) * dev))
        test_set, dev_set = set(speakers[:n_test]), set(speakers[n_test : n_test + n_dev])
        return {
            "train": [i for i in items if i.speaker not in test_set | dev_set],
            "dev": [i for i in items if i.speaker in dev_set],
            "test": [i for i in items if i.speaker in test_set],
        }
    shuffled = list(items)
    rng.shuffle(shuffled)
    n_test, n_dev = round(len(items) * test), round(len(items) * dev)
    return {
        "test": shuffled[:n_test],
        "dev": shuffled[n_test : n_test + n_dev],
        "train": shuffled[n_test + n_dev :],
    }
