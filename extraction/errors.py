"""Every error the extraction package raises, in one place, each with a stable code.

Codes are part of the public contract: scripts and the service match on them.
"""

from __future__ import annotations

from dataclasses import dataclass

# code -> message template. Never renumber; add new codes at the end of a block.
MESSAGES: dict[str, str] = {
    # E1xx: reading input
    "E101": "file is empty (no text after removing whitespace)",
    "E102": "file looks binary, not text ({detail})",
    "E103": "cannot decode text: not valid UTF-8, GB18030/GBK or Big5 ({detail})",
    "E104": "unsupported file type {detail!r}: expected .txt, .html or .htm",
    "E105": "file is too large: {detail} bytes (limit set by POLICYKG_MAX_INPUT_BYTES)",
    "E106": "cannot read file: {detail}",
    "E107": "path does not exist",
    "E108": "the crawl's records file beside the document cannot be used: {detail}",
    # E2xx: extracting
    "E201": "no document text left after removing web-page debris",
    "E202": "input is not text: expected str, got {detail}",
    # E3xx: analysis rules kept as data
    "E301": "the policy-instrument lexicon is invalid: {detail}",
    # W2xx: warnings — the document is extracted and loaded, but a reader should look at it
    "W201": "no numbered provision found (no task, safeguard item or article): only the metadata and "
            "full text are in the graph{detail}",
    "W202": "the crawl's records were not used; metadata is from the text alone: {detail}",
}


def warning(code: str, detail: str = "") -> dict[str, str]:
    """A warning (W-code) as the ingest report carries it: ``{"code", "message"}``."""
    if not code.startswith("W") or code not in MESSAGES:
        raise ValueError(f"unknown extraction warning code {code}")
    return {"code": code, "message": MESSAGES[code].format(detail=detail)}


@dataclass
class ExtractionError(Exception):
    """A problem with one input, with a stable ``code`` and where it happened."""

    code: str
    detail: str = ""
    path: str | None = None
    offset: int | None = None

    def __post_init__(self) -> None:
        if self.code not in MESSAGES:
            raise ValueError(f"unknown extraction error code {self.code}")
        super().__init__(str(self))

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(detail=self.detail)

    def __str__(self) -> str:
        where = self.path or "<text>"
        if self.offset is not None:
            where += f" at byte {self.offset}"
        return f"{where}: {self.code} {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "path": self.path, "offset": self.offset}
