"""What a school or a provider should look at today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import Select, and_, case, exists, func, select
from sqlalchemy.orm import aliased

from apregister.attendance.queries.weeks import SESSIONS
from apregister.extensions import db
from apregister.models import Attendance, AttendanceCode, Organisation, Placement, Pupil, Session
from apregister.placements.queries import during, running_union
from apregister.placements.rules import attends, slot_bit
from apregister.placements.summaries import Keep, build_anew
from apregister.sql import not_indexed


class Attention(StrEnum):
    NOT_RECORDED = "not_recorded"
    UNAUTHORISED = "unauthorised"

    @property
    def label(self) -> str:
        return {"not_recorded": "Not recorded", "unauthorised": "Unauthorised absence"}[self.value]


@dataclass(frozen=True)
class AttentionItem:
    """A session today a school should know about."""

    placement_id: int
    pupil_name: str
    provider_name: str
    session: Session
    what: Attention


def school_attention_today(
    school_id: int, today: date, *, keep: Keep = build_anew
) -> list[AttentionItem]:
    """For the school's placements running today: sessions in the pattern not yet recorded,
    and unauthorised absences. One query, a row for each placement with both of today's
    marks: the placements from the ranges of ix_placements_running (the school tested there,
    not walked: a school has thousands of placements over the years, a few hundred running),
    the marks by the attendance key. `keep` may keep the statement (summaries.Keep)."""
    rows = db.session.execute(keep("attention today", lambda: _attention_today(school_id, today)))
    items = []
    for placement_id, mask, first, last, provider_name, *codes in rows:
        for half, session in enumerate(SESSIONS):
            code = codes[half]
            if code is AttendanceCode.UNAUTHORISED:
                what = Attention.UNAUTHORISED
            elif code is None and attends(mask, today, half):
                what = Attention.NOT_RECORDED
            else:
                continue
            items.append(
                AttentionItem(placement_id, f"{first} {last}", provider_name, session, what)
            )
    return items


def _attention_today(school_id: int, today: date) -> Select:
    """`school_attention_today`'s statement."""
    running = running_union(
        select(Placement.id, Placement.session_mask, Placement.pupil_id, Placement.provider_id)
        .where(not_indexed(Placement.school_id) == school_id)
        .order_by(None),
        **during(today, today),
    ).subquery("running")
    r = running.c
    morning, afternoon = aliased(Attendance), aliased(Attendance)

    def mark(alias, session: Session):
        return and_(alias.placement_id == r.id, alias.date == today, alias.session == session)

    return (
        select(
            r.id,
            r.session_mask,
            Pupil.first_name,
            Pupil.last_name,
            Organisation.name,
            morning.code,
            afternoon.code,
        )
        .select_from(running)
        .join(Pupil, Pupil.id == r.pupil_id)
        .join(Organisation, Organisation.id == r.provider_id)
        .outerjoin(morning, mark(morning, Session.AM))
        .outerjoin(afternoon, mark(afternoon, Session.PM))
        .order_by(Pupil.last_name, Pupil.first_name, r.id)
    )


def sessions_to_record_today(provider_id: int, today: date) -> Select | None:
    """How many of today's sessions, in the patterns of the provider's placements running
    today, are not yet recorded: a select of that one number, for a page to ask beside its
    other figures (None at the weekend, when there is nothing to record). The placements
    are read from the ranges of ix_placements_running (the provider tested there, not walked
    through all it ever had), the marks by the attendance key."""
    if today.weekday() >= 5:
        return None
    running = running_union(
        select(Placement.id, Placement.session_mask)
        .where(not_indexed(Placement.provider_id) == provider_id)
        .order_by(None),
        **during(today, today),
    ).subquery("running")
    r = running.c

    def due(half: int):
        in_pattern = r.session_mask.bitwise_and(slot_bit(today.weekday(), half)) != 0
        recorded = exists().where(
            Attendance.placement_id == r.id,
            Attendance.date == today,
            Attendance.session == SESSIONS[half],
        )
        return case((and_(in_pattern, ~recorded), 1), else_=0)

    return select(func.coalesce(func.sum(due(0) + due(1)), 0)).select_from(running)


def provider_sessions_to_record_today(provider_id: int, today: date) -> int:
    """`sessions_to_record_today`, asked on its own. One query (none at the weekend)."""
    stmt = sessions_to_record_today(provider_id, today)
    return 0 if stmt is None else int(db.session.scalar(stmt) or 0)
