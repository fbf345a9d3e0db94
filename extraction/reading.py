"""Reading stage: bytes on disk -> ``Decoded`` text.

Encodings are detected, never assumed: byte-order mark, then strict UTF-8, then the legacy
Chinese encodings (GB18030, a superset of GBK/GB2312, and Big5), chosen by strict
decodability, an HTML ``<meta charset>`` declaration, charset-normalizer's guess and a
plausibility score (share of common CJK characters, penalty for private-use and control
characters). Only newlines and Unicode normalisation (NFC) are touched here.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import re
import unicodedata
from pathlib import Path

import charset_normalizer

from .errors import ExtractionError
from .model import Decoded

MEDIA_TYPES = {".txt": "text/plain", ".html": "text/html", ".htm": "text/html"}

# (reason, magic prefix) for binary formats that are sometimes misnamed .txt / .html
MAGIC = (
    ("PDF document", b"%PDF-"),
    ("ZIP archive (docx/xlsx/odt?)", b"PK\x03\x04"),
    ("ZIP archive", b"PK\x05\x06"),
    ("OLE compound file (doc/xls/wps?)", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ("PNG image", b"\x89PNG\r\n\x1a\n"),
    ("JPEG image", b"\xff\xd8\xff"),
    ("GIF image", b"GIF87a"),
    ("GIF image", b"GIF89a"),
    ("gzip archive", b"\x1f\x8b"),
    ("RAR archive", b"Rar!\x1a\x07"),
    ("7z archive", b"7z\xbc\xaf\x27\x1c"),
    ("ELF executable", b"\x7fELF"),
)
# Longest BOM first: the UTF-32 LE BOM starts with the UTF-16 LE one.
BOMS = (  # (mark, codec for the bytes after it, name reported)
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"), (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"), (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
LEGACY = ("gb18030", "big5", "cp950")   # cp950 (Microsoft Big5) only when plain big5 fails
# Mainland government documents are far more often GBK/GB18030 than Big5; short GB18030 byte
# strings also decode as plausible-looking Big5, never the other way round as much (see tests).
PRIOR = {"gb18030": 0.1}
NORMALIZER_BONUS = 0.05                  # charset-normalizer's pick, a hint on top of plausibility
CONTROL_SHARE_LIMIT = 0.05               # share of C0 control bytes (not \t \n \r \f) that means binary
_CONTROL_BYTES = bytes(sorted(set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D} | {0x7F}))
_META_CHARSET = re.compile(rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
# tags a text only has when it is markup: a page's article saved without its <html> (<p>…</p>, <br>, <div …>)
_MARKUP = re.compile(r"</?(?:p|div|br|span|table|tr|td|li|h[1-6])(?:\s[^<>]{0,300})?/?>", re.I)
_MARKUP_MIN = 5
_MARKUP_SCAN = 20000
_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_NEWLINES = re.compile(r"\r\n|[\r\x85\u2028\u2029]")


def read_path(path: str | Path, max_bytes: int = 50_000_000) -> Decoded:
    """Read and decode one .txt/.html/.htm file; raise ``ExtractionError`` (E1xx) on failure."""
    p = Path(path)
    name = str(path)
    suffix = p.suffix.lower()
    if suffix not in MEDIA_TYPES:
        raise ExtractionError("E104", p.suffix or "(no suffix)", path=name)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise ExtractionError("E107", path=name) from None
    except OSError as exc:
        raise ExtractionError("E106", exc.strerror or str(exc), path=name) from None
    if not p.is_file():
        raise ExtractionError("E106", "not a regular file", path=name)
    if st.st_size > max_bytes:
        raise ExtractionError("E105", f"{st.st_size} > {max_bytes}", path=name)
    try:
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise ExtractionError("E106", exc.strerror or str(exc), path=name) from None
    if len(data) > max_bytes:  # grew after stat
        raise ExtractionError("E105", f"more than {max_bytes}", path=name)
    return decode_bytes(data, path=name, suffix=suffix)


def decode_bytes(data: bytes, path: str | None = None, suffix: str = ".txt") -> Decoded:
    """Detect the encoding of ``data`` and return normalised text."""
    suffix = suffix.lower() if suffix.startswith(".") else "." + suffix.lower()
    if suffix not in MEDIA_TYPES:
        raise ExtractionError("E104", suffix, path=path)
    data = bytes(data)
    if not data.strip():
        raise ExtractionError("E101", path=path)
    for reason, magic in MAGIC:
        if data.startswith(magic):
            raise ExtractionError("E102", reason, path=path, offset=0)
    text, encoding = _decode(data, path, suffix)
    text = unicodedata.normalize("NFC", _NEWLINES.sub("\n", text))
    if not text.strip():
        raise ExtractionError("E101", path=path)
    media = MEDIA_TYPES[suffix]
    if media == "text/plain" and (_HTML_START.match(text) or len(_MARKUP.findall(text, 0, _MARKUP_SCAN)) >= _MARKUP_MIN):
        media = "text/html"          # a page, or a page's article (<p>…</p><p>…</p>), saved under .txt
    return Decoded(text=text, encoding=encoding, media_type=media, path=path)


def _decode(data: bytes, path: str | None, suffix: str) -> tuple[str, str]:
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), name
            except UnicodeDecodeError as exc:
                raise ExtractionError("E103", f"{name} after byte-order mark: {exc.reason}",
                                      path=path, offset=len(bom) + exc.start) from None
    if b"\x00" in data:
        found = _utf16_without_bom(data)
        if found:
            return found
        raise ExtractionError("E102", "NUL byte", path=path, offset=data.index(b"\x00"))
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))     # deleted: counted
    if controls / len(sample) > CONTROL_SHARE_LIMIT:
        raise ExtractionError("E102", f"{controls} control bytes in the first {len(sample)}", path=path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        errors = {"utf-8": exc}
    candidates: dict[str, str] = {}
    for codec in LEGACY:
        if codec == "cp950" and "big5" in candidates:
            continue
        try:
            candidates[codec] = data.decode(codec)
        except UnicodeDecodeError as exc:
            errors[codec] = exc
    if not candidates:
        exc = max(errors.values(), key=lambda e: e.start)   # the codec that got furthest
        detail = "; ".join(f"{c} fails at byte {e.start}" for c, e in errors.items())
        raise ExtractionError("E103", detail, path=path, offset=exc.start)
    looks_html = suffix != ".txt" or _HTML_START.match(data[:1024].decode("latin-1"))
    declared = _declared_charset(data) if looks_html else None
    if declared == "big5" and "big5" not in candidates:
        declared = "cp950"   # pages labelled big5 are in practice Microsoft's superset
    if declared in ("big5hkscs",) and declared not in candidates:
        with contextlib.suppress(UnicodeDecodeError):
            candidates[declared] = data.decode(declared)
    if declared in candidates and _plausibility(candidates[declared]) > 0.5:
        return candidates[declared], declared
    guess = _normalizer_guess(data, tuple(candidates))
    scored = {c: _plausibility(t) + PRIOR.get(c, 0.0) + (NORMALIZER_BONUS if c == guess else 0.0)
              for c, t in candidates.items()}
    best = max(scored, key=lambda c: (scored[c], c == "gb18030"))
    return candidates[best], best


def _declared_charset(data: bytes) -> str | None:
    """The Chinese legacy codec named by ``<meta charset>`` / ``http-equiv`` in the first 4 KB.

    Other declarations are ignored: UTF-8 has already failed strictly by the time this is
    asked, and a Latin-1 or Windows-1252 declaration on a Chinese page is a server default,
    not information (Latin-1 decodes any byte sequence).
    """
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    try:
        label = m.group(1).decode("ascii").lower()
        name = codecs.lookup({"x-gbk": "gbk", "x-big5": "big5", "gb_2312-80": "gb2312"}.get(label, label)).name
    except LookupError:
        return None
    # GB18030 decodes everything GB2312 and GBK do, identically.
    return {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030",
            "big5": "big5", "cp950": "cp950", "big5hkscs": "big5hkscs"}.get(name)


def _normalizer_guess(data: bytes, codecs_: tuple[str, ...]) -> str | None:
    try:
        best = charset_normalizer.from_bytes(data[:200_000], cp_isolation=list(codecs_)).best()
    except Exception:  # the library is a hint only; never let it fail the read
        return None
    if best is None:
        return None
    name = codecs.lookup(best.encoding).name
    return {"gbk": "gb18030", "gb2312": "gb18030"}.get(name, name)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a byte-order mark: accepted only when one byte order gives plausible text.

    Binary data read as UTF-16 gives rare ideographs, private-use and unassigned code points,
    which the plausibility score punishes.
    """
    if len(data) % 2:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and _plausibility(text) > 0.9:
            return text, codec
    return None


