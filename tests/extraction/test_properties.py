"""Property tests on the extractor: any Unicode text gives a result or a clear
``ExtractionError``; every offset in the result points inside the stored text; the same input
always gives the same graph.

Inputs mix real corpus lines (so the rules for headings, notes and targets really fire) with
brackets, heading markers and arbitrary Unicode (see RELIABILITY.md).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extraction.errors import ExtractionError
from extraction.model import Span
from extraction.pipeline import extract_text
from kg.graph.build import document_graphs

from ..conftest import CORPUS_FILES

LINES = sorted({ln.strip() for name in ("seed", "3", "121", "128")
                for ln in CORPUS_FILES[name].read_text(encoding="utf-8").splitlines() if ln.strip()})
MARKERS = ["一、", "二、", "十、", "（一）", "(二)", "1.", "2．", "（1）", "(3)", "第一部分", "附件", "附件1",
           "保障措施", "重点任务", "组织实施", "总体要求", "国发〔2019〕3号", "〔", "〕", "《", "》"]
BRACKETS = ["（", "）", "(", ")", "（责任单位：", "（牵头单位：", "；配合单位：", "负责）", "牵头，", "参与）",
            "会同", "指导，", "负责落实。以下均需", "列第一位者为牵头单位，下同）", "、", "，", "。", "\n", "\n\n",
            "到2020年", "达到95%以上", "“", "”", "\u3000", "\ufeff", "\u200b", "\r\n", "\x00", "\ud7ff", "\U0001f600"]

fragment = st.one_of(
    st.sampled_from(LINES),
    st.sampled_from(MARKERS),
    st.sampled_from(BRACKETS),
    st.text(max_size=20),
    st.text(alphabet=st.characters(min_codepoint=0x3000, max_codepoint=0x9FFF), max_size=15),
)
documents = st.lists(fragment, max_size=40).map("".join)
# a corpus document with random edits: realistic structure, damaged
corpus_doc = st.tuples(
    st.sampled_from(["seed", "3", "121", "128", "121html"]),
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 40), fragment), max_size=6),
)

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _spans(ex):
    """Every (what, Span) the extraction holds."""
    m = ex.metadata
    for name in ("title_span", "identifier_span", "issuer_span", "date_span", "addressee_span"):
        if getattr(m, name) is not None:
            yield f"metadata.{name}", getattr(m, name)
    for a in m.addressees:
        yield "metadata.addressee", a.span
    if m.implements is not None:
        yield "metadata.implements", m.implements.span
    for p in ex.paragraphs:
        yield "paragraph", p
    stack = list(ex.sections)
    while stack:
        s = stack.pop()
        yield f"section {s.id}", s.span
        yield from ((f"section {s.id} body", b) for b in s.body)
        if s.heading is not None:
            yield f"section {s.id} heading", s.heading.span
            if s.heading.title_span is not None:
                yield f"section {s.id} heading title", s.heading.title_span
        stack.extend(s.children)
    for p in ex.provisions:
        yield f"{p.kind} {p.ordinal}", p.span
        if p.title_span is not None:
            yield f"{p.kind} {p.ordinal} title", p.title_span
        for m_ in p.measures:
            yield f"{p.kind} {p.ordinal} measure", m_.span
            yield from ((f"{p.kind} {p.ordinal} measure assignment", a.span) for a in m_.assignments)
        for n in p.notes:
            yield f"{p.kind} {p.ordinal} note", n.span
            yield from ((f"{p.kind} {p.ordinal} note assignment", a.span)
                        for a in [*n.assignments, *n.declares_implied])
        yield from ((f"{p.kind} {p.ordinal} assignment", a.span) for a in p.assignments)
    yield from (("target", t.span) for t in ex.targets)
    yield from (("citation", c.span) for c in ex.citations)
    yield from (("programme", p.span) for p in ex.programmes)
    for tag in ex.instruments:
        for e in tag.evidence:
            yield "instrument evidence", Span(e.start, e.end)


def _check(text: str, media_type: str = "text/plain"):
    try:
        ex = extract_text(text, media_type)
    except ExtractionError as e:
        assert e.code.startswith("E2") or e.code in ("E101",), e
        assert e.message
        return None
    n = len(ex.text)
    for what, span in _spans(ex):
        assert isinstance(span, Span), what
        assert 0 <= span.start <= span.end <= n, f"{what} {span} outside the text (length {n})"
    return ex


def _triples(ex) -> set[str]:
    g = document_graphs(ex)
    return set(g.document) | set(g.agencies)


@SETTINGS
@given(documents)
def test_any_text_gives_a_result_with_offsets_inside_it(text):
    _check(text)


@SETTINGS
@given(documents)
def test_any_text_as_html_gives_a_result_with_offsets_inside_it(text):
    _check("<html><body><p>" + text.replace("\n", "</p><p>") + "</p></body></html>", "text/html")


def _damage(name: str, edits) -> str:
    text = CORPUS_FILES[name].read_text(encoding="utf-8")
    for where, cut, frag in edits:
        i = int(where * len(text))
        text = text[:i] + frag + text[i + cut:]
    return text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpus_doc)
def test_damaged_corpus_documents_keep_their_offsets_inside(doc):
    name, edits = doc
    _check(_damage(name, edits), "text/html" if name == "121html" else "text/plain")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpus_doc)
def test_the_same_input_always_gives_the_same_graph(doc):
    name, edits = doc
    text = _damage(name, edits)
    media = "text/html" if name == "121html" else "text/plain"
    first = _check(text, media)
    if first is None:
        return
    second = extract_text(text, media)
    assert _triples(first) == _triples(second)
    assert _triples(first) == _triples(first)            # building twice from one extraction
