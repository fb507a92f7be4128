"""The public help pages at /hulp: emergency numbers, the way to the confidential request form, the questions
and answers (searchable) and the help directory. No account needed; nothing here is personal."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale

from samen.core import inputs
from samen.core.security import no_store
from samen.core.views import or_404
from samen.help import operations as ops
from samen.help.models import DEFAULT_LANGUAGE, QUESTION_CATEGORIES

bp = Blueprint("help", __name__, url_prefix="/hulp")
# The confidential request form lives in samen/helpdesk (its own blueprint); these pages link to it when it is
# there, and work without it.
REQUEST_FORM = "helpdesk.new_request"


@bp.record_once
def _check_settings(state: BlueprintSetupState) -> None:
    """Refuse to start with a quick-exit address that is no http(s) address: it becomes a link on every help
    page (a javascript: address would run in it)."""
    address = state.app.config["HELP_QUICK_EXIT_URL"]
    try:
        if not inputs.web_address(address, field="HELP_QUICK_EXIT_URL"):
            raise inputs.InvalidInput(inputs.NOT_A_WEB_ADDRESS, field="HELP_QUICK_EXIT_URL")
    except inputs.InvalidInput:
        raise RuntimeError(f"HELP_QUICK_EXIT_URL must be an http(s) address, not {address!r}.") from None


def page_language() -> str:
    """Return the language the page is shown in (nl or en)."""
    return str(get_locale() or DEFAULT_LANGUAGE)


@bp.app_template_filter("tel_href")
def tel_href(number: str) -> str:
    """Return the tel: link of a phone number as written (0800-7000 → tel:08007000)."""
    return "tel:" + inputs.phone_digits(number)


@bp.after_request
def _leave_no_copy(response: Response) -> Response:
    """Keep the help pages out of every cache, the browser's included: someone who shares a computer should
    not find them there."""
    return no_store(response)


def _request_form_url() -> str | None:
    return url_for(REQUEST_FORM) if REQUEST_FORM in current_app.view_functions else None


@bp.route("")
def index():
    """Show the emergency numbers, the request form's link, the questions and answers and the directory."""
    language = page_language()
    query = inputs.search_text(request.args.get("q"))
    entries = ops.directory()
    found = ops.questions(query, language)
    by_category = {category: [q for q in found if q.category == category] for category in QUESTION_CATEGORIES}
    return render_template(
        "help/index.html", language=language, query=query, questions=found, by_category=by_category,
        emergency=[entry for entry in entries if entry.is_emergency],
        directory=[entry for entry in entries if not entry.is_emergency],
        request_form_url=_request_form_url())


@bp.route("/vragen/<int:question_id>")
def question(question_id: int):
    """Show one question and its answer, with the directory entries it points to."""
    found = or_404(ops.get_question(question_id))
    emergency = [entry for entry in ops.directory() if entry.is_emergency]
    return render_template("help/question.html", language=page_language(), question=found, emergency=emergency,
                           request_form_url=_request_form_url())
