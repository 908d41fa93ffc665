"""Self-assessment pages: who may open what, other providers' and drafts hidden, bad input
writes nothing, the whole draft -> submit -> return -> resubmit -> accept cycle, list queries."""

import html
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from apregister.models import (
    Judgement,
    QaArea,
    Role,
    SelfAssessment,
    SelfAssessmentEntry,
    SelfAssessmentStatus,
    SelfAssessmentVersion,
)
from apregister.qa.rules import DEFAULT_AREAS, add_months
from apregister.templating import govuk_date
from tests.conftest import count_queries, make_provider, make_user, sign_in, submit
from tests.self_assessments import (
    LA_COMMENT,
    THIS_YEAR,
    TODAY,
    answers,
    make_self_assessment,
)

DRAFT = SelfAssessmentStatus.DRAFT
SUBMITTED = SelfAssessmentStatus.SUBMITTED
RETURNED = SelfAssessmentStatus.RETURNED
ACCEPTED = SelfAssessmentStatus.ACCEPTED
LA = (Role.LA_LEAD, Role.LA_OFFICER)
HOME = "/"  # every signed-in user's home page carries a CSRF token (the sign-out form)


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _path(assessment, page: str = "") -> str:
    return f"/self-assessments/{assessment.id}" + (f"/{page}" if page else "")


def _fresh(db, assessment) -> SelfAssessment:
    db.session.expire_all()
    return db.session.get(SelfAssessment, assessment.id)


def _written(db) -> tuple:
    """Everything these pages can write, to show a refused post wrote nothing."""
    db.session.expire_all()
    return (
        db.session.execute(
            select(
                SelfAssessment.id,
                SelfAssessment.status,
                SelfAssessment.accepted_on,
                SelfAssessment.academic_year,
            ).order_by(SelfAssessment.id)
        ).all(),
        db.session.execute(
            select(
                SelfAssessmentVersion.id,
                SelfAssessmentVersion.number,
                SelfAssessmentVersion.submitted_at,
                SelfAssessmentVersion.reviewed_at,
                SelfAssessmentVersion.review_outcome,
                SelfAssessmentVersion.review_comment,
            ).order_by(SelfAssessmentVersion.id)
        ).all(),
        db.session.execute(
            select(
                SelfAssessmentEntry.id,
                SelfAssessmentEntry.rating,
                SelfAssessmentEntry.evidence,
                SelfAssessmentEntry.la_comment,
            ).order_by(SelfAssessmentEntry.id)
        ).all(),
    )


def _review(decision: str = "accept", **overrides) -> dict:
    return {"decision": decision, "review_comment": ""} | overrides


# ---- who may open what --------------------------------------------------------------------------


ROUTES = ["list", "start", "show", "edit", "check", "review"]
ALLOWED = {
    "list": {*LA, Role.PROVIDER},
    "start": {Role.PROVIDER},
    "show": {*LA, Role.PROVIDER},
    "edit": {Role.PROVIDER},
    "check": {Role.PROVIDER},
    "review": set(LA),
}


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("role", list(Role))
def test_role_by_route_table(client, db, login_as, role, route):
    provider = make_provider()
    draft = make_self_assessment(provider, DRAFT, answered=True)
    submitted = make_self_assessment(provider, SUBMITTED, year="2020/21")
    login_as(role, provider if role is Role.PROVIDER else None)
    if route == "start":
        response = submit(client, "/self-assessments/new", {}, form_path=HOME)
        ok = 302  # this year's is already started: it carries on with it
    else:
        path = {
            "list": "/self-assessments",
            "show": _path(submitted),
            "edit": _path(draft, "edit"),
            "check": _path(draft, "check"),
            "review": _path(submitted, "review"),
        }[route]
        response = client.get(path)
        ok = 200
    assert response.status_code == (ok if role in ALLOWED[route] else 403)


@pytest.mark.parametrize("role", [Role.SCHOOL, Role.BOARD])
def test_school_and_board_are_refused_every_post(client, db, login_as, role):
    provider = make_provider()
    draft = make_self_assessment(provider, DRAFT, answered=True)
    submitted = make_self_assessment(provider, SUBMITTED, year="2020/21")
    login_as(role)
    before = _written(db)
    for path, data in [
        ("/self-assessments/new", {}),
        (_path(draft, "edit"), answers(action="draft")),
        (_path(draft, "check"), {}),
        (_path(submitted, "review"), _review()),
    ]:
        assert submit(client, path, data, form_path=HOME).status_code == 403, path
    assert _written(db) == before


