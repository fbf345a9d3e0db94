"""Server-rendered pages (the search page grows here; see issue 4)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from kg.stats import stats

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    return render_template("home.html", stats=stats(current_app.extensions["policykg_store"]))
