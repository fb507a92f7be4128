"""Logs a machine can read, a request id that ties them together, and the proxy in front of the app.

Every request gets an id: the proxy's `X-Request-ID` when it sent a sane one (nginx: `$request_id`), else a new
one. It is in every log line written while the request runs, in the access log line at its end, and in the
response's `X-Request-ID`, so a resident's "it went wrong at 20:14" leads to the lines that say why.
With `LOG_FORMAT=json` (the default in production) each line is one JSON object.
"""
from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from werkzeug.middleware.proxy_fix import ProxyFix

SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
ACCESS = logging.getLogger("samen.access")


class JsonFormatter(logging.Formatter):
    """Format a record as one line of JSON: time, level, logger, message, request id and any extras."""

    EXTRAS = ("method", "path", "status", "duration_ms", "remote_addr", "user_id")

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        for name in self.EXTRAS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class RequestIdFilter(logging.Filter):
    """Give every record the id of the request it was written in (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


def configure_logging(level: str, fmt: str) -> None:
    """Set the root logger's level and format (text or json) once per process."""
    root = logging.getLogger()
    root.setLevel(level)
    handler = next((h for h in root.handlers if getattr(h, "_samen", False)), None)
    if handler is None:
        handler = logging.StreamHandler()
        handler._samen = True  # type: ignore[attr-defined]
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))


def init_app(app: Flask) -> None:
    """Log in the configured format, number requests, write an access log line, and trust the proxy."""
    configure_logging(app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])
    trusted = app.config["TRUSTED_PROXIES"]
    if trusted:
        # Behind nginx: the client's address, scheme and host come from X-Forwarded-* (only that many hops).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted, x_host=trusted)  # type: ignore

    @app.before_request
    def _start() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if SANE_ID.match(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response: Response) -> Response:
        request_id = g.get("request_id")
        if request_id:
            response.headers["X-Request-ID"] = request_id
        if app.config["ACCESS_LOG"]:
            started = g.get("request_started")
            # A route whose address holds a secret (a receipt code) logs a redacted one instead (g.log_path).
            path = g.get("log_path") or request.path
            ACCESS.info("%s %s %s", request.method, path, response.status_code, extra={
                "method": request.method, "path": path, "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
                "remote_addr": request.remote_addr})
        return response
