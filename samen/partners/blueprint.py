"""The partner network on the web: the public Partners page and a page and Atom feed per organisation (cached as
the progress pages are: samen/public/blueprint.py), the register kept by administrators and the coordinator
(entries, merging, archiving, possible duplicates, contact people), and people's requests to be a contact."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext as _
from flask_login import current_user
from markupsafe import escape
from sqlalchemy import select

from samen.actions import operations as action_ops
from samen.audit import operations as audit_ops
from samen.core.database import db
from samen.core.errors import Forbidden
from samen.core.hosts import external_url
from samen.core.markdown import render_markdown
from samen.core.views import form_status, or_404, run_or_error, run_or_flash, signed_in
from samen.notifications.blueprint import describe_with
from samen.partners import operations as ops
from samen.partners import privacy as _privacy  # noqa: F401  (registers the privacy hooks)
from samen.partners import queries
from samen.partners.forms import ButtonForm, ContactForm, MergeForm, OrganisationForm, RequestForm
from samen.partners.models import Organisation, OrganisationContact, UnlistedOrganisation
from samen.programme.models import Line
from samen.public import feeds
from samen.public.blueprint import _feed_language, _helpers as public_helpers, cached, validated

bp = Blueprint("partners", __name__, url_prefix="/partners")
bp.context_processor(public_helpers)  # the progress pages' helpers: statuses, charts, dates


@describe_with("organisation_contact_approved")
def _approved(data: dict[str, Any]) -> str:
    return _("You are now a contact of %(organisation)s.", organisation=data.get("organisation", ""))


@describe_with("organisation_contact_refused")
def _refused(data: dict[str, Any]) -> str:
    return _("Your request to be a contact of %(organisation)s was not approved.",
             organisation=data.get("organisation", ""))


@describe_with("organisation_unlisted")
def _unlisted(data: dict[str, Any]) -> str:
    return _("%(person)s works for %(name)s, which is not in the register of organisations.",
             person=data.get("person", ""), name=data.get("name", ""))


@describe_with("organisation_contact_request")
def _requested(data: dict[str, Any]) -> str:
    return _("%(person)s asks to be a contact of %(organisation)s.", person=data.get("person", ""),
             organisation=data.get("organisation", ""))


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"organisation_kinds": ops.KIND_LABELS}


def _organisation_or_404(slug: str) -> Organisation:
    return or_404(ops.get_organisation(slug))


def _require_keeper() -> None:
    if not ops.may_keep_register(current_user):
        raise Forbidden(ops.NOT_KEEPER)


# --- public pages -------------------------------------------------------------------------------------------

@bp.route("")
@validated(page=True)
def index():
    """List the partner organisations of the plan, with what each carries out."""
    today = g.public_today

    def load() -> dict[str, Any]:
        return {"organisations": ops.list_organisations(), "counts": queries.counts(today)}

    return render_template("partners/index.html", content=cached("partners", "partners/_index_content.html", load))


@bp.route("/<slug>")
@validated(page=True)
def show(slug: str):
    """Show what an organisation does in the plan: its actions, indicators and meetings."""
    organisation = _organisation_or_404(slug)
    if organisation.merged_into_id:
        return redirect(url_for(".show", slug=ops.final_entry(organisation).slug), 301)
    today = g.public_today

    def load() -> dict[str, Any]:
        return {"page": queries.partner_page(organisation, today)}

    return render_template("partners/show.html", organisation=organisation,
                           content=cached("partner", "partners/_show_content.html", load))


@bp.route("/<slug>/feed.atom")
@validated(page=False)
def feed(slug: str):
    """Serve the Atom feed of the progress updates on an organisation's public actions, newest first."""
    organisation = _organisation_or_404(slug)
    if organisation.merged_into_id:
        return redirect(url_for(".feed", slug=ops.final_entry(organisation).slug), 301)
    lang = _feed_language()
    with force_locale(lang):
        self_url = external_url("partners.feed", slug=organisation.slug, lang=request.args.get("lang") or None)
        entries = []
        for update in queries.feed_updates(organisation):
            url = external_url("public.action", action_id=update.action_id)
            status = action_ops.STATUS_LABELS[update.status]
            facts = _("Status: %(status)s. Progress: %(progress)d%%.", status=status, progress=update.progress)
            entries.append(feeds.Entry(
                id=f"{url}#update-{update.id}", url=f"{url}#update-{update.id}", updated=update.created_at,
                title=_("%(action)s: %(status)s, %(progress)d%%", action=update.action.title, status=status,
                        progress=update.progress),
                html=f"<p>{escape(facts)}</p>{render_markdown(update.body)}",
                category=update.action.thinktank.name if update.action.thinktank else None))
        body = feeds.atom_feed(
            feed_id=self_url, title=_("%(organisation)s in the plan", organisation=organisation.name),
            subtitle=_("Progress updates on the action items that %(organisation)s carries out.",
                       organisation=organisation.name),
            author=organisation.name, self_url=self_url, page_url=external_url("partners.show", slug=organisation.slug),
            updated=g.public_state.last_modified, lang=lang, entries=entries)
    return Response(body, content_type="application/atom+xml; charset=utf-8")


