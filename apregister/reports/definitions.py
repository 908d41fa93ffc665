"""The reports LA staff act on (schools get the same for their own pupils), each a table that
the page, the CSV and the XLSX all draw from, scoped exactly alike through access.py."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from sqlalchemy import Select

from apregister.access import visible
from apregister.exports import Column, SelectedRows, date_column, placement_rows
from apregister.extensions import db
from apregister.models import FrameworkStatus, LaSettings, Placement, Provider, Role, User
from apregister.placements import listing, monitor, queries
from apregister.qa.status import qa_facts, qa_status_of
from apregister.reports import oversight
from apregister.reports.data_quality import data_quality_rows

LA_AND_SCHOOLS = frozenset({Role.LA_LEAD, Role.LA_OFFICER, Role.SCHOOL})
LA_ONLY = frozenset({Role.LA_LEAD, Role.LA_OFFICER})

Row = Sequence[Any]


@dataclass(frozen=True)
class Report:
    key: str
    title: str
    description: str
    roles: frozenset[Role]
    header: tuple[str, ...]
    # Either a scoped, ordered select of placements (its first `limit`, if given: see
    # first_placements), streamed row by row as `columns` (large reports) ...
    stmt: Callable[[User, date, LaSettings, int | None], Select] | None = None
    columns: tuple[Column, ...] = ()
    # ... or the rows themselves, for reports that are small by nature (one row per provider),
    rows: Callable[[User, date, LaSettings], Iterable[Row]] | None = None
    # ... or selects of rows (exports.SelectedRows) read one after another, lazily.
    streamed: Callable[[User, date, LaSettings], Sequence[SelectedRows]] | None = None

    def table(
        self, user: User, today: date, settings: LaSettings, *, limit: int | None = None
    ) -> Iterable[Row]:
        """The rows (the first `limit` of them): selects are read by sessions of their own, as
        the rows are wanted; other rows are read now, while the request is open."""
        if self.stmt is not None:
            stmt = self.stmt(user, today, settings, limit)
            return placement_rows(stmt, self.columns or PLACEMENT_COLUMNS)
        if self.streamed is not None:
            return _one_after_another(self.streamed(user, today, settings), limit)
        return list(islice(self.rows(user, today, settings), limit))


def _one_after_another(selects: Sequence[SelectedRows], limit: int | None) -> Iterator[Row]:
    """The rows of each select in turn, `limit` in all. Every select is run, the later ones
    limited to what is left (perhaps nothing), so a page runs the same queries however many
    rows the first ones have."""
    left = limit
    for rows in selects:
        for row in rows if left is None else rows.limited(left):
            yield row
            if left is not None:
                left -= 1


PLACEMENT_COLUMNS = (
    *oversight.PLACEMENT_WHO,
    date_column("Start", Placement.start_date),
    date_column("Planned end", Placement.planned_end),
)
PLACEMENT_HEADER = tuple(column.heading for column in PLACEMENT_COLUMNS)


def _placements(clause_for) -> Callable[[User, date, LaSettings, int | None], Select]:
    def stmt(user: User, today: date, settings: LaSettings, limit: int | None) -> Select:
        return oversight.first_placements(
            visible(Placement, user).where(clause_for(today, settings)),
            (Placement.start_date, Placement.id),
            limit,
        )

    return stmt


def _flagged(key: str):
    """The placement list's filter `key` (listing.flag_clauses: the work queue's row tests,
    worked out inside the running placements' index before any placement is read)."""

    def clause(today: date, settings: LaSettings):
        return listing.flag_clauses(settings, today, {}, {key})[key]

    return clause


