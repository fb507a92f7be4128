"""The OpenAPI document: it describes every route of the API, and it holds together."""
from __future__ import annotations

import re
from typing import Any

import pytest

from samen.api.openapi import ApiBlueprint, build_document
from tests.api.helpers import resolve

METHODS = {"get", "put", "post", "delete", "patch"}
PREFIX = "/api/v1"


@pytest.fixture
def document(client: Any) -> dict[str, Any]:
    """Return the served OpenAPI document."""
    response = client.get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def api_routes(app: Any) -> dict[str, set[str]]:
    """Return each URL rule of the API blueprint, written as an OpenAPI path, with its methods."""
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] != "api":
            continue
        assert rule.rule.startswith(PREFIX)
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix(PREFIX))
        routes.setdefault(path, set()).update(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    return routes


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, operation) for path, item in document["paths"].items()
            for method, operation in item.items() if method in METHODS]


def test_every_route_is_documented_and_nothing_else(app, document):
    routes = api_routes(app)
    assert routes, "no API routes found"
    documented = {path: METHODS & set(item) for path, item in document["paths"].items()}
    assert documented == routes


def test_document_header(document):
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] and document["info"]["version"]
    assert document["servers"] == [{"url": PREFIX}]
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert {"type", "title", "status", "detail", "errors"} <= set(document["components"]["schemas"]["Problem"]
                                                                   ["properties"])


def test_every_operation_is_complete(document):
    seen_ids = set()
    schemes = set(document["components"]["securitySchemes"])
    for path, method, operation in operations(document):
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        assert operation["operationId"] not in seen_ids, where
        seen_ids.add(operation["operationId"])
        assert isinstance(operation.get("security"), list), f"{where}: say whether a token is needed"
        for requirement in operation["security"]:
            assert set(requirement) <= schemes, where
        responses = operation.get("responses")
        assert responses, f"{where} has no responses"
        for status, answer in responses.items():
            assert re.fullmatch(r"[1-5]\d\d", status), where
            answer = resolve(document, answer)
            assert answer.get("description"), f"{where} {status}"
            if int(status) >= 400:
                assert list(answer["content"]) == ["application/problem+json"], f"{where} {status}"
        assert any(status.startswith("2") for status in responses), where
        if operation.get("security") == [{"bearerAuth": []}]:
            assert "401" in responses, f"{where}: a token is required, so 401 must be documented"


def test_path_parameters_match_the_templates(document):
    for path, item in document["paths"].items():
        in_template = set(re.findall(r"{([^}]+)}", path))
        for method in METHODS & set(item):
            parameters = [resolve(document, p)
                          for p in item.get("parameters", []) + item[method].get("parameters", [])]
            declared = {p["name"] for p in parameters if p["in"] == "path"}
            assert declared == in_template, f"{method.upper()} {path}"
            assert all(p["required"] is True and "schema" in p for p in parameters if p["in"] == "path")


def test_every_ref_resolves(document):
    refs: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                refs.append(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    assert refs
    for target in refs:
        assert target.startswith("#/components/"), target
        assert resolve(document, {"$ref": target}) is not None, target


def test_a_path_declared_twice_is_refused():
    first = ApiBlueprint("first", __name__, paths={"/x": {}})
    second = ApiBlueprint("second", __name__, paths={"/x": {}})
    with pytest.raises(ValueError, match="/x"):
        build_document([first, second])
