"""Ideas in a think tank: list, search, post, edit, withdraw, support, comment."""
from flask import Blueprint

bp = Blueprint("ideas", __name__)
