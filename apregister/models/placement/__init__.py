"""Pupils, their placements in alternative provision, and what happens during them.

One module a sub-area: `pupil` (the child, and how pupil search compares names), `placement`
(the placement itself), `progress` (reviews and extension requests), `attendance` (sessions
and same-day absence follow-up) and `checks` (what must be in place before it starts).
Import from `apregister.models.placement` (or `apregister.models`).
"""

from __future__ import annotations

from apregister.models.placement.attendance import (  # noqa: F401 (re-exported)
    AbsenceCase,
    Attendance,
)
from apregister.models.placement.checks import (  # noqa: F401 (re-exported)
    CheckItem,
    PlacementCheck,
)
from apregister.models.placement.placement import (  # noqa: F401 (re-exported)
    Placement,
)
from apregister.models.placement.progress import (  # noqa: F401 (re-exported)
    ExtensionRequest,
    Review,
)
from apregister.models.placement.pupil import (  # noqa: F401 (re-exported)
    NAME_KEY,
    Pupil,
    name_search_key,
)
