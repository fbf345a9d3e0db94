"""The RDF vocabulary and building graphs from extractions: namespaces, N-Triples, the builder,
partial national documents from outlines, SHACL validation."""
