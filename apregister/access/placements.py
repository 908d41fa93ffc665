"""What each user may see of pupils, placements and the records kept on a placement."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, false, select

from apregister.models import (
    LA_ROLES,
    AbsenceCase,
    Attendance,
    ExtensionRequest,
    Placement,
    Pupil,
    Review,
    Role,
    User,
)


def visible_pupils(user: User) -> Select[tuple[Pupil]]:
    """LA roles: every pupil. A school: its own. A provider: the pupils placed with it (and
    views show it only the fields it needs)."""
    stmt = select(Pupil)
    if user.role in LA_ROLES:
        return stmt
    if user.role is Role.SCHOOL:
        return stmt.where(Pupil.owner_id == user.organisation_id)
    if user.role is Role.PROVIDER:
        placed = select(Placement.pupil_id).where(Placement.provider_id == user.organisation_id)
        return stmt.where(Pupil.id.in_(placed))
    return stmt.where(false())


def managed_pupils(user: User) -> Select[tuple[Pupil]]:
    """Pupils whose record this user may change: a school its own, LA roles any."""
    stmt = select(Pupil)
    if user.role in LA_ROLES:
        return stmt
    if user.role is Role.SCHOOL:
        return stmt.where(Pupil.owner_id == user.organisation_id)
    return stmt.where(false())


def _placement_scope(user: User):
    if user.role in LA_ROLES:
        return None
    if user.role is Role.SCHOOL:
        return Placement.school_id == user.organisation_id
    if user.role is Role.PROVIDER:
        return Placement.provider_id == user.organisation_id
    return false()


def visible_placements(user: User) -> Select[tuple[Placement]]:
    """LA roles: all. A school: its pupils' placements. A provider: the placements with it."""
    scope = _placement_scope(user)
    stmt = select(Placement)
    return stmt if scope is None else stmt.where(scope)


def managed_placements(user: User) -> Select[tuple[Placement]]:
    """Placements this user may review, extend, end or cancel: a school its own, LA any."""
    stmt = select(Placement)
    if user.role in LA_ROLES:
        return stmt
    if user.role is Role.SCHOOL:
        return stmt.where(Placement.school_id == user.organisation_id)
    return stmt.where(false())


def _through_placement(model, user: User) -> Select[Any]:
    scope = _placement_scope(user)
    stmt = select(model)
    if scope is None:
        return stmt
    return stmt.where(model.placement_id.in_(select(Placement.id).where(scope)))


def visible_reviews(user: User) -> Select[tuple[Review]]:
    return _through_placement(Review, user)


def visible_extension_requests(user: User) -> Select[tuple[ExtensionRequest]]:
    return _through_placement(ExtensionRequest, user)


def visible_attendance(user: User) -> Select[tuple[Attendance]]:
    return _through_placement(Attendance, user)


def visible_absence_cases(user: User) -> Select[tuple[AbsenceCase]]:
    """LA roles: every case. A school: its pupils' cases. A provider sees none: the school's
    follow-up notes are not for it (it sees the attendance it recorded)."""
    stmt = select(AbsenceCase)
    if user.role in LA_ROLES:
        return stmt
    if user.role is Role.SCHOOL:
        return stmt.where(
            AbsenceCase.placement_id.in_(
                select(Placement.id).where(Placement.school_id == user.organisation_id)
            )
        )
    return stmt.where(false())
