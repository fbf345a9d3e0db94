"""SPARQL and its service: the read-only guard and evaluation, the query worker pool, result
writing, the service description, counts and exports of the store."""
