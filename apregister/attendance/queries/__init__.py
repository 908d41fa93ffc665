"""Attendance read from the database: the provider's register for one day, rates for lists, what
a school or provider should look at today, and one placement's recent weeks.

Every function takes `today` as a parameter; none reads the clock. A session can be recorded when
it is in the placement's weekly pattern, between its start and its end (the actual end, else the
planned end, or today while it overruns: placements.rules.run_end; both inclusive), and not in
the future.

One module a sub-area: `weeks` (weeks, sessions and school days), `register` (the provider's
register for one day), `rates`, `today` (what to look at today) and `placement` (one
placement's recent weeks).
"""

from __future__ import annotations

from apregister.attendance.queries.placement import (  # noqa: F401 (re-exported)
    arranged_by_la,
    placement_attendance,
    recent_weeks,
)
from apregister.attendance.queries.rates import (  # noqa: F401 (re-exported)
    Rate,
    attendance_rates,
    rate_of,
    session_sums,
)
from apregister.attendance.queries.register import (  # noqa: F401 (re-exported)
    DayRegister,
    RegisterRow,
    day_bits,
    day_placement_ids,
    day_register,
    placements_to_save,
)
from apregister.attendance.queries.today import (  # noqa: F401 (re-exported)
    Attention,
    AttentionItem,
    provider_sessions_to_record_today,
    school_attention_today,
    sessions_to_record_today,
)
from apregister.attendance.queries.weeks import (  # noqa: F401 (re-exported)
    SESSIONS,
    AttendanceWeek,
    SessionCell,
    build_week,
    in_dates_clause,
    next_school_day,
    planned,
    previous_school_day,
    recordable,
    school_day_on_or_before,
    week_monday,
)
