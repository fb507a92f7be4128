"""Samen: a municipality's participatory action plan."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Any = None) -> Flask:
    """Create the application: configuration, extensions, blueprints, commands — in that order."""
    from samen.config import DEFAULT_SECRET, config_from_env

    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_path=str(ROOT / "instance"))
    app.config.from_object(config or config_from_env())
    if isinstance(config, dict):
        app.config.update(config)
    if app.config.get("PRODUCTION") and app.config["SECRET_KEY"] in (None, "", DEFAULT_SECRET):
        raise RuntimeError("SECRET_KEY must be set to a long random value in production (see README).")
    if app.config["DATABASE_URL"].startswith("sqlite:///"):
        Path(app.config["DATABASE_URL"][len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    logging.getLogger("alembic").setLevel(logging.WARNING)

    _init_extensions(app)
    _register_blueprints(app)
    _register_commands(app)
    return app


def _init_extensions(app: Flask) -> None:
    from samen.core import errors, hosts, i18n, inputs, observability, security, templating
    from samen.extensions import csrf, db, init_socketio, limiter, login_manager

    inputs.init_app(app)  # before the blueprints: their routes' <int:…> ids are bounded (docs/input.md)
    db.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    limiter.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    origins = app.config["SOCKETIO_CORS_ALLOWED_ORIGINS"] or None  # None: same origin only
    init_socketio(app, async_mode="threading", message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
                  cors_allowed_origins=origins, max_http_buffer_size=64 * 1024,
                  channel=app.config.get("SOCKETIO_CHANNEL") or "flask-socketio")
    hosts.init_app(app)  # after Socket.IO: unknown hosts are refused for its requests too
    observability.init_app(app)  # after Socket.IO and the host check: the proxy fix must wrap them too
    from samen.meetings import events as live_events
    live_events.init_app(app)  # the live meeting board's namespace /live
    from samen.helpdesk import crypto as help_crypto
    help_crypto.init_app(app)  # the help desk's keys; production refuses to start without one
    from samen.stories import crypto as story_crypto
    story_crypto.init_app(app)  # the stories' keys (STORIES_ENCRYPTION_KEY); production refuses to start without
    from samen.follows import worker as follow_worker
    follow_worker.init_app(app)  # development: tell followers right after a commit (docs/notifications.md)


def _register_blueprints(app: Flask) -> None:
    from samen.accounts.blueprint import bp as accounts
    from samen.actions.blueprint import bp as actions
    from samen.admin.blueprint import bp as admin
    from samen.admin.programme import bp as programme_admin
    from samen.programme.blueprint import bp as programme
    from samen.api.blueprint import bp as api
    from samen.core.blueprint import bp as core
    from samen.evaluation.blueprint import bp as evaluation
    from samen.follows.blueprint import bp as follows
    from samen.help.blueprint import bp as help_pages
    from samen.helpdesk.blueprint import bp as helpdesk
    from samen.ideas.blueprint import bp as ideas
    from samen.ideas.moderation import bp as moderation
    from samen.meetings.blueprint import bp as meetings
    from samen.meetings.board import bp as meetings_board
    from samen.notifications.blueprint import bp as notifications
    from samen.people.blueprint import bp as people
    from samen.privacy.blueprint import bp as privacy
    from samen.public.blueprint import bp as public
    from samen.stories.blueprint import bp as stories
    from samen.thinktanks.blueprint import bp as thinktanks

    for blueprint in (core, accounts, notifications, thinktanks, ideas, moderation, actions, meetings,
                      meetings_board, public, help_pages, admin, api, privacy, helpdesk, evaluation, people,
                      stories, follows):
        app.register_blueprint(blueprint)
    from samen.search.blueprint import bp as search  # the site search (docs/search.md)
    app.register_blueprint(search)
    from samen.overview.blueprint import bp as overview  # what waits for chairs and owners (docs/search.md)
    app.register_blueprint(overview)
    from samen.partners.blueprint import bp as partners  # the partner network: /partners and its register
    app.register_blueprint(partners)
    from samen.partners import directory
    directory.init_app(app)  # registration and the profile offer the register (samen/accounts/organisations.py)
    app.register_blueprint(programme_admin)  # /admin/programme: lines (admins, coordinator) and plan-wide roles
    app.register_blueprint(programme)  # /programme/inbox: the ideas of plenary meetings, routed to think tanks


def _register_commands(app: Flask) -> None:
    from samen.accounts.cli import users_cli
    from samen.actions.cli import reminders_cli
    from samen.core.migrate import db_cli
    from samen.demo.bench import bench_cli
    from samen.demo.cli import demo_cli
    from samen.follows.cli import mail_cli
    from samen.helpdesk.cli import helpdesk_cli
    from samen.privacy.cli import backup_cli, privacy_cli, retention_cli
    from samen.stories.cli import stories_cli
    from samen.thinktanks.cli import thinktanks_cli

    for group in (db_cli, users_cli, thinktanks_cli, reminders_cli, demo_cli, bench_cli, backup_cli, retention_cli,
                  privacy_cli, helpdesk_cli, stories_cli, mail_cli):
        app.cli.add_command(group)
