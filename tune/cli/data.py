"""`tune data` and `tune synth`: prepare a manifest, synthesize Korean call-center speech."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from tune.cli.common import db_range, int_range, write_result


def cmd_data(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from tune.audio import add_noise, change_speed, phone_line, read_audio, write_audio
    from tune.manifest import Item, keep, read_manifest, split, write_manifest

    source = Path(args.source)
    if source.is_dir() and (source / "dataset_info.json").is_file():
        items = _from_saved_dataset(source, Path(args.out))
    else:
        items = read_manifest(source)
    out = Path(args.out)
    rng = np.random.default_rng(args.seed)
    prepared: list[Item] = []
    dropped = 0
    for n, item in enumerate(tqdm(items, desc="data")):
        audio = read_audio(Path(item.audio))
        candidate = Item(item.audio, item.text.strip(), item.speaker, round(len(audio) / 16000, 3))
        if not keep(candidate, args.min_s, args.max_s, args.max_chars):
            dropped += 1
            continue
        path = out / "audio" / f"{n:06d}.wav"
        write_audio(path, audio)
        prepared.append(Item(str(path.resolve()), candidate.text, candidate.speaker, candidate.duration))
    splits = split(prepared, args.dev, args.test, args.seed)
    augmented = 0
    if args.augment != "none":
        extra = []
        speeds = [float(s) for s in args.speed.split(",")] if args.speed else []
        for n, item in enumerate(tqdm(splits["train"], desc="augment")):
            audio = read_audio(Path(item.audio))
            if args.augment == "phone":
                audio = phone_line(audio, rng, args.snr)
            elif args.augment == "noise":
                audio = add_noise(audio, args.snr, rng)
            if speeds:
                audio = change_speed(audio, float(rng.choice(speeds)))
            path = out / "audio" / f"aug-{n:06d}.wav"
            write_audio(path, audio)
            extra.append(Item(str(path.resolve()), item.text, item.speaker, round(len(audio) / 16000, 3)))
        splits["train"] += extra
        augmented = len(extra)
    for name, subset in splits.items():
        write_manifest(out / f"{name}.jsonl", subset)
    write_result(out, {"command": "data", "source": str(source), "kept": len(prepared), "dropped": dropped,
                        "augmented": augmented, **{name: len(v) for name, v in splits.items()}})  # fmt: skip
    return 0


def _from_saved_dataset(path: Path, out: Path) -> list[Any]:
    """A Hugging Face dataset saved with `save_to_disk` (columns audio, text, optional speaker)."""
    try:
        from datasets import load_from_disk
    except ImportError:
        raise SystemExit(
            "reading a saved dataset needs the `datasets` package: pip install datasets"
        ) from None
    import soxr

    from tune.audio import write_audio
    from tune.manifest import Item

    items = []
    for n, row in enumerate(load_from_disk(str(path))):
        audio = row["audio"]
        wav = out / "source" / f"{n:06d}.wav"
        write_audio(wav, soxr.resample(np.asarray(audio["array"], np.float32), audio["sampling_rate"], 16000))
        items.append(Item(str(wav), row.get("text") or row.get("sentence", ""), str(row.get("speaker", ""))))
    return items


def cmd_synth(args: argparse.Namespace) -> int:
    from tune.manifest import split, write_manifest
    from tune.synth import VOICES, synthesize
    from tune.textgen import sentences

    extra = []
    for text_file in args.text_file or []:
        extra += [line.strip() for line in Path(text_file).read_text("utf-8").splitlines() if line.strip()]
    texts = sentences(args.count, args.seed, extra, part=args.frames)
    out = Path(args.out)
    items = synthesize(
        texts, out, speakers=args.speakers, seed=args.seed, variants=args.voices.split(",") if args.voices else VOICES,
        pitch=int_range(args.pitch), speed=int_range(args.speed), phone=1.0 if args.phone else args.phone_share,
        snr_db=args.snr, level_db=db_range(args.level_db),
    )  # fmt: skip
    write_manifest(out / "all.jsonl", items)
    splits = split(items, args.dev, args.test, args.seed)
    for name, subset in splits.items():
        write_manifest(out / f"{name}.jsonl", subset)
    write_result(out, {"command": "synth", "utterances": len(items), "speakers": args.speakers, "phone_line": 1.0 if args.phone else args.phone_share, "frames": args.frames,
                        "hours": round(sum(i.duration for i in items) / 3600, 3), **{k: len(v) for k, v in splits.items()},
                        "note": "espeak-ng synthetic speech, not real speech"})  # fmt: skip
    return 0


def register(commands: Any) -> None:
    data = commands.add_parser(
        "data", help="prepare a manifest or saved dataset: 16 kHz, filters, splits, augmentation"
    )
    data.add_argument(
        "source", help="JSONL manifest (audio, text, speaker, duration) or a dataset saved on disk"
    )
    data.add_argument("--out", required=True)
    data.add_argument("--min-s", type=float, default=0.3)
    data.add_argument("--max-s", type=float, default=30.0)
    data.add_argument("--max-chars", type=int, default=200)
    data.add_argument("--dev", type=float, default=0.1)
    data.add_argument("--test", type=float, default=0.1)
    data.add_argument(
        "--augment", choices=["none", "phone", "noise"], default="none", help="extra train copies"
    )
    data.add_argument("--snr", type=float, default=20.0)
    data.add_argument("--speed", default="", help="speed factors to pick from, e.g. 0.9,1.1")
    data.add_argument("--seed", type=int, default=0)
    data.set_defaults(run=cmd_data)

    synth = commands.add_parser("synth", help="synthetic Korean call-center speech with espeak-ng")
    synth.add_argument("--out", required=True)
    synth.add_argument("--count", type=int, default=200)
    synth.add_argument("--speakers", type=int, default=8, help="voice/pitch/speed combinations")
    synth.add_argument("--voices", default="", help="espeak-ng voices, e.g. ko,ko+m1,ko+f2 (default: eight)")
    synth.add_argument("--pitch", default="30-70")
    synth.add_argument("--speed", default="140-190", help="words per minute")
    synth.add_argument("--phone", action="store_true", help="through a simulated phone line")
    synth.add_argument(
        "--phone-share", type=float, default=0.0, help="share of utterances through a phone line"
    )
    synth.add_argument("--snr", type=float, default=20.0, help="noise on the phone line (dB)")
    synth.add_argument("--level-db", default="0", help="level change drawn from LOW,HIGH dB, e.g. -12,3")
    synth.add_argument(
        "--frames", choices=["all", "train", "test"], default="all",
        help="sentence frames: the training four fifths, the held-out fifth, or all",
    )  # fmt: skip
    synth.add_argument("--text-file", action="append", help="extra sentences, one per line")
    synth.add_argument("--dev", type=float, default=0.1)
    synth.add_argument("--test", type=float, default=0.1)
    synth.add_argument("--seed", type=int, default=0)
    synth.set_defaults(run=cmd_synth)
