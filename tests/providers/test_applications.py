"""Applying to join the framework (issue 13): a reference number, what happens next, and the
documents sent with the application."""

import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from apregister.models import (
    ComplianceDocument,
    DocumentKind,
    FrameworkDecision,
    FrameworkStatus,
    OutboxMessage,
    Provider,
    Role,
)
from apregister.providers import applying, operations
from apregister.uploads import MAX_UPLOAD_BYTES
from tests.conftest import make_provider, make_user, sign_in, submit

PDF = b"%PDF-1.4\n% test document\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
REFERENCE = re.compile(r"AP-[2-9A-HJ-NP-Z]{8}")


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def _expiry(days=365):
    day = date.today() + timedelta(days=days)
    return [str(day.day), str(day.month), str(day.year)]


def _apply(client, name="Fresh Start Mentoring", **extra):
    form = {
        "name": name,
        "registration_type": "therapeutic",
        "contact_name": "Pat Lee",
        "contact_email": "pat@freshstart.example",
    } | extra
    return submit(client, "/apply", form, content_type="multipart/form-data")


def _file(data: bytes, name: str = "file.pdf"):
    return (io.BytesIO(data), name)


# ---- the reference number ---------------------------------------------------------------------


def test_a_reference_has_an_unambiguous_alphabet_and_no_order():
    assert not set("01IO") & set(applying.ALPHABET)
    references = {applying.new_reference() for _ in range(200)}
    assert len(references) == 200
    assert all(REFERENCE.fullmatch(ref) and applying.is_reference(ref) for ref in references)
    assert applying.new_reference(lambda alphabet: alphabet[0]) == "AP-22222222"
    for text in ("AP-2222222", "AP-2222222O", "XX-22222222", "ap-22222222", ""):
        assert not applying.is_reference(text)


def test_a_reference_already_given_is_never_given_again(db, monkeypatch):
    taken = make_provider(application_reference="AP-22222222")
    drawn = iter(["AP-22222222", "AP-33333333"])
    monkeypatch.setattr(applying, "new_reference", lambda: next(drawn))
    assert applying.unused_reference() == "AP-33333333"
    assert taken.application_reference == "AP-22222222"


def test_the_confirmation_panel_shows_the_reference_and_what_happens_next(app, client, db):
    response = _apply(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/apply/sent"
    provider = db.session.scalars(select(Provider)).one()
    assert REFERENCE.fullmatch(provider.application_reference)

    page = client.get("/apply/sent").get_data(as_text=True)
    panel = page[page.index('class="govuk-panel') : page.index("</div>", page.index("govuk-panel"))]
    assert "Application complete" in panel
    assert "Your reference number" in panel
    assert provider.application_reference in panel
    assert "What happens next" in page
    assert "Keep your reference number" in page
    assert "may visit your setting" in page
    assert "We will email" in page
    # nothing was sent, so every document is still needed
    assert "Public liability insurance" in page


def test_each_application_gets_its_own_reference(app, db):
    first, second = app.test_client(), app.test_client()
    _apply(first, name="First Tutors")
    _apply(second, name="Second Tutors")
    references = dict(
        db.session.execute(select(Provider.name, Provider.application_reference)).all()
    )
    assert references["First Tutors"] != references["Second Tutors"]
    assert references["First Tutors"] in first.get("/apply/sent").get_data(as_text=True)
    assert references["Second Tutors"] in second.get("/apply/sent").get_data(as_text=True)
    assert references["First Tutors"] not in second.get("/apply/sent").get_data(as_text=True)


def test_the_confirmation_is_not_reachable_for_someone_elses_application(app, client, db):
    _apply(client)
    provider = db.session.scalars(select(Provider)).one()
    stranger = app.test_client()
    response = stranger.get("/apply/sent")
    assert response.status_code == 404
    assert "No application to show" in response.get_data(as_text=True)
    # the page takes no identifier: one in the address is ignored, or not a page at all
    for path in (
        f"/apply/sent?id={provider.id}",
        f"/apply/sent?reference={provider.application_reference}",
    ):
        response = stranger.get(path)
        assert response.status_code == 404
        assert provider.application_reference not in response.get_data(as_text=True)
    assert stranger.get(f"/apply/sent/{provider.id}").status_code == 404
    assert stranger.get(f"/apply/sent/{provider.application_reference}").status_code == 404


def test_the_la_sees_the_reference_in_the_list_on_the_page_and_in_the_message(app, client, db):
    lead = make_user(Role.LA_LEAD)
    _apply(client)
    provider = db.session.scalars(select(Provider)).one()
    reference = provider.application_reference
    (received,) = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_email == lead.email)
    ).all()
    assert reference in received.body
    assert received.personalisation["reference"] == reference

    la = app.test_client()
    sign_in(la, lead)
    assert reference in la.get("/providers/applications").get_data(as_text=True)
    assert reference in la.get(f"/providers/{provider.id}").get_data(as_text=True)

    operations.decide(
        db.session.get(Provider, provider.id),
        FrameworkDecision.REJECT,
        reason="No safeguarding lead",
        role=Role.LA_LEAD,
        today=date.today(),
        by=lead,
    )
    db.session.commit()
    (decided,) = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_email == "pat@freshstart.example")
    ).all()
    assert reference in decided.body
    assert decided.personalisation["reference"] == reference


