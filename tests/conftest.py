"""Fixtures: a real database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set) built by
the migrations, a test client that fills in real forms with CSRF, and small data builders."""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import delete, event, text

from apregister import create_app
from apregister.config import TestConfig, normalise_database_url
from apregister.extensions import db as _db
from apregister.models import (
    FrameworkStatus,
    LocalAuthority,
    Organisation,
    Provider,
    RegistrationType,
    Role,
    School,
    SchoolPhase,
    User,
)
from apregister.models.enums import ROLE_ORGANISATION_KIND, OrganisationKind
from apregister.users.operations import add_user

PASSWORD = "a long test passphrase for everyone"
_serial = count(1)


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _database_url(tmp_path_factory)


def reset_schema() -> None:
    """Empty the test database completely, so `flask db upgrade` starts from nothing."""
    engine = _db.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        with engine.begin() as connection:
            connection.execute(text("PRAGMA foreign_keys=OFF"))
            names = connection.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            ).scalars()
            for name in list(names):
                connection.execute(text(f'DROP TABLE "{name}"'))


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    os.environ["INSTANCE_PATH"] = str(tmp_path_factory.mktemp("instance"))
    application = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url)
    application.test_client_class = IsolatedClient
    with application.app_context():
        reset_schema()
        upgrade()
        _db.session.remove()
    yield application


@pytest.fixture(autouse=True)
def db(app: Flask) -> Iterator:
    """The database inside an app context; every row is deleted after the test."""
    with app.app_context():
        yield _db
        _db.session.remove()
        with _db.engine.begin() as connection:
            for table in reversed(_db.metadata.sorted_tables):
                connection.execute(delete(table))


class IsolatedClient(FlaskClient):
    """Each request runs in an empty context, so it gets its own app context, `g` and database
    session, as in production, even though the test itself holds an app context."""

    def open(self, *args, **kwargs):
        # read the whole response (streamed ones too) before the request's context ends
        kwargs.setdefault("buffered", True)
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


# ---- builders -----------------------------------------------------------------------------


def make_la(**overrides) -> LocalAuthority:
    la = _db.session.query(LocalAuthority).first()
    if la is None:
        la = LocalAuthority(name=overrides.get("name", "Test Borough Council"))
        _db.session.add(la)
        _db.session.commit()
    return la


def make_school(**overrides) -> School:
    n = next(_serial)
    values = {"name": f"School {n}", "urn": f"{100000 + n}", "phase": SchoolPhase.SECONDARY}
    school = School(**(values | overrides))
    _db.session.add(school)
    _db.session.commit()
    return school


def make_provider(**overrides) -> Provider:
    n = next(_serial)
    values = {
        "name": f"Provider {n}",
        "registration_type": RegistrationType.TUITION,
        "framework_status": FrameworkStatus.APPROVED,
    }
    provider = Provider(**(values | overrides))
    _db.session.add(provider)
    _db.session.commit()
    return provider


def organisation_for(role: Role) -> Organisation:
    kind = ROLE_ORGANISATION_KIND[role]
    if kind is OrganisationKind.LA:
        return make_la()
    if kind is OrganisationKind.SCHOOL:
        return make_school()
    return make_provider()


def make_user(
    role: Role = Role.LA_LEAD, organisation: Organisation | None = None, **overrides
) -> User:
    n = next(_serial)
    organisation = organisation or organisation_for(role)
    user = add_user(
        email=overrides.pop("email", f"user{n}@example.test"),
        name=overrides.pop("name", f"Test User {n}"),
        role=role,
        organisation_id=organisation.id,
        password=overrides.pop("password", PASSWORD),
    )
    for key, value in overrides.items():
        setattr(user, key, value)
    _db.session.commit()
    return user


# ---- forms and signing in -------------------------------------------------------------------

_CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    match = _CSRF.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({response.status_code})"
    return match.group(1)


def submit(client: FlaskClient, path: str, data: dict, *, form_path: str | None = None, **kwargs):
    """Post a form the way a browser does: fetch the page for its token, then send it."""
    token = csrf_token(client, form_path or path)
    return client.post(path, data={"csrf_token": token, **data}, **kwargs)


def sign_in(client: FlaskClient, user: User, password: str = PASSWORD):
    return submit(client, "/sign-in", {"email": user.email, "password": password})


@pytest.fixture
def login_as(client: FlaskClient):
    """login_as(role, organisation=None) -> the signed-in user."""

    def _login(role: Role, organisation: Organisation | None = None, **overrides) -> User:
        user = make_user(role, organisation, **overrides)
        response = sign_in(client, user)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return _login


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Collect the SQL statements run inside the block."""
    statements: list[str] = []

    def _before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = _db.engine
    event.listen(engine, "before_cursor_execute", _before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _before)


# ---- pupils and placements ----------------------------------------------------------------------


def make_upn(serial: int | None = None) -> str:
    """A valid permanent UPN (LA 201), different each call."""
    from stdnum.gb import upn

    rest = f"2011234{(serial if serial is not None else next(_serial)) % 100000:05d}"
    return upn.calc_check_digit(rest) + rest


def make_pupil(owner: Organisation | None = None, **overrides):
    from datetime import date

    from apregister.models import Pupil, SenStatus, Sex

    values = {
        "upn": make_upn(),
        "first_name": "Sam",
        "last_name": f"Pupil{next(_serial)}",
        "date_of_birth": date(2012, 10, 1),
        "sex": Sex.UNKNOWN,
        "sen_status": SenStatus.NONE,
        "looked_after": False,
        "disadvantaged": False,
    } | overrides
    pupil = Pupil(owner_id=(owner or make_school()).id, **values)
    _db.session.add(pupil)
    _db.session.commit()
    return pupil


def make_placement(pupil=None, provider: Provider | None = None, **overrides):
    """A placement written directly (no rules checked): for setting the scene in tests."""
    from datetime import date, timedelta
    from decimal import Decimal

    from apregister.models import OrganisationKind, Placement, PlacementReason

    pupil = pupil or make_pupil()
    provider = provider or make_provider()
    start = overrides.pop("start_date", date.today() - timedelta(weeks=2))
    school_id = pupil.owner_id if pupil.owner.kind is OrganisationKind.SCHOOL else None
    values = {
        "pupil_id": pupil.id,
        "school_id": school_id,
        "commissioner_id": pupil.owner_id,
        "provider_id": provider.id,
        "reason": PlacementReason.RE_ENGAGE,
        "start_date": start,
        "planned_end": start + timedelta(weeks=12),
        "session_mask": 0b1111111111,
        "hours_per_week": Decimal("25"),
        "full_time": True,
        "objectives": "Attend every session\nRebuild confidence in maths",
        "reintegration_plan": "Phased return from week 8",
    } | overrides
    placement = Placement(**values)
    _db.session.add(placement)
    _db.session.commit()
    return placement


# The LA settings form's required answers, at the law's defaults, as a browser sends them.
SETTINGS_FORM = {
    "full_time_hours": "18",
    "threshold_pupils": "5",
    "threshold_vulnerable_pupils": "1",
    "threshold_wording": "ehc_or_looked_after",
    "placement_weeks": "12",
    "unregistered_max_weeks": "12",
    "unregistered_max_sessions": "4",
    "review_interval_days": "42",
}
