"""One small scene for the route matrix and the wrong-tenant write tests (issue 12, item 12).

Two tenants side by side: the FIRST (school A, provider A, A's pupil placed with provider A, and
everything hanging off that placement and provider) whose record ids go into every URL, and the
OTHER (school B, provider B, B's pupil placed with B), whose users probe the first tenant's ids.

Nine principals, each in a client of its own:

- anon: signed out;
- gone: an la_lead of the LA, signed in and then deactivated (the strongest account there is, so
  anything it still reached would be the worst case);
- lead, officer, board: the LA's la_lead, la_officer and improvement board member;
- school, provider: school A's and provider A's users (the first tenant);
- other_school, other_provider: school B's and provider B's users (the other tenant).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from apregister.extensions import db
from apregister.models import (
    AbsenceCase,
    AbsenceTrigger,
    ActionOwner,
    ActionStatus,
    Attendance,
    AttendanceCode,
    ComplianceDocument,
    DocumentKind,
    Escalation,
    ExtensionRequest,
    ExtensionStatus,
    ImportJob,
    ImportStatus,
    Inspection,
    InspectionAction,
    InspectionOutcome,
    InspectionStatus,
    Invitation,
    OutboxMessage,
    Review,
    ReviewDecision,
    Role,
    SelfAssessmentStatus,
    Session,
    User,
)
from apregister.models.base import utcnow
from apregister.qa.rules import academic_year
from tests.conftest import (
    make_la,
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_user,
    sign_in,
)
from tests.self_assessments import make_self_assessment

TODAY = date.today()

ANON = "anon"
GONE = "gone"
LEAD = "lead"
OFFICER = "officer"
BOARD = "board"
SCHOOL = "school"
PROVIDER = "provider"
OTHER_SCHOOL = "other_school"
OTHER_PROVIDER = "other_provider"

PRINCIPALS = (ANON, GONE, LEAD, OFFICER, BOARD, SCHOOL, PROVIDER, OTHER_SCHOOL, OTHER_PROVIDER)
SIGNED_OUT = frozenset({ANON, GONE})
OTHER_TENANT = frozenset({OTHER_SCHOOL, OTHER_PROVIDER})

# The role each signed-in principal's account has (the deactivated one is an la_lead).
ROLE_OF = {
    GONE: Role.LA_LEAD,
    LEAD: Role.LA_LEAD,
    OFFICER: Role.LA_OFFICER,
    BOARD: Role.BOARD,
    SCHOOL: Role.SCHOOL,
    PROVIDER: Role.PROVIDER,
    OTHER_SCHOOL: Role.SCHOOL,
    OTHER_PROVIDER: Role.PROVIDER,
}

INVITATION_TOKEN = "matrix-invitation-token-for-an-invited-provider-user"

_CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Scene:
    """The first tenant's record ids (by URL argument name) and a client per principal."""

    ids: dict[str, object]
    users: dict[str, User | None]
    clients: dict[str, FlaskClient]
    extra: dict[str, int] = field(default_factory=dict)
    # what only the LA and the first tenant may read: the pupil's UPN and surname, the school's
    # note on the absence case
    secrets: tuple[str, ...] = ()

    def csrf(self, principal: str) -> str:
        """A CSRF token for the principal's session, from a page it may see."""
        client = self.clients[principal]
        path = "/sign-in" if principal in SIGNED_OUT else "/"
        page = client.get(path).get_data(as_text=True)
        match = _CSRF.search(page)
        assert match, f"no CSRF token on {path} for {principal}"
        return match.group(1)


