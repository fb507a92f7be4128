"""Meetings: the blueprint, filled by the meetings issue."""
from flask import Blueprint

bp = Blueprint("meetings", __name__, url_prefix="/meetings")
