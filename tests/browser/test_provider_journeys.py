"""The provider register in a real browser: an application approved and its first user invited, a
school searching the directory, and a provider keeping its details and documents up to date.
axe-core (WCAG 2.2 AA) runs on every page each journey visits."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Locator, Page, expect

from apregister.extensions import db
from apregister.models import DocumentKind, FrameworkStatus, Role
from apregister.providers import operations
from apregister.templating import govuk_date
from apregister.uploads import check_upload
from tests.browser.conftest import _CALL_REPORT, AccessibilityChecker, open_section
from tests.conftest import PASSWORD, make_provider, make_user

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n% a small insurance certificate for the browser tests\n%%EOF\n"
WRONG_TYPE = "The selected file must be a PDF, DOCX, PNG or JPEG"
NEW_PASSWORD = "marble kettle orbit lantern"

FreshPage = Callable[[], tuple[Page, AccessibilityChecker]]


# ---- helpers ------------------------------------------------------------------------------


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def sign_in(page: Page, base_url: str, email: str, password: str = PASSWORD) -> None:
    """From the sign-in page: fill in the form and land on the home page."""
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}/")


def go_to_sign_in(page: Page, base_url: str) -> None:
    page.goto("/")
    expect(page).to_have_url(f"{base_url}/sign-in?next=/")


def provider_id_from(page: Page) -> int:
    match = re.search(r"/providers/(\d+)", page.url)
    assert match, f"not on a provider's page: {page.url}"
    return int(match.group(1))


def framework_tag(page: Page) -> Locator:
    """The status tag under the provider page's heading: the first tag on the page."""
    return page.get_by_role("main").locator(".govuk-tag").first


def summary_value(page: Page, key: str) -> Locator:
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator("dt").get_by_text(key, exact=True)
    )
    return row.locator("dd")


def success_banner(page: Page) -> Locator:
    return page.locator(".govuk-notification-banner--success")


def date_boxes(page: Page, legend: str) -> tuple[Locator, Locator, Locator]:
    group = page.get_by_role("group", name=legend)
    return (
        group.get_by_label("Day", exact=True),
        group.get_by_label("Month", exact=True),
        group.get_by_label("Year", exact=True),
    )


@pytest.fixture
def fresh_page(
    new_context: Callable[..., BrowserContext], _axe: Axe, request: pytest.FixtureRequest
) -> Iterator[FreshPage]:
    """fresh_page() -> (page, checker): a page in a new browser context that shares no cookies
    with `page`, with its own axe checker. Violations found there fail the test at teardown, as
    the `accessibility` fixture does for the main page."""
    checkers: list[AccessibilityChecker] = []

    def _open() -> tuple[Page, AccessibilityChecker]:
        page = new_context().new_page()
        checker = AccessibilityChecker(page, _axe)
        checkers.append(checker)
        return page, checker

    yield _open
    call = request.node.stash.get(_CALL_REPORT, None)
    for checker in checkers:
        if call is not None and call.failed:
            checker.unchecked.clear()
        checker.assert_no_violations()


# ---- 1. an application approved, and the provider's first user invited --------------------