# ---- other providers, and drafts the LA may not see ---------------------------------------------


def test_provider_cannot_see_or_change_another_providers_self_assessment(client, db, login_as):
    provider, other = make_provider(), make_provider()
    theirs = make_self_assessment(provider, DRAFT, answered=True)
    returned = make_self_assessment(provider, RETURNED, year="2020/21")
    mine = make_self_assessment(other, DRAFT)
    login_as(Role.PROVIDER, other)
    for assessment in (theirs, returned):
        for page in ("", "edit", "check"):
            assert client.get(_path(assessment, page)).status_code == 404, page
    listing = _text(client.get("/self-assessments"))
    assert _path(theirs) not in listing and _path(returned) not in listing
    assert _path(mine) in listing
    before = _written(db)
    token_page = _path(mine, "edit")
    for path, data in [
        (_path(theirs, "edit"), answers(action="draft", rating_0="not_met")),
        (_path(returned, "edit"), answers(action="continue")),
        (_path(theirs, "check"), {}),
    ]:
        assert submit(client, path, data, form_path=token_page).status_code == 404, path
    assert _written(db) == before


def test_la_cannot_see_a_draft_that_was_never_submitted(client, db, login_as):
    provider = make_provider()
    draft = make_self_assessment(provider, DRAFT, answered=True)
    login_as(Role.LA_OFFICER)
    assert client.get(_path(draft)).status_code == 404
    assert client.get(_path(draft, "review")).status_code == 404
    assert provider.name not in _text(client.get("/self-assessments"))
    before = _written(db)
    response = submit(client, _path(draft, "review"), _review(), form_path=HOME)
    assert response.status_code == 404
    assert _written(db) == before


def test_la_sees_what_was_submitted_not_the_providers_unsent_revision(client, db, app, login_as):
    provider = make_provider()
    assessment = make_self_assessment(provider, RETURNED)
    login_as(Role.PROVIDER, provider)
    revised = answers(action="draft", evidence_1="Revised fire drill log")
    assert submit(client, _path(assessment, "edit"), revised).status_code == 302
    assert "Revised fire drill log" in _text(client.get(_path(assessment)))
    as_lead = app.test_client()
    sign_in(as_lead, make_user(Role.LA_LEAD))
    page = _text(as_lead.get(_path(assessment)))
    assert "Version 1" in page
    assert "Revised fire drill log" not in page
    assert LA_COMMENT in page
    assert as_lead.get(_path(assessment) + "?version=2").status_code == 404


# ---- the lists ----------------------------------------------------------------------------------


def test_provider_is_offered_to_start_this_years_only_when_there_is_none(client, db, login_as):
    provider = make_provider()
    make_self_assessment(provider, ACCEPTED, year="2020/21")
    login_as(Role.PROVIDER, provider)
    page = _text(client.get("/self-assessments"))
    assert f"Start your self-assessment for {THIS_YEAR}" in page
    assert "2020/21" in page and "Accepted" in page
    make_self_assessment(provider, DRAFT)
    page = _text(client.get("/self-assessments"))
    assert "Start your self-assessment" not in page
    assert THIS_YEAR in page and "Draft" in page


def test_starting_twice_makes_one_self_assessment(client, db, login_as):
    provider = make_provider()
    login_as(Role.PROVIDER, provider)
    first = submit(client, "/self-assessments/new", {}, form_path="/self-assessments")
    second = submit(client, "/self-assessments/new", {}, form_path=HOME)
    assert db.session.scalar(select(func.count()).select_from(SelfAssessment)) == 1
    assessment = db.session.scalars(select(SelfAssessment)).one()
    assert first.headers["Location"] == second.headers["Location"] == _path(assessment, "edit")
    assert assessment.academic_year == THIS_YEAR
    assert assessment.status is DRAFT
    [version] = assessment.versions
    assert [(e.area_key, e.area_name) for e in version.entries] == list(DEFAULT_AREAS)


