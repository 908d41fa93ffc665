"""Each side of the agreement hears when the other has done its part (issue 11, "a message when
something changes that someone else has to act on"), and the task list's flag is for placements
running today."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from apregister.checks import operations, queries
from apregister.models import OutboxMessage, Role
from apregister.settings import current_settings
from tests.conftest import make_placement, make_provider, make_pupil, make_school, make_user

TODAY = date.today()
CONTACTS = {
    "dsl_name": "Dee Lead",
    "dsl_phone": "01632 960001",
    "lead_name": "Lee Placement",
    "lead_email": "lead@school.test",
    "provider_contact_name": "Pat Provider",
    "provider_contact_phone": "01632 960002",
}


def _messages(db, kind: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        )
    )


def _scene(db):
    school, provider = make_school(), make_provider()
    teacher = make_user(Role.SCHOOL, school, email="teacher@school.test")
    staff = make_user(Role.PROVIDER, provider, email="staff@provider.test")
    make_user(Role.PROVIDER, make_provider(name="Elsewhere"), email="other@elsewhere.test")
    placement = make_placement(make_pupil(school), provider, start_date=TODAY + timedelta(days=7))
    operations.update_contacts(placement, CONTACTS, by=teacher)
    db.session.commit()
    return placement, teacher, staff


def test_the_provider_is_asked_to_confirm_and_the_school_told_when_it_has(db):
    placement, teacher, staff = _scene(db)
    operations.confirm_agreement(
        placement, as_provider=False, by=teacher, today=TODAY, details="Who does what"
    )
    db.session.commit()
    [asked] = _messages(db, "agreement_to_confirm")
    assert asked.to_email == "staff@provider.test"
    assert asked.subject == f"An agreement to confirm: placement {placement.id}"
    assert asked.personalisation["link"].endswith(f"/placements/{placement.id}/agreement")
    assert placement.pupil.name not in asked.subject + asked.body

    # confirming again, unchanged, asks nothing new; a change to who does what asks again
    operations.confirm_agreement(
        placement, as_provider=False, by=teacher, today=TODAY, details="Who does what"
    )
    db.session.commit()
    assert len(_messages(db, "agreement_to_confirm")) == 1

    operations.confirm_agreement(placement, as_provider=True, by=staff, today=TODAY)
    db.session.commit()
    [told] = _messages(db, "agreement_confirmed")
    assert told.to_email == "teacher@school.test"
    assert "staff@provider.test" not in [m.to_email for m in _messages(db, "agreement_confirmed")]


def test_a_user_who_switched_the_kind_off_is_not_asked(db):
    from apregister.models import MessagePreference

    placement, teacher, staff = _scene(db)
    db.session.add(MessagePreference(user_id=staff.id, kind="agreement_to_confirm"))
    db.session.commit()
    operations.confirm_agreement(
        placement, as_provider=False, by=teacher, today=TODAY, details="Who does what"
    )
    db.session.commit()
    assert _messages(db, "agreement_to_confirm") == []


def test_only_a_placement_running_today_is_flagged_as_started_without_checks(db):
    school, provider = make_school(), make_provider()
    teacher = make_user(Role.SCHOOL, school)
    running = make_placement(make_pupil(school), provider, start_date=TODAY - timedelta(days=3))
    ended = make_placement(
        make_pupil(school),
        provider,
        start_date=TODAY - timedelta(days=100),
        planned_end=TODAY - timedelta(days=20),
        actual_end=TODAY - timedelta(days=20),
    )
    db.session.commit()
    settings = current_settings()

    def flagged(placement) -> bool:
        return queries.task_list(
            placement, teacher, settings, TODAY, lambda item: ""
        ).started_without_checks

    assert flagged(running) and not flagged(ended)


def test_the_task_list_shows_an_agreement_waiting_for_the_provider(db):
    placement, teacher, staff = _scene(db)
    settings = current_settings()

    def status() -> str:
        tasks = queries.task_list(placement, teacher, settings, TODAY, lambda item: "").tasks
        return next(task.status for task in tasks if task.item.value == "agreement")

    assert status() == "Incomplete"
    operations.confirm_agreement(
        placement, as_provider=False, by=teacher, today=TODAY, details="Who does what"
    )
    db.session.commit()
    assert status() == "Waiting for the provider"
    operations.confirm_agreement(placement, as_provider=True, by=staff, today=TODAY)
    db.session.commit()
    assert status() == "Completed"
