"""The one door for access control.

Every view is marked with `role_required`; every record a view shows is fetched through a
`visible_*` query builder or `get_visible_or_404`. Another organisation's record answers 404,
exactly like a record that does not exist.

The rules live in this package, one module a sub-area: `guards` (who may reach a page, and
the log of refusals), `organisations` (accounts, organisations, providers and their records),
`placements` (pupils, placements and what hangs off them), `oversight` (inspections,
self-assessments, the outbox and the audit log) and `lookup` (`visible`, `countable`,
`get_visible_or_404`). Import from `apregister.access`.
"""

from __future__ import annotations

from apregister.access.guards import (  # noqa: F401 (re-exported)
    ALL_ROLES,
    PUBLIC_ENDPOINTS,
    F,
    note_refusal,
    role_required,
    signed_in,
    write_refusals,
)
from apregister.access.lookup import (  # noqa: F401 (re-exported)
    VISIBILITY,
    M,
    countable,
    counts_whole_register,
    get_visible_or_404,
    visible,
    whole_register,
)
from apregister.access.organisations import (  # noqa: F401 (re-exported)
    managed_providers,
    placeable_providers,
    sees_whole_profile,
    visible_documents,
    visible_organisations,
    visible_providers,
    visible_schools,
    visible_status_changes,
    visible_users,
)
from apregister.access.oversight import (  # noqa: F401 (re-exported)
    visible_actions,
    visible_audit_events,
    visible_inspections,
    visible_outbox,
    visible_self_assessments,
)
from apregister.access.placements import (  # noqa: F401 (re-exported)
    managed_placements,
    managed_pupils,
    visible_absence_cases,
    visible_attendance,
    visible_extension_requests,
    visible_placements,
    visible_pupils,
    visible_reviews,
)
