from datetime import timedelta

from sqlalchemy import update

from apregister.models import AuditEvent, Role
from apregister.models.base import utcnow
from tests.conftest import count_queries, make_provider, make_user, sign_in


def test_lead_sees_the_log_newest_first(client, db, login_as):
    login_as(Role.LA_LEAD)
    make_provider(name="Logged Provider")
    body = client.get("/audit").get_data(as_text=True)
    assert "Logged Provider" in body
    assert body.index("Logged Provider") < body.index("Sign in")


def test_filter_by_user(app, client, db, login_as):
    lead = login_as(Role.LA_LEAD, name="Lead Person")
    other = make_user(Role.LA_OFFICER, name="Officer Person")
    sign_in(app.test_client(), other)
    body = client.get("/audit", query_string={"user_id": other.id}).get_data(as_text=True)
    table = body.split("<tbody")[1]
    assert "Officer Person" in table
    assert lead.name not in table


def test_filter_by_record(client, db, login_as):
    login_as(Role.LA_LEAD)
    first = make_provider(name="First Provider")
    make_provider(name="Second Provider")
    body = client.get(
        "/audit", query_string={"table_name": "providers", "record_id": first.id}
    ).get_data(as_text=True)
    assert "First Provider" in body
    assert "Second Provider" not in body


def test_filter_by_date(client, db, login_as):
    login_as(Role.LA_LEAD)
    make_provider(name="Old Provider")
    db.session.execute(
        update(AuditEvent)
        .where(AuditEvent.table_name == "providers")
        .values(occurred_at=utcnow() - timedelta(days=40))
    )
    db.session.commit()
    today = utcnow().date()
    query = [("date_from", today.day), ("date_from", today.month), ("date_from", today.year)]
    body = client.get("/audit", query_string=query).get_data(as_text=True)
    assert "Old Provider" not in body


def test_bad_filters_get_field_errors_not_a_500(client, db, login_as):
    login_as(Role.LA_LEAD)
    query = [
        ("record_id", "abc"),
        ("date_from", "31"),
        ("date_from", "2"),
        ("date_from", "2026"),
        ("date_to", "1"),  # month and year left out of the post altogether
    ]
    response = client.get("/audit", query_string=query)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Record number must be a number" in body
    assert "The from date must be a real date" in body
    assert "The to date must include a month and year" in body


def test_audit_page_query_count_does_not_grow_with_rows(client, db, login_as):
    login_as(Role.LA_LEAD)
    for _ in range(3):
        make_provider()
    with count_queries() as few:
        client.get("/audit")
    for _ in range(30):
        make_user(Role.SCHOOL)
    with count_queries() as many:
        client.get("/audit")
    assert len(many) == len(few)