def test_la_list_splits_waiting_from_the_rest_with_provider_names(client, db, login_as):
    waiting = make_provider(name="Waiting Works")
    returned = make_provider(name="Returned Rooms")
    accepted = make_provider(name="Accepted Academy")
    drafting = make_provider(name="Drafting Den")
    make_self_assessment(waiting, SUBMITTED)
    make_self_assessment(returned, RETURNED)
    make_self_assessment(accepted, ACCEPTED)
    make_self_assessment(drafting, DRAFT)
    login_as(Role.LA_OFFICER)
    page = _text(client.get("/self-assessments"))
    queue, rest = page.split('<h2 class="govuk-heading-m">Returned and accepted</h2>')
    assert "Waiting for review (1)" in queue
    assert "Waiting Works" in queue and "Returned Rooms" not in queue
    assert "Returned Rooms" in rest and "Accepted Academy" in rest
    assert "Drafting Den" not in page


def _list_queries(client) -> int:
    with count_queries() as statements:
        assert client.get("/self-assessments").status_code == 200
    return len(statements)


def test_la_list_query_count_does_not_grow_with_the_list(client, db, login_as):
    statuses = [SUBMITTED, RETURNED, ACCEPTED]
    for status in statuses:
        make_self_assessment(make_provider(), status)
    login_as(Role.LA_LEAD)
    few = _list_queries(client)
    for status in statuses * 4:
        make_self_assessment(make_provider(), status)
    assert _list_queries(client) == few


def test_provider_list_query_count_does_not_grow_with_the_years(client, db, login_as):
    provider = make_provider()
    make_self_assessment(provider, ACCEPTED, year="2018/19")
    login_as(Role.PROVIDER, provider)
    few = _list_queries(client)
    for year in ("2019/20", "2020/21", "2021/22"):
        make_self_assessment(provider, RETURNED, year=year)
    assert _list_queries(client) == few


# ---- bad input writes nothing -------------------------------------------------------------------


SAFEGUARDING = DEFAULT_AREAS[0][1]
HEALTH = DEFAULT_AREAS[1][1]
BAD_ANSWERS = [
    (
        "draft",
        {"rating_0": "excellent"},
        f"Select whether {SAFEGUARDING} is met, partly met or not met",
    ),
    ("continue", {"rating_0": "excellent"}, f"Select whether {SAFEGUARDING} is met"),
    ("continue", {"rating_1": ""}, f"Select whether {HEALTH} is met, partly met or not met"),
    ("continue", {"evidence_1": "   "}, f"Enter your evidence for {HEALTH}"),
    ("draft", {"evidence_0": "x" * 10001}, "must be 10,000 characters or fewer"),
]


@pytest.mark.parametrize(("action", "overrides", "message"), BAD_ANSWERS)
@pytest.mark.parametrize("status", [DRAFT, RETURNED])
def test_bad_answers_get_a_field_error_and_write_nothing(
    client, db, login_as, action, overrides, message, status
):
    provider = make_provider()
    assessment = make_self_assessment(provider, status)
    login_as(Role.PROVIDER, provider)
    before = _written(db)
    response = submit(client, _path(assessment, "edit"), answers(action=action, **overrides))
    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page
    assert message in page
    assert _written(db) == before


BAD_REVIEWS = [
    (_review("return"), "Say what the provider needs to change"),
    (_review("return", comment_0="   ", review_comment="  "), "Say what the provider needs"),
    (_review(""), "Select whether to accept the self-assessment or return it"),
    (_review("maybe"), "Select whether to accept the self-assessment or return it"),
    (_review(review_comment="x" * 5001), "must be 5,000 characters or fewer"),
    (_review(comment_2="x" * 5001), "must be 5,000 characters or fewer"),
]


@pytest.mark.parametrize(("data", "message"), BAD_REVIEWS)
def test_bad_reviews_get_a_field_error_and_write_nothing(client, db, login_as, data, message):
    assessment = make_self_assessment(make_provider(), SUBMITTED)
    login_as(Role.LA_OFFICER)
    before = _written(db)
    response = submit(client, _path(assessment, "review"), data)
    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page
    assert message in page
    assert _written(db) == before


