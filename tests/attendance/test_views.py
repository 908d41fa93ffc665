import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from apregister.attendance.forms import field_name
from apregister.attendance.queries import week_monday
from apregister.models import (
    Attendance,
    AttendanceCode,
    AuditAction,
    AuditEvent,
    Role,
    SenStatus,
    Session,
)
from apregister.placements import operations
from apregister.placements.rules import mask_from
from apregister.pupils import rules as pupil_rules
from tests.conftest import (
    count_queries,
    make_la,
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    submit,
)

TODAY = date.today()
THIS_MONDAY = week_monday(TODAY)
LAST_MONDAY = THIS_MONDAY - timedelta(weeks=1)  # a week wholly in the past, whatever today is
NEXT_MONDAY = THIS_MONDAY + timedelta(weeks=1)  # a week wholly in the future
YEAR_9 = date(pupil_rules.academic_year_start(TODAY) - 14, 10, 1)
AM, PM = Session.AM, Session.PM


def _day(monday: date, weekday: int) -> date:
    return monday + timedelta(days=weekday)


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _path(monday: date = LAST_MONDAY) -> str:
    return f"/attendance?week={monday.isoformat()}"


def _selects(page: str) -> dict[str, str]:
    """What a browser would post: every select on the page with its selected value."""
    found = {}
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        selected = re.search(r'<option value="([^"]*)" selected>', body)
        found[name] = selected.group(1) if selected else ""
    return found


def _rows(db) -> dict[tuple[int, date, Session], AttendanceCode]:
    db.session.expire_all()
    return {
        (row.placement_id, row.date, row.session): row.code
        for row in db.session.scalars(select(Attendance))
    }


def _scene(provider=None, **overrides):
    """A pupil placed with `provider` on Monday and Wednesday, running through LAST week."""
    provider = provider or make_provider()
    school = make_school(name="Hillside Academy")
    pupil = make_pupil(
        school,
        first_name="Ada",
        last_name="Lovelace",
        date_of_birth=YEAR_9,
        sen_status=SenStatus.EHC_PLAN,
    )
    values = {
        "start_date": LAST_MONDAY - timedelta(weeks=2),
        "session_mask": mask_from(["mon_am", "mon_pm", "wed_am"]),
    } | overrides
    return provider, pupil, make_placement(pupil, provider, **values)


def _post(client, data: dict, monday: date = LAST_MONDAY):
    return submit(client, _path(monday), data)


# ---- who may use the register ------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_only_provider_staff_may_open_or_post_the_register(client, db, login_as, role):
    provider, _, placement = _scene()
    login_as(role, provider if role is Role.PROVIDER else None)
    expected = 200 if role is Role.PROVIDER else 403
    assert client.get("/attendance").status_code == expected
    assert client.get(_path()).status_code == expected
    if role is not Role.PROVIDER:
        name = field_name(placement.id, LAST_MONDAY, AM)
        # any page's sign-out form gives the token (the LA home page's own queries are not
        # under test here)
        response = submit(client, _path(), {name: "present"}, form_path="/accessibility-statement")
        assert response.status_code == 403
        assert _rows(db) == {}


def test_signed_out_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/attendance")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


# ---- what the register shows ------------------------------------------------------------------


def test_register_shows_name_and_year_group_but_never_upn_sen_or_school(client, db, login_as):
    provider, pupil, _ = _scene()
    login_as(Role.PROVIDER, provider)
    page = _text(client.get(_path()))
    assert "Ada Lovelace" in page
    assert "Year 9" in page
    assert pupil.upn not in page
    assert "EHC plan" not in page
    assert "Hillside Academy" not in page
    assert "Lovelace" not in "".join(_selects(page))  # field names carry no names


