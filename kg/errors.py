"""Every error the kg package raises, in one place, each with a stable code."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # K1xx: the store
    "K101": "cannot open the store at {detail}",
    "K102": "the store is empty: run `policykg ingest PATH` first",
    "K103": "document not found: {detail}",
    # K2xx: queries
    "K201": "SPARQL syntax error: {detail}",
    "K202": "SPARQL Update is not allowed here: the endpoint is read-only (load data with `policykg ingest`)",
    "K203": "{detail} is not allowed: the service makes no outbound requests",
    "K204": "query stopped after {detail} s (time limit, setting POLICYKG_QUERY_TIMEOUT)",
    "K205": "query failed: {detail}",
    "K206": "cannot read the query file {detail}",
    # K3xx: export and validation
    "K301": "unknown format {detail!r}",
    "K302": "SHACL validation failed for {detail}",
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