def test_la_lead_approves_an_application_and_invites_the_providers_first_user(
    page: Page, base_url: str, accessibility: AccessibilityChecker, fresh_page: FreshPage
) -> None:
    lead = make_user(Role.LA_LEAD, name="Lena Lead")
    name = "Riverside Learning Hub"

    # The provider applies through the public page.
    page.goto("/apply")
    expect(heading(page)).to_contain_text("Apply to join")
    accessibility.check()

    page.get_by_label("Provider name", exact=True).fill(name)
    page.get_by_label("Type of setting", exact=True).select_option(label="Tuition (unregistered)")
    page.get_by_role("checkbox", name="Autism", exact=True).check()
    page.get_by_label("Town or city", exact=True).fill("Riverside")
    page.get_by_label("Your name", exact=True).fill("Priya Shah")
    page.get_by_label("Your email address", exact=True).fill("priya@riverside.example")
    # A document goes with the application; the rest the LA asks for later.
    page.get_by_label(
        "Safeguarding and child protection policy (optional)", exact=True
    ).set_input_files(files=[{"name": "policy.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Send application").click()
    expect(page).to_have_url(f"{base_url}/apply/sent")
    expect(heading(page)).to_have_text("Application complete")
    panel = page.locator(".govuk-panel")
    expect(panel).to_contain_text("Your reference number")
    reference = panel.locator("strong").inner_text()
    assert re.fullmatch(r"AP-[2-9A-HJ-NP-Z]{8}", reference), reference
    expect(page.get_by_role("heading", name="What happens next", level=2)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Keep your reference number")
    expect(page.get_by_role("main")).to_contain_text("You sent 1 document with your application")
    accessibility.check()

    # The LA lead signs in and finds it among the applications.
    go_to_sign_in(page, base_url)
    accessibility.check()
    sign_in(page, base_url, lead.email)
    expect(heading(page)).to_have_text("Work queue")
    expect(page.get_by_text("1 framework application waiting for a decision")).to_be_visible()
    accessibility.check()

    open_section(page, "Providers")
    expect(page).to_have_url(f"{base_url}/providers")
    expect(heading(page)).to_have_text("Provider register")
    accessibility.check()

    page.get_by_role("button", name="Applications waiting for a decision").click()
    expect(page).to_have_url(f"{base_url}/providers/applications")
    expect(heading(page)).to_have_text("Applications waiting for a decision")
    row = page.get_by_role("row").filter(has_text=name)
    expect(row).to_contain_text(reference)
    expect(row).to_contain_text("Tuition (unregistered)")
    expect(row).to_contain_text("Incomplete")
    expect(row.get_by_role("cell").nth(4)).to_have_text("1")  # the document sent with it
    accessibility.check()

    # It decides: approve, without the documents the checklist asks for.
    # The link's name is "<provider> (decide)", the last part visually hidden.
    row.get_by_role("link", name=f"{name} (decide)", exact=True).click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/providers/\d+/framework-status$"))
    expect(heading(page)).to_have_text("Change framework status")
    expect(page.get_by_text("The checklist is not complete")).to_be_visible()
    accessibility.check()
    provider_id = provider_id_from(page)

    reason = "Strong references from two schools and a good visit"
    override = "Documents promised within a week; pupils need places now"
    page.get_by_role("radio", name="Approve", exact=True).check()
    page.get_by_label("Reason", exact=True).fill(reason)
    page.get_by_label("Reason to approve without a complete checklist", exact=True).fill(override)
    page.get_by_role("button", name="Confirm decision").click()

    expect(page).to_have_url(f"{base_url}/providers/{provider_id}")
    expect(heading(page)).to_have_text(name)
    expect(success_banner(page)).to_contain_text(f"{name} is now approved")
    expect(framework_tag(page)).to_have_text("Approved")
    expect(summary_value(page, "Approved on the framework")).to_have_text(govuk_date(date.today()))
    history = page.get_by_role("table", name="Framework status history, newest first")
    rows = history.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).get_by_role("cell")).to_have_text(
        [
            govuk_date(date.today()),
            "Applied",
            "Approved",
            f"{reason}Approved without a complete checklist: {override}",
            lead.name,
        ]
    )
    expect(rows.nth(1).get_by_role("cell")).to_have_text(
        [
            govuk_date(date.today()),
            "New",
            "Applied",
            "Applied to join the framework",
            "The provider (application)",
        ]
    )
    accessibility.check()

    # It invites the provider's first user.
    page.get_by_role("button", name="Invite a provider user").click()
    expect(page).to_have_url(f"{base_url}/providers/{provider_id}/invite")
    expect(heading(page)).to_have_text("Invite a provider user")
    accessibility.check()

    # The name and email come from the application, not typed again.
    expect(page.get_by_label("Full name", exact=True)).to_have_value("Priya Shah")
    expect(page.get_by_label("Email address", exact=True)).to_have_value("priya@riverside.example")
    page.get_by_role("button", name="Send invitation").click()
    expect(page).to_have_url(f"{base_url}/providers/{provider_id}")
    expect(success_banner(page)).to_contain_text("Invitation sent to Priya Shah")
    expect(page.get_by_role("main")).not_to_contain_text("/invitations/")
    accessibility.check()

    # The link goes by message. With no mail backend (development, and here) it waits in the
    # outbox, where the LA lead can read it.
    page.goto("/outbox")
    expect(heading(page)).to_have_text("Outbox")
    accessibility.check()
    page.get_by_role("link", name="Your invitation to the alternative provision register").click()
    body = page.locator(".app-preserve-lines").inner_text()
    match = re.search(r"https?://\S+(/invitations/[A-Za-z0-9_-]+)$", body, re.MULTILINE)
    assert match, body
    link = match.group(1)  # the service's address (SERVICE_URL) is not this test server's
    accessibility.check()
    accessibility.assert_no_violations()

    # The invited person, in a browser that is not signed in, sets a password and signs in.
    guest, guest_axe = fresh_page()
    guest.goto(link)
    expect(heading(guest)).to_have_text("Set your password")
    expect(guest.get_by_role("main")).to_contain_text(
        f"as Priya Shah (priya@riverside.example), {name}"
    )
    expect(guest.get_by_role("button", name="Sign out")).to_have_count(0)
    guest_axe.check()

    guest.get_by_label("Choose a password", exact=True).fill(NEW_PASSWORD)
    guest.get_by_role("button", name="Set password").click()
    expect(guest).to_have_url(f"{base_url}/sign-in")
    expect(guest.get_by_text("Your password has been set. Sign in to continue")).to_be_visible()
    guest_axe.check()

    sign_in(guest, base_url, "priya@riverside.example", NEW_PASSWORD)
    expect(heading(guest)).to_have_text("Your provision")
    expect(guest.get_by_role("main")).to_contain_text(name)
    guest_axe.check()

    # The link works once.
    response = guest.goto(link)
    assert response is not None and response.status == 404
    expect(heading(guest)).to_have_text("Page not found")
    guest_axe.check()
    guest_axe.assert_no_violations()


# ---- 2. a school finds a provider in the directory ----------------------------------------


def test_a_school_filters_the_directory_and_sees_only_the_public_profile(
    page: Page, base_url: str, accessibility: AccessibilityChecker
) -> None:
    wanted = make_provider(
        name="Brightside Autism Hub",
        specialisms=["autism"],
        framework_status=FrameworkStatus.APPROVED,
        town="Northtown",
        contact_name="Alex Morgan",
        contact_email="alex@brightside.example",
        contact_phone="01632960001",
        internal_notes="Fees under review with finance",
        daily_rate=95,
    )
    document = operations.add_document(
        wanted,
        kind=DocumentKind.INSURANCE,
        title="Brightside insurance certificate",
        issued_on=None,
        expires_on=date.today() + timedelta(days=200),
        upload=check_upload(PDF, stem="insurance"),
        by=None,
    )
    db.session.commit()
    make_provider(name="Brightside Tuition", specialisms=["semh"])
    suspended = make_provider(
        name="Brightside Autism Outreach",
        specialisms=["autism"],
        framework_status=FrameworkStatus.SUSPENDED,
    )
    school = make_user(Role.SCHOOL)

    go_to_sign_in(page, base_url)
    accessibility.check()
    sign_in(page, base_url, school.email)
    expect(heading(page)).to_have_text("Your placements")
    accessibility.check()

    open_section(page, "Providers")
    expect(page).to_have_url(f"{base_url}/providers")
    expect(heading(page)).to_have_text("Provider directory")
    listed = page.get_by_role("main").get_by_role("heading", level=2)
    expect(listed).to_have_text(["Brightside Autism Hub", "Brightside Tuition"])
    expect(page.get_by_text("Brightside Autism Outreach")).to_have_count(0)
    expect(page.get_by_label("Framework status")).to_have_count(0)
    accessibility.check()

    page.get_by_label("Specialism", exact=True).select_option(label="Autism")
    page.get_by_label("Search by name", exact=True).fill("brightside")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/providers\?.*specialism=autism"))
    expect(page).to_have_url(re.compile(r"/providers\?.*q=brightside"))
    expect(page.get_by_role("status").filter(has_text="provider")).to_contain_text("1 provider")
    expect(listed).to_have_text(["Brightside Autism Hub"])
    expect(page.get_by_label("Specialism", exact=True)).to_have_value("autism")
    expect(page.get_by_label("Search by name", exact=True)).to_have_value("brightside")
    accessibility.check()

    listed.get_by_role("link", name="Brightside Autism Hub").click()
    expect(page).to_have_url(f"{base_url}/providers/{wanted.id}")
    expect(heading(page)).to_have_text("Brightside Autism Hub")
    expect(summary_value(page, "Specialisms")).to_have_text("Autism")
    expect(summary_value(page, "Contact")).to_have_text("Alex Morgan")
    expect(summary_value(page, "Email")).to_have_text("alex@brightside.example")
    expect(summary_value(page, "Telephone")).to_have_text("01632 960001")
    main = page.get_by_role("main")
    for hidden in (
        "Internal notes",
        "Fees under review with finance",
        "Compliance documents",
        document.title,
        "Daily rate",
        "Framework history",
        "Admission checklist",
        "Upload a document",
        "Change details",
    ):
        expect(main.get_by_text(hidden)).to_have_count(0)
    expect(page.locator(f"a[href*='/documents/{document.id}']")).to_have_count(0)
    accessibility.check()

    # The suspended provider's page is not there for a school, even by its address.
    response = page.goto(f"/providers/{suspended.id}")
    assert response is not None and response.status == 404
    expect(heading(page)).to_have_text("Page not found")
    accessibility.check()

    accessibility.assert_no_violations()


# ---- 3. a provider changes its contact and uploads its insurance --------------------------


def test_a_provider_updates_its_telephone_and_uploads_its_insurance(
    page: Page, base_url: str, accessibility: AccessibilityChecker, tmp_path
) -> None:
    provider = make_provider(
        name="Oakwood Outdoor Learning",
        contact_name="Sam Green",
        contact_phone="01632960001",
    )
    user = make_user(Role.PROVIDER, organisation=provider)
    pdf = tmp_path / "insurance-certificate.pdf"
    pdf.write_bytes(PDF)
    text = tmp_path / "insurance-notes.txt"
    text.write_text("Not a certificate, just some notes.\n")
    expires = date.today() + timedelta(days=365)
    title = f"Public liability insurance {date.today().year} to {expires.year}"

    go_to_sign_in(page, base_url)
    accessibility.check()
    sign_in(page, base_url, user.email)
    expect(heading(page)).to_have_text("Your provision")
    accessibility.check()

    open_section(page, "Providers")
    expect(heading(page)).to_have_text("Provider directory")
    accessibility.check()
    page.get_by_role("main").get_by_role("link", name=provider.name, exact=True).click()
    expect(page).to_have_url(f"{base_url}/providers/{provider.id}")
    expect(heading(page)).to_have_text(provider.name)
    expect(summary_value(page, "Telephone")).to_have_text("01632 960001")
    expect(page.get_by_text("No documents uploaded yet.")).to_be_visible()
    accessibility.check()

    # Change the contact telephone number.
    page.get_by_role("button", name="Change your details").click()
    expect(page).to_have_url(f"{base_url}/providers/{provider.id}/profile")
    expect(heading(page)).to_have_text("Change your details")
    phone = page.get_by_label("Contact telephone number", exact=True)
    expect(phone).to_have_value("01632960001")
    accessibility.check()

    phone.fill("01632 960 123")
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(f"{base_url}/providers/{provider.id}")
    expect(success_banner(page)).to_contain_text("Your details have been updated")
    expect(summary_value(page, "Telephone")).to_have_text("01632 960123")
    expect(summary_value(page, "Contact")).to_have_text("Sam Green")
    accessibility.check()

    # Upload the insurance: first the wrong kind of file, then the certificate.
    page.get_by_role("button", name="Upload a document").click()
    expect(page).to_have_url(f"{base_url}/providers/{provider.id}/documents/new")
    expect(heading(page)).to_have_text("Upload a compliance document")
    accessibility.check()

    page.get_by_role("radio", name="Public liability insurance", exact=True).check()
    page.get_by_label("Title", exact=True).fill(title)
    day, month, year = date_boxes(page, "Expiry date")
    day.fill(str(expires.day))
    month.fill(str(expires.month))
    year.fill(str(expires.year))
    upload = page.get_by_label("Upload a file", exact=True)
    upload.set_input_files(text)
    page.get_by_role("button", name="Upload document").click()

    expect(page).to_have_url(f"{base_url}/providers/{provider.id}/documents/new")
    expect(page).to_have_title(re.compile(r"^Error: Upload a compliance document: Oakwood "))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name=WRONG_TYPE)).to_be_visible()
    expect(page.locator(".govuk-error-message")).to_contain_text(WRONG_TYPE)
    # What was typed is kept; only the file must be chosen again.
    expect(page.get_by_role("radio", name="Public liability insurance")).to_be_checked()
    expect(page.get_by_label("Title", exact=True)).to_have_value(title)
    day, month, year = date_boxes(page, "Expiry date")
    expect(day).to_have_value(re.compile(rf"^0?{expires.day}$"))
    expect(month).to_have_value(re.compile(rf"^0?{expires.month}$"))
    expect(year).to_have_value(str(expires.year))
    accessibility.check()

    upload.set_input_files(pdf)
    page.get_by_role("button", name="Upload document").click()
    expect(page).to_have_url(f"{base_url}/providers/{provider.id}")
    expect(success_banner(page)).to_contain_text(f"{title} uploaded")
    documents = page.get_by_role("table", name="Compliance documents")
    expect(documents.locator("tbody tr")).to_have_count(1)
    expect(documents.locator("tbody tr").get_by_role("cell")).to_have_text(
        [title, "Public liability insurance", govuk_date(expires), "Valid"]
    )
    accessibility.check()

    with page.expect_download() as download_info:
        documents.get_by_role("link", name=title).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert download.path().read_bytes() == PDF

    accessibility.assert_no_violations()