def test_register_lists_only_placements_running_that_week(client, db, login_as):
    provider = make_provider()
    friday = _day(LAST_MONDAY, 4)

    def placed(last_name, **overrides):
        make_placement(make_pupil(last_name=last_name), provider, **overrides)

    placed("Running", start_date=LAST_MONDAY - timedelta(weeks=3))
    placed("StartsFriday", start_date=friday)
    placed("EndsMonday", start_date=LAST_MONDAY - timedelta(weeks=3), actual_end=LAST_MONDAY)
    placed("PlannedEndMonday", start_date=LAST_MONDAY - timedelta(weeks=3), planned_end=LAST_MONDAY)
    placed("StartsNextWeek", start_date=THIS_MONDAY)
    placed(
        "EndedBefore",
        start_date=LAST_MONDAY - timedelta(weeks=5),
        actual_end=LAST_MONDAY - timedelta(days=3),
    )
    placed(
        "Cancelled",
        start_date=LAST_MONDAY - timedelta(weeks=3),
        cancelled_on=LAST_MONDAY - timedelta(weeks=4),
    )
    make_placement(make_pupil(last_name="OtherProvider"), make_provider())
    login_as(Role.PROVIDER, provider)
    page = _text(client.get(_path()))
    for shown in ("Running", "StartsFriday", "EndsMonday", "PlannedEndMonday"):
        assert f"Sam {shown}" in page, shown
    for hidden in ("StartsNextWeek", "EndedBefore", "Cancelled", "OtherProvider"):
        assert f"Sam {hidden}" not in page, hidden


def test_register_is_an_accessible_table_with_a_labelled_select_per_session(client, db, login_as):
    provider, _, placement = _scene()
    login_as(Role.PROVIDER, provider)
    page = _text(client.get(_path()))
    assert "<caption" in page and f"week beginning {LAST_MONDAY.day}" in page
    assert page.count('<th scope="col"') == 12  # pupil, year group, ten sessions
    assert '<th scope="row"' in page
    monday_am = field_name(placement.id, LAST_MONDAY, AM)
    assert f'name="{monday_am}"' in page
    assert f"mark-{placement.id}-{LAST_MONDAY.isoformat()}-AM" == monday_am
    label = re.search(rf'<label[^>]*for="{monday_am}"[^>]*>([^<]+)</label>', page)
    assert label is not None
    assert "Ada Lovelace" in label.group(1)
    assert "Monday" in label.group(1) and "AM" in label.group(1)
    for option in ("Present (B)", "Authorised absence (C)", "Unauthorised absence (O)"):
        assert option in page
    assert "Not required (X)" in page


def test_a_placement_the_la_arranged_shows_present_as_k_not_b(client, db, login_as):
    provider, _, by_school = _scene()
    la = make_la()
    _, _, by_la = _scene(provider, commissioner_id=la.id)
    login_as(Role.PROVIDER, provider)
    page = _text(client.get(_path()))
    monday_am = {
        placement: page[page.index(f'name="{field_name(placement.id, LAST_MONDAY, AM)}"') :]
        for placement in (by_school, by_la)
    }
    for placement, code in ((by_school, "B"), (by_la, "K")):
        options = monday_am[placement][: monday_am[placement].index("</select>")]
        assert f"Present ({code})" in options
        assert "Absent, reason not known (N)" in options


def test_only_sessions_in_the_pattern_and_dates_have_a_select(client, db, login_as):
    # pattern Monday AM, Monday PM and Wednesday AM; the placement starts on Monday afternoon's
    # day but ends on Tuesday, so Wednesday is outside its dates
    provider, _, placement = _scene(start_date=LAST_MONDAY, actual_end=_day(LAST_MONDAY, 1))
    login_as(Role.PROVIDER, provider)
    page = _text(client.get(_path()))
    assert set(_selects(page)) == {
        field_name(placement.id, LAST_MONDAY, AM),
        field_name(placement.id, LAST_MONDAY, PM),
    }
    assert page.count("no session") == 8


def test_a_future_week_has_no_selects_and_no_save_button(client, db, login_as):
    provider, _, _ = _scene(start_date=LAST_MONDAY)
    login_as(Role.PROVIDER, provider)
    page = _text(client.get(_path(NEXT_MONDAY)))
    assert "Ada Lovelace" in page
    assert _selects(page) == {}
    assert "Save attendance" not in page
    assert "not happened yet" in page


def test_register_shows_what_is_recorded(client, db, login_as):
    provider, _, placement = _scene()
    db.session.add(
        Attendance(
            placement_id=placement.id, date=LAST_MONDAY, session=AM, code=AttendanceCode.AUTHORISED
        )
    )
    db.session.commit()
    login_as(Role.PROVIDER, provider)
    selects = _selects(_text(client.get(_path())))
    assert selects[field_name(placement.id, LAST_MONDAY, AM)] == "authorised"
    assert selects[field_name(placement.id, LAST_MONDAY, PM)] == ""


def test_a_provider_with_no_pupils_that_week_is_told_so(client, db, login_as):
    login_as(Role.PROVIDER)
    page = _text(client.get(_path()))
    assert "No pupils are placed with you" in page
    assert "Save attendance" not in page