@pytest.mark.parametrize("status", [SUBMITTED, ACCEPTED])
def test_a_submitted_or_accepted_one_cannot_be_edited(client, db, login_as, status):
    provider = make_provider()
    assessment = make_self_assessment(provider, status)
    login_as(Role.PROVIDER, provider)
    response = client.get(_path(assessment, "edit"))
    assert response.status_code == 302
    assert response.headers["Location"] == _path(assessment)
    assert "cannot be changed" in _text(client.get(_path(assessment)))
    before = _written(db)
    for path, data in [
        (_path(assessment, "edit"), answers(action="draft", rating_0="not_met")),
        (_path(assessment, "edit"), answers(action="continue")),
        (_path(assessment, "check"), {}),
    ]:
        response = submit(client, path, data, form_path=HOME)
        assert response.status_code == 302, path
    assert _written(db) == before


@pytest.mark.parametrize("status", [RETURNED, ACCEPTED])
def test_only_a_submitted_one_can_be_reviewed(client, db, login_as, status):
    assessment = make_self_assessment(make_provider(), status)
    login_as(Role.LA_LEAD)
    response = client.get(_path(assessment, "review"))
    assert response.status_code == 302
    assert "not waiting for review" in _text(client.get(_path(assessment)))
    before = _written(db)
    response = submit(client, _path(assessment, "review"), _review(), form_path=HOME)
    assert response.status_code == 302
    assert _written(db) == before


def test_an_unfinished_draft_goes_back_to_the_form_not_to_the_check_page(client, db, login_as):
    provider = make_provider()
    assessment = make_self_assessment(provider, DRAFT)  # nothing answered
    login_as(Role.PROVIDER, provider)
    response = client.get(_path(assessment, "check"))
    assert response.headers["Location"] == _path(assessment, "edit")
    before = _written(db)
    response = submit(client, _path(assessment, "check"), {}, form_path=HOME)
    assert response.headers["Location"] == _path(assessment, "edit")
    assert _written(db) == before
    assert _fresh(db, assessment).status is DRAFT


def test_a_returned_one_must_be_saved_again_before_it_can_be_resubmitted(client, db, login_as):
    provider = make_provider()
    assessment = make_self_assessment(provider, RETURNED)
    login_as(Role.PROVIDER, provider)
    before = _written(db)
    response = submit(client, _path(assessment, "check"), {}, form_path=HOME)
    assert response.headers["Location"] == _path(assessment, "edit")
    assert _written(db) == before


def test_an_unknown_version_is_not_found(client, db, login_as):
    provider = make_provider()
    assessment = make_self_assessment(provider, SUBMITTED)
    login_as(Role.PROVIDER, provider)
    assert client.get(_path(assessment) + "?version=7").status_code == 404
    assert client.get(_path(assessment) + "?version=1").status_code == 200


# ---- saving a draft -----------------------------------------------------------------------------


def test_save_as_draft_keeps_what_is_filled_in(client, db, login_as):
    provider = make_provider()
    assessment = make_self_assessment(provider, DRAFT)
    login_as(Role.PROVIDER, provider)
    data = {"action": "draft", "rating_0": "partly_met", "evidence_2": "Weekly attendance audit"}
    response = submit(client, _path(assessment, "edit"), data)
    assert response.headers["Location"] == _path(assessment)
    assessment = _fresh(db, assessment)
    [version] = assessment.versions
    entries = version.entries
    assert entries[0].rating is Judgement.PARTLY_MET and entries[0].evidence is None
    assert entries[2].evidence == "Weekly attendance audit" and entries[2].rating is None
    assert assessment.status is DRAFT
    form = _text(client.get(_path(assessment, "edit")))
    assert "Weekly attendance audit" in form
    assert 'value="partly_met" checked' in form


# ---- the whole cycle ----------------------------------------------------------------------------


