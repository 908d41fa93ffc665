"""The record-type filter lists exactly the types in the log, found by skipping through its
index one type at a time: the same few queries however many events and types there are."""

from __future__ import annotations

import re

from sqlalchemy import select

from apregister.models import AuditAction, AuditEvent, Role
from apregister.models.base import utcnow
from tests.conftest import count_queries


def _log(db, *tables) -> None:
    db.session.add_all(
        AuditEvent(occurred_at=utcnow(), action=AuditAction.UPDATE, table_name=table, record_id="1")
        for table in tables
    )
    db.session.commit()


def _types(body: str) -> list[str]:
    select_box = body[
        body.index('id="table_name"') : body.index("</select>", body.index('id="table_name"'))
    ]
    return [value for value in re.findall(r'<option value="([^"]*)"', select_box) if value]


def test_every_record_type_in_the_log_is_offered_once(client, db, login_as):
    login_as(Role.LA_LEAD)
    _log(db, "providers", "pupils", "pupils", "inspections", None, "zz_unknown", "providers")
    body = client.get("/audit").get_data(as_text=True)
    in_log = set(
        db.session.scalars(select(AuditEvent.table_name).where(AuditEvent.table_name.is_not(None)))
    )
    assert sorted(_types(body)) == sorted(in_log)


def test_the_log_runs_the_same_queries_for_more_events_and_types(client, db, login_as):
    login_as(Role.LA_LEAD)
    client.get("/audit")
    with count_queries() as few:
        client.get("/audit")
    _log(db, *(f"table_{n % 7}" for n in range(60)))
    with count_queries() as many:
        body = client.get("/audit").get_data(as_text=True)
    assert "table_6" in _types(body)
    assert len(many) == len(few)