# ---- weeks -------------------------------------------------------------------------------------


def test_any_date_opens_the_week_it_falls_in(client, db, login_as):
    login_as(Role.PROVIDER)
    wednesday = _day(LAST_MONDAY, 2)
    page = _text(client.get(f"/attendance?week={wednesday.isoformat()}"))
    assert f"Week beginning {LAST_MONDAY.day} {LAST_MONDAY:%B %Y}" in page
    previous = (LAST_MONDAY - timedelta(weeks=1)).isoformat()
    assert f"/attendance?week={previous}" in page
    assert f"/attendance?week={THIS_MONDAY.isoformat()}" in page
    assert "Go to this week" in page


def test_the_register_opens_on_this_week(client, db, login_as):
    login_as(Role.PROVIDER)
    page = _text(client.get("/attendance"))
    assert f"Week beginning {THIS_MONDAY.day} {THIS_MONDAY:%B %Y}" in page
    assert "Go to this week" not in page


@pytest.mark.parametrize("week", ["nonsense", "2025-02-30", "", "0001-01-01", "9999-12-31"])
def test_an_unreadable_week_opens_this_week(client, db, login_as, week):
    login_as(Role.PROVIDER)
    response = client.get(f"/attendance?week={week}")
    assert response.status_code == 200
    assert f"Week beginning {THIS_MONDAY.day} {THIS_MONDAY:%B %Y}" in _text(response)


# ---- saving ------------------------------------------------------------------------------------


def test_saving_a_week_creates_changes_and_clears_sessions(client, db, login_as):
    provider, _, placement = _scene()
    user = login_as(Role.PROVIDER, provider)
    mon_am = field_name(placement.id, LAST_MONDAY, AM)
    mon_pm = field_name(placement.id, LAST_MONDAY, PM)
    wed_am = field_name(placement.id, _day(LAST_MONDAY, 2), AM)

    response = _post(client, {mon_am: "present", mon_pm: "unauthorised", wed_am: ""})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(_path())
    assert _rows(db) == {
        (placement.id, LAST_MONDAY, AM): AttendanceCode.PRESENT,
        (placement.id, LAST_MONDAY, PM): AttendanceCode.UNAUTHORISED,
    }
    recorded_by = db.session.scalars(select(Attendance.recorded_by_id)).all()
    assert recorded_by == [user.id, user.id]
    page = _text(client.get(response.headers["Location"]))
    assert f"Attendance saved for the week beginning {LAST_MONDAY.day}" in page

    # the browser posts the page back as it was, with two changes
    values = _selects(page) | {mon_pm: "authorised", wed_am: "not_required"}
    assert _post(client, values).status_code == 302
    assert _rows(db) == {
        (placement.id, LAST_MONDAY, AM): AttendanceCode.PRESENT,
        (placement.id, LAST_MONDAY, PM): AttendanceCode.AUTHORISED,
        (placement.id, _day(LAST_MONDAY, 2), AM): AttendanceCode.NOT_REQUIRED,
    }

    # blank clears a session
    assert _post(client, {mon_am: "", mon_pm: "authorised", wed_am: ""}).status_code == 302
    assert _rows(db) == {(placement.id, LAST_MONDAY, PM): AttendanceCode.AUTHORISED}


def test_saving_an_unchanged_page_writes_nothing(client, db, login_as):
    provider, _, placement = _scene()
    db.session.add(
        Attendance(
            placement_id=placement.id, date=LAST_MONDAY, session=AM, code=AttendanceCode.PRESENT
        )
    )
    db.session.commit()
    login_as(Role.PROVIDER, provider)
    values = _selects(_text(client.get(_path())))
    before = db.session.scalar(select(Attendance.updated_at))
    assert _post(client, values).status_code == 302
    assert _rows(db) == {(placement.id, LAST_MONDAY, AM): AttendanceCode.PRESENT}
    assert db.session.scalar(select(Attendance.updated_at)) == before


def test_one_post_saves_every_pupil_in_the_week(client, db, login_as):
    provider = make_provider()
    placements = [
        make_placement(make_pupil(), provider, start_date=LAST_MONDAY - timedelta(weeks=1))
        for _ in range(3)
    ]
    login_as(Role.PROVIDER, provider)
    values = {
        field_name(p.id, _day(LAST_MONDAY, weekday), session): "present"
        for p in placements
        for weekday in range(5)
        for session in (AM, PM)
    }
    assert _post(client, values).status_code == 302
    assert len(_rows(db)) == 30


