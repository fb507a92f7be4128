"""The notification list and the unread count."""
from flask import Blueprint

bp = Blueprint("notifications", __name__)
