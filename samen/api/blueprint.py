"""The JSON API blueprint."""
from flask import Blueprint

from samen.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
