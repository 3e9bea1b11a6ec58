"""Knowledge-base search latency at 1k and 10k chunks, and ingest throughput. `make bench` only.

Filler guides are built from the sample guides' sentences with other numbers and product names,
so their vocabulary is realistic. The 44 evaluation queries are searched in each mode; latency
includes query analysis and embedding. Ratios are against keyword-only search in the same run.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import time
from pathlib import Path

import numpy as np
from redis.asyncio import Redis

from kb.documents import load_document
from kb.embedders import LexicalEmbedder
from kb.evaluation import load_queries
from kb.knowledge import KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]
PRODUCTS = ["한결", "누리", "바로", "다온", "새봄", "하늘", "온빛", "미르"]


def filler_guides(folder: Path, chunks_wanted: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    sentences = []
    for path in sorted((ROOT / "kb" / "samples").glob("*.md")):
        for section in load_document(path).sections:
            sentences += [
                s.strip() for s in re.split(r"(?<=[.다요])\s+", section.text) if len(s.strip()) > 10
            ]
    folder.mkdir(parents=True, exist_ok=True)
    per_doc = 6  # sections of ~3 sentences: one chunk each
    for number in range(chunks_wanted // per_doc):
        product = rng.choice(PRODUCTS)
        body = [f"# {product} 안내 {number}"]
        for section in range(per_doc):
            body.append(f"## {product} 항목 {section}")
            picked = rng.sample(sentences, 3)
            body.append(" ".join(re.sub(r"\d+", lambda m: str(rng.randint(1, 99999)), s) for s in picked))
        (folder / f"filler-{number:05d}.md").write_text("\n\n".join(body), "utf-8")


async def _measure(kb: KnowledgeBase, queries: list[str]) -> dict[str, dict[str, float]]:
    out = {}
    for mode in ("keyword", "vector", "sound", "hybrid"):
        await kb.search(queries[0], k=5, mode=mode)  # warm-up (builds BM25 once)
        latencies = []
        for _ in range(3):
            for query in queries:
                started = time.perf_counter()
                await kb.search(query, k=5, mode=mode)
                latencies.append((time.perf_counter() - started) * 1000)
        out[mode] = {
            "p50_ms": float(np.percentile(latencies, 50)),
            "p95_ms": float(np.percentile(latencies, 95)),
        }
    return out


def test_search_latency_and_ingest_throughput(redis_url: str, tmp_path: Path) -> None:
    queries = [q.q for q in load_queries(ROOT / "tests" / "data" / "kb_eval.jsonl")]
    results: dict[str, object] = {}

    async def run(size: int) -> None:
        folder = tmp_path / f"filler-{size}"
        filler_guides(folder, size)
        redis = Redis.from_url(redis_url, socket_timeout=60)
        kb = await KnowledgeBase(redis, f"bench-{size}:", LexicalEmbedder()).open()
        started = time.perf_counter()
        report = await kb.ingest([folder, ROOT / "kb" / "samples"])
        seconds = time.perf_counter() - started
        stats = await _measure(kb, queries)
        await kb.index.clear()
        await redis.aclose()
        results[str(size)] = {
            "chunks": report.chunks,
            "ingest_chunks_per_s": round(report.chunks / seconds, 1),
            "search": stats,
        }
        assert report.failed == [] and report.chunks >= size  # sane figures, never a speed threshold
        assert all(0 < s["p50_ms"] <= s["p95_ms"] for s in stats.values())
        print(f"\n{report.chunks} chunks: ingest {report.chunks / seconds:.0f} chunks/s")
        base = stats["keyword"]["p95_ms"]
        for mode, s in stats.items():
            print(
                f"  {mode:8} p50 {s['p50_ms']:6.2f} ms  p95 {s['p95_ms']:6.2f} ms  ({s['p95_ms'] / base:.2f}× keyword p95)"
            )

    for size in (1_000, 10_000):
        asyncio.run(run(size))
    out = Path(os.environ.get("CALLASSIST_BENCH_OUT", ".bench"))
    out.mkdir(exist_ok=True)
    (out / "kb.json").write_text(json.dumps(results, indent=1))
