import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from apregister.models import (
    ComplianceDocument,
    DocumentKind,
    FrameworkStatus,
    FrameworkStatusChange,
    Provider,
    Role,
)
from apregister.providers import operations, rules
from apregister.uploads import check_upload
from tests.conftest import count_queries, make_provider, make_user, sign_in, submit

PDF = b"%PDF-1.4\n% test document\n"


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def _add_document(db, provider, kind=DocumentKind.INSURANCE, expires=None):
    expires = expires or date.today() + timedelta(days=200)
    document = operations.add_document(
        provider,
        kind=kind,
        title=kind.label,
        issued_on=None,
        expires_on=expires if kind is DocumentKind.INSURANCE else None,
        upload=check_upload(PDF, stem="doc"),
        by=None,
    )
    db.session.commit()
    return document


def _complete_checklist(db, provider):
    for kind in rules.REQUIRED_DOCUMENTS:
        _add_document(db, provider, kind)


# ---- who may open what ------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_role_by_page_table(client, db, login_as, role):
    approved = make_provider(framework_status=FrameworkStatus.APPROVED)
    user = login_as(role, approved if role is Role.PROVIDER else None)
    la = role in (Role.LA_LEAD, Role.LA_OFFICER)
    staff = role is not Role.BOARD
    expected = {
        "/providers": 200 if staff else 403,
        "/providers/export.csv": 200 if staff else 403,
        f"/providers/{approved.id}": 200 if staff else 403,
        "/providers/new": 200 if la else 403,
        "/providers/applications": 200 if la else 403,
        f"/providers/{approved.id}/edit": 200 if la else 403,
        f"/providers/{approved.id}/invite": 200 if la else 403,
        f"/providers/{approved.id}/framework-status": 200 if la or role is Role.PROVIDER else 403,
        f"/providers/{approved.id}/profile": 200 if role is Role.PROVIDER else 403,
        f"/providers/{approved.id}/documents/new": (200 if la or role is Role.PROVIDER else 403),
    }
    assert user.role is role
    for path, status in expected.items():
        assert client.get(path).status_code == status, path


def test_school_sees_only_approved_providers_and_never_internal_fields(client, db, login_as):
    approved = make_provider(name="Open Door", internal_notes="Secret LA note")
    _add_document(db, approved)
    suspended = make_provider(name="Closed Door", framework_status=FrameworkStatus.SUSPENDED)
    login_as(Role.SCHOOL)
    listing = client.get("/providers").get_data(as_text=True)
    assert "Open Door" in listing
    assert "Closed Door" not in listing
    page = client.get(f"/providers/{approved.id}").get_data(as_text=True)
    assert "Secret LA note" not in page
    assert "Compliance documents" not in page
    assert "Framework history" not in page
    assert client.get(f"/providers/{suspended.id}").status_code == 404


def test_another_provider_cannot_see_or_change_a_providers_records(client, db, login_as):
    mine = make_provider(framework_status=FrameworkStatus.APPROVED)
    theirs = make_provider(framework_status=FrameworkStatus.SUSPENDED, internal_notes="x")
    their_document = _add_document(db, theirs)
    login_as(Role.PROVIDER, mine)
    for path in [
        f"/providers/{theirs.id}",
        f"/providers/{theirs.id}/profile",
        f"/providers/{theirs.id}/framework-status",
        f"/providers/{theirs.id}/documents/new",
        f"/providers/{theirs.id}/documents/{their_document.id}",
        f"/providers/{mine.id}/documents/{their_document.id}",
    ]:
        assert client.get(path).status_code == 404, path
    response = submit(
        client,
        f"/providers/{theirs.id}/profile",
        {"contact_phone": "01632 960 002"},
        form_path=f"/providers/{mine.id}/profile",
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Provider, theirs.id).contact_phone is None


def test_another_approved_provider_is_seen_as_the_directory_sees_it(client, db, login_as):
    mine = make_provider()
    theirs = make_provider(internal_notes="Not for you", safeguarding_lead_name="Ms DSL")
    _add_document(db, theirs)
    login_as(Role.PROVIDER, mine)
    page = client.get(f"/providers/{theirs.id}").get_data(as_text=True)
    assert "Not for you" not in page
    assert "Ms DSL" not in page
    assert "Compliance documents" not in page
    assert "Change your details" not in page


# ---- the LA's register work -------------------------------------------------------------------


