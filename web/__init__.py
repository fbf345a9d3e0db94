"""The web service: ``create_app(config=None)`` with one blueprint per area.

web/ only turns HTTP into calls to kg/ and extraction/ functions (the sans-I/O boundary):
no SPARQL building or graph logic lives here.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from typing import Any

from flask import Flask

from kg import settings
from kg.query.fairshare import FairShare
from kg.query.pool import InlineRunner, QueryPool
from kg.store.embedded import REFRESH, FollowingStore, store_version
from kg.store.remote import RemoteStore, is_url

from .cache import StoreCache


def default_config() -> dict[str, Any]:
    return {
        "STORE": settings.get("POLICYKG_STORE"),   # a directory, a URL, or a pyoxigraph.Store (tests)
        "QUERY_TIMEOUT": settings.get("POLICYKG_QUERY_TIMEOUT"),
        "MAX_ROWS": settings.get("POLICYKG_MAX_ROWS"),
        "MAX_RESULT_BYTES": settings.get("POLICYKG_MAX_RESULT_BYTES"),
        "MAX_CONTENT_LENGTH": settings.get("POLICYKG_MAX_REQUEST_BYTES"),
        "QUERY_WORKERS": settings.get("POLICYKG_QUERY_WORKERS"),
        "CACHE_SECONDS": settings.get("POLICYKG_CACHE_SECONDS"),
        "SUMMARY_TIMEOUT": settings.get("POLICYKG_SUMMARY_TIMEOUT"),
        "SEARCH_TIMEOUT": settings.get("POLICYKG_SEARCH_TIMEOUT"),
        "SEARCH_FACET_TIME": settings.get("POLICYKG_SEARCH_FACET_TIME"),
        "MEMORY_COPY_QUADS": settings.get("POLICYKG_MEMORY_COPY_QUADS"),
        "QUERY_SANDBOX": bool(settings.get("POLICYKG_QUERY_SANDBOX")),
        "WORKER_MEMORY": settings.get("POLICYKG_WORKER_MEMORY"),
        "CLIENT_BUDGET": settings.get("POLICYKG_CLIENT_BUDGET"),
        "CLIENT_QUERIES": settings.get("POLICYKG_CLIENT_QUERIES"),
        "TRUSTED_PROXY": settings.get("POLICYKG_TRUSTED_PROXY"),
        "SHORT_QUERY_SECONDS": settings.get("POLICYKG_SHORT_QUERY_SECONDS"),
        "THREADS": settings.get("POLICYKG_THREADS"),
    }


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(default_config())
    app.config.update(config or {})
    store = app.config["STORE"]
    app.extensions["policykg_version"] = lambda: None          # a store whose changes are not followed
    if is_url(store):
        # a remote SPARQL store: the time limit is the HTTP timeout (and the server's own
        # limit, sent with each query); the read-only guard still runs before anything is sent
        remote = RemoteStore.from_settings(store, read_only=True, query_timeout=app.config["QUERY_TIMEOUT"])
        app.extensions["policykg_store"] = remote
        app.extensions["policykg_queries"] = InlineRunner(remote)
    elif isinstance(store, (str, os.PathLike)):
        # search reads through one read-only handle; SPARQL, and the answers that read the
        # whole store or a whole document (web/cache.py), run in killable workers
        app.extensions["policykg_store"] = FollowingStore(store, refresh=REFRESH)    # shared by the threads
        app.extensions["policykg_version"] = functools.partial(store_version, store)   # kg.store.embedded
        app.extensions["policykg_queries"] = QueryPool(str(store), app.config["QUERY_WORKERS"],
                                                       app.config["QUERY_TIMEOUT"], app.config["SUMMARY_TIMEOUT"],
                                                       app.config["MEMORY_COPY_QUADS"], app.config["QUERY_SANDBOX"],
                                                       app.config["SHORT_QUERY_SECONDS"], app.config["WORKER_MEMORY"])
    else:                      # an already open pyoxigraph.Store (embedding, tests): no time limit
        app.extensions["policykg_store"] = store
        app.extensions["policykg_queries"] = InlineRunner(store)

    from kg.search import index_path

    from . import api, compare, language, pages, security, sparql
    from .search_index import SearchIndex

    index = str(index_path(store)) if isinstance(store, (str, os.PathLike)) else ":memory:"
    try:
        search = SearchIndex(index, app.extensions["policykg_store"], app.extensions["policykg_version"],
                             app.config["SEARCH_TIMEOUT"], app.config["SEARCH_FACET_TIME"])
    except sqlite3.Error as e:     # beside a read-only store, say: index in memory, built from the store
        app.logger.warning("search index %s cannot be written (%s); searching an index in memory", index, e)
        search = SearchIndex(":memory:", app.extensions["policykg_store"], app.extensions["policykg_version"],
                             app.config["SEARCH_TIMEOUT"], app.config["SEARCH_FACET_TIME"])
    app.extensions["policykg_search"] = search
    app.extensions["policykg_cache"] = StoreCache(app.config["CACHE_SECONDS"])
    # a fair share of the workers per client; at most a quarter of the server threads wait for
    # the long lane, all but one of the others for the short one: one always answers search and
    # pages, and more whenever the short jobs (milliseconds) are done
    long_places = max(1, app.config["THREADS"] // 4)
    app.extensions["policykg_fairshare"] = FairShare(app.config["CLIENT_BUDGET"], app.config["CLIENT_QUERIES"],
                                                     long_places, app.config["SHORT_QUERY_SECONDS"],
                                                     short_waiting=max(1, app.config["THREADS"] - long_places - 1))

    app.register_blueprint(pages.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(compare.bp)
    app.register_blueprint(api.bp, url_prefix="/api")
    security.install(app)
    language.install(app)
    return app
