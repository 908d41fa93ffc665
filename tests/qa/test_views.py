"""QA pages: the outbox, QA areas settings, the provider page's QA section, the register filter."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from apregister.la_settings.qa_areas import key_for
from apregister.models import (
    ActionOwner,
    ActionStatus,
    FrameworkStatus,
    Inspection,
    InspectionAction,
    InspectionJudgement,
    InspectionOutcome,
    InspectionStatus,
    Judgement,
    LaSettings,
    OutboxMessage,
    Provider,
    QaArea,
    Role,
    SelfAssessment,
    SelfAssessmentStatus,
)
from apregister.qa.rules import DEFAULT_AREAS
from apregister.qa.status import current_areas, qa_statuses
from apregister.settings import current_settings
from tests.conftest import count_queries, make_provider, submit

LA = (Role.LA_LEAD, Role.LA_OFFICER)


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def _message(db, n, **overrides):
    values = {
        "dedupe_key": f"test:{n}",
        "to_email": f"person{n}@example.test",
        "subject": f"Reminder number {n}",
        "body": f"Line one of {n}\nhttp://localhost:5000/placements/{n}",
        "created_at": datetime(2026, 3, 1, 9, tzinfo=UTC) + timedelta(hours=n),
    }
    message = OutboxMessage(**(values | overrides))
    db.session.add(message)
    db.session.commit()
    return message


# ---- the outbox ---------------------------------------------------------------------------------


def test_la_lead_reads_the_outbox_newest_first_and_each_message(client, db, login_as):
    older = _message(db, 1)
    newer = _message(db, 2, sent_at=datetime(2026, 3, 2, 8, tzinfo=UTC))
    login_as(Role.LA_LEAD)
    page = client.get("/outbox").get_data(as_text=True)
    assert page.index("Reminder number 2") < page.index("Reminder number 1")
    assert "person1@example.test" in page and "Not sent" in page
    assert "2 March 2026 at 8:00am" in page
    shown = client.get(f"/outbox/{older.id}").get_data(as_text=True)
    assert "Line one of 1" in shown and "person1@example.test" in shown
    assert client.get(f"/outbox/{newer.id + 100}").status_code == 404


def test_outbox_pages_through_long_lists(app, client, db, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_PAGE_SIZE", 2)
    for n in range(1, 6):
        _message(db, n)
    login_as(Role.LA_LEAD)
    first = client.get("/outbox").get_data(as_text=True)
    assert "Reminder number 5" in first and "Reminder number 3" not in first
    third = client.get("/outbox?page=3").get_data(as_text=True)
    assert "Reminder number 1" in third and "Reminder number 2" not in third


@pytest.mark.parametrize("role", [Role.LA_OFFICER, Role.SCHOOL, Role.PROVIDER, Role.BOARD])
def test_only_the_la_lead_may_open_the_outbox(client, db, login_as, role):
    message = _message(db, 1)
    login_as(role)
    assert client.get("/outbox").status_code == 403
    assert client.get(f"/outbox/{message.id}").status_code == 403


def test_outbox_needs_sign_in(client, db):
    assert client.get("/outbox").status_code == 302


# ---- QA areas settings ------------------------------------------------------------------------


def _areas_post(overrides=None, off=()):
    data = {f"name_{key}": name for key, name in DEFAULT_AREAS}
    data |= {f"active_{key}": "y" for key, _ in DEFAULT_AREAS if key not in off}
    data |= overrides or {}
    data["save"] = "Save changes"
    return data


@pytest.mark.parametrize("role", list(Role))
def test_only_the_la_lead_may_change_qa_areas(client, db, login_as, role):
    login_as(role)
    response = client.get("/settings/qa-areas")
    assert response.status_code == (200 if role is Role.LA_LEAD else 403)
    if role is Role.LA_LEAD:
        page = response.get_data(as_text=True)
        for _, name in DEFAULT_AREAS:
            assert name in page


def test_the_defaults_are_listed_until_the_first_save_writes_them(client, db, login_as):
    login_as(Role.LA_LEAD)
    assert _count(db, QaArea) == 0
    response = submit(
        client,
        "/settings/qa-areas",
        _areas_post({"name_leadership": "  Leadership   and governance "}, off=("outcomes",)),
    )
    assert response.status_code == 302
    rows = db.session.scalars(select(QaArea).order_by(QaArea.position)).all()
    assert [row.key for row in rows] == [key for key, _ in DEFAULT_AREAS]
    names = {row.key: row.name for row in rows}
    assert names["leadership"] == "Leadership and governance"
    assert {row.key for row in rows if not row.active} == {"outcomes"}
    assert "outcomes" not in [area.key for area in current_areas()]
    assert "QA areas saved" in client.get("/settings/qa-areas").get_data(as_text=True)


def test_a_switched_off_area_can_be_switched_back_on(client, db, login_as):
    login_as(Role.LA_LEAD)
    submit(client, "/settings/qa-areas", _areas_post(off=("education",)))
    submit(client, "/settings/qa-areas", _areas_post())
    assert db.session.scalar(select(QaArea.active).where(QaArea.key == "education")) is True


def test_safeguarding_cannot_be_switched_off(client, db, login_as):
    login_as(Role.LA_LEAD)
    submit(client, "/settings/qa-areas", _areas_post(off=("safeguarding",)))
    assert db.session.scalar(select(QaArea.active).where(QaArea.key == "safeguarding")) is True


def test_adding_an_area_writes_the_defaults_and_the_new_one_with_a_key(client, db, login_as):
    login_as(Role.LA_LEAD)
    response = submit(
        client, "/settings/qa-areas", {"new_area_name": "Premises & SEND support", "add": "Add"}
    )
    assert response.status_code == 302
    rows = db.session.scalars(select(QaArea).order_by(QaArea.position)).all()
    assert len(rows) == len(DEFAULT_AREAS) + 1
    assert (rows[-1].key, rows[-1].name, rows[-1].active) == (
        "premises_send_support",
        "Premises & SEND support",
        True,
    )
    assert current_areas()[-1].name == "Premises & SEND support"
    page = client.get("/settings/qa-areas").get_data(as_text=True)
    assert "Premises &amp; SEND support added" in page
    assert 'name="name_premises_send_support"' in page


def test_new_keys_never_clash():
    assert key_for("Premises", {"premises"}) == "premises_2"
    assert key_for("Premises!", {"premises", "premises_2"}) == "premises_3"
    assert key_for("!!!", set()) == "area"
    assert len(key_for("x" * 300, set())) <= 40


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"new_area_name": "   ", "add": "Add"}, "Enter the name of the new area"),
        ({"new_area_name": "quality  of EDUCATION", "add": "Add"}, "already an area with this"),
        ({"new_area_name": "x" * 201, "add": "Add"}, "200 characters or fewer"),
        (_areas_post({"name_health_safety": " "}), "Enter a name for area 2"),
        (_areas_post({"name_outcomes": "Safeguarding and Welfare"}), "Each area needs a different"),
    ],
)
def test_bad_qa_areas_input_shows_an_error_and_writes_nothing(client, db, login_as, data, error):
    login_as(Role.LA_LEAD)
    response = submit(client, "/settings/qa-areas", data)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "There is a problem" in body and error in body
    assert _count(db, QaArea) == 0


def test_settings_page_saves_the_qa_numbers_and_links_to_the_areas(client, db, login_as):
    login_as(Role.LA_LEAD)
    assert "/settings/qa-areas" in client.get("/settings").get_data(as_text=True)
    data = {
        "full_time_hours": "18",
        "threshold_pupils": "5",
        "threshold_vulnerable_pupils": "1",
        "threshold_wording": "ehc_or_looked_after",
        "placement_weeks": "12",
        "unregistered_max_weeks": "12",
        "unregistered_max_sessions": "4",
        "review_interval_days": "42",
        "first_inspection_months": "6",
        "first_self_assessment_months": "4",
        "reminder_days": "14",
    }
    assert submit(client, "/settings", data).status_code == 302
    settings = db.session.scalars(select(LaSettings)).one()
    assert (
        settings.first_inspection_months,
        settings.first_self_assessment_months,
        settings.reminder_days,
    ) == (6, 4, 14)


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("reminder_days", "0", "must be from 1 to 90"),
        ("first_inspection_months", "", "Enter months from approval"),
        ("first_self_assessment_months", "two", "as a whole number"),
    ],
)
def test_bad_qa_settings_write_nothing(client, db, login_as, field, value, error):
    login_as(Role.LA_LEAD)
    data = {
        "full_time_hours": "18",
        "threshold_pupils": "5",
        "threshold_vulnerable_pupils": "1",
        "threshold_wording": "ehc_or_looked_after",
        "placement_weeks": "12",
        "unregistered_max_weeks": "12",
        "unregistered_max_sessions": "4",
        "review_interval_days": "42",
        "first_inspection_months": "3",
        "first_self_assessment_months": "3",
        "reminder_days": "30",
        field: value,
    }
    body = submit(client, "/settings", data).get_data(as_text=True)
    assert "There is a problem" in body and error in body
    assert _count(db, LaSettings) == 0


# ---- the provider page's QA section ------------------------------------------------------------


def _qa_scene(db):
    today = date.today()
    provider = make_provider(name="Harbour Tutors", approved_on=today - timedelta(days=700))
    published = Inspection(
        provider_id=provider.id,
        status=InspectionStatus.PUBLISHED,
        planned_date=today - timedelta(days=100),
        visit_date=today - timedelta(days=100),
        overall_outcome=InspectionOutcome.APPROVED_WITH_ACTIONS,
        summary="SUMMARY-SECRET",
        published_at=datetime.now(UTC),
        judgements=[
            InspectionJudgement(
                area_key="safeguarding",
                area_name="Safeguarding and welfare",
                judgement=Judgement.PARTLY_MET,
                findings="FINDING-SECRET",
            )
        ],
    )
    planned = Inspection(
        provider_id=provider.id,
        status=InspectionStatus.PLANNED,
        planned_date=today + timedelta(days=200),
    )
    db.session.add_all([published, planned])
    db.session.flush()
    action = InspectionAction(
        inspection_id=published.id,
        provider_id=provider.id,
        description="ACTION-SECRET refresh the fire risk assessment",
        owner=ActionOwner.PROVIDER,
        due_date=today - timedelta(days=3),
        status=ActionStatus.OPEN,
    )
    submitted = SelfAssessment(
        provider_id=provider.id, academic_year="2024/25", status=SelfAssessmentStatus.SUBMITTED
    )
    draft = SelfAssessment(
        provider_id=provider.id, academic_year="2025/26", status=SelfAssessmentStatus.DRAFT
    )
    db.session.add_all([action, submitted, draft])
    db.session.commit()
    return {
        "provider": provider,
        "published": published,
        "planned": planned,
        "action": action,
        "submitted": submitted,
        "draft": draft,
    }


@pytest.mark.parametrize("role", LA)
def test_la_sees_the_whole_qa_timeline(client, db, login_as, role):
    scene = _qa_scene(db)
    login_as(role)
    page = client.get(f"/providers/{scene['provider'].id}").get_data(as_text=True)
    assert "Quality assurance" in page
    assert "Approved with actions" in page
    assert "Planned inspection visit" in page and "Inspection visit planned" in page
    assert f'href="/inspections/{scene["planned"].id}"' in page
    assert f'href="/inspections/{scene["published"].id}"' in page
    assert f'href="/self-assessments/{scene["submitted"].id}"' in page
    assert f'href="/self-assessments/{scene["draft"].id}"' not in page  # drafts are the provider's
    assert "ACTION-SECRET" in page and "Overdue" in page
    # the page links to the reports; it does not print them
    assert "FINDING-SECRET" not in page and "SUMMARY-SECRET" not in page


def test_the_provider_sees_its_own_published_qa_and_its_drafts(client, db, login_as):
    scene = _qa_scene(db)
    login_as(Role.PROVIDER, scene["provider"])
    page = client.get(f"/providers/{scene['provider'].id}").get_data(as_text=True)
    assert "Quality assurance" in page and "ACTION-SECRET" in page
    assert f'href="/inspections/{scene["published"].id}"' in page
    assert f'href="/inspections/{scene["planned"].id}"' not in page
    assert "Inspection visit planned" not in page
    assert f'href="/self-assessments/{scene["draft"].id}"' in page
    assert f'href="/self-assessments/{scene["submitted"].id}"' in page


def test_a_school_sees_only_the_published_inspection_status(client, db, login_as):
    scene = _qa_scene(db)
    login_as(Role.SCHOOL)
    page = client.get(f"/providers/{scene['provider'].id}").get_data(as_text=True)
    assert "Quality assurance" in page and "Inspection up to date" in page
    visit = scene["published"].visit_date
    assert f"{visit.day} {visit:%B %Y}, Approved with actions" in page
    for hidden in (
        "ACTION-SECRET",
        "FINDING-SECRET",
        "SUMMARY-SECRET",
        "/inspections/",
        "/self-assessments/",
        "Self-assessment",
        "Planned",
    ):
        assert hidden not in page, hidden


def test_a_school_sees_an_overdue_inspection(client, db, login_as):
    provider = make_provider(name="Late Farm", approved_on=date.today() - timedelta(days=400))
    login_as(Role.SCHOOL)
    page = client.get(f"/providers/{provider.id}").get_data(as_text=True)
    assert "Inspection overdue" in page and "Not inspected yet" in page


def test_another_provider_sees_nothing_of_a_providers_qa(client, db, login_as):
    scene = _qa_scene(db)
    login_as(Role.PROVIDER, make_provider(name="Rival Tutors"))
    response = client.get(f"/providers/{scene['provider'].id}")
    assert response.status_code == 200  # the directory entry, nothing more
    page = response.get_data(as_text=True)
    page = page[page.index("<main") :]  # the navigation names its own Quality assurance group
    for hidden in ("Quality assurance", "ACTION-SECRET", "/inspections/", "Inspection up to date"):
        assert hidden not in page, hidden


def test_provider_page_query_count_does_not_grow_with_qa_records(client, db, login_as):
    scene = _qa_scene(db)
    login_as(Role.LA_LEAD)
    path = f"/providers/{scene['provider'].id}"
    with count_queries() as few:
        client.get(path)
    for n in range(5):
        db.session.add(
            InspectionAction(
                inspection_id=scene["published"].id,
                provider_id=scene["provider"].id,
                description=f"Action {n}",
                owner=ActionOwner.LA,
                due_date=date.today(),
            )
        )
        db.session.add(
            SelfAssessment(
                provider_id=scene["provider"].id,
                academic_year=f"20{10 + n}/{11 + n}",
                status=SelfAssessmentStatus.ACCEPTED,
                accepted_on=date(2010 + n, 10, 1),
            )
        )
    db.session.commit()
    with count_queries() as many:
        client.get(path)
    assert len(many) == len(few)


# ---- the register's QA filter and column ---------------------------------------------------------


def _register_scene(db):
    today = date.today()
    never = make_provider(name="Never Inspected", approved_on=today - timedelta(days=400))
    fresh = make_provider(name="Freshly Approved", approved_on=today - timedelta(days=10))
    stale = make_provider(name="Stale Assessment", approved_on=today - timedelta(days=900))
    db.session.add_all(
        [
            Inspection(
                provider_id=stale.id,
                status=InspectionStatus.PUBLISHED,
                visit_date=today - timedelta(days=30),
                overall_outcome=InspectionOutcome.APPROVED,
            ),
            SelfAssessment(
                provider_id=stale.id,
                academic_year="2020/21",
                status=SelfAssessmentStatus.ACCEPTED,
                accepted_on=today - timedelta(days=500),
            ),
        ]
    )
    removed = make_provider(
        name="Removed Overdue",
        framework_status=FrameworkStatus.REMOVED,
        approved_on=today - timedelta(days=900),
    )
    db.session.commit()
    return never, fresh, stale, removed


@pytest.mark.parametrize("role", LA)
def test_qa_overdue_filter_lists_providers_overdue_for_inspection_or_self_assessment(
    client, db, login_as, role
):
    _register_scene(db)
    login_as(role)
    page = client.get("/providers?qa=overdue").get_data(as_text=True)
    assert "Never Inspected" in page and "Stale Assessment" in page
    assert "Freshly Approved" not in page and "Removed Overdue" not in page
    assert "Inspection overdue" in page and "Self-assessment overdue" in page
    everything = client.get("/providers").get_data(as_text=True)
    assert "Freshly Approved" in everything and "QA up to date" in everything


def test_qa_overdue_filter_agrees_with_the_qa_status(db):
    from apregister.providers.queries import RegisterFilters, apply_filters

    _register_scene(db)
    today = date.today()
    for months in (1, 7, 13, 30):
        make_provider(approved_on=today - timedelta(days=30 * months))
    providers = db.session.scalars(select(Provider)).all()
    expected = {
        pid
        for pid, status in qa_statuses(providers, current_settings(), today).items()
        if not status.up_to_date
    }
    filtered = set(
        db.session.scalars(
            apply_filters(select(Provider.id), RegisterFilters(qa="overdue"))
        ).all()
    )
    assert filtered == expected


@pytest.mark.parametrize("role", [Role.SCHOOL, Role.PROVIDER])
def test_directory_users_see_qa_up_to_date_or_not_and_cannot_filter(client, db, login_as, role):
    _register_scene(db)
    login_as(role)
    page = client.get("/providers?qa=overdue").get_data(as_text=True)
    assert "Freshly Approved" in page  # the filter is not theirs: ignored
    assert "QA up to date" in page and "QA overdue" in page
    assert "Inspection overdue" not in page and 'name="qa"' not in page
    assert "Removed Overdue" not in page


def test_register_list_query_count_stays_flat_with_qa_data(client, db, login_as):
    login_as(Role.LA_LEAD)
    _register_scene(db)
    with count_queries() as few:
        client.get("/providers")
    for n in range(10):
        provider = make_provider(approved_on=date.today() - timedelta(days=40 * n))
        db.session.add(
            Inspection(
                provider_id=provider.id,
                status=InspectionStatus.PUBLISHED,
                visit_date=date.today() - timedelta(days=50 * n),
            )
        )
    db.session.commit()
    with count_queries() as many:
        client.get("/providers")
    assert len(many) == len(few)


def test_a_settings_post_without_the_qa_fields_keeps_their_saved_values(client, db, login_as):
    db.session.add(LaSettings(reminder_days=14, first_inspection_months=6))
    db.session.commit()
    login_as(Role.LA_LEAD)
    data = {
        "full_time_hours": "18",
        "threshold_pupils": "5",
        "threshold_vulnerable_pupils": "1",
        "threshold_wording": "ehc_or_looked_after",
        "placement_weeks": "12",
        "unregistered_max_weeks": "12",
        "unregistered_max_sessions": "4",
        "review_interval_days": "30",
    }
    assert submit(client, "/settings", data).status_code == 302
    db.session.expire_all()
    settings = db.session.scalars(select(LaSettings)).one()
    assert (settings.review_interval_days, settings.reminder_days) == (30, 14)
    assert settings.first_inspection_months == 6
