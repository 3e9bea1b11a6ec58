"""An OpenAI-compatible embeddings endpoint (OpenAI, vLLM, Ollama, TEI …) through the `openai` client."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

BATCH = 64  # texts per request


class OpenAIEmbedder:
    def __init__(self, model: str, base_url: str | None, api_key: str, timeout: float = 30.0) -> None:
        from openai import OpenAI

        self._client = OpenAI(
            base_url=base_url or None, api_key=api_key or "unused", timeout=timeout, max_retries=2
        )
        self._model = model
        self._dim = len(self._request(["차원 확인"])[0])  # the endpoint tells its dimension by answering

    @property
    def name(self) -> str:
        return f"openai:{self._model}"

    @property
    def dim(self) -> int:
        return self._dim

    def _request(self, texts: list[str]) -> list[list[float]]:
        response = self._client.embeddings.create(model=self._model, input=texts)
        return [item.embedding for item in sorted(response.data, key=lambda item: item.index)]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows: list[list[float]] = []
        batch = [t if t.strip() else " " for t in texts]  # endpoints reject empty strings
        for first in range(0, len(batch), BATCH):
            rows += self._request(batch[first : first + BATCH])
        vectors = np.asarray(rows, dtype=np.float32).reshape(len(texts), self._dim)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)