def test_todays_sessions_can_be_recorded_but_not_tomorrows(client, db, login_as):
    provider, _, placement = _scene(
        start_date=THIS_MONDAY - timedelta(weeks=1), session_mask=0b1111111111
    )
    login_as(Role.PROVIDER, provider)
    selects = _selects(_text(client.get("/attendance")))
    if TODAY.weekday() < 5:
        assert field_name(placement.id, TODAY, PM) in selects
    tomorrow = TODAY + timedelta(days=1)
    assert field_name(placement.id, tomorrow, AM) not in selects


def test_a_clash_with_another_save_is_reported_and_nothing_is_written(
    client, db, login_as, monkeypatch
):
    provider, _, placement = _scene()
    login_as(Role.PROVIDER, provider)

    def clash(placement, marks, *, by):
        db.session.add(
            Attendance(
                placement_id=placement.id, date=LAST_MONDAY, session=AM, code=AttendanceCode.PRESENT
            )
        )
        db.session.flush()
        raise IntegrityError("INSERT", {}, Exception("unique"))

    monkeypatch.setattr(operations, "record_attendance", clash)
    response = _post(client, {field_name(placement.id, LAST_MONDAY, AM): "authorised"})
    assert response.status_code == 200
    page = _text(response)
    assert "Someone else saved attendance for this week at the same moment" in page
    assert _selects(page)[field_name(placement.id, LAST_MONDAY, AM)] == "authorised"
    assert _rows(db) == {}


# ---- bad input ---------------------------------------------------------------------------------


def _bad_post(client, db, placement, extra: dict, monday: date = LAST_MONDAY):
    """Post a good mark with something bad: the page shows an error and nothing is written."""
    good = {field_name(placement.id, LAST_MONDAY, AM): "present"} if monday == LAST_MONDAY else {}
    response = _post(client, good | extra, monday)
    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page
    assert _rows(db) == {}
    return page


def test_an_unknown_code_is_refused(client, db, login_as):
    provider, _, placement = _scene()
    login_as(Role.PROVIDER, provider)
    name = field_name(placement.id, LAST_MONDAY, PM)
    page = _bad_post(client, db, placement, {name: "late"})
    assert "Select present, authorised absence, unauthorised absence or not required" in page
    assert f'href="#{name}"' in page
    assert "govuk-select--error" in page
    assert "<title>Error:" in page


def test_a_session_outside_the_pattern_is_refused(client, db, login_as):
    provider, _, placement = _scene()
    login_as(Role.PROVIDER, provider)
    tuesday_am = field_name(placement.id, _day(LAST_MONDAY, 1), AM)
    page = _bad_post(client, db, placement, {tuesday_am: "present"})
    assert "Ada Lovelace has no session on Tuesday" in page
    assert f'href="#{tuesday_am}"' in page


def test_a_session_outside_the_dates_is_refused(client, db, login_as):
    provider, _, placement = _scene(start_date=_day(LAST_MONDAY, 2))
    login_as(Role.PROVIDER, provider)
    monday_am = field_name(placement.id, LAST_MONDAY, AM)
    response = _post(client, {monday_am: "present"})
    assert response.status_code == 200
    assert "Ada Lovelace has no session on Monday" in _text(response)
    assert _rows(db) == {}


def test_a_future_session_is_refused(client, db, login_as):
    provider, _, placement = _scene(
        start_date=LAST_MONDAY, planned_end=NEXT_MONDAY + timedelta(weeks=2)
    )
    login_as(Role.PROVIDER, provider)
    future = field_name(placement.id, NEXT_MONDAY, AM)
    response = _post(client, {future: "present"}, NEXT_MONDAY)
    assert response.status_code == 200
    assert "it has not happened" in _text(response)
    assert _rows(db) == {}


@pytest.mark.parametrize(
    "name",
    [
        "mark",
        "mark-",
        "mark-abc-2025-03-03-AM",
        "mark-{id}-2025-02-30-AM",
        "mark-{id}-{monday}-XX",
        "mark-{id}-{monday}-am",
        "mark-{id}-{monday}-AM-extra",
        "mark-99999999999999999999-{monday}-AM",
        "mark-{id}-{last_year}-AM",
        "Ada Lovelace",
        "mark-{id}-{monday}",
        "",
    ],
)
def test_malformed_field_names_are_refused(client, db, login_as, name):
    provider, _, placement = _scene()
    login_as(Role.PROVIDER, provider)
    name = name.format(
        id=placement.id,
        monday=LAST_MONDAY.isoformat(),
        last_year=(LAST_MONDAY - timedelta(weeks=1)).isoformat(),
    )
    page = _bad_post(client, db, placement, {name: "present"})
    assert "could not be read" in page


