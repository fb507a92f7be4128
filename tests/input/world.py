"""A small plan to send hostile input into, built once per module: a chair (also an admin, English) with a think
tank, an idea, a comment and a report, an action item, an indicator, meetings (scheduled, live with an idea round
open, live with a ballot open, closed), signed in on the website, with an API token and on the live board."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from samen.accounts import operations as account_ops
from samen.actions import operations as action_ops
from samen.core.database import db, utcnow
from samen.extensions import socketio_for
from samen.ideas import operations as idea_ops
from samen.meetings import live
from samen.meetings import operations as meeting_ops
from samen.thinktanks import operations as tt_ops
from tests.conftest import QUICK_PASSWORD_HASH
from tests.input.conftest import csrf_of, module_transaction, sign_in

NS = "/live"
_HASH = QUICK_PASSWORD_HASH  # signing in checks it; scrypt itself is tested with the accounts


@dataclass
class World:
    """The module's plan, and the ways in: a signed-in web client, API headers, live clients per meeting."""

    connection: Any
    ids: dict[str, Any]
    web: FlaskClient
    csrf: str
    api: dict[str, str]
    live: dict[str, Any] = field(default_factory=dict)
    dutch_web: FlaskClient | None = None
    dutch_csrf: str = ""
    dutch_api: dict[str, str] = field(default_factory=dict)

    def post(self, path: str, data: dict[str, Any], *, dutch: bool = False, **kwargs: Any) -> Any:
        """Post a form as the chair (or the Dutch member), with the CSRF token."""
        client, token = (self.dutch_web, self.dutch_csrf) if dutch else (self.web, self.csrf)
        return client.post(path, data={"csrf_token": token, **data}, **kwargs)

    def emit(self, meeting: str, event: str, payload: Any) -> Any:
        """Send a live event as the chair, joined to one of the live meetings; return the acknowledgement."""
        return self.live[meeting].emit(event, payload, namespace=NS, callback=True)


def _meeting(thinktank: Any, chair: Any, title: str, *, days: int = 1) -> Any:
    start = (utcnow() + timedelta(days=days)).replace(microsecond=0, second=0)
    return meeting_ops.create_meeting(thinktank, by=chair, title=title, starts_at=start,
                                      ends_at=start + timedelta(hours=2), location="De Schakel, Nijkerk",
                                      agenda=[{"title": "Opening"}, {"title": "Ideeën"}])


@contextmanager
def built(app: Flask) -> Iterator[World]:
    """Build the world in a transaction of the module's own, sign in everywhere; undo it all afterwards."""
    with module_transaction(app) as connection:
        chair = account_ops.create_user(email="voorzitter@example.org", display_name="Voorzitter", is_admin=True,
                                        password_hash=_HASH, locale="en", kind="professional",
                                        organisation="Jongerenwerk")
        member = account_ops.create_user(email="lid@example.org", display_name="Lid", password_hash=_HASH,
                                         locale="nl")
        thinktank = tt_ops.create_thinktank({"slug": "preventie", "name": "Preventie"})
        db.session.flush()
        tt_ops.appoint_chair(thinktank, chair)
        tt_ops.join_thinktank(thinktank, member)
        idea = idea_ops.create_idea(thinktank, author=chair, title="Sport na school", body="Elke **week**.")
        other = idea_ops.create_idea(thinktank, author=member, title="Voorlichting", body="Op scholen.")
        comment = idea_ops.add_comment(idea, author=chair, body="Een reactie")
        report = idea_ops.report(by=member, reason="Kijk hier eens naar", comment=comment)
        action = action_ops.create_action(thinktank, by=chair, title="Voorlichting op scholen", owner=chair.id)
        indicator = action_ops.create_indicator(by=chair, thinktank=thinktank, name="Meldingen")
        scheduled = _meeting(thinktank, chair, "Denktankavond")
        round_open = _meeting(thinktank, chair, "Live met een ideeënronde")
        ballot_open = _meeting(thinktank, chair, "Live met een stemming")
        closed = _meeting(thinktank, chair, "Afgelopen avond")
        live.open_meeting(round_open, chair)
        live.open_round(round_open, chair)
        live.open_meeting(ballot_open, chair)
        ballot = live.open_ballot(ballot_open, chair, question="Doen we het?")
        live.open_meeting(closed, chair)
        live.close_meeting(closed, chair)
        chair_token = account_ops.create_api_token(chair, name="invoer")
        member_token = account_ops.create_api_token(member, name="invoer")
        db.session.commit()
        ids = {"slug": thinktank.slug, "idea": idea.id, "other_idea": other.id, "comment": comment.id,
               "report": report.id, "action": action.id, "indicator": indicator.id, "scheduled": scheduled.id,
               "round_open": round_open.id, "ballot_open": ballot_open.id, "closed": closed.id,
               "ballot": ballot.ack["ballot"]["id"], "chair": chair.id, "member": member.id,
               "item": scheduled.agenda[0].id}
        web = sign_in(app, chair.email)
        dutch_web = sign_in(app, member.email)
        world = World(connection=connection, ids=ids, web=web, csrf=csrf_of(web, "/account"),
                      api={"Authorization": f"Bearer {chair_token}"}, dutch_web=dutch_web,
                      dutch_csrf=csrf_of(dutch_web, "/account"),
                      dutch_api={"Authorization": f"Bearer {member_token}"})
        for name in ("round_open", "ballot_open"):
            client = socketio_for(app).test_client(app, namespace=NS, auth={"token": chair_token})
            answer = client.emit("join", {"meeting_id": ids[name]}, namespace=NS, callback=True)
            assert answer.get("ok"), answer
            client.get_received(NS)
            world.live[name] = client
        try:
            yield world
        finally:
            for client in world.live.values():
                if client.is_connected(NS):
                    client.disconnect(NS)
