"""`callassist bench …` (the benchmarks that drive the product from outside), `asr
make-test-model` (random-weight Whisper for tests and speed measurements), `analytics-model` (the
analytics turn model trained on labelled turns) and `recognize` (text spoken and recognized, for
the product's `--spoken` evaluations)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from agent.audio.codecs import Encoding
from server.settings import Settings
from workbench.analytics_model import Recipe


def _make_test_model(args: argparse.Namespace, settings: Settings) -> int:
    from workbench.test_models import TINY, TURBO, build_test_model

    spec = {"tiny": TINY, "turbo": TURBO}[args.shape]
    path = build_test_model(Path(args.dir), spec)
    print(f"random-weight Whisper ({args.shape} shape, {spec.quantization}) written to {path}")
    print("Its weights are random: use it for tests and speed measurements, never for transcripts.")
    return 0


def _against(args: argparse.Namespace) -> list[dict[str, str]] | None:
    """The `--against CALLASSIST_NAME=VALUE[,…]` variants, or None (after saying why) if one is not that."""
    variants = []
    for text in args.against or []:
        pairs = [[part.strip() for part in pair.split("=", 1)] for pair in text.split(",") if pair.strip()]
        if not pairs or any(len(p) != 2 or not p[0].startswith("CALLASSIST_") for p in pairs):
            print(f"--against takes CALLASSIST_NAME=VALUE[,…], not {text!r}", file=sys.stderr)
            return None
        variants.append({name: value for name, value in pairs})
    return variants


def _bench_asr(args: argparse.Namespace, settings: Settings) -> int:
    from workbench.bench.asr import bench

    against = _against(args)
    if against is None:
        return 2
    model = None
    if args.model:
        from agent.asr import packaged

        model = Path(packaged.resolve(args.model, settings.cache_dir))
    summary = asyncio.run(
        bench(
            model,
            [int(n) for n in args.calls.split(",")],
            args.duration,
            args.max_batch,
            args.target_p95,
            settings.cache_dir,
            args.tokens_per_second,
            args.device,
            args.compute_type,
            baseline=not args.no_baseline,
            windows=args.windows.split(",") if args.windows else [],
            against=against,
        )
    )
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(summary, indent=1))
        print(f"summary written to {args.json}")
    return 0


def _bench_calls(args: argparse.Namespace, settings: Settings) -> int:
    from workbench.bench.e2e import as_json, evaluate, summary_table

    encodings = [
        Encoding.PCM_S16LE if e in ("pcm", "pcm_s16le") else Encoding(e) for e in args.encoding.split(",")
    ]
    voices = dict(pair.split("=", 1) for pair in args.voices.split(",")) if args.voices else None
    kinds = [t.strip() for t in args.transcripts.split(",") if t.strip()]
    if not kinds or set(kinds) - {"typed", "recognized"}:
        print("--transcripts takes typed and/or recognized", file=sys.stderr)
        return 2
    # typed text does not depend on the line's encoding: one pass on the first
    passes = [("typed", encodings[0])] if "typed" in kinds else []
    passes += [("recognized", e) for e in encodings] if "recognized" in kinds else []
    against = _against(args)
    if against is None:
        return 2
    variants: list[dict[str, str]] = [{}, *against]
    reports = []
    for (transcripts, encoding), env in ((p, v) for p in passes for v in variants):
        print(f"--- {transcripts}, {encoding.value}, {env or 'defaults'}")
        reports.append(
            asyncio.run(
                evaluate(
                    settings.cache_dir,
                    Path(args.file) if args.file else None,
                    Path(args.guides) if args.guides else None,
                    encoding=encoding,
                    env=env,
                    speed=args.speed,
                    voices=voices,
                    transcripts=transcripts,
                )
            )
        )
    print(summary_table(reports))
    for r in reports:
        for problem in r.problems:
            print(f"problem: {problem}", file=sys.stderr)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(as_json(reports), encoding="utf-8")
        print(f"written to {args.json}")
    return 1 if any(r.problems for r in reports) else 0


def _bench_burst(args: argparse.Namespace, settings: Settings) -> int:
    from workbench.bench.burst import as_json, burst, summary_table

    against = _against(args)
    if against is None:
        return 2
    reports = []
    try:
        sizes = [int(n) for n in args.calls.split(",")]
        for env in [{}, *against]:
            print(f"--- {env or 'defaults'}")
            reports.append(
                asyncio.run(
                    burst(
                        settings.cache_dir,
                        sizes,
                        Path(args.file) if args.file else None,
                        env=env,
                        stagger_s=args.stagger,
                        calls_each=args.calls_each,
                    )
                )
            )
    except ValueError as exc:
        print(f"callassist bench burst: {exc}", file=sys.stderr)
        return 2
    for env, report in zip([{}, *against], reports, strict=True):
        print(f"\nsettings: {env or 'defaults'}")
        print(summary_table(report))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        text = (
            as_json(reports[0]) if len(reports) == 1 else "[" + ",\n".join(as_json(r) for r in reports) + "]"
        )
        Path(args.json).write_text(text, encoding="utf-8")
        print(f"written to {args.json}")
    return 1 if any(s.problems for r in reports for s in r.steps) else 0


def _bench_window(args: argparse.Namespace, settings: Settings) -> int:
    from agent.asr import packaged
    from workbench.bench.window import default_calls_file, run, table

    model = packaged.resolve(args.model or settings.asr_model, settings.cache_dir)
    results = run(
        model,
        Path(args.file) if args.file else default_calls_file(),
        tuple(args.policies.split(",")),
        phone=args.phone,
        threads=args.threads,
    )
    print(table(results))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps([asdict(r) for r in results], indent=1))
    return 0


def _bench_workers(args: argparse.Namespace, settings: Settings) -> int:
    from dataclasses import asdict

    from agent.asr import packaged
    from workbench.bench.window import default_calls_file
    from workbench.bench.workers import parse_layouts, run, table

    try:
        layouts = parse_layouts(args.layouts)
    except ValueError as exc:
        print(f"callassist bench workers: {exc}", file=sys.stderr)
        return 2
    model = packaged.resolve(args.model or settings.asr_model, settings.cache_dir)
    results = run(model, Path(args.file) if args.file else default_calls_file(), layouts, limit=args.limit)
    print(table(results))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps([asdict(r) for r in results], indent=1))
    return 0


def _recognize(args: argparse.Namespace, settings: Settings) -> int:
    """JSON lines in (`text`, optional `voice` index), JSON lines out (`text`: what the model wrote,
    `word_probs`: how sure it was of each word)."""
    from workbench.bench.spoken import recognizer

    recognize = recognizer(settings)
    for n, line in enumerate(sys.stdin):
        if line.strip():
            item = json.loads(line)
            heard, probs = recognize(item["text"], int(item.get("voice", n)), phone=args.phone)
            print(json.dumps({"text": heard, "word_probs": probs}, ensure_ascii=False), flush=True)
    return 0


def _three(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _target(value: str) -> float | None:
    return None if value.lower() == "none" else float(value)


def _analytics_model(args: argparse.Namespace, settings: Settings) -> int:
    """Train the analytics turn model on labelled turn files (docs/assistance.md, "Turn model")."""
    from agent.analytics.evaluation import load_rows
    from agent.analytics.matching import ExemplarSpace
    from agent.analytics.turn_model import LetterGrams
    from kb.embedders.lexical import LexicalEmbedder
    from server.cli.common import spoken
    from server.components import embedder_from_settings
    from workbench.analytics_model import Recipe, targets_of, train

    embedder = embedder_from_settings(settings)
    if isinstance(embedder, LexicalEmbedder):
        print("the turn model needs a semantic embedder (CALLASSIST_KB_EMBEDDER)", file=sys.stderr)
        return 2
    if args.phone and not args.spoken:
        print("callassist analytics-model: --phone needs --spoken", file=sys.stderr)
        return 2
    if not 0 <= args.letters_dim <= 1 << 16:  # before the turns are spoken and recognized
        print("callassist analytics-model: --letters-dim must be from 0 to 65536", file=sys.stderr)
        return 2
    rows: list[dict[str, Any]] = []
    heard: list[str] = []
    heard_by_phone: list[str] = []
    groups: list[int] = []
    for number, file in enumerate(args.files):
        try:
            mine = [r for r in load_rows(Path(file)) if r.get("role", "customer") == "customer"]
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            print(f"callassist analytics-model: {file}: {exc}", file=sys.stderr)
            return 2
        if any(not isinstance(r.get("text"), str) for r in mine):
            print(f"callassist analytics-model: {file}: every turn needs a text", file=sys.stderr)
            return 2
        rows += mine
        groups += [number] * len(mine)
        if args.spoken:
            heard += spoken([r["text"] for r in mine])
        if args.phone:
            heard_by_phone += spoken([r["text"] for r in mine], phone=True)
    recipe = Recipe(
        _target(args.negative_precision),
        _target(args.category_precision),
        args.negative_at,
        args.category_at,
        args.strength,
        LetterGrams(dim=args.letters_dim) if args.letters_dim else None,
    )
    names = [Path(file).name for file in args.files]
    try:
        model, validated = train(
            rows,
            ExemplarSpace(embedder, []).embed,
            embedder.name,
            [view for view in (heard, heard_by_phone) if view],
            recipe,
            names,
            groups,
        )
    except ValueError as exc:  # a target with turns of one kind only
        print(f"callassist analytics-model: {exc}", file=sys.stderr)
        return 2
    data = model.to_json()
    data["cross_validated"] = {
        name: {k: round(x, 3) if isinstance(x, float) else x for k, x in asdict(v).items()}
        for name, v in validated.items()
    }
    Path(args.out).write_text(json.dumps(data, ensure_ascii=False) + "\n", "utf-8")
    counts = ", ".join(f"{name} {int(y.sum())}" for name, y in targets_of(rows).items())
    print(f"{args.out}: {len(model.heads)} heads from {len(rows)} turns ({counts})")
    for name, head in model.heads.items():
        check = validated.get(name)
        seen = (
            f" (cross-validated precision {_three(check.precision)}, recall {_three(check.recall)})"
            if check
            else ""
        )
        print(f"  {name}: at {head.at}{seen}")
    return 0


def register(commands: Any) -> None:
    model = commands.add_parser(
        "analytics-model", help="train the analytics turn model (a head per target) on labelled turns"
    )
    model.add_argument("files", nargs="+", help="labelled turn files (JSON lines, as analytics eval reads)")
    model.add_argument("--out", required=True, help="the model file to write (JSON)")
    model.add_argument(
        "--spoken", action="store_true", help="also learn each turn as the speech model writes it"
    )
    model.add_argument(
        "--phone",
        action="store_true",
        help="with --spoken, also as it writes it through an 8 kHz μ-law line (as analytics eval --phone)",
    )
    for kind in ("negative", "category"):
        model.add_argument(
            f"--{kind}-precision",
            default=str(getattr(Recipe, f"{kind}_precision")),
            help=f"the {kind} heads' `at`: the lowest probability whose precision, cross-validated over "
            f"the files, reaches this (none: --{kind}-at)",
        )
    model.add_argument("--negative-at", type=float, default=Recipe.negative_at)
    model.add_argument("--category-at", type=float, default=Recipe.category_at)
    model.add_argument("--strength", type=float, default=Recipe.strength, help="inverse L2 strength (C)")
    model.add_argument(
        "--letters-dim",
        type=int,
        default=Recipe.letters.dim if Recipe.letters else 0,
        help="slots for the turns' hashed letter n-grams beside the embedding (0: the embedding alone)",
    )
    model.set_defaults(run=_analytics_model)

    asr = commands.add_parser("asr", help="speech-recognition tools").add_subparsers(
        dest="asr_command", required=True
    )
    make_model = asr.add_parser(
        "make-test-model", help="build a random-weight Whisper (real tokenizer) offline"
    )
    make_model.add_argument("dir")
    make_model.add_argument(
        "--shape",
        choices=["tiny", "turbo"],
        default="tiny",
        help="tiny: d_model 64, 2+2 layers, int8; turbo: large-v3-turbo's dimensions, float16",
    )
    make_model.set_defaults(run=_make_test_model)
    recognize = commands.add_parser(
        "recognize", help="JSON lines of text in: each spoken by espeak-ng and recognized, JSON lines out"
    )
    recognize.add_argument("--phone", action="store_true", help="through the phone line first")
    recognize.set_defaults(run=_recognize)

    bench = commands.add_parser("bench", help="benchmarks").add_subparsers(
        dest="bench_command", required=True
    )
    bench_asr = bench.add_parser("asr", help="concurrent real-time calls: final latency and capacity")
    bench_asr.add_argument(
        "--model",
        help="CTranslate2 Whisper directory or builtin:NAME (default: random weights, whisper-tiny shape)",
    )
    bench_asr.add_argument(
        "--calls", default="1,2,3,4,6,8,12,16,24,32", help="concurrent call counts to try, in order"
    )
    bench_asr.add_argument("--duration", type=float, default=60.0, help="seconds each step plays")
    bench_asr.add_argument("--max-batch", type=int, default=16)
    bench_asr.add_argument("--target-p95", type=float, default=1.0)
    bench_asr.add_argument(
        "--tokens-per-second", type=float, default=6.0, help="decode cap per second of audio"
    )
    bench_asr.add_argument("--device", default="cpu")
    bench_asr.add_argument("--compute-type", default="default")
    bench_asr.add_argument("--no-baseline", action="store_true", help="skip the batching-off baseline")
    bench_asr.add_argument(
        "--windows", default="", help="also find the capacity with each encoder window, e.g. native,trim"
    )
    bench_asr.add_argument(
        "--against",
        action="append",
        metavar="CALLASSIST_NAME=VALUE[,…]",
        help="also find the capacity with these settings changed, in the same run (repeatable)",
    )
    bench_asr.add_argument("--json", help="also write the summary here")
    bench_asr.set_defaults(run=_bench_asr)
    bench_calls = bench.add_parser(
        "calls", help="end to end on the defaults: synthesized calls in real time, CER, guides, latency"
    )
    bench_calls.add_argument("file", nargs="?", help="JSONL of calls (default: the bundled evaluation set)")
    bench_calls.add_argument("--guides", help="guide folder to ingest (default: the sample guides)")
    bench_calls.add_argument("--encoding", default="pcm,mulaw", help="pcm (16 kHz) and/or mulaw (8 kHz)")
    bench_calls.add_argument("--voices", help="espeak-ng voice per role, e.g. customer=ko+m3,agent=ko+f2")
    bench_calls.add_argument("--speed", type=float, default=1.0, help="1: real time")
    bench_calls.add_argument(
        "--transcripts",
        default="typed,recognized",
        help="typed (the calls' script lines as the transcript, one pass) and/or recognized (the speech model)",
    )
    bench_calls.add_argument(
        "--against",
        action="append",
        metavar="CALLASSIST_NAME=VALUE[,…]",
        help="also run each pass with these settings changed, in the same run (repeatable)",
    )
    bench_calls.add_argument("--json", help="also write the reports here")
    bench_calls.set_defaults(run=_bench_calls)
    bench_burst = bench.add_parser(
        "burst", help="N calls start at once on the defaults: admitted, refused, the admitted's final latency"
    )
    bench_burst.add_argument("file", nargs="?", help="JSONL of calls (default: the bundled evaluation set)")
    bench_burst.add_argument(
        "--calls", default="8,16", help="burst sizes, in order (each call starts together)"
    )
    bench_burst.add_argument(
        "--against",
        action="append",
        metavar="CALLASSIST_NAME=VALUE[,…]",
        help="also run the bursts with these settings changed, on a server of their own (repeatable)",
    )
    bench_burst.add_argument(
        "--stagger",
        type=float,
        default=0.0,
        metavar="S",
        help="calls arrive at random times within S seconds instead of together (0-600)",
    )
    bench_burst.add_argument(
        "--calls-each",
        type=int,
        default=1,
        metavar="K",
        help="each caller makes K calls one after another, as an agent takes the next (1-20)",
    )
    bench_burst.add_argument("--json", help="also write the report here")
    bench_burst.set_defaults(run=_bench_burst)
    bench_window = bench.add_parser("window", help="CER and model time of each encoder-window policy")
    bench_window.add_argument("file", nargs="?", help="JSONL of calls whose turns are spoken")
    bench_window.add_argument("--model", help="model (default: CALLASSIST_ASR_MODEL)")
    bench_window.add_argument("--policies", default="native,20,10,trim")
    bench_window.add_argument("--phone", action="store_true", help="through an 8 kHz μ-law phone line")
    bench_window.add_argument("--threads", type=int, default=1)
    bench_window.add_argument("--json")
    bench_window.set_defaults(run=_bench_window)
    bench_workers = bench.add_parser(
        "workers", help="lone model time and decoding rate of each split of the CPU into model workers"
    )
    bench_workers.add_argument("file", nargs="?", help="JSONL of calls whose turns are spoken")
    bench_workers.add_argument("--model", help="model (default: CALLASSIST_ASR_MODEL)")
    bench_workers.add_argument(
        "--layouts", default="1x2,2x1,1x1", help="WORKERSxTHREADS, comma-separated; the first is the baseline"
    )
    bench_workers.add_argument("--limit", type=int, default=0, help="only the first N turns")
    bench_workers.add_argument("--json")
    bench_workers.set_defaults(run=_bench_workers)
