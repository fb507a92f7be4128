"""Read a site like a visitor: the links and the forms on its pages (standard library only)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

TEXT_TYPES = {"", "text", "search", "email", "url", "tel", "number", "date", "datetime-local", "time", "month",
              "password"}


@dataclass
class FormField:
    """A named control of a form: its kind (input type, textarea, select), its value, whether it is checked."""

    name: str
    kind: str
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)

    @property
    def hidden(self) -> bool:
        return self.kind == "hidden"

    @property
    def text(self) -> bool:
        """Whether people type into it (an <input> of a text kind, or a <textarea>)."""
        return self.kind == "textarea" or self.kind in TEXT_TYPES


@dataclass
class Form:
    """A form that posts: where to, and its controls in page order."""

    action: str
    fields: list[FormField] = field(default_factory=list)

    def values(self) -> dict[str, list[str]]:
        """Return what the form sends as the page shows it: checked boxes, the checked (else first) radio."""
        sent: dict[str, list[str]] = {}
        radios: dict[str, list[FormField]] = {}
        for control in self.fields:
            if control.kind == "radio":
                radios.setdefault(control.name, []).append(control)
            elif control.kind != "checkbox" or control.checked:
                sent.setdefault(control.name, []).append(control.value)
        for name, group in radios.items():
            chosen = next((radio for radio in group if radio.checked), group[0])
            sent[name] = [chosen.value]
        return sent


class PageParser(HTMLParser):
    """Collect the links and the POST forms of one HTML page."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: FormField | None = None
        self._select: FormField | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        if tag == "a" and attr.get("href"):
            self.links.append(urljoin(self.url, attr["href"]))
        elif tag == "form":
            self._form = Form(action=urljoin(self.url, attr.get("action") or self.url)) \
                if attr.get("method", "get").lower() == "post" else None
        elif self._form is None or not attr.get("name"):
            return
        elif tag == "input":
            kind = attr.get("type", "").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._form.fields.append(FormField(attr["name"], kind, attr.get("value", default),
                                               checked="checked" in attr))
        elif tag == "textarea":
            self._textarea = FormField(attr["name"], "textarea")
            self._form.fields.append(self._textarea)
        elif tag == "select":
            self._select = FormField(attr["name"], "select")
            self._form.fields.append(self._select)
        if tag == "option" and self._select is not None:
            value = attr.get("value", "")
            self._select.options.append(value)
            if "selected" in attr or len(self._select.options) == 1:
                self._select.value = value

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def read_page(url: str, html: str) -> PageParser:
    """Return the page's links and POST forms."""
    parser = PageParser(url)
    parser.feed(html)
    parser.close()
    return parser


def local(url: str) -> str | None:
    """Return the path and query of a link on this site, or None for another site, a mail link, an anchor."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "localhost"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def shape(path: str) -> str:
    """Return what a page is, without which one: /ideas/12 and /ideas/13 are both /ideas/#."""
    parts = urlsplit(path)
    route = re.sub(r"/\d+", "/#", parts.path)
    route = re.sub(r"(/thinktanks)/[^/]+", r"\1/*", route)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return route + ("?" + "&".join(keys) if keys else "")
