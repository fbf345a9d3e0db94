"""Stores: the embedded Oxigraph store on disk, the query workers' in-memory copy, a remote
SPARQL store, and SHACL validation of what a store holds."""
