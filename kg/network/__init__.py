"""The agency co-responsibility network: profiles from SPARQL, the network and its metrics,
its exports, the picture of an agency's neighbourhood."""