# --- the register -------------------------------------------------------------------------------------------

def _lines() -> list[Line]:
    return list(db.session.scalars(select(Line).order_by(Line.position, Line.id)))


@bp.route("/register")
@signed_in
def register():
    """List every entry of the register, archived ones too (administrators and the coordinator)."""
    _require_keeper()
    organisations = ops.list_organisations(archived=True)
    return render_template("partners/register.html", organisations=organisations,
                           duplicates=len(ops.possible_duplicates()), unlisted=ops.open_unlisted(),
                           button=ButtonForm())


@bp.route("/register/unlisted/<int:note_id>/close", methods=["POST"])
@signed_in
def close_unlisted(note_id: int):
    """Set aside a note that someone's organisation is not listed (added to the register, or not a partner)."""
    _require_keeper()
    note = or_404(db.session.get(UnlistedOrganisation, note_id))
    if ButtonForm().validate_on_submit() and run_or_flash(lambda: ops.close_unlisted(note, by=current_user)):
        flash(_("The note about “%(name)s” is set aside.", name=note.name), "success")
    return redirect(url_for(".register", _anchor="unlisted-heading"))


@bp.route("/register/new", methods=["GET", "POST"])
@signed_in
def new():
    """Add an organisation to the register."""
    _require_keeper()
    # A note of an organisation that is not listed links here with its name (partners/register.html).
    form = OrganisationForm(lines=_lines(), data={"name": request.args.get("name", "")[:ops.NAME_MAX]})
    if form.validate_on_submit() and (done := run_or_error(form, lambda: ops.create_organisation(
            by=current_user, **form.values()))):
        flash(_("“%(name)s” is in the register.", name=done.value.name), "success")
        return redirect(url_for(".edit", slug=done.value.slug))
    return render_template("partners/form.html", form=form, organisation=None), form_status(form)


def _edit_page(organisation: Organisation, form: OrganisationForm, merge_form: MergeForm | None = None,
               contact_form: ContactForm | None = None) -> tuple[str, int]:
    merge_form = merge_form or MergeForm(formdata=None)
    merge_form.target.choices = [("", _("Choose an entry"))] + [
        (str(other.id), other.name) for other in ops.offered_organisations() if other.id != organisation.id]
    return render_template(
        "partners/form.html", form=form, organisation=organisation, merge_form=merge_form,
        contact_form=contact_form or ContactForm(formdata=None), button=ButtonForm(),
        contacts=ops.contacts_of(organisation),
        history=audit_ops.entries_for("organisation", organisation.id)), form_status(form, merge_form)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@signed_in
def edit(slug: str):
    """Change an entry; merge it, archive it, and manage its contacts from the same page."""
    _require_keeper()
    organisation = _organisation_or_404(slug)
    form = OrganisationForm(lines=_lines(), data={
        "name": organisation.name, "kind": organisation.kind, "description": organisation.description,
        "website": organisation.website, "lines": [str(line.id) for line in organisation.lines]})
    if form.validate_on_submit() and run_or_error(form, lambda: ops.update_organisation(
            organisation, by=current_user, **form.values())):
        flash(_("Your changes are saved."), "success")
        return redirect(url_for(".edit", slug=organisation.slug))
    return _edit_page(organisation, form)


@bp.route("/<slug>/<any(archive, restore):what>", methods=["POST"])
@signed_in
def archive(slug: str, what: str):
    """Archive an entry (no longer offered, its history stays) or bring it back."""
    _require_keeper()
    organisation = _organisation_or_404(slug)
    if ButtonForm().validate_on_submit() and run_or_flash(lambda: ops.archive_organisation(
            organisation, by=current_user, archived=what == "archive")):
        flash(_("“%(name)s” is archived.", name=organisation.name) if what == "archive"
              else _("“%(name)s” is offered again.", name=organisation.name), "success")
    return redirect(url_for(".edit", slug=organisation.slug))


