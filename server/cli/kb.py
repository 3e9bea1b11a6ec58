"""`callassist kb …`: the knowledge base (ingest, search, evaluate)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from server.cli.common import with_knowledge_base
from server.settings import Settings

if TYPE_CHECKING:
    from kb.evaluation import ModeScores
    from kb.knowledge import IngestReport, KnowledgeBase, SearchResult


def _kb_ingest(args: argparse.Namespace, settings: Settings) -> int:
    def progress(number: int, total: int, path: Path) -> None:
        print(f"\r[{number}/{total}] {path.name[:60]:60}", end="", file=sys.stderr, flush=True)

    async def job(kb: KnowledgeBase) -> IngestReport:
        return await kb.ingest([Path(p) for p in args.paths], prune=args.prune, progress=progress)

    report = asyncio.run(with_knowledge_base(settings, job, rebuild=args.rebuild))
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

    results = asyncio.run(with_knowledge_base(settings, job))
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

        from server.cli.common import spoken

        heard = spoken([q.q for q in queries], phone=args.phone)
        variants["spoken, phone line" if args.phone else "spoken"] = [
            replace(q, q=text or "-") for q, text in zip(queries, heard, strict=True)
        ]

    async def job(kb: KnowledgeBase) -> dict[str, list[ModeScores]]:
        return {name: await evaluate(kb, items) for name, items in variants.items()}

    scores = asyncio.run(with_knowledge_base(settings, job))
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


def register(commands: Any) -> None:
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
