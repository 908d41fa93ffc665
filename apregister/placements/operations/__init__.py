"""The only code that changes placements. Flush, never commit; the caller commits once."""

from apregister.placements.operations.commission import (
    PlacementDetails,
    add_placement,
    policy_refusal,
    review_off_framework,
)
from apregister.placements.operations.common import PlacementRefused, lock_pupil
from apregister.placements.operations.progress import (
    cancel_placement,
    decide_extension,
    end_placement,
    record_attendance,
    record_review,
    request_extension,
)

__all__ = [
    "PlacementDetails",
    "PlacementRefused",
    "add_placement",
    "cancel_placement",
    "decide_extension",
    "end_placement",
    "lock_pupil",
    "policy_refusal",
    "record_attendance",
    "record_review",
    "request_extension",
    "review_off_framework",
]
