"""The work queues (DESIGN.md, "What each user sees first"): each item a count, and a link to a
list whose rows are exactly the things counted. The counts come from the same clauses the lists
filter by, all in one statement, so a queue costs the same at any size."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from threading import Lock

from flask import current_app, url_for
from sqlalchemy import ColumnElement, Select, func, select

from apregister.access import visible
from apregister.extensions import db
from apregister.models import (
    ActionStatus,
    FrameworkStatus,
    InspectionAction,
    LaSettings,
    Placement,
    Provider,
    SelfAssessment,
    SelfAssessmentStatus,
    User,
)
from apregister.placements import monitor
from apregister.providers.queries import qa_clause


@dataclass(frozen=True)
class Item:
    count: int
    one: str  # what one of them is called, after the number
    many: str
    href: str
    urgent: bool = False  # a red tag while there are any: a child's safety or the law

    @property
    def text(self) -> str:
        return self.one if self.count == 1 else self.many


# Statements built for a page, kept for the next request that needs the same one: building
# the work queues' statement (SQLAlchemy makes every clause anew) took longer than running
# it. A statement is a function of the values it is built from, never of the data. The
# most recently used are kept: the LA's few, and the schools' and providers' of the day
# (a statement takes 100 to 150 KB).
_KEPT: OrderedDict[tuple, Select] = OrderedDict()
_KEPT_AT_MOST = 200
_KEEPING = Lock()


def kept_statement(key: tuple, build: Callable[[], Select]) -> Select:
    """The statement `build()` makes, kept under `key`: every value it is built from."""
    with _KEEPING:
        statement = _KEPT.get(key)
        if statement is not None:
            _KEPT.move_to_end(key)
            return statement
    statement = build()
    with _KEEPING:
        _KEPT[key] = statement
        while len(_KEPT) > _KEPT_AT_MOST:
            _KEPT.popitem(last=False)
    return statement


def settings_key(settings: LaSettings) -> tuple:
    """Every one of the LA's settings, for a `kept_statement` key."""
    return tuple(getattr(settings, column.key) for column in LaSettings.__table__.columns)


def work_queues(
    user: User, settings: LaSettings, today: date, *, school: bool = False
) -> tuple[list[Item], list[Item], list[Item]]:
    """(the absence items, the placement items, the provider items) for the LA or a school
    (which has no provider items): every count in one statement, however many records. What
    `access` shows a user turns on their role and organisation alone, so the statement is
    kept for those, the day and the settings."""
    absences = len(ABSENCE_STATUSES[school])

    def build() -> Select:
        return monitor.counts_statement(
            visible(Placement, user),
            settings,
            today,
            *_absence_counts(user, today, school=school),
            *([] if school else _provider_counts(user, settings, today)),
        )

    key = (
        "work queues",
        user.role,
        user.organisation_id,
        school,
        today,
        settings_key(settings),
        current_app.config["DOCUMENT_EXPIRY_WARNING_DAYS"],
    )
    counts, found = monitor.read_counts(db.session.execute(kept_statement(key, build)))
    return (
        _absence_items(found[:absences], school=school),
        _placement_items(counts, settings, school=school),
        [] if school else _provider_items(found[absences:], settings),
    )


def _placement_items(counts: monitor.Counts, settings: LaSettings, *, school: bool) -> list[Item]:
    """The placement items, for the LA (every placement) or a school (its own)."""
    weeks = settings.placement_weeks
    items = [
        Item(
            counts.off_framework_to_review,
            "placement off the framework waiting for the LA's review",
            "placements off the framework waiting for the LA's review",
            url_for("placements.list_placements", off_framework="to_review"),
            urgent=not school,  # the LA must review it
        ),
        Item(
            counts.overrunning,
            "placement running past its planned end with no end recorded",
            "placements running past their planned end with no end recorded",
            url_for("placements.list_placements", overrunning="y"),
            urgent=True,
        ),
        Item(
            counts.provider_lapsed,
            "placement at a provider since suspended or removed",
            "placements at providers since suspended or removed",
            url_for("placements.list_placements", provider_lapsed="y"),
            urgent=True,
        ),
        Item(
            counts.unregistered_breaches,
            "placement beyond the DfE limits for unregistered provision",
            "placements beyond the DfE limits for unregistered provision",
            url_for("placements.list_placements", unregistered_breach="y"),
            urgent=True,
        ),
        Item(
            counts.started_without_checks,
            "placement running without its checks before the start done",
            "placements running without their checks before the start done",
            url_for("placements.list_placements", started_without_checks="y"),
            urgent=True,
        ),
        Item(
            counts.past_weeks,
            f"placement past {weeks} weeks",
            f"placements past {weeks} weeks",
            url_for("placements.list_placements", past_12_weeks="y"),
        ),
        Item(
            counts.reviews_overdue,
            "placement with a review overdue",
            "placements with a review overdue",
            url_for("placements.list_placements", review_overdue="y"),
        ),
    ]
    if school:
        items += [
            Item(
                counts.reviews_due,
                "placement with a review due within a week, or overdue",
                "placements with a review due within a week, or overdue",
                url_for("placements.list_placements", review_due="y"),
            ),
            Item(
                counts.extensions_pending,
                "extension request waiting for the LA",
                "extension requests waiting for the LA",
                url_for("placements.list_placements", extension_pending="y"),
            ),
            Item(
                counts.extensions_decided,
                "extension decided in the last 30 days",
                "extensions decided in the last 30 days",
                url_for("placements.list_placements", extension_decided="y"),
            ),
        ]
    else:
        items.append(
            Item(
                counts.extensions_pending,
                "extension request waiting for a decision",
                "extension requests waiting for a decision",
                url_for("placements.list_placements", extension_pending="y"),
            )
        )
    return items


