"""Reminder emails on hand-made data with an explicit `today`."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from apregister import mail
from apregister.models import (
    ActionOwner,
    ActionStatus,
    FrameworkStatus,
    Inspection,
    InspectionAction,
    InspectionOutcome,
    InspectionStatus,
    OutboxMessage,
    Review,
    ReviewDecision,
    Role,
    SelfAssessment,
    SelfAssessmentStatus,
)
from apregister.qa.reminders import send_reminders
from tests.conftest import make_placement, make_provider, make_pupil, make_school, make_user

TODAY = date(2026, 3, 10)
RECENT_VISIT = date(2025, 12, 1)  # next inspection due 1 December 2026: not yet
RECENT_ACCEPTED = date(2025, 12, 1)


def _messages(db) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _to(db) -> list[str]:
    return sorted(message.to_email for message in _messages(db))


def _inspection(db, provider, visit=RECENT_VISIT, *, status=InspectionStatus.PUBLISHED):
    inspection = Inspection(
        provider_id=provider.id,
        status=status,
        planned_date=visit,
        visit_date=visit if status is InspectionStatus.PUBLISHED else None,
        overall_outcome=InspectionOutcome.APPROVED_WITH_ACTIONS
        if status is InspectionStatus.PUBLISHED
        else None,
        published_at=datetime(2025, 12, 5, tzinfo=UTC)
        if status is InspectionStatus.PUBLISHED
        else None,
    )
    db.session.add(inspection)
    db.session.commit()
    return inspection


def _accepted(db, provider, on=RECENT_ACCEPTED, status=SelfAssessmentStatus.ACCEPTED):
    assessment = SelfAssessment(
        provider_id=provider.id,
        academic_year="2025/26",
        status=status,
        accepted_on=on if status is SelfAssessmentStatus.ACCEPTED else None,
    )
    db.session.add(assessment)
    db.session.commit()
    return assessment


def _action(db, inspection, due, *, owner=ActionOwner.PROVIDER, status=ActionStatus.OPEN):
    action = InspectionAction(
        inspection_id=inspection.id,
        provider_id=inspection.provider_id,
        description="Update the single central record",
        owner=owner,
        due_date=due,
        status=status,
    )
    db.session.add(action)
    db.session.commit()
    return action


def _quiet_provider(db, **overrides):
    """An approved provider with nothing due: inspected and self-assessed recently."""
    provider = make_provider(approved_on=date(2024, 1, 1), **overrides)
    _inspection(db, provider)
    _accepted(db, provider)
    return provider


def _run(db, day=TODAY) -> dict[str, int]:
    counts = send_reminders(day)
    db.session.commit()
    return counts


# ---- self-assessments --------------------------------------------------------------------------


def test_self_assessment_due_soon_reminds_the_contact_and_provider_users_once(db):
    # approved 20 December 2025: first self-assessment due 20 March 2026, within 30 days
    provider = make_provider(approved_on=date(2025, 12, 20), contact_email="Office@Tutors.test")
    _inspection(db, provider)
    make_user(Role.PROVIDER, provider, email="staff@tutors.test")
    make_user(Role.PROVIDER, provider, email="office@tutors.test")  # the contact, once
    make_user(Role.PROVIDER, provider, email="gone@tutors.test", active=False)
    make_user(Role.PROVIDER, _quiet_provider(db), email="other@elsewhere.test")

    counts = _run(db)

    assert counts["self_assessments"] == 2
    assert [m.to_email.lower() for m in _messages(db)] == [
        "office@tutors.test",
        "staff@tutors.test",
    ]
    message = _messages(db)[0]
    assert "20 March 2026" in message.subject and provider.name in message.subject
    assert "http://localhost:5000/self-assessments" in message.body
    assert message.sent_at is None  # no SMTP in tests: it waits in the outbox

    assert _run(db)["self_assessments"] == 0  # the same day again: nothing twice
    assert _run(db, TODAY + timedelta(days=1))["self_assessments"] == 0  # once before it is due
    assert len(_messages(db)) == 2


def test_overdue_self_assessment_is_resent_on_a_new_day_but_not_twice_a_day(db):
    provider = make_provider(approved_on=date(2020, 1, 1), contact_email="office@late.test")
    _inspection(db, provider)
    _accepted(db, provider, on=date(2025, 2, 1))  # next due 1 February 2026

    assert _run(db)["self_assessments"] == 1
    assert "overdue" in _messages(db)[0].subject.lower()
    assert _run(db)["self_assessments"] == 0
    assert _run(db, TODAY + timedelta(days=1))["self_assessments"] == 1
    assert len(_messages(db)) == 2


def test_a_self_assessment_waiting_for_the_las_review_is_not_chased(db):
    provider = make_provider(approved_on=date(2020, 1, 1), contact_email="office@done.test")
    _inspection(db, provider)
    _accepted(db, provider, on=date(2025, 2, 1))
    waiting = SelfAssessment(
        provider_id=provider.id, academic_year="2026/27", status=SelfAssessmentStatus.SUBMITTED
    )
    db.session.add(waiting)
    db.session.commit()
    assert _run(db)["self_assessments"] == 0


@pytest.mark.parametrize(
    "status", [FrameworkStatus.APPLIED, FrameworkStatus.REMOVED, FrameworkStatus.WITHDRAWN]
)
def test_providers_off_the_framework_get_no_reminders(db, status):
    provider = make_provider(
        framework_status=status, approved_on=date(2020, 1, 1), contact_email="x@off.test"
    )
    _action(db, _inspection(db, provider, date(2024, 1, 1)), TODAY - timedelta(days=5))
    make_user(Role.LA_OFFICER)
    assert set(_run(db).values()) == {0}


# ---- actions -----------------------------------------------------------------------------------


def test_open_provider_actions_due_soon_are_sent_once_and_only_those(db):
    provider = _quiet_provider(db, contact_email="office@actions.test")
    inspection = db.session.scalars(select(Inspection)).one()
    due_soon = _action(db, inspection, TODAY + timedelta(days=10))
    la_owned = _action(db, inspection, TODAY + timedelta(days=5), owner=ActionOwner.LA)
    closed = _action(db, inspection, TODAY + timedelta(days=5), status=ActionStatus.CLOSED)
    done = _action(db, inspection, TODAY + timedelta(days=5), status=ActionStatus.DONE)
    far_off = _action(db, inspection, TODAY + timedelta(days=60))
    planned = _inspection(db, provider, status=InspectionStatus.PLANNED)
    unpublished = _action(db, planned, TODAY + timedelta(days=5))

    assert _run(db)["actions"] == 1
    body = _messages(db)[0].body
    assert f"Action {due_soon.id} " in body
    assert f"http://localhost:5000/inspections/{inspection.id}" in body
    for other in (la_owned, closed, done, far_off, unpublished):
        assert f"Action {other.id} " not in body
    assert "single central record" not in body  # what the action says stays in the service

    assert _run(db)["actions"] == 0
    assert _run(db, TODAY + timedelta(days=1))["actions"] == 0


def test_overdue_actions_are_resent_each_day(db):
    provider = _quiet_provider(db, contact_email="office@slow.test")
    make_user(Role.PROVIDER, provider, email="staff@slow.test")
    inspection = db.session.scalars(select(Inspection)).one()
    _action(db, inspection, TODAY - timedelta(days=3))

    assert _run(db)["actions"] == 2
    assert all("overdue" in m.subject.lower() for m in _messages(db))
    assert _run(db)["actions"] == 0
    assert _run(db, TODAY + timedelta(days=1))["actions"] == 2


# ---- inspections, to LA staff --------------------------------------------------------------------


def test_la_staff_get_one_inspection_digest_a_day(db):
    overdue = make_provider(name="Overdue Academy", approved_on=date(2020, 1, 1))
    _inspection(db, overdue, date(2025, 1, 5))  # due 5 January 2026
    _accepted(db, overdue)
    soon = make_provider(name="Soon Tutors", approved_on=date(2020, 1, 1))
    _inspection(db, soon, date(2025, 3, 25))  # due 25 March 2026
    _accepted(db, soon)
    _inspection(db, soon, date(2026, 3, 20), status=InspectionStatus.PLANNED)
    _quiet_provider(db, name="Fine Farm")
    lead = make_user(Role.LA_LEAD, email="lead@council.test")
    officer = make_user(Role.LA_OFFICER, email="officer@council.test")
    make_user(Role.LA_OFFICER, email="left@council.test", active=False)
    make_user(Role.BOARD, email="board@council.test")
    make_user(Role.SCHOOL, email="senco@school.test")

    assert _run(db)["inspections"] == 2
    assert _to(db) == sorted([lead.email, officer.email])
    body = _messages(db)[0].body
    assert "Overdue Academy: overdue since 5 January 2026" in body
    assert "Soon Tutors: due 25 March 2026, visit planned for 20 March 2026" in body
    assert f"http://localhost:5000/providers/{overdue.id}" in body
    assert "Fine Farm" not in body
    assert body.index("Overdue Academy") < body.index("Soon Tutors")

    assert _run(db)["inspections"] == 0
    assert _run(db, TODAY + timedelta(days=1))["inspections"] == 2
    assert len(_messages(db)) == 4


def test_no_inspection_digest_when_nothing_is_due(db):
    _quiet_provider(db)
    make_user(Role.LA_LEAD)
    assert _run(db)["inspections"] == 0
    assert _messages(db) == []


# ---- placement reviews, to schools ------------------------------------------------------------


def _scene_for_reviews(db):
    school = make_school()
    senco = make_user(Role.SCHOOL, school, email="senco@school.test")
    head = make_user(Role.SCHOOL, school, email="head@school.test")
    make_user(Role.SCHOOL, school, email="left@school.test", active=False)
    provider = _quiet_provider(db)

    def placement(start, pupil_school=school, **overrides):
        pupil = make_pupil(
            pupil_school,
            first_name="Zebedee",
            last_name=f"Quixotic{start.day}",
            date_of_birth=date(2012, 7, 19),
        )
        return make_placement(
            pupil,
            provider,
            start_date=start,
            planned_end=start + timedelta(weeks=12),
            **overrides,
        )

    due_soon = placement(TODAY - timedelta(days=40))  # review due in 2 days
    overdue = placement(TODAY - timedelta(days=60))
    db.session.add(
        Review(
            placement_id=overdue.id,
            review_date=TODAY - timedelta(days=45),  # next due 3 days ago
            progress=[],
            decision=ReviewDecision.CONTINUE,
        )
    )
    db.session.commit()
    reviewed = placement(TODAY - timedelta(days=50))
    db.session.add(
        Review(
            placement_id=reviewed.id,
            review_date=TODAY - timedelta(days=5),
            progress=[],
            decision=ReviewDecision.CONTINUE,
        )
    )
    db.session.commit()
    fresh = placement(TODAY - timedelta(days=10))
    ended = placement(TODAY - timedelta(days=80), actual_end=TODAY - timedelta(days=1))
    elsewhere = placement(TODAY - timedelta(days=60), pupil_school=make_school())
    return {
        "users": (senco, head),
        "listed": (due_soon, overdue),
        "not_listed": (reviewed, fresh, ended, elsewhere),
    }


def test_school_users_get_one_review_digest_a_day_listing_placement_numbers(db):
    scene = _scene_for_reviews(db)

    assert _run(db)["reviews"] == 2
    assert _to(db) == sorted(user.email for user in scene["users"])
    body = _messages(db)[0].body
    due_soon, overdue = scene["listed"]
    assert f"Placement {due_soon.id}: review due by 12 March 2026" in body
    assert f"Placement {overdue.id}: review overdue since 7 March 2026" in body
    assert f"http://localhost:5000/placements/{overdue.id}" in body
    for placement in scene["not_listed"]:
        assert f"Placement {placement.id}:" not in body

    assert _run(db)["reviews"] == 0
    assert _run(db, TODAY + timedelta(days=1))["reviews"] == 2


def test_emails_carry_no_pupil_names_upns_or_dates_of_birth(db):
    scene = _scene_for_reviews(db)
    make_user(Role.LA_LEAD)
    _run(db)
    messages = _messages(db)
    assert messages
    pupils = [placement.pupil for placement in (*scene["listed"], *scene["not_listed"])]
    for message in messages:
        text = f"{message.subject}\n{message.body}"
        assert "Zebedee" not in text and "Quixotic" not in text
        assert "19 July 2012" not in text and "2012-07-19" not in text
        for pupil in pupils:
            assert pupil.upn not in text


# ---- the outbox and SMTP -------------------------------------------------------------------------


def test_queue_message_adds_a_key_only_once(db):
    assert mail.queue_message("k:1", "a@example.test", "Subject", "Body") is True
    assert mail.queue_message("k:1", "b@example.test", "Other", "Other") is False
    db.session.commit()
    assert [m.to_email for m in _messages(db)] == ["a@example.test"]


def test_without_smtp_messages_stay_in_the_outbox(db):
    mail.queue_message("k:1", "a@example.test", "Subject", "Body")
    db.session.commit()
    assert mail.deliver_pending(datetime(2026, 3, 10, 7, tzinfo=UTC)) == 0
    assert _messages(db)[0].sent_at is None


class FakeSMTP:
    sent: list = []
    refuse: set = set()

    def __init__(self, host, port, timeout=None):
        self.calls = [("connect", host, port)]

    def starttls(self):
        self.calls.append(("starttls",))

    def login(self, username, password):
        self.calls.append(("login", username))

    def send_message(self, message):
        import smtplib

        if message["To"] in self.refuse:
            raise smtplib.SMTPRecipientsRefused({message["To"]: (450, b"mailbox busy")})
        FakeSMTP.sent.append(message)

    def quit(self):
        pass


@pytest.fixture
def fake_smtp(app, monkeypatch):
    FakeSMTP.sent = []
    FakeSMTP.refuse = set()
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "SMTP_HOST", "smtp.example.test")
    monkeypatch.setitem(app.config, "SMTP_USERNAME", "mailer")
    monkeypatch.setitem(app.config, "SMTP_PASSWORD", "secret")
    monkeypatch.setitem(app.config, "SMTP_FROM", "ap-register@council.test")
    return FakeSMTP


def test_deliver_pending_sends_unsent_messages_once_and_marks_them_sent(db, fake_smtp):
    now = datetime(2026, 3, 10, 7, tzinfo=UTC)
    for n in range(3):
        mail.queue_message(f"k:{n}", f"person{n}@example.test", f"Subject {n}", "Body")
    db.session.commit()
    fake_smtp.refuse = {"person1@example.test"}

    assert mail.deliver_pending(now) == 2
    assert [m["To"] for m in fake_smtp.sent] == ["person0@example.test", "person2@example.test"]
    assert fake_smtp.sent[0]["From"] == "ap-register@council.test"
    db.session.expire_all()
    assert [m.sent_at is not None for m in _messages(db)] == [True, False, True]

    fake_smtp.refuse = set()
    # only the one that was refused, once its first backoff has passed
    assert mail.deliver_pending(now + timedelta(minutes=1)) == 1
    assert len(fake_smtp.sent) == 3


# ---- the command -------------------------------------------------------------------------------


def test_send_reminders_command_queues_commits_and_reports(app, db):
    provider = make_provider(approved_on=date(2020, 1, 1), contact_email="office@late.test")
    _inspection(db, provider, date(2025, 1, 5))
    make_user(Role.LA_LEAD, email="lead@council.test")
    runner = app.test_cli_runner()

    first = runner.invoke(args=["send-reminders", "--today", "2026-03-10"])
    assert first.exit_code == 0, first.output
    assert "Reminders for 2026-03-10: 2 queued" in first.output
    assert "1 self-assessment, 0 action, 1 inspection, 0 review" in first.output
    assert "outbox" in first.output
    db.session.expire_all()
    assert _to(db) == ["lead@council.test", "office@late.test"]

    again = runner.invoke(args=["send-reminders", "--today", "2026-03-10"])
    assert again.exit_code == 0, again.output
    assert "0 queued" in again.output
    assert len(_messages(db)) == 2


def test_send_reminders_command_leaves_sending_to_the_worker(app, db, fake_smtp):
    provider = make_provider(approved_on=date(2020, 1, 1), contact_email="office@late.test")
    _inspection(db, provider, date(2025, 1, 5))
    result = app.test_cli_runner().invoke(args=["send-reminders", "--today", "2026-03-10"])
    assert result.exit_code == 0, result.output
    assert "The worker (flask worker) sends them" in result.output
    assert fake_smtp.sent == []  # nothing leaves from the command itself
    assert mail.deliver_pending(datetime(2026, 3, 10, 7, tzinfo=UTC)) == 1
    assert [m["To"] for m in fake_smtp.sent] == ["office@late.test"]


def test_send_reminders_command_refuses_a_bad_date(app, db):
    result = app.test_cli_runner().invoke(args=["send-reminders", "--today", "10/03/2026"])
    assert result.exit_code == 2
    assert _messages(db) == []


def test_the_las_own_overdue_actions_go_to_its_staff_once_a_day(db):
    provider = _quiet_provider(db, name="Quiet Provider")
    inspection = db.session.scalars(select(Inspection)).one()
    _action(db, inspection, TODAY - timedelta(days=3), owner=ActionOwner.LA)
    _action(db, inspection, TODAY + timedelta(days=3), owner=ActionOwner.LA)  # not yet
    lead = make_user(Role.LA_LEAD, email="lead@council.test")
    make_user(Role.LA_OFFICER, email="officer@council.test")
    make_user(Role.PROVIDER, provider, email="staff@quiet.test")
    counts = send_reminders(TODAY)
    db.session.commit()
    assert counts["la_actions"] == 2
    sent = [m for m in _messages(db) if m.subject.startswith("The LA's inspection actions")]
    assert sorted(m.to_email for m in sent) == ["lead@council.test", "officer@council.test"]
    assert sent[0].subject == "The LA's inspection actions overdue: 1"
    assert "Quiet Provider" in sent[0].body and sent[0].kind == "action_due"
    assert send_reminders(TODAY)["la_actions"] == 0  # once a day

    # a user who switched the kind off hears no more of it
    from apregister.models import MessagePreference

    db.session.add(MessagePreference(user_id=lead.id, kind="action_due"))
    db.session.commit()
    assert send_reminders(TODAY + timedelta(days=1))["la_actions"] == 1
