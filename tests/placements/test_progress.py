"""Reviews, extension requests and decisions, ending and cancelling placements: pages per
role, other schools' placements, bad input, and the rules each step keeps."""

import html
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from apregister.models import (
    Attendance,
    AttendanceCode,
    ExtensionRequest,
    ExtensionStatus,
    Placement,
    PlacementOutcome,
    PlacementStatus,
    Review,
    ReviewDecision,
    Role,
    Session,
)
from tests.conftest import (
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_user,
    sign_in,
    submit,
)

TODAY = date.today()
STARTED = TODAY - timedelta(weeks=2)
OBJECTIVES = ("Attend every session", "Rebuild confidence in maths")


def _parts(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _placement(school=None, **overrides) -> Placement:
    pupil = make_pupil(school or make_school())
    return make_placement(pupil, start_date=overrides.pop("start_date", STARTED), **overrides)


def _request(db, placement, new_end=None, status=ExtensionStatus.PENDING) -> ExtensionRequest:
    request = ExtensionRequest(
        placement_id=placement.id,
        requested_on=TODAY,
        new_end=new_end or placement.planned_end + timedelta(weeks=4),
        reason="Needs longer to settle",
        status=status,
    )
    db.session.add(request)
    db.session.commit()
    return request


def _fresh(db, placement) -> Placement:
    db.session.expire_all()
    return db.session.get(Placement, placement.id)


def _review_form(**overrides) -> dict:
    return {
        "review_date": _parts(TODAY - timedelta(days=1)),
        "progress_0": "Attended 9 of 10 sessions",
        "progress_1": "Finished the fractions unit",
        "notes": "",
        "decision": "continue",
    } | overrides


def _extension_form(placement, **overrides) -> dict:
    return {
        "new_end": _parts(placement.planned_end + timedelta(weeks=4)),
        "reason": "Reintegration planned for after half term",
    } | overrides


def _end_form(**overrides) -> dict:
    return {"actual_end": _parts(TODAY), "outcome": "returned_home_school"} | overrides


def _written(db) -> tuple:
    """Everything these pages can write, to show a refused post wrote nothing."""
    placements = db.session.execute(
        select(
            Placement.id,
            Placement.planned_end,
            Placement.actual_end,
            Placement.outcome,
            Placement.cancelled_on,
        ).order_by(Placement.id)
    ).all()
    requests = db.session.execute(
        select(ExtensionRequest.id, ExtensionRequest.status).order_by(ExtensionRequest.id)
    ).all()
    return _count(db, Review), placements, requests


# ---- who may open what ------------------------------------------------------------------------


ROUTES = ["review", "extension", "decision", "end", "cancel"]


def _paths(placement, request) -> dict[str, str]:
    base = f"/placements/{placement.id}"
    return {
        "review": f"{base}/reviews/new",
        "extension": f"{base}/extension",
        "decision": f"{base}/extensions/{request.id}/decision",
        "end": f"{base}/end",
        "cancel": f"{base}/cancel",
    }


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("role", list(Role))
def test_role_by_route_table(client, db, login_as, role, route):
    school = make_school()
    provider = make_provider()
    placement = _placement(school, provider=provider)
    request = _request(db, placement)
    organisation = {Role.SCHOOL: school, Role.PROVIDER: provider}.get(role)
    login_as(role, organisation)
    la = role in (Role.LA_LEAD, Role.LA_OFFICER)
    allowed = la or (role is Role.SCHOOL and route != "decision")
    response = client.get(_paths(placement, request)[route])
    assert response.status_code == (200 if allowed else 403)


def test_la_acts_on_placements_of_pupils_with_no_school(client, db, login_as):
    officer = login_as(Role.LA_OFFICER)
    placement = make_placement(make_pupil(officer.organisation), start_date=STARTED)
    response = submit(client, f"/placements/{placement.id}/reviews/new", _review_form())
    assert response.status_code == 302
    assert _count(db, Review) == 1


def test_school_cannot_act_on_another_schools_placement(client, db, login_as):
    school, other_school = make_school(), make_school()
    theirs = _placement(school)
    their_request = _request(db, theirs)
    future = _placement(school, start_date=TODAY + timedelta(days=7))
    mine = _placement(other_school)
    login_as(Role.SCHOOL, other_school)
    token_page = f"/placements/{mine.id}/reviews/new"
    before = _written(db)
    for path in _paths(theirs, their_request).values():
        if not path.endswith("/decision"):
            assert client.get(path).status_code == 404, path
    posts = [
        (f"/placements/{theirs.id}/reviews/new", _review_form()),
        (f"/placements/{theirs.id}/extension", _extension_form(theirs)),
        (f"/placements/{theirs.id}/end", _end_form(confirmed="yes")),
        (f"/placements/{future.id}/cancel", {"reason": "Family moved away"}),
    ]
    for path, data in posts:
        response = submit(client, path, data, form_path=token_page)
        assert response.status_code == 404, path
    assert _written(db) == before


def test_extension_request_of_another_placement_is_not_found(client, db, login_as):
    placement, other = _placement(), _placement()
    others_request = _request(db, other)
    login_as(Role.LA_OFFICER)
    path = f"/placements/{placement.id}/extensions/{others_request.id}/decision"
    assert client.get(path).status_code == 404
    good = f"/placements/{other.id}/extensions/{others_request.id}/decision"
    response = submit(client, path, {"decision": "approve", "reason": "Fine"}, form_path=good)
    assert response.status_code == 404
    assert _fresh(db, other).planned_end == other.planned_end
    assert db.session.get(ExtensionRequest, others_request.id).status is ExtensionStatus.PENDING


# ---- bad input writes nothing --------------------------------------------------------------------


BAD_INPUT = [
    ("review", {"review_date": ["", "", ""]}, "Enter the date of the review"),
    ("review", {"review_date": ["3", "4"]}, "The review date must include a year"),
    ("review", {"review_date": ["31", "2", "2025"]}, "The review date must be a real date"),
    (
        "review",
        {"review_date": _parts(TODAY + timedelta(days=1))},
        "The review date must be today or in the past",
    ),
    (
        "review",
        {"review_date": _parts(STARTED - timedelta(days=1))},
        "The review date must be on or after the placement's start date",
    ),
    ("review", {"progress_1": "   "}, "Enter the progress against this objective"),
    (
        "review",
        {"progress_0": "x" * 2001},
        "Progress against an objective must be 2000 characters or fewer",
    ),
    ("review", {"decision": ""}, "Select what happens next"),
    ("review", {"decision": "abandon"}, "Select what happens next"),
    ("extension", {"new_end": ["", "", ""]}, "Enter the new end date"),
    ("extension", {"new_end": ["1"]}, "The new end date must include a month and year"),
    ("extension", {"reason": ""}, "Enter the reason for the extension"),
    ("decision", {"decision": ""}, "Select approve or decline"),
    ("decision", {"decision": "maybe"}, "Select approve or decline"),
    ("decision", {"reason": " "}, "Enter the reason for the decision"),
    ("end", {"actual_end": ["", "", ""]}, "Enter the date the placement ended"),
    ("end", {"actual_end": ["", "6"]}, "The end date must include a day and year"),
    (
        "end",
        {"actual_end": _parts(TODAY + timedelta(days=1))},
        "The end date must be today or in the past",
    ),
    (
        "end",
        {"actual_end": _parts(STARTED - timedelta(days=1))},
        "The end date must be on or after the placement's start date",
    ),
    ("end", {"outcome": ""}, "Select the outcome of the placement"),
    ("end", {"outcome": "escaped"}, "Select the outcome of the placement"),
    ("cancel", {"reason": ""}, "Enter the reason for cancelling"),
]


@pytest.mark.parametrize(("route", "overrides", "message"), BAD_INPUT)
@pytest.mark.parametrize("confirmed", ["", "yes"])
def test_bad_input_gets_a_field_error_and_writes_nothing(
    client, db, login_as, route, overrides, message, confirmed
):
    school = make_school()
    start = TODAY + timedelta(days=7) if route == "cancel" else STARTED
    placement = _placement(school, start_date=start)
    # a waiting request for the decision page; elsewhere it would refuse a new request
    request = _request(db, placement if route == "decision" else _placement())
    login_as(Role.LA_OFFICER if route == "decision" else Role.SCHOOL, school)
    data = (
        {
            "review": _review_form(),
            "extension": _extension_form(placement),
            "decision": {"decision": "approve", "reason": "Agreed at panel"},
            "end": _end_form(),
            "cancel": {"reason": "Family moved away"},
        }[route]
        | overrides
        | {"confirmed": confirmed}
    )
    before = _written(db)
    response = submit(client, _paths(placement, request)[route], data)
    body = _text(response)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert message in body
    assert _written(db) == before


@pytest.mark.parametrize("route", ["review", "extension", "end"])
def test_a_post_with_no_fields_at_all_does_not_fail(client, db, login_as, route):
    school = make_school()
    placement = _placement(school)
    login_as(Role.SCHOOL, school)
    path = _paths(placement, _request(db, _placement()))[route]
    before = _written(db)
    response = submit(client, path, {})
    assert response.status_code == 200
    assert "There is a problem" in _text(response)
    assert _written(db) == before


# ---- reviews ------------------------------------------------------------------------------------


def _mark(db, placement, day, session, code):
    db.session.add(Attendance(placement_id=placement.id, date=day, session=session, code=code))


def test_review_stores_progress_per_objective_and_attendance_to_its_date(client, db, login_as):
    school = make_school()
    placement = _placement(school)
    monday = STARTED + timedelta(days=-STARTED.weekday())
    _mark(db, placement, monday, Session.AM, AttendanceCode.PRESENT)
    _mark(db, placement, monday, Session.PM, AttendanceCode.PRESENT)
    _mark(db, placement, monday + timedelta(days=1), Session.AM, AttendanceCode.PRESENT)
    _mark(db, placement, monday + timedelta(days=1), Session.PM, AttendanceCode.UNAUTHORISED)
    _mark(db, placement, monday + timedelta(days=2), Session.AM, AttendanceCode.NOT_REQUIRED)
    # after the review date, so not part of the attendance the review keeps
    _mark(db, placement, TODAY, Session.AM, AttendanceCode.UNAUTHORISED)
    db.session.commit()
    user = login_as(Role.SCHOOL, school)
    path = f"/placements/{placement.id}/reviews/new"
    page = _text(client.get(path))
    assert "Attendance so far" in page
    assert "60.0%" in page  # 3 present of 5 expected sessions up to today
    for objective in OBJECTIVES:
        assert objective in page

    response = submit(client, path, _review_form(notes="  Good term  "))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/placements/{placement.id}")
    review = db.session.scalars(select(Review)).one()
    assert review.placement_id == placement.id
    assert review.review_date == TODAY - timedelta(days=1)
    assert review.progress == [
        {"objective": OBJECTIVES[0], "progress": "Attended 9 of 10 sessions"},
        {"objective": OBJECTIVES[1], "progress": "Finished the fractions unit"},
    ]
    assert review.attendance_rate == Decimal("75.0")
    assert review.notes == "Good term"
    assert review.decision is ReviewDecision.CONTINUE
    assert review.created_by_id == user.id


def test_review_with_no_attendance_recorded_keeps_no_rate(client, db, login_as):
    school = make_school()
    placement = _placement(school)
    login_as(Role.SCHOOL, school)
    path = f"/placements/{placement.id}/reviews/new"
    assert "No attendance recorded yet" in _text(client.get(path))
    assert submit(client, path, _review_form()).status_code == 302
    review = db.session.scalars(select(Review)).one()
    assert review.attendance_rate is None
    assert review.notes is None


@pytest.mark.parametrize(
    ("decision", "then"), [("continue", ""), ("extend", "/extension"), ("end", "/end")]
)
def test_review_decision_leads_to_the_next_step(client, db, login_as, decision, then):
    school = make_school()
    placement = _placement(school)
    login_as(Role.SCHOOL, school)
    response = submit(
        client, f"/placements/{placement.id}/reviews/new", _review_form(decision=decision)
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/placements/{placement.id}{then}")
    assert db.session.scalars(select(Review)).one().decision is ReviewDecision(decision)
    # the review decides nothing by itself: the placement runs on until it is ended
    assert _fresh(db, placement).actual_end is None


def test_review_of_an_ended_placement_must_be_dated_by_its_end(client, db, login_as):
    school = make_school()
    placement = _placement(school, actual_end=TODAY - timedelta(days=3))
    login_as(Role.SCHOOL, school)
    path = f"/placements/{placement.id}/reviews/new"
    response = submit(client, path, _review_form(review_date=_parts(TODAY - timedelta(days=1))))
    assert "The review date must be on or before" in _text(response)
    assert _count(db, Review) == 0
    response = submit(client, path, _review_form(review_date=_parts(TODAY - timedelta(days=3))))
    assert response.status_code == 302
    assert _count(db, Review) == 1


# ---- extensions ---------------------------------------------------------------------------------


def test_school_requests_and_the_la_approves_an_extension(app, client, db, login_as):
    school = make_school()
    placement = _placement(school)
    planned = placement.planned_end
    new_end = planned + timedelta(weeks=4)
    school_user = login_as(Role.SCHOOL, school)
    response = submit(client, f"/placements/{placement.id}/extension", _extension_form(placement))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/placements/{placement.id}")
    request = db.session.scalars(select(ExtensionRequest)).one()
    assert (request.status, request.new_end, request.requested_by_id) == (
        ExtensionStatus.PENDING,
        new_end,
        school_user.id,
    )
    assert request.reason == "Reintegration planned for after half term"
    assert _fresh(db, placement).planned_end == planned  # nothing moves until approved

    decision_path = f"/placements/{placement.id}/extensions/{request.id}/decision"
    assert client.get(decision_path).status_code == 403
    client = app.test_client()  # the officer, in another browser
    officer = make_user(Role.LA_OFFICER)
    sign_in(client, officer)
    page = _text(client.get(decision_path))
    for shown in (placement.pupil.name, placement.provider.name, request.reason):
        assert shown in page
    response = submit(client, decision_path, {"decision": "approve", "reason": "Agreed"})
    assert response.status_code == 302
    assert _fresh(db, placement).planned_end == new_end
    request = db.session.get(ExtensionRequest, request.id)
    assert (request.status, request.decided_by_id, request.decided_on) == (
        ExtensionStatus.APPROVED,
        officer.id,
        TODAY,
    )
    assert request.decision_reason == "Agreed"


def test_declined_extension_leaves_the_planned_end(client, db, login_as):
    placement = _placement()
    request = _request(db, placement)
    login_as(Role.LA_LEAD)
    response = submit(
        client,
        f"/placements/{placement.id}/extensions/{request.id}/decision",
        {"decision": "decline", "reason": "Return to school as planned"},
    )
    assert response.status_code == 302
    assert _fresh(db, placement).planned_end == placement.planned_end
    request = db.session.get(ExtensionRequest, request.id)
    assert request.status is ExtensionStatus.DECLINED
    assert request.decision_reason == "Return to school as planned"


def test_a_decided_request_cannot_be_decided_again(client, db, login_as):
    placement = _placement()
    request = _request(db, placement, status=ExtensionStatus.DECLINED)
    login_as(Role.LA_LEAD)
    path = f"/placements/{placement.id}/extensions/{request.id}/decision"
    assert "This request was declined" in _text(client.get(path))
    response = submit(
        client,
        path,
        {"decision": "approve", "reason": "Changed my mind"},
        form_path=f"/placements/{placement.id}/extension",
    )
    assert "This request has already been decided" in _text(response)
    assert _fresh(db, placement).planned_end == placement.planned_end
    assert db.session.get(ExtensionRequest, request.id).status is ExtensionStatus.DECLINED


def test_a_second_pending_request_is_refused(client, db, login_as):
    school = make_school()
    placement = _placement(school)
    first = _request(db, placement)
    login_as(Role.SCHOOL, school)
    path = f"/placements/{placement.id}/extension"
    assert "is already waiting for a decision" in _text(client.get(path))
    response = submit(client, path, _extension_form(placement))
    body = _text(response)
    assert response.status_code == 200
    assert "An extension request is already waiting for a decision" in body
    assert db.session.scalars(select(ExtensionRequest.id)).all() == [first.id]


def test_after_a_decision_another_extension_may_be_requested(client, db, login_as):
    school = make_school()
    placement = _placement(school)
    _request(db, placement, status=ExtensionStatus.DECLINED)
    login_as(Role.SCHOOL, school)
    response = submit(client, f"/placements/{placement.id}/extension", _extension_form(placement))
    assert response.status_code == 302
    assert _count(db, ExtensionRequest) == 2


def test_new_end_must_be_after_the_planned_end(client, db, login_as):
    school = make_school()
    placement = _placement(school)
    login_as(Role.SCHOOL, school)
    response = submit(
        client,
        f"/placements/{placement.id}/extension",
        _extension_form(placement, new_end=_parts(placement.planned_end)),
    )
    assert "The new end date must be after the current planned end date" in _text(response)
    assert _count(db, ExtensionRequest) == 0


# ---- ending -------------------------------------------------------------------------------------


def test_ending_checks_the_answers_then_records_the_outcome(client, db, login_as):
    school = make_school()
    placement = _placement(school)
    waiting = _request(db, placement)
    login_as(Role.SCHOOL, school)
    path = f"/placements/{placement.id}/end"
    form = _end_form(outcome="another_mainstream", outcome_notes="Starts at Hill School")
    response = submit(client, path, form)
    body = _text(response)
    assert response.status_code == 200
    assert "Check your answers before ending the placement" in body
    assert "Moved to another mainstream school" in body
    assert _fresh(db, placement).actual_end is None

    response = submit(client, path, form | {"confirmed": "edit"})
    assert 'name="outcome_notes"' in _text(response)
    assert _fresh(db, placement).actual_end is None

    response = submit(client, path, form | {"confirmed": "yes"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/placements/{placement.id}")
    ended = _fresh(db, placement)
    assert ended.actual_end == TODAY
    assert ended.outcome is PlacementOutcome.ANOTHER_MAINSTREAM
    assert ended.outcome_notes == "Starts at Hill School"
    assert ended.status_on(TODAY) is PlacementStatus.ENDED
    assert db.session.get(ExtensionRequest, waiting.id).status is ExtensionStatus.DECLINED


def test_ending_needs_a_date_and_an_outcome(client, db, login_as):
    school = make_school()
    placement = _placement(school)
    login_as(Role.SCHOOL, school)
    response = submit(
        client,
        f"/placements/{placement.id}/end",
        {"actual_end": ["", "", ""], "confirmed": "yes"},
    )
    body = _text(response)
    assert "Enter the date the placement ended" in body
    assert "Select the outcome of the placement" in body
    assert _fresh(db, placement).status_on(TODAY) is PlacementStatus.ACTIVE


# ---- cancelling ---------------------------------------------------------------------------------


def test_placement_is_cancelled_before_it_starts(client, db, login_as):
    school = make_school()
    placement = _placement(school, start_date=TODAY + timedelta(days=7))
    login_as(Role.SCHOOL, school)
    response = submit(
        client, f"/placements/{placement.id}/cancel", {"reason": "  Family moved away "}
    )
    assert response.status_code == 302
    cancelled = _fresh(db, placement)
    assert (cancelled.cancelled_on, cancelled.cancel_reason) == (TODAY, "Family moved away")
    assert cancelled.status_on(TODAY) is PlacementStatus.CANCELLED


@pytest.mark.parametrize("start", [TODAY, STARTED])
def test_cancelling_after_the_start_is_refused(client, db, login_as, start):
    school = make_school()
    placement = _placement(school, start_date=start)
    login_as(Role.SCHOOL, school)
    path = f"/placements/{placement.id}/cancel"
    page = _text(client.get(path))
    assert "so it cannot be cancelled" in page
    assert "End the placement with an outcome" in page
    response = submit(
        client,
        path,
        {"reason": "Not working out"},
        form_path=f"/placements/{placement.id}/reviews/new",
    )
    assert response.status_code == 200
    assert "A placement that has started cannot be cancelled" in _text(response)
    assert _fresh(db, placement).cancelled_on is None


@pytest.mark.parametrize("route", ["review", "extension", "end", "cancel"])
def test_a_cancelled_placement_cannot_be_changed(client, db, login_as, route):
    school = make_school()
    placement = _placement(
        school, start_date=TODAY + timedelta(days=7), cancelled_on=TODAY, cancel_reason="Moved"
    )
    login_as(Role.SCHOOL, school)
    path = _paths(placement, _request(db, _placement()))[route]
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/placements/{placement.id}")
    token_page = f"/placements/{_placement(school).id}/reviews/new"
    before = _written(db)
    data = {
        "review": _review_form(),
        "extension": _extension_form(placement),
        "end": _end_form(confirmed="yes"),
        "cancel": {"reason": "Again"},
    }[route]
    response = submit(client, path, data, form_path=token_page)
    assert response.status_code == 302
    assert _written(db) == before


@pytest.mark.parametrize("route", ["extension", "end", "cancel"])
def test_an_ended_placement_cannot_be_extended_ended_or_cancelled(client, db, login_as, route):
    school = make_school()
    placement = _placement(
        school, actual_end=TODAY - timedelta(days=1), outcome=PlacementOutcome.ANOTHER_AP
    )
    login_as(Role.SCHOOL, school)
    path = _paths(placement, _request(db, _placement()))[route]
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/placements/{placement.id}")
