"""The extraction pipeline: small stages, each declaring what it needs and what it gives.

    read -> clean -> metadata -> nlp -> resegment -> outline -> notes -> provisions -> tables -> targets,
    citations, instruments

``run`` checks the declarations before running anything, so a stage added out of order
fails loudly. Every stage is a plain function that can be tested on its own (see tests/).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import (
    citations,
    clean,
    genre,
    instruments,
    metadata,
    nlp,
    notes,
    outline,
    provisions,
    reading,
    resegment,
    tables,
    targets,
    unglue,
)
from .errors import ExtractionError
from .gazetteer import Gazetteer, default_gazetteer
from .model import Decoded, DocumentExtraction


@dataclass(frozen=True)
class Stage:
    name: str
    needs: tuple[str, ...]
    gives: tuple[str, ...]
    run: Callable[..., Any]


def _nlp(gazetteer: Gazetteer, clean_text):
    pipe = nlp.pipeline(tuple(gazetteer.surface_forms()))
    doc = pipe(clean_text.text)
    return doc, nlp.sentence_spans(doc)


def _clean(decoded):
    cleaned = clean.clean(decoded)        # a text without line breaks: its header and signature lines
    return dataclasses.replace(cleaned, paragraphs=unglue.unglue(cleaned.text, cleaned.paragraphs))


def _metadata(clean_text, gazetteer, decoded):
    meta, layout = metadata.extract_metadata(clean_text, gazetteer, decoded)
    found = genre.find_genre(meta.title, meta.title_span, clean_text.text, layout.body_start)
    meta.genre, meta.attached_genre, meta.genre_span = found.genre, found.attached, found.span
    return meta, layout


def _outline(clean_text, layout, paragraphs):
    return outline.build_outline(clean_text.text, paragraphs, layout.body_start, closers=layout.signature)


# names are resolved for the document's own region: 广州市天河区's 区X局 is that district's, its 市X局
# 广州市's, its 省X厅 广东省's (``Gazetteer.locality``)
def _notes(clean_text, layout, paragraphs, gazetteer, metadata_):
    breaks = tuple(p.end for p in paragraphs if p.end < len(clean_text.text) and clean_text.text[p.end] != "\n")
    return notes.find_notes(clean_text.text, layout.body_start, len(clean_text.text), gazetteer,
                            metadata_.region, breaks)


def _provisions(clean_text, sections, notes_, sentences, gazetteer, metadata_):
    return provisions.extract_provisions(clean_text.text, sections, notes_, sentences, gazetteer,
                                         metadata_.region)


def _tables(clean_text, paragraphs, provisions_, gazetteer, metadata_):
    return tables.find_table_rows(clean_text.text, paragraphs, provisions_, gazetteer, metadata_.region)


def _citations(clean_text, layout):
    return (citations.find_citations(clean_text.text, layout.body_start),
            citations.find_programmes(clean_text.text, layout.body_start))


STAGES: tuple[Stage, ...] = (
    Stage("clean", ("decoded",), ("clean_text",), _clean),
    Stage("metadata", ("clean_text", "gazetteer", "decoded"), ("metadata", "layout"), _metadata),
    Stage("nlp", ("gazetteer", "clean_text"), ("doc", "sentences"), _nlp),
    Stage("resegment", ("clean_text", "layout"), ("paragraphs",),
          lambda clean_text, layout: resegment.resegment(clean_text.text, clean_text.paragraphs, layout.body_start)),
    Stage("outline", ("clean_text", "layout", "paragraphs"), ("sections",), _outline),
    Stage("notes", ("clean_text", "layout", "paragraphs", "gazetteer", "metadata"), ("notes",), _notes),
    Stage("provisions", ("clean_text", "sections", "notes", "sentences", "gazetteer", "metadata"),
          ("provisions",), _provisions),
    Stage("tables", ("clean_text", "paragraphs", "provisions", "gazetteer", "metadata"), ("table_rows",), _tables),
    Stage("targets", ("clean_text", "sentences"), ("targets",),
          lambda clean_text, sentences: targets.find_targets(clean_text.text, sentences)),
    Stage("citations", ("clean_text", "layout"), ("citations", "programmes"), _citations),
    Stage("instruments", ("clean_text", "provisions"), ("instruments",),
          lambda clean_text, provisions_: instruments.tag_measures(clean_text.text, provisions_)),
)


def run(context: dict[str, Any], stages: tuple[Stage, ...] = STAGES) -> dict[str, Any]:
    available = set(context)
    for stage in stages:
        missing = [n for n in stage.needs if n not in available]
        if missing:
            raise RuntimeError(f"stage {stage.name!r} needs {missing}, not given by an earlier stage")
        available.update(stage.gives)
    for stage in stages:
        result = stage.run(*(context[n] for n in stage.needs))
        values = (result,) if len(stage.gives) == 1 else tuple(result)
        context.update(zip(stage.gives, values, strict=True))
    return context


def extract_decoded(decoded: Decoded, gazetteer: Gazetteer | None = None) -> DocumentExtraction:
    ctx = run({"decoded": decoded, "gazetteer": gazetteer or default_gazetteer()})
    provisions = ctx["provisions"] + ctx["table_rows"]
    warnings = [] if any(p.kind != "general" for p in provisions) else ["W201"]     # 指导思想 alone: no work
    return DocumentExtraction(
        text=ctx["clean_text"].text, source=decoded, metadata=ctx["metadata"], sections=ctx["sections"],
        provisions=provisions, targets=ctx["targets"], citations=ctx["citations"],
        programmes=ctx["programmes"], paragraphs=ctx["paragraphs"],
        instruments=ctx["instruments"], warnings=warnings,
    )


def extract_text(text: str, media_type: str = "text/plain", path: str | None = None,
                 gazetteer: Gazetteer | None = None) -> DocumentExtraction:
    """Extract from text already decoded (tests, the API)."""
    if not isinstance(text, str):
        raise ExtractionError("E202", type(text).__name__, path=path)
    return extract_decoded(Decoded(text, "utf-8", media_type, path), gazetteer)


def extract_path(path: str | Path, gazetteer: Gazetteer | None = None) -> DocumentExtraction:
    """Read, decode and extract one .txt/.html file. Raises ``ExtractionError`` on bad input."""
    return extract_decoded(reading.read_path(path), gazetteer)
