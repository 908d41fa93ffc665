"""The home pages cost the same however many placements there are, and their figures read as
columns agree with the same figures worked out from whole records."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from apregister.access import visible
from apregister.attendance.queries import attendance_rates
from apregister.models import (
    Attendance,
    AttendanceCode,
    DocumentKind,
    ExtensionRequest,
    ExtensionStatus,
    FrameworkStatus,
    Placement,
    RegistrationType,
    Review,
    ReviewDecision,
    Role,
    SenStatus,
    Session,
)
from apregister.placements import monitor, queries
from apregister.placements.summaries import current_rows, rows_for
from apregister.settings import current_settings
from tests.conftest import (
    count_queries,
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_user,
    sign_in,
)
from tests.pages.test_work_queues import _check_every_item

TODAY = date.today()
WEEK = timedelta(weeks=1)
# at most this many statements for any home page (issue 14)
QUERY_BUDGET = 12


def _placements(db, school, provider, count: int, rng: random.Random) -> None:
    """`count` placements of `school`'s pupils at `provider` and elsewhere, of every kind a
    home page counts or shows: planned, running, overrunning, ended today, cancelled, with
    reviews, attendance (today's too), extension requests and off-framework ones."""
    others = [
        make_provider(registration_type=RegistrationType.TUITION),
        make_provider(framework_status=FrameworkStatus.SUSPENDED),
        provider,
    ]
    for n in range(count):
        start = TODAY + timedelta(days=rng.randint(-140, 20))
        values = {
            "start_date": start,
            "planned_end": start + timedelta(weeks=rng.choice([6, 12, 16])),
            "session_mask": rng.choice([0b1111111111, 0b0000000011, 0b0101010101]),
            "full_time": rng.random() < 0.6,
            "hours_per_week": rng.choice([10, 18, 25]),
            "off_framework": rng.random() < 0.2,
        }
        kind = n % 7
        if kind == 0 and start < TODAY:
            values["actual_end"] = TODAY  # its last day is today
        elif kind == 1:
            values["cancelled_on"] = start - timedelta(days=1)
        placement = make_placement(
            make_pupil(
                school,
                date_of_birth=TODAY - timedelta(days=rng.randint(365 * 4, 365 * 17)),
                looked_after=rng.random() < 0.2,
                sen_status=rng.choice(list(SenStatus)),
            ),
            others[n % len(others)],
            **values,
        )
        if start < TODAY - 3 * WEEK:
            for weeks_ago in sorted(rng.sample(range(1, 12), rng.randint(0, 2))):
                day = TODAY - weeks_ago * WEEK
                if day >= start:
                    db.session.add(
                        Review(
                            placement_id=placement.id,
                            review_date=day,
                            progress=[],
                            decision=ReviewDecision.CONTINUE,
                        )
                    )
        for days_ago in range(0, 10):
            day = TODAY - timedelta(days=days_ago)
            if day >= start and rng.random() < 0.7:
                db.session.add(
                    Attendance(
                        placement_id=placement.id,
                        date=day,
                        session=rng.choice(list(Session)),
                        code=rng.choice(list(AttendanceCode)),
                    )
                )
        if n % 5 == 0:
            db.session.add(
                ExtensionRequest(
                    placement_id=placement.id,
                    requested_on=TODAY - WEEK,
                    new_end=values["planned_end"] + 4 * WEEK,
                    reason="More time",
                    status=rng.choice([ExtensionStatus.PENDING, ExtensionStatus.APPROVED]),
                    decided_on=None if n % 2 else TODAY - WEEK,
                )
            )
    db.session.commit()


def _queries_for(app, user) -> int:
    other = app.test_client()
    sign_in(other, user)
    assert other.get("/").status_code == 200  # anything done once per session happens here
    with count_queries() as statements:
        assert other.get("/").status_code == 200
    return len(statements)


@pytest.mark.parametrize("role", [Role.LA_LEAD, Role.SCHOOL, Role.PROVIDER])
def test_each_home_page_runs_the_same_queries_for_3_placements_and_for_30(app, db, role):
    rng = random.Random(14)
    school = make_school()
    provider = make_provider(approved_on=TODAY - timedelta(days=400))
    db.session.commit()
    user = make_user(role, {Role.SCHOOL: school, Role.PROVIDER: provider}.get(role))
    _placements(db, school, provider, 3, rng)
    few = _queries_for(app, user)
    _placements(db, school, provider, 27, rng)
    from tests.providers.test_views import _add_document

    _add_document(db, provider, expires=TODAY + timedelta(days=5))
    _add_document(db, provider, kind=DocumentKind.SAFEGUARDING_POLICY)
    many = _queries_for(app, user)
    assert many == few, f"{role}: {few} statements for 3 placements, {many} for 30"
    assert many <= QUERY_BUDGET, f"{role}: {many} statements"


def test_the_schools_table_read_as_columns_agrees_with_whole_records(app, db):
    """current_rows (columns, two queries) and rows_for with attendance_rates (the ORM
    records the lists read) say the same of each of a school's current placements."""
    rng = random.Random(7)
    school = make_school()
    _placements(db, school, make_provider(), 40, rng)
    settings = current_settings()
    user = make_user(Role.SCHOOL, school)
    scope = visible(Placement, user)
    light = current_rows(scope, TODAY, settings)
    whole = rows_for(
        scope.where(queries.current_clause(TODAY)).order_by(Placement.planned_end, Placement.id),
        TODAY,
        settings,
    )
    rates = attendance_rates([row["placement"].id for row in whole])
    assert [row.id for row in light] == [row["placement"].id for row in whole]
    assert len(light) > 20
    for row, expected in zip(light, whole, strict=True):
        placement = expected["placement"]
        assert row.pupil_name == placement.pupil.name
        assert row.provider_name == placement.provider.name
        assert row.planned_end == placement.planned_end
        assert row.status is expected["status"]
        assert list(row.flags) == expected["flags"]
        assert row.next_review == expected["next_review"]
        assert row.attendance_rate == rates[placement.id].rate
    assert any(row.flags for row in light) and any(row.attendance_rate for row in light)


def test_registration_counts_for_a_day_agree_with_the_counts_for_many_days(app, db):
    rng = random.Random(3)
    school = make_school()
    for _ in range(3):
        _placements(db, school, make_provider(registration_type=RegistrationType.TUITION), 20, rng)
    settings = current_settings()
    for user in (make_user(Role.LA_LEAD), make_user(Role.SCHOOL, school)):
        scope = visible(Placement, user)
        for day in (TODAY, TODAY - 3 * WEEK, TODAY + WEEK):
            (expected,) = monitor.full_time_pupils(scope, settings, [day])
            assert monitor.full_time_pupils_on(scope, settings, day) == expected
            assert expected


def test_review_items_count_the_rows_of_their_lists(app, client, db, login_as):
    """Placements with reviews either side of the days the review items turn on."""
    school = make_school()
    provider = make_provider()

    def placement(weeks_ago: float, *reviews_weeks_ago: float):
        made = make_placement(
            make_pupil(school), provider, start_date=TODAY - timedelta(weeks=weeks_ago)
        )
        for ago in reviews_weeks_ago:
            db.session.add(
                Review(
                    placement_id=made.id,
                    review_date=TODAY - timedelta(weeks=ago),
                    progress=[],
                    decision=ReviewDecision.CONTINUE,
                )
            )
        db.session.commit()

    placement(10, 2)  # reviewed lately
    placement(10, 7)  # last reviewed 7 weeks ago: overdue
    placement(10, 8, 5.5)  # due within the week
    placement(5.5)  # started 38 days ago, never reviewed: due within the week
    placement(3)  # too new for either
    placement(-1)  # planned
    login_as(Role.SCHOOL, school)
    found = _check_every_item(client)
    assert found["placement with a review overdue"] == 1
    assert found["placements with a review due within a week, or overdue"] == 3
    assert (
        db.session.scalar(select(Review.id).where(Review.review_date < TODAY - 7 * WEEK))
        is not None
    )


def test_home_pages_count_what_is_there_at_each_request(app, db):
    """The statements a home page keeps between requests hold no data: a placement added,
    or a setting changed, shows at the next request."""
    import re

    from apregister.models import LaSettings
    from tests.pages.test_work_queues import ITEM

    school = make_school()
    provider = make_provider()
    clients = {}
    for role, organisation in (
        (Role.LA_LEAD, None),
        (Role.SCHOOL, school),
        (Role.PROVIDER, provider),
    ):
        clients[role] = app.test_client()
        sign_in(clients[role], make_user(role, organisation))

    def page(role) -> str:
        return clients[role].get("/").get_data(as_text=True)

    def items(role) -> dict[str, int]:
        return {what: int(count) for _, count, what in ITEM.findall(page(role))}

    def current_at_provider() -> int:
        found = re.search(r"Current placements\s*</dt>\s*<dd[^>]*>\s*(\d+)", page(Role.PROVIDER))
        return int(found.group(1))

    overrunning = "placement running past its planned end with no end recorded"
    before = items(Role.LA_LEAD).get(overrunning, 0)
    assert "Latecomer" not in page(Role.SCHOOL)
    assert current_at_provider() == 0
    make_placement(
        make_pupil(school, first_name="Latecomer"),
        provider,
        start_date=TODAY - 14 * WEEK,
        planned_end=TODAY - WEEK,
    )
    assert items(Role.LA_LEAD)[overrunning] == before + 1
    assert items(Role.SCHOOL)[overrunning] == 1
    assert "Latecomer" in page(Role.SCHOOL)
    assert current_at_provider() == 1

    assert "Past 12 weeks" in page(Role.SCHOOL)
    settings = db.session.scalars(select(LaSettings)).first() or LaSettings()
    settings.placement_weeks = 20
    db.session.add(settings)
    db.session.commit()
    assert "Past 12 weeks" not in page(Role.SCHOOL)
    assert "placements past 20 weeks" in page(Role.SCHOOL)  # none is yet
