"""Who is asking, and the query workers through that client's fair share (kg.query.fairshare).

Every job for a query worker — a SPARQL query, or a whole-store or whole-document answer not
in the cache — goes through ``run`` or ``call`` here: admitted against the client's budget (429
with Retry-After when over it), sent to the short lane when the client has run no long query
lately, and charged with the worker time it used.

The client is the connection's address, or — when the connection comes from a reverse proxy
named in POLICYKG_TRUSTED_PROXY — the last entry of X-Forwarded-For (the address that proxy
saw; the entries before it are whatever the client wrote and are never believed).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request

from kg.query.pool import Job
from kg.query.results import Payload


def client_key() -> str:
    remote = request.remote_addr or "-"
    trusted = {a.strip() for a in current_app.config["TRUSTED_PROXY"].split(",") if a.strip()}
    if remote in trusted:
        last = request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
        if last:
            return last
    return remote


def run(job: Job) -> Payload:
    with current_app.extensions["policykg_fairshare"].admit(client_key()) as ticket:
        return current_app.extensions["policykg_queries"].run(job, short=ticket.short, charge=ticket.charge,
                                                              moved=ticket.moved)


def call(fn, *args, document: bool = False) -> Any:
    with current_app.extensions["policykg_fairshare"].admit(client_key()) as ticket:
        return current_app.extensions["policykg_queries"].call(fn, *args, short=ticket.short, charge=ticket.charge,
                                                               moved=ticket.moved, document=document)