def test_a_school_never_sees_an_applications_reference(app, client, db):
    provider = make_provider(application_reference="AP-23456789")
    sign_in(client, make_user(Role.SCHOOL))
    assert "AP-23456789" not in client.get(f"/providers/{provider.id}").get_data(as_text=True)


# ---- documents with the application -------------------------------------------------------


def test_documents_sent_with_the_application_are_kept_on_the_providers_record(app, client, db):
    response = _apply(
        client,
        insurance_file=_file(PDF, "insurance.pdf"),
        insurance_expires_on=_expiry(),
        safeguarding_policy_file=_file(PNG, "policy.png"),
        complaints_policy_file=(io.BytesIO(b""), ""),  # left empty, as a browser sends it
    )
    assert response.status_code == 302
    provider = db.session.scalars(select(Provider)).one()
    documents = {doc.kind: doc for doc in provider.documents}
    assert set(documents) == {DocumentKind.INSURANCE, DocumentKind.SAFEGUARDING_POLICY}
    insurance = documents[DocumentKind.INSURANCE]
    assert insurance.expires_on == date.today() + timedelta(days=365)
    assert insurance.content == PDF and insurance.uploaded_by_id is None
    assert insurance.file_name.startswith("insurance-") and insurance.file_name != "insurance.pdf"
    assert documents[DocumentKind.SAFEGUARDING_POLICY].content_type == "image/png"

    page = client.get("/apply/sent").get_data(as_text=True)
    assert "You sent 2 documents with your application" in page
    still_needed = page[page.index("we will also need") :]
    assert "Public liability insurance" not in still_needed
    assert "Complaints policy" in still_needed


def test_several_files_may_together_be_larger_than_one_upload(client, db):
    big = PDF + b"0" * (MAX_UPLOAD_BYTES - len(PDF) - 10)
    response = _apply(
        client,
        safeguarding_policy_file=_file(big),
        risk_assessment_file=_file(big),
        data_protection_file=_file(big),
    )
    assert response.status_code == 302
    assert _count(db, ComplianceDocument) == 3


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        (
            {"safeguarding_policy_file": _file(b"just text", "policy.pdf")},
            "safeguarding_policy_file",
            "The selected file must be a PDF, DOCX, PNG or JPEG",
        ),
        (
            {"dbs_confirmation_file": _file(PDF + b"0" * MAX_UPLOAD_BYTES)},
            "dbs_confirmation_file",
            "The selected file must be smaller than 10MB",
        ),
        (
            {"risk_assessment_file": _file(b"", "empty.pdf")},
            "risk_assessment_file",
            "The selected file is empty",
        ),
        (
            {"insurance_file": _file(PDF)},
            "insurance_expires_on",
            "Enter the date the insurance expires",
        ),
        (
            {"insurance_expires_on": _expiry()},
            "insurance_expires_on",
            "Select the insurance certificate to go with this expiry date, or clear the date",
        ),
        (
            {"insurance_file": _file(PDF), "insurance_expires_on": ["31", "2", "2027"]},
            "insurance_expires_on",
            "must be a real date",
        ),
    ],
    ids=["wrong-type", "too-big", "empty", "no-expiry", "expiry-without-file", "bad-date"],
)
def test_a_bad_file_gets_a_field_error_and_nothing_of_the_application_is_saved(
    client, db, extra, field, message
):
    make_user(Role.LA_LEAD)
    # the good file beside the bad one is not kept either
    response = _apply(client, complaints_policy_file=_file(PDF), **extra)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert f'href="#{field}' in page  # in the error summary, linked to its field
    assert "select them again" in page
    assert _count(db, Provider) == 0
    assert _count(db, ComplianceDocument) == 0
    assert _count(db, OutboxMessage) == 0


