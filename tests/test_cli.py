from sqlalchemy import func, select

from apregister.demo import demo_accounts
from apregister.models import (
    FrameworkStatus,
    Organisation,
    Provider,
    Role,
    School,
    User,
)
from tests.conftest import make_la


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_is_idempotent_and_covers_every_role(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--password", "demo passphrase for tests"])
    assert first.exit_code == 0, first.output
    counts = (_count(db, Organisation), _count(db, User))
    second = runner.invoke(args=["seed-demo", "--password", "demo passphrase for tests"])
    assert second.exit_code == 0, second.output
    assert (_count(db, Organisation), _count(db, User)) == counts

    assert _count(db, School) >= 6
    assert _count(db, Provider) >= 8
    providers = db.session.scalars(select(Provider)).all()
    assert {p.is_registered for p in providers} == {True, False}
    assert len({p.framework_status for p in providers}) >= 4
    emails = set(db.session.scalars(select(User.email)))
    for account in demo_accounts(app.config["LA_NAME"]):
        assert account.email in emails
    assert {u.role for u in db.session.scalars(select(User))} == set(Role)
    for account in demo_accounts(app.config["LA_NAME"]):
        assert account.email in first.output


def test_seed_demo_if_empty_leaves_a_used_database_alone(app, db):
    make_la()
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "already has data" in result.output
    assert _count(db, User) == 0


def test_demo_school_accounts_are_in_different_schools(app, db):
    app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo passphrase for tests"])
    school, school2 = (
        db.session.scalars(select(User).where(User.email == email)).one()
        for email in ("school@demo.test", "school2@demo.test")
    )
    assert school.organisation_id != school2.organisation_id


def test_create_user_adds_an_account(app, db):
    la = make_la()
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--email",
            "First.Lead@Council.Example",
            "--name",
            "First Lead",
            "--role",
            "la_lead",
            "--password",
            "a long enough passphrase",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalars(select(User)).one()
    assert (user.email, user.role, user.organisation_id) == (
        "first.lead@council.example",
        Role.LA_LEAD,
        la.id,
    )


def test_create_user_refuses_a_weak_password_and_writes_nothing(app, db):
    make_la()
    result = app.test_cli_runner().invoke(
        args=["create-user", "--email", "a@b.example", "--name", "A", "--role", "la_lead"],
        input="password1234\npassword1234\n",
    )
    assert result.exit_code != 0
    assert "commonly used" in result.output or "too easy to guess" in result.output
    assert _count(db, User) == 0


def test_create_user_refuses_a_role_that_does_not_fit(app, db):
    make_la()
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--email",
            "s@b.example",
            "--name",
            "S",
            "--role",
            "school",
            "--password",
            "a long enough passphrase",
        ]
    )
    assert result.exit_code != 0
    assert _count(db, User) == 0


def test_demo_providers_include_a_pending_application(app, db):
    app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo passphrase for tests"])
    statuses = set(db.session.scalars(select(Provider.framework_status)))
    assert FrameworkStatus.APPLIED in statuses


def test_demo_data_shows_every_placement_flag_to_the_la(app, db):
    from apregister.models import ExtensionStatus, Placement, PlacementStatus
    from tests.conftest import sign_in

    app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo passphrase for tests"])
    placements = db.session.scalars(select(Placement)).all()
    from datetime import date

    statuses = {placement.status_on(date.today()) for placement in placements}
    assert {PlacementStatus.ACTIVE, PlacementStatus.PLANNED, PlacementStatus.ENDED} <= statuses
    assert all(p.outcome for p in placements if p.status_on(date.today()) is PlacementStatus.ENDED)
    assert {p.school_id for p in placements} >= {
        u.organisation_id for u in db.session.scalars(select(User).where(User.role == Role.SCHOOL))
    }
    assert any(
        r.status is ExtensionStatus.PENDING for p in placements for r in p.extension_requests
    )
    lead = db.session.scalars(select(User).where(User.email == "lead@demo.test")).one()
    client = app.test_client()
    sign_in(client, lead, "demo passphrase for tests")
    home = client.get("/").get_data(as_text=True)
    assert "Northgate Tuition" in home  # over the registration threshold
    assert "No unregistered provider meets" not in home
    for flag in ("past_12_weeks", "review_overdue", "extension_pending"):
        listing = client.get("/placements", query_string={flag: "y"}).get_data(as_text=True)
        assert "<strong>0</strong> placements" not in listing, flag


def test_demo_data_has_qa_records_in_every_state(app, db):
    from apregister.models import (
        ActionStatus,
        InspectionAction,
        InspectionJudgement,
        Judgement,
        SelfAssessment,
        SelfAssessmentStatus,
    )
    from tests.conftest import sign_in

    app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo passphrase for tests"])
    assert {a.status for a in db.session.scalars(select(InspectionAction))} == set(ActionStatus)
    assert {s.status for s in db.session.scalars(select(SelfAssessment))} == set(
        SelfAssessmentStatus
    )
    not_met = db.session.scalars(
        select(InspectionJudgement).where(
            InspectionJudgement.area_key == "safeguarding",
            InspectionJudgement.judgement == Judgement.NOT_MET,
        )
    ).all()
    assert len(not_met) == 1
    lead = db.session.scalars(select(User).where(User.email == "lead@demo.test")).one()
    client = app.test_client()
    sign_in(client, lead, "demo passphrase for tests")
    page = client.get("/inspections").get_data(as_text=True)
    overdue = page.split("Overdue", 1)[1] if "Overdue" in page else page
    assert "Compass Skills Centre" in overdue


def test_demo_data_has_pre_start_checks_in_every_state(app, db):
    from datetime import date

    from apregister.checks import queries
    from apregister.models import Placement
    from apregister.settings import current_settings
    from tests.conftest import sign_in

    app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo passphrase for tests"])
    lead = db.session.scalars(select(User).where(User.email == "lead@demo.test")).one()
    today = date.today()
    settings = current_settings()
    states = set()
    for placement in db.session.scalars(select(Placement)):
        tasks = queries.task_list(placement, lead, settings, today, lambda item: "")
        states.add(
            "running without"
            if tasks.started_without_checks
            else "ready"
            if tasks.ready
            else "not ready"
        )
    assert states >= {"running without", "ready", "not ready"}
    client = app.test_client()
    sign_in(client, lead, "demo passphrase for tests")
    listing = client.get("/placements", query_string={"started_without_checks": "y"})
    assert "<strong>1</strong> placement" in listing.get_data(as_text=True)


def test_demo_data_has_a_pupil_past_the_retention_period(app, db):
    from datetime import date

    from apregister.retention import preview

    app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo passphrase for tests"])
    assert preview(date.today()).count == 1
