import html
import re
from datetime import UTC, datetime, timedelta

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
    for text in ("officer pers", other.email.upper()):
        body = client.get("/audit", query_string={"user": text}).get_data(as_text=True)
        table = body.split("<tbody")[1]
        assert "Officer Person" in table
        assert lead.name not in table


def test_a_user_filter_with_wildcards_matches_them_literally(client, db, login_as):
    login_as(Role.LA_LEAD)
    body = client.get("/audit", query_string={"user": "%"}).get_data(as_text=True)
    assert "No events match these filters." in body


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


def test_filters_keep_their_values_on_the_page_and_in_the_pager(
    app, client, db, login_as, monkeypatch
):
    monkeypatch.setitem(app.config, "AUDIT_PAGE_SIZE", 1)
    lead = login_as(Role.LA_LEAD, name="Lead Person")
    make_provider(name="Paged Provider")
    make_provider(name="Paged Provider Two")
    today = utcnow().date()
    query = [
        ("table_name", "providers"),
        ("date_from", today.day),
        ("date_from", today.month),
        ("date_from", today.year),
    ]
    body = client.get("/audit", query_string=query).get_data(as_text=True)
    assert '<option value="providers" selected>Provider</option>' in body
    assert f'id="date_from-day" name="date_from" type="text" value="{today.day}"' in body
    page_two = re.search(r'href="(/audit\?[^"]*page=2[^"]*)"', body)
    assert page_two, "no link to page 2"
    link = html.unescape(page_two.group(1))
    assert "table_name=providers" in link and f"date_from={today.year}" in link
    body = client.get("/audit", query_string={"user": lead.name}).get_data(as_text=True)
    assert f'name="user" type="text" value="{lead.name}"' in body


def test_times_read_like_a_sentence(client, db, login_as):
    login_as(Role.LA_LEAD)
    make_provider(name="Timed Provider")
    db.session.execute(
        update(AuditEvent)
        .where(AuditEvent.table_name == "providers")
        .values(occurred_at=datetime(2026, 3, 3, 14, 15, tzinfo=UTC))
    )
    db.session.commit()
    body = client.get("/audit").get_data(as_text=True)
    assert "3 March 2026, 2:15pm" in body


def test_record_types_are_named_as_the_pages_name_them(client, db, login_as):
    login_as(Role.LA_LEAD)
    make_provider(name="Named Provider")
    body = client.get("/audit").get_data(as_text=True)
    assert '<option value="providers">Provider</option>' in body
    assert ">providers<" not in body


def test_the_filters_render_no_list_of_every_user(client, db, login_as):
    login_as(Role.LA_LEAD)
    for number in range(120):
        make_user(Role.SCHOOL, name=f"School User {number}")
    body = client.get("/audit").get_data(as_text=True)
    assert body.count("<option") < 40
