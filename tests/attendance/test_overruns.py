"""An overrunning placement (past its planned end, no end recorded) stays on the provider's
attendance register until it is ended, and its sessions can still be recorded."""

from __future__ import annotations

from datetime import timedelta

from apregister.attendance.forms import field_name
from apregister.models import AttendanceCode, Role
from tests.attendance.test_views import (
    AM,
    LAST_MONDAY,
    THIS_MONDAY,
    TODAY,
    _post,
    _rows,
    _scene,
    _selects,
    _text,
)


def test_an_overrun_stays_on_the_register_and_its_sessions_are_recorded(client, db, login_as):
    provider, _, placement = _scene(
        start_date=LAST_MONDAY - timedelta(weeks=13),
        planned_end=LAST_MONDAY - timedelta(weeks=1),  # before last week: overrunning
        session_mask=0b1111111111,
    )
    login_as(Role.PROVIDER, provider)
    page = _text(client.get(f"/attendance?week={LAST_MONDAY.isoformat()}"))
    assert "Ada Lovelace" in page
    name = field_name(placement.id, LAST_MONDAY, AM)
    assert name in _selects(page)
    assert _post(client, {name: AttendanceCode.PRESENT.value}).status_code == 302
    assert _rows(db)[(placement.id, LAST_MONDAY, AM)] is AttendanceCode.PRESENT
    # this week too, and the placement page says why it is still there
    assert "Ada Lovelace" in _text(client.get(f"/attendance?week={THIS_MONDAY.isoformat()}"))
    shown = _text(client.get(f"/placements/{placement.id}"))
    assert "Overrunning: past its planned end" in shown
    assert "Review overdue" not in shown  # a provider sees only what it acts on


def test_an_ended_overrun_leaves_the_register(client, db, login_as):
    provider, _, placement = _scene(
        start_date=LAST_MONDAY - timedelta(weeks=13),
        planned_end=LAST_MONDAY - timedelta(weeks=2),
        actual_end=LAST_MONDAY - timedelta(days=3),
    )
    login_as(Role.PROVIDER, provider)
    assert "Ada Lovelace" not in _text(client.get(f"/attendance?week={LAST_MONDAY.isoformat()}"))
    assert placement.actual_end < TODAY
