"""The agency × role × document × year filters of the search apply to ONE assignment, and each
facet is counted under the other active filters; the expected answers are built with SPARQL.

For every agency/role pair of the bundled corpus: a word of one of the pair's own items is the
query (so the expected answer is never empty); the items the text query matches are taken from
the unfiltered search, the assignments from the store, and the filtered search and its facets
must be exactly their intersection.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from kg import search
from kg.graph.namespaces import ONTOLOGY_GRAPH, PREFIXES

# an item (task, safeguard or measure) is assigned what the mentions in its provision (or in the
# provision's measures) name: a measure inherits its provision's bodies (as the index records it)
ASSIGNED = """
SELECT DISTINCT ?node ?agency ?role ?doc WHERE {
  GRAPH ?doc {
    { ?node a pol:Provision . ?a pol:mentionIn/pol:inTask? ?node }
    UNION { ?node a pol:Measure ; pol:inTask ?task . ?a pol:mentionIn/pol:inTask? ?task }
    ?a pol:agency ?agency ; pol:role ?r .
  }
  GRAPH <ONTOLOGY> { ?r skos:notation ?role }
}""".replace("ONTOLOGY", str(ONTOLOGY_GRAPH))


@pytest.fixture(scope="module")
def truth(store):
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    doc_of = {}
    for r in store.query(ASSIGNED, prefixes=PREFIXES):
        pairs[(r["agency"].value, r["role"].value)].add(r["node"].value)
        doc_of[r["node"].value] = r["doc"].value
    return pairs, doc_of


@pytest.fixture(scope="module")
def index(store, tmp_path_factory):
    conn = search.connect(tmp_path_factory.mktemp("filters") / "index.sqlite")
    search.sync(conn, store)
    return conn


def _word(conn, nodes: set[str]) -> str:
    """A word of one of ``nodes``' texts that the search matches it by."""
    for node in sorted(nodes):
        row = conn.execute("SELECT text FROM items WHERE node = ?", (node,)).fetchone()
        if row:
            words = [t for t in search.query_terms(row[0]) if len(t) >= 2]
            if words:
                return max(words, key=len)
    raise AssertionError(f"no indexed item among {sorted(nodes)[:3]}")


def _counts(results, facet: str) -> dict[str, int]:
    return {value: n for value, _, n in results.facets[facet]}


def test_every_agency_role_pair_filters_and_counts_the_same_assignment(index, truth):
    pairs, doc_of = truth
    assert len(pairs) > 50
    agencies_of: dict[str, set[str]] = defaultdict(set)
    for agency, role in pairs:
        agencies_of[role].add(agency)
    checked = 0
    for (agency, role), nodes in sorted(pairs.items()):
        q = _word(index, nodes)
        everything = {h.node for h in search.search(index, q, per_page=5000).hits}
        expected = everything & nodes
        assert expected, (agency, role, q)
        both = search.search(index, q, {"agency": agency, "role": role}, per_page=5000)
        assert {h.node for h in both.hits} == expected and both.total == len(expected), (agency, role, q)
        # facets under the other filter: roles of this agency, agencies with this role
        roles = {r: len(everything & pairs[(agency, r)]) for r in {r for a, r in pairs if a == agency}}
        assert _counts(both, "role") == {r: n for r, n in roles.items() if n}, (agency, role, q)
        with_role = Counter({a: len(everything & pairs[(a, role)]) for a in agencies_of[role]})
        listed = _counts(both, "agency")
        assert listed[agency] == len(expected)
        assert all(with_role[a] == n for a, n in listed.items()), (agency, role, q)
        assert len(listed) == min(search.FACET_SIZE, sum(1 for n in with_role.values() if n))
        assert _counts(both, "doc") == dict(Counter(doc_of[n] for n in expected))
        # one filter alone: the other facet counts every value of it
        alone = search.search(index, q, {"agency": agency}, per_page=5000)
        assert {h.node for h in alone.hits} == everything & set().union(
            *(pairs[(agency, r)] for r in roles)), (agency, q)
        assert _counts(alone, "role") == _counts(both, "role")
        checked += 1
    assert checked == len(pairs)


def test_the_customs_lead_filter_keeps_only_tasks_customs_leads(index, truth):
    """The issue's case: 海关总署 + lead must not list tasks another body leads."""
    pairs, _ = truth
    customs = "https://w3id.org/policykg/agency/cn/customs"
    everything = {h.node for h in search.search(index, "海关总署", per_page=5000).hits}
    as_lead = search.search(index, "海关总署", {"agency": customs, "role": "lead"}, per_page=5000)
    any_lead = set().union(*(nodes for (a, r), nodes in pairs.items() if r == "lead"))
    assert {h.node for h in as_lead.hits} == everything & pairs[(customs, "lead")]
    # the old, separate filters kept more: customs in some role and some body as lead
    loose = everything & any_lead & set().union(*(n for (a, _), n in pairs.items() if a == customs))
    assert len(loose) > as_lead.total > 0


def test_a_year_filter_keeps_the_assignment_filters_and_counts_years_under_them(index, truth):
    pairs, _ = truth
    for q in ("发展", "建设"):
        first = search.search(index, q, per_page=5000)
        for year, _, n in first.facets["year"]:
            dated = search.search(index, q, {"year": year}, per_page=5000)
            assert dated.total == n
            for agency, role in [(a, r) for a, _, _ in dated.facets["agency"][:3] for r in ("lead", "participant")]:
                both = search.search(index, q, {"year": year, "agency": agency, "role": role}, per_page=5000)
                expected = {h.node for h in dated.hits} & pairs[(agency, role)]
                assert {h.node for h in both.hits} == expected
                years = _counts(search.search(index, q, {"agency": agency, "role": role}, per_page=5000), "year")
                assert years.get(year, 0) == len(expected)