@functools.cache
def _common_cjk() -> frozenset[str]:
    """GB2312 level-1 hanzi (3,755 most used simplified) and Big5 常用字 (5,401 traditional)."""
    chars: set[str] = set()
    for codec, leads, trails in (
        ("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)),
        ("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)]),
    ):
        for lead in leads:
            for trail in trails:
                with contextlib.suppress(UnicodeDecodeError):
                    chars.add(bytes((lead, trail)).decode(codec))
    return frozenset(chars)


def _plausibility(text: str) -> float:
    """0..1: share of common ideographs among the CJK-ish characters, minus a penalty for
    private-use, unassigned and control characters."""
    common = _common_cjk()
    cjk = hits = bad = 0
    text = text[:200_000]
    for ch in text:
        o = ord(ch)
        if 0x3400 <= o <= 0x9FFF or 0x20000 <= o <= 0x3FFFF or 0xF900 <= o <= 0xFAFF:
            cjk += 1
            hits += ch in common
        elif 0x3040 <= o <= 0x312F or 0x0370 <= o <= 0x04FF or 0x2500 <= o <= 0x257F or 0xC0 <= o <= 0x24F:
            cjk += 1   # kana, bopomofo, Greek, Cyrillic, box drawing, accented Latin: what a wrong
            #            legacy codec makes of hanzi bytes; rare in Chinese government text
        elif (0xE000 <= o <= 0xF8FF or o >= 0xF0000 or (o < 0x20 and ch not in "\t\n\r\f")
              or 0x7F <= o <= 0x9F or unicodedata.category(ch) == "Cn"):
            bad += 1
    if not text:
        return 0.0
    share = hits / cjk if cjk else 1.0
    return max(0.0, share - 5 * bad / len(text))
