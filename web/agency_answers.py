"""An agency's profile and the picture of its neighbourhood, for its page and ``/api/agencies/<key>``;
every agency with its network metrics, for ``/api/agencies``.

Read from the search index (``kg.indexed`` over ``kg.search.agencies``: indexed reads of the
bodies each task names) once the index holds its table of them; before that — an index written by
an older version, until its next sync — and for one document's scope, computed from the store in a query worker
under the whole-store time limit (``web/cache.py``). The agency itself (its names, kind, region)
is always resolved in the store's shared agencies graph: a few hundred bodies."""

from __future__ import annotations

from flask import current_app

from kg import indexed
from kg.network.agency_graph import agencies_with_metrics
from kg.network.ego import neighbourhood
from kg.network.profiles import agency_info, agency_profile, resolve_agency
from kg.search import agencies

from .cache import cached
from .search_index import search_index


def _indexed() -> bool:
    return search_index().read(agencies.ready)


def _read(fn, *args):
    """``fn(conn, *args)`` on the search index, kept until its next sync, and stopped (K209, 503)
    after POLICYKG_SUMMARY_TIMEOUT like the answers computed from the store: an index read runs
    in the service's own thread, holding the index."""
    return search_index().read(agencies.within, current_app.config["SUMMARY_TIMEOUT"], fn, *args)


def profile(key: str, document: str | None = None) -> dict:
    """``kg.network.profiles.agency_profile(store, key, document)``'s answer."""
    if document is None and _indexed():
        return _read(indexed.profile, cached(resolve_agency, key))
    return cached(agency_profile, key, document)


def picture(agency: dict) -> dict:
    """``kg.network.ego.neighbourhood(store, agency["key"])``'s answer for a resolved ``agency``."""
    if _indexed():
        return _read(indexed.neighbourhood, {k: agency[k] for k in ("key", "iri", "label")})
    return cached(neighbourhood, agency["key"])


def every_agency(document: str | None = None) -> list[dict]:
    """``kg.network.agency_graph.agencies_with_metrics(store, document)``'s answer."""
    if document is None and _indexed():
        return _read(indexed.agencies_with_metrics, cached(agency_info))
    return cached(agencies_with_metrics, document)
