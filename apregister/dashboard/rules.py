"""Pure rules for the KPI dashboard: medians, direction of travel, and the suppression that
makes the board's view safe to share. Dates are always passed in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import median

SMALL_MIN, SMALL_MAX = 1, 4  # counts from 1 to 4 could identify a child
SUPPRESSED = "fewer than 5"


def share(part: int, whole: int) -> Decimal | None:
    """`part` as a percentage of `whole`, to one place; None when there is nothing to share."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


def median_of(values: Sequence[Decimal | float]) -> Decimal | None:
    if not values:
        return None
    return Decimal(str(median(values))).quantize(Decimal("0.1"))


def mean_of(values: Sequence[Decimal | float]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(str(sum(values))) / len(values)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Direction:
    arrow: str  # for the eye
    words: str  # for everyone, said in words as well as shown


def direction(
    current: Decimal | int | None,
    previous: Decimal | int | None,
    *,
    higher_is_better: bool | None,
    period: str,
) -> Direction:
    """How a KPI moved against `period` ('last month', 'last term'), in plain words."""
    if current is None or previous is None:
        return Direction("", f"No figure for {period} to compare with")
    if current == previous:
        return Direction("→", f"No change since {period}")
    up = current > previous
    change = f"{'Up' if up else 'Down'} from {previous} {period}"
    if higher_is_better is None:
        return Direction("↑" if up else "↓", change)
    better = up == higher_is_better
    return Direction("↑" if up else "↓", f"{change}: {'better' if better else 'worse'}")


def is_small(count: int | None) -> bool:
    return count is not None and SMALL_MIN <= count <= SMALL_MAX


def suppress_counts(cells: Mapping[str, int], total: int | None = None) -> dict[str, int | str]:
    """Counts safe for the board. Any count from 1 to 4 becomes "fewer than 5"; if that leaves
    one hidden cell whose value could be worked out from the total and the other cells, the
    next smallest cell is hidden too (secondary suppression)."""
    hidden = {key for key, count in cells.items() if is_small(count)}
    if total is not None and is_small(total):
        hidden = {key for key, count in cells.items() if count}
    elif len(hidden) == 1 and total is not None:
        candidates = sorted(
            (count, key) for key, count in cells.items() if key not in hidden and count
        )
        if candidates:
            hidden.add(candidates[0][1])
    return {key: (SUPPRESSED if key in hidden else count) for key, count in cells.items()}


def suppress_total(total: int) -> int | str:
    return SUPPRESSED if is_small(total) else total


def suppress_share(part: int, whole: int) -> Decimal | str | None:
    """A percentage is hidden when its count or its base is from 1 to 4: either would let a
    reader work back to a small number."""
    if is_small(part) or is_small(whole) or (whole - part and is_small(whole - part)):
        return SUPPRESSED
    return share(part, whole)


def term_start(day: date) -> date:
    """The start of the school term containing `day`: 1 September, 1 January or after Easter,
    approximated as 15 April (term dates vary by LA)."""
    if day.month >= 9:
        return date(day.year, 9, 1)
    if day >= date(day.year, 4, 15):
        return date(day.year, 4, 15)
    return date(day.year, 1, 1)


def academic_year_start(day: date) -> date:
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)