def _qa_rows(user: User, today: date, settings: LaSettings) -> Iterable[Row]:
    """One statement of plain columns: what the status needs of each provider (its framework
    status and approval date) and its QA facts, no provider records built."""
    providers = db.session.execute(
        visible(Provider, user)
        .with_only_columns(
            Provider.id,
            Provider.name,
            Provider.framework_status,
            Provider.approved_on,
            *qa_facts(),
        )
        .where(Provider.framework_status.in_([FrameworkStatus.APPROVED, FrameworkStatus.SUSPENDED]))
        .order_by(Provider.name_key)
    ).all()
    for provider in providers:
        status = qa_status_of(provider, provider, settings, today)
        yield [
            provider.id,
            provider.name,
            provider.framework_status,
            status.last_visit,
            status.inspection.due,
            "Overdue" if status.inspection.overdue else "In date",
            status.last_accepted,
            status.self_assessment.due,
            "Overdue" if status.self_assessment.overdue else "In date",
            status.open_actions,
        ]


def _threshold_rows(user: User, today: date, settings: LaSettings) -> Iterable[Row]:
    for item in monitor.registration_alerts(visible(Placement, user), settings, today):
        yield [
            item.provider.id,
            item.provider.name,
            item.provider.registration_type,
            item.alert.full_time_pupils,
            item.alert.vulnerable_pupils,
            item.alert.reason,
        ]


REPORTS = {
    report.key: report
    for report in (
        Report(
            "past-12-weeks",
            "Placements past 12 weeks",
            "Active placements that started more than 12 weeks ago.",
            LA_AND_SCHOOLS,
            PLACEMENT_HEADER,
            stmt=_placements(_flagged("past_weeks")),
        ),
        Report(
            "reviews-overdue",
            "Reviews overdue",
            "Active placements with no review in the last half term.",
            LA_AND_SCHOOLS,
            PLACEMENT_HEADER,
            stmt=_placements(_flagged("reviews_overdue")),
        ),
        Report(
            "extensions-pending",
            "Extensions waiting for a decision",
            "Placements with an extension request the LA has not decided.",
            LA_AND_SCHOOLS,
            PLACEMENT_HEADER,
            stmt=_placements(lambda today, s: queries.extension_pending_clause()),
        ),
        Report(
            "off-framework",
            "Placements off the framework",
            "Placements at providers that were not approved on the framework when they were "
            "recorded, with the commissioner's reason; those the LA has still to review first.",
            LA_AND_SCHOOLS,
            oversight.OFF_FRAMEWORK_HEADER,
            stmt=oversight.off_framework_placements,
            columns=oversight.OFF_FRAMEWORK_COLUMNS,
        ),
        Report(
            "unregistered-limits",
            "Beyond the limits for unregistered provision",
            "Planned and running placements at unregistered providers that are longer than "
            "12 weeks and more than part time (4 sessions on 2 days a week), counting how "
            "long each has actually run.",
            LA_AND_SCHOOLS,
            oversight.UNREGISTERED_HEADER,
            rows=oversight.unregistered_rows,
        ),
        Report(
            "qa-compliance",
            "QA compliance by provider",
            "Each approved or suspended provider's inspection and self-assessment dates.",
            LA_ONLY,
            (
                "Register number",
                "Provider",
                "Framework status",
                "Last inspection",
                "Next inspection due",
                "Inspection",
                "Last accepted self-assessment",
                "Next self-assessment due",
                "Self-assessment",
                "Open actions",
            ),
            rows=_qa_rows,
        ),
        Report(
            "threshold-alerts",
            "Registration-threshold alerts",
            "Unregistered providers whose full-time pupils meet the independent-school "
            "registration threshold.",
            LA_ONLY,
            (
                "Register number",
                "Provider",
                "Type of setting",
                "Full-time pupils",
                "Full-time pupils with an EHC plan (or SEN) or looked after",
                "Why",
            ),
            rows=_threshold_rows,
        ),
        Report(
            "data-quality",
            "Data quality",
            "Pupils without a UPN, and placements without reviews, attendance or an outcome.",
            LA_AND_SCHOOLS,
            ("Problem", "Pupil", "Provider", "Start", "Record"),
            streamed=data_quality_rows,
        ),
    )
}


def reports_for(user: User) -> list[Report]:
    return [report for report in REPORTS.values() if user.role in report.roles]
