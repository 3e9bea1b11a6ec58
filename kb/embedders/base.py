"""What the index needs from an embedder."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future
from typing import Protocol

import numpy as np

# The relevance floor on a vector score, (cosine + 1) / 2, for an embedder with no measured one of
# its own (the lexical embedder's, measured; e5's is higher: server/components.py).
DEFAULT_RELEVANCE_FLOOR = 0.57


class Embedder(Protocol):
    @property
    def name(self) -> str:
        """Identifies the model and its settings; stored with the index so a mismatch is caught."""
        ...

    @property
    def dim(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalized: the text indexed. Blocking: call it off
        the event loop. An embedder may also have `embed_query` (see `embed_queries`)."""
        ...


# Query vectors kept per process, by embedder (name and size) and text: one final is embedded as a
# query by the semantic triggers, the analytics and the retrieval, and again by the analytics'
# replay at hang-up (about 6 MB at e5's 384 dimensions; in memory only, like the turns themselves).
# The triggers and the analytics ask for the same final at the same moment from two threads: the
# second waits for the first one's vector instead of embedding it again (measured through the
# server with 12 calls at once: every customer final was embedded twice).
QUERY_MEMORY = 4096
_Key = tuple[str, int, str]
_memory: OrderedDict[_Key, np.ndarray] = OrderedDict()
_embedding: dict[_Key, Future[np.ndarray]] = {}  # texts being embedded now, by another caller or this one
_memory_lock = threading.Lock()


def _encode_queries(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    encode = getattr(embedder, "embed_query", None)
    return np.asarray(encode(texts) if encode is not None else embedder.embed(texts), dtype=np.float32)


def embed_queries(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Query vectors: through `embed_query` where the embedder encodes queries differently from
    passages (e5's "query: " prefix), else `embed`; those of the last QUERY_MEMORY texts come from
    memory, and a text another thread is embedding now is waited for. Blocking."""
    if not texts:
        return _encode_queries(embedder, texts)
    keys = [(embedder.name, embedder.dim, text) for text in texts]
    found: dict[_Key, np.ndarray] = {}
    waiting: dict[_Key, Future[np.ndarray]] = {}
    mine: dict[_Key, Future[np.ndarray]] = {}
    with _memory_lock:
        for key in dict.fromkeys(keys):
            if (vector := _memory.get(key)) is not None:
                _memory.move_to_end(key)
                found[key] = vector
            elif key in _embedding:
                waiting[key] = _embedding[key]
            else:
                mine[key] = _embedding[key] = Future()
    if mine:
        try:
            fresh = _encode_queries(embedder, [key[2] for key in mine])
        except BaseException as exc:
            with _memory_lock:
                for key, future in mine.items():
                    del _embedding[key]
                    future.set_exception(exc)
            raise
        with _memory_lock:
            for (key, future), vector in zip(mine.items(), fresh, strict=True):
                vector.setflags(write=False)  # shared: a caller gets a copy
                found[key] = _memory[key] = vector
                del _embedding[key]
                future.set_result(vector)
            while len(_memory) > QUERY_MEMORY:
                _memory.popitem(last=False)
    for key, future in waiting.items():
        found[key] = future.result()
    return np.stack([np.asarray(found[key]) for key in keys])
