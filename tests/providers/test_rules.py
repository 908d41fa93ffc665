from datetime import date, timedelta

import pytest

from apregister.models import (
    DocumentKind,
    DocumentState,
    FrameworkDecision,
    FrameworkStatus,
    OfstedJudgement,
    Role,
)
from apregister.providers import rules
from apregister.providers.rules import DocumentFacts
from apregister.uploads import DOCX, JPEG, PDF, PNG, check_upload, sniff_type

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("expires_on", "state"),
    [
        (None, DocumentState.NO_EXPIRY),
        (TODAY - timedelta(days=1), DocumentState.EXPIRED),
        (TODAY, DocumentState.EXPIRING),
        (TODAY + timedelta(days=30), DocumentState.EXPIRING),
        (TODAY + timedelta(days=31), DocumentState.VALID),
    ],
)
def test_document_state(expires_on, state):
    assert rules.document_state(expires_on, TODAY, warn_days=30) is state


def _all_documents(insurance_expires=TODAY + timedelta(days=100)):
    return [
        DocumentFacts(kind, insurance_expires if kind is DocumentKind.INSURANCE else None)
        for kind in rules.REQUIRED_DOCUMENTS
    ]


def test_checklist_complete_for_unregistered_provider_with_every_document():
    items = rules.approval_checklist(
        is_registered=False,
        ofsted_judgement=None,
        ofsted_date=None,
        documents=_all_documents(),
        today=TODAY,
    )
    assert rules.checklist_complete(items)
    assert len(items) == len(rules.REQUIRED_DOCUMENTS)


def test_registered_setting_also_needs_its_ofsted_judgement():
    kwargs = {"is_registered": True, "documents": _all_documents(), "today": TODAY}
    missing = rules.approval_checklist(ofsted_judgement=None, ofsted_date=None, **kwargs)
    assert not rules.checklist_complete(missing)
    given = rules.approval_checklist(
        ofsted_judgement=OfstedJudgement.GOOD, ofsted_date=TODAY - timedelta(days=300), **kwargs
    )
    assert rules.checklist_complete(given)


def test_expired_insurance_leaves_the_checklist_incomplete():
    items = rules.approval_checklist(
        is_registered=False,
        ofsted_judgement=None,
        ofsted_date=None,
        documents=_all_documents(insurance_expires=TODAY - timedelta(days=1)),
        today=TODAY,
    )
    insurance = next(item for item in items if item.label == DocumentKind.INSURANCE.label)
    assert not insurance.met
    assert insurance.why == "The document on file has expired"


def test_insurance_without_an_expiry_date_does_not_count():
    items = rules.approval_checklist(
        is_registered=False,
        ofsted_judgement=None,
        ofsted_date=None,
        documents=_all_documents(insurance_expires=None),
        today=TODAY,
    )
    assert not rules.checklist_complete(items)


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        (
            Role.LA_OFFICER,
            FrameworkStatus.APPLIED,
            [FrameworkDecision.APPROVE, FrameworkDecision.REJECT, FrameworkDecision.WITHDRAW],
        ),
        (
            Role.LA_LEAD,
            FrameworkStatus.APPROVED,
            [FrameworkDecision.SUSPEND, FrameworkDecision.REMOVE, FrameworkDecision.WITHDRAW],
        ),
        (
            Role.LA_LEAD,
            FrameworkStatus.SUSPENDED,
            [FrameworkDecision.REINSTATE, FrameworkDecision.REMOVE, FrameworkDecision.WITHDRAW],
        ),
        (Role.LA_LEAD, FrameworkStatus.REMOVED, []),
        (Role.PROVIDER, FrameworkStatus.APPROVED, [FrameworkDecision.WITHDRAW]),
        (Role.PROVIDER, FrameworkStatus.WITHDRAWN, []),
        (Role.SCHOOL, FrameworkStatus.APPROVED, []),
        (Role.BOARD, FrameworkStatus.APPLIED, []),
    ],
)
def test_decisions_open_to_each_role(role, status, expected):
    assert rules.decisions_open_to(role, status) == expected


@pytest.mark.parametrize(
    ("value", "ok"), [("123456", True), ("12345", False), ("12345a", False), ("1234567", False)]
)
def test_urn_is_six_digits(value, ok):
    assert (rules.urn_problem(value) is None) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [("10012345", True), ("20012345", False), ("1001234", False), ("1001234x", False)],
)
def test_ukprn_is_eight_digits_starting_with_1(value, ok):
    assert (rules.ukprn_problem(value) is None) is ok


@pytest.mark.parametrize(
    ("value", "normal"),
    [("sw1a1aa", "SW1A 1AA"), (" m1 1ae ", "M1 1AE"), ("DN55 1PT", "DN55 1PT"), ("12345", None)],
)
def test_postcode_is_normalised_or_refused(value, normal):
    assert rules.normalise_postcode(value) == normal


@pytest.mark.parametrize(
    ("value", "normal"),
    [("+44 20 7946 0958", "02079460958"), ("(01632) 960-001", "01632960001"), ("999", None)],
)
def test_phone_is_normalised_or_refused(value, normal):
    assert rules.normalise_phone(value) == normal


def _docx() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7 rest", PDF),
        (b"\x89PNG\r\n\x1a\n rest", PNG),
        (b"\xff\xd8\xff\xe0 rest", JPEG),
        (_docx(), DOCX),
        (b"PK\x03\x04 not really a zip", None),
        (b"<html><script>alert(1)</script>", None),
        (b"MZ\x90\x00 an executable", None),
    ],
)
def test_file_type_is_read_from_the_content(data, kind):
    assert sniff_type(data) == kind


def test_upload_gets_a_server_made_name_and_size_limit():
    checked = check_upload(b"%PDF-1.4 tiny", stem="insurance")
    assert checked.file_name.startswith("insurance-") and checked.file_name.endswith(".pdf")
    assert check_upload(b"%PDF-" + b"0" * (10 * 1024 * 1024), stem="x") == (
        "The selected file must be smaller than 10MB"
    )
    assert check_upload(b"", stem="x") == "The selected file is empty"
