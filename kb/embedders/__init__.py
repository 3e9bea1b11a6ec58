"""Embedders turn text into vectors for the vector index; one interface, chosen by settings."""

from kb.embedders.base import Embedder
from kb.embedders.lexical import LexicalEmbedder

__all__ = ["Embedder", "LexicalEmbedder"]