def _provider_form(**overrides):
    values = {
        "name": "Riverside Tuition",
        "registration_type": "tuition",
        "urn": "",
        "ukprn": "10099999",
        "postcode": "de1 1aa",
        "contact_email": "office@riverside.example",
        "contact_phone": "01632 960 003",
        "specialisms": ["semh", "autism"],
        "key_stages": ["ks3"],
        "daily_rate": "95.50",
        "area": "North",
    }
    return values | overrides


def test_la_adds_a_provider_as_an_application_with_its_tags(client, db, login_as):
    login_as(Role.LA_OFFICER)
    response = submit(client, "/providers/new", _provider_form())
    assert response.status_code == 302
    provider = db.session.scalars(select(Provider)).one()
    assert provider.framework_status is FrameworkStatus.APPLIED
    assert provider.postcode == "DE1 1AA"
    assert provider.contact_phone == "01632960003"
    assert [s.value for s in provider.specialisms] == ["semh", "autism"]
    assert [c.to_status for c in provider.status_changes] == [FrameworkStatus.APPLIED]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter the provider&#39;s name"),
        ({"registration_type": ""}, "Select the type of setting"),
        ({"registration_type": "casino"}, "Select the type of setting"),
        ({"urn": "12345"}, "URN must be 6 digits"),
        ({"ukprn": "20012345"}, "UKPRN must be 8 digits starting with 1"),
        ({"postcode": "NOT A CODE"}, "Enter a real postcode"),
        ({"contact_email": "office-at-riverside"}, "Enter an email address in the correct format"),
        ({"contact_phone": "12"}, "Enter a UK telephone number"),
        ({"daily_rate": "lots"}, "Not a valid decimal value"),
        ({"specialisms": ["juggling"]}, "Select specialisms from the list"),
        ({"capacity": "-3"}, "Places must be a whole number from 0 to 10000"),
        ({"ofsted_date": ["1", "1", "2020"]}, "Select the judgement given on this date"),
    ],
)
def test_bad_provider_input_gets_field_errors_and_writes_nothing(
    client, db, login_as, overrides, message
):
    login_as(Role.LA_LEAD)
    before = _count(db, Provider)
    response = submit(client, "/providers/new", _provider_form(**overrides))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert message in body
    assert _count(db, Provider) == before


@pytest.mark.parametrize(
    ("field", "value"), [("name", "riverside  TUITION"), ("urn", "140101"), ("ukprn", "10099999")]
)
def test_duplicate_name_urn_or_ukprn_is_refused(client, db, login_as, field, value):
    make_provider(name="Riverside Tuition", urn="140101", ukprn="10099999")
    login_as(Role.LA_LEAD)
    form = _provider_form(name="Someone Else", ukprn="", urn="") | {field: value}
    response = submit(client, "/providers/new", form)
    assert "is already on the register" in response.get_data(as_text=True)
    assert _count(db, Provider) == 1


