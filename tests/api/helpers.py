"""Checks shared by the API tests: problem+json answers, and answers against the OpenAPI document."""
from __future__ import annotations

from typing import Any

_TYPES = {
    "object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
    "integer": int, "number": (int, float),
}


def assert_problem(response: Any, status: int, *, code: str | None = None) -> dict[str, Any]:
    """Assert that the answer is an RFC 9457 problem with this status (and code); return its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["type"], str)
    if code is not None:
        assert body["code"] == code
    return body


def resolve(document: dict[str, Any], node: Any) -> Any:
    """Follow a local $ref of the document (and the refs it leads to)."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def schema_errors(document: dict[str, Any], schema: dict[str, Any], value: Any, where: str = "$"
                  ) -> list[str]:
    """Return where the value breaks the schema: the part of JSON Schema the document uses, no more."""
    schema = resolve(document, schema)
    if "anyOf" in schema:
        if all(schema_errors(document, option, value, where) for option in schema["anyOf"]):
            return [f"{where}: matches none of anyOf"]
        return []
    errors: list[str] = []
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        # bool is an int to Python, not to JSON.
        if not any(isinstance(value, _TYPES[name])
                   and not (name in ("integer", "number") and isinstance(value, bool)) for name in names):
            return [f"{where}: {value!r} is not {schema['type']}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, dict):
        errors += [f"{where}: {name} is missing" for name in schema.get("required", []) if name not in value]
        properties = schema.get("properties", {})
        for name, item in value.items():
            if name in properties:
                errors += schema_errors(document, properties[name], item, f"{where}.{name}")
            elif isinstance(schema.get("additionalProperties"), dict):
                errors += schema_errors(document, schema["additionalProperties"], item, f"{where}.{name}")
            elif properties:
                errors.append(f"{where}: {name} is not documented")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            errors += schema_errors(document, schema["items"], item, f"{where}[{index}]")
    return errors


def assert_documented(document: dict[str, Any], path: str, method: str, response: Any) -> None:
    """Assert that the document lists this answer for the operation, with a body that fits its schema."""
    operation = document["paths"][path][method]
    documented = resolve(document, operation["responses"].get(str(response.status_code)))
    assert documented is not None, f"{method.upper()} {path} answered {response.status_code}, not documented"
    content = documented.get("content")
    if content is None:
        assert not response.get_data(), f"{method.upper()} {path} {response.status_code} should have no body"
        return
    assert response.mimetype in content, f"{response.mimetype} not documented for {path}"
    errors = schema_errors(document, content[response.mimetype]["schema"], response.get_json(force=True))
    assert not errors, errors
