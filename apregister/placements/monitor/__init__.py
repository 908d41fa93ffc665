"""What the LA (and each school) must be told about: the registration threshold, unregistered
time limits, placements past 12 weeks or overrunning, reviews, extensions, and placements off
the framework or at providers since suspended.

Each function runs a fixed number of queries, whatever the number of placements.

Two modules: `registration` (the threshold and the unregistered time limits) and `counts`
(everything else the monitor counts)."""

from __future__ import annotations

from apregister.placements.monitor.counts import (  # noqa: F401 (re-exported)
    COUNTED_APART,
    DECISIONS_SHOWN_DAYS,
    REVIEW_NOTICE_DAYS,
    Counts,
    clauses,
    counts,
    counts_statement,
    read_counts,
)
from apregister.placements.monitor.registration import (  # noqa: F401 (re-exported)
    ONE_DAY,
    AlertedProvider,
    ProviderAlert,
    alert_counts,
    full_time_pupils,
    full_time_pupils_on,
    registration_alerts,
    unregistered_breaches,
)
