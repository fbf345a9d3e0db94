"""The knowledge graph: building it, storing it, querying it, and what is computed from it.

Areas, bottom to top (``LAYERS``); a module imports only from its own area or from lower
layers, and areas on the same layer do not import each other (tests/kg/test_layers.py):

0. ``kg.settings``, ``kg.errors``, ``kg.texttable``, ``kg.lifecycle``, ``kg.passages`` — settings,
   error codes, terminal tables, how worker processes end (with their parent; on SIGTERM), the
   text outside provisions cut into passages for the index;
1. ``kg.workers``, ``kg.graph`` — the ordered process pool; the RDF vocabulary and building
   graphs (namespaces, N-Triples, the builder, national outlines, SHACL validation of a graph);
2. ``kg.store`` — the embedded Oxigraph store, the workers' in-memory copy, the remote SPARQL
   store, validation of what a store holds;
3. ``kg.query`` — SPARQL (the read-only guard), the query worker pool, results, the service
   description, counts and exports;
4. ``kg.network``, ``kg.compare``, ``kg.analytics``, ``kg.search``, ``kg.docview`` — the agency
   network, the local/national comparison, researcher analytics, the full-text index, the
   document page;
5. ``kg.prepare``, ``kg.indexed`` — one input read, extracted and built into its graphs, not yet
   written; the agency network's answers read from the search index;
6. ``kg.write``, ``kg.shards`` — writing prepared documents into a store and the search index
   (then the comparisons); the shard files ``policykg extract`` writes and ``policykg load`` reads;
7. ``kg.load``, ``kg.cluster`` — loading a shard directory into a store; extraction into shards
   on a Dask cluster;
8. ``kg.ingest`` — extraction and the store in one process (``policykg ingest``).

Neither ``kg`` nor ``extraction`` imports Flask or ``web``.
"""

LAYERS: tuple[tuple[str, ...], ...] = (
    ("kg", "kg.settings", "kg.errors", "kg.texttable", "kg.lifecycle", "kg.passages"),
    ("kg.workers", "kg.graph"),
    ("kg.store",),
    ("kg.query",),
    ("kg.network", "kg.compare", "kg.analytics", "kg.search", "kg.docview"),
    ("kg.prepare", "kg.indexed"),
    ("kg.write", "kg.shards"),
    ("kg.load", "kg.cluster"),
    ("kg.ingest",),
)
