"""apregister: the alternative provision register and QA tracker."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from flask_sqlalchemy.session import Session as FlaskSession
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

from apregister.config import Config, config_from_environment, normalise_database_url, secret_key
from apregister.extensions import csrf, db, migrate
from apregister.models.base import render_migration_item

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("INSTANCE_PATH", str(ROOT / "instance")),
        template_folder=str(ROOT / "templates"),
    )
    app.config.from_object(config or config_from_environment())
    app.config.update(overrides)
    # an id in a URL past what the database's integers hold is no page (404), not an error
    app.url_map.converters["int"] = BoundedIntConverter
    _configure_database(app)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(app.instance_path)

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        compare_type=True,
        render_as_batch=True,
        render_item=render_migration_item,
    )
    csrf.init_app(app)
    WTFormsHelpers(app)

    from apregister import audit, auth, cli, errors, logs, request_log, security, templating
    from apregister.attendance import totals as attendance_totals

    audit.install(FlaskSession, db.Model)
    attendance_totals.install(FlaskSession)
    auth.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    logs.init_app(app)
    request_log.init_app(app)  # one JSON line per request, to apregister.requests
    templating.init_app(app)
    cli.register(app)
    _register_blueprints(app)
    from apregister import limits

    limits.init_app(app)  # after the blueprints: it limits their views
    return app


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` in routes, up to the largest 32-bit integer, the type of every id column."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _configure_database(app: Flask) -> None:
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or os.environ.get("DATABASE_URL")
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{Path(app.instance_path) / 'apregister.db'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = url = normalise_database_url(url)
    # whatever else is configured, a failed statement's error never carries its values (pupils'
    # names, UPNs and dates of birth) into the log
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = dict(
        app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {}
    ) | {"hide_parameters": True}
    if url.startswith("postgresql"):
        # A page's queries read a few thousand rows. On PostgreSQL's defaults the planner
        # starts parallel workers for some of them, which costs 5-10 ms a query and saves
        # nothing at this size (measured on the dashboard); each request stays on one core.
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        connect_args = dict(options.get("connect_args") or {})
        # JIT compiling a query whose estimated cost passes 100,000 took 30-95 ms on the home
        # pages and the dashboard's alert counts, for queries that then ran in a few.
        connect_args.setdefault("options", "-c max_parallel_workers_per_gather=0 -c jit=off")
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options | {"connect_args": connect_args}


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    # SQLite ignores foreign keys unless asked, and should wait for a writer rather than fail.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def _register_blueprints(app: Flask) -> None:
    from apregister.absences.views import bp as absences_bp
    from apregister.attendance.views import bp as attendance_bp
    from apregister.audit_log.views import bp as audit_log_bp
    from apregister.auth.views import bp as auth_bp
    from apregister.checks.views import bp as checks_bp
    from apregister.dashboard.views import bp as dashboard_bp
    from apregister.imports.views import bp as imports_bp
    from apregister.inspections.views import bp as inspections_bp
    from apregister.la_settings import qa_areas, retention, views  # noqa: F401  (its routes)
    from apregister.la_settings.blueprint import bp as la_settings_bp
    from apregister.messages.views import bp as account_bp
    from apregister.organisation_filter import bp as organisations_bp
    from apregister.outbox.views import bp as outbox_bp
    from apregister.pages.views import bp as pages_bp
    from apregister.placements.views import bp as placements_bp
    from apregister.providers.applications import bp as applications_bp
    from apregister.providers.views import bp as providers_bp
    from apregister.pupils import subject_access  # noqa: F401  (routes on the pupils blueprint)
    from apregister.pupils.views import bp as pupils_bp
    from apregister.reports.views import bp as reports_bp
    from apregister.self_assessments.views import bp as self_assessments_bp
    from apregister.users.views import bp as users_bp

    for blueprint in (
        pages_bp,
        auth_bp,
        users_bp,
        audit_log_bp,
        providers_bp,
        applications_bp,
        pupils_bp,
        placements_bp,
        checks_bp,
        attendance_bp,
        absences_bp,
        account_bp,
        la_settings_bp,
        inspections_bp,
        self_assessments_bp,
        outbox_bp,
        dashboard_bp,
        reports_bp,
        imports_bp,
        organisations_bp,
    ):
        app.register_blueprint(blueprint)