def test_start_draft_check_submit_return_revise_resubmit_accept(client, db, app):
    provider = make_provider(name="Phoenix Learning")
    staff = make_user(Role.PROVIDER, provider)
    officer = make_user(Role.LA_OFFICER)
    as_provider, as_officer = client, app.test_client()
    sign_in(as_provider, staff)
    sign_in(as_officer, officer)

    # start, fill in part, save as draft
    started = submit(as_provider, "/self-assessments/new", {}, form_path="/self-assessments")
    assessment = db.session.scalars(select(SelfAssessment)).one()
    edit = _path(assessment, "edit")
    assert started.headers["Location"] == edit
    response = submit(as_provider, edit, {"action": "draft", "rating_0": "met"})
    assert response.headers["Location"] == _path(assessment)
    assert client.get(_path(assessment, "check")).headers["Location"] == edit

    # continue to check the answers, then submit
    response = submit(as_provider, edit, answers(action="continue", rating_3="partly_met"))
    assert response.headers["Location"] == _path(assessment, "check")
    check = _text(as_provider.get(_path(assessment, "check")))
    assert "Check your self-assessment before you submit it" in check
    assert "Partly met" in check and f"Our evidence for {DEFAULT_AREAS[5][1]}" in check
    assert _fresh(db, assessment).status is DRAFT  # not sent until they press Submit
    response = submit(as_provider, _path(assessment, "check"), {})
    assert response.headers["Location"] == _path(assessment)
    assessment = _fresh(db, assessment)
    assert assessment.status is SUBMITTED
    assert assessment.versions[0].submitted_by_id == staff.id

    # the LA sees it waiting and returns it with comments
    assert "Phoenix Learning" in _text(as_officer.get("/self-assessments")).split("Returned")[0]
    response = submit(
        as_officer,
        _path(assessment, "review"),
        _review("return", comment_0=LA_COMMENT, review_comment="Please add dates"),
    )
    assert response.headers["Location"] == _path(assessment)
    assessment = _fresh(db, assessment)
    assert assessment.status is RETURNED
    first = assessment.versions[0]
    assert first.review_outcome is RETURNED and first.reviewed_by_id == officer.id
    assert first.review_comment == "Please add dates"
    assert first.entries[0].la_comment == LA_COMMENT
    frozen = [(e.rating, e.evidence, e.la_comment) for e in first.entries]

    # the provider sees the comments beside the fields and revises: version 2
    form = _text(as_provider.get(edit))
    assert LA_COMMENT in form and "Please add dates" in form
    revised = answers(action="continue", evidence_0="Policy reviewed on 3 May")
    assert submit(as_provider, edit, revised).headers["Location"] == _path(assessment, "check")
    assert submit(as_provider, _path(assessment, "check"), {}).status_code == 302
    assessment = _fresh(db, assessment)
    assert assessment.status is SUBMITTED
    first, second = assessment.versions
    assert second.number == 2
    assert second.entries[0].evidence == "Policy reviewed on 3 May"
    assert [(e.rating, e.evidence, e.la_comment) for e in first.entries] == frozen

    # the LA accepts it: the next one is due a year later
    response = submit(as_officer, _path(assessment, "review"), _review("accept"))
    assert response.headers["Location"] == _path(assessment)
    assessment = _fresh(db, assessment)
    assert assessment.status is ACCEPTED
    assert assessment.accepted_on == TODAY
    assert assessment.versions[1].review_outcome is ACCEPTED
    page = _text(as_provider.get(_path(assessment)))
    assert f"Accepted on {govuk_date(TODAY)}" in page
    assert f"due by {govuk_date(add_months(TODAY, 12))}" in page
    assert "Version 2" in page
    older = _text(as_provider.get(_path(assessment) + "?version=1"))
    assert "This is an earlier version" in older and LA_COMMENT in older
    assert as_provider.get(edit).status_code == 302


def test_accepting_moves_the_providers_next_due_date(client, db, login_as):
    provider = make_provider(approved_on=date(2020, 1, 1))
    make_self_assessment(provider, ACCEPTED)
    login_as(Role.PROVIDER, provider)
    page = _text(client.get("/self-assessments"))
    due = govuk_date(add_months(TODAY, 12))
    assert f"Your next self-assessment is due by <strong>{due}</strong>" in page


def test_area_names_are_shown_as_text_not_markup(client, db, login_as):
    db.session.add(QaArea(key="premises", name="Premises <script>alert(1)</script>"))
    db.session.commit()
    provider = make_provider()
    login_as(Role.PROVIDER, provider)
    submit(client, "/self-assessments/new", {}, form_path="/self-assessments")
    assessment = db.session.scalars(select(SelfAssessment)).one()
    page = client.get(_path(assessment, "edit")).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "Premises &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r'class="govuk-hint">\s*</div>', page)  # no empty hints
