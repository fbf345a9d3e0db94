"""A crawl's records: the metadata a crawler kept beside each page's text.

Pages saved from a government portal often start at the addressee line: the title, 文号, issuer
and date stood in the page's header, which the crawler kept in its own record of the page
(``SOURCES.json`` in this project's corpus folders). A records file lies in the folder of the
documents it describes, in one of these shapes:

* JSON object keyed by file name or stem: ``{"赣府发〔2020〕6号": {"title": …, "文号": …}}``;
* JSON list, or JSON Lines (``.jsonl``), of objects each naming its ``file`` (or ``path``, ``name``);
* CSV with a header row and a ``file`` column.

Field names are read with their usual synonyms (``FIELDS``); other fields are ignored (a curator's
notes, level, region: judgements, not what the page said). The metadata stage takes a record's
field only when neither the text nor the page's own header states it (``origin`` "record"), so a
record never overrides the document. Reading the file is this module's; deciding which file lies
beside a document is the caller's (kg.prepare, by the setting POLICYKG_RECORDS_FILE).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import ExtractionError

FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "标题", "doc_title"),
    "identifier": ("文号", "发文字号", "doc_number", "number", "identifier"),
    "issuer": ("issuer", "issuers", "发文机关", "publisher"),
    "date": ("date", "成文日期", "written", "written_date"),
    "url": ("source_url", "url", "链接", "page_url"),
}
KEYS = ("file", "path", "name", "文件", "filename")
_MAX_RECORDS_BYTES = 200_000_000


@dataclass(frozen=True)
class Record:
    """What a crawler recorded of one page (strings as written; empty fields are None)."""

    title: str | None = None
    identifier: str | None = None
    issuer: str | None = None          # one name, or several joined by 、 (split by the metadata stage)
    date: str | None = None            # as written: 2020-03-05, 2020年3月5日 …
    url: str | None = None


def _value(row: dict, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = row.get(name)
        if isinstance(value, list):
            value = "、".join(str(v) for v in value if v)
        if isinstance(value, (str, int)) and str(value).strip():
            return str(value).strip()
    return None


def record_of(row: dict) -> Record:
    return Record(**{f: _value(row, names) for f, names in FIELDS.items()})


def _keyed(rows, where: str) -> dict[str, Record]:
    out: dict[str, Record] = {}
    for i, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise ExtractionError("E108", f"{where} {i} is not an object")
        key = _value(row, KEYS)
        if key is None:
            raise ExtractionError("E108", f"{where} {i} names no file (one of {', '.join(KEYS)})")
        out[Path(key.replace("\\", "/")).name] = record_of(row)
    return out


def parse_records(text: str, name: str) -> dict[str, Record]:
    """The records of a records file's text, keyed by file name or stem as written there.
    Raises ``ExtractionError`` E108 saying what is wrong and where (line or entry)."""
    try:
        if name.endswith(".csv"):
            return _keyed(csv.DictReader(io.StringIO(text)), "row")
        if name.endswith(".jsonl"):
            rows = []
            for n, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    try:
                        rows.append(json.loads(line))
                    except json.JSONDecodeError as e:
                        raise ExtractionError("E108", f"line {n}: {e.msg}") from None
            return _keyed(rows, "line")
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ExtractionError("E108", f"line {e.lineno} column {e.colno}: {e.msg}") from None
    except csv.Error as e:
        raise ExtractionError("E108", f"CSV: {e}") from None
    if isinstance(data, list):
        return _keyed(data, "entry")
    if not isinstance(data, dict):
        raise ExtractionError("E108", f"expected an object or a list, got {type(data).__name__}")
    out = {}
    for key, row in data.items():
        if not isinstance(row, dict):
            raise ExtractionError("E108", f"entry {key!r} is not an object")
        out[key] = record_of(row)
    return out


@lru_cache(maxsize=32)
def _cached(path: str, mtime_ns: int, size: int) -> dict[str, Record]:
    if size > _MAX_RECORDS_BYTES:
        raise ExtractionError("E108", f"{size} bytes, more than {_MAX_RECORDS_BYTES}", path=path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise ExtractionError("E108", f"cannot read it as UTF-8: {e}", path=path) from None
    try:
        return parse_records(text, path)
    except ExtractionError as e:
        raise ExtractionError("E108", e.detail, path=path) from None


def load_records(path: str | Path) -> dict[str, Record]:
    """A records file's records (read once per version of the file in a process)."""
    st = Path(path).stat()
    return _cached(str(path), st.st_mtime_ns, st.st_size)


def record_for(document: str | Path, records_name: str) -> Record | None:
    """The record of ``document`` in the records file named ``records_name`` in its folder,
    looked up by file name, then stem; None when there is no such file or record (``-``: none read).
    Raises ``ExtractionError`` E108 when the records file is there but unusable."""
    if records_name in ("", "-"):
        return None
    doc = Path(document)
    records_path = doc.parent / records_name
    if not records_path.is_file() or doc.name == records_name:
        return None
    records = load_records(records_path)
    return records.get(doc.name) or records.get(doc.stem)
