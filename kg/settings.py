"""Every setting, declared once: name, default, type and help.

Each can be set by an environment variable of the same name; ``web.create_app(config)``
and the CLI flags override them. README.md's "Settings" table lists exactly these
(tests/kg/test_settings.py checks it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent


def _default_store() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "policykg" / "store")


def _default_worker_memory() -> int:
    """A quarter of the machine's memory, at least 4 GiB (in MiB): far above a worker on the bundled
    corpus (about 130 MB of data) and above one making the largest in-memory copy the default
    POLICYKG_MEMORY_COPY_QUADS allows (about 1.3 GB at its peak: README, "Settings")."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") >> 20
    except (AttributeError, ValueError, OSError):
        total = 0
    return max(4096, total // 4)


def _default_search_dir() -> str:
    return str(Path(_default_store()).parent / "search")


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    type: type
    help: str

    def value(self, overrides: dict[str, Any] | None = None) -> Any:
        if overrides and self.name in overrides and overrides[self.name] is not None:
            return self.type(overrides[self.name])
        raw = os.environ.get(self.name)
        if raw is None or raw == "":
            return self.default() if callable(self.default) else self.default
        return self.type(raw)


SETTINGS: tuple[Setting, ...] = (
    Setting("POLICYKG_STORE", _default_store, str,
            "Directory of the Oxigraph store (default: $XDG_DATA_HOME/policykg/store, "
            "i.e. ~/.local/share/policykg/store), or the http(s):// URL of a remote SPARQL store."),
    Setting("POLICYKG_ONTOLOGY_DIR", str(REPO_ROOT / "ontologies"), str,
            "Directory holding policy.ttl and shapes.ttl."),
    Setting("POLICYKG_INSTRUMENT_LEXICON", "", str,
            "CSV of policy-instrument rules used by ingest instead of extraction/data/instruments.csv "
            "(read by extraction.instruments, which cannot depend on kg)."),
    Setting("POLICYKG_MAX_INPUT_BYTES", 50_000_000, int,
            "Largest input file accepted by ingest, in bytes (error E105 above it)."),
    Setting("POLICYKG_RECORDS_FILE", "SOURCES.json", str,
            "Name of the crawl's records file read from each input file's folder (JSON keyed by file name or "
            "stem, JSON list, .jsonl or .csv with a `file` column: extraction/records.py). A record's title, "
            "文号, issuer, date and page address fill what the text does not state; `-`: never read."),
    Setting("POLICYKG_BULK_BATCH", 200, int,
            "Documents written per bulk load by `policykg ingest --bulk`."),
    Setting("POLICYKG_COMPARE_FLUSH_CHARS", 16_000_000, int,
            "Characters of SPARQL Update the comparisons after an ingest write to an embedded store between two "
            "flushes of it: until a flush RocksDB keeps them in memory (about 6 bytes per character), and each "
            "flush costs a compaction later; 0: no flushes but RocksDB's own."),
    Setting("POLICYKG_QUERY_TIMEOUT", 10.0, float,
            "Seconds a SPARQL query may run before it is stopped."),
    Setting("POLICYKG_QUERY_WORKERS", 2, int,
            "Worker processes evaluating SPARQL for the service (a query over the time limit kills its worker)."),
    Setting("POLICYKG_MEMORY_COPY_QUADS", 2_000_000, int,
            "Each query worker answers from an in-memory copy of a store of at most this many quads "
            "(5-12x faster than from disk; about 620 bytes per quad in each worker), built in the background "
            "once the store has not changed for 2 s; 0 turns this off."),
    Setting("POLICYKG_WORKER_MEMORY", _default_worker_memory, int,
            "MiB of memory (data, not files mapped) each query worker may allocate: a query or answer needing more "
            "stops with error K214 and its worker is replaced (default: a quarter of the machine's memory, at "
            "least 4096); 0: no limit."),
    Setting("POLICYKG_QUERY_SANDBOX", 1, int,
            "1: processes evaluating SPARQL on an embedded store (query workers, `policykg query`) cannot open "
            "network connections (seccomp through libseccomp; error K210 where it is unavailable); "
            "0 turns this off (only for a store no one else can query)."),
    Setting("POLICYKG_SEARCH_TIMEOUT", 30.0, float,
            "Seconds the service's full-text search may take to find, count and rank its hits before it is "
            "stopped (error K215, 503); 0: no limit."),
    Setting("POLICYKG_SEARCH_FACET_TIME", 3.0, float,
            "Seconds the search page may spend counting its facets (kind, year, document, role, agency: the "
            "cheapest first) after the hits; facets not counted by then are shown as not counted, the hits are "
            "complete; 0: no limit."),
    Setting("POLICYKG_SUMMARY_TIMEOUT", 60.0, float,
            "Seconds an answer computed over the whole store (agency network, profiles, paths, /api/stats) "
            "may take in a query worker before it is stopped (error K209)."),
    Setting("POLICYKG_CACHE_SECONDS", 30.0, float,
            "Seconds the service keeps answers computed over the whole store (agency network, profiles, "
            "paths, /api/stats) before computing them again; 0 turns this off."),
    Setting("POLICYKG_CLIENT_BUDGET", 30.0, float,
            "Seconds of query-worker time each client may use per minute (earned back continuously); over it "
            "the service answers 429 with Retry-After (error K211). 0: no budget."),
    Setting("POLICYKG_CLIENT_QUERIES", 2, int,
            "Queries one client may have waiting or running at once (429, error K212 beyond)."),
    Setting("POLICYKG_TRUSTED_PROXY", "", str,
            "Comma-separated addresses of reverse proxies: a request from one of them is counted against the "
            "client named by the last X-Forwarded-For entry; otherwise the client is the connection's address."),
    Setting("POLICYKG_SHORT_QUERY_SECONDS", 1.0, float,
            "With two query workers or more, one is kept for short queries of clients that ran no longer query "
            "in the last 5 minutes; a query still running there after this many seconds is moved to the others. "
            "0: no such worker."),
    Setting("POLICYKG_MAX_ROWS", 10_000, int,
            "Most result rows returned by the service; more are cut and the cut is signalled."),
    Setting("POLICYKG_MAX_RESULT_BYTES", 20_000_000, int,
            "Largest answer the service sends to a query, in bytes: rows beyond it are cut (while the worker "
            "writes them, so the rest is never computed) and the cut is signalled like the row limit."),
    Setting("POLICYKG_MAX_REQUEST_BYTES", 1_000_000, int,
            "Largest HTTP request body the service accepts (413 above it)."),
    Setting("POLICYKG_HOST", "127.0.0.1", str, "Address `policykg serve` listens on."),
    Setting("POLICYKG_PORT", 8000, int, "Port `policykg serve` listens on."),
    Setting("POLICYKG_THREADS", 8, int, "Worker threads of the WSGI server."),
    Setting("POLICYKG_CONNECTION_LIMIT", 400, int,
            "Open connections `policykg serve` handles at once (more wait in the listen backlog); connections "
            "cost no thread until their request has arrived whole. At most about 1000 (waitress uses select)."),
    Setting("POLICYKG_REQUEST_TIMEOUT", 20.0, float,
            "Seconds a client has to send a whole request, and the longest a connection may stay silent; "
            "slower connections are closed."),
    Setting("POLICYKG_STORE_UPDATE_URL", "", str,
            "SPARQL Update endpoint of a remote store (default: the store URL itself; "
            "Virtuoso: http://host:8890/sparql-auth)."),
    Setting("POLICYKG_STORE_GSP_URL", "", str,
            "Graph Store Protocol endpoint of a remote store, used to read and add one graph "
            "(default: none, graphs go through SPARQL; Virtuoso: http://host:8890/sparql-graph-crud-auth)."),
    Setting("POLICYKG_STORE_USER", "", str, "User for a remote store (HTTP digest or basic auth)."),
    Setting("POLICYKG_STORE_PASSWORD", "", str, "Password for a remote store."),
    Setting("POLICYKG_STORE_HTTP_TIMEOUT", 120.0, float,
            "Seconds a request to a remote store may take (queries of the service use POLICYKG_QUERY_TIMEOUT)."),
    Setting("POLICYKG_VIRTUOSO_SQL", "", str,
            "host:port of the SQL port of a Virtuoso store (1111 by default in Virtuoso): when set, "
            "`policykg load --bulk` loads shard files with Virtuoso's bulk loader (ld_dir, rdf_loader_run), "
            "which needs the shard directory readable by the server at the same path and listed in its "
            "DirsAllowed; user and password are POLICYKG_STORE_USER / POLICYKG_STORE_PASSWORD."),
    Setting("POLICYKG_VIRTUOSO_ISQL", "isql-vt", str,
            "Virtuoso's SQL client command (Debian: isql-vt; Virtuoso's own builds: isql)."),
    Setting("POLICYKG_SEARCH_DIR", _default_search_dir, str,
            "Folder of the full-text index of a remote store (default: $XDG_DATA_HOME/policykg/search)."),
)
BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str, overrides: dict[str, Any] | None = None) -> Any:
    return BY_NAME[name].value(overrides)
