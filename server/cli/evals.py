"""`callassist redact …` and `triggers …`: the redactor and the suggestion trigger, by hand and
scored."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from server.settings import Settings


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
        from server.cli.common import spoken_with_probs

        segments = [(n, text) for n, item in enumerate(items) for text in item["segments"]]
        said = spoken_with_probs([t for _, t in segments], phone=args.phone, voices=[n for n, _ in segments])
        heard = iter(said)
        items = []
        for item in load_corpus(Path(args.file)):
            pairs = [next(heard) for _ in item["segments"]]
            items.append(
                {
                    **item,
                    "typed": item["segments"],
                    "segments": [text for text, _ in pairs],
                    "word_probs": [list(probs) for _, probs in pairs],
                }
            )
    scores = evaluate(items, redactor_from_settings(settings), settings.asr_uncertain_below)
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
            from server.cli.common import spoken as speak_and_recognize

            spoken = speak_and_recognize([e.text for e in items], phone=args.phone)
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


def register(commands: Any) -> None:
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
