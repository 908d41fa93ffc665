"""The pre-start rules, without the app or the database."""

from __future__ import annotations

from apregister.checks.rules import format_required, parse_required, progress_text, ready_to_start
from apregister.models.settings import ALL_CHECKS

ALL = {
    "staff_checks",
    "risk_assessment",
    "agreement",
    "parent_agreement",
    "pupil_views",
    "transport_lunch",
}


def test_ready_when_every_required_item_is_done():
    assert ready_to_start(set(ALL), set(ALL))


def test_not_ready_while_one_required_item_is_missing():
    assert not ready_to_start(ALL - {"agreement"}, set(ALL))


def test_items_that_are_not_required_do_not_count():
    assert ready_to_start({"risk_assessment"}, {"risk_assessment"})
    assert ready_to_start(set(), set())


def test_the_default_setting_requires_all_six():
    assert parse_required(ALL_CHECKS) == ALL


def test_the_setting_drops_unknown_items_and_keeps_the_guidances_order():
    assert parse_required("pupil_views, nonsense,,agreement") == {"pupil_views", "agreement"}
    assert format_required(["transport_lunch", "staff_checks"]) == "staff_checks,transport_lunch"
    assert parse_required("") == set()


def test_progress_counts_only_required_items():
    assert progress_text({"agreement", "pupil_views"}, {"agreement", "risk_assessment"}) == (
        "Not ready: 1 of 2 checks done"
    )
    assert progress_text({"agreement"}, {"agreement"}) == "Ready to start"
