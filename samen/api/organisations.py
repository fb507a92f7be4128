"""Partner organisations in the API: the register's entries that are offered, and one organisation with what it
carries out. Public, like the Partners pages: names of contact people are not given, only how many there are."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify, redirect, url_for
from flask_babel import gettext as _

from samen.api.auth import token_optional
from samen.api.openapi import BEARER_OPTIONAL, ApiBlueprint, problems, ref, response
from samen.core.hosts import external_url
from samen.core.views import or_404
from samen.partners import operations as ops
from samen.partners import queries
from samen.partners.models import ORGANISATION_KINDS, Organisation

_COUNTS = {
    "type": "object",
    "description": "Its public action items: as lead, as co-executing, done, and overdue.",
    "required": ["lead", "co", "done", "overdue"],
    "properties": {name: {"type": "integer"} for name in ("lead", "co", "done", "overdue")},
}
SCHEMAS = {
    "Organisation": {
        "type": "object",
        "required": ["id", "slug", "name", "kind", "kind_label", "description", "website", "lines", "archived",
                     "actions", "url"],
        "properties": {
            "id": {"type": "integer"},
            "slug": {"type": "string", "description": "Its web address, as in /partners/{slug}."},
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": list(ORGANISATION_KINDS)},
            "kind_label": {"type": "string", "description": "The kind in words, in the answer's language."},
            "description": {"type": "string"},
            "website": {"type": "string"},
            "lines": {"type": "array", "items": {"type": "string"},
                      "description": "The names of the lines of the programme it works in."},
            "archived": {"type": "boolean", "description": "No longer offered; its history stays."},
            "actions": _COUNTS,
            "url": {"type": "string", "format": "uri", "description": "Its public page."},
            "action_ids": {"type": "array", "items": {"type": "integer"},
                           "description": "On one organisation: its public action items, overdue first "
                                          "(GET /actions?organisation={slug} gives them whole)."},
        },
    },
    "OrganisationList": {
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": ref("Organisation"),
                                 "description": "By name; archived and merged entries are left out."}},
    },
}
_SLUG = {"name": "slug", "in": "path", "required": True,
         "description": "The organisation's web address (or its id). A merged entry answers 301 to the entry it "
                        "was merged into.", "schema": {"type": "string", "maxLength": 80}}
PATHS = {
    "/organisations": {
        "get": {
            "operationId": "listOrganisations",
            "summary": "List the partner organisations of the plan",
            "tags": ["organisations"],
            "security": BEARER_OPTIONAL,
            "responses": {"200": response("The organisations.", ref("OrganisationList")), **problems(401)},
        },
    },
    "/organisations/{slug}": {
        "parameters": [_SLUG],
        "get": {
            "operationId": "getOrganisation",
            "summary": "Show a partner organisation with its public action items",
            "tags": ["organisations"],
            "security": BEARER_OPTIONAL,
            "responses": {"200": response("The organisation.", ref("Organisation")),
                          "301": response("The entry was merged into another: see Location."),
                          **problems(401, 404)},
        },
    },
}

bp = ApiBlueprint("organisations", __name__, paths=PATHS, schemas=SCHEMAS)


def organisation_json(organisation: Organisation, counts: queries.PartnerCounts) -> dict[str, Any]:
    """Return an organisation as the API shows it."""
    return {
        "id": organisation.id,
        "slug": organisation.slug,
        "name": organisation.name,
        "kind": organisation.kind,
        "kind_label": str(ops.KIND_LABELS[organisation.kind]),
        "description": organisation.description,
        "website": organisation.website,
        "lines": [line.name for line in organisation.lines],
        "archived": organisation.is_archived,
        "actions": {"lead": counts.lead, "co": counts.co, "done": counts.done, "overdue": counts.overdue},
        "url": external_url("partners.show", slug=organisation.slug),
    }


@bp.get("/organisations")
@token_optional
def list_organisations():
    """List the organisations offered in the register, with their public action items counted."""
    counts = queries.counts(date.today())
    return jsonify(items=[organisation_json(organisation, counts.get(organisation.id) or queries.PartnerCounts())
                          for organisation in ops.list_organisations()])


@bp.get("/organisations/<slug>")
@token_optional
def show_organisation(slug: str):
    """Show an organisation with its public action items' ids."""
    organisation = or_404(ops.get_organisation(slug), _("There is no organisation at this address."))
    if organisation.merged_into_id:
        return redirect(url_for(".show_organisation", slug=ops.final_entry(organisation).slug), 301)
    page = queries.partner_page(organisation, date.today())
    return jsonify({**organisation_json(organisation, page.counts), "action_ids": [a.id for a in page.actions]})
