"""Logs the council's operations team can use (issue 15): one JSON line per request with its
time, id, user, organisation, route, method, status, duration and statement count; the id in the
`X-Request-Id` header and on the 500 page, and at the end of the error's log record; and never a
pupil's name, UPN or date of birth, nor anyone's email address, anywhere in the log."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, date, datetime

import pytest
from flask import Flask

from apregister import create_app
from apregister.config import TestConfig
from apregister.models import Role
from apregister.pupils import rules
from apregister.request_log import LOGGER_NAME
from tests.conftest import (
    PASSWORD,
    count_queries,
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_upn,
    make_user,
    submit,
)

FIELDS = [
    "time",
    "request_id",
    "user_id",
    "organisation_id",
    "route",
    "method",
    "status",
    "duration_ms",
    "queries",
]
GENERATED_ID = re.compile(r"[0-9a-f]{16}")


def _lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == LOGGER_NAME]


def _line_for(caplog, response) -> dict:
    """The one line written for `response`, found by its request id."""
    request_id = response.headers["X-Request-Id"]
    lines = [line for line in _lines(caplog) if line["request_id"] == request_id]
    assert len(lines) == 1, lines
    return lines[0]


# ---- the line ------------------------------------------------------------------------------


def test_one_line_per_request_with_every_field(client, db, login_as, caplog):
    school = make_school()
    user = login_as(Role.SCHOOL, school)
    placement_id = make_placement(make_pupil(school)).id
    caplog.clear()
    before = datetime.now(UTC)
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME), count_queries() as statements:
        response = client.get(f"/placements/{placement_id}?tab=reviews")
    assert response.status_code == 200
    lines = _lines(caplog)
    assert len(lines) == 1  # one request, one line
    line = lines[0]
    assert list(line) == FIELDS  # those fields and nothing else, in that order
    assert line["request_id"] == response.headers["X-Request-Id"]
    assert GENERATED_ID.fullmatch(line["request_id"])
    assert line["user_id"] == user.id
    assert line["organisation_id"] == school.id
    assert line["route"] == "placements.show_placement"  # the view's name, not the address
    assert (line["method"], line["status"]) == ("GET", 200)
    assert line["queries"] == len(statements) > 0  # every statement the request ran
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    logged_at = datetime.fromisoformat(line["time"])
    assert line["time"].endswith("Z")  # UTC, to the millisecond (so `before` rounded down too)
    assert before.replace(microsecond=before.microsecond // 1000 * 1000) <= logged_at
    assert logged_at <= datetime.now(UTC)
    assert "tab=" not in caplog.text and "/placements" not in caplog.text


def test_each_request_gets_an_id_of_its_own(client, db, caplog):
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        first, second = client.get("/sign-in"), client.get("/sign-in")
    ids = {first.headers["X-Request-Id"], second.headers["X-Request-Id"]}
    assert len(ids) == 2
    assert [line["request_id"] for line in _lines(caplog)] == [
        first.headers["X-Request-Id"],
        second.headers["X-Request-Id"],
    ]


def test_signed_out_requests_have_no_user_or_organisation(client, db, caplog):
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        page = client.get("/sign-in")
        missing = client.get("/no-such-page")
    line = _line_for(caplog, page)
    assert (line["user_id"], line["organisation_id"]) == (None, None)
    assert (line["route"], line["status"]) == ("auth.sign_in", 200)
    missing_line = _line_for(caplog, missing)
    assert (missing_line["route"], missing_line["status"]) == (None, 404)


def test_a_redirect_to_sign_in_is_logged_with_its_status(client, db, caplog):
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        response = client.get("/pupils")
    line = _line_for(caplog, response)
    assert (line["route"], line["status"], line["user_id"]) == ("pupils.list_pupils", 302, None)


def test_static_files_are_logged_too(client, db, login_as, caplog):
    login_as(Role.LA_LEAD)
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME), count_queries() as statements:
        response = client.get("/static/favicon.svg")
    assert response.status_code == 200
    line = _line_for(caplog, response)
    assert line["route"] == "static" and line["queries"] == len(statements)


def test_signing_out_is_logged_as_the_user_who_did_it(client, db, login_as, caplog):
    school = make_school()
    user = login_as(Role.SCHOOL, school)
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        response = submit(client, "/sign-out", {}, form_path="/")
    assert response.status_code == 302
    line = _line_for(caplog, response)
    assert (line["route"], line["user_id"], line["organisation_id"]) == (
        "auth.sign_out",
        user.id,
        school.id,
    )


def test_a_made_up_method_is_logged_as_other(client, db, caplog):
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        response = client.open("/sign-in", method="ZEPHYRINE")
    line = _line_for(caplog, response)
    assert (line["method"], line["status"]) == ("OTHER", 405)
    assert "ZEPHYRINE" not in caplog.text


# ---- the request id ------------------------------------------------------------------------


def test_an_incoming_request_id_that_is_plainly_an_id_is_kept(client, db, caplog):
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        response = client.get("/sign-in", headers={"X-Request-Id": "lb-0123456789abcdef"})
    assert response.headers["X-Request-Id"] == "lb-0123456789abcdef"
    assert _line_for(caplog, response)["route"] == "auth.sign_in"


@pytest.mark.parametrize(
    "incoming",
    [
        "short",  # under 8 characters
        "x" * 65,  # over 64
        "abc def 123",
        "abcd1234;injected=line",
        '12345678","user_id":1',
        "<script>alert(1)</script>",
        "ada.lovelace@example.test",
        "",
    ],
)
def test_any_other_incoming_request_id_is_replaced(client, db, caplog, incoming):
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        response = client.get("/sign-in", headers={"X-Request-Id": incoming})
    replaced = response.headers["X-Request-Id"]
    assert GENERATED_ID.fullmatch(replaced)
    assert _line_for(caplog, response)["request_id"] == replaced
    if incoming:
        assert incoming not in caplog.text


# ---- errors ----------------------------------------------------------------------------------

SECRET_ROW = (
    'duplicate key value violates unique constraint "uq_pupils_upn"\n'
    "DETAIL:  Key (upn)=(A123456789012) already exists."
)


@pytest.fixture
def failing_app(database_url: str) -> Flask:
    """An app of its own with a route that fails, answered with the 500 page as in production."""
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        raise RuntimeError(SECRET_ROW)

    return app


def test_the_500_page_shows_the_id_the_error_is_logged_with(failing_app, caplog):
    with caplog.at_level(logging.INFO):
        response = failing_app.test_client().get("/boom", buffered=True)
    assert response.status_code == 500
    request_id = response.headers["X-Request-Id"]
    page = response.get_data(as_text=True)
    assert "quote this reference" in page
    shown = re.search(r'id="error-reference">([^<]+)<', page).group(1)
    assert shown == request_id
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    error = errors[0]
    assert error.name == failing_app.logger.name and error.request_id == request_id
    text = logging.Formatter().format(error)
    assert f"request_id {request_id}" in text
    assert "RuntimeError" in text and "Traceback" in text  # what went wrong, and where
    assert "A123456789012" not in text  # the row's values cut, as apregister/logs.py does
    line = _line_for(caplog, response)
    assert (line["route"], line["status"], line["user_id"]) == ("boom", 500, None)


def test_an_exception_let_through_is_still_one_line(database_url, caplog):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url)

    @app.route("/boom")
    def boom():
        raise RuntimeError("let through, as the tests' apps do")

    with caplog.at_level(logging.INFO, logger=LOGGER_NAME), pytest.raises(RuntimeError):
        app.test_client().get("/boom", buffered=True)
    lines = _lines(caplog)
    assert len(lines) == 1
    assert (lines[0]["route"], lines[0]["status"]) == ("boom", 500)


# ---- a journey: nothing about a child, nor anyone's email address, in the log ------------------


def _date_forms(day: date) -> list[str]:
    return [
        day.isoformat(),
        day.strftime("%d/%m/%Y"),
        f"{day.day}/{day.month}/{day.year}",
        day.strftime("%m/%d/%Y"),
        day.strftime("%d-%m-%Y"),
        f"{day.day} {day:%B %Y}",
        day.strftime("%d %B %Y"),
        f"{day.day} {day:%b %Y}",
        repr(day).removeprefix("datetime."),  # date(2012, 10, 3)
    ]


def test_a_journey_logs_no_names_upns_dates_of_birth_or_email_addresses(client, db, caplog):
    school = make_school()
    provider = make_provider()
    user = make_user(Role.SCHOOL, school, email="zara.quigley-lead@school.example.test")
    upn = make_upn()
    born = date(rules.academic_year_start(date.today()) - 14, 10, 3)
    first, last = "Zephyrine", "Quillfeather"
    secrets = [first, last, upn, upn.lower(), user.email, user.name, *_date_forms(born)]
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="apregister"), caplog.at_level(logging.INFO):
        # signing in with the email address: a wrong password first
        wrong = submit(client, "/sign-in", {"email": user.email, "password": "not it at all"})
        assert wrong.status_code == 200
        signed_in = submit(client, "/sign-in", {"email": user.email, "password": PASSWORD})
        assert signed_in.status_code == 302
        # adding a pupil with a name, a UPN and a date of birth
        pupil_form = {
            "upn": upn,
            "first_name": first,
            "last_name": last,
            "date_of_birth": [str(born.day), str(born.month), str(born.year)],
            "sex": "F",
            "sen_status": "sen_support",
            "looked_after": "yes",
            "disadvantaged": "no",
        }
        added = submit(client, "/pupils/new", pupil_form)
        assert added.status_code == 302, added.get_data(as_text=True)[:2000]
        pupil_page = client.get(added.headers["Location"])
        assert last in pupil_page.get_data(as_text=True)
        pupil_id = int(added.headers["Location"].rsplit("/", 1)[1])
        # finding the pupil by name and by UPN
        found = submit(client, "/pupils/search", {"term": f"{first} {last}"}, form_path="/pupils")
        assert found.status_code == 302
        assert last in client.get(found.headers["Location"]).get_data(as_text=True)
        assert submit(client, "/pupils/search", {"term": upn}, form_path="/pupils").status_code
        # a change refused (the UPN and date of birth come back in the form, not in the log)
        refused = submit(
            client,
            f"/pupils/{pupil_id}/edit",
            pupil_form | {"date_of_birth": ["31", "2", str(born.year)]},
        )
        assert refused.status_code == 200
        # placing the pupil: the check page, then the placement
        monday = date.fromordinal(date.today().toordinal() + 7 - date.today().weekday())
        placement_form = {
            "submission_key": "journey-1",
            "pupil_id": str(pupil_id),
            "provider_id": str(provider.id),
            "reason": "re_engage",
            "start_date": [str(monday.day), str(monday.month), str(monday.year)],
            "sessions": ["mon_am", "mon_pm", "tue_am"],
            "hours_per_week": "7.5",
            "full_time": "part",
            "objectives": f"{first} to attend every session",
            "reintegration_plan": "Back to school two days a week from week 6",
        }
        check = submit(client, "/placements/new", placement_form | {"confirmed": ""})
        assert "Check the placement before you add it" in check.get_data(as_text=True)
        placed = submit(client, "/placements/new", placement_form | {"confirmed": "yes"})
        assert placed.status_code == 302, placed.get_data(as_text=True)[:2000]
        assert last in client.get(placed.headers["Location"]).get_data(as_text=True)
        signed_out = submit(client, "/sign-out", {}, form_path="/")
        assert signed_out.status_code == 302

    lines = _lines(caplog)
    assert [(line["route"], line["method"], line["status"]) for line in lines] == [
        ("auth.sign_in", "GET", 200),
        ("auth.sign_in", "POST", 200),
        ("auth.sign_in", "GET", 200),
        ("auth.sign_in", "POST", 302),
        ("pupils.add_pupil", "GET", 200),
        ("pupils.add_pupil", "POST", 302),
        ("pupils.show_pupil", "GET", 200),
        ("pupils.list_pupils", "GET", 200),
        ("pupils.search_pupils", "POST", 302),
        ("pupils.list_pupils", "GET", 200),
        ("pupils.list_pupils", "GET", 200),
        ("pupils.search_pupils", "POST", 302),
        ("pupils.edit_pupil", "GET", 200),
        ("pupils.edit_pupil", "POST", 200),
        ("placements.add_placement", "GET", 200),
        ("placements.add_placement", "POST", 200),
        ("placements.add_placement", "GET", 200),
        ("placements.add_placement", "POST", 302),
        ("placements.show_placement", "GET", 200),
        ("pages.home", "GET", 200),
        ("auth.sign_out", "POST", 302),
    ]
    # signed in from the successful sign-in on, and the sign-out is the user's own
    for line in lines[3:]:
        assert (line["user_id"], line["organisation_id"]) == (user.id, school.id), line
    for line in lines[:3]:
        assert (line["user_id"], line["organisation_id"]) == (None, None), line

    # every record of every logger, message, arguments and traceback alike
    texts = []
    for record in caplog.records:
        texts.append(logging.Formatter().format(record))
        texts.append(repr(record.args))
        texts.append(repr(record.__dict__))
    logged = "\n".join(texts).lower()
    for secret in secrets:
        assert secret.lower() not in logged, f"{secret!r} reached the log"
