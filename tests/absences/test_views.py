"""Same-day absence follow-up through the pages: the provider's unexplained absence reaches the
school at once; the school follows it up or escalates; the LA sees what is left."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from apregister.absences.jobs import raise_cutoff_cases
from apregister.attendance.forms import field_name
from apregister.models import (
    AbsenceCase,
    AbsenceTrigger,
    Attendance,
    AttendanceCode,
    OutboxMessage,
    Role,
    Session,
)
from tests.conftest import (
    SETTINGS_FORM,
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_user,
    sign_in,
    submit,
)

TODAY = date.today()
LAST_MONDAY = TODAY - timedelta(days=TODAY.weekday() + 7)


def _boxes(day: date) -> list[str]:
    """A date as its three boxes (day, month, year)."""
    return [str(day.day), str(day.month), str(day.year)]


FOLLOW_UP = {
    "contacted_whom": "Mother, by telephone",
    # the Monday of the absence: a time that day is in the past whenever the tests run
    "contact_date": _boxes(LAST_MONDAY),
    "contact_time": "09:45",
    "safe_and_well": "yes",
    "reason": "Unwell overnight",
    "dfe_code": "I",
    "escalation": "none",
}


def _cases(db) -> int:
    return db.session.scalar(select(func.count()).select_from(AbsenceCase))


def _scene(db, school=None):
    school = school or make_school()
    provider = make_provider()
    placement = make_placement(
        make_pupil(school, first_name="Hidden"),
        provider,
        start_date=LAST_MONDAY - timedelta(weeks=1),
        session_mask=0b1111111111,
    )
    return school, provider, placement


def _unexplained(app, provider, placement):
    """The provider marks last Monday morning absent, reason not known."""
    client = app.test_client()
    sign_in(client, make_user(Role.PROVIDER, provider))
    name = field_name(placement.id, LAST_MONDAY, Session.AM)
    response = submit(
        client,
        f"/attendance?week={LAST_MONDAY.isoformat()}",
        {name: AttendanceCode.UNEXPLAINED.value},
    )
    assert response.status_code == 302
    return client


def test_an_unexplained_absence_reaches_the_school_at_once(app, client, db):
    school, provider, placement = _scene(db)
    teacher = make_user(Role.SCHOOL, school)
    provider_client = _unexplained(app, provider, placement)
    case = db.session.scalars(select(AbsenceCase)).one()
    assert case.trigger is AbsenceTrigger.UNEXPLAINED
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_email == teacher.email)
    ).one()
    assert "Hidden" not in message.subject + message.body
    assert f"/absences/{case.id}" in message.body
    sign_in(client, teacher)
    home = client.get("/").get_data(as_text=True)
    assert '<strong class="app-work-queue__count">1</strong> absence to follow up' in home
    assert "Hidden" in client.get("/absences").get_data(as_text=True)
    # the provider sees neither the list nor the case: the school's notes are not for it
    assert provider_client.get("/absences").status_code == 403
    assert provider_client.get(f"/absences/{case.id}").status_code == 403


def test_the_school_follows_up_and_the_case_leaves_its_list(app, client, db):
    school, provider, placement = _scene(db)
    _unexplained(app, provider, placement)
    case = db.session.scalars(select(AbsenceCase)).one()
    teacher = make_user(Role.SCHOOL, school)
    sign_in(client, teacher)
    path = f"/absences/{case.id}"
    done = submit(client, path, FOLLOW_UP)
    assert done.status_code == 302
    db.session.refresh(case)
    assert case.safe_and_well is True and case.dfe_code == "I"
    assert case.followed_up_by_id == teacher.id
    assert "<strong>0</strong> absences" in client.get("/absences").get_data(as_text=True)
    assert "Unwell overnight" in client.get(path).get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contacted_whom", "", "Enter who you contacted, and how"),
        ("contact_time", "", "Enter the time you made contact"),
        ("contact_date", ["", "", ""], "Enter the day you made contact"),
        ("contact_date", ["31", "2", "2026"], "The day you made contact must be a real date"),
        (
            "contact_date",
            _boxes(TODAY + timedelta(days=1)),
            "The day you made contact must be today or in the past",
        ),
        (
            "contact_date",
            _boxes(LAST_MONDAY - timedelta(days=1)),
            "The day you made contact must be on or after the absence",
        ),
        ("contact_time", "quarter past", "Enter the time in 24-hour time"),
        ("safe_and_well", "", "Select whether the pupil is safe and well"),
        ("reason", "", "Enter the reason for the absence"),
        ("dfe_code", "Z", "Select the code the session is recorded under"),
        ("escalation", "childrens_social_care", "Enter what you have done, and who you told"),
    ],
)
def test_bad_follow_up_gets_a_field_error_and_writes_nothing(
    app, client, db, field, value, message
):
    school, provider, placement = _scene(db)
    _unexplained(app, provider, placement)
    case = db.session.scalars(select(AbsenceCase)).one()
    sign_in(client, make_user(Role.SCHOOL, school))
    response = submit(client, f"/absences/{case.id}", FOLLOW_UP | {field: value})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    db.session.refresh(case)
    assert case.followed_up_at is None


def test_another_school_cannot_see_or_resolve_the_absence(app, client, db):
    school, provider, placement = _scene(db)
    _unexplained(app, provider, placement)
    case = db.session.scalars(select(AbsenceCase)).one()
    sign_in(client, make_user(Role.SCHOOL, make_school()))
    assert client.get(f"/absences/{case.id}").status_code == 404
    token_page = client.get("/absences")
    assert "Hidden" not in token_page.get_data(as_text=True)
    from tests.conftest import csrf_token

    token = csrf_token(client, "/absences")
    response = client.post(f"/absences/{case.id}", data={"csrf_token": token, **FOLLOW_UP})
    assert response.status_code == 404
    db.session.refresh(case)
    assert case.followed_up_at is None


def test_an_escalation_stays_on_the_las_list_until_closed(app, client, db):
    school, provider, placement = _scene(db)
    _unexplained(app, provider, placement)
    case = db.session.scalars(select(AbsenceCase)).one()
    sign_in(client, make_user(Role.SCHOOL, school))
    submit(
        client,
        f"/absences/{case.id}",
        FOLLOW_UP
        | {
            "safe_and_well": "no",
            "escalation": "child_missing_education",
            "escalation_note": "Told the CME officer",
        },
    )
    la = app.test_client()
    sign_in(la, make_user(Role.LA_OFFICER))
    home = la.get("/").get_data(as_text=True)
    assert '<strong class="app-work-queue__count">1</strong> escalated absence still open' in home
    assert "Hidden" in la.get("/absences?status=escalated").get_data(as_text=True)
    empty = submit(
        la, f"/absences/{case.id}/close-escalation", {"note": ""}, form_path=f"/absences/{case.id}"
    )
    assert empty.status_code == 302
    db.session.refresh(case)
    assert case.escalation_closed_at is None
    submit(
        la,
        f"/absences/{case.id}/close-escalation",
        {"note": "Found a school place"},
        form_path=f"/absences/{case.id}",
    )
    db.session.refresh(case)
    assert case.escalation_closed_at is not None
    assert "<strong>0</strong> absences" in la.get("/absences?status=escalated").get_data(
        as_text=True
    )


def test_an_absence_left_past_the_next_school_day_reaches_the_la(app, client, db):
    school, _, placement = _scene(db)
    old = TODAY - timedelta(days=7)
    db.session.add(
        AbsenceCase(
            placement_id=placement.id,
            date=old,
            session=Session.AM,
            trigger=AbsenceTrigger.NOT_RECORDED,
        )
    )
    db.session.commit()
    sign_in(client, make_user(Role.LA_LEAD))
    listed = client.get("/absences?status=late").get_data(as_text=True)
    assert "Hidden" in listed and "<strong>1</strong> absence" in listed


def test_the_cut_off_raises_a_case_for_each_unrecorded_session_once(app, db):
    school, provider, placement = _scene(db)
    teacher = make_user(Role.SCHOOL, school)
    day = TODAY if TODAY.weekday() < 5 else TODAY - timedelta(days=TODAY.weekday() - 4)
    if day != TODAY:
        pytest.skip("the cut-off job only looks at today's sessions, a weekday")
    recorded = make_placement(make_pupil(school), provider, session_mask=0b1111111111)
    db.session.add(
        Attendance(
            placement_id=recorded.id, date=day, session=Session.AM, code=AttendanceCode.PRESENT
        )
    )
    db.session.commit()
    after_cutoff = datetime(day.year, day.month, day.day, 11, 45, tzinfo=UTC)
    with app.test_request_context():
        assert raise_cutoff_cases(after_cutoff) == 1
        db.session.commit()
        assert raise_cutoff_cases(after_cutoff) == 0
    case = db.session.scalars(select(AbsenceCase)).one()
    assert (case.placement_id, case.trigger) == (placement.id, AbsenceTrigger.NOT_RECORDED)
    assert db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_email == teacher.email)
    ).first()
    from apregister.models import AuditAction, AuditEvent

    [logged] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.table_name == "absence_cases")
    ).all()
    assert (logged.action, logged.record_id) == (AuditAction.INSERT, str(case.id))


def test_the_la_lead_sets_the_cut_offs_and_the_pattern(client, db, login_as):
    from apregister.models import LaSettings

    login_as(Role.LA_LEAD)
    form = SETTINGS_FORM | {
        "am_cutoff": "25:00",
        "pm_cutoff": "14:30",
    }
    bad = submit(client, "/settings", form)
    assert "Enter the morning cut-off time in 24-hour time" in bad.get_data(as_text=True)
    assert db.session.scalars(select(LaSettings)).first() is None
    assert submit(client, "/settings", form | {"am_cutoff": "9:50"}).status_code == 302
    assert db.session.scalars(select(LaSettings)).one().am_cutoff == "09:50"


def test_the_absence_list_costs_the_same_however_many_cases(client, db, login_as):
    from tests.conftest import count_queries

    school, _, placement = _scene(db)
    login_as(Role.SCHOOL, school)

    def add(days):
        for n in days:
            db.session.add(
                AbsenceCase(
                    placement_id=make_placement(make_pupil(school)).id,
                    date=TODAY - timedelta(days=n),
                    session=Session.AM,
                    trigger=AbsenceTrigger.NOT_RECORDED,
                )
            )
        db.session.commit()

    add([1])
    client.get("/absences")
    with count_queries() as few:
        client.get("/absences")
    add(range(2, 12))
    with count_queries() as many:
        page = client.get("/absences").get_data(as_text=True)
    assert "<strong>11</strong> absences" in page
    assert len(many) == len(few)


def test_a_contact_time_later_than_now_is_refused(app):
    from werkzeug.datastructures import MultiDict

    from apregister.absences.forms import FollowUpForm

    now = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # 09:00 in London (GMT)
    fields = FOLLOW_UP | {"contact_date": _boxes(date(2026, 3, 10))}
    data = MultiDict(
        [(k, v) for k, vs in fields.items() for v in (vs if isinstance(vs, list) else [vs])]
    )
    with app.test_request_context(method="POST"):
        app.config["WTF_CSRF_ENABLED"] = False
        try:
            data.setlist("contact_time", ["10:30"])
            late = FollowUpForm(data, absence_date=date(2026, 3, 10), now=now)
            assert not late.validate()
            assert late.errors == {
                "contact_time": ["The time you made contact must be now or in the past"]
            }
            data.setlist("contact_time", ["08:50"])
            early = FollowUpForm(data, absence_date=date(2026, 3, 10), now=now)
            assert early.validate(), early.errors
            assert early.contacted_at() == datetime(2026, 3, 10, 8, 50, tzinfo=UTC)
        finally:
            app.config["WTF_CSRF_ENABLED"] = True


def test_the_present_choice_names_the_code_the_placement_takes(app, client, db):
    school, provider, placement = _scene(db)
    _unexplained(app, provider, placement)
    case = db.session.scalars(select(AbsenceCase)).one()
    sign_in(client, make_user(Role.SCHOOL, school))
    page = client.get(f"/absences/{case.id}").get_data(as_text=True)
    assert "At the provision after all (B)" in page  # the school arranged it
    assert "(K or B)" not in page


def test_the_provider_never_sees_the_schools_follow_up(app, client, db):
    school, provider, placement = _scene(db)
    provider_client = _unexplained(app, provider, placement)
    case = db.session.scalars(select(AbsenceCase)).one()
    sign_in(client, make_user(Role.SCHOOL, school))
    assert submit(client, f"/absences/{case.id}", FOLLOW_UP).status_code == 302
    assert provider_client.get(f"/absences/{case.id}").status_code == 403
    assert provider_client.get("/absences").status_code == 403
    for path in (f"/placements/{placement.id}", f"/attendance?week={LAST_MONDAY.isoformat()}"):
        page = provider_client.get(path)
        assert page.status_code == 200, path
        text = page.get_data(as_text=True)
        assert "Unwell overnight" not in text and "Mother, by telephone" not in text, path
