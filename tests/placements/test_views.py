from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from apregister.models import (
    ExtensionRequest,
    FrameworkStatus,
    LaSettings,
    OffFrameworkKind,
    OffFrameworkPolicy,
    Placement,
    RegistrationType,
    Role,
    SenStatus,
)
from tests.conftest import (
    count_queries,
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_user,
    sign_in,
    submit,
)

MONDAY = date.today() + timedelta(days=7 - date.today().weekday())


def _count(db):
    return db.session.scalar(select(func.count()).select_from(Placement))


def _form(pupil, provider, **overrides):
    return {
        "submission_key": overrides.pop("submission_key", "key-1"),
        "pupil_id": str(pupil.id),
        "provider_id": str(provider.id),
        "reason": "re_engage",
        "start_date": [str(MONDAY.day), str(MONDAY.month), str(MONDAY.year)],
        "sessions": ["mon_am", "mon_pm", "tue_am"],
        "hours_per_week": "7.5",
        "full_time": "part",
        "objectives": "Attend every session\nRead for 20 minutes a day",
        "reintegration_plan": "Back to school two days a week from week 6",
        "confirmed": "yes",
    } | overrides


def test_school_checks_then_adds_a_placement_planned_for_12_weeks(client, db, login_as):
    school = make_school()
    login_as(Role.SCHOOL, school)
    pupil, provider = make_pupil(school), make_provider()
    check = submit(client, "/placements/new", _form(pupil, provider, confirmed=""))
    assert "Check the placement before you add it" in check.get_data(as_text=True)
    assert _count(db) == 0
    response = submit(client, "/placements/new", _form(pupil, provider))
    assert response.status_code == 302
    placement = db.session.scalars(select(Placement)).one()
    assert placement.planned_end == MONDAY + timedelta(weeks=12)
    assert placement.school_id == school.id
    assert placement.commissioner_id == school.id
    assert response.headers["Location"] == f"/placements/{placement.id}"


def test_same_form_sent_twice_creates_one_placement(client, db, login_as):
    school = make_school()
    login_as(Role.SCHOOL, school)
    pupil, provider = make_pupil(school), make_provider()
    first = submit(client, "/placements/new", _form(pupil, provider))
    second = submit(client, "/placements/new", _form(pupil, provider))
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(db) == 1


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (FrameworkStatus.SUSPENDED, OffFrameworkKind.SUSPENDED),
        (FrameworkStatus.APPLIED, OffFrameworkKind.NOT_ON_FRAMEWORK),
        (FrameworkStatus.REMOVED, OffFrameworkKind.REMOVED),
        (FrameworkStatus.NOT_ON_FRAMEWORK, OffFrameworkKind.NOT_ON_FRAMEWORK),
    ],
)
def test_placement_at_a_provider_not_approved_is_refused_when_the_la_says_so(
    client, db, login_as, status, kind
):
    settings = LaSettings()
    setattr(settings, f"{kind.value}_policy", OffFrameworkPolicy.REFUSE)
    db.session.add(settings)
    db.session.commit()
    school = make_school()
    login_as(Role.SCHOOL, school)
    pupil, provider = make_pupil(school), make_provider(framework_status=status)
    response = submit(
        client,
        "/placements/new",
        _form(pupil, provider, off_framework_reason="Nearest", confirmed_status="y"),
    )
    assert "The LA does not allow placements at" in response.get_data(as_text=True)
    assert _count(db) == 0


def test_overlapping_sessions_for_one_pupil_are_refused(client, db, login_as):
    school = make_school()
    login_as(Role.SCHOOL, school)
    pupil = make_pupil(school)
    make_placement(pupil, make_provider(), start_date=MONDAY, session_mask=0b1)  # Monday AM
    response = submit(client, "/placements/new", _form(pupil, make_provider()))
    assert "already placed" in response.get_data(as_text=True)
    assert _count(db) == 1
    # other sessions at another provider are fine: part time here, part time there
    response = submit(
        client, "/placements/new", _form(pupil, make_provider(), sessions=["wed_am", "wed_pm"])
    )
    assert response.status_code == 302


