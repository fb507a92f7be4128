"""Template filters and globals every page uses."""
from __future__ import annotations

from flask import Flask
from flask_babel import format_datetime

from samen.core import names, notices
from samen.core.once import once_field
from samen.core.formatting import format_day
from samen.core.markdown import render_markdown


def init_app(app: Flask) -> None:
    """Register the markdown filter, date formatting, person_name (the names rule, core/names.py) and once_field
    (core/once.py)."""
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
    app.jinja_env.filters["date"] = format_day
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.add_template_global(once_field)
    names.init_app(app)
    notices.init_app(app)
