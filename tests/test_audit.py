from sqlalchemy import select

from apregister.audit import REDACTED, acting_as
from apregister.models import (
    AuditAction,
    AuditEvent,
    FrameworkStatus,
    Provider,
    RegistrationType,
    Role,
)
from tests.conftest import make_provider, make_user, sign_in, submit


def _rows(db, table, action=None):
    stmt = select(AuditEvent).where(AuditEvent.table_name == table).order_by(AuditEvent.id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return db.session.scalars(stmt).all()


def test_insert_update_delete_each_write_one_row_with_old_and_new_values(db):
    actor = make_user(Role.LA_OFFICER)
    with acting_as(actor):
        provider = Provider(
            name="Audit Test Provider",
            registration_type=RegistrationType.TUITION,
            framework_status=FrameworkStatus.APPLIED,
        )
        db.session.add(provider)
        db.session.commit()
        provider.framework_status = FrameworkStatus.APPROVED
        db.session.commit()
        provider_id = provider.id
        db.session.delete(provider)
        db.session.commit()

    rows = _rows(db, "providers")
    assert [row.action for row in rows] == [
        AuditAction.INSERT,
        AuditAction.UPDATE,
        AuditAction.DELETE,
    ]
    assert {row.record_id for row in rows} == {str(provider_id)}
    assert {row.user_id for row in rows} == {actor.id}
    assert {row.organisation_id for row in rows} == {actor.organisation_id}
    inserted, updated, deleted = (row.changes for row in rows)
    assert inserted["name"] == {"old": None, "new": "Audit Test Provider"}
    assert updated == {"framework_status": {"old": "applied", "new": "approved"}}
    assert deleted["framework_status"] == {"old": "approved", "new": None}


def test_an_update_that_changes_nothing_writes_nothing(db):
    provider = make_provider(name="Same Name")
    before = len(_rows(db, "providers"))
    provider.name = "Same Name"
    db.session.commit()
    assert len(_rows(db, "providers")) == before


def test_password_hashes_never_reach_the_log(db):
    make_user()
    row = _rows(db, "users", AuditAction.INSERT)[0]
    assert row.changes["password_hash"] == {"old": None, "new": REDACTED}


def test_changes_made_through_a_page_are_attributed_to_the_signed_in_user(client, db):
    lead = make_user(Role.LA_LEAD)
    sign_in(client, lead)
    response = submit(
        client,
        "/users/new",
        {
            "name": "New Officer",
            "email": "new.officer@example.test",
            "role": "la_officer",
            "organisation_id": str(lead.organisation_id),
            "password": "a perfectly good passphrase",
        },
    )
    assert response.status_code == 302
    row = _rows(db, "users", AuditAction.INSERT)[-1]
    assert row.user_id == lead.id
    assert row.changes["email"]["new"] == "new.officer@example.test"


def test_no_route_can_change_or_delete_audit_rows(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("audit_log."):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
    # and no other view touches the audit table except to add to it
    for endpoint in app.view_functions:
        assert "delete_audit" not in endpoint and "edit_audit" not in endpoint