def test_a_bad_answer_elsewhere_keeps_the_good_files_out_too(client, db):
    response = _apply(client, name="", safeguarding_policy_file=_file(PDF))
    assert response.status_code == 200
    assert "Enter the provider&#39;s name" in response.get_data(as_text=True)
    assert _count(db, Provider) == 0
    assert _count(db, ComplianceDocument) == 0


def test_a_name_already_on_the_register_keeps_the_files_out(client, db):
    make_provider(name="Fresh Start Mentoring")
    response = _apply(client, safeguarding_policy_file=_file(PDF))
    assert response.status_code == 200
    assert _count(db, Provider) == 1
    assert _count(db, ComplianceDocument) == 0


def _applied_with_documents(client, db):
    _apply(
        client,
        insurance_file=_file(PDF),
        insurance_expires_on=_expiry(),
        dbs_confirmation_file=_file(PDF),
    )
    provider = db.session.scalars(select(Provider)).one()
    return provider, sorted(doc.id for doc in provider.documents)


def test_the_la_reviews_the_documents_sent_with_an_application(app, client, db):
    provider, document_ids = _applied_with_documents(client, db)
    la = app.test_client()
    sign_in(la, make_user(Role.LA_OFFICER))
    queue = la.get("/providers/applications").get_data(as_text=True)
    row = queue[queue.index(provider.application_reference) :]
    row = row[: row.index("</tr>")]
    assert '<td class="govuk-table__cell">2</td>' in row
    page = la.get(f"/providers/{provider.id}").get_data(as_text=True)
    assert "Public liability insurance" in page
    assert "Confirmation of DBS checks" in page
    for document_id in document_ids:
        download = la.get(f"/providers/{provider.id}/documents/{document_id}")
        assert download.status_code == 200
        assert download.data == PDF
    decide = la.get(f"/providers/{provider.id}/framework-status").get_data(as_text=True)
    assert decide.count("Done") == 2  # insurance and DBS checks on the admission checklist


def test_another_provider_cannot_see_an_applicants_documents(app, client, db):
    provider, document_ids = _applied_with_documents(client, db)
    other = app.test_client()
    sign_in(other, make_user(Role.PROVIDER, make_provider()))
    assert other.get(f"/providers/{provider.id}").status_code == 404
    for document_id in document_ids:
        assert other.get(f"/providers/{provider.id}/documents/{document_id}").status_code == 404


def test_the_application_form_has_a_file_field_for_each_document_the_la_needs(client, db):
    page = client.get("/apply").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    for kind in applying.APPLICATION_DOCUMENTS:
        assert f'name="{kind.value}_file"' in page
        assert kind.label in page


def test_the_demos_pending_application_has_a_reference_and_a_document(app, db):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo passphrase x"])
    assert result.exit_code == 0, result.output
    pending = db.session.scalars(
        select(Provider).where(Provider.framework_status == FrameworkStatus.APPLIED)
    ).all()
    assert pending
    for provider in pending:
        assert applying.is_reference(provider.application_reference)
        assert [doc.kind for doc in provider.documents] == [DocumentKind.SAFEGUARDING_POLICY]
