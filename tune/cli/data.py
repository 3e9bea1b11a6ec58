"""`tune data` and `tune synth`: prepare a manifest, synthesize Korean call-center speech."""

from __future__ import annotations

import argparse
import wave
from pathlib import Path
from typing import Any

import numpy as np

from tune.cli.common import db_range, int_range, write_result


def cmd_data(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from tune.audio import read_audio, write_audio
    from tune.manifest import Item, ManifestError, keep, read_manifest, split, write_manifest

    config = augment_config(args)  # a bad setting stops here, before anything is read or written
    source = Path(args.source)
    out = Path(args.out)
    try:
        if source.is_dir() and (source / "dataset_info.json").is_file():
            items = _from_saved_dataset(source, out)
        else:
            items = read_manifest(source)
    except (ManifestError, OSError, ValueError) as error:
        raise SystemExit(f"tune data: {error}") from None
    rng = np.random.default_rng(args.seed)
    prepared: list[Item] = []
    dropped = 0
    for n, item in enumerate(tqdm(items, desc="data")):
        where = f"{source}:{item.line}" if item.line else f"{source} item {n + 1}"
        try:
            audio = read_audio(Path(item.audio))
        except (OSError, ValueError, EOFError, wave.Error) as error:
            raise SystemExit(f"tune data: {where}: unreadable audio {item.audio}: {error}") from None
        candidate = Item(item.audio, item.text.strip(), item.speaker, round(len(audio) / 16000, 3))
        if not candidate.text:
            raise SystemExit(f"tune data: {where}: empty transcript for {item.audio}")
        mismatch = transcript_mismatch(candidate)
        if mismatch:
            raise SystemExit(f"tune data: {where}: {mismatch}")
        if not keep(candidate, args.min_s, args.max_s, args.max_chars):
            dropped += 1
            continue
        path = out / "audio" / f"{n:06d}.wav"
        write_audio(path, audio)
        prepared.append(Item(str(path.resolve()), candidate.text, candidate.speaker, candidate.duration))
    splits = split(prepared, args.dev, args.test, args.seed)
    augmented = 0
    if config is not None:
        extra = augmented_copies(splits["train"], out / "audio", config, rng, copies=args.copies)
        splits["train"] += extra
        augmented = len(extra)
    for name, subset in splits.items():
        write_manifest(out / f"{name}.jsonl", subset)
    write_result(out, {"command": "data", "source": str(source), "kept": len(prepared), "dropped": dropped,
                        "augmented": augmented, "augment": args.augment, **{name: len(v) for name, v in splits.items()}})  # fmt: skip
    return 0


# Read aloud, Korean runs at about 3-8 syllables a second; a transcript far outside that for its
# audio belongs to another file (or the audio was cut).
MAX_SYLLABLES_PER_SECOND = 25.0
MIN_SECONDS_PER_SYLLABLE_WINDOW = 10.0  # audio this much longer than 1 s per syllable is suspicious


def transcript_mismatch(item: Any) -> str | None:
    """Why `item`'s transcript cannot be the words of its audio, or None."""
    letters = sum(1 for ch in item.text if ch.isalnum())
    if item.duration > 0 and letters / item.duration > MAX_SYLLABLES_PER_SECOND:
        return (
            f"transcript of {letters} letters for {item.duration:.2f} s of audio ({item.audio}): "
            "more than anyone reads in that time; audio and transcript do not match"
        )
    if letters and item.duration > MIN_SECONDS_PER_SYLLABLE_WINDOW + 1.5 * letters:
        return (
            f"{item.duration:.1f} s of audio for a transcript of {letters} letters ({item.audio}): "
            "audio and transcript do not match"
        )
    return None


def augment_config(args: argparse.Namespace) -> Any:
    """The augmentation settings of `--augment` and its ranges; None for `none`; a bad one ends
    the command with the reason."""
    from tune.augment import AugmentConfig, AugmentError

    if args.augment in ("none", ""):
        return None
    try:
        ranges = {"share": args.augment_share, "codecs": args.codecs, "noises": args.noises}
        if hasattr(args, "rt60"):  # tune data; tune synth draws the ranges' defaults
            ranges |= {
                "speed": args.speed or None, "snr_db": args.snr, "rt60_s": args.rt60,
                "pitch_semitones": args.pitch_semitones, "formant": args.formant, "level_dbfs": args.level_dbfs,
            }  # fmt: skip
        return AugmentConfig.parse(args.augment, every=args.augment_every, **ranges)
    except AugmentError as error:
        raise SystemExit(f"tune: bad augmentation setting: {error}") from None


def augmented_copies(items: list[Any], audio_dir: Path, config: Any, rng: np.random.Generator, *, copies: int = 1,
                     progress: bool = True) -> list[Any]:  # fmt: skip
    """`copies` augmented copies of each item (written as aug-*.wav beside the originals); what
    was applied goes into the item's `augment` record. Other items are the babble and the echo."""
    from tqdm import tqdm

    from tune.audio import read_audio, write_audio
    from tune.augment import augment
    from tune.manifest import Item

    pool = [read_audio(Path(i.audio)) for i in items[: min(len(items), 64)]]
    extra = []
    for copy in range(copies):
        for n, item in enumerate(tqdm(items, desc=f"augment {copy + 1}/{copies}", disable=not progress)):
            audio, applied = augment(
                read_audio(Path(item.audio)), rng, config, [p for k, p in enumerate(pool) if k != n]
            )
            path = audio_dir / f"aug{copy}-{n:06d}.wav"
            write_audio(path, audio)
            extra.append(
                Item(
                    str(path.resolve()),
                    item.text,
                    item.speaker,
                    round(len(audio) / 16000, 3),
                    augment=applied,
                )
            )
    return extra


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
    if args.spoken:
        from tune.spoken import spoken_sentences

        texts = spoken_sentences(texts, args.spoken, args.seed)
    out = Path(args.out)
    items = synthesize(
        texts, out, speakers=args.speakers, seed=args.seed, variants=args.voices.split(",") if args.voices else VOICES,
        pitch=int_range(args.pitch), speed=int_range(args.speed), phone=1.0 if args.phone else args.phone_share,
        snr_db=args.snr, level_db=db_range(args.level_db), augment=augment_config(args),
    )  # fmt: skip
    write_manifest(out / "all.jsonl", items)
    splits = split(items, args.dev, args.test, args.seed)
    for name, subset in splits.items():
        write_manifest(out / f"{name}.jsonl", subset)
    write_result(out, {"command": "synth", "utterances": len(items), "speakers": args.speakers, "phone_line": 1.0 if args.phone else args.phone_share, "frames": args.frames,
                        "hours": round(sum(i.duration for i in items) / 3600, 3), **{k: len(v) for k, v in splits.items()},
                        "note": "espeak-ng synthetic speech, not real speech"})  # fmt: skip
    return 0


def add_augment_arguments(parser: argparse.ArgumentParser, *, ranges: bool = True) -> None:
    """--augment and --copies; with `ranges`, every range too (synth has its own --speed and --snr)."""
    parser.add_argument(
        "--augment", default="none",
        help="augmented training copies: none, all, or kinds (speed,tempo,pitch,formant,reverb,noise,phone,echo,"
        "level; -KIND leaves one out of all): tune/augment.py",
    )  # fmt: skip
    parser.add_argument(
        "--augment-share", default=None, help="share of copies augmented at all (0-1, default 0.8)"
    )
    parser.add_argument(
        "--augment-every", action="store_true", help="every chosen kind on every augmented utterance"
    )
    parser.add_argument(
        "--codecs", default=None, help="phone codecs to draw from (mulaw,alaw,amr_nb,g723_1,g722,opus)"
    )
    parser.add_argument(
        "--noises", default=None, help="noises to draw from (white,pink,brown,babble,office,hum)"
    )
    if not ranges:
        return
    parser.add_argument("--copies", type=int, default=1, help="augmented copies of each training utterance")
    parser.add_argument("--speed", default="", help="speed factor range LOW,HIGH (default 0.9,1.1)")
    parser.add_argument("--snr", default=None, help="noise SNR range LOW,HIGH dB (default 0,25)")
    parser.add_argument("--rt60", default=None, help="reverberation time range LOW,HIGH s (default 0.2,0.8)")
    parser.add_argument("--pitch-semitones", default=None, help="pitch shift range (default -3,3)")
    parser.add_argument("--formant", default=None, help="vocal-tract warp range (default 0.88,1.12)")
    parser.add_argument("--level-dbfs", default=None, help="peak level range (default -30,0)")


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
    add_augment_arguments(data)
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
    synth.add_argument(
        "--spoken", type=float, default=0.0,
        help="share of sentences made conversational: fillers, repetitions, self-corrections, backchannels, loanwords",
    )  # fmt: skip
    add_augment_arguments(synth, ranges=False)
    synth.add_argument("--dev", type=float, default=0.1)
    synth.add_argument("--test", type=float, default=0.1)
    synth.add_argument("--seed", type=int, default=0)
    synth.set_defaults(run=cmd_synth)
