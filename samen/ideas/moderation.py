"""Chairs' work on ideas: decisions, reports and the moderation queue, tags."""
from flask import Blueprint

bp = Blueprint("moderation", __name__)
