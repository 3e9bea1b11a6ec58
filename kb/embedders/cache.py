"""Vectors of configured text kept on disk by embedder, side (passage or query) and text: guide
passages, so that ingesting the same guides again (a new Redis, an emptied index, one changed
guide among many, another server of the fleet) embeds only text it has not embedded before, and
the exemplars of the semantic triggers and of analytics, so that a server starts without
embedding them again.

Configured text only (guides, exemplar files): nothing of a call ever passes through it. One
SQLite file in the cache directory, safe for several processes at once; the oldest entries go
past `max_entries`. A cache that cannot be read or written (a read-only disk, a damaged file) is
skipped with a warning: the text is then embedded, as without one.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import numpy as np
import structlog

from kb.embedders.base import Embedder, embed_queries

log = structlog.get_logger(__name__)

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER NOT NULL, vector BLOB NOT NULL)"
)


def _key(embedder: str, text: str) -> str:
    return hashlib.sha256(f"{embedder}\n{text}".encode()).hexdigest()


class VectorCache:
    def __init__(self, path: Path, max_entries: int = 100_000) -> None:
        self.path = path
        self.max_entries = max_entries

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(_SCHEMA)
        return connection

    def lookup(self, embedder: str, dim: int, texts: Sequence[str]) -> list[np.ndarray | None]:
        """The stored vector of each text (None where there is none of this embedder and size)."""
        keys = [_key(embedder, text) for text in texts]
        found: dict[str, np.ndarray] = {}
        try:
            with closing(self._connect()) as db:
                for start in range(0, len(keys), 500):  # SQLite's bound-parameter limit
                    part = keys[start : start + 500]
                    marks = ",".join("?" * len(part))
                    rows = db.execute(f"SELECT key, dim, vector FROM vectors WHERE key IN ({marks})", part)
                    for key, size, blob in rows:
                        if size == dim and len(blob) == 4 * dim:
                            found[key] = np.frombuffer(blob, dtype=np.float32)
        except (sqlite3.Error, OSError) as error:  # a damaged file, a read-only or missing place
            log.warning("vector_cache_unreadable", path=str(self.path), error=str(error))
            return [None] * len(texts)
        return [found.get(key) for key in keys]

    def store(self, embedder: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = [
            (_key(embedder, text), int(vector.shape[0]), np.asarray(vector, np.float32).tobytes())
            for text, vector in zip(texts, vectors, strict=True)
        ]
        try:
            with closing(self._connect()) as db, db:
                db.executemany("INSERT OR REPLACE INTO vectors (key, dim, vector) VALUES (?, ?, ?)", rows)
                (count,) = db.execute("SELECT COUNT(*) FROM vectors").fetchone()
                if count > self.max_entries:  # the oldest rows first
                    db.execute(
                        "DELETE FROM vectors WHERE rowid IN (SELECT rowid FROM vectors ORDER BY rowid LIMIT ?)",
                        (count - self.max_entries,),
                    )
        except (sqlite3.Error, OSError) as error:  # a damaged file, a read-only or missing place
            log.warning("vector_cache_unwritable", path=str(self.path), error=str(error))


def embed_cached(
    embedder: Embedder, texts: Sequence[str], cache: VectorCache | None, *, queries: bool = False
) -> np.ndarray:
    """The texts' vectors as passages (`embedder.embed`) or as queries (`embed_queries`), taking
    what `cache` holds and keeping what it did not. Blocking."""

    def encode(batch: Sequence[str]) -> np.ndarray:
        vectors = embed_queries(embedder, batch) if queries else embedder.embed(batch)
        return np.asarray(vectors, dtype=np.float32)

    if cache is None or not texts:
        return encode(texts)
    name, dim = f"{embedder.name}|{'query' if queries else 'passage'}", embedder.dim
    found = cache.lookup(name, dim, texts)
    missing = [i for i, vector in enumerate(found) if vector is None]
    if missing:
        fresh = encode([texts[i] for i in missing])
        cache.store(name, [texts[i] for i in missing], fresh)
        for i, vector in zip(missing, fresh, strict=True):
            found[i] = vector
    return np.stack([np.asarray(v, dtype=np.float32) for v in found])