@bp.route("/<slug>/merge", methods=["POST"])
@signed_in
def merge(slug: str):
    """Merge this entry into another: contacts, actions and people follow."""
    _require_keeper()
    organisation = _organisation_or_404(slug)
    form = MergeForm()
    form.target.choices = [(str(o.id), o.name) for o in ops.offered_organisations()]
    if form.validate_on_submit():
        target = ops.get_organisation(form.target.data or "")
        if target is None:
            form.target.errors = [_("Choose the entry to merge into.")]
        elif run_or_error(form, lambda: ops.merge_organisations(organisation, target, by=current_user),
                          fields={"target": "target"}):
            flash(_("“%(source)s” is merged into “%(target)s”.", source=organisation.name, target=target.name),
                  "success")
            return redirect(url_for(".edit", slug=target.slug))
    data = {"name": organisation.name, "kind": organisation.kind, "description": organisation.description,
            "website": organisation.website, "lines": [str(line.id) for line in organisation.lines]}
    return _edit_page(organisation, OrganisationForm(lines=_lines(), data=data, formdata=None), merge_form=form)


@bp.route("/register/duplicates")
@signed_in
def duplicates():
    """List entries that may be one organisation ("GGD" and "GGD Gelderland-Midden"), to merge by hand."""
    _require_keeper()
    return render_template("partners/duplicates.html", pairs=ops.possible_duplicates())


# --- contact people -----------------------------------------------------------------------------------------

@bp.route("/<slug>/contacts")
@signed_in
def contacts(slug: str):
    """Show an organisation's contacts and requests to the people who may approve them."""
    organisation = _organisation_or_404(slug)
    if not ops.may_approve(organisation, current_user):
        raise Forbidden(_("Only administrators, the coordinator and the organisation's contacts can see this."))
    return render_template("partners/contacts.html", organisation=organisation, button=ButtonForm(),
                           contacts=ops.contacts_of(organisation), keeper=ops.may_keep_register(current_user),
                           contact_form=ContactForm(formdata=None))


def _contact_or_404(organisation: Organisation, contact_id: int) -> OrganisationContact:
    contact = db.session.get(OrganisationContact, contact_id)
    return or_404(contact if contact is not None and contact.organisation_id == organisation.id else None)


def _back(organisation: Organisation) -> Any:
    target = request.form.get("back")
    if target == "edit" and ops.may_keep_register(current_user):
        return redirect(url_for(".edit", slug=organisation.slug, _anchor="contacts-heading"))
    if target == "mine":
        return redirect(url_for(".mine"))
    return redirect(url_for(".contacts", slug=organisation.slug))


@bp.route("/<slug>/contacts/<int:contact_id>/<any(approve, remove):what>", methods=["POST"])
@signed_in
def decide_contact(slug: str, contact_id: int, what: str):
    """Approve a request to be a contact, or remove a contact (or refuse a request)."""
    organisation = _organisation_or_404(slug)
    contact = _contact_or_404(organisation, contact_id)
    name = contact.user.display_name
    if ButtonForm().validate_on_submit():
        if what == "approve" and run_or_flash(lambda: ops.approve_contact(contact, by=current_user)):
            flash(_("%(name)s is now a contact of %(organisation)s.", name=name, organisation=organisation.name),
                  "success")
        elif what == "remove" and run_or_flash(lambda: ops.remove_contact(contact, by=current_user)):
            flash(_("%(name)s is no longer a contact of %(organisation)s.", name=name,
                    organisation=organisation.name), "success")
    return _back(organisation)


@bp.route("/<slug>/contacts/add", methods=["POST"])
@signed_in
def add_contact(slug: str):
    """Add an account as an active contact by its e-mail address (administrators and the coordinator)."""
    _require_keeper()
    organisation = _organisation_or_404(slug)
    form = ContactForm()
    if form.validate_on_submit():
        user = ops.find_user(form.email.data)
        if user is None:
            flash(_("No confirmed account has this e-mail address."), "error")
        elif run_or_flash(lambda: ops.add_contact(organisation, user, by=current_user)):
            flash(_("%(name)s is now a contact of %(organisation)s.", name=user.display_name,
                    organisation=organisation.name), "success")
    return _back(organisation)


@bp.route("/mine", methods=["GET", "POST"])
@signed_in
def mine():
    """Show the organisations you are a contact of, and ask to be added to one from the register."""
    form = RequestForm()
    offered = ops.offered_organisations()
    form.organisation.choices = [("", _("Choose your organisation"))] + [(str(o.id), o.name) for o in offered]
    if form.validate_on_submit():
        organisation = ops.get_organisation(form.organisation.data or "")
        if organisation is None:
            form.organisation.errors = [_("Choose your organisation.")]
        elif done := run_or_error(form, lambda: ops.request_contact(organisation, user=current_user),
                                  fields={None: "organisation"}):
            if done.value.is_active:
                flash(_("You are already a contact of %(organisation)s.", organisation=organisation.name), "info")
            else:
                flash(_("Your request is sent. An administrator or a contact of %(organisation)s will approve it.",
                        organisation=organisation.name), "success")
            return redirect(url_for(".mine"))
    return render_template("partners/mine.html", form=form, memberships=ops.memberships_of(current_user),
                           button=ButtonForm()), form_status(form)


