"""Importing placements with their reviews and outcomes, by add_placement's rules."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from apregister.imports.kinds.base import Action, RowError
from apregister.imports.kinds.placements import KIND
from apregister.models import (
    AuditEvent,
    ExtensionRequest,
    ExtensionStatus,
    FrameworkStatus,
    LaSettings,
    OffFrameworkPolicy,
    OutboxMessage,
    Placement,
    PlacementOutcome,
    PlacementReason,
    Review,
    ReviewDecision,
)
from apregister.placements.rules import mask_from
from apregister.settings import current_settings
from tests.conftest import count_queries, make_la, make_placement, make_provider, make_pupil
from tests.conftest import make_school as _make_school
from tests.imports.kind_runs import KindRun

TODAY = date(2025, 6, 2)
RUN = KindRun(KIND, TODAY)
checked, imported = RUN.checked, RUN.imported
KEYS = RUN.keys


@pytest.fixture
def scene(db):
    make_la()
    school = _make_school(urn="140001", name="Northfield Academy")
    pupil = make_pupil(school)
    provider = make_provider(name="Bright Futures", urn="123456", ukprn="10012345")
    return school, pupil, provider


def row(pupil, **cells: str) -> dict[str, str]:
    return {
        "upn": pupil.upn,
        "provider": "Bright Futures",
        "reason": "To re-engage the pupil in education",
        "start_date": "3/3/2025",
        "sessions": "Mon AM; Mon PM; Tue AM",
        "hours_per_week": "12.5",
        "full_time": "No",
        "cost_per_week": "£450",
        "objectives": "Attend every session\nRebuild confidence in maths",
        "reintegration_plan": "Phased return from week 8",
        "review_dates": "14/4/2025; 1 April 2025",
    } | cells


def test_a_valid_row_creates_a_placement_with_its_reviews(db, scene):
    school, pupil, provider = scene

    [result] = imported(db, row(pupil))

    assert (result.action, result.key) == (Action.CREATE, pupil.upn)
    assert result.summary == "Placement at Bright Futures from 3 March 2025"
    placement = db.session.scalars(select(Placement)).one()
    assert (placement.pupil_id, placement.provider_id) == (pupil.id, provider.id)
    assert (placement.school_id, placement.commissioner_id) == (school.id, school.id)
    assert placement.reason is PlacementReason.RE_ENGAGE
    assert (placement.start_date, placement.planned_end) == (date(2025, 3, 3), date(2025, 5, 26))
    assert placement.session_mask == mask_from(["mon_am", "mon_pm", "tue_am"])
    assert (placement.hours_per_week, placement.full_time) == (Decimal("12.5"), False)
    assert placement.cost_per_week == Decimal("450.00")
    assert placement.objective_list == ["Attend every session", "Rebuild confidence in maths"]
    assert (placement.off_framework, placement.actual_end, placement.outcome) == (False, None, None)
    reviews = db.session.scalars(select(Review).order_by(Review.review_date)).all()
    assert [review.review_date for review in reviews] == [date(2025, 4, 1), date(2025, 4, 14)]
    assert {(review.decision, tuple(review.progress)) for review in reviews} == {
        (ReviewDecision.CONTINUE, ())
    }
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_the_same_rows_again_are_unchanged(db, scene):
    _, pupil, _ = scene
    other = make_pupil(make_la())
    rows = [
        row(pupil, actual_end="2/5/2025", outcome="Returned to their home school full time"),
        row(pupil, start_date="12/5/2025", planned_end="30/9/2025", review_dates="2/6/2025"),
        row(other, provider="", provider_ukprn="10012345", cost_per_week="", review_dates=""),
    ]
    assert [result.action for result in imported(db, *rows)] == [Action.CREATE] * 3
    audit_rows = db.session.scalar(select(func.count()).select_from(AuditEvent))

    results = imported(db, *rows)

    assert [result.action for result in results] == [Action.UNCHANGED] * 3
    assert db.session.scalar(select(func.count()).select_from(Placement)) == 3
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audit_rows


def test_changed_cells_update_the_placement(db, scene):
    _, pupil, _ = scene
    imported(db, row(pupil))
    changed = row(pupil, hours_per_week="15", sessions="Mon; Tue",
                  review_dates="1/4/2025; 12/5/2025", actual_end="23/5/2025",
                  outcome="another_mainstream", objectives="")  # fmt: skip

    [result] = imported(db, changed)

    assert result.action is Action.UPDATE
    assert result.changed == ("Sessions", "Hours each week", "End date", "Outcome", "Review dates")
    placement = db.session.scalars(select(Placement)).one()
    assert placement.session_mask == mask_from(["mon_am", "mon_pm", "tue_am", "tue_pm"])
    assert (placement.actual_end, placement.outcome) == (
        date(2025, 5, 23),
        PlacementOutcome.ANOTHER_MAINSTREAM,
    )
    assert len(placement.objective_list) == 2  # a blank cell keeps what is recorded
    assert len(placement.reviews) == 3


def test_a_placement_planned_longer_has_an_extension_agreed_by_the_import(db, scene):
    _, pupil, _ = scene

    imported(db, row(pupil, planned_end="18/7/2025"))

    placement = db.session.scalars(select(Placement)).one()
    assert placement.planned_end == date(2025, 7, 18)
    [request] = db.session.scalars(select(ExtensionRequest)).all()
    assert (request.status, request.new_end, request.decided_on) == (
        ExtensionStatus.APPROVED,
        date(2025, 7, 18),
        TODAY,
    )


def test_a_pupil_of_the_la_is_commissioned_by_the_la(db, scene):
    la = make_la()
    pupil = make_pupil(la)

    imported(db, row(pupil, provider="", provider_urn="123456"))

    placement = db.session.scalars(select(Placement)).one()
    assert (placement.school_id, placement.commissioner_id) == (None, la.id)


def test_off_framework_needs_a_reason_and_is_marked(db, scene):
    _, pupil, _ = scene
    make_provider(name="Unlisted Tuition", framework_status=FrameworkStatus.APPLIED)

    _, [refused] = checked(row(pupil, provider="unlisted tuition"))
    [result] = imported(db, row(pupil, provider="Unlisted Tuition", off_framework_reason="Only"))

    assert refused.errors == [
        RowError(2, "Off-framework reason", "Enter why the pupil was placed at Unlisted "
                 "Tuition, which is not approved on the framework")
    ]  # fmt: skip
    assert result.action is Action.CREATE
    placement = db.session.scalars(select(Placement)).one()
    assert (placement.off_framework, placement.off_framework_reason) == (True, "Only")
    assert placement.off_framework_status is FrameworkStatus.APPLIED
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_the_las_policy_refuses_a_suspended_provider(db, scene):
    _, pupil, _ = scene
    make_provider(name="Paused Tuition", framework_status=FrameworkStatus.SUSPENDED)
    db.session.add(LaSettings(suspended_policy=OffFrameworkPolicy.REFUSE))
    db.session.commit()

    [error] = checked(row(pupil, provider="Paused Tuition", off_framework_reason="x"))[1][0].errors

    assert error.column == "Provider"
    assert error.message.startswith("Paused Tuition is suspended. The LA does not allow")


def test_a_clash_with_a_placement_on_the_register_is_refused(db, scene):
    _, pupil, provider = scene
    other = make_provider(name="Other Provider")
    make_placement(pupil, other, start_date=date(2025, 2, 3), session_mask=mask_from(["mon_am"]),
                   actual_end=date(2025, 3, 10))  # fmt: skip
    make_placement(pupil, provider, start_date=date(2024, 11, 4), actual_end=date(2025, 1, 10))

    _, [sessions, dates, fine] = checked(
        row(pupil),
        row(pupil, start_date="6/1/2025", planned_end="20/2/2025", sessions="Wed"),
        row(pupil, start_date="6/3/2025", sessions="Thu; Fri"),
    )

    assert sessions.errors == [RowError(2, "Sessions", "The pupil is already placed at Other "
        "Provider for some of these sessions. Choose sessions that do not overlap, or change "
        "the dates")]  # fmt: skip
    assert [(e.column, e.message.split(".")[0]) for e in dates.errors] == [
        ("Start date", "The pupil already has a placement at Bright Futures for these dates")
    ]
    assert fine.action is Action.CREATE


def test_a_clash_with_an_earlier_row_of_the_file_is_refused(db, scene):
    _, pupil, _ = scene
    make_provider(name="Other Provider")

    _, results = checked(row(pupil), row(pupil, provider="Other Provider", sessions="Tue AM"))

    assert results[1].errors[0].column == "Sessions"


def test_the_same_placement_twice_is_an_error_on_the_second_row(db, scene):
    _, pupil, _ = scene

    _, results = checked(row(pupil), row(pupil, hours_per_week="10"))

    assert results[1].errors[0] == RowError(
        3, None, "This placement is also on row 2: the same pupil, provider and start date"
    )


BAD_CELLS = [
    ({"upn": ""}, "UPN", "Enter the pupil's UPN"),
    ({"upn": "A999999999999"}, "UPN",
     "No pupil with this UPN is on the register: import pupils first"),
    ({"provider": ""}, "Provider", "Enter the provider's name, URN or UKPRN"),
    ({"provider": "Nobody"}, "Provider",
     "No provider called Nobody is on the register: import providers first"),
    ({"provider_urn": "999999"}, "Provider URN", "No provider with URN 999999 is on the register"),
    ({"reason": ""}, "Reason", "Enter the reason for the placement"),
    ({"reason": "boredom"}, "Reason", "'boredom' is not a reason for a placement"),
    ({"start_date": ""}, "Start date", "Enter the start date"),
    ({"start_date": "3/13/2025"}, "Start date", "Enter a real date"),
    ({"planned_end": "3/3/2025"}, "Planned end date",
     "The planned end date must be after the start date"),
    ({"sessions": ""}, "Sessions", "Enter at least one session"),
    ({"sessions": "Sat AM"}, "Sessions", "'Sat AM' is not a session"),
    ({"hours_per_week": ""}, "Hours each week", "Enter the hours each week, like 12.5"),
    ({"hours_per_week": "51"}, "Hours each week", "Hours each week must be from 0.5 to 50"),
    ({"hours_per_week": "0.25"}, "Hours each week", "Hours each week must be from 0.5 to 50"),
    ({"full_time": ""}, "Full time", "Enter yes for full time or no for part time"),
    ({"cost_per_week": "lots"}, "Cost each week", "Cost must be an amount in pounds"),
    ({"cost_per_week": "100001"}, "Cost each week", "Cost must be an amount in pounds"),
    ({"objectives": ""}, "Objectives", "Enter the placement's objectives"),
    ({"objectives": "x" * 4001}, "Objectives", "Objectives must be 4000 characters or fewer"),
    ({"reintegration_plan": ""}, "Reintegration plan",
     "Enter the reintegration plan and timeline"),
    ({"actual_end": "2/5/2025"}, "Outcome", "Enter the outcome of the placement"),
    ({"outcome": "neet"}, "End date", "Enter the date the placement ended"),
    ({"outcome": "neet", "actual_end": "3/6/2025"}, "End date",
     "The end date must be today or in the past"),
    ({"outcome": "neet", "actual_end": "2/3/2025"}, "End date",
     "The end date must be on or after the placement's start date, 3 March 2025"),
    ({"outcome": "gone"}, "Outcome", "'gone' is not a placement outcome"),
    ({"review_dates": "1/3/2025"}, "Review dates",
     "The review date 1 March 2025 must be on or after the placement's start date"),
    ({"review_dates": "1/4/2025; 9/6/2025"}, "Review dates",
     "The review date 9 June 2025 must be today or in the past"),
    ({"review_dates": "1/5/2025", "actual_end": "10/4/2025", "outcome": "neet"},
     "Review dates", "The review date 1 May 2025 must be on or before the end date"),
    ({"review_dates": "1/4/2025; soon"}, "Review dates", "Enter a real date"),
]  # fmt: skip


@pytest.mark.parametrize(("cells", "column", "message"), BAD_CELLS)
def test_a_bad_cell_is_refused_on_its_column(db, scene, cells, column, message):
    _, pupil, _ = scene

    _, [result] = checked(row(pupil, **cells))

    assert result.action is Action.INVALID
    assert [(e.line, e.column) for e in result.errors] == [(2, column)]
    assert result.errors[0].message.startswith(message)


def test_check_runs_no_query_per_row(db, scene):
    _, pupil, _ = scene
    make_placement(pupil, start_date=date(2024, 1, 8), actual_end=date(2024, 2, 1))
    context = KIND.prepare(today=TODAY, settings=current_settings())
    rows = [
        dict.fromkeys(KEYS, "")
        | row(pupil, start_date=f"{date(2025, 1, 6) + timedelta(weeks=line)}", review_dates="")
        for line in range(2, 40)
    ]

    with count_queries() as statements:
        results = [KIND.check(context, line, cells) for line, cells in enumerate(rows, start=2)]

    assert results[0].action is Action.CREATE

    assert statements == []


def test_each_templates_example_row_is_valid_once_what_it_refers_to_is_on_the_register(db):
    """A lead who fills in a template starts from rows the import accepts."""
    from apregister.imports.kinds.registry import KINDS

    school = _make_school(urn="140001", name="Northfield Academy")
    make_pupil(school, upn="Z201123400001")
    make_provider(name="Bright Futures Tuition")
    for kind in KINDS.values():
        _, [row] = KindRun(kind, TODAY).checked({c.key: c.example for c in kind.columns})
        assert row.action is not Action.INVALID, (kind.name, row.errors)
