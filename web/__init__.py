"""The web service: ``create_app(config=None)`` with one blueprint per area.

web/ only turns HTTP into calls to kg/ and extraction/ functions (the sans-I/O boundary):
no SPARQL building or graph logic lives here.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from kg import settings
from kg.store import open_store


def default_config() -> dict[str, Any]:
    return {
        "STORE": settings.get("POLICYKG_STORE"),   # a directory, or a pyoxigraph.Store (tests)
        "QUERY_TIMEOUT": settings.get("POLICYKG_QUERY_TIMEOUT"),
        "MAX_ROWS": settings.get("POLICYKG_MAX_ROWS"),
        "MAX_CONTENT_LENGTH": settings.get("POLICYKG_MAX_REQUEST_BYTES"),
    }


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(default_config())
    app.config.update(config or {})
    store = app.config["STORE"]
    app.extensions["policykg_store"] = store if not isinstance(store, str) else open_store(store, read_only=True)

    from . import api, pages, security, sparql

    app.register_blueprint(pages.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(api.bp, url_prefix="/api")
    security.install(app)
    return app
