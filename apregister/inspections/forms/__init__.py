"""Forms for planning a visit, recording an inspection report and working on its actions.

One module a sub-area: `fields` (the field builders they share), `planning`, `report` and
`actions`.
"""

from __future__ import annotations

from apregister.inspections.forms.actions import (  # noqa: F401 (re-exported)
    CloseActionForm,
    MarkActionDoneForm,
    ReopenActionForm,
)
from apregister.inspections.forms.fields import (  # noqa: F401 (re-exported)
    Chosen,
)
from apregister.inspections.forms.planning import (  # noqa: F401 (re-exported)
    PlanInspectionForm,
)
from apregister.inspections.forms.report import (  # noqa: F401 (re-exported)
    ACTION_ROWS,
    MAX_ACTION_ROWS,
    NEEDS_FINDINGS,
    ReportFormBase,
    action_row_count,
    report_form,
)