def build_scene(app: Flask) -> Scene:
    la = make_la()
    school_a = make_school(name="Ashfield Academy")
    school_b = make_school(name="Brookside School")
    provider_a = make_provider(name="Alpha Tutors", contact_email="office@alpha.example")
    provider_b = make_provider(name="Beta Mentoring", contact_email="office@beta.example")

    users: dict[str, User | None] = {
        ANON: None,
        GONE: make_user(Role.LA_LEAD, la, name="Gone Lead"),
        LEAD: make_user(Role.LA_LEAD, la),
        OFFICER: make_user(Role.LA_OFFICER, la),
        BOARD: make_user(Role.BOARD, la),
        SCHOOL: make_user(Role.SCHOOL, school_a),
        PROVIDER: make_user(Role.PROVIDER, provider_a),
        OTHER_SCHOOL: make_user(Role.SCHOOL, school_b),
        OTHER_PROVIDER: make_user(Role.PROVIDER, provider_b),
    }
    lead = users[LEAD]

    pupil_a = make_pupil(school_a, first_name="Ada")
    placement_a = make_placement(pupil_a, provider_a)
    pupil_b = make_pupil(school_b, first_name="Ben")
    placement_b = make_placement(pupil_b, provider_b)

    monday = TODAY - timedelta(days=TODAY.weekday() + 7)
    review = Review(
        placement_id=placement_a.id,
        review_date=TODAY - timedelta(days=3),
        progress=[{"objective": "Attend every session", "progress": "Most days"}],
        decision=ReviewDecision.CONTINUE,
        created_by_id=users[SCHOOL].id,
    )
    extension = ExtensionRequest(
        placement_id=placement_a.id,
        requested_on=TODAY,
        new_end=placement_a.planned_end + timedelta(weeks=4),
        reason="Needs longer to settle",
        status=ExtensionStatus.PENDING,
        requested_by_id=users[SCHOOL].id,
    )
    attendance = Attendance(
        placement_id=placement_a.id,
        date=monday,
        session=Session.AM,
        code=AttendanceCode.UNEXPLAINED,
        recorded_by_id=users[PROVIDER].id,
    )
    case = AbsenceCase(
        placement_id=placement_a.id,
        date=monday,
        session=Session.AM,
        trigger=AbsenceTrigger.UNEXPLAINED,
        escalation=Escalation.OTHER,
        escalation_note="Asked the attendance team to visit",
    )
    planned = Inspection(
        provider_id=provider_a.id,
        status=InspectionStatus.PLANNED,
        planned_date=TODAY + timedelta(days=14),
        inspector_id=users[OFFICER].id,
    )
    published = Inspection(
        provider_id=provider_a.id,
        status=InspectionStatus.PUBLISHED,
        visit_date=TODAY - timedelta(days=20),
        inspector_id=users[OFFICER].id,
        overall_outcome=InspectionOutcome.APPROVED_WITH_ACTIONS,
        summary="Calm and well run",
        published_at=utcnow() - timedelta(days=19),
    )
    db.session.add_all([review, extension, attendance, case, planned, published])
    db.session.flush()
    action = InspectionAction(
        inspection_id=published.id,
        provider_id=provider_a.id,
        description="Update the lesson plans",
        owner=ActionOwner.PROVIDER,
        due_date=TODAY + timedelta(days=30),
        status=ActionStatus.OPEN,
    )
    done_action = InspectionAction(
        inspection_id=published.id,
        provider_id=provider_a.id,
        description="Renew the fire risk assessment",
        owner=ActionOwner.PROVIDER,
        due_date=TODAY + timedelta(days=10),
        status=ActionStatus.DONE,
        provider_note="Renewed last week",
        done_on=TODAY - timedelta(days=2),
    )
    document = ComplianceDocument(
        provider_id=provider_a.id,
        kind=DocumentKind.INSURANCE,
        title="Public liability insurance",
        issued_on=TODAY - timedelta(days=100),
        expires_on=TODAY + timedelta(days=265),
        file_name="insurance.pdf",
        content_type="application/pdf",
        size=4,
        sha256=hashlib.sha256(b"%PDF").hexdigest(),
        content=b"%PDF",
        uploaded_by_id=users[PROVIDER].id,
    )
    message = OutboxMessage(
        dedupe_key="matrix:1",
        to_email="office@alpha.example",
        subject="A message about Alpha Tutors",
        body="Hello",
        kind="matrix",
    )
    invitee = make_user(Role.PROVIDER, provider_a, name="Invited Person")
    invitation = Invitation(
        token_hash=hashlib.sha256(INVITATION_TOKEN.encode()).hexdigest(),
        user_id=invitee.id,
        created_by_id=lead.id,
        created_at=utcnow(),
        expires_at=utcnow() + timedelta(days=7),
    )
    import_job = ImportJob(
        kind="pupils",
        file_name="pupils.csv",
        file_type="csv",
        sha256="0" * 64,
        size=5,
        content=b"UPN\n",
        status=ImportStatus.CHECKED,
        counts={"unchanged": 1},  # nothing to import: confirming it answers 400
        requested_by_id=lead.id,
        rows_done=1,
        total_rows=1,
    )
    db.session.add_all([action, done_action, document, message, invitation, import_job])
    db.session.commit()

    draft = make_self_assessment(provider_a, SelfAssessmentStatus.DRAFT, answered=True)
    last_year = academic_year(TODAY - timedelta(days=365))
    submitted = make_self_assessment(provider_a, SelfAssessmentStatus.SUBMITTED, year=last_year)

    ids: dict[str, object] = {
        "placement_id": placement_a.id,
        "provider_id": provider_a.id,
        "pupil_id": pupil_a.id,
        "case_id": case.id,
        "inspection_id": published.id,
        "action_id": action.id,
        "request_id": extension.id,
        "self_assessment_id": submitted.id,
        "document_id": document.id,
        "message_id": message.id,
        "import_id": import_job.id,
        "kind": "pupils",
        "extension": "csv",
        "user_id": users[SCHOOL].id,
        "item": "risk_assessment",
        "key": "qa-compliance",
        "fmt": "csv",
        "token": INVITATION_TOKEN,
        "filename": "css/app.css",
    }
    extra = {
        "planned_inspection_id": planned.id,
        "draft_self_assessment_id": draft.id,
        "done_action_id": done_action.id,
        "other_placement_id": placement_b.id,
        "review_id": review.id,
    }

    clients: dict[str, FlaskClient] = {}
    for principal, user in users.items():
        client = app.test_client()
        if user is not None:
            response = sign_in(client, user)
            assert response.status_code == 302, f"{principal} could not sign in"
        clients[principal] = client
    # The deactivated user's session is still live in the database: only `active` changed.
    db.session.execute(update(User).where(User.id == users[GONE].id).values(active=False))
    db.session.commit()
    secrets = (pupil_a.upn, pupil_a.last_name, case.escalation_note)
    return Scene(ids=ids, users=users, clients=clients, extra=extra, secrets=secrets)
