"""Every error the kg package raises, in one place, each with a stable code."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # K1xx: the store
    "K101": "cannot open the store at {detail}",
    "K102": "the store is empty: run `policykg ingest PATH` first",
    "K103": "document not found: {detail}",
    "K104": "cannot reach the SPARQL store at {detail}",
    "K105": "the SPARQL store failed: {detail}",
    "K106": "cannot write the store ({detail}); every document reported before is committed and whole: "
            "free space (or make the store writable) and run the same ingest again",
    # K2xx: queries
    "K201": "SPARQL syntax error: {detail}",
    "K202": "SPARQL Update is not allowed here: the endpoint is read-only (load data with `policykg ingest`)",
    "K203": "{detail} is not allowed: the service makes no outbound requests",
    "K204": "query stopped after {detail} s (time limit, setting POLICYKG_QUERY_TIMEOUT)",
    "K205": "query failed: {detail}",
    "K206": "cannot read the query file {detail}",
    "K207": "the service is busy: no query worker was free within {detail} s; try again",
    "K208": "request body is too large (limit set by POLICYKG_MAX_REQUEST_BYTES)",
    "K210": "query workers cannot be sandboxed: {detail}; queries are refused (POLICYKG_QUERY_SANDBOX=0 runs "
            "them without the sandbox: only for a store that no one else can query)",
    "K209": "this answer reads the whole store and was stopped after {detail} s (time limit, setting "
            "POLICYKG_SUMMARY_TIMEOUT); ask about one document (?document=…) or see README, \"When to switch\"",
    "K211": "this client has used its share of query time ({detail}; setting POLICYKG_CLIENT_BUDGET)",
    "K212": "this client already has {detail} queries waiting or running (setting POLICYKG_CLIENT_QUERIES); "
            "wait for one to finish",
    "K213": "the service is busy: {detail} queries are already waiting for a query worker; try again",
    "K214": "the query needed more memory than a query worker may use ({detail}; setting POLICYKG_WORKER_MEMORY); "
            "that worker was replaced",
    "K215": "search stopped after {detail} s: its words match too much of the corpus to rank in time "
            "(setting POLICYKG_SEARCH_TIMEOUT); add a word, a filter, or put a phrase in quotes",
    # K3xx: export and validation
    "K301": "unknown format {detail!r}",
    "K302": "SHACL validation failed for {detail}",
    # K4xx: agencies and the agency network
    "K401": "agency not found: {detail}",
    "K402": "agency name is ambiguous: {detail}; use the key",
    "K403": "task not found: {detail}",
    "K404": "no path between {detail}: they are in different parts of the network",
    # K5xx: national outlines and comparison
    "K501": "not a PolicyKG document outline (.json): {detail}",
    "K502": "nothing to compare: {detail}",
    # K6xx: researcher analytics (instruments, agency continuity, citations)
    "K601": "reform data (extraction/data/reforms.csv) is invalid: {detail}",
    "K602": "instrument lexicon or coded sample is invalid: {detail}",
    # K7xx: shards (policykg extract / load) and the Dask cluster
    "K701": "not a shard directory (no manifest.json, no shards/NNNNNN.json): {detail}",
    "K702": "shard {detail} is missing or not whole: run the same `policykg extract` again",
    "K703": "Virtuoso's bulk loader failed: {detail}",
    "K704": "cannot use the Dask cluster: {detail}",
    "K705": "no shard {detail}",
    # K8xx: what ingest leaves out of a folder (reported, never silent)
    "K801": "cannot read the folder {detail}: nothing below it is ingested",
    "K802": "symbolic link not followed: {detail} (--follow-symlinks follows links)",
    "K803": "skipped {detail}",
}


class KGError(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        if code not in MESSAGES:
            raise ValueError(f"unknown kg error code {code}")
        self.code, self.detail = code, detail
        super().__init__(f"{code} {self.message}")

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(detail=self.detail)

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}
