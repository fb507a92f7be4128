"""The site's own address, and the host names it answers to.

Absolute URLs (feeds, open data, the report, the API's links, the live board's join link, e-mails) start with
the BASE_URL setting, never with the Host a request came in with: one request with a forged Host would otherwise
put that host into a cached page or feed that every later visitor gets (docs/security.md, "The Host header
and absolute links").

Requests for any other host name are refused with 400 before they reach the app, Socket.IO included: the host
names are BASE_URL's, this machine's loopback names, and the TRUSTED_HOSTS setting's. Flask's own TRUSTED_HOSTS
check holds the same list, so `request.host` is always one of them. In production nginx answers unknown names
itself (deploy/nginx/samen.conf): this is the check behind it, and the one for any other set-up.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, render_template, url_for
from flask_babel import force_locale, gettext as _
from werkzeug.exceptions import SecurityError
from werkzeug.wrappers import Request
from werkzeug.wsgi import get_host

log = logging.getLogger(__name__)

LOOPBACK = ("127.0.0.1", "localhost")


def base_url() -> str:
    """Return the site's address from the BASE_URL setting, without a trailing slash."""
    return current_app.config["BASE_URL"].rstrip("/")


def external_url(endpoint: str, **values: Any) -> str:
    """Return the full address of a page of this site: BASE_URL and the page's path (never the request's Host)."""
    return base_url() + url_for(endpoint, **values)


def origin_of(url: str) -> str | None:
    """Return the origin (scheme://host[:port]) of an http(s) URL, lower-cased; None for anything else."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}".lower()


def trusted_hosts(base: str, extra: Iterable[str] = ()) -> list[str]:
    """Return the host names the site answers to: BASE_URL's, this machine's loopback names (a check of one
    process on its own port, `curl http://127.0.0.1:8001/readyz`; nginx lets no such name through), and `extra`
    (the TRUSTED_HOSTS setting; ".example.nl" allows every subdomain)."""
    host = urlsplit(base.strip()).hostname
    if not host:
        raise RuntimeError(f"BASE_URL must be a full address such as https://samen.example.nl, not {base!r}")
    names = [host, *LOOPBACK, *(name.strip().lower() for name in extra)]
    return list(dict.fromkeys(name for name in names if name))


def _refusal(app: Flask, environ: dict[str, Any]) -> tuple[bytes, str]:
    """Return the body and type of the answer to a request for an unknown host: problem+json for the API and
    clients that ask for JSON, else a short page in every language of the site with a link to BASE_URL."""
    from samen.core.errors import wants_problem_json

    request = Request(environ)
    languages = list(app.config["LANGUAGES"])
    with app.app_context():
        if wants_problem_json(request):
            language = request.accept_languages.best_match(languages) or app.config["BABEL_DEFAULT_LOCALE"]
            with force_locale(language):
                body = {"type": "about:blank", "title": _("Unknown address"), "status": 400,
                        "detail": _("This site does not answer to this address."), "code": "unknown_host"}
            return json.dumps(body, ensure_ascii=False).encode(), "application/problem+json"
        texts = []
        for language in languages:
            with force_locale(language):
                texts.append({"lang": language, "title": _("Unknown address"),
                              "detail": _("This site does not answer to this address. Its address is:")})
        page = render_template("errors/unknown_host.html", texts=texts, site=base_url())
    return page.encode(), "text/html; charset=utf-8"


class HostCheck:
    """WSGI middleware: answer 400 to a request whose Host is not one of the app's TRUSTED_HOSTS.

    It sits outside Socket.IO's middleware and inside the proxy fix (which sets the Host from nginx's
    X-Forwarded-Host when TRUSTED_PROXIES says so)."""

    def __init__(self, wsgi_app: Callable[..., Any], app: Flask) -> None:
        self.wsgi_app = wsgi_app
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        try:
            get_host(environ, self.app.config["TRUSTED_HOSTS"])
        except SecurityError:
            log.info("refused a request for an unknown host: %r", environ.get("HTTP_HOST"))
            body, content_type = _refusal(self.app, environ)
            start_response("400 Bad Request", [
                ("Content-Type", content_type), ("Content-Length", str(len(body))), ("Cache-Control", "no-store"),
                ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
                ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
                ("Referrer-Policy", "same-origin")])
            return [body]
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    """Set TRUSTED_HOSTS from BASE_URL and the setting, refuse every other host, and offer external_url to
    templates. Call it after Socket.IO (so its requests are checked too) and before the proxy fix."""
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config["BASE_URL"], app.config.get("TRUSTED_HOSTS") or ())
    app.wsgi_app = HostCheck(app.wsgi_app, app)  # type: ignore[method-assign]
    app.add_template_global(external_url)

