"""Action items: the blueprint, filled by the actions issue."""
from flask import Blueprint

bp = Blueprint("actions", __name__, url_prefix="/actions")
