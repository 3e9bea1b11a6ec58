"""`callassist` command line."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError

from agent.audio.codecs import SUPPORTED_SAMPLE_RATES, Encoding
from server.auth import Role, generate_key
from server.logging import configure_logging
from server.redis_runtime import RedisUnavailable, find_redis_server
from server.settings import Settings
from server.times import parse_time

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from kb.evaluation import ModeScores
    from kb.knowledge import IngestReport, KnowledgeBase, SearchResult

T = TypeVar("T")


def _check_redis(settings: Settings) -> None:
    """Fail before starting anything when there is no Redis to embed."""
    if not settings.redis_url:
        find_redis_server(settings.redis_server)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from server.app import create_app
    from server.runner import uvicorn_config

    _check_redis(settings)
    host = args.host or settings.host
    port = args.port or settings.port
    uvicorn.Server(uvicorn_config(create_app(settings), settings, host, port)).run()
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from server.demo.runner import run_demo

    _check_redis(settings)
    try:
        return asyncio.run(run_demo(settings, once=args.once, speed=args.speed))
    except KeyboardInterrupt:
        return 0


def _prepare_demo(args: argparse.Namespace, settings: Settings) -> int:
    from agent.asr import packaged
    from server.demo.synth import synthesize_call

    if settings.asr_model.startswith(packaged.BUILTIN_SCHEME):
        path = packaged.resolve(settings.asr_model, settings.cache_dir)
        print(f"speech model ready: {path} (its hash was checked when it was built)")
    call = synthesize_call(settings.cache_dir)
    print(f"demo call ready: {call.wav_path} ({call.duration:.1f} s, {len(call.utterances)} utterances)")
    return 0


def _play(args: argparse.Namespace, settings: Settings) -> int:
    from server.demo.player import play_wav

    result = asyncio.run(
        play_wav(
            args.url,
            args.call_id,
            args.key,
            Path(args.wav),
            channel_roles=args.roles.split(","),
            agent_id=args.agent_id,
            encoding=Encoding(args.encoding),
            sample_rate=args.sample_rate,
            speed=args.speed,
        )
    )
    print(result)
    return 0 if result.get("type") == "stopped" else 1


def _make_test_model(args: argparse.Namespace, settings: Settings) -> int:
    from agent.asr.random_model import TINY, TURBO, build_test_model

    spec = {"tiny": TINY, "turbo": TURBO}[args.shape]
    path = build_test_model(Path(args.dir), spec)
    print(f"random-weight Whisper ({args.shape} shape, {spec.quantization}) written to {path}")
    print("Its weights are random: use it for tests and speed measurements, never for transcripts.")
    return 0


def _asr_info(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from server.services import describe_asr_model

    info = describe_asr_model(settings)
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=1))
        return 0
    for key, value in info.items():
        shown = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value
        print(f"{key:>15}: {shown}")
    return 0


def _bench_asr(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from server.bench.asr import bench

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
        )
    )
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(summary, indent=1))
        print(f"summary written to {args.json}")
    return 0


def _bench_calls(args: argparse.Namespace, settings: Settings) -> int:
    from server.bench.e2e import as_json, evaluate, summary_table

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
    reports = []
    for transcripts, encoding in passes:
        print(f"--- {transcripts}, {encoding.value}")
        reports.append(
            asyncio.run(
                evaluate(
                    settings.cache_dir,
                    Path(args.file) if args.file else None,
                    Path(args.guides) if args.guides else None,
                    encoding=encoding,
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


def _bench_window(args: argparse.Namespace, settings: Settings) -> int:
    import json
    from dataclasses import asdict

    from agent.asr import packaged
    from server.bench.window import default_calls_file, run, table

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


async def _with_redis(settings: Settings, job: Callable[[Redis], Awaitable[T]]) -> T:
    """Run `job(redis)` against the configured Redis: external, the running server's embedded one,
    or an embedded one started for this command."""
    from redis.asyncio import Redis

    from server.redis_runtime import EmbeddedRedis, answers_ping

    embedded = None
    url = settings.redis_url
    if not url:
        candidate = EmbeddedRedis(find_redis_server(settings.redis_server), settings.data_dir)
        if await answers_ping(candidate.url):
            url = candidate.url  # a server on this data directory is running: share its Redis
        else:
            embedded, url = candidate, await candidate.start()
    redis = Redis.from_url(url, socket_timeout=settings.redis_socket_timeout)
    try:
        return await job(redis)
    finally:
        await redis.aclose()
        if embedded:
            await embedded.stop()


async def _with_knowledge_base(
    settings: Settings, job: Callable[[KnowledgeBase], Awaitable[T]], rebuild: bool = False
) -> T:
    from kb.vector_index import VectorIndex
    from server.components import open_knowledge_base

    async def run(redis: Redis) -> T:
        if rebuild:  # before opening: a rebuild is how an index of another embedder is replaced
            await VectorIndex(redis, settings.redis_prefix).clear()
        return await job(await open_knowledge_base(redis, settings))

    return await _with_redis(settings, run)


def _kb_ingest(args: argparse.Namespace, settings: Settings) -> int:
    def progress(number: int, total: int, path: Path) -> None:
        print(f"\r[{number}/{total}] {path.name[:60]:60}", end="", file=sys.stderr, flush=True)

    async def job(kb: KnowledgeBase) -> IngestReport:
        return await kb.ingest([Path(p) for p in args.paths], prune=args.prune, progress=progress)

    report = asyncio.run(_with_knowledge_base(settings, job, rebuild=args.rebuild))
    print(file=sys.stderr)
    print(
        f"added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
        f"removed {len(report.removed)}, failed {len(report.failed)}; {report.chunks} chunks written"
    )
    for path, reason in report.failed:
        print(f"  skipped {path}: {reason}", file=sys.stderr)
    return 1 if report.failed and not (report.added or report.updated or report.unchanged) else 0


def _kb_search(args: argparse.Namespace, settings: Settings) -> int:
    import json
    from dataclasses import asdict

    async def job(kb: KnowledgeBase) -> list[SearchResult]:
        return await kb.search(args.query, k=args.k)

    results = asyncio.run(_with_knowledge_base(settings, job))
    if args.json:
        print(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1))
        return 0
    if not results:
        print("no matching passage")
    for rank, r in enumerate(results, 1):
        where = " > ".join((r.title, *r.heading_path))
        print(f"{rank}. {r.score:.3f}  {where}  [{r.doc_id}]\n   {r.snippet}")
    return 0


def _kb_eval(args: argparse.Namespace, settings: Settings) -> int:
    import json
    from dataclasses import asdict

    from kb.evaluation import evaluate, load_queries, table

    queries = load_queries(Path(args.file))
    variants = {"typed": queries}
    if args.spoken or args.phone:  # each query spoken by espeak-ng and recognized by the speech model
        from dataclasses import replace

        from server.bench.spoken import recognize_all

        heard = recognize_all(settings, [q.q for q in queries], phone=args.phone)
        variants["spoken, phone line" if args.phone else "spoken"] = [
            replace(q, q=text or "-") for q, text in zip(queries, heard, strict=True)
        ]

    async def job(kb: KnowledgeBase) -> dict[str, list[ModeScores]]:
        return {name: await evaluate(kb, items) for name, items in variants.items()}

    scores = asyncio.run(_with_knowledge_base(settings, job))
    if args.json:
        by_text = {name: [asdict(s) for s in found] for name, found in scores.items()}
        print(
            json.dumps(
                {"queries": len(queries), "retrievers": by_text["typed"], "by_text": by_text}, indent=1
            )
        )
    else:
        for name, found in scores.items():
            print(f"--- {name}\n{table(found, len(queries))}")
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from agent.assist.export import build_export, to_markdown
    from agent.assist.records import AssistRecords
    from agent.store import CallStore
    from server.components import redactor_from_settings

    async def job(redis: Redis) -> dict[str, Any] | None:
        store = CallStore(redis, settings.redis_prefix)
        return await build_export(store, AssistRecords(store), redactor_from_settings(settings), args.call_id)

    document = asyncio.run(_with_redis(settings, job))
    if document is None:
        print(f"callassist: no call {args.call_id}", file=sys.stderr)
        return 1
    text = (
        to_markdown(document)
        if args.format == "md"
        else json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    )
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"written to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _time_arg(*, end_of_day: bool = False) -> Callable[[str], float | None]:
    """An argparse type: a bad time is a usage error with the accepted forms, never a traceback."""

    def parse(value: str) -> float | None:
        try:
            return parse_time(value, end_of_day=end_of_day)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = "time"
    return parse


def _calls_search(args: argparse.Namespace, settings: Settings) -> int:
    import json
    from dataclasses import asdict

    from kb.archive import ArchiveFilters, ArchivePage
    from server.components import open_archive

    filters = ArchiveFilters(agent=args.agent, since=args.since, until=args.until, tag=args.tag)

    async def job(redis: Redis) -> ArchivePage:
        archive = await open_archive(redis, settings)
        return await archive.search(args.query, filters, limit=args.limit, offset=args.offset)

    page = asyncio.run(_with_redis(settings, job))
    if args.json:
        print(
            json.dumps(
                {"total": page.total, "results": [asdict(h) for h in page.hits]}, ensure_ascii=False, indent=1
            )
        )
        return 0
    if not page.hits:
        print("no matching call")
    print(f"{page.total} calls match" if page.total else "", file=sys.stderr)
    for rank, hit in enumerate(page.hits, args.offset + 1):
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(hit.started_at))
        print(f"{rank}. {hit.call_id}  {when}  {hit.agent_id}  {hit.title}\n   {hit.snippet}")
    return 0


def _calls_purge(args: argparse.Namespace, settings: Settings) -> int:
    from server.retention import delete_calls_before

    cutoff = time.time() - args.older_than_days * 86400

    async def job(redis: Redis) -> list[str]:
        return await delete_calls_before(redis, settings, cutoff)

    deleted = asyncio.run(_with_redis(settings, job))
    print(
        f"deleted {len(deleted)} calls started before {time.strftime('%Y-%m-%d %H:%M', time.localtime(cutoff))}"
    )
    return 0


def _redact(args: argparse.Namespace, settings: Settings) -> int:
    from server.components import redactor_from_settings

    print(redactor_from_settings(settings).redact(args.text))
    return 0


def _redact_eval(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from agent.redaction.evaluation import evaluate, load_corpus
    from server.components import redactor_from_settings

    items = load_corpus(Path(args.file))
    if args.spoken or args.phone:  # each segment spoken and recognized: what the server would store
        from server.bench.spoken import recognizer

        recognize = recognizer(settings)
        items = [
            {**item, "typed": item["segments"],
             "segments": [recognize(text, n, phone=args.phone) for text in item["segments"]]}
            for n, item in enumerate(items)
        ]  # fmt: skip
    scores = evaluate(items, redactor_from_settings(settings))
    print(json.dumps(scores.summary(), indent=1))
    if args.verbose:
        for miss in scores.misses:
            print("MISSED", json.dumps(miss, ensure_ascii=False))
        for alarm in scores.false_alarms:
            print("FALSE MASK", json.dumps(alarm, ensure_ascii=False))
    return 0


def _triggers_eval(args: argparse.Namespace, settings: Settings) -> int:
    import json
    from dataclasses import asdict

    from agent.assist.trigger_eval import evaluate, table
    from agent.assist.triggers import load_exemplars
    from server.components import embedder_from_settings, semantic_triggers_from_settings

    semantic = semantic_triggers_from_settings(settings, embedder_from_settings(settings))
    report = {}
    for file in args.files:
        items = load_exemplars(Path(file))
        spoken = None
        if args.spoken or args.phone:
            from server.bench.spoken import recognize_all

            spoken = recognize_all(settings, [e.text for e in items], phone=args.phone)
        scores = evaluate(items, semantic, spoken)
        report[file] = [asdict(s) for s in scores]
        if not args.json:
            print(f"--- {file}\n{table(scores)}")
            if args.verbose:
                for s in scores:
                    for text in s.misses:
                        print(f"MISSED ({s.tier}, {s.text}) {text}")
                    for text in s.false_alarms:
                        print(f"FALSE ALARM ({s.tier}, {s.text}) {text}")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


def _keys(args: argparse.Namespace, settings: Settings) -> int:
    print(f"CALLASSIST_INGEST_KEYS={generate_key(Role.INGEST)}")
    print(f"CALLASSIST_AGENT_KEYS={args.agent_id}:{generate_key(Role.AGENT)}")
    print(f"CALLASSIST_SUPERVISOR_KEYS={generate_key(Role.SUPERVISOR)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="callassist", description="Real-time assistant for call-center agents."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the server")
    serve.add_argument("--host", help="bind address (default: CALLASSIST_HOST)")
    serve.add_argument("--port", type=int, help="port (default: CALLASSIST_PORT)")
    serve.set_defaults(run=_serve)

    demo = commands.add_parser("demo", help="run the server and play a simulated Korean call into it")
    demo.add_argument("--once", action="store_true", help="play one call, then exit")
    demo.add_argument(
        "--speed", type=float, default=1.0, help="playback speed (1: real time, 0: as fast as possible)"
    )
    demo.set_defaults(run=_demo)

    prepare = commands.add_parser(
        "prepare-demo",
        help="join the default speech model and synthesize the demo call (espeak-ng) into the cache",
    )
    prepare.set_defaults(run=_prepare_demo)

    play = commands.add_parser("play", help="stream a 16-bit WAV into a server as one call")
    play.add_argument("wav")
    play.add_argument("--url", default="http://127.0.0.1:8000")
    play.add_argument("--key", required=True, help="an ingest key")
    play.add_argument("--call-id", required=True)
    play.add_argument("--agent-id", required=True)
    play.add_argument("--roles", default="customer,agent", help="role of each WAV channel, comma-separated")
    play.add_argument("--encoding", choices=[e.value for e in Encoding], default=Encoding.PCM_S16LE.value)
    play.add_argument(
        "--sample-rate", type=int, choices=SUPPORTED_SAMPLE_RATES, help="resample before sending"
    )
    play.add_argument("--speed", type=float, default=1.0)
    play.set_defaults(run=_play)

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
    asr_info = asr.add_parser("info", help="the speech model in use: path, kind, size, compute type, windows")
    asr_info.add_argument("--json", action="store_true")
    asr_info.set_defaults(run=_asr_info)

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
    bench_calls.add_argument("--json", help="also write the reports here")
    bench_calls.set_defaults(run=_bench_calls)
    bench_window = bench.add_parser("window", help="CER and model time of each encoder-window policy")
    bench_window.add_argument("file", nargs="?", help="JSONL of calls whose turns are spoken")
    bench_window.add_argument("--model", help="model (default: CALLASSIST_ASR_MODEL)")
    bench_window.add_argument("--policies", default="native,20,10,trim")
    bench_window.add_argument("--phone", action="store_true", help="through an 8 kHz μ-law phone line")
    bench_window.add_argument("--threads", type=int, default=1)
    bench_window.add_argument("--json")
    bench_window.set_defaults(run=_bench_window)

    kb = commands.add_parser("kb", help="knowledge base").add_subparsers(dest="kb_command", required=True)
    ingest = kb.add_parser("ingest", help="index Markdown, text, HTML and PDF guides (files or folders)")
    ingest.add_argument("paths", nargs="+")
    ingest.add_argument("--prune", action="store_true", help="delete indexed documents whose files are gone")
    ingest.add_argument(
        "--rebuild", action="store_true", help="drop the whole index first (e.g. new embedder)"
    )
    ingest.set_defaults(run=_kb_ingest)
    search = kb.add_parser("search", help="find guide passages for a question")
    search.add_argument("query")
    search.add_argument("--k", type=int, default=5)
    search.add_argument("--json", action="store_true")
    search.set_defaults(run=_kb_search)
    evaluation = kb.add_parser(
        "eval", help="recall@1/3/5, MRR@10 and latency of BM25, vector and hybrid search"
    )
    evaluation.add_argument("file", help='JSON lines: {"q": "...", "rel": ["doc-id", ...]}')
    evaluation.add_argument("--json", action="store_true")
    evaluation.add_argument(
        "--spoken", action="store_true", help="also search with what the speech model writes for each query"
    )
    evaluation.add_argument("--phone", action="store_true", help="--spoken through an 8 kHz μ-law line")
    evaluation.set_defaults(run=_kb_eval)

    export = commands.add_parser("export", help="one call as JSON or Markdown (redacted text only)")
    export.add_argument("call_id")
    export.add_argument("--format", choices=["json", "md"], default="json")
    export.add_argument("--out", help="write here instead of standard output")
    export.set_defaults(run=_export)

    calls = commands.add_parser("calls", help="the archive of ended calls").add_subparsers(
        dest="calls_command", required=True
    )
    calls_search = calls.add_parser("search", help="find past calls (keyword + vector)")
    calls_search.add_argument("query", nargs="?", default="", help="words to find (empty: newest first)")
    calls_search.add_argument("--agent")
    calls_search.add_argument(
        "--from", dest="since", type=_time_arg(), help="started at or after (epoch, YYYY-MM-DD, ISO)"
    )
    calls_search.add_argument(
        "--to", dest="until", type=_time_arg(end_of_day=True), help="started at or before"
    )
    calls_search.add_argument("--tag")
    calls_search.add_argument("--limit", type=int, default=10)
    calls_search.add_argument("--offset", type=int, default=0)
    calls_search.add_argument("--json", action="store_true")
    calls_search.set_defaults(run=_calls_search)
    purge = calls.add_parser("purge", help="delete calls (and their archive entries) older than N days")
    purge.add_argument("--older-than-days", type=float, required=True)
    purge.set_defaults(run=_calls_purge)

    redact = commands.add_parser("redact", help="mask personal numbers in a text, or score the redactor")
    redact_commands = redact.add_subparsers(dest="redact_command", required=True)
    redact_text = redact_commands.add_parser("text", help="print TEXT with PII masked")
    redact_text.add_argument("text")
    redact_text.set_defaults(run=_redact)
    redact_eval = redact_commands.add_parser("eval", help="precision and recall on a labelled JSONL corpus")
    redact_eval.add_argument("file")
    redact_eval.add_argument("--verbose", action="store_true", help="list every miss and false mask")
    redact_eval.add_argument(
        "--spoken", action="store_true", help="score what the speech model writes for each segment"
    )
    redact_eval.add_argument("--phone", action="store_true", help="--spoken through an 8 kHz μ-law line")
    redact_eval.set_defaults(run=_redact_eval)

    triggers = commands.add_parser("triggers", help="the suggestion trigger").add_subparsers(
        dest="triggers_command", required=True
    )
    triggers_eval = triggers.add_parser(
        "eval", help="precision and recall on labelled customer utterances (rules, rules + semantic tier)"
    )
    triggers_eval.add_argument(
        "files", nargs="+", help='JSON lines: {"text": …, "trigger": true|false, "kind": …}'
    )
    triggers_eval.add_argument("--verbose", action="store_true", help="list every miss and false alarm")
    triggers_eval.add_argument(
        "--spoken", action="store_true", help="also score what the speech model writes for each utterance"
    )
    triggers_eval.add_argument("--phone", action="store_true", help="--spoken through an 8 kHz μ-law line")
    triggers_eval.add_argument("--json", action="store_true")
    triggers_eval.set_defaults(run=_triggers_eval)

    commands.add_parser(
        "tune",
        help="ASR tuning toolkit: data, synth, train, lora, prune, eval, export (see `callassist tune -h`)",
    )

    keys = commands.add_parser("keys", help="print freshly generated API keys as environment lines")
    keys.add_argument("--agent-id", default="agent-1")
    keys.set_defaults(run=_keys)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["tune"]:  # the tuning toolkit runs in its own process: the server never imports it
        import subprocess

        return subprocess.call([sys.executable, "-m", "tune", *argv[1:]])
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
        # Logs go to stderr; one-shot commands stay quiet below warnings unless a level is set.
        quiet = args.command != "serve" and "CALLASSIST_LOG_LEVEL" not in os.environ
        configure_logging("warning" if quiet else settings.log_level, settings.log_format)
        return int(args.run(args, settings))
    except RedisUnavailable as exc:
        print(f"callassist: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:  # a CALLASSIST_* variable or .env line with a bad value
        problems = "; ".join(
            f"CALLASSIST_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in exc.errors()
        )
        print(f"callassist: bad configuration: {problems}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:  # a file named on the command line or in a setting
        print(f"callassist: no such file: {exc.filename}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
