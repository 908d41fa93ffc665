"""Which placements a set of dashboard figures is about."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select

from apregister.models import Placement, School, SchoolPhase
from apregister.sql import not_indexed


@dataclass(frozen=True)
class Selection:
    """`scope` (from access: the viewer's countable placements) narrowed to one school phase
    and/or one provider. `whole_register` says that `scope` is every placement
    (access.counts_whole_register), so register-wide totals may stand in for the rows."""

    scope: Select
    phase: SchoolPhase | None = None
    provider_id: int | None = None
    whole_register: bool = False

    @property
    def placements(self) -> Select:
        stmt = self.scope
        if self.phase is not None:
            # A phase is hundreds of schools and half the placements of ten years: SQLite
            # would walk them all through the school index instead of the running ones.
            schools = School.__table__
            of_phase = select(schools.c.id).where(schools.c.phase == self.phase)
            stmt = stmt.where(not_indexed(Placement.school_id).in_(of_phase))
        if self.provider_id:
            stmt = stmt.where(Placement.provider_id == self.provider_id)
        return stmt

    def columns(self, *columns) -> Select:
        """The selected placements' `columns` (joins may follow)."""
        return self.placements.with_only_columns(*columns).select_from(Placement).order_by(None)

    @property
    def uses_day_totals(self) -> bool:
        """Attendance can be read from the day totals (kept by day and school phase)."""
        return self.whole_register and not self.provider_id
