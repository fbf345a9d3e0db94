"""JSON API under /api/."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from kg.stats import stats

bp = Blueprint("api", __name__)


@bp.get("/stats")
def api_stats():
    return jsonify(stats(current_app.extensions["policykg_store"]))
