"""The stages the fuzz target drives, without atheris: used by the target and to replay stored
inputs (tests/data/fuzz/) in the ordinary test run."""

from __future__ import annotations

from extraction import clean, metadata, notes, outline, reading
from extraction.errors import ExtractionError
from extraction.gazetteer import default_gazetteer

GAZETTEER = default_gazetteer()


def run_stages(data: bytes) -> None:
    """The stages under test, on one input; raises on a defect, returns on a clean refusal."""
    suffix = ".html" if data[:1] == b"<" else ".txt"
    try:
        decoded = reading.decode_bytes(data, suffix=suffix)
        text = clean.clean(decoded)
    except ExtractionError:
        return
    n = len(text.text)
    meta, layout = metadata.extract_metadata(text, GAZETTEER)
    spans = [s for s in (meta.title_span, meta.identifier_span, meta.issuer_span, meta.date_span,
                         meta.addressee_span) if s is not None]
    signature = set(layout.signature)
    paragraphs = tuple(p for p in text.paragraphs if p not in signature)
    sections = outline.build_outline(text.text, paragraphs, layout.body_start)
    stack = list(sections)
    while stack:
        s = stack.pop()
        spans += [s.span, *s.body] + ([s.heading.span] if s.heading else [])
        stack.extend(s.children)
    for note in notes.find_notes(text.text, layout.body_start, n, GAZETTEER, meta.region):
        spans += [note.span] + [a.span for a in note.assignments]
    spans += list(text.paragraphs)
    for s in spans:
        if not 0 <= s.start <= s.end <= n:
            raise AssertionError(f"span {s} outside the cleaned text (length {n})")
