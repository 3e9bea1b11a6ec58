"""What the index needs from an embedder."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
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
QUERY_MEMORY = 4096
_memory: OrderedDict[tuple[str, int, str], np.ndarray] = OrderedDict()
_memory_lock = threading.Lock()


def _encode_queries(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    encode = getattr(embedder, "embed_query", None)
    return np.asarray(encode(texts) if encode is not None else embedder.embed(texts), dtype=np.float32)


def embed_queries(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Query vectors: through `embed_query` where the embedder encodes queries differently from
    passages (e5's "query: " prefix), else `embed`; those of the last QUERY_MEMORY texts come from
    memory. Blocking."""
    if not texts:
        return _encode_queries(embedder, texts)
    keys = [(embedder.name, embedder.dim, text) for text in texts]
    with _memory_lock:
        found = [_memory.get(key) for key in keys]
        for key, vector in zip(keys, found, strict=True):
            if vector is not None:
                _memory.move_to_end(key)
    missing = [i for i, vector in enumerate(found) if vector is None]
    if missing:
        fresh = _encode_queries(embedder, [texts[i] for i in missing])
        with _memory_lock:
            for i, vector in zip(missing, fresh, strict=True):
                vector.setflags(write=False)  # shared: a caller gets a copy
                found[i] = _memory[keys[i]] = vector
            while len(_memory) > QUERY_MEMORY:
                _memory.popitem(last=False)
    return np.stack([np.asarray(vector) for vector in found])