def _count(stmt: Select, clause: ColumnElement[bool] | None = None):
    stmt = stmt.order_by(None) if clause is None else stmt.where(clause).order_by(None)
    return select(func.count()).select_from(stmt.subquery()).scalar_subquery()


def _provider_counts(user: User, settings: LaSettings, today: date) -> list:
    """What the LA's items about providers and QA count, as scalar subqueries."""
    providers = visible(Provider, user).with_only_columns(Provider.id)
    return [
        _count(providers, Provider.framework_status == FrameworkStatus.APPLIED),
        _count(providers, qa_clause("inspection_due", settings, today)),
        _count(
            visible(SelfAssessment, user).with_only_columns(SelfAssessment.id),
            SelfAssessment.status == SelfAssessmentStatus.SUBMITTED,
        ),
        _count(providers, qa_clause("self_assessment_overdue", settings, today)),
        _count(
            visible(InspectionAction, user).with_only_columns(InspectionAction.id),
            InspectionAction.status == ActionStatus.DONE,
        ),
        _count(providers, qa_clause("documents", settings, today)),
    ]


def _provider_items(counts, settings: LaSettings) -> list[Item]:
    """The LA's items about providers and QA, from `_provider_counts`."""
    applications, inspections, waiting, overdue, to_check, documents = counts
    soon = settings.reminder_days
    return [
        Item(
            inspections,
            f"provider with an inspection due within {soon} days, or overdue",
            f"providers with an inspection due within {soon} days, or overdue",
            url_for("providers.list_providers", qa="inspection_due"),
        ),
        Item(
            waiting,
            "self-assessment waiting for review",
            "self-assessments waiting for review",
            url_for("self_assessments.list_self_assessments", _anchor="waiting"),
        ),
        Item(
            overdue,
            "provider with a self-assessment overdue",
            "providers with a self-assessment overdue",
            url_for("providers.list_providers", qa="self_assessment_overdue"),
        ),
        Item(
            to_check,
            "inspection action the provider says is done, to check",
            "inspection actions the providers say are done, to check",
            url_for("inspections.list_inspections", _anchor="to-verify"),
        ),
        Item(
            documents,
            "provider with documents missing, expiring or expired",
            "providers with documents missing, expiring or expired",
            url_for("providers.list_providers", qa="documents"),
        ),
        Item(
            applications,
            "framework application waiting for a decision",
            "framework applications waiting for a decision",
            url_for("providers.list_applications"),
        ),
    ]


ABSENCE_STATUSES = {True: ("open",), False: ("late", "escalated")}  # school or not


def _absence_counts(user: User, today: date, *, school: bool) -> list:
    """Absences: the school's to follow up today; for the LA, those left past the next school
    day and escalations still open. As scalar subqueries."""
    from apregister.absences.queries import status_clause
    from apregister.models import AbsenceCase

    cases = visible(AbsenceCase, user).with_only_columns(AbsenceCase.id)
    return [_count(cases, status_clause(status, today)) for status in ABSENCE_STATUSES[school]]


def _absence_items(counts, *, school: bool) -> list[Item]:
    wanted = ABSENCE_STATUSES[school]
    words = {
        "open": ("absence to follow up", "absences to follow up"),
        "late": (
            "absence not followed up by the end of the next school day",
            "absences not followed up by the end of the next school day",
        ),
        "escalated": ("escalated absence still open", "escalated absences still open"),
    }
    return [
        Item(count, *words[status], url_for("absences.list_absences", status=status), urgent=True)
        for status, count in zip(wanted, counts, strict=True)
    ]
