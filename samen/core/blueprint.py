"""Routes every site has: health."""
from __future__ import annotations

from flask import Blueprint, jsonify

bp = Blueprint("core", __name__)


@bp.route("/healthz")
def healthz():
    """Answer that the process is up."""
    return jsonify(status="ok")
