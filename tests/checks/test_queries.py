"""started_without_checks_clause agrees with ready_to_start."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from apregister.checks.queries import checks_for, required_items, started_without_checks_clause
from apregister.checks.rules import ready_to_start
from apregister.models import CheckItem, LaSettings, Placement, PlacementCheck
from apregister.settings import current_settings
from tests.conftest import make_placement

TODAY = date.today()


def _done(db, placement, *items, complete=True):
    for item in items:
        db.session.add(
            PlacementCheck(
                placement_id=placement.id,
                item=item,
                complete=complete,
                recorded_on=TODAY,
                details="Done",
            )
        )
    db.session.commit()


def _flagged(db, settings) -> set[int]:
    return set(
        db.session.scalars(
            select(Placement.id).where(started_without_checks_clause(settings, TODAY))
        )
    )


def _expected(placements, settings) -> set[int]:
    required = required_items(settings)
    return {
        p.id
        for p in placements
        if p.start_date <= TODAY
        and p.cancelled_on is None
        and not ready_to_start({i.value for i, c in checks_for(p).items() if c.complete}, required)
    }


def test_the_clause_agrees_with_the_rule(db):
    started_bare = make_placement(start_date=TODAY - timedelta(days=3))
    started_ready = make_placement(start_date=TODAY - timedelta(days=3))
    _done(db, started_ready, *CheckItem)
    started_half = make_placement(start_date=TODAY)
    _done(db, started_half, CheckItem.RISK_ASSESSMENT, CheckItem.PUPIL_VIEWS)
    _done(db, started_half, CheckItem.AGREEMENT, complete=False)  # one side only
    planned = make_placement(start_date=TODAY + timedelta(days=7))
    cancelled = make_placement(start_date=TODAY - timedelta(days=3), cancelled_on=TODAY)
    placements = [started_bare, started_ready, started_half, planned, cancelled]

    settings = current_settings()
    assert _flagged(db, settings) == _expected(placements, settings)
    assert _flagged(db, settings) == {started_bare.id, started_half.id}

    # only the two items the half-done one has are required now
    fewer = LaSettings(required_checks="risk_assessment,pupil_views")
    assert _flagged(db, fewer) == _expected(placements, fewer) == {started_bare.id}

    # the agreement needs both sides: one side's confirmation is not enough
    agreement_only = LaSettings(required_checks="agreement")
    assert _flagged(db, agreement_only) == _expected(placements, agreement_only)
    assert started_half.id in _flagged(db, agreement_only)

    assert _flagged(db, LaSettings(required_checks="")) == set()
