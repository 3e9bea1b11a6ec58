"""Masking personal numbers and e-mail addresses in call text: before storage, indexing, LLM calls
and export, for every final and partial (docs/redaction.md)."""