def test_the_same_pupil_twice_at_one_provider_for_overlapping_dates_is_refused(
    client, db, login_as
):
    school = make_school()
    login_as(Role.SCHOOL, school)
    pupil, provider = make_pupil(school), make_provider()
    make_placement(pupil, provider, start_date=MONDAY - timedelta(weeks=2), session_mask=0b1000000)
    response = submit(client, "/placements/new", _form(pupil, provider))
    assert "already has a placement at" in response.get_data(as_text=True)
    assert _count(db) == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"pupil_id": "0"}, "Select the pupil"),
        ({"reason": ""}, "Select the reason for the placement"),
        ({"start_date": ["", "", ""]}, "Enter the start date"),
        ({"start_date": ["31", "2"]}, "must include a year"),
        ({"sessions": []}, "Select at least one session"),
        ({"sessions": ["sun_am"]}, "Select sessions from the list"),
        ({"hours_per_week": "0"}, "Hours each week must be from 0.5 to 50"),
        ({"full_time": ""}, "Select full time or part time"),
        ({"objectives": ""}, "Enter the placement&#39;s objectives"),
        ({"reintegration_plan": ""}, "Enter the reintegration plan and timeline"),
        ({"planned_end": ["1", "1", "2020"]}, "The planned end date must be after the start date"),
        (
            {"planned_end": [str(d.day), str(d.month), str(d.year)]}
            if (d := MONDAY + timedelta(weeks=14))
            else {},
            "Enter why the placement should go ahead despite the warnings",
        ),
    ],
)
def test_bad_placement_input_gets_a_field_error_and_writes_nothing(
    client, db, login_as, overrides, message
):
    school = make_school()
    login_as(Role.SCHOOL, school)
    response = submit(
        client, "/placements/new", _form(make_pupil(school), make_provider(), **overrides)
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in body
    assert _count(db) == 0


def test_school_cannot_place_another_schools_pupil(client, db, login_as):
    login_as(Role.SCHOOL)
    other_pupil = make_pupil(make_school())
    response = submit(client, "/placements/new", _form(other_pupil, make_provider()))
    assert "Select the pupil" in response.get_data(as_text=True)
    assert _count(db) == 0


def test_la_places_a_pupil_with_no_school_place(client, db, login_as):
    officer = login_as(Role.LA_OFFICER)
    pupil = make_pupil(officer.organisation)
    response = submit(client, "/placements/new", _form(pupil, make_provider()))
    assert response.status_code == 302
    placement = db.session.scalars(select(Placement)).one()
    assert (placement.school_id, placement.commissioner_id) == (None, officer.organisation_id)


# ---- who sees what ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_role_by_page_table(client, db, login_as, role):
    provider = make_provider()
    school = make_school()
    placement = make_placement(make_pupil(school), provider)
    organisation = {Role.SCHOOL: school, Role.PROVIDER: provider}.get(role)
    login_as(role, organisation)
    staff = role is not Role.BOARD
    expected = {
        "/placements": 200 if staff else 403,
        "/placements/export.csv": 200 if staff else 403,
        f"/placements/{placement.id}": 200 if staff else 403,
        "/placements/new": 200 if role in (Role.LA_LEAD, Role.LA_OFFICER, Role.SCHOOL) else 403,
        "/settings": 200 if role is Role.LA_LEAD else 403,
    }
    for path, status in expected.items():
        assert client.get(path).status_code == status, path


def test_another_school_cannot_see_or_export_a_schools_placements(client, db, login_as):
    school, school2 = make_school(), make_school()
    placement = make_placement(make_pupil(school, first_name="Hidden"))
    login_as(Role.SCHOOL, school2)
    assert client.get(f"/placements/{placement.id}").status_code == 404
    assert "Hidden" not in client.get("/placements").get_data(as_text=True)
    assert "Hidden" not in client.get("/placements/export.csv").get_data(as_text=True)


def test_provider_sees_only_what_it_needs(client, db, login_as):
    provider = make_provider()
    pupil = make_pupil(sen_status=SenStatus.EHC_PLAN, first_name="Alex")
    placement = make_placement(pupil, provider, reintegration_plan="Secret plan", cost_per_week=400)
    make_placement(make_pupil(first_name="Other"), make_provider())
    login_as(Role.PROVIDER, provider)
    page = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "Alex" in page and "Attend every session" in page
    for hidden in [pupil.upn, "EHC plan", "Secret plan", "£400", pupil.owner.name]:
        assert hidden not in page, hidden
    listing = client.get("/placements").get_data(as_text=True)
    assert "Other" not in listing
    csv_text = client.get("/placements/export.csv").get_data(as_text=True)
    assert pupil.upn not in csv_text and "UPN" not in csv_text and "Alex" in csv_text


def test_provider2_cannot_see_providers_placements(client, db, login_as):
    placement = make_placement()
    login_as(Role.PROVIDER, make_provider())
    assert client.get(f"/placements/{placement.id}").status_code == 404


def test_filters_past_12_weeks_review_overdue_and_extension_pending(client, db, login_as):
    long = make_placement(
        make_pupil(first_name="Longstay"), start_date=date.today() - timedelta(weeks=13)
    )
    recent = make_placement(make_pupil(first_name="Newstart"), start_date=date.today())
    db.session.add(
        ExtensionRequest(
            placement_id=recent.id,
            requested_on=date.today(),
            new_end=recent.planned_end + timedelta(weeks=4),
            reason="Needs longer",
        )
    )
    db.session.commit()
    login_as(Role.LA_OFFICER)
    body = client.get("/placements", query_string={"past_12_weeks": "y"}).get_data(as_text=True)
    assert "Longstay" in body and "Newstart" not in body
    body = client.get("/placements", query_string={"review_overdue": "y"}).get_data(as_text=True)
    assert "Longstay" in body and "Newstart" not in body
    body = client.get("/placements", query_string={"extension_pending": "y"}).get_data(as_text=True)
    assert "Newstart" in body and "Longstay" not in body
    assert long.id != recent.id


def test_list_query_count_does_not_grow_with_rows(client, db, login_as):
    login_as(Role.LA_LEAD)
    make_placement()
    with count_queries() as few:
        client.get("/placements")
    for _ in range(15):
        make_placement()
    with count_queries() as many:
        client.get("/placements")
    assert len(many) == len(few)


# ---- flags where the right users see them --------------------------------------------------


def test_registration_threshold_alert_reaches_the_la(client, db, login_as):
    tutor = make_provider(name="Busy Tutors", registration_type=RegistrationType.TUITION)
    for _ in range(5):
        make_placement(make_pupil(), tutor)  # 25 hours: full time
    quiet = make_provider(name="Quiet Tutors")
    make_placement(make_pupil(), quiet, hours_per_week=10)
    login_as(Role.LA_LEAD)
    page = client.get("/").get_data(as_text=True)
    assert "Busy Tutors" in page
    assert "5 full-time pupils of compulsory school age" in page
    assert "Quiet Tutors" not in page


def test_one_looked_after_pupil_meets_the_threshold(client, db, login_as):
    tutor = make_provider(name="Single Placement Tutors")
    make_placement(make_pupil(looked_after=True), tutor)
    login_as(Role.LA_OFFICER)
    assert "Single Placement Tutors" in client.get("/").get_data(as_text=True)


def test_settings_switch_to_the_2026_wording(client, db, login_as):
    tutor = make_provider(name="Support Tutors")
    make_placement(make_pupil(sen_status=SenStatus.SEN_SUPPORT), tutor)
    login_as(Role.LA_LEAD)
    assert "Support Tutors" not in client.get("/").get_data(as_text=True)
    response = submit(
        client,
        "/settings",
        {
            "full_time_hours": "18",
            "threshold_pupils": "5",
            "threshold_vulnerable_pupils": "1",
            "threshold_wording": "sen_or_looked_after",
            "placement_weeks": "12",
            "unregistered_max_weeks": "12",
            "unregistered_max_sessions": "4",
            "review_interval_days": "42",
        },
    )
    assert response.status_code == 302
    assert "Support Tutors" in client.get("/").get_data(as_text=True)


def test_bad_settings_get_field_errors_and_write_nothing(client, db, login_as):
    login_as(Role.LA_LEAD)
    response = submit(client, "/settings", {"full_time_hours": "lots", "threshold_pupils": "0"})
    body = response.get_data(as_text=True)
    assert "There is a problem" in body
    assert db.session.scalar(select(func.count()).select_from(LaSettings)) == 0


def test_school_home_shows_its_placements_with_flags(client, db, login_as):
    school = make_school()
    make_placement(
        make_pupil(school, first_name="Longstay"), start_date=date.today() - timedelta(weeks=13)
    )
    make_placement(make_pupil(make_school(), first_name="Elsewhere"))
    login_as(Role.SCHOOL, school)
    page = client.get("/").get_data(as_text=True)
    assert "Longstay" in page and "Past 12 weeks" in page and "Review overdue" in page
    assert "Elsewhere" not in page


def test_unregistered_breach_is_flagged_to_the_la_and_the_school(app, client, db, login_as):
    school = make_school()
    tutor = make_provider(registration_type=RegistrationType.TUITION)
    make_placement(
        make_pupil(school, first_name="Overrun"),
        tutor,
        planned_end=date.today() + timedelta(weeks=14),
        hours_per_week=10,
    )
    login_as(Role.LA_OFFICER)
    home = client.get("/").get_data(as_text=True)
    count = '<strong class="app-work-queue__count">1</strong>'
    assert f"{count} placement beyond the DfE limits" in home
    listed = client.get("/placements?unregistered_breach=y").get_data(as_text=True)
    assert "Overrun" in listed and "Beyond the unregistered limits" in listed
    school_client = app.test_client()
    sign_in(school_client, make_user(Role.SCHOOL, school))
    assert "Beyond the unregistered limits" in school_client.get("/").get_data(as_text=True)


def test_suspending_a_provider_lists_its_current_placements(client, db, login_as):
    provider = make_provider()
    make_placement(make_pupil(first_name="Affected"), provider)
    login_as(Role.LA_LEAD)
    page = client.get(f"/providers/{provider.id}/framework-status").get_data(as_text=True)
    assert "Affected" in page
    assert "Current placements" in client.get(f"/providers/{provider.id}").get_data(as_text=True)


def test_every_page_of_the_list_shows_its_placements_newest_first(client, db, login_as):
    school = make_school()
    provider = make_provider()
    start = date.today() - timedelta(weeks=30)
    # three placements on each start date, so the order within a day (by id) counts
    placements = [
        make_placement(
            make_pupil(school, first_name=f"Kid{n:02d}"),
            provider,
            start_date=start + timedelta(days=n // 3),
        )
        for n in range(30)
    ]
    newest_first = sorted(placements, key=lambda p: (p.start_date, p.id), reverse=True)
    login_as(Role.SCHOOL, school)
    seen = []
    for number in (1, 2):
        page = client.get(f"/placements?page={number}").get_data(as_text=True)
        seen += [p.id for p in newest_first if f'/placements/{p.id}"' in page]
        # and in that order on the page
        found = [
            page.index(f'/placements/{p.id}"')
            for p in newest_first
            if f'/placements/{p.id}"' in page
        ]
        assert found == sorted(found)
    assert seen == [p.id for p in newest_first]
    assert "Kid00" in client.get("/placements?page=99").get_data(as_text=True)  # the last


def test_an_la_with_many_pupils_finds_the_pupil_before_adding_a_placement(
    client, db, login_as, monkeypatch
):
    from apregister.placements.views import commission

    monkeypatch.setattr(commission, "PUPILS_LISTED", 3)
    school = make_school()
    pupils = [make_pupil(school, last_name=f"Many{n}") for n in range(4)]
    make_pupil(make_school(), last_name="Elsewhere")
    login_as(Role.LA_LEAD)
    # no pupil chosen: sent to find one, not shown a list of every pupil
    response = client.get("/placements/new")
    assert response.status_code == 302 and response.headers["Location"] == "/pupils"
    # from a pupil's page: that pupil alone is offered
    page = client.get(f"/placements/new?pupil_id={pupils[2].id}").get_data(as_text=True)
    assert f'value="{pupils[2].id}" selected' in page
    assert "Many0" not in page and "Elsewhere" not in page
    assert page.count("<option") < 10 + 2  # providers and the placeholder, few here


def test_a_school_with_few_pupils_chooses_from_a_list(client, db, login_as):
    school = make_school()
    pupils = [make_pupil(school, last_name=f"Few{n}") for n in range(3)]
    login_as(Role.SCHOOL, school)
    page = client.get("/placements/new").get_data(as_text=True)
    assert all(f'value="{pupil.id}"' in page for pupil in pupils)


def test_every_ended_placement_is_paged_alike_counted_at_once_or_not(
    app, client, db, login_as, monkeypatch
):
    import re

    from apregister.placements import listing

    monkeypatch.setattr(listing, "ALL_KEYS", 3)
    monkeypatch.setitem(app.config, "REGISTER_PAGE_SIZE", 2)
    for days in range(7):
        start = date.today() - timedelta(days=200 + days)
        make_placement(start_date=start, actual_end=start + timedelta(days=30))
    make_placement()  # running: never listed as ended
    login_as(Role.LA_LEAD)

    def shown(query: str) -> list[str]:
        page = client.get(f"/placements?{query}").get_data(as_text=True)
        return re.findall(r'href="/placements/(\d+)"', page)

    for number in (1, 2, 4):
        wide = shown(f"status=ended&page={number}")  # counted at once
        probed = shown(f"status=ended&reason=&page={number}")  # the keys read first
        assert wide == probed and wide, number
    assert len(shown("status=ended&page=4")) == 1  # 7 ended, 2 a page
