"""`callassist report gaps`, `analytics eval` and `check-config`: the analytics from the command
line (docs/assistance.md, "Analytics")."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from server.settings import Settings

if TYPE_CHECKING:
    from redis.asyncio import Redis


def _since(value: str) -> float:
    from server.times import parse_since

    try:
        moment = parse_since(value, time.time())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if moment is None:
        raise argparse.ArgumentTypeError("give a time or a span such as 7d")
    return moment


def _report_gaps(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from agent.analytics.gaps import GapRange, example_calls, gap_report
    from agent.assist.records import AssistRecords
    from agent.store import CallStore
    from server.cli.audit import record_cli_read
    from server.cli.common import with_redis

    until = args.until if args.until is not None else time.time()
    if args.since >= until:
        print("callassist: --since must be before --until", file=sys.stderr)
        return 2

    async def job(redis: Redis) -> dict[str, Any]:
        records = AssistRecords(CallStore(redis, settings.redis_prefix))
        report = await gap_report(records, GapRange(args.since, until, args.limit))
        calls = example_calls(report)
        await record_cli_read(redis, settings, "callassist report gaps", calls, f"{report['calls']} calls")
        return report

    report = asyncio.run(with_redis(settings, job, existing_data=True))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    elif args.csv:
        _write_csv(report)
    else:
        print(_text(report))
    return 0


def _write_csv(report: dict[str, Any]) -> None:
    """Two tables, one after the other: guides (acceptance) and unanswered topics."""
    import csv

    out = csv.writer(sys.stdout)
    out.writerow(
        [
            "section",
            "key",
            "title_or_label",
            "shown_or_count",
            "accepted",
            "dismissed",
            "ignored",
            "acceptance_or_calls",
            "example",
        ]
    )
    for g in report["guides"]:
        out.writerow(
            [
                "guide",
                g["doc_id"],
                g["title"],
                g["shown"],
                g["accepted"],
                g["dismissed"],
                g["ignored"],
                g["acceptance"],
                "",
            ]
        )
    for t in report["unanswered_topics"]:
        example = t["examples"][0]["text"] if t["examples"] else ""
        out.writerow(
            ["unanswered", t["nearest_guide"] or "", t["label"], t["count"], "", "", "", t["calls"], example]
        )


def _text(report: dict[str, Any]) -> str:
    asks, shown = report["asks"], report["suggestions"]
    lines = [
        f"{report['calls']} calls · {asks['total']} asks: {asks['suggested']} suggested, "
        f"{asks['unanswered']} unanswered, {asks['repeat']} repeats",
        f"suggestions: {shown['shown']} shown, {shown['accepted']} accepted, {shown['dismissed']} dismissed, "
        f"{shown['ignored']} ignored (acceptance {shown['acceptance']})",
        "",
        "unanswered, by topic:",
    ]
    for topic in report["unanswered_topics"]:
        lines.append(
            f"  {topic['count']:>4} × {topic['label']}  (calls: {topic['calls']}; nearest guide: {topic['nearest_guide']})"
        )
        lines += [f"         “{e['text']}” ({e['call_id']} #{e['seq']})" for e in topic["examples"]]
    lines += ["", "guides (shown / accepted / dismissed / ignored):"]
    lines += [
        f"  {g['shown']:>4} {g['accepted']:>4} {g['dismissed']:>4} {g['ignored']:>4}  {g['title']} ({g['doc_id']})"
        for g in report["guides"]
    ]
    if report["next_since"] is not None:
        lines.append(f"\nmore calls: --since {report['next_since']}")
    return "\n".join(lines)


def _check_config(args: argparse.Namespace, settings: Settings) -> int:
    """Settings (already read: a bad one stops before this, as do bad dispositions) and the
    analytics file, its exemplars embedded by the configured embedder."""
    from agent.analytics.config import DEFAULT_FILE, AnalyticsConfigError, load_config

    path = Path(args.analytics_file or settings.analytics_file or DEFAULT_FILE)
    try:
        config = load_config(path)
    except AnalyticsConfigError as exc:
        print(f"callassist: {exc}", file=sys.stderr)
        return 2
    if config.exemplar_texts():  # each exemplar through the configured embedder, as the server would
        from agent.analytics.matching import ExemplarError
        from server.components import analytics_for, embedder_from_settings, vector_cache

        try:
            analytics_for(config, embedder_from_settings(settings), vector_cache(settings)).warm_up()
        except ExemplarError as exc:
            print(f"callassist: {path}: {exc}", file=sys.stderr)
            return 2
    print(
        f"{path}: {len(config.categories)} categories, {len(config.markers)} markers, "
        f"{len(config.qa)} QA items, {len(config.exemplar_texts())} exemplars: ok"
    )
    return 0


def _analytics_eval(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from agent.analytics.evaluation import evaluate_calls, evaluate_turns, load_rows
    from server.components import analytics_from_settings, embedder_from_settings, vector_cache

    analytics = analytics_from_settings(
        settings.model_copy(update={"analytics": True}), embedder_from_settings(settings)
    )
    assert analytics is not None
    analytics.warm_up()
    report = {}
    for file in args.files:
        rows = load_rows(Path(file))
        if args.calls:
            scores = evaluate_calls(analytics, rows)
        else:
            texts = None
            if args.spoken or args.phone:
                from server.cli.common import spoken

                texts = spoken([r["text"] for r in rows], phone=args.phone)
            scores = evaluate_turns(analytics, rows, texts, vector_cache(settings))
        report[file] = scores.summary()
        if args.verbose:
            for mistake in scores.mistakes:
                print("MISTAKE", json.dumps(mistake, ensure_ascii=False), file=sys.stderr)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


def register(commands: Any) -> None:
    report = commands.add_parser("report", help="reports over stored calls").add_subparsers(
        dest="report_command", required=True
    )
    gaps = report.add_parser("gaps", help="what the guides could not answer; acceptance per guide")
    gaps.add_argument(
        "--since", type=_since, default="7d", help="a time or a span back: 30m, 12h, 7d (default 7d)"
    )
    gaps.add_argument("--until", type=_since, default=None, help="default: now")
    gaps.add_argument("--limit", type=int, default=1000, help="calls per page (oldest first; at most 5000)")
    form = gaps.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true")
    form.add_argument("--csv", action="store_true")
    gaps.set_defaults(run=_report_gaps)

    check = commands.add_parser(
        "check-config", help="check the settings and the analytics file without starting"
    )
    check.add_argument("--analytics-file", default=None, help="a file to check instead of the configured one")
    check.set_defaults(run=_check_config)

    analytics = commands.add_parser("analytics", help="the analytics file").add_subparsers(
        dest="analytics_command", required=True
    )
    evaluate = analytics.add_parser(
        "eval", help="precision and recall on labelled turns, or QA on labelled calls"
    )
    evaluate.add_argument("files", nargs="+", help="JSON lines (agent/analytics/evaluation.py)")
    evaluate.add_argument(
        "--calls", action="store_true", help="the files hold whole calls (categories and QA)"
    )
    evaluate.add_argument(
        "--spoken", action="store_true", help="score what the speech model writes for each turn"
    )
    evaluate.add_argument("--phone", action="store_true", help="--spoken through an 8 kHz μ-law line")
    evaluate.add_argument("--verbose", action="store_true", help="list every mistake (stderr)")
    evaluate.set_defaults(run=_analytics_eval)
