"""Security headers on every response, no caching of personal pages, and safe redirects."""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request
from flask_login import current_user

from samen.core import hosts, inputs

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src {connect}",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def _websocket(origin: str) -> str:
    return ("wss" if origin.startswith("https:") else "ws") + origin[origin.index(":"):]


@lru_cache(maxsize=16)
def content_security_policy(base_url: str, socket_origins: tuple[str, ...] = ()) -> str:
    """Return the Content-Security-Policy for a site at `base_url`: scripts may connect (Socket.IO's polling and
    WebSocket) to the site's own origin and to the Socket.IO origins configured (SOCKETIO_CORS_ALLOWED_ORIGINS),
    over http(s) and ws(s); to no other host."""
    connect = ["'self'"]
    for origin in filter(None, map(hosts.origin_of, (base_url, *socket_origins))):
        connect += [origin, _websocket(origin)]
    return CONTENT_SECURITY_POLICY.format(connect=" ".join(dict.fromkeys(connect)))


def is_safe_next(target: str | None) -> bool:
    """Allow only local paths as a redirect target: no scheme, no host, no protocol-relative URL, nothing a
    Location header cannot hold (a line break, a control character: inputs.is_local_path)."""
    if not inputs.is_local_path(target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def _headers(response: Response) -> Response:
    headers = response.headers
    config = current_app.config
    headers.setdefault("Content-Security-Policy", content_security_policy(
        config["BASE_URL"], tuple(config["SOCKETIO_CORS_ALLOWED_ORIGINS"] or ())))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.scheme == "https":
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def no_store(response: Response) -> Response:
    """Forbid every cache (browser, proxy) to keep the response: it is personal or holds a secret."""
    response.headers["Cache-Control"] = "no-store"
    response.headers.pop("Expires", None)
    response.headers.pop("Pragma", None)
    return response


def _signed_in() -> bool:
    """Tell whether the response is for someone signed in: a session in the browser, or an API token."""
    if g.get("api_user") is not None:
        return True
    # The API reads no cookies; elsewhere the user is usually loaded already (the page header shows them).
    return not request.path.startswith("/api/") and current_user.is_authenticated


def _cache_policy(response: Response) -> Response:
    """Responses for a signed-in user are never stored, whatever the view said: they show the person's name and
    carry their refreshed session cookie. Static files are the same for everyone and keep their caching."""
    if request.endpoint != "static" and _signed_in():
        no_store(response)
    return response


def init_app(app: Flask) -> None:
    """Add the security headers and the cache policy to every response."""
    app.after_request(_headers)
    app.after_request(_cache_policy)