def test_a_session_posted_twice_is_refused(client, db, login_as):
    provider, _, placement = _scene()
    login_as(Role.PROVIDER, provider)
    name = field_name(placement.id, LAST_MONDAY, PM)
    token_page = client.get(_path()).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', token_page).group(1)
    response = client.post(_path(), data={"csrf_token": token, name: ["present", "unauthorised"]})
    assert response.status_code == 200
    assert "could not be read" in _text(response)
    assert _rows(db) == {}


def test_errors_keep_what_was_entered(client, db, login_as):
    provider, _, placement = _scene()
    login_as(Role.PROVIDER, provider)
    mon_am = field_name(placement.id, LAST_MONDAY, AM)
    mon_pm = field_name(placement.id, LAST_MONDAY, PM)
    page = _bad_post(client, db, placement, {mon_pm: "late"})
    assert _selects(page)[mon_am] == "present"


def test_own_placement_not_running_that_week_is_refused(client, db, login_as):
    provider, _, placement = _scene()
    _, _, later = _scene(provider, start_date=THIS_MONDAY)
    login_as(Role.PROVIDER, provider)
    page = _bad_post(client, db, placement, {field_name(later.id, LAST_MONDAY, AM): "present"})
    assert "could not be read" in page


# ---- another provider ----------------------------------------------------------------------------


def test_another_provider_sees_none_of_the_pupils_and_cannot_record_them(client, db, login_as):
    provider, pupil, placement = _scene()
    other = make_provider()
    make_placement(make_pupil(last_name="Theirs"), other, start_date=LAST_MONDAY)
    login_as(Role.PROVIDER, other)
    page = _text(client.get(_path()))
    assert "Sam Theirs" in page
    assert "Ada Lovelace" not in page
    assert pupil.upn not in page
    assert not any(name.startswith(f"mark-{placement.id}-") for name in _selects(page))

    response = _post(client, {field_name(placement.id, LAST_MONDAY, AM): "present"})
    assert response.status_code == 404
    assert _rows(db) == {}
    refusal = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.ACCESS_REFUSED)
    ).one()
    assert refusal.table_name == "placements"
    assert refusal.record_id == str(placement.id)


def test_a_mark_for_another_providers_pupil_spoils_the_whole_post(client, db, login_as):
    provider, _, placement = _scene()
    other = make_provider()
    mine = make_placement(make_pupil(), other, start_date=LAST_MONDAY)
    login_as(Role.PROVIDER, other)
    response = _post(
        client,
        {
            field_name(mine.id, LAST_MONDAY, AM): "present",
            field_name(placement.id, LAST_MONDAY, AM): "present",
        },
    )
    assert response.status_code == 404
    assert _rows(db) == {}


def test_a_placement_that_does_not_exist_answers_404(client, db, login_as):
    provider, _, placement = _scene()
    login_as(Role.PROVIDER, provider)
    response = _post(client, {field_name(placement.id + 1000, LAST_MONDAY, AM): "present"})
    assert response.status_code == 404
    assert _rows(db) == {}


# ---- performance -------------------------------------------------------------------------------


def _add_pupils(db, provider, n: int) -> None:
    for _ in range(n):
        placement = make_placement(
            make_pupil(), provider, start_date=LAST_MONDAY - timedelta(weeks=1)
        )
        db.session.add_all(
            Attendance(
                placement_id=placement.id,
                date=_day(LAST_MONDAY, weekday),
                session=AM,
                code=AttendanceCode.PRESENT,
            )
            for weekday in range(5)
        )
    db.session.commit()


def test_the_register_runs_the_same_queries_however_many_pupils(client, db, login_as):
    provider = make_provider()
    _add_pupils(db, provider, 1)
    login_as(Role.PROVIDER, provider)
    client.get(_path())
    with count_queries() as few:
        assert client.get(_path()).status_code == 200
    _add_pupils(db, provider, 8)
    with count_queries() as many:
        page = _text(client.get(_path()))
    assert page.count("selected>Present (B)") == 45
    assert len(many) == len(few)
