"""Chinese full-text search over everything a reader reads: tasks, measures, safeguards (and their
measures), the general requirements (principles, targets), the opening text and the rest of the
text (kg/passages.py); SQLite FTS5 over jieba tokens. ``index`` builds the index, ``query`` reads it.

The index lives beside the store (``<store>.search.sqlite``) and is kept in step with it:
``sync`` compares each document graph's fingerprint (its source hash and triple count) with
the index and re-indexes only what changed, so an ingest interrupted between the store and
the index is repaired by the next ``sync`` (ingest and service start both call it).

Text is indexed as jieba "search mode" tokens (long words and their parts) so 科技特派员 and
特派员 both match; queries are cut the same way and every token must match. A part of the query
in quotes ("…", “…”, 「…」) must also occur exactly as written. Ranking is BM25. Highlighting
and snippets are computed on the original text, never on the token column: a word of the query
found whole is highlighted whole (科技特派员, never 科技 inside 科技创新); only a word the text
does not hold whole is highlighted by its parts.
"""

from __future__ import annotations

from extraction.nlp import search_tokens

from .index import (
    SCHEMA,
    SCHEMA_VERSION,
    Rows,
    Words,
    connect,
    document_rows,
    document_words,
    fingerprints,
    index_document,
    index_path,
    sync,
    write_rows,
)
from .query import (
    FACET_SIZE,
    Hit,
    Results,
    highlights,
    note_of,
    query_phrases,
    query_terms,
    query_words,
    search,
    snippet,
)

__all__ = ["FACET_SIZE", "SCHEMA", "SCHEMA_VERSION", "Hit", "Results", "Rows", "Words", "connect", "document_rows",
           "document_words", "fingerprints", "highlights", "index_document", "index_path", "note_of",
           "query_phrases", "query_terms", "query_words", "search", "search_tokens", "snippet", "sync",
           "write_rows"]
