import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from apregister.attendance.forms import field_name
from apregister.attendance.queries import school_day_on_or_before, week_monday
from apregister.models import (
    AbsenceCase,
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


def _path(day: date = LAST_MONDAY) -> str:
    return f"/attendance?day={day.isoformat()}"


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


def _post(client, data: dict, day: date = LAST_MONDAY):
    return submit(client, _path(day), data)


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


def test_register_lists_only_placements_with_a_session_that_day(client, db, login_as):
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
    placed(
        "NotOnMondays",
        start_date=LAST_MONDAY - timedelta(weeks=3),
        session_mask=mask_from(["tue_am", "fri_pm"]),
    )
    make_placement(make_pupil(last_name="OtherProvider"), make_provider())
    login_as(Role.PROVIDER, provider)
    page = _text(client.get(_path()))
    for shown in ("Running", "EndsMonday", "PlannedEndMonday"):
        assert f"Sam {shown}" in page, shown
    for hidden in (
        "StartsFriday",
        "StartsNextWeek",
        "EndedBefore",
        "Cancelled",
        "NotOnMondays",
        "OtherProvider",
    ):
        assert f"Sam {hidden}" not in page, hidden
    assert "3 pupils on Monday" in page
    friday_page = _text(client.get(_path(friday)))
    for shown in ("Running", "StartsFriday", "NotOnMondays"):
        assert f"Sam {shown}" in friday_page, shown
    assert "Sam EndsMonday" not in friday_page


def test_each_pupil_is_a_fieldset_with_a_labelled_select_per_session(client, db, login_as):
    provider, _, placement = _scene()
    login_as(Role.PROVIDER, provider)
    page = _text(client.get(_path()))
    legend = re.search(r"<legend[^>]*>(.*?)</legend>", page, re.S)
    assert legend is not None and "Ada Lovelace" in legend.group(1)
    assert "Year 9" in legend.group(1)
    assert "<table" not in page  # no week of columns to scroll sideways
    monday_am = field_name(placement.id, LAST_MONDAY, AM)
    assert f'name="{monday_am}"' in page
    assert f"mark-{placement.id}-{LAST_MONDAY.isoformat()}-AM" == monday_am
    for name, words in (
        (monday_am, "Morning"),
        (field_name(placement.id, LAST_MONDAY, PM), "Afternoon"),
    ):
        label = re.search(rf'<label[^>]*for="{name}"[^>]*>(.*?)</label>', page, re.S)
        assert label is not None
        text = re.sub(r"<[^>]+>", "", label.group(1))
        assert text.startswith(words) and "Ada Lovelace" in text
    for option in ("Present (B)", "Authorised absence (C)", "Unauthorised absence (O)"):
        assert option in page
    assert "Not required (X)" in page
    assert f"Monday {LAST_MONDAY.day} {LAST_MONDAY:%B %Y}" in page


def test_typing_a_gives_absent_reason_not_known_before_authorised(client, db, login_as):
    """A select picks the first choice that starts with the letter typed: "a" for absent must
    never record an authorised absence by mistake."""
    provider, _, placement = _scene()
    login_as(Role.PROVIDER, provider)
    page = _text(client.get(_path()))
    name = field_name(placement.id, LAST_MONDAY, AM)
    body = page[page.index(f'name="{name}"') :]
    options = re.findall(r"<option[^>]*>([^<]+)</option>", body[: body.index("</select>")])
    assert options[:2] == ["Not recorded", "Present (B)"]
    assert [o for o in options if o.startswith("A")][0] == "Absent, reason not known (N)"
    assert [o for o in options if o.startswith("P")] == ["Present (B)"]


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


def test_only_the_placements_sessions_that_day_have_a_select(client, db, login_as):
    # pattern Monday AM, Monday PM and Wednesday AM
    provider, _, placement = _scene()
    login_as(Role.PROVIDER, provider)
    wednesday = _day(LAST_MONDAY, 2)
    page = _text(client.get(_path(wednesday)))
    assert set(_selects(page)) == {field_name(placement.id, wednesday, AM)}
    assert "No afternoon session" in page
    assert set(_selects(_text(client.get(_path())))) == {
        field_name(placement.id, LAST_MONDAY, AM),
        field_name(placement.id, LAST_MONDAY, PM),
    }


def test_a_future_day_has_no_selects_and_no_buttons(client, db, login_as):
    provider, _, _ = _scene(start_date=LAST_MONDAY)
    login_as(Role.PROVIDER, provider)
    page = _text(client.get(_path(NEXT_MONDAY)))
    assert "Ada Lovelace" in page
    assert _selects(page) == {}
    assert "Save attendance" not in page
    assert "Mark everyone not yet recorded as present" not in page
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


def test_a_provider_with_no_pupils_that_day_is_told_so(client, db, login_as):
    login_as(Role.PROVIDER)
    page = _text(client.get(_path()))
    assert "No pupils placed with you have a session on" in page
    assert "Save attendance" not in page
    assert "Mark everyone not yet recorded as present" not in page


# ---- days --------------------------------------------------------------------------------------


def _long(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def test_a_day_links_to_the_school_days_either_side_landing_on_the_register(client, db, login_as):
    login_as(Role.PROVIDER)
    page = _text(client.get(_path()))
    assert f'<span class="govuk-caption-l">{_long(LAST_MONDAY)}</span>' in page
    friday_before = LAST_MONDAY - timedelta(days=3)
    assert f"/attendance?day={friday_before.isoformat()}#register" in page
    assert f"/attendance?day={_day(LAST_MONDAY, 1).isoformat()}#register" in page
    assert "Go to " in page and "register</a>" in page
    assert 'id="register"' in page
    # the date picker lands on the register too
    assert 'action="/attendance#register"' in page
    assert 'type="date"' in page and 'name="day"' in page


def test_the_register_opens_on_today_or_the_last_school_day(client, db, login_as):
    login_as(Role.PROVIDER)
    page = _text(client.get("/attendance"))
    shown = school_day_on_or_before(TODAY)
    assert f'<span class="govuk-caption-l">{_long(shown)}</span>' in page
    assert "Next school day" not in page  # no link to a day that has not happened
    assert "register</a>" not in page or "Go to " not in page


def test_a_weekend_day_opens_the_friday_before(client, db, login_as):
    login_as(Role.PROVIDER)
    saturday = _day(LAST_MONDAY, 5)
    page = _text(client.get(_path(saturday)))
    friday = _day(LAST_MONDAY, 4)
    assert f'<span class="govuk-caption-l">{_long(friday)}</span>' in page
    assert f"{_long(saturday)} is not a school day" in page


def test_the_old_week_address_opens_its_monday(client, db, login_as):
    provider, _, placement = _scene()
    login_as(Role.PROVIDER, provider)
    wednesday = _day(LAST_MONDAY, 2)
    page = _text(client.get(f"/attendance?week={wednesday.isoformat()}"))
    assert f'<span class="govuk-caption-l">{_long(LAST_MONDAY)}</span>' in page
    name = field_name(placement.id, LAST_MONDAY, AM)
    response = submit(client, f"/attendance?week={LAST_MONDAY.isoformat()}", {name: "present"})
    assert response.status_code == 302
    assert _rows(db) == {(placement.id, LAST_MONDAY, AM): AttendanceCode.PRESENT}


@pytest.mark.parametrize("day", ["nonsense", "2025-02-30", "", "0001-01-01", "9999-12-31"])
def test_an_unreadable_day_opens_the_register_of_today(client, db, login_as, day):
    login_as(Role.PROVIDER)
    response = client.get(f"/attendance?day={day}")
    assert response.status_code == 200
    shown = school_day_on_or_before(TODAY)
    assert f'<span class="govuk-caption-l">{_long(shown)}</span>' in _text(response)


# ---- saving ------------------------------------------------------------------------------------


def test_saving_a_day_creates_changes_and_clears_sessions(client, db, login_as):
    provider, _, placement = _scene()
    user = login_as(Role.PROVIDER, provider)
    mon_am = field_name(placement.id, LAST_MONDAY, AM)
    mon_pm = field_name(placement.id, LAST_MONDAY, PM)
    wednesday = _day(LAST_MONDAY, 2)
    wed_am = field_name(placement.id, wednesday, AM)

    response = _post(client, {mon_am: "present", mon_pm: "unauthorised"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(_path())
    assert _rows(db) == {
        (placement.id, LAST_MONDAY, AM): AttendanceCode.PRESENT,
        (placement.id, LAST_MONDAY, PM): AttendanceCode.UNAUTHORISED,
    }
    recorded_by = db.session.scalars(select(Attendance.recorded_by_id)).all()
    assert recorded_by == [user.id, user.id]
    page = _text(client.get(response.headers["Location"]))
    assert f"Attendance saved for {_long(LAST_MONDAY)}" in page

    # the browser posts the page back as it was, with a change; another day is another page
    values = _selects(page) | {mon_pm: "authorised"}
    assert _post(client, values).status_code == 302
    assert _post(client, {wed_am: "not_required"}, wednesday).status_code == 302
    assert _rows(db) == {
        (placement.id, LAST_MONDAY, AM): AttendanceCode.PRESENT,
        (placement.id, LAST_MONDAY, PM): AttendanceCode.AUTHORISED,
        (placement.id, wednesday, AM): AttendanceCode.NOT_REQUIRED,
    }

    # blank clears a session
    assert _post(client, {mon_am: "", mon_pm: "authorised"}).status_code == 302
    assert _rows(db) == {
        (placement.id, LAST_MONDAY, PM): AttendanceCode.AUTHORISED,
        (placement.id, wednesday, AM): AttendanceCode.NOT_REQUIRED,
    }


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


def test_one_post_saves_every_pupil_of_the_day(client, db, login_as):
    provider = make_provider()
    placements = [
        make_placement(make_pupil(), provider, start_date=LAST_MONDAY - timedelta(weeks=1))
        for _ in range(3)
    ]
    login_as(Role.PROVIDER, provider)
    values = {
        field_name(p.id, LAST_MONDAY, session): "present"
        for p in placements
        for session in (AM, PM)
    }
    assert _post(client, values).status_code == 302
    assert len(_rows(db)) == 6


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
    if tomorrow.weekday() < 5:
        page = _text(client.get(_path(tomorrow)))
        assert _selects(page) == {}
        assert "not happened yet" in page


# ---- marking everyone present ------------------------------------------------------------------

MARK = {"action": "mark-present"}


def _class(provider, n: int, **overrides) -> list:
    return [
        make_placement(
            make_pupil(last_name=f"Pupil{chr(65 + i)}"),
            provider,
            start_date=LAST_MONDAY - timedelta(weeks=2),
            **overrides,
        )
        for i in range(n)
    ]


def test_marking_everyone_present_fills_only_the_sessions_not_yet_recorded(client, db, login_as):
    provider = make_provider()
    full, recorded, mornings = _class(provider, 3)
    mornings.session_mask = mask_from(["mon_am", "tue_am"])
    not_today = make_placement(
        make_pupil(), provider, session_mask=mask_from(["tue_am"]), start_date=LAST_MONDAY
    )
    theirs = make_placement(make_pupil(), make_provider(), start_date=LAST_MONDAY)
    db.session.add(
        Attendance(
            placement_id=recorded.id, date=LAST_MONDAY, session=AM, code=AttendanceCode.AUTHORISED
        )
    )
    db.session.commit()
    login_as(Role.PROVIDER, provider)
    page = _text(client.get(_path()))
    assert page.count("Mark everyone not yet recorded as present") == 2  # above and below
    response = _post(client, MARK)
    assert response.status_code == 302
    P, A = AttendanceCode.PRESENT, AttendanceCode.AUTHORISED
    assert _rows(db) == {
        (full.id, LAST_MONDAY, AM): P,
        (full.id, LAST_MONDAY, PM): P,
        (recorded.id, LAST_MONDAY, AM): A,  # left alone
        (recorded.id, LAST_MONDAY, PM): P,
        (mornings.id, LAST_MONDAY, AM): P,  # no afternoon session: none recorded
    }
    assert not any(key[0] in (not_today.id, theirs.id) for key in _rows(db))
    page = _text(client.get(response.headers["Location"]))
    assert f"Attendance saved for {_long(LAST_MONDAY)}: 4 sessions marked present" in page
    # nothing is left to mark: the button goes, Save stays
    assert "Mark everyone not yet recorded as present" not in page
    assert "Save attendance" in page


def test_marking_everyone_present_saves_the_codes_chosen_first(client, db, login_as):
    """A register is taken by choosing a code for whoever is not there, then marking the rest
    present: both are saved by the one post, and an absence with no reason goes to the school."""
    provider = make_provider()
    first, absent, cleared = _class(provider, 3)
    db.session.add(
        Attendance(
            placement_id=cleared.id, date=LAST_MONDAY, session=AM, code=AttendanceCode.AUTHORISED
        )
    )
    db.session.commit()
    login_as(Role.PROVIDER, provider)
    values = _selects(_text(client.get(_path()))) | {
        field_name(absent.id, LAST_MONDAY, AM): "unexplained",
        field_name(absent.id, LAST_MONDAY, PM): "unauthorised",
        field_name(cleared.id, LAST_MONDAY, AM): "",  # left as "Not recorded": present
    }
    assert _post(client, values | MARK).status_code == 302
    P = AttendanceCode.PRESENT
    assert _rows(db) == {
        (first.id, LAST_MONDAY, AM): P,
        (first.id, LAST_MONDAY, PM): P,
        (absent.id, LAST_MONDAY, AM): AttendanceCode.UNEXPLAINED,
        (absent.id, LAST_MONDAY, PM): AttendanceCode.UNAUTHORISED,
        (cleared.id, LAST_MONDAY, AM): P,
        (cleared.id, LAST_MONDAY, PM): P,
    }
    cases = db.session.scalars(select(AbsenceCase)).all()
    assert [(c.placement_id, c.date, c.session) for c in cases] == [(absent.id, LAST_MONDAY, AM)]


def test_marking_everyone_present_with_a_mistake_saves_nothing(client, db, login_as):
    provider = make_provider()
    first, second = _class(provider, 2)
    login_as(Role.PROVIDER, provider)
    response = _post(client, {field_name(first.id, LAST_MONDAY, AM): "late"} | MARK)
    assert response.status_code == 200
    assert "There is a problem" in _text(response)
    assert _rows(db) == {}


def test_marking_everyone_present_on_a_future_day_records_nothing(client, db, login_as):
    provider = make_provider()
    _class(provider, 2, planned_end=NEXT_MONDAY + timedelta(weeks=2))
    login_as(Role.PROVIDER, provider)
    assert _post(client, MARK, NEXT_MONDAY).status_code == 302
    assert _rows(db) == {}


@pytest.mark.parametrize("action", ["delete", ["save", "mark-present"]])
def test_an_unknown_button_is_refused(client, db, login_as, action):
    provider = make_provider()
    _class(provider, 1)
    login_as(Role.PROVIDER, provider)
    response = _post(client, {"action": action})
    assert response.status_code == 200
    assert "could not be read" in _text(response)
    assert _rows(db) == {}


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
    assert "Someone else saved attendance for this day at the same moment" in page
    assert _selects(page)[field_name(placement.id, LAST_MONDAY, AM)] == "authorised"
    assert _rows(db) == {}


# ---- bad input ---------------------------------------------------------------------------------


def _bad_post(client, db, placement, extra: dict, day: date = LAST_MONDAY):
    """Post a good mark with something bad: the page shows an error and nothing is written."""
    good = {field_name(placement.id, LAST_MONDAY, AM): "present"} if day == LAST_MONDAY else {}
    response = _post(client, good | extra, day)
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
    wednesday = _day(LAST_MONDAY, 2)
    wednesday_pm = field_name(placement.id, wednesday, PM)
    page = _bad_post(
        client,
        db,
        placement,
        {field_name(placement.id, wednesday, AM): "present", wednesday_pm: "present"},
        wednesday,
    )
    assert "Ada Lovelace has no session on Wednesday" in page
    assert f'href="#{wednesday_pm}"' in page


def test_a_day_outside_the_pattern_or_the_dates_is_refused(client, db, login_as):
    # no session on Tuesdays; the other placement starts on Wednesday
    provider, _, placement = _scene()
    _, _, later = _scene(provider, start_date=_day(LAST_MONDAY, 2))
    login_as(Role.PROVIDER, provider)
    tuesday = _day(LAST_MONDAY, 1)
    for day, name in (
        (tuesday, field_name(placement.id, tuesday, AM)),
        (LAST_MONDAY, field_name(later.id, LAST_MONDAY, AM)),
    ):
        response = _post(client, {name: "present"}, day)
        assert response.status_code == 200
        assert "could not be read" in _text(response)
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
    assert f'href="#{future}"' in _text(response)
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
        "mark-{id}-{last_week}-AM",
        "mark-{id}-{tuesday}-AM",
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
        last_week=(LAST_MONDAY - timedelta(weeks=1)).isoformat(),
        tuesday=_day(LAST_MONDAY, 1).isoformat(),
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


def test_own_placement_not_running_that_day_is_refused(client, db, login_as):
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
    assert page.count("selected>Present (B)") == 9  # Monday morning, each pupil
    assert len(many) == len(few)


def test_marking_everyone_present_reads_the_register_once(client, db, login_as):
    """The save writes each placement's changes (operations.record_attendance, with its own
    reads); finding what to write is a fixed number of queries."""
    provider = make_provider()
    _class(provider, 2)
    login_as(Role.PROVIDER, provider)
    token_page = client.get(_path()).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', token_page).group(1)
    with count_queries() as statements:
        assert client.post(_path(), data={"csrf_token": token} | MARK).status_code == 302
    # the day's register, both sessions of every pupil, is read once
    register_reads = [q for q in statements if "JOIN attendance AS attendance_2" in q]
    assert len(register_reads) == 1
    assert len(_rows(db)) == 4


# ---- past days still to record -------------------------------------------------------------------


def test_the_past_days_still_to_record_are_listed_under_the_register(client, db, login_as):
    provider, _, placement = _scene(
        start_date=LAST_MONDAY - timedelta(weeks=1),
        planned_end=LAST_MONDAY + timedelta(weeks=6),
        session_mask=mask_from(["mon_am", "mon_pm", "wed_am"]),
    )
    # everything recorded but last Monday afternoon and the Wednesday before
    week_before = LAST_MONDAY - timedelta(weeks=1)
    recorded = [(week_before, AM), (week_before, PM), (LAST_MONDAY, AM), (_day(LAST_MONDAY, 2), AM)]
    for monday in (THIS_MONDAY,):
        recorded += [(monday, AM), (monday, PM)] if monday < TODAY else []
        if _day(monday, 2) < TODAY:
            recorded.append((_day(monday, 2), AM))
    db.session.add_all(
        Attendance(
            placement_id=placement.id, date=day, session=session, code=AttendanceCode.PRESENT
        )
        for day, session in recorded
    )
    db.session.commit()
    login_as(Role.PROVIDER, provider)
    page = _text(client.get("/attendance"))
    wednesday_before = _day(week_before, 2)
    assert "2 past sessions on 2 days are still to record" in page
    catch_up = page[page.index('id="catch-up"') :]
    assert catch_up.index(_long(LAST_MONDAY)) < catch_up.index(_long(wednesday_before))
    assert f'href="/attendance?day={LAST_MONDAY.isoformat()}#register"' in catch_up
    assert f'href="/attendance?day={wednesday_before.isoformat()}#register"' in catch_up
    assert "1 session to record" in catch_up
    assert 'href="/attendance/unrecorded"' in catch_up


def test_a_provider_with_everything_recorded_is_told_so(client, db, login_as):
    login_as(Role.PROVIDER)
    page = _text(client.get("/attendance"))
    assert "Every past session is recorded" in page
    assert "still to record:" not in page


def test_the_catch_up_list_runs_the_same_queries_however_many_days(client, db, login_as):
    provider = make_provider()
    make_placement(make_pupil(), provider, start_date=TODAY - timedelta(days=3))
    login_as(Role.PROVIDER, provider)
    client.get("/attendance")
    with count_queries() as few:
        client.get("/attendance")
    for weeks in (10, 30):
        make_placement(make_pupil(), provider, start_date=TODAY - timedelta(weeks=weeks))
    with count_queries() as many:
        page = _text(client.get("/attendance"))
    assert "And " in page and "earlier days" in page  # more days than are listed
    assert len(many) == len(few)