def test_approval_needs_the_checklist_or_a_reason_to_override_it(client, db, login_as):
    provider = make_provider(framework_status=FrameworkStatus.APPLIED)
    login_as(Role.LA_OFFICER)
    path = f"/providers/{provider.id}/framework-status"
    response = submit(client, path, {"decision": "approve", "reason": "Looks good"})
    assert "The admission checklist is not complete" in response.get_data(as_text=True)
    assert _count(db, FrameworkStatusChange) == 0

    response = submit(
        client,
        path,
        {"decision": "approve", "reason": "Looks good", "override": "Urgent need; checks due"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    approved = db.session.get(Provider, provider.id)
    assert approved.framework_status is FrameworkStatus.APPROVED
    assert approved.approved_on == date.today()
    change = db.session.scalars(select(FrameworkStatusChange)).one()
    assert (change.from_status, change.to_status) == (
        FrameworkStatus.APPLIED,
        FrameworkStatus.APPROVED,
    )
    assert change.checklist_override == "Urgent need; checks due"


def test_approval_with_a_complete_checklist_needs_no_override(client, db, login_as):
    provider = make_provider(framework_status=FrameworkStatus.APPLIED)
    _complete_checklist(db, provider)
    login_as(Role.LA_LEAD)
    response = submit(
        client,
        f"/providers/{provider.id}/framework-status",
        {"decision": "approve", "reason": "All checks done"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Provider, provider.id).framework_status is FrameworkStatus.APPROVED


@pytest.mark.parametrize(
    ("status", "decision", "after"),
    [
        (FrameworkStatus.APPROVED, "suspend", FrameworkStatus.SUSPENDED),
        (FrameworkStatus.APPROVED, "remove", FrameworkStatus.REMOVED),
        (FrameworkStatus.APPLIED, "reject", FrameworkStatus.REJECTED),
    ],
)
def test_la_decisions_change_the_status_with_a_reason(
    client, db, login_as, status, decision, after
):
    provider = make_provider(framework_status=status)
    lead = login_as(Role.LA_LEAD)
    response = submit(
        client,
        f"/providers/{provider.id}/framework-status",
        {"decision": decision, "reason": "Decided at panel"},
    )
    assert response.status_code == 302
    change = db.session.scalars(select(FrameworkStatusChange)).one()
    assert (change.to_status, change.reason, change.changed_by_id) == (
        after,
        "Decided at panel",
        lead.id,
    )


def test_decision_without_a_reason_or_not_open_is_refused(client, db, login_as):
    provider = make_provider(framework_status=FrameworkStatus.REMOVED)
    login_as(Role.LA_LEAD)
    path = f"/providers/{provider.id}/framework-status"
    response = submit(client, path, {"decision": "reinstate", "reason": ""})
    body = response.get_data(as_text=True)
    assert "Select a decision" in body
    assert "Enter the reason for this decision" in body
    assert _count(db, FrameworkStatusChange) == 0


def test_provider_withdraws_itself_but_cannot_approve_itself(client, db, login_as):
    provider = make_provider(framework_status=FrameworkStatus.SUSPENDED)
    login_as(Role.PROVIDER, provider)
    path = f"/providers/{provider.id}/framework-status"
    response = submit(client, path, {"decision": "reinstate", "reason": "Please"})
    assert "Select a decision" in response.get_data(as_text=True)
    response = submit(client, path, {"decision": "withdraw", "reason": "Closing down"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Provider, provider.id).framework_status is FrameworkStatus.WITHDRAWN


def test_provider_changes_its_contact_but_not_its_status_or_notes(client, db, login_as):
    provider = make_provider(internal_notes="LA only")
    login_as(Role.PROVIDER, provider)
    response = submit(
        client,
        f"/providers/{provider.id}/profile",
        {
            "contact_phone": "01632 960 004",
            "capacity": "12",
            "framework_status": "approved",
            "internal_notes": "hacked",
            "name": "New Name",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(Provider, provider.id)
    assert changed.contact_phone == "01632960004"
    assert changed.capacity == 12
    assert changed.internal_notes == "LA only"
    assert changed.name == provider.name


# ---- documents -----------------------------------------------------------------------------


def _upload(client, provider, data: bytes, filename: str, **overrides):
    expiry = date.today() + timedelta(days=365)
    form = {
        "kind": "insurance",
        "title": "Insurance 2026",
        "expires_on": [str(expiry.day), str(expiry.month), str(expiry.year)],
        "upload": (io.BytesIO(data), filename),
    } | overrides
    return submit(
        client,
        f"/providers/{provider.id}/documents/new",
        form,
        content_type="multipart/form-data",
    )


def test_provider_uploads_a_document_and_downloads_it_as_an_attachment(client, db, login_as):
    provider = make_provider()
    login_as(Role.PROVIDER, provider)
    response = _upload(client, provider, PDF, "my insurance <script>.pdf")
    assert response.status_code == 302
    document = db.session.scalars(select(ComplianceDocument)).one()
    assert "script" not in document.file_name
    download = client.get(f"/providers/{provider.id}/documents/{document.id}")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("data", "filename", "overrides", "message"),
    [
        (b"just text", "notes.pdf", {}, "must be a PDF, DOCX, PNG or JPEG"),
        (b"", "empty.pdf", {}, "The selected file is empty"),
        (PDF, "x.pdf", {"expires_on": ["", "", ""]}, "Enter the date the insurance expires"),
        (
            PDF,
            "x.pdf",
            {"issued_on": ["1", "1", "2030"], "expires_on": ["1", "1", "2029"]},
            "The expiry date must be after the issue date",
        ),
        (PDF, "x.pdf", {"expires_on": ["31", "2", "2027"]}, "must be a real date"),
        (PDF, "x.pdf", {"kind": "diary"}, "Select the type of document"),
    ],
)
def test_bad_upload_gets_a_field_error_and_writes_nothing(
    client, db, login_as, data, filename, overrides, message
):
    provider = make_provider()
    login_as(Role.PROVIDER, provider)
    response = _upload(client, provider, data, filename, **overrides)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _count(db, ComplianceDocument) == 0


def test_la_sees_document_expiry_states_on_the_provider_page(client, db, login_as):
    provider = make_provider()
    _add_document(db, provider, expires=date.today() + timedelta(days=10))
    login_as(Role.LA_OFFICER)
    page = client.get(f"/providers/{provider.id}").get_data(as_text=True)
    assert "Expiring soon" in page


# ---- applying and inviting -----------------------------------------------------------------


def test_anyone_may_apply_and_the_application_waits_for_the_la(app, client, db, login_as):
    response = submit(
        client,
        "/apply",
        {
            "name": "Fresh Start Mentoring",
            "registration_type": "therapeutic",
            "contact_name": "Pat Lee",
            "contact_email": "pat@freshstart.example",
        },
    )
    assert response.headers["Location"] == "/apply/sent"
    provider = db.session.scalars(select(Provider)).one()
    assert provider.framework_status is FrameworkStatus.APPLIED
    lead_client = app.test_client()
    sign_in(lead_client, make_user(Role.LA_LEAD))
    queue = lead_client.get("/providers/applications").get_data(as_text=True)
    assert "Fresh Start Mentoring" in queue


def test_application_with_bad_input_writes_nothing(client, db):
    response = submit(client, "/apply", {"name": "", "contact_email": "nope"})
    body = response.get_data(as_text=True)
    assert "Enter the provider&#39;s name" in body
    assert "Enter your name" in body
    assert "Enter an email address in the correct format" in body
    assert _count(db, Provider) == 0


# ---- lists and exports ------------------------------------------------------------------


def test_filters_search_and_counts(client, db, login_as):
    make_provider(name="Alpha Autism Centre", specialisms=["autism"], area="North")
    make_provider(name="Beta Tuition", specialisms=["semh"], area="South")
    make_provider(name="Gamma Applied", framework_status=FrameworkStatus.APPLIED)
    login_as(Role.LA_OFFICER)
    body = client.get("/providers", query_string={"specialism": "autism"}).get_data(as_text=True)
    assert "Alpha Autism Centre" in body and "Beta Tuition" not in body
    assert "<strong>1</strong> provider match" in body
    body = client.get("/providers", query_string={"q": "beta"}).get_data(as_text=True)
    assert "Beta Tuition" in body and "Alpha" not in body
    body = client.get("/providers", query_string={"status": "applied"}).get_data(as_text=True)
    assert "Gamma Applied" in body and "Beta Tuition" not in body
    body = client.get("/providers", query_string={"area": "South"}).get_data(as_text=True)
    assert "Beta Tuition" in body and "Alpha" not in body


def test_export_has_the_filtered_rows_and_the_users_columns(app, client, db, login_as):
    make_provider(name="Alpha", specialisms=["autism"], daily_rate=90)
    make_provider(name="Beta", specialisms=["semh"])
    make_provider(name="Hidden", framework_status=FrameworkStatus.SUSPENDED)
    login_as(Role.LA_LEAD)
    csv_text = client.get("/providers/export.csv", query_string={"specialism": "autism"}).get_data(
        as_text=True
    )
    assert "Framework status" in csv_text.splitlines()[0]
    assert "Alpha" in csv_text and "Beta" not in csv_text

    school_client = app.test_client()
    sign_in(school_client, make_user(Role.SCHOOL))
    response = school_client.get("/providers/export.csv")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = response.get_data(as_text=True)
    assert "Hidden" not in text
    assert "Daily rate" not in text and "Framework status" not in text


def test_register_list_query_count_does_not_grow_with_rows(client, db, login_as):
    login_as(Role.LA_LEAD)
    make_provider(specialisms=["semh"])
    with count_queries() as few:
        client.get("/providers")
    for _ in range(20):
        make_provider(specialisms=["semh", "autism"], key_stages=["ks3"])
    with count_queries() as many:
        client.get("/providers")
    assert len(many) == len(few)


def test_provider_home_runs_the_same_queries_with_documents_to_renew(client, db, login_as):
    provider = make_provider(name="Renewing Tutors")
    login_as(Role.PROVIDER, provider)
    client.get("/")  # anything done once per session happens here
    with count_queries() as none_due:
        assert ": expires " not in client.get("/").get_data(as_text=True)
    _add_document(db, provider, expires=date.today() + timedelta(days=5))
    with count_queries() as one_due:
        assert ": expires " in client.get("/").get_data(as_text=True)
    assert len(one_due) == len(none_due)
