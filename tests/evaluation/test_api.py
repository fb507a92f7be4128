"""Evaluations in the API: the published ones, as the OpenAPI document says; drafts are not there."""
from __future__ import annotations

from typing import Any

import pytest

from samen.evaluation import operations as ops
from tests.api.helpers import assert_documented, assert_problem

pytestmark = pytest.mark.database


@pytest.fixture
def document(client: Any) -> dict[str, Any]:
    """Return the served OpenAPI document."""
    return client.get("/api/v1/openapi.json").get_json()


def test_published_evaluations_fit_the_document(client, db, document, coordinator, make_evaluation, thinktank):
    last = make_evaluation(period="2025")
    ops.write_note(last, by=coordinator, kind="conclusion", subject_type="thinktank", subject_id=thinktank.id,
                   text="Goed jaar.")
    ops.publish(last, by=coordinator, threshold=5)
    make_evaluation(period="2026-h1")  # a draft
    db.session.commit()

    listing = client.get("/api/v1/evaluations")
    assert_documented(document, "/evaluations", "get", listing)
    assert [item["period"] for item in listing.get_json()["items"]] == ["2025"]

    one = client.get("/api/v1/evaluations/2025")
    assert_documented(document, "/evaluations/{period}", "get", one)
    body = one.get_json()
    assert body["figures"] == last.figures
    assert body["notes"][0]["text"] == "Goed jaar."

    for period in ("2026-h1", "1999", "nope", "2025.json"):
        missing = client.get(f"/api/v1/evaluations/{period}")
        assert_problem(missing, 404)
        assert_documented(document, "/evaluations/{period}", "get", missing)
