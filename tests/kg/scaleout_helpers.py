"""What the scale-out tests (test_shards.py, test_cluster.py, store/test_load_virtuoso.py)
compare: a store's graphs and an index's search hits. Their inputs, the reference ingest and
the shards are fixtures of tests/conftest.py."""

from __future__ import annotations

import pyoxigraph as ox

SHARD_SIZE = 2
SEARCHES = ("科技特派员", "财政部", "创新", "金融 支持", "体育", "牵头")


def graphs(store, names=None) -> dict[str, list[str]]:
    """Every named graph of the store (or those of ``names``) as its canonical N-Quads lines
    (blank nodes relabelled canonically, lines sorted): two stores hold the same graphs iff
    these are equal."""
    out = {}
    for g in store.named_graphs() if names is None else (ox.NamedNode(n) for n in names):
        dataset = ox.Dataset(store.quads_for_pattern(None, None, None, g))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        out[g.value] = sorted(str(q) for q in dataset)
    return out


def hits(index) -> dict[str, tuple]:
    """What the search page shows for each of SEARCHES: totals, every hit, the facets."""
    from kg.search import search

    out = {}
    for q in SEARCHES:
        r = search(index, q, per_page=1000)
        out[q] = (r.total, r.documents, [(h.kind, h.node, h.doc, h.doc_title, h.ordinal, h.title, h.start,
                                          h.snippet, h.agencies) for h in r.hits], r.facets)
    return out
